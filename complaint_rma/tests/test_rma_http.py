"""Return and verification buttons driven as the web client does, over
JSON-RPC: an error rolls the whole request back, as in production."""

import json

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ComplaintRmaCommon


@tagged("post_install", "-at_install")
class TestRmaRpc(ComplaintRmaCommon, HttpCase):
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

    def test_create_return_over_rpc(self):
        case = self._create_return_case(
            [(self.inv_line_plain, 5, False), (self.inv_line_serial, 1, self.lots[0])]
        )
        case.action_confirm()
        # meanwhile the warehouse takes 6 tablets back with Odoo's own return
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_model="stock.picking", active_id=self.delivery.id)
            .create({"picking_id": self.delivery.id})
        )
        wizard.product_return_moves.filtered(
            lambda line: line.product_id == self.product_plain
        ).quantity = 6
        self._receive(wizard._create_return())
        self.authenticate(self.user.login, self.user.login)
        result, error = self._call_button("complaint.case", "action_create_return", case.id)
        self.assertIn("only 4.0 delivered", error)
        self.assertFalse(case.picking_ids)
        self.assertFalse(
            self.env["stock.move"].search([("complaint_case_line_id", "in", case.line_ids.ids)])
        )
        case.line_ids[0].quantity = 4
        result, error = self._call_button("complaint.case", "action_create_return", case.id)
        self.assertFalse(error)
        self.assertEqual(result["res_model"], "stock.picking")
        self.assertEqual(case.picking_ids.id, result["res_id"])
        self.assertEqual(sorted(case.picking_ids.move_ids.mapped("product_uom_qty")), [1, 4])

    def test_verification_over_rpc(self):
        case = (
            self.env["complaint.case"]
            .with_user(self.user)
            .create(
                {
                    "subject": "Short delivery",
                    "partner_id": self.customer.id,
                    "type_id": self.type_discrepancy.id,
                    "delivery_picking_id": self.delivery.id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_plain.id,
                                "qty_expected": 10,
                                "qty_reported": 8,
                            }
                        ),
                        Command.create(
                            {
                                "product_id": self.product_serial.id,
                                "qty_expected": 2,
                                "qty_reported": 1,
                            }
                        ),
                    ],
                }
            )
        )
        case.action_confirm()
        stage = case.stage_id
        self.authenticate(self.user.login, self.user.login)
        _result, error = self._call_button("complaint.case", "action_verification_done", case.id)
        self.assertIn("Only the warehouse", error)
        self.authenticate(self.warehouse_user.login, self.warehouse_user.login)
        _result, error = self._jsonrpc(
            "/web/dataset/call_kw/complaint.case.line/write",
            {
                "model": "complaint.case.line",
                "method": "write",
                "args": [case.line_ids[0].ids, {"verification_result": "confirmed"}],
                "kwargs": {},
            },
        )
        self.assertFalse(error)
        _result, error = self._call_button("complaint.case", "action_verification_done", case.id)
        self.assertIn("Record the warehouse finding", error)
        self.assertEqual(case.verification_state, "to_verify")
        self.assertEqual(case.stage_id, stage)
        case.line_ids[1].with_user(self.warehouse_user).verification_result = "not_confirmed"
        _result, error = self._call_button("complaint.case", "action_verification_done", case.id)
        self.assertFalse(error)
        self.assertEqual(case.verification_state, "verified")
        self.assertEqual(case.verification_user_id, self.warehouse_user)
        self.assertNotEqual(case.stage_id, stage)
        self.assertEqual(case.line_ids[0].qty_confirmed, 2)
