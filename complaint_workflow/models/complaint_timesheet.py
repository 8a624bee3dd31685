from odoo import fields, models


class ComplaintTimesheet(models.Model):
    _name = "complaint.timesheet"
    _description = "Time Spent on a Complaint"
    _order = "date desc, id desc"

    case_id = fields.Many2one(
        comodel_name="complaint.case",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    hours = fields.Float(required=True)
    description = fields.Char()

    _sql_constraints = [
        ("hours_positive", "CHECK(hours > 0)", "The time spent must be positive."),
    ]
