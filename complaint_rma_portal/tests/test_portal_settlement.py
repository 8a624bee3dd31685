import json

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.complaint_rma.tests.common import RmaSettlementCommon


@tagged("post_install", "-at_install")
class TestPortalSettlement(RmaSettlementCommon, HttpCase):
    """Customers follow the receipt and the settlement of their claims."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="rma_portal_customer",
            name="Jan Kowalski",
            email="jan@kowalski.example.com",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        __, cls.delivery, cls.invoice = cls._sell([(cls.product, 3, 250.0, 0.0)])
        cls.case = cls._claim(cls.invoice, {cls.product: 2}, resolution="return")
        cls.case.partner_id = cls.portal_user.partner_id

    def _receive_return(self):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=self.delivery.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 2
        picking = wizard._create_return()
        picking.write({"complaint_case_id": self.case.id, "complaint_picking_kind": "return"})
        return picking

    def _page(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(f"/my/complaints/{self.case.id}")
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_claim_page_follows_receipt_and_settlement(self):
        picking = self._receive_return()
        self.assertEqual(self.case.portal_return_state, "expected")
        page = self._page()
        self.assertIn("Waiting for your parcel", page)
        self.assertIn("Our accounting issues your credit note.", page)
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        picking.button_validate()
        credit_note = self._settle_all(self.case, user=self.accountant)
        self.assertEqual(self.case.portal_return_state, "received")
        page = self._page()
        self.assertIn("Received on", page)
        self.assertIn(credit_note.name, page)
        self.assertIn("Your claim is fully settled.", page)
        self.assertIn(credit_note.get_portal_url().split("?")[0], page)

    def test_customer_reads_settlement_fields_not_costs(self):
        self._settle_all(self.case, user=self.accountant)
        self.authenticate(self.portal_user.login, self.portal_user.login)

        def read(fields):
            response = self.url_open(
                "/web/dataset/call_kw/complaint.case/read",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "model": "complaint.case",
                            "method": "read",
                            "args": [self.case.ids, fields],
                            "kwargs": {},
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
            return response.json()

        body = read(["settlement_state", "amount_settled", "portal_return_state"])
        self.assertEqual(body["result"][0]["settlement_state"], "settled")
        self.assertAlmostEqual(
            body["result"][0]["amount_settled"], self.case.credit_note_ids.amount_total
        )
        body = read(["cost_line_ids"])
        self.assertIn("error", body)
        self.assertIn("cost_line_ids", body["error"]["data"]["message"])
