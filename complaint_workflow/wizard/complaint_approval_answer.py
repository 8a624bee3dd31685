from odoo import fields, models


class ComplaintApprovalAnswer(models.TransientModel):
    _name = "complaint.approval.answer"
    _description = "Answer a Complaint Approval"

    approval_id = fields.Many2one(
        comodel_name="complaint.approval", required=True, ondelete="cascade"
    )
    comment = fields.Text()

    def action_approve(self):
        self.ensure_one()
        self.approval_id._answer(True, self.comment)
        return {"type": "ir.actions.act_window_close"}

    def action_reject(self):
        self.ensure_one()
        self.approval_id._answer(False, self.comment)
        return {"type": "ir.actions.act_window_close"}
