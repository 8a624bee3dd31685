import base64

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import RmaSettlementCommon


@tagged("post_install", "-at_install")
class TestSupplierClaim(RmaSettlementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": cls.vendor.id,
                "invoice_date": "2026-11-02",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product.id, "quantity": 10, "price_unit": 150}
                    )
                ],
            }
        )
        cls.bill.action_post()
        __, __, cls.invoice = cls._sell([(cls.product, 3, 250.0, 0.0)])
        cls.case = cls._claim(cls.invoice, {cls.product: 2})
        cls.case.cost_line_ids = [Command.create({"cost_type": "freight", "amount": 40.0})]
        cls.env["ir.attachment"].create(
            {
                "name": "blades.jpg",
                "datas": base64.b64encode(b"photo of blunt blades"),
                "res_model": "complaint.case",
                "res_id": cls.case.id,
            }
        )

    def _claim_vendor(self, case):
        action = case.action_create_supplier_case()
        return self.env["complaint.case"].browse(action["res_id"])

    def test_supplier_claim_carries_items_photos_and_costs(self):
        supplier_case = self._claim_vendor(self.case)
        self.assertEqual(supplier_case.type_id.code, "supplier")
        self.assertEqual(supplier_case.partner_id, self.vendor)
        self.assertEqual(self.case.supplier_case_id, supplier_case)
        self.assertEqual(supplier_case.customer_case_ids, self.case)
        self.assertEqual(supplier_case.invoice_id, self.bill)
        self.assertEqual(supplier_case.line_ids.product_id, self.product)
        self.assertEqual(supplier_case.line_ids.quantity, 2)
        self.assertEqual(supplier_case.line_ids.origin_line_id, self.case.line_ids)
        self.assertEqual(supplier_case.line_ids.invoice_line_id, self.bill.invoice_line_ids)
        photos = self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.case"), ("res_id", "=", supplier_case.id)]
        )
        self.assertEqual(photos.mapped("name"), ["blades.jpg"])
        self.assertEqual(supplier_case.amount_to_recover, self.case.cost_total)
        self.assertEqual(self.case.amount_to_recover, self.case.cost_total)
        with self.assertRaises(UserError):
            self.case.action_create_supplier_case()

    def test_customer_cases_of_one_vendor_share_a_new_supplier_claim(self):
        supplier_case = self._claim_vendor(self.case)
        other = self._claim(self.invoice, {self.product: 1})
        self.assertEqual(self._claim_vendor(other), supplier_case)
        self.assertEqual(supplier_case.customer_case_ids, self.case | other)
        self.assertEqual(sum(supplier_case.line_ids.mapped("quantity")), 3)

    def test_vendor_credit_note_against_the_bill_recovers_on_both_cases(self):
        supplier_case = self._claim_vendor(self.case)
        self.assertEqual(supplier_case.settlement_state, "to_settle")
        credit_note = self._settle_all(supplier_case, user=self.accountant)
        self.assertEqual(credit_note.move_type, "in_refund")
        self.assertEqual(credit_note.reversed_entry_id, self.bill)
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.invoice_line_ids.price_unit, 150)
        self.assertEqual(credit_note.invoice_line_ids.quantity, 2)
        self.assertEqual(self.bill.payment_state, "partial")
        self.assertAlmostEqual(supplier_case.amount_recovered, credit_note.amount_total)
        self.assertAlmostEqual(self.case.amount_recovered, credit_note.amount_total)
        self.assertEqual(supplier_case.settlement_state, "settled")
        # a vendor credit note is no refund cost of the customer
        self.assertFalse(supplier_case.cost_line_ids)

    def test_standalone_vendor_credit_note_without_bill(self):
        __, __, invoice = self._sell([(self.product_filter, 5, 20.0, 0.0)])
        case = self._claim(invoice, {self.product_filter: 5})
        supplier_case = self._claim_vendor(case)
        self.assertFalse(supplier_case.line_ids.invoice_line_id)
        credit_note = self._settle_all(supplier_case, user=self.accountant)
        self.assertEqual(credit_note.move_type, "in_refund")
        self.assertFalse(credit_note.reversed_entry_id)
        self.assertEqual(credit_note.partner_id, self.vendor)
        self.assertEqual(credit_note.invoice_line_ids.price_unit, 8.0)
        self.assertAlmostEqual(case.amount_recovered, credit_note.amount_total)

    def test_return_to_the_vendor(self):
        supplier_case = self._claim_vendor(self.case)
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, 2
        )
        action = supplier_case.action_return_to_supplier()
        picking = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(picking.complaint_picking_kind, "supplier_return")
        self.assertEqual(picking.complaint_case_id, supplier_case)
        self.assertEqual(picking.partner_id, self.vendor)
        self.assertEqual(picking.location_dest_id, self.vendor.property_stock_supplier)
        self.assertEqual(picking.move_ids.product_uom_qty, 2)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertIn(picking, supplier_case.picking_ids)

    def test_products_without_vendor_are_refused(self):
        self.product.seller_ids = [Command.clear()]
        with self.assertRaises(UserError) as error:
            self.case.action_create_supplier_case()
        self.assertIn("No vendor", str(error.exception))
        self.assertFalse(self.case.supplier_case_id)
