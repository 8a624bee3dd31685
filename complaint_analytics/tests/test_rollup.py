from datetime import datetime

import psycopg2
from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.complaint_analytics.models.report_rollup import plan_rollup

from .common import NOW, AnalyticsCommon

# requests the pivot, the graph and the dashboard make, each answered by a rollup
ROLLUP_REQUESTS = [
    (
        "complaint.case.report",
        [],
        ["date_received:month", "product_categ_id"],
        ["__count", "nbr:sum", "cost_total:sum", "hours_to_close:avg"],
        None,
    ),
    (
        "complaint.case.report",
        [("date_received", ">=", "2026-01-01 00:00:00"), ("date_received", "<", "2026-02-01")],
        ["reason_id"],
        ["__count", "sla_compliance:avg", "online_share:avg", "hours_to_close:count"],
        None,
    ),
    (
        "complaint.case.report",
        [("date_received", "<=", datetime(2026, 1, 31, 23, 59, 59)), ("team_id", "!=", False)],
        ["channel", "date_received:week"],
        ["__count", "open_count:sum", "work_hours_to_close:avg"],
        "__count desc, channel, date_received:week",
    ),
    (
        "complaint.case.report",
        [("channel", "in", ("portal", "api"))],
        [],
        ["nbr:sum", "cost_total:sum", "hours_to_first_answer:avg"],
        None,
    ),
    (
        "complaint.case.line.report",
        [("date_received", ">=", datetime(2026, 1, 1))],
        ["product_id"],
        ["case_share:sum", "cost_share:sum"],
        "case_share:sum desc, product_id",
    ),
]


def _rounded(rows):
    """``rows`` with their floats rounded: sums added in another order differ
    in their last bits."""
    return [
        tuple(round(value, 6) if isinstance(value, float) else value for value in row)
        for row in rows
    ]


@tagged("post_install", "-at_install")
class TestRollups(AnalyticsCommon):
    """The daily rollups answer what they can exactly as the analyses do."""

    def _assert_same_as_analysis(self, model, domain, groupby, aggregates, order):
        plan = plan_rollup(
            model, domain, groupby, aggregates, (), order, model._rollup_built_timezones()
        )
        self.assertTrue(plan, f"{groupby} {domain} should be read from a rollup")
        rolled = model._read_group(domain, groupby, aggregates, order=order)
        plain = model.with_context(complaint_no_rollup=True)._read_group(
            domain, groupby, aggregates, order=order
        )
        self.assertTrue(plain)
        self.assertEqual(_rounded(rolled), _rounded(plain))
        return rolled

    def test_rollups_answer_as_the_analyses(self):
        for model_name, domain, groupby, aggregates, order in ROLLUP_REQUESTS:
            model = self.env[model_name].with_user(self.manager).with_context(tz="UTC")
            self._assert_same_as_analysis(model, domain, groupby, aggregates, order)
        Report = self.env["complaint.case.report"].with_user(self.manager).with_context(tz="UTC")
        # the figures come from the rollup, not from the analysis
        [(count, cost)] = Report._read_group([], [], ["__count", "cost_total:sum"])
        self.assertEqual((count, cost), (4, 1349.0))
        self.env.cr.execute("DELETE FROM complaint_case_report__by_category")
        self.env.cr.execute("DELETE FROM complaint_case_report__by_reason")
        self.assertEqual(Report._read_group([], [], ["__count"]), [(0,)])
        self.assertEqual(
            Report.with_context(complaint_no_rollup=True)._read_group([], [], ["__count"]), [(4,)]
        )

    def test_rollups_follow_the_incremental_refresh(self):
        Report = self.env["complaint.case.report"].with_user(self.manager).with_context(tz="UTC")
        with freeze_time(NOW):
            self.env["complaint.cost.line"].create(
                {"case_id": self.case_c.id, "cost_type": "goodwill", "amount": 40.0}
            )
            self.case_b.reason_id = self.reason_leak
            self.case_d.date_received = "2026-01-20 09:00:00"
            self.env["complaint.case.report"]._refresh_stale()
        rows = self._assert_same_as_analysis(
            Report,
            [("date_received", ">=", "2026-01-01 00:00:00")],
            ["reason_id"],
            ["__count", "cost_total:sum"],
            None,
        )
        self.assertEqual(rows, [(self.reason_leak, 3, 390.0), (self.reason_noise, 1, 999.0)])
        self.case_c.unlink()
        self.assertEqual(Report._read_group([], [], ["__count", "cost_total:sum"]), [(3, 1349.0)])

    def test_a_rollup_keeps_one_row_per_key(self):
        """Two transactions adding the same new key cannot both keep a row
        (a second row would take every later net change twice), even where a
        dimension is empty: case D has no item, hence no category."""
        cr = self.env.cr
        cr.execute(
            """SELECT tz, date_received, company_id, team_id, product_categ_id
                 FROM complaint_case_report__by_category
                WHERE product_categ_id IS NULL"""
        )
        key = cr.fetchone()
        self.assertTrue(key)
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"):
            cr.execute(
                """INSERT INTO complaint_case_report__by_category
                          (tz, date_received, company_id, team_id, product_categ_id, row_count)
                   VALUES (%s, %s, %s, %s, %s, 1)""",
                key,
            )

    def test_rollups_group_days_in_the_users_time_zone_across_dst(self):
        """Helsinki moves to summer time on Sunday 29 March 2026: the local
        day and month of a case follow the user's zone, as in the analysis."""
        self.manager.tz = "Europe/Helsinki"
        # 00:30 on 29 March in Helsinki (UTC+2), 00:30 on 30 March (UTC+3),
        # 01:30 on 1 April (UTC+3): the last one is in April there, not in UTC
        for when in ("2026-03-28 22:30", "2026-03-29 21:30", "2026-03-31 22:30"):
            self._case_at(when, user_id=self.user.id, reason_id=self.reason_leak.id)
        with freeze_time(NOW):
            self.env["complaint.case.report"]._refresh_stale()
        self.assertIn(
            "Europe/Helsinki", self.env["complaint.case.report"]._rollup_built_timezones()
        )
        Report = (
            self.env["complaint.case.report"]
            .with_user(self.manager)
            .with_context(tz="Europe/Helsinki")
        )
        # Helsinki's 29 March: from 22:00 UTC the day before to 21:00 UTC
        days = self._assert_same_as_analysis(
            Report,
            [
                ("date_received", ">=", "2026-03-28 22:00:00"),
                ("date_received", "<", "2026-03-29 21:00:00"),
            ],
            ["date_received:day"],
            ["__count"],
            None,
        )
        self.assertEqual(days, [(datetime(2026, 3, 29), 1)])
        months = self._assert_same_as_analysis(
            Report,
            [("date_received", ">=", "2026-02-28 22:00:00")],
            ["date_received:month"],
            ["__count"],
            None,
        )
        self.assertEqual(months, [(datetime(2026, 3, 1), 2), (datetime(2026, 4, 1), 1)])
        # a zone nobody works in is read from the analysis
        self.assertFalse(
            plan_rollup(
                Report.with_context(tz="Asia/Kolkata"),
                [],
                [],
                ["__count"],
                (),
                None,
                Report._rollup_built_timezones(),
            )
        )

    def test_what_a_rollup_cannot_answer_reads_the_analysis(self):
        Report = self.env["complaint.case.report"].with_user(self.manager).with_context(tz="UTC")
        timezones = Report._rollup_built_timezones()
        unanswerable = [
            # a date filter within a day
            ([("date_received", ">=", "2026-01-05 06:00:00")], [], ["__count"], None),
            # a dimension the rollups do not keep, in the grouping or the filter
            ([], ["partner_id"], ["__count"], None),
            ([("partner_id", "=", self.customer.id)], [], ["__count"], None),
            ([], ["user_id", "reason_id"], ["__count"], None),
            # hours, and aggregates a sum and a count cannot give
            ([], ["date_received:hour"], ["__count"], None),
            ([], [], ["cost_total:max"], None),
            ([], ["reason_id"], ["__count"], "cost_total:max desc"),
        ]
        for domain, groupby, aggregates, order in unanswerable:
            self.assertFalse(
                plan_rollup(Report, domain, groupby, aggregates, (), order, timezones),
                f"{domain} {groupby} {aggregates}",
            )
        # a handler's record rule reads the team and the handler: only the
        # rollup by handler keeps them
        handler = Report.with_user(self.user)
        self.assertFalse(plan_rollup(handler, [], ["reason_id"], ["__count"], (), None, timezones))
        self.assertEqual(
            handler._read_group([], ["reason_id"], ["__count"]),
            [(self.reason_leak, 2), (self.reason_noise, 2)],
        )

    def test_handlers_read_their_cases_from_the_rollup_by_handler(self):
        outsider = new_test_user(
            self.env,
            login="analytics_rollup_user",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        groupby = ["channel", "user_id"]
        aggregates = ["__count", "hours_to_close:avg"]
        portal = ("portal", self.user, 2, 72.0)
        expected = {
            self.user: [
                ("backend", self.user, 1, False),
                ("email", self.other_user, 1, False),
                portal,
            ],
            outsider: [],
        }
        for user, rows in expected.items():
            Report = self.env["complaint.case.report"].with_user(user).with_context(tz="UTC")
            timezones = Report._rollup_built_timezones()
            self.assertEqual(
                plan_rollup(Report, [], groupby, aggregates, (), None, timezones),
                ("complaint_case_report__by_handler", "UTC"),
            )
            self.assertEqual(Report._read_group([], groupby, aggregates), rows)
        self._assert_same_as_analysis(
            self.env["complaint.case.report"].with_user(self.user).with_context(tz="UTC"),
            [],
            groupby,
            aggregates,
            None,
        )


@tagged("post_install", "-at_install")
class TestRollupsOverRpc(AnalyticsCommon, HttpCase):
    """The pivot's requests as the web client sends them, read from a rollup."""

    def _web_read_group(self, context, domain, groupby):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/complaint.case.report/web_read_group",
            {
                "model": "complaint.case.report",
                "method": "web_read_group",
                "args": [],
                "kwargs": {
                    "domain": domain,
                    "fields": ["__count", "cost_total:sum", "hours_to_close:avg"],
                    "groupby": groupby,
                    "lazy": False,
                    "context": context,
                },
            },
        )

    def test_manager_pivot_in_helsinki_reads_the_rollup(self):
        self.manager.tz = "Europe/Helsinki"
        with freeze_time(NOW):
            self.env["complaint.case.report"]._refresh_stale()
        self.authenticate("complaint_manager", "complaint_manager")
        context = {"tz": "Europe/Helsinki", "lang": "en_US"}
        # January 2026 in Helsinki, as the search view's month filter sends it
        january = [
            ["date_received", ">=", "2025-12-31 22:00:00"],
            ["date_received", "<=", "2026-01-31 21:59:59"],
        ]
        groupby = ["date_received:month", "product_categ_id"]
        Report = self.env["complaint.case.report"].with_user(self.manager).with_context(**context)
        self.assertTrue(
            plan_rollup(
                Report,
                january,
                groupby,
                ["__count", "cost_total:sum", "hours_to_close:avg"],
                (),
                None,
                Report._rollup_built_timezones(),
            )
        )
        result = self._web_read_group(context, january, groupby)
        figures = {
            (group["date_received:month"], group["product_categ_id"][1]): (
                group["__count"],
                group["cost_total"],
                group["hours_to_close"],
            )
            for group in result["groups"]
        }
        # A (machines, 150, closed after 72 h), B (machines, 200, open again),
        # C (consumables, no cost, open); D is December's
        self.assertEqual(
            figures,
            {
                ("January 2026", "Machines"): (2, 350.0, 72.0),
                ("January 2026", "Consumables"): (1, 0.0, False),
            },
        )
        self.assertEqual(result["length"], 2)
