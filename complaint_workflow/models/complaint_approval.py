from odoo import api, fields, models
from odoo.exceptions import UserError


class ComplaintApproval(models.Model):
    _name = "complaint.approval"
    _description = "Complaint Approval"
    _order = "case_id, sequence, id"

    case_id = fields.Many2one(
        comodel_name="complaint.case",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    step_id = fields.Many2one(comodel_name="complaint.approval.rule.step", ondelete="set null")
    sequence = fields.Integer()
    user_id = fields.Many2one(comodel_name="res.users", string="Approver")
    group_id = fields.Many2one(comodel_name="res.groups", string="Approving Group")
    effective_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Acting Approver",
        compute="_compute_effective_user_id",
        help="The approver, or their deputy while they are absent.",
    )
    state = fields.Selection(
        selection=[("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected")],
        required=True,
        default="pending",
    )
    approver_id = fields.Many2one(comodel_name="res.users", string="Answered By", readonly=True)
    comment = fields.Text()
    date = fields.Datetime(string="Answered On", readonly=True)

    @api.depends("user_id")
    def _compute_effective_user_id(self):
        for approval in self:
            approval.effective_user_id = (
                approval.user_id._complaint_available_user() if approval.user_id else False
            )

    def _can_answer(self, user):
        self.ensure_one()
        if user.has_group("complaint_base.group_complaint_manager"):
            return True
        if self.group_id:
            return user in self.group_id.users
        return user in (self.user_id | self.effective_user_id)

    def _answer(self, approve, comment):
        """Approve or reject the current step of its case as the current user.
        Approvers need not handle the case: the check below replaces the
        record rules, hence the sudo."""
        self.ensure_one()
        user = self.env.user
        approval = self.sudo()
        current = approval.case_id.approval_ids.filtered(lambda a: a.state == "pending")[:1]
        if approval != current:
            raise UserError(self.env._("Only the first pending approval step can be answered."))
        if not approval._can_answer(user):
            raise UserError(
                self.env._(
                    "You are not an approver of this step of case %s.", approval.case_id.name
                )
            )
        approval.write(
            {
                "state": "approved" if approve else "rejected",
                "approver_id": user.id,
                "comment": comment,
                "date": fields.Datetime.now(),
            }
        )
        verdict = self.env._("approved") if approve else self.env._("rejected")
        approval.case_id.message_post(
            body=self.env._(
                "Approval step %(step)s %(verdict)s by %(user)s: %(comment)s",
                step=approval.sequence,
                verdict=verdict,
                user=user.name,
                comment=comment or "-",
            ),
            author_id=user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return True
