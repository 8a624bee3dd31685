from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import WorkflowCommon

NOW = datetime(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestSla(WorkflowCommon):
    def _sla(self, case, policy):
        return case.sla_line_ids.filtered(lambda line: line.policy_id == policy)

    def test_statutory_policy_gives_14_calendar_days(self):
        with freeze_time(NOW):
            case = self._create_case(type_id=self.type_statutory.id)
        line = self._sla(case, self.sla_statutory)
        self.assertEqual(line.date_deadline, NOW + timedelta(days=14))
        self.assertEqual(line.state, "running")
        self.assertFalse(self._sla(case, self.sla_vip))

    def test_vip_customers_get_3_days(self):
        self.customer.complaint_vip = True
        with freeze_time(NOW):
            case = self._create_case(user_id=False, team_id=False)
        self.assertEqual(self._sla(case, self.sla_vip).date_deadline, NOW + timedelta(days=3))
        self.assertEqual(case.date_deadline, NOW + timedelta(days=2), "the New stage is due first")
        with freeze_time(NOW + timedelta(hours=1)):
            case.stage_id = self.stage_analysis
        self.assertEqual(case.date_deadline, NOW + timedelta(days=3), "now the VIP SLA binds")

    def test_clock_pauses_while_waiting_for_customer(self):
        self.customer.complaint_vip = True
        with freeze_time(NOW):
            case = self._create_case()
        with freeze_time(NOW + timedelta(days=1)):
            case.stage_id = self.stage_waiting
        line = self._sla(case, self.sla_vip)
        self.assertEqual(line.state, "paused")
        with freeze_time(NOW + timedelta(days=2)):
            case.stage_id = self.stage_analysis
            self.assertEqual(line.state, "running")
            self.assertEqual(line.date_deadline, NOW + timedelta(days=4))
            self.assertAlmostEqual(line.consumed_hours, 24.0)
        # the statutory clock does not pause
        statutory = self._sla(case, self.sla_statutory)
        self.assertEqual(statutory.date_deadline, NOW + timedelta(days=14))

    def test_decision_in_time_meets_the_sla(self):
        with freeze_time(NOW):
            case = self._create_case()
        with freeze_time(NOW + timedelta(days=5)):
            self._send_decision(case)
        line = self._sla(case, self.sla_statutory)
        self.assertEqual(line.state, "met")
        self.assertEqual(case.sla_status, "met")

    def test_late_decision_breaches_the_sla(self):
        with freeze_time(NOW):
            case = self._create_case()
        with freeze_time(NOW + timedelta(days=15)):
            self._send_decision(case)
        self.assertEqual(self._sla(case, self.sla_statutory).state, "breached")
        self.assertEqual(case.sla_status, "breached")

    def test_cron_marks_overdue_lines_breached(self):
        with freeze_time(NOW):
            case = self._create_case()
        with freeze_time(NOW + timedelta(days=15)):
            self.env["complaint.case"]._cron_check_deadlines()
        self.assertEqual(self._sla(case, self.sla_statutory).state, "breached")

    def test_policy_criteria(self):
        vip_tag = self.env["res.partner.category"].create({"name": "Key Account"})
        furniture = self.env["product.category"].create({"name": "Furniture"})
        chairs = self.env["product.category"].create({"name": "Chairs", "parent_id": furniture.id})
        chair = self.env["product.product"].create({"name": "Chair", "categ_id": chairs.id})
        policy = self.env["complaint.sla.policy"].create(
            {
                "name": "Key accounts, urgent furniture",
                "partner_category_ids": [Command.set(vip_tag.ids)],
                "min_priority": "1",
                "product_category_ids": [Command.set(furniture.ids)],
                "target_amount": 1,
            }
        )
        line = [Command.create({"product_id": chair.id})]
        self.assertFalse(self._sla(self._create_case(priority="2", line_ids=line), policy))
        self.customer.category_id = vip_tag
        self.assertFalse(self._sla(self._create_case(priority="0", line_ids=line), policy))
        self.assertFalse(self._sla(self._create_case(priority="2"), policy))
        self.assertTrue(self._sla(self._create_case(priority="2", line_ids=line), policy))

    def test_policy_added_when_case_starts_matching(self):
        case = self._create_case()
        self.assertFalse(self._sla(case, self.sla_vip))
        self.customer.complaint_vip = True
        case.priority = "1"  # any tracked change re-evaluates the policies
        self.assertTrue(self._sla(case, self.sla_vip))

    def test_working_hours_target(self):
        self.company.resource_calendar_id = self.env.ref("resource.resource_calendar_std")
        policy = self.env["complaint.sla.policy"].create(
            {"name": "8 working hours", "target_amount": 8, "target_unit": "working_hours"}
        )
        friday_afternoon = datetime(2026, 3, 6, 13, 0)
        with freeze_time(friday_afternoon):
            case = self._create_case(user_id=False, team_id=False, date_received=friday_afternoon)
        deadline = self._sla(case, policy).date_deadline
        self.assertEqual(deadline.date().isoformat(), "2026-03-09", "continues on Monday")
