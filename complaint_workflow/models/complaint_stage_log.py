from odoo import api, fields, models


class ComplaintStageLog(models.Model):
    _name = "complaint.stage.log"
    _description = "Time Spent in a Complaint Stage"
    _order = "date_start desc, id desc"

    case_id = fields.Many2one(
        comodel_name="complaint.case",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    stage_id = fields.Many2one(comodel_name="complaint.stage", required=True, index=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Handler")
    date_start = fields.Datetime(required=True)
    date_end = fields.Datetime()
    duration_hours = fields.Float(
        string="Duration (hours)",
        compute="_compute_duration_hours",
        store=True,
        aggregator="avg",
    )

    @api.depends("date_start", "date_end")
    def _compute_duration_hours(self):
        for log in self:
            log.duration_hours = (
                (log.date_end - log.date_start).total_seconds() / 3600 if log.date_end else 0.0
            )
