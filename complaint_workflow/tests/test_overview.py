import ast
import json
from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import HttpCase, tagged

from ..models.complaint_stage import duration_label
from .common import WorkflowCommon

NOW = datetime(2026, 3, 4, 9, 0)
COUNTERS = [
    "open_case_count",
    "case_new_count",
    "case_unassigned_count",
    "case_overdue_count",
    "case_due_today_count",
    "case_waiting_customer_count",
    "case_sla_breached_count",
    "case_deemed_accepted_count",
    "avg_handling_days",
]


@tagged("post_install", "-at_install")
class TestTeamOverview(WorkflowCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user.tz = "UTC"
        cls.team.assign_method = "none"
        cls.customer.complaint_vip = True
        with freeze_time(NOW - timedelta(days=4)):
            cls.closed = cls._create_case(team_id=cls.team.id, user_id=cls.user.id)
            cls.closed.action_confirm()
        with freeze_time(NOW - timedelta(days=1)):
            cls.env["complaint.case.decide"].create(
                {"case_id": cls.closed.id, "decision": "accepted", "resolution": "none"}
            ).action_confirm()
            cls.closed.action_close()
        with freeze_time(NOW):
            cls.new = cls._create_case(team_id=cls.team.id, user_id=False)
            cls.handled = cls._create_case(team_id=cls.team.id, user_id=cls.user.id)
            cls.handled.action_confirm()
            cls.waiting = cls._create_case(team_id=cls.team.id, user_id=cls.user.id)
            cls.waiting.action_confirm()
            cls.env["complaint.case.request.completion"].create(
                {"case_id": cls.waiting.id, "missing_info": "<p>A photo of the plate, please.</p>"}
            ).action_confirm()
        # the handled case: its stage deadline is today at 17:00, its SLA breached
        # and the statutory clock ran out
        cls.handled.write(
            {"date_stage_deadline": NOW + timedelta(hours=8), "deemed_accepted": True}
        )
        cls.handled.sla_line_ids.write({"state": "breached"})
        cls.other_team = cls.env["complaint.team"].create({"name": "Returns"})
        cls.third_team = cls.env["complaint.team"].create({"name": "Warranty"})

    def _call_kw(self, model, method, args, **kwargs):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        self.assertNotIn("error", body)
        return body["result"]

    def _counters(self):
        with freeze_time(NOW + timedelta(hours=1)):
            records = self._call_kw(
                "complaint.team",
                "web_search_read",
                [[("id", "=", self.team.id)]],
                specification={name: {} for name in COUNTERS},
            )["records"]
        return records[0]

    def test_team_card_counts_what_waits_for_whom(self):
        self.authenticate(self.user.login, self.user.login)
        counters = self._counters()
        self.assertEqual(counters["open_case_count"], 3)
        self.assertEqual(counters["case_new_count"], 1)
        self.assertEqual(counters["case_unassigned_count"], 1)
        self.assertEqual(counters["case_due_today_count"], 1)
        self.assertEqual(counters["case_waiting_customer_count"], 1)
        self.assertEqual(counters["case_sla_breached_count"], 1)
        self.assertEqual(counters["case_deemed_accepted_count"], 1)
        self.assertEqual(counters["case_overdue_count"], 0)
        self.assertAlmostEqual(counters["avg_handling_days"], 3.0, places=1)

        with freeze_time(NOW + timedelta(days=1)):
            self.assertEqual(
                self.team.with_user(self.user).case_overdue_count,
                1,
                "the stage deadline of yesterday is overdue",
            )

    def test_counters_cost_the_same_queries_for_many_teams(self):
        teams = (self.team | self.other_team | self.third_team).with_user(self.user)
        queries = []
        # the first round warms the caches (access rules, user's time zone)
        for records in (teams, teams[:1], teams):
            records.invalidate_recordset()
            before = self.env.cr.sql_log_count
            records.mapped("case_overdue_count")
            records.mapped("avg_handling_days")
            queries.append(self.env.cr.sql_log_count - before)
        self.assertEqual(queries[1], queries[2])

    def test_each_counter_opens_its_filter(self):
        self.authenticate(self.user.login, self.user.login)
        search_arch = self._call_kw(
            "complaint.case", "get_views", [], views=[[False, "search"]], options={}
        )["views"]["search"]["arch"]
        filters = set(etree.fromstring(search_arch).xpath("//filter/@name"))
        self.assertTrue({"unassigned", "waiting_us"} <= filters)
        kanban_arch = self._call_kw(
            "complaint.team", "get_views", [], views=[[False, "kanban"]], options={}
        )["views"]["kanban"]["arch"]
        counter_filters = {
            ast.literal_eval(context)["complaint_filter"]
            for context in etree.fromstring(kanban_arch).xpath(
                "//a[@name='action_view_cases']/@context"
            )
        }
        self.assertEqual(
            counter_filters,
            {
                "new",
                "unassigned",
                "overdue",
                "due_today",
                "waiting_customer",
                "sla_breached",
                "deemed_accepted",
            },
        )
        self.assertLessEqual(counter_filters, filters)
        for name in counter_filters:
            response = self.url_open(
                "/web/dataset/call_button",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "complaint.team",
                            "method": "action_view_cases",
                            "args": [[self.team.id]],
                            "kwargs": {"context": {"complaint_filter": name}},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
            action = response.json()["result"]
            self.assertEqual(action["domain"], [["team_id", "=", self.team.id]])
            self.assertEqual(action["context"][f"search_default_{name}"], 1)
            self.assertEqual(action["context"]["search_default_open"], 1)
        # an unknown filter name opens the plain list
        action = self.team.with_context(complaint_filter="active").action_view_cases()
        self.assertNotIn("search_default_active", action["context"])

    def test_overview_is_the_first_menu(self):
        root = self.env.ref("complaint_base.complaint_menu_root")
        first = root.with_user(self.user).child_id.sorted("sequence")[:1]
        self.assertEqual(
            first.action, self.env.ref("complaint_base.complaint_team_action_overview")
        )
        team_menus = self.env["ir.ui.menu"].search(
            [
                (
                    "action",
                    "in",
                    [
                        f"ir.actions.act_window,{self.env.ref(x).id}"
                        for x in (
                            "complaint_base.complaint_team_action",
                            "complaint_base.complaint_team_action_overview",
                        )
                    ],
                )
            ]
        )
        self.assertEqual(
            team_menus.mapped("name"), ["Overview", "Teams"], "Teams lives in one menu only"
        )


@tagged("post_install", "-at_install")
class TestDeadlineLabels(WorkflowCommon):
    def test_durations_read_as_words(self):
        env = self.env
        self.assertEqual(duration_label(env, 3, "working_days"), "3 working days")
        self.assertEqual(duration_label(env, 1, "calendar_days"), "1 calendar day")
        self.assertEqual(duration_label(env, 2.5, "working_hours"), "2.5 working hours")
        self.assertEqual(duration_label(env, 0, "calendar_days"), "No deadline")
        self.stage_analysis.write({"deadline_amount": 2, "deadline_unit": "calendar_days"})
        self.assertEqual(self.stage_analysis.deadline_display, "2 calendar days")
        self.assertEqual(
            self.sla_vip.target_display,
            duration_label(env, self.sla_vip.target_amount, self.sla_vip.target_unit),
        )

    def test_completion_request_says_why_the_deadlines_moved(self):
        env = self.env(context=dict(self.env.context, mail_notrack=False))
        self.customer.complaint_vip = True
        with freeze_time(NOW):
            case = env["complaint.case"].create(
                {
                    "subject": "Dryer stops after ten minutes",
                    "partner_id": self.customer_contact.id,
                    "type_id": self.type_complaint.id,
                    "team_id": self.team.id,
                    "user_id": self.user.id,
                }
            )
            case.action_confirm()
            env.flush_all()
            env.cr.flush()
        before = case.date_expected_end
        with freeze_time(NOW + timedelta(hours=2)):
            wizard = env["complaint.case.request.completion"].create(
                {"case_id": case.id, "missing_info": "<p>The serial number, please.</p>"}
            )
            wizard.action_confirm()
            env.flush_all()
            env.cr.flush()
        self.assertNotEqual(case.date_expected_end, before)
        message = case.message_ids.filtered(
            lambda m: "date_expected_end" in m.tracking_value_ids.field_id.mapped("name")
        )[:1]
        self.assertTrue(message, "the move of the expected end is in the chatter")
        self.assertIn("asked to complete", message.body)
        self.assertIn("paused", message.body)
