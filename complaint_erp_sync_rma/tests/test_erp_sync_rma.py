import json

from odoo import Command
from odoo.tests import tagged

from .common import ErpRmaCommon


@tagged("post_install", "-at_install")
class TestErpSyncRma(ErpRmaCommon):
    def test_posted_credit_note_is_sent_once_after_the_earlier_messages(self):
        case = self._claim(self.invoice, {self.product: 2, self.product_filter: 3})
        earlier = self.outbox(case)
        self.assertTrue(earlier, "the decision was queued first")
        credit_note = self._settle_all(case, user=self.accountant)
        self.assertEqual(credit_note.state, "posted")
        message = self.credit_note_messages(case)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.move_id, credit_note)
        self.assertEqual(message.state, "pending", "it waits for the case's earlier messages")
        self.assertGreater(message.id, max(earlier.ids))
        payload = json.loads(message.payload)
        self.assertEqual(payload["type"], "credit_note")
        self.assertEqual(payload["case"]["number"], case.name)
        self.assertEqual(payload["case"]["customer_id"], "C100")
        note = payload["credit_note"]
        self.assertEqual(note["number"], credit_note.name)
        self.assertEqual(note["move_type"], "out_refund")
        self.assertEqual(note["invoice_reversed"], self.invoice.name)
        self.assertEqual(note["invoice_reversed_id"], "INV-9001")
        self.assertEqual(note["currency"], credit_note.currency_id.name)
        self.assertAlmostEqual(note["amount_untaxed"], 510.0)  # 2 x 250 - 10 % + 3 x 20
        self.assertAlmostEqual(note["amount_tax"], credit_note.amount_tax)
        self.assertAlmostEqual(note["amount_total"], credit_note.amount_total)
        self.assertGreater(note["amount_tax"], 0.0)
        lines = {line["product_code"]: line for line in note["lines"]}
        self.assertEqual(set(lines), {"EG-5", "WF-1"})
        self.assertEqual(lines["EG-5"]["quantity"], 2.0)
        self.assertEqual(lines["EG-5"]["price_unit"], 250.0)
        self.assertEqual(lines["WF-1"]["quantity"], 3.0)
        self.assertIn("Water Filter WF-1", lines["WF-1"]["product"])
        self.runner.drain()
        outbox = self.outbox(case)
        self.assertEqual(set(outbox.mapped("state")), {"done"})
        # the ERP applied the case's messages in order, the credit note last,
        # under the message's idempotency key
        self.assertEqual(self.applied_keys(), outbox.mapped("idempotency_key"))
        self.assertEqual(self.sim.applied[-1]["key"], message.idempotency_key)
        self.assertEqual(self.sim.applied[-1]["credit_note"]["number"], credit_note.name)

    def test_draft_and_unlinked_moves_send_nothing(self):
        case = self._claim(self.invoice, {self.product: 1})
        credit_note = self._settle_all(case, user=self.accountant, post=False)
        self.assertEqual(credit_note.state, "draft")
        self.assertFalse(self.credit_note_messages())
        # a refund of the invoice made in accounting, outside any case
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create({"journal_id": self.invoice.journal_id.id, "reason": "price"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.invoice_line_ids = [
            Command.clear(),
            Command.create({"product_id": self.product_filter.id, "quantity": 1, "price_unit": 5}),
        ]
        refund.action_post()
        self.assertEqual(refund.state, "posted")
        self.assertFalse(refund.complaint_case_id)
        self.assertFalse(self.credit_note_messages())
        # the case's draft, once posted, is sent
        credit_note.action_post()
        self.assertEqual(self.credit_note_messages().move_id, credit_note)

    def test_a_credit_note_posted_again_is_not_sent_twice(self):
        """Reset to draft, or cancelled and reset, then posted again: the ERP
        already has the credit note under its number, nothing more is sent."""
        case = self._claim(self.invoice, {self.product: 1})
        credit_note = self._settle_all(case, user=self.accountant)
        self.runner.drain()
        message = self.credit_note_messages(case)
        self.assertEqual(message.state, "done")
        credit_note.button_draft()
        credit_note.action_post()
        credit_note.button_draft()
        credit_note.button_cancel()
        credit_note.button_draft()
        credit_note.action_post()
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(self.credit_note_messages(case), message)
        self.runner.drain()
        sent = [item for item in self.sim.applied if item["type"] == "credit_note"]
        self.assertEqual(len(sent), 1)

    def test_a_cancelled_message_is_sent_again_on_the_next_posting(self):
        case = self._claim(self.invoice, {self.product: 1})
        credit_note = self._settle_all(case, user=self.accountant)
        first = self.credit_note_messages(case)
        first.action_cancel()
        credit_note.button_draft()
        credit_note.action_post()
        messages = self.credit_note_messages(case)
        self.assertEqual(len(messages), 2)
        second = messages - first
        self.assertEqual(second.move_id, credit_note)
        self.assertNotEqual(second.idempotency_key, first.idempotency_key)
        self.runner.drain()
        self.assertEqual(second.state, "done")
        sent = [item for item in self.sim.applied if item["type"] == "credit_note"]
        self.assertEqual([item["key"] for item in sent], [second.idempotency_key])

    def test_supplier_claim_is_sent_on_the_supplier_case(self):
        case = self._claim(self.invoice, {self.product: 2})
        action = case.action_create_supplier_case()
        supplier_case = self.env["complaint.case"].browse(action["res_id"])
        message = self.outbox(supplier_case)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.message_type, "supplier_claim")
        payload = json.loads(message.payload)
        self.assertEqual(payload["case"]["number"], supplier_case.name)
        self.assertEqual(payload["case"]["customer_id"], "V200")
        claim = payload["supplier_claim"]
        self.assertEqual(claim["customer_case"], case.name)
        self.assertEqual(claim["customer_case_customer_id"], "C100")
        self.assertEqual(claim["lines"][0]["product_code"], "EG-5")
        self.assertEqual(claim["lines"][0]["quantity"], 2.0)
        # a second customer case joins the same claim: one more message
        other = self._claim(self.invoice, {self.product: 1})
        self.assertEqual(other.action_create_supplier_case()["res_id"], supplier_case.id)
        messages = self.outbox(supplier_case)
        self.assertEqual(len(messages), 2)
        self.assertEqual(json.loads(messages[1].payload)["supplier_claim"]["customer_case"],
                         other.name)  # fmt: skip
        self.runner.drain()
        self.assertEqual(set(messages.mapped("state")), {"done"})
        self.assertEqual(
            [item["key"] for item in self.sim.applied if item["type"] == "supplier_claim"],
            messages.mapped("idempotency_key"),
        )

    def test_vendor_credit_note_of_a_supplier_claim_is_sent_on_it(self):
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.vendor.id,
                "invoice_date": "2026-11-02",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "quantity": 10, "price_unit": 150}
                    )
                ],
            }
        )
        bill.action_post()
        case = self._claim(self.invoice, {self.product: 2})
        action = case.action_create_supplier_case()
        supplier_case = self.env["complaint.case"].browse(action["res_id"])
        credit_note = self._settle_all(supplier_case, user=self.accountant)
        self.assertEqual(credit_note.move_type, "in_refund")
        message = self.credit_note_messages(supplier_case)
        self.assertEqual(len(message), 1)
        note = json.loads(message.payload)["credit_note"]
        self.assertEqual(note["move_type"], "in_refund")
        self.assertEqual(note["invoice_reversed"], bill.name)
        self.assertIsNone(note["invoice_reversed_id"], "the bill is not the ERP's")
        self.assertAlmostEqual(note["amount_untaxed"], 300.0)
        self.assertFalse(self.credit_note_messages(case), "nothing on the customer case")
