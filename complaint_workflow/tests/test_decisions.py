from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import MailCommon

from .common import WorkflowCommon


@tagged("post_install", "-at_install")
class TestApprovalsAndDecisions(WorkflowCommon, MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approvers = cls.env["res.groups"].create(
            {"name": "Complaint approvers", "users": [Command.link(cls.other_user.id)]}
        )
        cls.rule = cls.env["complaint.approval.rule"].create(
            {
                "name": "Costly claims",
                "min_cost": 500,
                "step_ids": [
                    Command.create({"sequence": 1, "user_id": cls.manager.id}),
                    Command.create({"sequence": 2, "group_id": cls.approvers.id}),
                ],
            }
        )

    def _decide(self, case, decision="accepted", resolution="refund", user=None):
        wizard = Form(
            self.env["complaint.case.decide"]
            .with_user(user or self.user)
            .with_context(default_case_id=case.id)
        )
        wizard.decision = decision
        wizard.resolution = resolution
        wizard.decision_note = "<p>The seal was faulty.</p>"
        return wizard.save().action_confirm()

    def _costly_case(self):
        case = self._create_case(
            user_id=self.user.id,
            cost_line_ids=[Command.create({"cost_type": "refund", "amount": 800})],
        )
        case.action_confirm()
        return case

    def test_decision_sends_template_and_records_date(self):
        case = self._create_case(user_id=self.user.id)
        case.action_confirm()
        with self.mock_mail_gateway():
            self._decide(case)
        self.assertEqual(
            (case.decision, case.resolution, case.state), ("accepted", "refund", "decided")
        )
        self.assertEqual(case.stage_id, self.stage_decided)
        self.assertTrue(case.date_decision)
        mail = self._new_mails.filtered(lambda m: self.customer_contact in m.recipient_ids)
        self.assertEqual(mail.subject, f"{case.name}: your claim is accepted")

    def test_rejection_uses_its_own_template(self):
        case = self._create_case(user_id=self.user.id)
        case.action_confirm()
        with self.mock_mail_gateway():
            self._decide(case, decision="rejected", resolution="none")
        mail = self._new_mails.filtered(lambda m: self.customer_contact in m.recipient_ids)
        self.assertIn("could not accept", mail.body_html)

    def test_costly_decision_waits_for_approvals_in_order(self):
        case = self._costly_case()
        action = self._decide(case)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(case.state, "in_progress")
        self.assertFalse(case.decision)
        first, second = case.approval_ids.sorted("sequence")
        self.assertEqual(case.approval_state, "pending")
        with self.assertRaises(UserError) as error:
            second.with_user(self.other_user)._answer(True, "ok")
        self.assertIn("first pending", str(error.exception))
        with self.assertRaises(UserError) as error:
            first.with_user(self.other_user)._answer(True, "ok")
        self.assertIn("not an approver", str(error.exception))
        asked = case.activity_ids.filtered(lambda a: a.summary == f"Approve case {case.name}")
        self.assertEqual(asked.user_id, self.manager, "only the step now due is asked")
        first.with_user(self.manager)._answer(True, "Fine by me")
        asked = case.activity_ids.filtered(lambda a: a.summary == f"Approve case {case.name}")
        self.assertEqual(asked.user_id, self.other_user, "then the users of the group")
        second.with_user(self.other_user)._answer(True, "Group agrees")
        self.assertEqual(case.approval_state, "approved")
        self.assertTrue(case.message_ids.filtered(lambda m: "Fine by me" in (m.body or "")))
        self._decide(case)
        self.assertEqual(case.state, "decided")

    def test_rejected_approval_blocks_until_restarted(self):
        case = self._costly_case()
        self.env["complaint.approval.rule"]._create_approvals(case)
        case.approval_ids.sorted("sequence")[0].with_user(self.manager)._answer(
            False, "Too expensive"
        )
        self.assertEqual(case.approval_state, "rejected")
        with self.assertRaises(UserError) as error:
            self._decide(case)
        self.assertIn("restart the approvals", str(error.exception))
        self.assertEqual(case.state, "in_progress")
        self.env["complaint.approval.rule"]._restart_approvals(case)
        self.assertEqual(case.approval_state, "pending")

    def test_absent_approver_is_replaced_by_deputy(self):
        self.manager.write(
            {"complaint_deputy_id": self.other_user.id, "complaint_absent_from": "2000-01-01"}
        )
        case = self._costly_case()
        self.env["complaint.approval.rule"]._create_approvals(case)
        first = case.approval_ids.sorted("sequence")[0]
        self.assertEqual(first.effective_user_id, self.other_user)
        self.assertIn(
            self.other_user,
            case.activity_ids.filtered(lambda a: a.summary == f"Approve case {case.name}").user_id,
        )
        first.with_user(self.other_user)._answer(True, "As deputy")
        self.assertEqual(first.approver_id, self.other_user)

    def test_approvals_are_not_duplicated(self):
        case = self._costly_case()
        rules = self.env["complaint.approval.rule"]
        rules._create_approvals(case)
        rules._create_approvals(case)
        self.assertEqual(len(case.approval_ids), 2)

    def test_cheap_case_needs_no_approval(self):
        case = self._create_case(user_id=self.user.id)
        case.action_confirm()
        self._decide(case)
        self.assertEqual(case.approval_state, "none")
        self.assertEqual(case.state, "decided")
