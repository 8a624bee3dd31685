from odoo import fields, models


class ComplaintCaseSettleLine(models.TransientModel):
    _name = "complaint.case.settle.line"
    _description = "Item to Credit"

    wizard_id = fields.Many2one(
        comodel_name="complaint.case.settle",
        required=True,
        ondelete="cascade",
    )
    case_line_id = fields.Many2one(
        comodel_name="complaint.case.line",
        string="Claimed Item",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    product_id = fields.Many2one(related="case_line_id.product_id")
    lot_id = fields.Many2one(related="case_line_id.lot_id")
    invoice_id = fields.Many2one(related="case_line_id.invoice_line_id.move_id", string="Invoice")
    price_unit = fields.Float(
        related="case_line_id.invoice_line_id.price_unit", string="Invoiced Price"
    )
    discount = fields.Float(related="case_line_id.invoice_line_id.discount")
    qty_claimed = fields.Float(related="case_line_id.quantity", string="Claimed")
    qty_credited = fields.Float(related="case_line_id.qty_credited", string="Already Credited")
    qty_max = fields.Float(
        string="Open to Credit",
        digits="Product Unit of Measure",
        readonly=True,
        help="What remains to credit on this item, within what its invoice line "
        "leaves open across all cases and credit notes.",
    )
    quantity = fields.Float(
        string="To Credit",
        digits="Product Unit of Measure",
    )
    product_uom_id = fields.Many2one(related="case_line_id.product_uom_id")
