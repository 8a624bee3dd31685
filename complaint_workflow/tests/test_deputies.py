from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import WorkflowCommon

NOW = datetime(2026, 7, 6, 10, 0)  # a Monday


@tagged("post_install", "-at_install")
class TestDeputies(WorkflowCommon):
    def _give_time_off(self, user, date_from, date_to):
        """Time off for ``user`` in their working calendar; test users are no
        employees, so they get a resource of their own."""
        resource = user.resource_ids[:1] or self.env["resource.resource"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "calendar_id": self.env.ref("resource.resource_calendar_std").id,
            }
        )
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "resource_id": resource.id,
                "calendar_id": resource.calendar_id.id,
                "date_from": date_from,
                "date_to": date_to,
            }
        )

    def test_out_of_office_dates_make_the_user_absent(self):
        self.user.write(
            {"complaint_absent_from": date(2026, 7, 6), "complaint_absent_to": date(2026, 7, 10)}
        )
        for day, absent in [(5, False), (6, True), (10, True), (11, False)]:
            with self.subTest(day=day), freeze_time(datetime(2026, 7, day, 10)):
                self.assertEqual(self.user._complaint_is_absent(), absent)

    @freeze_time(NOW)
    def test_open_ended_absence_lasts(self):
        self.user.complaint_absent_from = date(2026, 7, 1)
        self.assertTrue(self.user._complaint_is_absent(datetime(2027, 1, 1)))

    @freeze_time(NOW)
    def test_absent_user_is_replaced_by_the_deputy(self):
        self.user.write(
            {"complaint_absent_from": date(2026, 7, 6), "complaint_deputy_id": self.other_user.id}
        )
        self.assertEqual(self.user._complaint_available_user(), self.other_user)
        self.assertEqual(self.other_user._complaint_available_user(), self.other_user)

    def test_time_off_in_the_calendar_makes_the_user_absent(self):
        self._give_time_off(self.user, "2026-07-01 00:00:00", "2026-07-15 23:59:59")
        self.user.complaint_deputy_id = self.other_user
        during, after = datetime(2026, 7, 5, 10), datetime(2026, 8, 5, 10)
        self.assertTrue(self.user._complaint_is_absent(during))
        self.assertEqual(self.user._complaint_available_user(during), self.other_user)
        self.assertFalse(self.user._complaint_is_absent(after))
        self.assertEqual(self.user._complaint_available_user(after), self.user)

    @freeze_time(NOW)
    def test_routing_follows_time_off(self):
        self._give_time_off(self.other_user, "2026-07-06 00:00:00", "2026-07-06 23:59:59")
        self.other_user.complaint_deputy_id = self.user
        self.env["complaint.routing.rule"].create({"name": "Otto", "user_id": self.other_user.id})
        case = self._create_case(user_id=False, team_id=False)
        self.assertEqual(case.user_id, self.user)
        self.assertTrue(case.message_ids.filtered(lambda m: "is absent" in (m.body or "")))

    @freeze_time(NOW)
    def test_deputy_chain_skips_absent_deputies(self):
        self.user.write({"complaint_deputy_id": self.other_user.id, "complaint_absent_from": NOW})
        self.other_user.write(
            {"complaint_deputy_id": self.manager.id, "complaint_absent_from": NOW}
        )
        self.assertEqual(self.user._complaint_available_user(), self.manager)

    @freeze_time(NOW)
    def test_everyone_absent_keeps_the_user(self):
        self.user.write({"complaint_deputy_id": self.other_user.id, "complaint_absent_from": NOW})
        self.other_user.complaint_absent_from = NOW
        self.assertEqual(self.user._complaint_available_user(), self.user)

    @freeze_time(NOW)
    def test_absent_user_without_deputy_is_kept(self):
        self.user.complaint_absent_from = NOW
        self.assertEqual(self.user._complaint_available_user(), self.user)

    def test_deputy_cycle_is_refused(self):
        self.user.complaint_deputy_id = self.other_user
        self.other_user.complaint_deputy_id = self.manager
        with self.assertRaisesRegex(ValidationError, "in a circle"):
            self.manager.complaint_deputy_id = self.user
        with self.assertRaisesRegex(ValidationError, "in a circle"):
            self.user.complaint_deputy_id = self.user

    def test_deputy_must_be_a_complaint_user(self):
        outsiders = {
            "portal": new_test_user(self.env, login="deputy_portal", groups="base.group_portal"),
            "employee": new_test_user(self.env, login="deputy_employee", groups="base.group_user"),
        }
        for kind, outsider in outsiders.items():
            with self.subTest(kind=kind):
                with self.assertRaises(ValidationError) as caught:
                    self.user.complaint_deputy_id = outsider
                self.assertIn("internal user with access to complaints", str(caught.exception))
        self.user.complaint_deputy_id = self.other_user
        self.assertEqual(self.user.complaint_deputy_id, self.other_user)

    def test_absence_period_must_be_ordered(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.user.write(
                {"complaint_absent_from": "2026-05-10", "complaint_absent_to": "2026-05-01"}
            )

    def test_users_set_their_own_deputy_in_preferences(self):
        own = self.user.with_user(self.user)
        with Form(own, view="base.view_users_form_simple_modif") as preferences:
            preferences.complaint_deputy_id = self.other_user
            preferences.complaint_absent_from = date(2026, 7, 6)
            preferences.complaint_absent_to = date(2026, 7, 10)
        self.assertEqual(self.user.complaint_deputy_id, self.other_user)
        self.assertEqual(self.user.complaint_absent_to, date(2026, 7, 10))
