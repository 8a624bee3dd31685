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

    def _matches(self, case):
        if self.min_cost and case.cost_total < self.min_cost:
            return False
        return super()._matches(case)

    @api.model
    def _create_approvals(self, case):
        """Approval steps of every rule that matches ``case`` and has none on it
        yet; calling it again only adds what became necessary since."""
        existing = case.approval_ids.step_id
        values = [
            {
                "case_id": case.id,
                "step_id": step.id,
                "sequence": step.rule_id.sequence * 1000 + step.sequence,
                "user_id": step.user_id.id,
                "group_id": step.group_id.id,
            }
            for rule in self.search([]).filtered(lambda r: r._matches(case))
            for step in rule.step_ids
            if step not in existing
        ]
        return self.env["complaint.approval"].create(values)

    @api.model
    def _restart_approvals(self, case):
        """A new approval round after a rejection."""
        case.approval_ids.unlink()
        return self._create_approvals(case)
