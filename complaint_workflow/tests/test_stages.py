from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCommon

from ..hooks import post_init_hook
from .common import WorkflowCommon

NOW = datetime(2026, 3, 2, 9, 0)  # a Monday


@tagged("post_install", "-at_install")
class TestStages(WorkflowCommon):
    def test_new_case_starts_in_first_stage_with_deadline(self):
        with freeze_time(NOW):
            case = self._create_case()
        self.assertEqual(case.stage_id, self.stage_new)
        self.assertEqual(case.state, "new")
        self.assertEqual(case.date_stage_start, NOW)
        self.assertEqual(case.date_stage_deadline, NOW + timedelta(days=2))
        self.assertEqual(case.date_deadline, NOW + timedelta(days=2))
        self.assertEqual(case.stage_log_ids.stage_id, self.stage_new)

    def test_stage_sets_lifecycle_state(self):
        case = self._create_case()
        case.stage_id = self.stage_waiting
        self.assertEqual(case.state, "waiting")
        self._send_decision(case)
        case.stage_id = self.stage_closed
        self.assertEqual(case.state, "closed")
        self.assertTrue(case.date_closed)

    def test_base_buttons_move_the_stage(self):
        case = self._create_case()
        case.action_confirm()
        self.assertEqual(case.stage_id, self.stage_analysis)
        case.action_cancel()
        self.assertEqual(case.stage_id, self.stage_cancelled)

    def test_stage_gate_lists_missing_fields(self):
        self.stage_analysis.required_field_ids = [
            Command.set([self.env.ref("complaint_base.field_complaint_case__reason_id").id])
        ]
        case = self._create_case()
        with self.assertRaises(UserError) as error:
            case.stage_id = self.stage_analysis
        self.assertIn("Reason", str(error.exception))
        self.assertEqual(case.stage_id, self.stage_new)
        case.reason_id = self.env.ref("complaint_base.complaint_reason_defect")
        case.stage_id = self.stage_analysis
        self.assertEqual(case.state, "in_progress")

    def test_stage_responsible_is_assigned(self):
        self.stage_analysis.user_id = self.other_user
        case = self._create_case(user_id=self.user.id)
        case.stage_id = self.stage_analysis
        self.assertEqual(case.user_id, self.other_user)

    def test_absent_stage_responsible_hands_over_to_deputy(self):
        self.other_user.write(
            {
                "complaint_deputy_id": self.user.id,
                "complaint_absent_from": "2026-03-01",
                "complaint_absent_to": "2026-03-10",
            }
        )
        self.stage_analysis.user_id = self.other_user
        case = self._create_case(user_id=self.manager.id)
        with freeze_time(NOW):
            case.stage_id = self.stage_analysis
        self.assertEqual(case.user_id, self.user)
        self.assertTrue(
            case.message_ids.filtered(
                lambda m: "is absent: assigned to the deputy" in (m.body or "")
            )
        )

    def test_stage_types_keep_cases_in_their_own_process(self):
        warranty_inspection = self.env["complaint.stage"].create(
            {
                "name": "Workshop Inspection",
                "sequence": 5,
                "state": "in_progress",
                "type_ids": [Command.set(self.type_warranty.ids)],
            }
        )
        warranty_case = self._create_case(type_id=self.type_warranty.id, reason_id=False)
        complaint_case = self._create_case()
        (warranty_case | complaint_case).write({"state": "in_progress"})
        self.assertEqual(warranty_case.stage_id, warranty_inspection)
        self.assertEqual(complaint_case.stage_id, self.stage_analysis)
        stages = (
            self.env["complaint.case"]
            .with_context(default_type_id=self.type_complaint.id)
            ._read_group_stage_ids(self.env["complaint.stage"], [])
        )
        self.assertNotIn(warranty_inspection, stages)
        self.assertIn(self.stage_analysis, stages)

    def test_time_in_stage_is_logged(self):
        with freeze_time(NOW):
            case = self._create_case()
        with freeze_time(NOW + timedelta(hours=3)):
            case.stage_id = self.stage_analysis
        log_new = case.stage_log_ids.filtered(lambda log: log.stage_id == self.stage_new)
        self.assertAlmostEqual(log_new.duration_hours, 3.0)
        open_log = case.stage_log_ids.filtered(lambda log: not log.date_end)
        self.assertEqual(open_log.stage_id, self.stage_analysis)

    def test_working_days_follow_the_company_calendar(self):
        self.stage_new.deadline_unit = "working_days"
        self.company.resource_calendar_id = self.env.ref("resource.resource_calendar_std")
        friday = datetime(2026, 3, 6, 9, 0)
        with freeze_time(friday):
            case = self._create_case(user_id=False, team_id=False)
        # two working days after Friday 9:00 is Tuesday, not Sunday
        self.assertEqual(case.date_stage_deadline.date().isoformat(), "2026-03-10")

    def test_missing_calendar_falls_back_to_calendar_days(self):
        self.stage_new.deadline_unit = "working_days"
        self.company.resource_calendar_id = False
        with (
            freeze_time(NOW),
            self.assertLogs(
                "odoo.addons.complaint_workflow.models.complaint_case_deadline", level="WARNING"
            ) as logs,
        ):
            case = self._create_case(user_id=False, team_id=False)
        self.assertEqual(case.date_stage_deadline, NOW + timedelta(days=2))
        self.assertIn("no working calendar", logs.output[0])

    def test_expected_end_adds_later_stages(self):
        with freeze_time(NOW):
            case = self._create_case()
        # New (2 days) + Analysis (7 days) + Decided (5 days); waiting has no deadline
        self.assertEqual(case.date_expected_end, NOW + timedelta(days=14))


@tagged("post_install", "-at_install")
class TestStageNotifications(WorkflowCommon, MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["mail.template"].create(
            {
                "name": "Case in analysis",
                "model_id": cls.env.ref("complaint_base.model_complaint_case").id,
                "subject": "{{ object.name }} is being analysed",
                "body_html": "<p>We are analysing <t t-out='object.name'/>.</p>",
                "use_default_to": True,
                "lang": "{{ object.partner_id.lang }}",
            }
        )
        cls.stage_analysis.mail_template_id = cls.template

    def test_customer_is_notified_on_stage_entry(self):
        case = self._create_case()
        with self.mock_mail_gateway():
            case.stage_id = self.stage_analysis
        sent = self._new_mails.filtered(lambda mail: self.customer_contact in mail.recipient_ids)
        self.assertEqual(sent.subject, f"{case.name} is being analysed")

    def test_broken_template_does_not_block_the_case(self):
        self.template.subject = "{{ object.no_such_field }}"
        case = self._create_case()
        with mute_logger(
            "odoo.addons.complaint_workflow.models.complaint_case",
            "odoo.addons.mail.models.mail_render_mixin",
        ):
            case.stage_id = self.stage_analysis
        self.assertEqual(case.stage_id, self.stage_analysis)
        self.assertTrue(
            case.message_ids.filtered(lambda m: "could not be notified" in (m.body or ""))
        )

    def test_customer_without_email_gets_a_note_instead(self):
        self.customer_contact.email = False
        self.customer.email = False
        case = self._create_case(partner_email=False)
        case.stage_id = self.stage_analysis
        self.assertTrue(case.message_ids.filtered(lambda m: "no e-mail address" in (m.body or "")))


@tagged("post_install", "-at_install")
class TestStageSms(WorkflowCommon):
    def test_customer_gets_sms_on_stage_entry(self):
        self.stage_analysis.sms_template_id = self.env["sms.template"].create(
            {
                "name": "In analysis",
                "model_id": self.env.ref("complaint_base.model_complaint_case").id,
                "body": "{{ object.name }} is being analysed",
            }
        )
        case = self._create_case()
        with patch.object(type(self.env["sms.sms"]), "_send", lambda self, **kwargs: None):
            case.stage_id = self.stage_analysis
        sms = self.env["sms.sms"].search([("partner_id", "=", self.customer_contact.id)])
        self.assertEqual(sms.body, f"{case.name} is being analysed")
        self.assertEqual(sms.number, "+48601234567")


@tagged("post_install", "-at_install")
class TestInstallHook(WorkflowCommon):
    def test_existing_cases_get_stage_and_sla_on_install(self):
        open_case = self._create_case(type_id=self.type_statutory.id)
        decided_case = self._create_case(type_id=self.type_statutory.id)
        self._send_decision(decided_case)
        cases = open_case | decided_case
        # as if they had been created before complaint_workflow was installed
        cases.sla_line_ids.unlink()
        self.env.cr.execute(
            "UPDATE complaint_case SET stage_id = NULL WHERE id IN %s", [tuple(cases.ids)]
        )
        cases.invalidate_recordset(["stage_id", "sla_line_ids"])
        post_init_hook(self.env)
        self.assertEqual(open_case.stage_id, self.stage_new)
        self.assertEqual(decided_case.stage_id, self.stage_decided)
        self.assertEqual(open_case.sla_line_ids.policy_id, self.sla_statutory)
        self.assertFalse(decided_case.sla_line_ids)
