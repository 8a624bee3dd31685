"""Decisions and approvals driven as the web client does, over JSON-RPC: an
error rolls the whole request back, as in production."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import JsonRpcMixin, WorkflowCommon

APPROVAL_ACTIVITY = "complaint_workflow.mail_activity_type_complaint_approval"


@tagged("post_install", "-at_install")
class TestDecisionRpc(JsonRpcMixin, WorkflowCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["complaint.approval.rule"].create(
            {
                "name": "Costly claims",
                "min_cost": 500,
                "step_ids": [Command.create({"sequence": 1, "user_id": cls.other_user.id})],
            }
        )
        cls.case = cls._costly_case(cls.user)

    @classmethod
    def _costly_case(cls, handler):
        case = cls._create_case(
            user_id=handler.id,
            team_id=cls.team.id,
            cost_line_ids=[Command.create({"cost_type": "refund", "amount": 800})],
        )
        case.action_confirm()
        return case

    def _as(self, user):
        self.authenticate(user.login, user.login)

    def _request_decision(self, case, decision="accepted"):
        """The Decide wizard, filled in and confirmed by the logged-in user."""
        wizard_id, error = self._call_kw(
            "complaint.case.decide",
            "create",
            [{"case_id": case.id, "decision": decision, "resolution": "refund"}],
        )
        self.assertFalse(error)
        return self._call_button("complaint.case.decide", "action_confirm", wizard_id)

    def _answer(self, approval, method):
        wizard_id, error = self._call_kw(
            "complaint.approval.answer",
            "create",
            [{"approval_id": approval.id, "comment": "Checked the photos"}],
        )
        self.assertFalse(error)
        return self._call_button("complaint.approval.answer", method, wizard_id)

    def _approval_activities(self, case):
        return case.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL_ACTIVITY)
        )

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_decide_wizard_speaks_the_users_language(self):
        """The wizard borrows the case's choices: the web client gets them
        translated, as it gets the case's own."""
        self.env["res.lang"]._activate_lang("fi_FI")
        self.env["ir.module.module"]._load_module_terms(["complaint_workflow"], ["fi_FI"])
        self._as(self.user)
        names = ["decision", "resolution"]
        case_fields, error = self._call_kw(
            "complaint.case", "fields_get", [names], context={"lang": "fi_FI"}
        )
        self.assertFalse(error)
        wizard_fields, error = self._call_kw(
            "complaint.case.decide", "fields_get", [names], context={"lang": "fi_FI"}
        )
        self.assertFalse(error)
        for name in names:
            self.assertEqual(wizard_fields[name]["selection"], case_fields[name]["selection"])
        labels = dict(wizard_fields["decision"]["selection"])
        self.assertEqual(labels["partly_accepted"], "Osittain hyväksytty")

    def test_decide_records_approval_requests_and_activities(self):
        self._as(self.user)
        result, error = self._request_decision(self.case)
        self.assertFalse(error)
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("waits for approval", result["params"]["message"])
        approval = self.case.approval_ids
        self.assertEqual(approval.mapped("state"), ["pending"])
        self.assertEqual(approval.user_id, self.other_user)
        self.assertEqual(self.case.approval_state, "pending")
        self.assertEqual(self._approval_activities(self.case).user_id, self.other_user)
        self.assertEqual((self.case.state, self.case.decision), ("in_progress", False))
        # asking again neither duplicates the requests nor the activities
        self._request_decision(self.case)
        self.assertEqual(len(self.case.approval_ids), 1)
        self.assertEqual(len(self._approval_activities(self.case)), 1)

    def test_approval_state_cannot_be_written(self):
        self._as(self.user)
        self._request_decision(self.case)
        approval = self.case.approval_ids
        for user in (self.user, self.other_user, self.manager):
            with self.subTest(user=user.login):
                self._as(user)
                _result, error = self._call_kw(
                    "complaint.approval", "write", [approval.ids, {"state": "approved"}]
                )
                self.assertTrue(error)
                self.assertEqual(approval.state, "pending")
        self._as(self.user)
        _result, error = self._call_kw(
            "complaint.case",
            "write",
            [self.case.ids, {"approval_ids": [Command.update(approval.id, {"state": "approved"})]}],
        )
        self.assertTrue(error)
        _result, error = self._call_kw(
            "complaint.approval",
            "create",
            [{"case_id": self.case.id, "user_id": self.user.id, "state": "approved"}],
        )
        self.assertTrue(error)
        self.assertEqual(self.case.approval_ids, approval)
        self.assertEqual(self.case.approval_state, "pending")

    def test_no_door_reaches_decided_or_closed_without_decision(self):
        self._as(self.user)
        self._request_decision(self.case)
        doors = {
            "statusbar to decided": (
                "web_save",
                [self.case.ids, {"stage_id": self.stage_decided.id}],
                {"specification": {"stage_id": {}}},
            ),
            "statusbar to closed": (
                "web_save",
                [self.case.ids, {"stage_id": self.stage_closed.id}],
                {"specification": {"stage_id": {}}},
            ),
            "state decided": ("write", [self.case.ids, {"state": "decided"}], {}),
            "state closed": ("write", [self.case.ids, {"state": "closed"}], {}),
            "sync context key": (
                "write",
                [self.case.ids, {"stage_id": self.stage_decided.id}],
                {"context": {"complaint_stage_sync": True}},
            ),
            "sync context key with state": (
                "write",
                [self.case.ids, {"state": "closed"}],
                {"context": {"complaint_stage_sync": True}},
            ),
        }
        for door, (method, args, kwargs) in doors.items():
            with self.subTest(door=door):
                _result, error = self._call_kw("complaint.case", method, args, **kwargs)
                self.assertIn("cannot be", error or "")
                self.assertEqual(
                    (self.case.state, self.case.stage_id), ("in_progress", self.stage_analysis)
                )
        for button in ("action_decide", "action_close"):
            with self.subTest(button=button):
                _result, error = self._call_button("complaint.case", button, self.case.id)
                self.assertIn("cannot be", error or "")
                self.assertEqual(self.case.state, "in_progress")
        # nothing but a decision is gated: cancelling stays possible
        _result, error = self._call_button("complaint.case", "action_cancel", self.case.id)
        self.assertFalse(error)
        self.assertEqual(self.case.state, "cancelled")

    def test_decided_case_cannot_be_created_or_imported(self):
        self._as(self.user)
        for state in ("decided", "closed"):
            with self.subTest(state=state):
                _result, error = self._call_kw(
                    "complaint.case",
                    "create",
                    [{"partner_id": self.customer_contact.id, "state": state}],
                )
                self.assertIn("cannot be", error or "")
        result, error = self._call_kw(
            "complaint.case",
            "load",
            [["partner_id/.id", "subject", "state"], [[self.customer_contact.id, "Imp", "closed"]]],
        )
        self.assertFalse(error)
        self.assertFalse(result["ids"])
        self.assertFalse(self.env["complaint.case"].search([("subject", "=", "Imp")]))

    def test_decision_fields_cannot_be_written(self):
        self._as(self.user)
        for values in (
            {"decision": "accepted"},
            {"resolution": "refund"},
            {"date_decision": "2026-02-01 10:00:00"},
        ):
            with self.subTest(values=values):
                _result, error = self._call_kw("complaint.case", "write", [self.case.ids, values])
                self.assertIn("Decide button", error or "")
        self.assertFalse(self.case.decision or self.case.resolution or self.case.date_decision)

    def test_approver_approves_then_decision_is_sent(self):
        self._as(self.user)
        self._request_decision(self.case)
        self._as(self.other_user)
        result, error = self._answer(self.case.approval_ids, "action_approve")
        self.assertFalse(error)
        self.assertEqual(result["type"], "ir.actions.act_window_close")
        approval = self.case.approval_ids
        self.assertEqual((approval.state, approval.approver_id), ("approved", self.other_user))
        self.assertFalse(self._approval_activities(self.case))
        self._as(self.user)
        result, error = self._request_decision(self.case)
        self.assertFalse(error)
        self.assertEqual(result["type"], "ir.actions.act_window_close")
        self.assertEqual((self.case.state, self.case.decision), ("decided", "accepted"))
        self.assertEqual(self.case.stage_id, self.stage_decided)
        self.assertTrue(self.case.date_decision)
        # decided with its approvals: the statusbar closes it, but only a manager reopens it
        _result, error = self._call_kw(
            "complaint.case",
            "web_save",
            [self.case.ids, {"stage_id": self.stage_closed.id}],
            specification={"stage_id": {}},
        )
        self.assertFalse(error)
        self.assertEqual(self.case.state, "closed")
        _result, error = self._call_kw(
            "complaint.case", "write", [self.case.ids, {"stage_id": self.stage_analysis.id}]
        )
        self.assertIn("reopen", error or "")
        self._as(self.manager)
        _result, error = self._call_kw(
            "complaint.case", "write", [self.case.ids, {"stage_id": self.stage_analysis.id}]
        )
        self.assertFalse(error)
        self.assertEqual(self.case.state, "in_progress")

    def test_handler_cannot_approve_own_case(self):
        case = self._costly_case(self.other_user)
        self._as(self.other_user)
        self._request_decision(case)
        self.assertFalse(self._approval_activities(case), "nobody may be asked but the handler")
        _result, error = self._answer(case.approval_ids, "action_approve")
        self.assertIn("somebody else", error or "")
        self.assertEqual(case.approval_ids.state, "pending")
        self._as(self.manager)
        _result, error = self._call_kw(
            "complaint.approval.rule", "write", [self.rule.ids, {"allow_handler_approval": True}]
        )
        self.assertFalse(error)
        self._as(self.other_user)
        _result, error = self._answer(case.approval_ids, "action_approve")
        self.assertFalse(error)
        self.assertEqual(case.approval_ids.state, "approved")

    def test_restart_after_rejection(self):
        self._as(self.user)
        self._request_decision(self.case)
        self._as(self.other_user)
        _result, error = self._answer(self.case.approval_ids, "action_reject")
        self.assertFalse(error)
        self.assertEqual(self.case.approval_state, "rejected")
        self._as(self.user)
        _result, error = self._request_decision(self.case)
        self.assertIn("restart the approvals", error or "")
        _result, error = self._call_button(
            "complaint.case", "action_restart_approvals", self.case.id
        )
        self.assertFalse(error)
        self.assertEqual(self.case.approval_ids.mapped("state"), ["pending"])
        self.assertEqual(self.case.approval_state, "pending")
        self.assertEqual(self._approval_activities(self.case).user_id, self.other_user)
