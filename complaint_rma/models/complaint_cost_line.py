from odoo import fields, models


class ComplaintCostLine(models.Model):
    _inherit = "complaint.cost.line"

    credit_note_id = fields.Many2one(
        comodel_name="account.move",
        string="Credit Note",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="The credit note this refund cost comes from; kept in step with it.",
    )
