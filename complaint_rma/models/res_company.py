from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_return_days = fields.Integer(
        string="Return Window (days)",
        default=14,
        help="Days after the delivery within which customers may return goods.",
    )
