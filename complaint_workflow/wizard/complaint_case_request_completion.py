from odoo import fields, models


class ComplaintCaseRequestCompletion(models.TransientModel):
    _name = "complaint.case.request.completion"
    _description = "Ask the Customer to Complete a Complaint"

    case_id = fields.Many2one(comodel_name="complaint.case", required=True, ondelete="cascade")
    missing_info = fields.Html(
        string="What Is Missing",
        required=True,
        help="Sent to the customer; the case waits and its SLA pauses until they answer.",
    )

    def action_confirm(self):
        self.ensure_one()
        case = self.case_id
        case.write(
            {
                "completion_request": self.missing_info,
                "completion_stage_id": case.stage_id.id,
                "date_completion_requested": fields.Datetime.now(),
            }
        )
        case._move_to_state("waiting")
        case._notify_customer(
            self.env.ref("complaint_workflow.complaint_case_mail_template_completion")
        )
        return {"type": "ir.actions.act_window_close"}
