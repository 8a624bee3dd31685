from odoo import fields, models


class ComplaintReason(models.Model):
    _name = "complaint.reason"
    _description = "Complaint Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Reason code shared with the ERP and reports, e.g. 'DMG'.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    type_ids = fields.Many2many(
        comodel_name="complaint.type",
        string="Types",
        help="Types this reason applies to; leave empty for all types.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The reason code must be unique."),
    ]
