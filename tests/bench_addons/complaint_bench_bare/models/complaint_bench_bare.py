from odoo import fields, models


class ComplaintBenchBare(models.Model):
    _name = "complaint.bench.bare"
    _description = "Bare mail.thread record (benchmark baseline)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _primary_email = "email_from"

    name = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", tracking=True)
    email_from = fields.Char()
    description = fields.Html()
