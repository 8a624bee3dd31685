from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintRmaCommon


@tagged("post_install", "-at_install")
class TestDiscrepancy(ComplaintRmaCommon):
    def _discrepancy(self, expected=10, reported=7, product=None):
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
                                "product_id": (product or self.product_plain).id,
                                "qty_expected": expected,
                                "qty_reported": reported,
                            }
                        )
                    ],
                }
            )
        )
        case.with_user(self.user).action_confirm()
        return case

    def test_shortage_verified_by_warehouse_then_redelivered(self):
        case = self._discrepancy()
        line = case.line_ids
        self.assertEqual(line.discrepancy_kind, "shortage")
        self.assertEqual(line.quantity, 3)
        self.assertEqual(case.verification_state, "to_verify")
        self.assertEqual(
            case.stage_id, self.env.ref("complaint_rma.complaint_stage_warehouse_verification")
        )
        self.assertEqual(
            case.discrepancy_move_line_ids.move_id,
            self.delivery.move_ids.filtered(lambda m: m.product_id == self.product_plain),
        )
        # customer service cannot record the finding, nor decide before it
        with self.assertRaises(AccessError):
            line.with_user(self.user).verification_result = "confirmed"
        with self.assertRaises(ValidationError):
            self._decide(case)
        with self.assertRaises(AccessError):
            case.with_user(self.user).action_verification_done()
        warehouse_case = case.with_user(self.warehouse_user)
        with self.assertRaises(UserError):
            warehouse_case.action_verification_done()
        line.with_user(self.warehouse_user).write(
            {"verification_result": "partly", "qty_confirmed": 2}
        )
        warehouse_case.action_verification_done()
        self.assertEqual(case.verification_state, "verified")
        self.assertEqual(case.verification_user_id, self.warehouse_user)
        self.assertEqual(case.stage_id, self.env.ref("complaint_workflow.complaint_stage_analysis"))
        self.assertEqual(line._get_settlement_quantities(), {line.id: 2})
        with self.assertRaises(UserError):
            case.with_user(self.user).action_create_redelivery()
        self._decide(case)
        case.with_user(self.user).action_create_redelivery()
        redelivery = case.picking_ids
        self.assertEqual(redelivery.complaint_picking_kind, "redelivery")
        self.assertEqual(redelivery.picking_type_code, "outgoing")
        self.assertEqual(redelivery.move_ids.product_uom_qty, 2)
        with self.assertRaises(UserError):
            case.with_user(self.user).action_create_redelivery()

    def test_confirmed_quantity_above_reported_is_refused(self):
        case = self._discrepancy()
        with self.assertRaises(ValidationError):
            case.line_ids.with_user(self.warehouse_user).write(
                {"verification_result": "partly", "qty_confirmed": 4}
            )
        self.assertFalse(case.line_ids.verification_result)

    def test_not_confirmed_settles_nothing(self):
        case = self._discrepancy()
        case.line_ids.with_user(self.warehouse_user).verification_result = "not_confirmed"
        case.with_user(self.warehouse_user).action_verification_done()
        self.assertEqual(case.line_ids._get_settlement_quantities(), {case.line_ids.id: 0.0})

    def test_surplus_pickup_and_invoice(self):
        case = self._discrepancy(expected=10, reported=12)
        line = case.line_ids
        self.assertEqual(line.discrepancy_kind, "surplus")
        line.with_user(self.warehouse_user).verification_result = "confirmed"
        self.assertEqual(line.qty_confirmed, 2)
        case.with_user(self.warehouse_user).action_verification_done()
        self._decide(case)
        self.assertEqual(line._get_settlement_quantities(), {line.id: 0.0})
        case.with_user(self.user).action_create_surplus_invoice()
        invoice = case.surplus_invoice_id
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.invoice_line_ids.quantity, 2)
        self.assertEqual(invoice.invoice_line_ids.price_unit, 10.0)
        case.with_user(self.user).action_create_surplus_pickup()
        pickup = case.picking_ids
        self.assertEqual(pickup.complaint_picking_kind, "surplus_pickup")
        self.assertEqual(pickup.location_id.usage, "customer")
        self.assertEqual(pickup.move_ids.product_uom_qty, 2)

    def test_delivery_must_be_done(self):
        draft = self.delivery.copy()
        with self.assertRaises(ValidationError):
            self._discrepancy().delivery_picking_id = draft
