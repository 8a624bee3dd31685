from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.complaint_base.models.complaint_case import CLOSED_STATES

from .complaint_stage import duration_label


class ComplaintSlaPolicy(models.Model):
    _name = "complaint.sla.policy"
    _inherit = ["complaint.case.criteria"]
    _description = "Complaint SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    vip_only = fields.Boolean(
        string="VIP Customers Only",
        help="Applies only to customers flagged as VIP.",
    )
    partner_category_ids = fields.Many2many(
        comodel_name="res.partner.category",
        string="Customer Tags",
        help="Applies to customers with one of these tags; empty for all.",
    )
    min_priority = fields.Selection(
        selection=lambda self: (
            self.env["complaint.case"]._fields["priority"]._description_selection(self.env)
        ),
        string="Minimum Priority",
        help="Applies to cases of at least this priority; empty for all.",
    )
    target_amount = fields.Float(string="Target", required=True, default=14.0)
    target_unit = fields.Selection(
        selection=lambda self: (
            self.env["complaint.stage"]._fields["deadline_unit"]._description_selection(self.env)
        ),
        string="Unit",
        required=True,
        default="calendar_days",
    )
    target_display = fields.Char(string="Time Allowed", compute="_compute_target_display")
    target_state = fields.Selection(
        selection=[("decided", "Decision Sent"), ("closed", "Case Closed")],
        string="Met When",
        required=True,
        default="decided",
        help="The SLA is met when the case reaches this status in time.",
    )
    pause_when_waiting = fields.Boolean(
        string="Pause While Waiting for the Customer",
        default=True,
        help="The clock stops while the case waits for information from the customer.",
    )

    _sql_constraints = [
        ("target_positive", "CHECK(target_amount > 0)", "The SLA target must be positive."),
    ]

    @api.depends("target_amount", "target_unit")
    @api.depends_context("lang")
    def _compute_target_display(self):
        for policy in self:
            policy.target_display = duration_label(
                self.env, policy.target_amount, policy.target_unit
            )

    @api.constrains("target_amount")
    def _check_target_amount(self):
        for policy in self:
            if policy.target_amount <= 0:
                raise ValidationError(
                    self.env._(
                        "The target of the SLA policy %s must be more than zero.", policy.name
                    )
                )

    def write(self, vals):
        replan = bool({"target_amount", "target_unit"} & vals.keys())
        if replan:
            lines = self._get_open_lines()
            previous_plans = {
                line.id: line.case_id._add_duration(
                    line.date_start, line.policy_id.target_amount, line.policy_id.target_unit
                )
                for line in lines
            }
        res = super().write(vals)
        if replan:
            lines._replan(previous_plans)
        return res

    def _get_open_lines(self):
        """Clocks that a change of the target moves: those still counting on
        open cases without a decision; decided and closed cases keep theirs."""
        return self.env["complaint.sla.line"].search(
            [
                ("policy_id", "in", self.ids),
                ("state", "in", ("running", "paused")),
                ("case_id.state", "not in", (*CLOSED_STATES, "decided")),
                ("case_id.date_decision", "=", False),
            ]
        )

    def _matches(self, case):
        """Whether this policy applies to ``case``."""
        if self.vip_only and not case.is_vip:
            return False
        if self.partner_category_ids and not (
            self.partner_category_ids
            & (case.partner_id.category_id | case.commercial_partner_id.category_id)
        ):
            return False
        if self.min_priority and int(case.priority or 0) < int(self.min_priority):
            return False
        return super()._matches(case)

    @api.model
    def _apply_to_cases(self, cases):
        """Give each open case a line for every policy that matches it and that
        it does not have yet; called on creation and when matching fields change."""
        policies = self.search([])
        if not policies:
            return
        values = []
        for case in cases.filtered(lambda c: c.state not in CLOSED_STATES):
            for policy in policies - case.sla_line_ids.policy_id:
                if not policy._matches(case):
                    continue
                start = case.date_received or fields.Datetime.now()
                values.append(
                    {
                        "case_id": case.id,
                        "policy_id": policy.id,
                        "date_start": start,
                        "date_deadline": case._add_duration(
                            start, policy.target_amount, policy.target_unit
                        ),
                    }
                )
        if values:
            self.env["complaint.sla.line"].create(values)
