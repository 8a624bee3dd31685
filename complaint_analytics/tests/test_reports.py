from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import NOW, AnalyticsCommon


@tagged("post_install", "-at_install")
class TestReports(AnalyticsCommon):
    def _row(self, case, model="complaint.case.report"):
        return self.env[model].search([("case_id", "=", case.id)])

    def test_case_row_measures(self):
        row = self._row(self.case_a)
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.product_id, self.product_serial)
        self.assertEqual(row.product_categ_id, self.categ_machines)
        self.assertEqual(row.warehouse_id, self.site_1)
        self.assertEqual((row.cost_freight, row.cost_repair, row.cost_total), (100.0, 50.0, 150.0))
        self.assertEqual(str(row.date_first_answer), "2026-01-05 14:00:00")
        self.assertEqual(
            (row.hours_to_first_answer, row.hours_to_decision, row.hours_to_close),
            (6.0, 48.0, 72.0),
        )
        self.assertEqual(row.waiting_hours, 24.0)
        self.assertEqual(
            (
                row.work_hours_to_first_answer,
                row.work_hours_to_decision,
                row.work_hours_to_close,
                row.work_waiting_hours,
            ),
            (5.0, 16.0, 24.0, 8.0),
        )
        self.assertEqual((row.sla_status, row.reopened, row.repeat_serial), ("met", 0, 0))

    def test_reopened_case_and_repeat_serial(self):
        row = self._row(self.case_b)
        self.assertEqual((row.reopened, row.repeat_serial, row.sla_breached), (1, 1, 1))
        self.assertFalse(row.date_closed)
        self.assertEqual(row.hours_to_first_answer, 362.0)
        lines = self._row(self.case_b, "complaint.case.line.report")
        self.assertEqual(
            {(line.product_id, line.repeat_serial, line.cost_share) for line in lines},
            {(self.product_serial, 1, 100.0), (self.product_plain, 0, 100.0)},
        )

    def test_stage_report_durations(self):
        stays = self.env["complaint.stage.report"].search(
            [("case_id", "=", self.case_a.id), ("is_current", "=", False)], order="date_start"
        )
        self.assertEqual(stays.mapped("duration_hours"), [4.0, 20.0, 24.0, 24.0, 24.0])
        self.assertEqual(
            stays.stage_id,
            self.stage_new | self.stage_analysis | self.stage_waiting | self.stage_decided,
        )

    def test_incremental_refresh_follows_changes(self):
        Report = self.env["complaint.case.report"]
        with freeze_time(NOW):
            self.env["complaint.cost.line"].create(
                {"case_id": self.case_c.id, "cost_type": "goodwill", "amount": 40.0}
            )
            self.case_c.line_ids = [Command.create({"product_id": self.product_serial.id})]
            Report._refresh_stale()
        row = self._row(self.case_c)
        self.assertEqual((row.cost_goodwill, row.line_count), (40.0, 3))
        self.assertFalse(row.work_hours_pending)
        self.assertEqual(len(self._row(self.case_c, "complaint.case.line.report")), 3)
        self.case_d.unlink()
        self.assertFalse(self._row(self.case_d))

    def test_users_see_their_teams_and_managers_everything(self):
        outsider = new_test_user(
            self.env,
            login="analytics_outsider",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cases = self.case_a | self.case_b | self.case_c | self.case_d
        for model in ("complaint.case.report", "complaint.stage.report"):
            domain = [("case_id", "in", cases.ids)]
            self.assertFalse(self.env[model].with_user(outsider).search(domain))
            self.assertEqual(self.env[model].with_user(self.user).search(domain).case_id, cases)
            self.assertEqual(self.env[model].with_user(self.manager).search(domain).case_id, cases)
        self.assertEqual(self._kpis(user=outsider)["case_count"], 0)
        self.assertEqual(self._kpis(user=self.user)["case_count"], 3)

    def test_other_company_rows_stay_hidden(self):
        company = self.env["res.company"].create({"name": "Complaint Analytics Other Co"})
        self.manager.company_ids = [Command.link(company.id)]
        self.env["complaint.case.report"].search([("case_id", "=", self.case_a.id)])
        self.env.cr.execute(
            "UPDATE complaint_case_report SET company_id = %s WHERE case_id = %s",
            [company.id, self.case_a.id],
        )
        self.env.invalidate_all()
        Report = self.env["complaint.case.report"].with_user(self.manager)
        domain = [("case_id", "=", self.case_a.id)]
        self.assertFalse(Report.with_context(allowed_company_ids=self.company.ids).search(domain))
        self.assertTrue(Report.with_context(allowed_company_ids=company.ids).search(domain))
