from odoo import fields, models
from odoo.exceptions import UserError

DECISION_TEMPLATES = {
    "accepted": "complaint_workflow.complaint_case_mail_template_accepted",
    "partly_accepted": "complaint_workflow.complaint_case_mail_template_partly_accepted",
    "rejected": "complaint_workflow.complaint_case_mail_template_rejected",
}


class ComplaintCaseDecide(models.TransientModel):
    _name = "complaint.case.decide"
    _description = "Decide a Complaint"

    case_id = fields.Many2one(comodel_name="complaint.case", required=True, ondelete="cascade")
    decision = fields.Selection(
        selection=lambda self: self.env["complaint.case"]._fields["decision"].selection,
        required=True,
    )
    resolution = fields.Selection(
        selection=lambda self: self.env["complaint.case"]._fields["resolution"].selection,
        required=True,
        default="none",
    )
    decision_note = fields.Html(string="Reason", help="Sent to the customer with the decision.")

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
        template = self.env.ref(DECISION_TEMPLATES[self.decision], raise_if_not_found=False)
        if template:
            case._notify_customer(template)
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
