from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintRoutingRule(models.Model):
    _name = "complaint.routing.rule"
    _description = "Complaint Routing Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Rules are tried in this order; the first one that matches a case routes it, "
        "so put specific rules before general ones.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(comodel_name="res.company")
    warehouse_id = fields.Many2one(comodel_name="stock.warehouse", string="Site")
    department_id = fields.Many2one(comodel_name="res.partner", string="Department")
    product_category_id = fields.Many2one(
        comodel_name="product.category",
        help="Matches when a claimed product is in this category or below it.",
    )
    product_id = fields.Many2one(comodel_name="product.product")
    reason_id = fields.Many2one(comodel_name="complaint.reason", string="Reason / Defect Class")
    type_id = fields.Many2one(comodel_name="complaint.type", string="Type")
    channel = fields.Selection(
        selection=lambda self: self.env["complaint.case"]._fields["channel"].selection,
    )
    team_id = fields.Many2one(comodel_name="complaint.team", string="Route to Team")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Route to User",
        domain="[('share', '=', False)]",
    )
    assign_method = fields.Selection(
        selection=[
            ("fixed", "The User Above"),
            ("team", "Team's Own Method"),
            ("load", "Fewest Open Cases"),
            ("round_robin", "Round Robin"),
        ],
        string="Assignment",
        required=True,
        default="team",
    )

    @api.constrains("team_id", "user_id", "assign_method")
    def _check_target(self):
        for rule in self:
            if not rule.team_id and not rule.user_id:
                raise ValidationError(
                    self.env._("Routing rule %s needs a team or a user.", rule.name)
                )
            if rule.assign_method == "fixed" and not rule.user_id:
                raise ValidationError(
                    self.env._("Routing rule %s assigns a fixed user: choose one.", rule.name)
                )
            if rule.assign_method in ("load", "round_robin") and not rule.team_id:
                raise ValidationError(
                    self.env._(
                        "Routing rule %s balances a team's load: choose the team.", rule.name
                    )
                )

    def _matches(self, case):
        self.ensure_one()
        products = case.line_ids.product_id
        return not (
            (self.company_id and self.company_id != case.company_id)
            or (self.warehouse_id and self.warehouse_id != case.warehouse_id)
            or (self.department_id and self.department_id != case.department_id)
            or (self.reason_id and self.reason_id != case.reason_id)
            or (self.type_id and self.type_id != case.type_id)
            or (self.channel and self.channel != case.channel)
            or (self.product_id and self.product_id not in products)
            or (
                self.product_category_id
                and not products.categ_id.filtered_domain(
                    [("id", "child_of", self.product_category_id.id)]
                )
            )
        )

    @api.model
    def _get_assignments(self, cases):
        """{case id: {"rule", "team_id", "user_id"[, "absent_user_id"]}} for the
        cases a rule matches; team loads are counted once for the whole batch."""
        rules = self.search([])
        loads = rules.team_id._complaint_open_loads() if rules.team_id else {}
        absent = rules.team_id.member_ids.filtered(lambda user: user._complaint_is_absent())
        result = {}
        for case in cases:
            rule = next((rule for rule in rules if rule._matches(case)), None)
            if not rule:
                continue
            user = rule.user_id
            if rule.assign_method != "fixed" and rule.team_id:
                method = None if rule.assign_method == "team" else rule.assign_method
                user = (
                    rule.team_id._complaint_pick_member(method=method, loads=loads, absent=absent)
                    or user
                )
            assignment = {"rule": rule, "team_id": rule.team_id, "user_id": user}
            if user:
                acting = user._complaint_available_user()
                if acting != user:
                    assignment.update(user_id=acting, absent_user_id=user)
            result[case.id] = assignment
        return result
