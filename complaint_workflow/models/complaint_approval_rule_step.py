from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintApprovalRuleStep(models.Model):
    _name = "complaint.approval.rule.step"
    _description = "Complaint Approval Step"
    _order = "sequence, id"

    rule_id = fields.Many2one(
        comodel_name="complaint.approval.rule",
        required=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Approver", domain="[('share', '=', False)]"
    )
    group_id = fields.Many2one(comodel_name="res.groups", string="Approving Group")

    @api.constrains("user_id", "group_id")
    def _check_approver(self):
        for step in self:
            if bool(step.user_id) == bool(step.group_id):
                raise ValidationError(
                    self.env._(
                        "Each step of approval rule %s needs either a user or a group.",
                        step.rule_id.name,
                    )
                )
