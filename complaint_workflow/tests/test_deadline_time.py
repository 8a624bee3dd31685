from datetime import date, datetime, timedelta

import pytz
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

from .common import WorkflowCommon

WARSAW = pytz.timezone("Europe/Warsaw")


def warsaw(*args):
    """A Warsaw wall-clock time as the naive UTC datetime Odoo stores."""
    return WARSAW.localize(datetime(*args)).astimezone(pytz.utc).replace(tzinfo=None)


class DeadlineTimeCommon(WorkflowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Europe/Warsaw"
        cls.calendar = cls.env.ref("resource.resource_calendar_std")
        cls.calendar.tz = "Europe/Warsaw"
        cls.company.resource_calendar_id = cls.calendar

    def _create_statutory(self, received, **values):
        with freeze_time(received):
            return self._create_case(
                type_id=self.type_statutory.id, date_received=received, **values
            )


@tagged("post_install", "-at_install")
class TestStatutoryDeadline(DeadlineTimeCommon):
    def test_counts_calendar_days_from_the_local_day_of_receipt(self):
        case = self._create_statutory(warsaw(2026, 3, 2, 22, 30))
        self.assertEqual(case.date_statutory_deadline, warsaw(2026, 3, 16, 23, 59, 59))
        self.assertEqual(case.date_statutory_deadline, datetime(2026, 3, 16, 22, 59, 59))

    def test_ends_at_local_midnight_after_the_dst_change(self):
        case = self._create_statutory(warsaw(2026, 3, 20, 10, 0))
        self.assertEqual(case.date_statutory_deadline, datetime(2026, 4, 3, 21, 59, 59))

    def test_runs_over_new_year(self):
        case = self._create_statutory(warsaw(2026, 12, 23, 15, 0))
        self.assertEqual(case.date_statutory_deadline, datetime(2027, 1, 6, 22, 59, 59))

    def test_new_year_night_counts_from_the_local_day(self):
        received = warsaw(2027, 1, 1, 0, 30)
        self.assertEqual(received.date(), date(2026, 12, 31), "still 31 December in UTC")
        case = self._create_statutory(received)
        self.assertEqual(case.date_statutory_deadline, warsaw(2027, 1, 15, 23, 59, 59))

    def test_company_time_zone_falls_back_to_calendar_then_utc(self):
        case = self._create_case()
        self.assertEqual(case._complaint_tz().zone, "Europe/Warsaw")
        self.company.partner_id.tz = False
        self.calendar.tz = "Europe/Helsinki"
        self.assertEqual(case._complaint_tz().zone, "Europe/Helsinki")
        self.company.resource_calendar_id = False
        self.assertEqual(case._complaint_tz(), pytz.utc)

    def test_deemed_accepted_once_the_last_day_has_passed(self):
        case = self._create_statutory(warsaw(2026, 3, 2, 10, 0), user_id=self.user.id)
        deadline = case.date_statutory_deadline
        with freeze_time(deadline):
            self.env["complaint.case"]._cron_check_deadlines()
        self.assertFalse(case.deemed_accepted)
        with freeze_time(deadline + timedelta(seconds=1)):
            self.env["complaint.case"]._cron_check_deadlines()
        self.assertTrue(case.deemed_accepted)


@tagged("post_install", "-at_install")
class TestWorkingDays(DeadlineTimeCommon):
    FRIDAY = warsaw(2026, 3, 6, 11, 0)

    def setUp(self):
        super().setUp()
        self.stage_new.write({"deadline_amount": 3, "deadline_unit": "working_days"})

    def _holiday(self, day):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": warsaw(day.year, day.month, day.day, 0, 0),
                "date_to": warsaw(day.year, day.month, day.day, 23, 59, 59),
            }
        )

    def test_working_days_end_with_the_last_working_day(self):
        with freeze_time(self.FRIDAY):
            case = self._create_case(user_id=False, team_id=False)
        # Monday, Tuesday, Wednesday; the working day ends at 17:00 in Warsaw
        self.assertEqual(case.date_stage_deadline, warsaw(2026, 3, 11, 17, 0))

    def test_public_holiday_is_skipped(self):
        self._holiday(date(2026, 3, 10))
        with freeze_time(self.FRIDAY):
            case = self._create_case(user_id=False, team_id=False)
        self.assertEqual(case.date_stage_deadline, warsaw(2026, 3, 12, 17, 0))

    def test_working_days_end_in_local_time_after_the_dst_change(self):
        with freeze_time(warsaw(2026, 3, 26, 11, 0)):
            case = self._create_case(user_id=False, team_id=False)
        # Friday, Monday, Tuesday: 17:00 in summer time is 15:00 UTC
        self.assertEqual(case.date_stage_deadline, datetime(2026, 3, 31, 15, 0))

    def test_working_days_count_in_the_calendar_time_zone(self):
        # Monday 00:30 in Warsaw, still Sunday in UTC: Monday is the day of entry
        with freeze_time(warsaw(2026, 3, 9, 0, 30)):
            case = self._create_case(user_id=False, team_id=False)
        self.assertEqual(case.date_stage_deadline, warsaw(2026, 3, 12, 17, 0))

    def test_paused_sla_replans_the_working_days_left(self):
        policy = self.env["complaint.sla.policy"].create(
            {"name": "3 working days", "target_amount": 3, "target_unit": "working_days"}
        )
        with freeze_time(self.FRIDAY):
            case = self._create_case(user_id=False, team_id=False, date_received=self.FRIDAY)
        line = case.sla_line_ids.filtered(lambda sla: sla.policy_id == policy)
        self.assertEqual(line.date_deadline, warsaw(2026, 3, 11, 17, 0))
        with freeze_time(warsaw(2026, 3, 9, 10, 0)):
            case.stage_id = self.stage_waiting
        with freeze_time(warsaw(2026, 3, 12, 8, 0)):
            case.stage_id = self.stage_analysis
        # Tuesday and Wednesday were left: Friday and Monday after the resumption
        self.assertEqual(line.date_deadline, warsaw(2026, 3, 16, 17, 0))


@tagged("post_install", "-at_install")
class TestDeadlineSettingChanges(DeadlineTimeCommon):
    NOW = datetime(2026, 3, 2, 9, 0)

    def setUp(self):
        super().setUp()
        self.open_case = self._create_statutory(self.NOW, user_id=self.user.id)
        self.decided = self._create_statutory(self.NOW, user_id=self.user.id)
        self.closed = self._create_statutory(self.NOW, user_id=self.user.id)
        self.cancelled = self._create_statutory(self.NOW, user_id=self.user.id)
        with freeze_time(self.NOW + timedelta(days=1)):
            self.decided.write(
                {
                    "stage_id": self.stage_decided.id,
                    "decision": "rejected",
                    "date_decision": self.NOW + timedelta(days=1),
                }
            )
            self._send_decision(self.closed)
            self.closed.stage_id = self.stage_closed
            self.cancelled.action_cancel()
        self.finished = self.decided | self.closed | self.cancelled

    def test_type_days_change_moves_open_cases_only(self):
        before = self.finished.mapped("date_statutory_deadline")
        self.type_statutory.deadline_days = 3
        self.assertEqual(self.open_case.date_statutory_deadline, warsaw(2026, 3, 5, 23, 59, 59))
        self.assertEqual(self.finished.mapped("date_statutory_deadline"), before)
        self.assertEqual(before, [warsaw(2026, 3, 16, 23, 59, 59)] * 3)
        with freeze_time(self.NOW + timedelta(days=5)):
            self.env["complaint.case"]._cron_check_deadlines()
        self.assertTrue(self.open_case.deemed_accepted)
        self.assertFalse(any(self.finished.mapped("deemed_accepted")))

    def test_sla_policy_days_change_moves_open_cases_only(self):
        policy = self.sla_statutory
        open_line = self.open_case.sla_line_ids.filtered(lambda line: line.policy_id == policy)
        decided_line = self.decided.sla_line_ids.filtered(lambda line: line.policy_id == policy)
        # even a clock still counting stays as it was once the decision was sent
        decided_line.write({"state": "running", "date_reached": False})
        before = decided_line.date_deadline
        policy.target_amount = 10
        self.assertEqual(open_line.date_deadline, self.NOW + timedelta(days=10))
        self.assertEqual(decided_line.date_deadline, before)

    def test_sla_policy_days_change_keeps_the_paused_time(self):
        policy = self.env["complaint.sla.policy"].create(
            {"name": "Two weeks", "target_amount": 14, "pause_when_waiting": True}
        )
        case = self._create_statutory(self.NOW)
        line = case.sla_line_ids.filtered(lambda line: line.policy_id == policy)
        with freeze_time(self.NOW + timedelta(days=1)):
            case.stage_id = self.stage_waiting
        with freeze_time(self.NOW + timedelta(days=3)):
            case.stage_id = self.stage_analysis
        self.assertEqual(line.date_deadline, self.NOW + timedelta(days=16))
        policy.target_amount = 10
        self.assertEqual(line.date_deadline, self.NOW + timedelta(days=12))

    def test_negative_durations_are_refused(self):
        with self.assertRaises(ValidationError):
            self.stage_new.deadline_amount = -1
        with self.assertRaises(ValidationError):
            self.stage_new.reminder_hours = -2
        with self.assertRaises(ValidationError):
            self.sla_statutory.target_amount = -14
        with self.assertRaises(ValidationError):
            self.env["complaint.task.template"].create(
                {"stage_id": self.stage_new.id, "name": "Call back", "deadline_days": -1}
            )


@tagged("post_install", "-at_install")
class TestDeadlineFilters(DeadlineTimeCommon):
    # 00:30 on 11 March in Warsaw, still 10 March in UTC
    NOW = datetime(2026, 3, 10, 23, 30)

    def _filter_domain(self, name):
        """The domain of a search view filter, evaluated as the web client does:
        now() and context_today() are the wall clock of the user."""
        Case = self.env["complaint.case"].with_user(self.manager)
        arch = Case.get_views([(False, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")[0]
        local_now = pytz.utc.localize(self.NOW).astimezone(WARSAW).replace(tzinfo=None)
        context = {
            "now": lambda: local_now,
            "context_today": local_now.date,
            "datetime": safe_datetime,
            "time": safe_time,
            "relativedelta": relativedelta,
        }
        return safe_eval(node.get("domain"), context)

    def _search_filter(self, name, cases):
        Case = self.env["complaint.case"].with_user(self.manager)
        with freeze_time(self.NOW):
            domain = self._filter_domain(name)
            return Case.search([("id", "in", cases.ids), *domain])

    def test_overdue_and_due_this_week_read_the_same_clock(self):
        self.manager.tz = "Europe/Warsaw"
        with freeze_time(self.NOW - timedelta(days=1)):
            cases = [self._create_case(user_id=self.user.id) for _i in range(5)]
        deadlines = [
            self.NOW - timedelta(minutes=10),
            self.NOW + timedelta(minutes=20),
            warsaw(2026, 3, 18, 23, 0),  # the seventh day after today, in Warsaw
            warsaw(2026, 3, 19, 0, 30),  # the day after
            self.NOW + timedelta(days=30),  # the SLA of 14 days binds: 23 March
        ]
        for case, deadline in zip(cases, deadlines, strict=True):
            case.date_stage_deadline = deadline
        cases = self.env["complaint.case"].concat(*cases)
        late, soon, last_day, next_week, later = cases
        self.assertEqual(self._search_filter("overdue", cases), late)
        self.assertEqual(self._search_filter("due_this_week", cases), soon | last_day)
        with freeze_time(self.NOW):
            cases.invalidate_recordset(["deadline_status", "due_this_week"])
            self.assertEqual(cases.filtered(lambda c: c.deadline_status == "overdue"), late)
            self.assertEqual(
                cases.with_user(self.manager).filtered("due_this_week"), soon | last_day
            )
            self.assertEqual(
                self.env["complaint.case"].search(
                    [("id", "in", cases.ids), ("due_this_week", "=", False)]
                ),
                late | next_week | later,
            )
