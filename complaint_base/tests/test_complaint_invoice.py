from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestComplaintInvoice(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.env.user.groups_id += cls.env.ref("complaint_base.group_complaint_user")
        cls.product_serial = cls.env["product.product"].create(
            {
                "name": "Cordless Drill CD-18",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "lst_price": 120.0,
            }
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "CD18-7781", "product_id": cls.product_serial.id}
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.partner_a.id,
                "invoice_date": "2026-01-15",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product_serial.id, "quantity": 3, "price_unit": 120}
                    ),
                    Command.create(
                        {"product_id": cls.product_a.id, "quantity": 1, "price_unit": 10}
                    ),
                ],
            }
        )
        cls.invoice.action_post()
        cls.drill_line = cls.invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == cls.product_serial
        )

    def _claim(self, quantity, **values):
        vals = {
            "subject": "Drill does not charge",
            "partner_id": self.partner_a.id,
            "invoice_id": self.invoice.id,
            "line_ids": [
                Command.create({"invoice_line_id": self.drill_line.id, "quantity": quantity})
            ],
        }
        vals.update(values)
        return self.env["complaint.case"].create(vals)

    def test_product_comes_from_invoice_line(self):
        case = self._claim(1)
        self.assertEqual(case.line_ids.product_id, self.product_serial)
        self.assertEqual(case.line_ids.product_uom_id, self.drill_line.product_uom_id)

    def test_claims_cannot_exceed_invoiced_quantity(self):
        first = self._claim(2)
        with self.assertRaises(ValidationError) as error:
            self._claim(2)
        self.assertIn("4.0 claimed in total, but only 3.0 invoiced", str(error.exception))
        self.assertEqual(self.drill_line._complaint_claimable_quantities()[self.drill_line.id], 1.0)
        first.action_cancel()
        self.assertEqual(self._claim(2).line_ids.quantity, 2.0)

    def test_invoice_line_must_belong_to_case_invoice(self):
        other_invoice = self.init_invoice(
            "out_invoice", partner=self.partner_a, products=self.product_a, post=True
        )
        with self.assertRaisesRegex(ValidationError, "is not on invoice"):
            self._claim(1, invoice_id=other_invoice.id)

    def test_invoice_must_belong_to_customer(self):
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self._claim(1, partner_id=self.partner_b.id)

    def test_invoice_onchange_fills_customer(self):
        with Form(self.env["complaint.case"]) as form:
            form.subject = "Broken chuck"
            form.invoice_id = self.invoice
            self.assertEqual(form.partner_id, self.partner_a)

    def test_smart_buttons_count_cases(self):
        self._claim(
            1,
            line_ids=[
                Command.create({"invoice_line_id": self.drill_line.id, "lot_id": self.lot.id})
            ],
        )
        self._claim(1)
        self.assertEqual(self.invoice.complaint_case_count, 2)
        self.assertEqual(self.partner_a.complaint_case_count, 2)
        self.assertEqual(self.product_serial.complaint_case_count, 2)
        self.assertEqual(self.product_serial.product_tmpl_id.complaint_case_count, 2)
        self.assertEqual(self.lot.complaint_case_count, 1)
        action = self.invoice.action_view_complaint_cases()
        self.assertEqual(self.env["complaint.case"].search_count(action["domain"]), 2)
        action = self.lot.action_view_complaint_cases()
        self.assertEqual(self.env["complaint.case"].search_count(action["domain"]), 1)
