from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import RmaSettlementCommon


@tagged("post_install", "-at_install")
class TestSettlement(RmaSettlementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, cls.delivery, cls.invoice = cls._sell(
            [(cls.product, 5, 250.0, 10.0), (cls.product_filter, 10, 20.0, 0.0)]
        )
        cls.grinder_line = cls.invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == cls.product
        )

    def test_credit_note_at_invoiced_price_reconciled_with_invoice(self):
        case = self._claim(self.invoice, {self.product: 2, self.product_filter: 3})
        self.assertEqual(case.settlement_state, "to_settle")
        credit_note = self._settle_all(case, user=self.accountant)
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(credit_note.complaint_case_id, case)
        grinder = credit_note.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product
        )
        self.assertEqual(grinder.quantity, 2)
        self.assertEqual(grinder.price_unit, self.grinder_line.price_unit)
        self.assertEqual(grinder.discount, 10.0)
        self.assertEqual(grinder.tax_ids, self.grinder_line.tax_ids)
        self.assertEqual(grinder.sale_line_ids, self.grinder_line.sale_line_ids)
        # 2 x 250 - 10 % + 3 x 20, taxes of the invoice on top
        self.assertAlmostEqual(credit_note.amount_untaxed, 510.0)
        self.assertAlmostEqual(
            credit_note.amount_total,
            510.0 + self.tax.compute_all(510.0)["total_included"] - 510.0,
        )
        # posting reconciled the credit note with the invoice
        receivable = credit_note.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertTrue(receivable.reconciled)
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertAlmostEqual(
            self.invoice.amount_residual, self.invoice.amount_total - credit_note.amount_total
        )
        self.assertEqual(case.settlement_state, "settled")
        self.assertEqual(case.line_ids.mapped("qty_credited"), [2.0, 3.0])
        self.assertAlmostEqual(case.amount_settled, credit_note.amount_total)
        refund_cost = case.cost_line_ids.filtered(lambda line: line.cost_type == "refund")
        self.assertEqual(refund_cost.credit_note_id, credit_note)
        self.assertAlmostEqual(refund_cost.amount, 510.0)

    def test_one_credit_note_per_original_invoice(self):
        __, __, second_invoice = self._sell([(self.product, 2, 240.0, 0.0)])
        lines = [
            Command.create({"invoice_line_id": self.grinder_line.id, "quantity": 1}),
            Command.create({"invoice_line_id": second_invoice.invoice_line_ids.id, "quantity": 2}),
        ]
        case = self.env["complaint.case"].create(
            {
                "subject": "Two deliveries of blunt grinders",
                "partner_id": self.customer.id,
                "type_id": self.type_complaint.id,
                "company_id": self.company.id,
                "line_ids": lines,
            }
        )
        case.action_confirm()
        self.env["complaint.case.decide"].create(
            {"case_id": case.id, "decision": "partly_accepted", "resolution": "refund"}
        ).action_confirm()
        credit_notes = self._settle_all(case, user=self.accountant)
        self.assertEqual(len(credit_notes), 2)
        self.assertEqual(credit_notes.reversed_entry_id, self.invoice | second_invoice)
        second = credit_notes.filtered(lambda m: m.reversed_entry_id == second_invoice)
        self.assertEqual(second.invoice_line_ids.price_unit, 240.0)
        self.assertEqual(second.invoice_line_ids.quantity, 2)

    def test_partial_settlement_then_the_rest(self):
        case = self._claim(self.invoice, {self.product: 3})
        action = case.with_user(self.accountant).action_open_settle_wizard()
        wizard = self.env["complaint.case.settle"].browse(action["res_id"])
        self.assertEqual(wizard.line_ids.qty_max, 3)
        with Form(wizard.with_user(self.accountant)) as form:
            with form.line_ids.edit(0) as line:
                line.quantity = 1
        wizard.with_user(self.accountant).action_confirm()
        self.assertEqual(case.line_ids.qty_credited, 1)
        self.assertEqual(case.settlement_state, "partly_settled")
        # the next settlement proposes what remains
        credit_notes = self._settle_all(case, user=self.accountant)
        self.assertEqual(len(credit_notes), 2)
        self.assertEqual(sorted(credit_notes.invoice_line_ids.mapped("quantity")), [1.0, 2.0])
        self.assertEqual(case.settlement_state, "settled")
        self.assertEqual(
            len(case.cost_line_ids.filtered(lambda line: line.cost_type == "refund")), 2
        )

    def test_same_line_never_settled_twice(self):
        case = self._claim(self.invoice, {self.product: 2})
        self._settle_all(case, user=self.accountant)
        line = case.line_ids
        with self.assertRaises(UserError) as error:
            case.with_user(self.accountant)._settle({line.id: 2})
        self.assertIn("already credited", str(error.exception))
        self.assertEqual(len(case.credit_note_ids), 1)
        self.assertEqual(line.qty_credited, 2)

    def test_invoice_line_cap_across_cases_and_odoo_refunds(self):
        # Odoo's own credit note of 2 grinders, outside any complaint
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create({"journal_id": self.invoice.journal_id.id, "reason": "price error"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.invoice_line_ids.filtered(lambda line: line.product_id == self.product).quantity = 2
        refund.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product_filter
        ).unlink()
        refund.action_post()
        first = self._claim(self.invoice, {self.product: 2})
        second = self._claim(self.invoice, {self.product: 2})
        self._settle_all(first, user=self.accountant)
        self.assertEqual(first.line_ids.qty_credited, 2)
        # 5 invoiced, 2 refunded by Odoo, 2 by the first case: 1 left
        action = second.with_user(self.accountant).action_open_settle_wizard()
        wizard = self.env["complaint.case.settle"].browse(action["res_id"])
        self.assertEqual(wizard.line_ids.qty_max, 1)
        with self.assertRaises(UserError) as error:
            second.with_user(self.accountant)._settle({second.line_ids.id: 2})
        self.assertIn("only 1.0 of the 5.0 invoiced", str(error.exception))
        self.assertFalse(second.credit_note_ids)
        second.with_user(self.accountant)._settle({second.line_ids.id: 1})
        self.assertEqual(second.settlement_state, "partly_settled")

    def test_settlement_after_return_receipt(self):
        case = self._claim(self.invoice, {self.product: 2}, resolution="return")
        return_wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=self.delivery.id, active_model="stock.picking")
            .create({})
        )
        for return_line in return_wizard.product_return_moves:
            return_line.quantity = 2 if return_line.product_id == self.product else 0
        returned = return_wizard._create_return()
        returned.complaint_case_id = case
        returned.complaint_picking_kind = "return"
        returned.move_ids.quantity = 2
        returned.move_ids.picked = True
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        sale_line = self.grinder_line.sale_line_ids
        self.assertEqual(sale_line.qty_delivered, 3)
        credit_note = self._settle_all(case, user=self.accountant)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 2)
        # the returned and credited grinders leave nothing to invoice again
        self.assertEqual(sale_line.qty_invoiced, 3)
        self.assertEqual(sale_line.qty_to_invoice, 0)
        self.assertEqual(case.picking_ids, returned)
        self.assertEqual(case.settlement_state, "settled")

    def test_goodwill_without_return_in_foreign_currency(self):
        currency = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        __, __, invoice = self._sell([(self.product, 4, 500.0, 0.0)], currency=currency)
        self.assertEqual(invoice.currency_id, currency)
        case = self._claim(invoice, {self.product: 1}, resolution="discount")
        credit_note = self._settle_all(case, user=self.accountant)
        self.assertEqual(credit_note.currency_id, currency)
        self.assertAlmostEqual(credit_note.amount_untaxed, 500.0)
        self.assertAlmostEqual(abs(credit_note.amount_untaxed_signed), 250.0)
        self.assertFalse(case.picking_ids)
        self.assertEqual(case.settlement_state, "settled")
        self.assertAlmostEqual(case.amount_settled, abs(credit_note.amount_total_signed))

    def test_cancelled_credit_note_frees_its_quantities(self):
        case = self._claim(self.invoice, {self.product: 2})
        credit_note = self._settle_all(case, user=self.accountant, post=False)
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(case.line_ids.qty_credited, 2)
        self.assertTrue(case.cost_line_ids.filtered(lambda line: line.cost_type == "refund"))
        credit_note.button_cancel()
        self.assertEqual(case.line_ids.qty_credited, 0)
        self.assertEqual(case.settlement_state, "to_settle")
        self.assertFalse(case.cost_line_ids.filtered(lambda line: line.cost_type == "refund"))

    def test_unposted_invoice_is_refused(self):
        case = self._claim(self.invoice, {self.product: 1})
        self.invoice.button_draft()
        with self.assertRaises(UserError) as error:
            case.with_user(self.accountant)._settle({case.line_ids.id: 1})
        self.assertIn("is not posted", str(error.exception))
        self.assertFalse(case.credit_note_ids)

    def test_cancelled_invoice_is_refused(self):
        case = self._claim(self.invoice, {self.product: 1})
        self.invoice.button_draft()
        self.invoice.button_cancel()
        with self.assertRaises(UserError) as error:
            case.with_user(self.accountant)._settle({case.line_ids.id: 1})
        self.assertIn("is cancelled", str(error.exception))

    def test_invoice_of_another_company_is_refused(self):
        case = self._claim(self.invoice, {self.product: 1})
        other_company = self.env["res.company"].create({"name": "Virtanen Trading Oy"})
        __, __, invoice = self._sell([(self.product_filter, 1, 20.0, 0.0)])
        # an integration linked the item to an invoice of the other company
        self.env.cr.execute(
            "UPDATE account_move SET company_id = %s WHERE id = %s",
            [other_company.id, invoice.id],
        )
        self.env.cr.execute(
            "UPDATE complaint_case_line SET invoice_line_id = %s WHERE id = %s",
            [invoice.invoice_line_ids.id, case.line_ids.id],
        )
        self.env.invalidate_all()
        self.accountant.company_ids += other_company
        with self.assertRaises(UserError) as error:
            case.with_user(self.accountant)._settle({case.line_ids.id: 1})
        self.assertIn("belongs to", str(error.exception))
        self.assertFalse(case.credit_note_ids)

    def test_only_accepted_cases_and_invoicing_users_settle(self):
        rejected = self._claim(self.invoice, {self.product: 1}, decide="rejected")
        self.assertEqual(rejected.settlement_state, "none")
        with self.assertRaises(UserError):
            rejected.with_user(self.accountant).action_open_settle_wizard()
        accepted = self._claim(self.invoice, {self.product: 1})
        with self.assertRaises(AccessError):
            accepted.with_user(self.handler)._settle({accepted.line_ids.id: 1})
        self.assertFalse(accepted.credit_note_ids)

    def test_accountants_list_shows_cases_to_settle(self):
        to_settle = self._claim(self.invoice, {self.product: 1})
        settled = self._claim(self.invoice, {self.product: 1})
        self._settle_all(settled, user=self.accountant)
        undecided = self._claim(self.invoice, {self.product: 1}, decide=False)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_rma.complaint_case_action_to_settle"
        )
        cases = (
            self.env["complaint.case"]
            .with_user(self.accountant)
            .search(
                [
                    *safe_eval(action["domain"]),
                    ("settlement_state", "in", ("to_settle", "partly_settled")),
                ]
            )
        )
        self.assertIn(to_settle, cases)
        self.assertNotIn(settled, cases)
        self.assertNotIn(undecided, cases)
