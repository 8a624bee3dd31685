from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import WorkflowCommon

NOW = datetime(2026, 3, 2, 9, 0)
CASE_LOGGER = "odoo.addons.complaint_workflow.models.complaint_case_deadline"


@tagged("post_install", "-at_install")
class TestDeadlineCron(WorkflowCommon):
    def _run_cron(self, at, **kwargs):
        with freeze_time(at):
            return self.env["complaint.case"]._cron_check_deadlines(**kwargs)

    def _notes(self, case, text):
        return case.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_reminder_before_stage_deadline_is_sent_once(self):
        with freeze_time(NOW):
            case = self._create_case(user_id=self.user.id)
        self._run_cron(NOW + timedelta(days=1, hours=10))
        activity = case.activity_ids.filtered(lambda a: a.summary == "Stage deadline approaching")
        self.assertEqual(activity.user_id, self.user)
        self.assertTrue(case.stage_reminder_sent)
        self._run_cron(NOW + timedelta(days=1, hours=11))
        self.assertEqual(len(case.activity_ids), 1)

    def test_overdue_stage_is_escalated_once_to_handler_and_leader(self):
        with freeze_time(NOW):
            case = self._create_case(user_id=self.user.id, team_id=self.team.id)
        self._run_cron(NOW + timedelta(days=3))
        escalation = self._notes(case, "is overdue")
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.partner_ids, self.user.partner_id | self.manager.partner_id)
        self.assertTrue(case.stage_escalated)
        self.assertGreater(case.date_expected_end, NOW + timedelta(days=3))
        self._run_cron(NOW + timedelta(days=4))
        self.assertEqual(len(self._notes(case, "is overdue")), 1)

    def test_escalation_goes_to_the_deputy_of_an_absent_handler(self):
        self.user.write(
            {
                "complaint_deputy_id": self.other_user.id,
                "complaint_absent_from": "2026-03-04",
            }
        )
        with freeze_time(NOW):
            case = self._create_case(user_id=self.user.id, team_id=self.team.id)
        self._run_cron(NOW + timedelta(days=3))
        escalation = self._notes(case, "is overdue")
        self.assertIn(self.other_user.partner_id, escalation.partner_ids)
        self.assertNotIn(self.user.partner_id, escalation.partner_ids)

    def test_statutory_deadline_without_decision_deems_claim_accepted(self):
        with freeze_time(NOW):
            silent = self._create_case(type_id=self.type_statutory.id, user_id=self.user.id)
            answered = self._create_case(type_id=self.type_statutory.id, user_id=self.user.id)
        answered.write({"date_decision": NOW + timedelta(days=10), "decision": "rejected"})
        # the 14th day after receipt runs to its end
        self._run_cron(NOW + timedelta(days=14, hours=1))
        self.assertFalse(silent.deemed_accepted)
        self._run_cron(NOW + timedelta(days=15))
        self.assertTrue(silent.deemed_accepted)
        self.assertFalse(answered.deemed_accepted)
        alert = self._notes(silent, "deemed accepted")
        self.assertIn(self.manager.partner_id, alert.partner_ids)
        self.assertEqual(
            self.env["complaint.case"].search([("deemed_accepted", "=", True)]), silent
        )

    def test_one_failing_case_does_not_stop_the_run(self):
        with freeze_time(NOW):
            cases = self._create_case(user_id=self.user.id) | self._create_case(
                user_id=self.user.id
            )
        broken = cases[0]
        original = type(cases)._escalate_overdue_stage

        def escalate(cases, now):
            # the cron escalates a batch at once, and case by case when it fails
            if broken in cases:
                raise ValueError("template exploded")
            return original(cases, now)

        with (
            patch.object(type(cases), "_escalate_overdue_stage", escalate),
            self.assertLogs(CASE_LOGGER, level="ERROR") as logs,
        ):
            self._run_cron(NOW + timedelta(days=3))
        self.assertFalse(broken.stage_escalated)
        self.assertTrue(cases[1].stage_escalated)
        self.assertIn(broken.name, logs.output[0])

    def test_cron_works_in_batches(self):
        with freeze_time(NOW):
            cases = self.env["complaint.case"]
            for _i in range(3):
                cases |= self._create_case(user_id=self.user.id)
        done = self._run_cron(NOW + timedelta(days=3), batch_size=2)
        self.assertEqual(done, 2)
        self.assertEqual(len(cases.filtered("stage_escalated")), 2)
        self._run_cron(NOW + timedelta(days=3), batch_size=2)
        self.assertTrue(all(cases.mapped("stage_escalated")))

    def test_closed_cases_are_left_alone(self):
        with freeze_time(NOW):
            case = self._create_case(type_id=self.type_statutory.id)
            case.action_cancel()
        self._run_cron(NOW + timedelta(days=20))
        self.assertFalse(case.stage_escalated)
        self.assertFalse(case.deemed_accepted)

    def _patch_failing(self, failing):
        original = type(failing)._escalate_overdue_stage

        def escalate(cases, now):
            if cases & failing:
                raise ValueError("template exploded")
            return original(cases, now)

        return patch.object(type(failing), "_escalate_overdue_stage", escalate)

    def test_failing_cases_go_to_the_back_and_are_reported(self):
        with freeze_time(NOW):
            failing = self.env["complaint.case"].concat(
                *(self._create_case(user_id=self.user.id) for _i in range(3))
            )
        with freeze_time(NOW + timedelta(hours=1)):
            healthy = self._create_case(user_id=self.user.id) | self._create_case(
                user_id=self.user.id
            )
        due = NOW + timedelta(days=3)
        with self._patch_failing(failing), mute_logger(CASE_LOGGER):
            self._run_cron(due, batch_size=2)
            self._run_cron(due + timedelta(hours=1), batch_size=2)
            self.assertTrue(all(healthy.mapped("stage_escalated")))
            self.assertFalse(any(failing.mapped("stage_escalated")))
            self.assertEqual(failing.mapped("cron_failure_count"), [1, 1, 1])
            for run in range(2, 6):
                self._run_cron(due + timedelta(hours=run), batch_size=2)
        self.assertTrue(all(count >= 3 for count in failing.mapped("cron_failure_count")))
        for case in failing:
            report = self._notes(case, "failed 3 times in a row")
            self.assertEqual(len(report), 1, "reported once")
            self.assertIn(self.manager.partner_id, report.partner_ids)
            self.assertNotIn(self.env.ref("base.partner_root"), report.partner_ids)
        self.assertFalse(healthy.filtered("cron_failure_count"))

    def test_a_case_that_recovers_is_no_longer_held_back(self):
        with freeze_time(NOW):
            case = self._create_case(user_id=self.user.id)
        with self._patch_failing(case), mute_logger(CASE_LOGGER):
            self._run_cron(NOW + timedelta(days=3))
        self.assertEqual(case.cron_failure_count, 1)
        self.assertTrue(case.date_cron_failed)
        self._run_cron(NOW + timedelta(days=3, hours=1))
        self.assertTrue(case.stage_escalated)
        self.assertEqual(case.cron_failure_count, 0)
        self.assertFalse(case.date_cron_failed)
