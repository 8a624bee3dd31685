"""The Settle button driven as the web client does, over JSON-RPC: an error
rolls the whole request back, as in production."""

import json

from odoo.tests import HttpCase, tagged

from .common import RmaSettlementCommon


@tagged("post_install", "-at_install")
class TestSettlementRpc(RmaSettlementCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        __, __, cls.invoice = cls._sell([(cls.product, 4, 250.0, 0.0)])
        cls.case = cls._claim(cls.invoice, {cls.product: 2})

    def _jsonrpc(self, route, params):
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        self.env.invalidate_all()
        return body.get("result"), body.get("error", {}).get("data", {}).get("message")

    def _call_button(self, model, method, record_id):
        return self._jsonrpc(
            "/web/dataset/call_button",
            {"model": model, "method": method, "args": [[record_id]], "kwargs": {}},
        )

    def _open_wizard(self):
        action, error = self._call_button(
            "complaint.case", "action_open_settle_wizard", self.case.id
        )
        self.assertFalse(error)
        return action["res_id"]

    def test_settle_button_credits_the_case(self):
        self.authenticate(self.accountant.login, self.accountant.login)
        wizard_id = self._open_wizard()
        action, error = self._call_button("complaint.case.settle", "action_confirm", wizard_id)
        self.assertFalse(error)
        credit_note = self.case.credit_note_ids
        self.assertEqual(action["res_id"], credit_note.id)
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(self.case.settlement_state, "settled")

    def test_second_settlement_of_the_same_quantities_rolls_back(self):
        self.authenticate(self.accountant.login, self.accountant.login)
        first = self._open_wizard()
        second = self._open_wizard()
        __, error = self._call_button("complaint.case.settle", "action_confirm", first)
        self.assertFalse(error)
        __, error = self._call_button("complaint.case.settle", "action_confirm", second)
        self.assertIn("already credited", error)
        self.assertEqual(len(self.case.credit_note_ids), 1)
        self.assertEqual(self.case.line_ids.qty_credited, 2)
        self.assertEqual(len(self.case.cost_line_ids), 1)

    def test_handler_without_invoicing_rights_cannot_settle(self):
        self.authenticate(self.handler.login, self.handler.login)
        __, error = self._call_button("complaint.case", "action_open_settle_wizard", self.case.id)
        self.assertIn("Only invoicing users", error)
        self.assertFalse(self.case.credit_note_ids)
