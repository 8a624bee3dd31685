from odoo import api, fields, models
from odoo.exceptions import UserError

RETURN_STATES = ("new", "in_progress")


class ComplaintCaseRequestCompletion(models.TransientModel):
    _name = "complaint.case.request.completion"
    _description = "Ask the Customer to Complete a Complaint"

    case_id = fields.Many2one(comodel_name="complaint.case", required=True, ondelete="cascade")
    case_type_id = fields.Many2one(related="case_id.type_id")
    missing_info = fields.Html(
        string="What Is Missing",
        required=True,
        help="Sent to the customer; the case waits and its SLA pauses until they answer.",
    )
    return_stage_id = fields.Many2one(
        comodel_name="complaint.stage",
        string="Return to Stage",
        compute="_compute_return_stage_id",
        store=True,
        readonly=False,
        domain="[('state', 'in', ('new', 'in_progress')), "
        "'|', ('type_ids', '=', False), ('type_ids', 'in', case_type_id)]",
        help="Where the case goes back when the customer has completed it; "
        "by default the stage it is in now.",
    )
    template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Message Template",
        compute="_compute_template_id",
        store=True,
        readonly=False,
        domain="[('model', '=', 'complaint.case'), ('complaint_usage', '=', 'completion')]",
        help="The message that asks the customer; it starts from the template that "
        "fits the type, reason and language of the case.",
    )
    preview_subject = fields.Char(compute="_compute_preview", string="Subject")
    preview_body = fields.Html(
        compute="_compute_preview",
        string="Message Preview",
        sanitize=False,
        help="The message as the customer will read it, in their language.",
    )

    @api.depends("case_id")
    def _compute_return_stage_id(self):
        for wizard in self:
            case = wizard.case_id
            stage = case.completion_stage_id if case.state == "waiting" else case.stage_id
            wizard.return_stage_id = stage if stage.state in RETURN_STATES else False

    @api.depends("case_id")
    def _compute_template_id(self):
        Template = self.env["mail.template"]
        for wizard in self:
            wizard.template_id = (
                Template._complaint_get_templates(wizard.case_id, usage="completion")[:1]
                if wizard.case_id
                else False
            )

    @api.depends("template_id", "case_id", "missing_info")
    def _compute_preview(self):
        for wizard in self:
            wizard.preview_subject, wizard.preview_body = (
                wizard.template_id._complaint_render_preview(
                    wizard.case_id._origin, {"completion_request": wizard.missing_info}
                )
                if wizard.template_id and wizard.case_id
                else (False, False)
            )

    def action_confirm(self):
        self.ensure_one()
        case = self.case_id
        stage = self.return_stage_id
        if not stage or stage.state not in RETURN_STATES:
            raise UserError(
                self.env._(
                    "Choose the stage case %s returns to when the customer has completed it.",
                    case.name,
                )
            )
        if stage.type_ids and case.type_id not in stage.type_ids:
            raise UserError(
                self.env._(
                    "Stage %(stage)s is not used by cases of type %(type)s.",
                    stage=stage.name,
                    type=case.type_id.name,
                )
            )
        case.write(
            {
                "completion_request": self.missing_info,
                "completion_stage_id": stage.id,
                "date_completion_requested": fields.Datetime.now(),
            }
        )
        case._move_to_state("waiting")
        if self.template_id:
            case._notify_customer(self.template_id)
        return {"type": "ir.actions.act_window_close"}
