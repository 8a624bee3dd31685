from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintRmaCommon, create_delivered_invoiced_sale


@tagged("post_install", "-at_install")
class TestReturnPicking(ComplaintRmaCommon):
    def _confirmed_case(self, lines, user=None):
        case = self._create_return_case(lines, user=user)
        case.with_user(user or self.user).action_confirm()
        return case

    def test_return_picking_from_delivery_and_receipt(self):
        case = self._confirmed_case(
            [(self.inv_line_plain, 4, False), (self.inv_line_serial, 1, self.lots[1])]
        )
        case.with_user(self.user).action_create_return()
        picking = case.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.complaint_picking_kind, "return")
        self.assertEqual(picking.return_id, self.delivery)
        self.assertEqual(picking.picking_type_code, "incoming")
        self.assertEqual(picking.move_ids.origin_returned_move_id, self.delivery.move_ids)
        serial_move = picking.move_ids.filtered(lambda m: m.product_id == self.product_serial)
        self.assertEqual(serial_move.move_line_ids.lot_id, self.lots[1])
        self.assertEqual(sum(case.line_ids.mapped("qty_to_return")), 0)
        self._receive(picking)
        plain_line, serial_line = case.line_ids
        self.assertEqual(plain_line.qty_returned, 4)
        self.assertEqual(serial_line.qty_returned, 1)
        self.assertEqual(serial_line.lot_received_id, self.lots[1])
        sale_line = self.order.order_line.filtered(
            lambda line: line.product_id == self.product_plain
        )
        self.assertEqual(sale_line.qty_delivered, 6, "the return counts against the sale line")
        with self.assertRaises(UserError):
            case.with_user(self.user).action_create_return()

    def test_receipt_of_serial_not_delivered_is_refused(self):
        case = self._confirmed_case([(self.inv_line_serial, 1, self.lots[0])])
        case.with_user(self.user).action_create_return()
        picking = case.picking_ids
        stranger = self.env["stock.lot"].create(
            {"name": "EM200-7777", "product_id": self.product_serial.id}
        )
        picking.move_ids.move_line_ids.lot_id = stranger
        picking.move_ids.picked = True
        with self.assertRaises(UserError):
            picking.button_validate()
        self.assertEqual(case.line_ids.qty_returned, 0)

    def test_quantity_above_returnable_when_creating_return(self):
        first = self._confirmed_case([(self.inv_line_plain, 8, False)])
        first.with_user(self.user).action_create_return()
        self._receive(first.picking_ids)
        with self.assertRaises(ValidationError):
            self._create_return_case([(self.inv_line_plain, 3, False)])
        second = self._confirmed_case([(self.inv_line_plain, 2, False)])
        second.with_user(self.user).action_create_return()
        self.assertEqual(second.picking_ids.move_ids.product_uom_qty, 2)

    def test_serial_returned_again_is_flagged(self):
        case = self._confirmed_case([(self.inv_line_serial, 1, self.lots[0])])
        case.with_user(self.user).action_create_return()
        self._receive(case.picking_ids)
        self.assertFalse(case.lot_returned_before)
        # the machine is sold again to another customer, who returns it too
        other = self.env["res.partner"].create({"name": "Virtanen Oy", "is_company": True})
        _order, _delivery, invoice = create_delivered_invoiced_sale(
            self.env, other, [(self.product_serial, 1, 390.0)], lots=self.env["stock.lot"]
        )
        again = (
            self.env["complaint.case"]
            .with_user(self.user)
            .create(
                {
                    "subject": "Return again",
                    "partner_id": other.id,
                    "type_id": self.type_return.id,
                    "invoice_id": invoice.id,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "invoice_line_id": invoice.invoice_line_ids.id,
                                "quantity": 1,
                                "lot_id": self.lots[0].id,
                            },
                        )
                    ],
                }
            )
        )
        again.action_confirm()
        again.with_user(self.user).action_create_return()
        self._receive(again.picking_ids)
        self.assertTrue(again.lot_returned_before)
        self.assertTrue(any("returned before" in body for body in again.message_ids.mapped("body")))

    def test_return_and_replace(self):
        case = self._confirmed_case([(self.inv_line_plain, 2, False)])
        case.with_user(self.user).action_create_return_exchange()
        kinds = sorted(case.picking_ids.mapped("complaint_picking_kind"))
        self.assertEqual(kinds, ["replacement", "return"])
        replacement = case.picking_ids.filtered(lambda p: p.complaint_picking_kind == "replacement")
        self.assertEqual(replacement.picking_type_code, "outgoing")
        self.assertEqual(replacement.move_ids.product_uom_qty, 2)
        self.assertEqual(replacement.partner_id, self.customer)

    def test_inspection_results(self):
        case = self._confirmed_case(
            [(self.inv_line_plain, 3, False), (self.inv_line_serial, 1, self.lots[0])]
        )
        plain_line, serial_line = case.line_ids
        plain_line.inspection_result = "stock"
        with self.assertRaises(UserError):
            case.with_user(self.user).action_apply_inspection()
        case.with_user(self.user).action_create_return()
        self._receive(case.picking_ids)
        serial_line.inspection_result = "scrap"
        stock = case.picking_ids.location_dest_id
        before = self.product_plain.with_context(location=stock.id).qty_available
        case.with_user(self.user).action_apply_inspection()
        self.assertTrue(plain_line.inspection_done and serial_line.inspection_done)
        self.assertEqual(self.product_plain.with_context(location=stock.id).qty_available, before)
        self.assertEqual(serial_line.scrap_id.state, "done")
        self.assertEqual(serial_line.scrap_id.lot_id, self.lots[0])
        self.assertEqual(
            self.product_serial.with_context(
                location=stock.id, lot_id=self.lots[0].id
            ).qty_available,
            0,
        )

    def test_settlement_quantities_default_to_claimed(self):
        case = self._confirmed_case([(self.inv_line_plain, 3, False)])
        self.assertEqual(case.line_ids._get_settlement_quantities(), {case.line_ids.id: 3})
