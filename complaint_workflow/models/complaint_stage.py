from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

DEADLINE_UNITS = [
    ("calendar_days", "Calendar Days"),
    ("working_days", "Working Days"),
    ("working_hours", "Working Hours"),
]


def duration_label(env, amount, unit):
    """``amount`` of ``unit`` as a handler reads it: "3 working days", "1 calendar
    day", "No deadline" for nothing. One wording per unit for one and another
    for other amounts, so that each language words its plural."""
    if not amount:
        return env._("No deadline")
    number = str(int(amount)) if float(amount).is_integer() else formatLang(env, amount, digits=1)
    if amount == 1:
        singular = {
            "calendar_days": env._("1 calendar day"),
            "working_days": env._("1 working day"),
            "working_hours": env._("1 working hour"),
        }
        return singular.get(unit, number)
    if unit == "calendar_days":
        return env._("%(amount)s calendar days", amount=number)
    if unit == "working_days":
        return env._("%(amount)s working days", amount=number)
    if unit == "working_hours":
        return env._("%(amount)s working hours", amount=number)
    return number


class ComplaintStage(models.Model):
    _name = "complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    def _selection_state(self):
        return self.env["complaint.case"]._fields["state"]._description_selection(self.env)

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Folded stages are collapsed in the kanban view (typically closed and cancelled).",
    )
    description = fields.Text(translate=True, help="What handlers do in this stage.")
    state = fields.Selection(
        selection="_selection_state",
        string="Lifecycle Status",
        required=True,
        default="in_progress",
        help="Status the case takes when it enters this stage; reports and integrations "
        "read the status, not the stage.",
    )
    type_ids = fields.Many2many(
        comodel_name="complaint.type",
        relation="complaint_stage_type_rel",
        column1="stage_id",
        column2="type_id",
        string="Types",
        help="Types that use this stage; leave empty to share it with every type.",
    )
    deadline_amount = fields.Float(
        string="Deadline",
        help="Time allowed in this stage; 0 means no stage deadline.",
    )
    deadline_unit = fields.Selection(
        selection=DEADLINE_UNITS,
        required=True,
        default="calendar_days",
        help="Working days and hours follow the working calendar of the handler, "
        "else of the team, else of the company; without any calendar, calendar days are used.",
    )
    deadline_display = fields.Char(
        string="Time Allowed",
        compute="_compute_deadline_display",
    )
    reminder_hours = fields.Float(
        string="Remind Before (hours)",
        default=24.0,
        help="The responsible person is reminded this many hours before the stage deadline.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        domain="[('share', '=', False)]",
        help="Cases entering this stage are assigned to this user (or their deputy when absent).",
    )
    team_id = fields.Many2one(
        comodel_name="complaint.team",
        string="Responsible Team",
        help="Cases entering this stage move to this team; without a responsible user, "
        "the team assigns a member.",
    )
    required_field_ids = fields.Many2many(
        comodel_name="ir.model.fields",
        relation="complaint_stage_required_field_rel",
        column1="stage_id",
        column2="field_id",
        string="Required to Enter",
        domain="[('model', '=', 'complaint.case'), ('store', '=', True)]",
        help="A case can only enter this stage once these fields are filled in.",
    )
    mail_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Customer E-mail",
        domain="[('model', '=', 'complaint.case')]",
        help="Sent to the customer, in their language, when a case enters this stage.",
    )
    sms_template_id = fields.Many2one(
        comodel_name="sms.template",
        string="Customer SMS",
        domain="[('model', '=', 'complaint.case')]",
        help="Also sent by SMS when the customer has a mobile number.",
    )
    task_template_ids = fields.One2many(
        comodel_name="complaint.task.template",
        inverse_name="stage_id",
        string="Tasks Created on Entry",
    )

    _sql_constraints = [
        (
            "deadline_positive",
            "CHECK(deadline_amount >= 0)",
            "A stage deadline cannot be negative.",
        ),
    ]

    @api.depends("deadline_amount", "deadline_unit")
    @api.depends_context("lang")
    def _compute_deadline_display(self):
        for stage in self:
            stage.deadline_display = duration_label(
                self.env, stage.deadline_amount, stage.deadline_unit
            )

    @api.constrains("deadline_amount", "reminder_hours")
    def _check_durations(self):
        for stage in self:
            if stage.deadline_amount < 0:
                raise ValidationError(
                    self.env._("The deadline of stage %s cannot be negative.", stage.name)
                )
            if stage.reminder_hours < 0:
                raise ValidationError(
                    self.env._(
                        "The reminder of stage %s cannot be set a negative number of hours "
                        "before the deadline.",
                        stage.name,
                    )
                )

    @api.constrains("required_field_ids")
    def _check_required_fields_model(self):
        for stage in self:
            if any(field.model != "complaint.case" for field in stage.required_field_ids):
                raise ValidationError(
                    self.env._("Stage %s can only require fields of complaint cases.", stage.name)
                )

    @api.model
    def _get_first_for(self, complaint_type, state):
        """First stage of ``complaint_type`` (or shared) mapped to ``state``."""
        return self.search(
            [
                ("state", "=", state),
                "|",
                ("type_ids", "=", False),
                ("type_ids", "in", complaint_type.ids),
            ],
            limit=1,
        )
