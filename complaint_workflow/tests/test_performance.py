from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .test_routing import RoutingCommon

NOW = datetime(2026, 3, 2, 9, 0)
# routing a batch of 20 new cases (numbers, stage entry, SLA, routing, one
# "assigned to you" message per handler)
ROUTE_TWENTY = 87
# the deadline cron escalating 20 overdue cases, and reminding 20 others:
# grouped, so the count does not grow with the cases
ESCALATE_TWENTY = 32
REMIND_TWENTY = 53


@tagged("post_install", "-at_install", "complaint_performance")
class TestWorkflowPerformance(RoutingCommon):
    def _values(self, count, **values):
        return [
            {
                "subject": f"Claim {index}",
                "partner_id": self.customer_contact.id,
                "type_id": self.type_complaint.id,
                **values,
            }
            for index in range(count)
        ]

    def test_query_count_route_twenty_cases(self):
        self._rule(team_id=self.warehouse_team.id)
        Case = self.env["complaint.case"]
        Case.create(self._values(20, user_id=False, team_id=False))
        self.env.flush_all()
        with self.assertQueryCount(ROUTE_TWENTY):
            cases = Case.create(self._values(20, user_id=False, team_id=False))
            self.env.flush_all()
        self.assertEqual(cases.user_id, self.members)

    def _cron_at(self, when):
        with freeze_time(when):
            self.env["complaint.case"]._cron_check_deadlines()
            self.env.flush_all()

    def test_query_count_escalate_twenty_cases(self):
        with freeze_time(NOW):
            Case = self.env["complaint.case"]
            warm = Case.create(self._values(5, user_id=self.user.id, team_id=self.team.id))
            cases = Case.create(self._values(20, user_id=self.user.id, team_id=self.team.id))
        self._cron_at(NOW + timedelta(days=1, hours=10))
        (cases | warm).write({"date_stage_deadline": NOW + timedelta(days=2)})
        cases.write({"date_stage_deadline": NOW + timedelta(days=4)})
        self._cron_at(NOW + timedelta(days=3))
        self.assertTrue(all(warm.mapped("stage_escalated")))
        with self.assertQueryCount(ESCALATE_TWENTY), freeze_time(NOW + timedelta(days=5)):
            self.env["complaint.case"]._cron_check_deadlines()
            self.env.flush_all()
        self.assertTrue(all(cases.mapped("stage_escalated")))

    def test_query_count_remind_twenty_cases(self):
        with freeze_time(NOW):
            Case = self.env["complaint.case"]
            warm = Case.create(self._values(5, user_id=self.user.id, team_id=self.team.id))
            cases = Case.create(self._values(20, user_id=self.user.id, team_id=self.team.id))
        cases.write(
            {
                "date_stage_reminder": NOW + timedelta(days=2, hours=12),
                "date_stage_deadline": NOW + timedelta(days=4),
            }
        )
        self._cron_at(NOW + timedelta(days=1, hours=10))
        self.assertTrue(all(warm.mapped("stage_reminder_sent")))
        with self.assertQueryCount(REMIND_TWENTY), freeze_time(NOW + timedelta(days=2, hours=13)):
            self.env["complaint.case"]._cron_check_deadlines()
            self.env.flush_all()
        self.assertTrue(all(cases.mapped("stage_reminder_sent")))
