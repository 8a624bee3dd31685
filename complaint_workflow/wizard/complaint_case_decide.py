from odoo import api, fields, models
from odoo.exceptions import UserError


class ComplaintCaseDecide(models.TransientModel):
    _name = "complaint.case.decide"
    _description = "Decide a Complaint"

    case_id = fields.Many2one(comodel_name="complaint.case", required=True, ondelete="cascade")
    decision = fields.Selection(
        selection=lambda self: (
            self.env["complaint.case"]._fields["decision"]._description_selection(self.env)
        ),
        required=True,
    )
    resolution = fields.Selection(
        selection=lambda self: (
            self.env["complaint.case"]._fields["resolution"]._description_selection(self.env)
        ),
        required=True,
        default="none",
    )
    decision_note = fields.Html(string="Reason", help="Sent to the customer with the decision.")
    template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Message Template",
        compute="_compute_template_id",
        store=True,
        readonly=False,
        domain="[('model', '=', 'complaint.case'), ('complaint_usage', '=', 'decision')]",
        help="The message sent to the customer with the decision; it starts from the "
        "template that fits the decision, type, reason and language of the case.",
    )
    preview_subject = fields.Char(compute="_compute_preview", string="Subject")
    preview_body = fields.Html(
        compute="_compute_preview",
        string="Message Preview",
        sanitize=False,
        help="The message as the customer will read it, in their language.",
    )

    @api.depends("case_id", "decision")
    def _compute_template_id(self):
        Template = self.env["mail.template"]
        for wizard in self:
            wizard.template_id = (
                Template._complaint_get_templates(
                    wizard.case_id, usage="decision", decision=wizard.decision
                )[:1]
                if wizard.case_id and wizard.decision
                else False
            )

    @api.depends("template_id", "case_id", "decision", "resolution", "decision_note")
    def _compute_preview(self):
        for wizard in self:
            wizard.preview_subject, wizard.preview_body = (
                wizard.template_id._complaint_render_preview(
                    wizard.case_id._origin,
                    {
                        "decision": wizard.decision,
                        "resolution": wizard.resolution,
                        "decision_note": wizard.decision_note,
                        "date_decision": fields.Datetime.now(),
                    },
                )
                if wizard.template_id and wizard.case_id
                else (False, False)
            )

    def action_confirm(self):
        """Send the decision, or, while the approval rules ask for approvals
        that are not all given, request them and tell the handler the case
        waits: the requests are kept, so this returns instead of raising."""
        self.ensure_one()
        case = self.case_id
        case.check_access("write")
        if case.approval_state == "rejected":
            raise UserError(
                self.env._(
                    "An approver rejected case %s: restart the approvals from the case first.",
                    case.name,
                )
            )
        requested = self.env["complaint.approval.rule"]._create_approvals(case)
        pending = case.sudo().approval_ids.filtered(lambda a: a.state != "approved")
        if pending:
            if requested:
                case.message_post(
                    body=self.env._(
                        "Decision proposed for approval: %(decision)s (%(resolution)s).",
                        decision=self._get_label("decision"),
                        resolution=self._get_label("resolution"),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            return self._action_waiting_for_approval(pending)
        # the only place where a decision is written: see complaint.case._check_decision_write
        case.sudo().write(
            {
                "decision": self.decision,
                "resolution": self.resolution,
                "decision_note": self.decision_note,
                "date_decision": fields.Datetime.now(),
            }
        )
        case._move_to_state("decided")
        if self.template_id:
            case._notify_customer(self.template_id)
        return {"type": "ir.actions.act_window_close"}

    def _get_label(self, field_name):
        return dict(self._fields[field_name]._description_selection(self.env)).get(
            self[field_name], ""
        )

    def _action_waiting_for_approval(self, pending):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "title": self.env._("Waiting for approval"),
                "message": self.env._(
                    "Case %(case)s waits for approval before the decision is sent: %(steps)s.",
                    case=self.case_id.name,
                    steps=", ".join(
                        (approval.user_id or approval.group_id).display_name
                        for approval in pending.sorted(lambda a: (a.sequence, a.id))
                    ),
                ),
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
