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
        self.ensure_one()
        case = self.case_id
        approvals = self.env["complaint.approval.rule"]._create_approvals(case) | case.approval_ids
        pending = approvals.filtered(lambda a: a.state != "approved")
        if pending:
            raise UserError(
                self.env._(
                    "Case %(case)s needs approval before the decision is sent: %(steps)s.",
                    case=case.name,
                    steps=", ".join(
                        (a.user_id or a.group_id).display_name + f" ({a.state})" for a in pending
                    ),
                )
            )
        case.write(
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
