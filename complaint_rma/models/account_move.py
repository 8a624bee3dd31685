from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    complaint_case_id = fields.Many2one(
        comodel_name="complaint.case",
        string="Complaint Case",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The case this credit note settles.",
    )
