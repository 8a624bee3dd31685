from odoo import api, fields, models


class ComplaintApprovalRule(models.Model):
    _name = "complaint.approval.rule"
    _inherit = ["complaint.case.criteria"]
    _description = "Complaint Approval Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    min_cost = fields.Monetary(
        string="From Cost",
        currency_field="currency_id",
        help="Applies when the case costs at least this much (company currency).",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        default=lambda self: self.env.company.currency_id,
    )
    step_ids = fields.One2many(
        comodel_name="complaint.approval.rule.step",
        inverse_name="rule_id",
        string="Steps",
        copy=True,
    )
    allow_handler_approval = fields.Boolean(
        string="Handlers May Approve",
        help="Let the handler of a case answer its approval steps; by default somebody "
        "else must approve.",
    )

    def _matches(self, case):
        if self.min_cost and case.cost_total < self.min_cost:
            return False
        return super()._matches(case)

    @api.model
    def _get_matching_rules(self, case):
        """Every active rule that applies to ``case``, whoever asks: what a
        decision needs must not depend on what the handler may read."""
        return self.sudo().search([]).filtered(lambda rule: rule._matches(case))

    @api.model
    def _get_missing_steps(self, case):
        """Steps of the rules matching ``case`` that did not approve it yet."""
        approved = case.sudo().approval_ids.filtered(lambda a: a.state == "approved")
        return self._get_matching_rules(case).step_ids - approved.step_id

    @api.model
    def _create_approvals(self, case):
        """Approval steps of every rule that matches ``case`` and has none on it
        yet; calling it again only adds what became necessary since. Handlers
        may not create approvals themselves, hence the sudo; the approvers of
        the step now due get an activity."""
        existing = case.sudo().approval_ids.step_id
        values = [
            {
                "case_id": case.id,
                "step_id": step.id,
                "sequence": step.rule_id.sequence * 1000 + step.sequence,
                "user_id": step.user_id.id,
                "group_id": step.group_id.id,
            }
            for rule in self._get_matching_rules(case)
            for step in rule.step_ids
            if step not in existing
        ]
        approvals = self.env["complaint.approval"].sudo().create(values)
        if approvals:
            case.sudo().approval_ids._get_current()._schedule_activities()
        return approvals

    @api.model
    def _restart_approvals(self, case):
        """A new approval round after a rejection."""
        case = case.sudo()
        case.activity_unlink(["complaint_workflow.mail_activity_type_complaint_approval"])
        case.approval_ids.unlink()
        return self._create_approvals(case)
