from odoo import fields, models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    complaint_case_line_id = fields.Many2one(
        comodel_name="complaint.case.line",
        string="Claimed Item",
        index="btree_not_null",
        copy=False,
        help="The claimed item this return, replacement or re-delivery move serves.",
    )

    def _complaint_set_claimed_lots(self):
        """Pre-fill the serial the customer claimed on the return's move line."""
        for move in self.filtered(
            lambda m: m.complaint_case_line_id.lot_id and m.has_tracking != "none"
        ):
            lot = move.complaint_case_line_id.lot_id
            if len(move.move_line_ids) == 1:
                move.move_line_ids.lot_id = lot

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves.filtered(
            lambda m: (
                m.state == "done" and m.complaint_case_line_id and m.location_id.usage == "customer"
            )
        )._complaint_check_received()
        return moves

    def _complaint_check_received(self):
        """A returned serial must come from the delivery it was returned from;
        a serial that comes back again is flagged on the case."""
        for move in self:
            line = move.complaint_case_line_id
            lots = move.move_line_ids.lot_id
            delivered = move.origin_returned_move_id.move_line_ids.lot_id
            if move.origin_returned_move_id and lots - delivered:
                raise UserError(
                    self.env._(
                        "Serial number(s) %(lots)s of %(product)s were not delivered in "
                        "%(delivery)s; receive the serial the customer was sent.",
                        lots=", ".join((lots - delivered).mapped("name")),
                        product=move.product_id.display_name,
                        delivery=move.origin_returned_move_id.picking_id.name,
                    )
                )
            if line.lot_returned_before:
                line.case_id.message_post(
                    body=self.env._(
                        "Serial number %(lot)s has been returned before: check its history.",
                        lot=line.lot_received_id.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
