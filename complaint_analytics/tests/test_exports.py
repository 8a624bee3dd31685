import io
import json
import re
import zipfile

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import JANUARY, NOW, AnalyticsCommon


@tagged("post_install", "-at_install")
class TestExports(AnalyticsCommon, HttpCase):
    def _rpc(self, route, params):
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_monthly_workbook_downloads_in_one_click(self):
        self.authenticate(self.manager.login, self.manager.login)
        response = self.url_open("/complaint_analytics/kpi_workbook?month=2026-01")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        book = zipfile.ZipFile(io.BytesIO(response.content))
        workbook = book.read("xl/workbook.xml").decode()
        for sheet in ("KPIs", "Breakdowns", "Last 12 Months"):
            self.assertIn(f'name="{sheet}"', workbook)
        strings = re.findall(r"<t[^>]*>([^<]*)</t>", book.read("xl/sharedStrings.xml").decode())
        kpis = book.read("xl/worksheets/sheet1.xml").decode()
        # row 4 is the first KPI, "Cases received": 3 in January, 1 in December
        self.assertEqual(
            strings[int(re.search(r'<c r="A4"[^>]*><v>(\d+)', kpis)[1])], "Cases received"
        )
        self.assertRegex(kpis, r'<c r="B4"[^>]*><v>3</v>')
        self.assertRegex(kpis, r'<c r="C4"[^>]*><v>1</v>')

    def test_workbook_refuses_a_bad_month(self):
        self.authenticate(self.manager.login, self.manager.login)
        response = self.url_open("/complaint_analytics/kpi_workbook?month=2026-13")
        self.assertEqual(response.status_code, 400)
        self.assertIn("YYYY-MM", response.text)

    def test_menu_opens_the_analysis_on_fresh_figures(self):
        self.env["complaint.cost.line"].create(
            {"case_id": self.case_c.id, "cost_type": "refund", "amount": 70.0}
        )
        self.env.flush_all()
        self.authenticate(self.manager.login, self.manager.login)
        action = self.env.ref("complaint_analytics.complaint_case_report_action_server_manager")
        result = self._rpc("/web/action/run", {"action_id": action.id})["result"]
        self.assertEqual(result["res_model"], "complaint.case.report")
        row = self.env["complaint.case.report"].search([("case_id", "=", self.case_c.id)])
        self.assertEqual(row.cost_refund, 70.0)

    def test_case_form_opens_its_stage_timeline(self):
        self.authenticate(self.user.login, self.user.login)
        result = self._rpc(
            "/web/dataset/call_button",
            {
                "model": "complaint.case",
                "method": "action_open_stage_timeline",
                "args": [[self.case_a.id]],
                "kwargs": {},
            },
        )["result"]
        self.assertEqual(result["res_model"], "complaint.stage.log")
        self.assertIn("timeline", result["view_mode"])
        logs = self.env["complaint.stage.log"].with_user(self.user).search(result["domain"])
        self.assertEqual(len(logs), 6)
        self.assertEqual(logs.case_id, self.case_a)

    def test_dashboard_reads_fields_that_exist(self):
        dashboard = self.env.ref("complaint_analytics.spreadsheet_dashboard_complaints")
        data = dashboard.with_user(self.user).get_readonly_dashboard()
        snapshot = data["snapshot"]
        self.assertEqual(
            {pivot["model"] for pivot in snapshot["pivots"].values()},
            {"complaint.case.report", "complaint.case.line.report"},
        )
        charts = [
            figure["data"]
            for figure in snapshot["sheets"][0]["figures"]
            if figure["data"]["type"].startswith("odoo_")
        ]
        self.assertEqual(len(charts), 4)
        for pivot in snapshot["pivots"].values():
            model = self.env[pivot["model"]]
            for name in [m["fieldName"] for m in pivot["measures"]] + [
                r["fieldName"] for r in pivot["rows"]
            ]:
                self.assertIn(name, model._fields)
            for matching in pivot["fieldMatching"].values():
                self.assertIn(matching["chain"], model._fields)
        for chart in charts:
            model = self.env[chart["metaData"]["resModel"]]
            self.assertIn(chart["metaData"]["measure"], model._fields)
            for group in chart["metaData"]["groupBy"]:
                self.assertIn(group.split(":")[0], model._fields)
        # the tiles read what the report returns for the period and filters
        kpis = (
            self.env["complaint.case.report"]
            .with_user(self.user)
            .read_group(
                [("date_received", ">=", JANUARY[0]), ("date_received", "<", JANUARY[1])],
                ["open_count:sum", "cost_total:sum"],
                [],
            )
        )
        self.assertEqual((kpis[0]["open_count"], kpis[0]["cost_total"]), (2, 350.0))

    def test_weekly_digest_kpis(self):
        digest = self.env.ref("complaint_analytics.digest_digest_complaint")
        digest = digest.with_user(self.manager).with_context(
            start_datetime=JANUARY[0], end_datetime=JANUARY[1]
        )
        with freeze_time(NOW):
            self.assertEqual(digest.kpi_complaint_received_value, 3)
            self.assertEqual(digest.kpi_complaint_closed_value, 1)  # B was reopened
            self.assertEqual(digest.kpi_complaint_cost_value, 350.0)
            self.assertEqual(digest.kpi_complaint_sla_breached_value, 1)
        with self.assertRaises(AccessError):
            digest.with_user(self.user).kpi_complaint_received_value  # noqa: B018
