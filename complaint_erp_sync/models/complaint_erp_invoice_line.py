# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ComplaintErpInvoiceLine(models.Model):
    _name = "complaint.erp.invoice.line"
    _inherit = ["complaint.erp.binding"]
    _description = "ERP Invoice Line Binding"
    _erp_record_field = "move_line_id"

    invoice_binding_id = fields.Many2one(
        comodel_name="complaint.erp.invoice", index=True, ondelete="cascade"
    )
    move_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Invoice Line",
        required=True,
        index=True,
        ondelete="cascade",
    )
    move_id = fields.Many2one(related="move_line_id.move_id", store=True, index=True)
    product_id = fields.Many2one(related="move_line_id.product_id")
    quantity = fields.Float(related="move_line_id.quantity")
    lot_ids = fields.Many2many(comodel_name="stock.lot", string="Serial Numbers")
