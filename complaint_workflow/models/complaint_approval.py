from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

APPROVAL_ACTIVITY = "complaint_workflow.mail_activity_type_complaint_approval"
# only complaint.approval._answer sets these, as superuser
ANSWER_FIELDS = {"state", "approver_id", "date"}


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
        readonly=True,
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if (
                vals.get("state", "pending") != "pending"
                or vals.get("approver_id")
                or vals.get("date")
            ):
                self._check_answer_by_superuser()
        return super().create(vals_list)

    def write(self, vals):
        if ANSWER_FIELDS & vals.keys():
            self._check_answer_by_superuser()
        return super().write(vals)

    def _check_answer_by_superuser(self):
        """Approvals are answered through _answer only, which checks who answers."""
        if not self.env.su:
            raise AccessError(
                self.env._("Approvals can only be answered with the Approve and Reject buttons.")
            )

    def _get_current(self):
        """The step now due among ``self``: the first pending one."""
        return self.filtered(lambda a: a.state == "pending").sorted(lambda a: (a.sequence, a.id))[
            :1
        ]

    def _can_answer(self, user):
        self.ensure_one()
        if user.has_group("complaint_base.group_complaint_manager"):
            return True
        if self.group_id:
            return user in self.group_id.users
        return user in (self.user_id | self.effective_user_id)

    def _may_be_answered_by_handler(self):
        self.ensure_one()
        return self.sudo().step_id.rule_id.allow_handler_approval

    def _get_approver_users(self):
        """Who is asked to answer: the approver or the group's users, each
        replaced by their deputy while absent; not the handler of the case
        unless the rule lets handlers approve."""
        self.ensure_one()
        users = self.user_id or self.group_id.users.filtered(lambda u: u.active and not u.share)
        acting = self.env["res.users"].browse(
            list({user._complaint_available_user().id for user in users})
        )
        if not self._may_be_answered_by_handler():
            acting -= self.case_id.user_id
        return acting

    def _schedule_activities(self):
        for approval in self.sudo():
            case = approval.case_id
            asked = case.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(APPROVAL_ACTIVITY)
            ).user_id
            for user in approval._get_approver_users() - asked:
                case.activity_schedule(
                    APPROVAL_ACTIVITY,
                    user_id=user.id,
                    summary=self.env._("Approve case %s", case.name),
                )

    def _answer(self, approve, comment):
        """Approve or reject the current step of its case as the current user.
        Approvers need not handle the case: the checks below replace the
        record rules and the access rights, hence the sudo."""
        self.ensure_one()
        user = self.env.user
        approval = self.sudo()
        case = approval.case_id
        if approval != case.approval_ids._get_current():
            raise UserError(self.env._("Only the first pending approval step can be answered."))
        if not approval._can_answer(user):
            raise UserError(
                self.env._("You are not an approver of this step of case %s.", case.name)
            )
        if user == case.user_id and not approval._may_be_answered_by_handler():
            raise UserError(
                self.env._("You handle case %s: somebody else must answer its approval.", case.name)
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
        case.message_post(
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
        case.activity_feedback([APPROVAL_ACTIVITY], user_id=user.id, feedback=comment)
        case.activity_unlink([APPROVAL_ACTIVITY])
        if approve:
            case.approval_ids._get_current()._schedule_activities()
        elif case.user_id:
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=case.user_id.id,
                summary=self.env._("Approval rejected: restart the approvals or change the case"),
            )
        return True
