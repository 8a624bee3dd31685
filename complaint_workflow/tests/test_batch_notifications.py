from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .test_routing import RoutingCommon

NOW = datetime(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestBatchNotifications(RoutingCommon):
    """Work done on many cases at once tells each person once, with the list
    of the cases, instead of one e-mail per case."""

    def _notifications(self, user):
        return self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", user.partner_id.ids),
            ]
        )

    def _new_cases(self, count, **values):
        return self.env["complaint.case"].create(
            [
                {
                    "subject": f"Claim {index}",
                    "partner_id": self.customer_contact.id,
                    "type_id": self.type_complaint.id,
                    **values,
                }
                for index in range(count)
            ]
        )

    def test_routing_a_batch_tells_each_handler_once(self):
        self._rule(assign_method="fixed", user_id=self.other_user.id)
        before = self._notifications(self.other_user)
        cases = self._new_cases(5, user_id=False, team_id=False)
        self.assertEqual(cases.user_id, self.other_user)
        notifications = self._notifications(self.other_user) - before
        self.assertEqual(len(notifications), 1)
        self.assertIn("5", notifications.subject)
        for case in cases:
            self.assertIn(case.name, notifications.body)
        self.assertIn(self.other_user.partner_id, cases.message_partner_ids)

    def test_assigning_one_case_keeps_the_assignment_e_mail(self):
        case = self._new_cases(1, user_id=self.manager.id, team_id=False)
        before = self._notifications(self.other_user)
        case.user_id = self.other_user
        notifications = self._notifications(self.other_user) - before
        self.assertEqual(len(notifications), 1)
        self.assertIn(case.name, notifications.subject)

    def test_overdue_batch_tells_each_responsible_once(self):
        with freeze_time(NOW):
            cases = self._new_cases(3, user_id=self.user.id, team_id=self.team.id)
        before_user = self._notifications(self.user)
        before_leader = self._notifications(self.manager)
        with freeze_time(NOW + timedelta(days=3)):
            self.env["complaint.case"]._cron_check_deadlines()
        self.assertTrue(all(cases.mapped("stage_escalated")))
        for case in cases:
            note = case.message_ids.filtered(lambda m: "is overdue" in (m.body or ""))
            self.assertEqual(note.partner_ids, self.user.partner_id | self.manager.partner_id)
        for user, before in ((self.user, before_user), (self.manager, before_leader)):
            notifications = self._notifications(user) - before
            self.assertEqual(len(notifications), 1, user.name)
            for case in cases:
                self.assertIn(case.name, notifications.body)

    def test_reminders_of_a_batch_tell_the_handler_once(self):
        with freeze_time(NOW):
            cases = self._new_cases(3, user_id=self.user.id, team_id=self.team.id)
        before = self._notifications(self.user)
        with freeze_time(NOW + timedelta(days=1, hours=10)):
            self.env["complaint.case"]._cron_check_deadlines()
        self.assertTrue(all(cases.mapped("stage_reminder_sent")))
        self.assertEqual(cases.activity_ids.user_id, self.user)
        self.assertEqual(len(cases.activity_ids), 3)
        notifications = self._notifications(self.user) - before
        self.assertEqual(len(notifications), 1)
        for case in cases:
            self.assertIn(case.name, notifications.body)
