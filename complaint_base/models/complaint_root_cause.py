from odoo import fields, models


class ComplaintRootCause(models.Model):
    _name = "complaint.root.cause"
    _description = "Complaint Root Cause"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True,
        help="What went wrong at the origin (supplier, production, transport, ...), "
        "as found by the investigation.",
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The root cause code must be unique."),
    ]
