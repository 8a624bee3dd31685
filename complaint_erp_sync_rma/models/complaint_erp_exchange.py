# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ComplaintErpExchange(models.Model):
    _inherit = "complaint.erp.exchange"

    message_type = fields.Selection(
        selection_add=[
            ("credit_note", "Credit Note"),
            ("supplier_claim", "Supplier Claim"),
        ],
        ondelete={"credit_note": "cascade", "supplier_claim": "cascade"},
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Credit Note",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The credit note this message sends to the ERP.",
    )
