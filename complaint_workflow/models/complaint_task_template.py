from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintTaskTemplate(models.Model):
    _name = "complaint.task.template"
    _description = "Complaint Task Template"
    _order = "sequence, id"

    stage_id = fields.Many2one(
        comodel_name="complaint.stage",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Assignee",
        domain="[('share', '=', False)]",
        help="Leave empty to give the task to the case handler.",
    )
    deadline_days = fields.Integer(help="Days after the case entered the stage.")
    description = fields.Html(translate=True)

    @api.constrains("deadline_days")
    def _check_deadline_days(self):
        for template in self:
            if template.deadline_days < 0:
                raise ValidationError(
                    self.env._("The deadline of task %s cannot be negative.", template.name)
                )

    def _create_tasks(self, case):
        """Tasks of these templates for ``case``; called when it enters the stage."""
        today = fields.Date.context_today(self)
        return self.env["complaint.task"].create(
            [
                {
                    "name": template.name,
                    "case_id": case.id,
                    "user_id": (template.user_id or case.user_id).id,
                    "date_deadline": today + timedelta(days=template.deadline_days)
                    if template.deadline_days
                    else False,
                    "description": template.description,
                }
                for template in self
            ]
        )
