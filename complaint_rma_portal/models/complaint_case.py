from odoo import api, fields, models

# What customers read of the settlement and returns of their claims.
CASE_RMA_PORTAL_READABLE_FIELDS = frozenset(
    {
        "settlement_state",
        "amount_settled",
        "credit_note_ids",
        "portal_return_state",
    }
)


class ComplaintCase(models.Model):
    _inherit = "complaint.case"

    portal_return_state = fields.Selection(
        selection=[
            ("none", "No Return"),
            ("expected", "Return Expected"),
            ("received", "Received"),
        ],
        string="Return",
        compute="_compute_portal_return_state",
        help="Whether the goods the customer sends back are received, as the customer sees it.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS | CASE_RMA_PORTAL_READABLE_FIELDS

    @api.depends("picking_ids.state", "picking_ids.complaint_picking_kind")
    def _compute_portal_return_state(self):
        for case in self:
            returns = case.sudo().picking_ids.filtered(
                lambda picking: (
                    picking.complaint_picking_kind == "return" and picking.state != "cancel"
                )
            )
            if not returns:
                case.portal_return_state = "none"
            elif all(picking.state == "done" for picking in returns):
                case.portal_return_state = "received"
            else:
                case.portal_return_state = "expected"

    def _portal_get_returns(self):
        """The customer's return transfers of this case, for its portal page."""
        self.ensure_one()
        return self.sudo().picking_ids.filtered(
            lambda picking: picking.complaint_picking_kind == "return" and picking.state != "cancel"
        )

    def _portal_get_credit_notes(self):
        """The posted customer credit notes of this case, for its portal page."""
        self.ensure_one()
        return self.sudo().credit_note_ids.filtered(
            lambda move: move.move_type == "out_refund" and move.state == "posted"
        )
