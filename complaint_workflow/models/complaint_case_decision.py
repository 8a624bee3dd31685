from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Statuses a case reaches only with a decision sent and its approvals given.
DECISION_STATES = ("decided", "closed")
# Written by the Decide wizard only (as superuser).
DECISION_FIELDS = ("decision", "resolution", "decision_note", "date_decision")


class ComplaintCaseDecision(models.AbstractModel):
    """Decisions and approvals of a case, and the gates that protect them.
    Mixed into ``complaint.case`` only."""

    _name = "complaint.case.decision"
    _description = "Complaint Case Decisions"

    decision = fields.Selection(
        selection=[
            ("accepted", "Accepted"),
            ("partly_accepted", "Partly Accepted"),
            ("rejected", "Rejected"),
        ],
        copy=False,
        tracking=True,
    )
    resolution = fields.Selection(
        selection=[
            ("refund", "Refund"),
            ("replacement", "Replacement"),
            ("repair", "Repair"),
            ("return", "Return"),
            ("discount", "Discount"),
            ("none", "None"),
        ],
        copy=False,
        tracking=True,
    )
    decision_note = fields.Html(string="Decision Reason", copy=False)
    date_decision = fields.Datetime(
        string="Decision Sent On",
        copy=False,
        readonly=True,
        tracking=True,
    )
    approval_ids = fields.One2many(
        comodel_name="complaint.approval",
        inverse_name="case_id",
        string="Approvals",
        copy=False,
    )
    approval_state = fields.Selection(
        selection=[
            ("none", "Not Required"),
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        compute="_compute_approval_state",
        store=True,
    )

    @api.depends("approval_ids.state")
    def _compute_approval_state(self):
        for case in self:
            states = set(case.approval_ids.mapped("state"))
            if not states:
                case.approval_state = "none"
            elif "rejected" in states:
                case.approval_state = "rejected"
            elif "pending" in states:
                case.approval_state = "pending"
            else:
                case.approval_state = "approved"

    def _check_decision_write(self, vals):
        """Decisions are recorded by the Decide wizard, which writes them as
        superuser once the approvals are given; nobody writes them directly."""
        if self.env.su:
            return
        written = [name for name in DECISION_FIELDS if name in vals]
        if written:
            raise AccessError(
                self.env._(
                    "%s can only be set with the Decide button of the case.",
                    ", ".join(self._fields[name]._description_string(self.env) for name in written),
                )
            )

    def _check_reopening(self, previous_states):
        """Only managers take a decided or closed case back into handling."""
        reopened = self.filtered(
            lambda case: (
                previous_states[case.id] in DECISION_STATES
                and case.state not in (*DECISION_STATES, "cancelled")
            )
        )
        if (
            reopened
            and not self.env.su
            and not self.env.user.has_group("complaint_base.group_complaint_manager")
        ):
            raise UserError(
                self.env._(
                    "Only complaint managers can reopen decided or closed cases (%s).",
                    ", ".join(reopened.mapped("name")),
                )
            )

    def _get_decision_gate_errors(self):
        self.ensure_one()
        status = dict(self._fields["state"]._description_selection(self.env))[self.state]
        if not (self.decision and self.date_decision):
            return [
                self.env._(
                    "Case %(case)s cannot be %(status)s before its decision is sent with "
                    "the Decide button.",
                    case=self.name,
                    status=status,
                )
            ]
        missing = self.env["complaint.approval.rule"]._get_missing_steps(self)
        if self.approval_state not in ("none", "approved") or missing:
            return [
                self.env._(
                    "Case %(case)s cannot be %(status)s before its approvals are given.",
                    case=self.name,
                    status=status,
                )
            ]
        return []

    def action_open_decide_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_workflow.complaint_case_decide_action"
        )
        action["context"] = {"default_case_id": self.id}
        return action

    def action_restart_approvals(self):
        """A new approval round after a rejection, asked by the handler."""
        self.ensure_one()
        if self.approval_state != "rejected":
            raise UserError(
                self.env._("Only rejected approvals of case %s can be restarted.", self.name)
            )
        self.check_access("write")
        self.env["complaint.approval.rule"]._restart_approvals(self)
        self.message_post(
            body=self.env._("Approvals restarted by %s.", self.env.user.name),
            subtype_xmlid="mail.mt_note",
        )
        return True
