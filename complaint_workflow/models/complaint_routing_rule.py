import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

# many2one criteria compared with the case field of the same name
CASE_FIELD_CRITERIA = ("warehouse_id", "department_id", "reason_id", "type_id")


class ComplaintRoutingRule(models.Model):
    """Which team and handler a new case gets. Rules are tried in sequence
    order and the first one whose criteria all match routes the case; rules
    may overlap on purpose (a specific rule above a general one)."""

    _name = "complaint.routing.rule"
    _description = "Complaint Routing Rule"
    _order = "sequence, id"
    _check_company_auto = True

    def _selection_channel(self):
        return self.env["complaint.case"]._fields["channel"].selection

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Rules are tried in this order and the first rule that matches a case routes "
        "it; rules may overlap, so put specific rules above general ones.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Only route cases of this company; empty for the company of the team "
        "(or every company when the rule names a user only).",
    )
    warehouse_id = fields.Many2one(
        comodel_name="stock.warehouse",
        string="Site",
        help="Matches cases of this site; empty for any.",
    )
    department_id = fields.Many2one(
        comodel_name="res.partner",
        help="Matches internal complaints raised by this department; empty for any.",
    )
    product_category_id = fields.Many2one(
        comodel_name="product.category",
        help="Matches when a claimed product is in this category or below it; empty for any.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        help="Matches when this product is among the claimed products; empty for any.",
    )
    reason_id = fields.Many2one(
        comodel_name="complaint.reason",
        string="Reason / Defect Class",
        help="Matches cases with this reason; empty for any.",
    )
    type_id = fields.Many2one(
        comodel_name="complaint.type",
        help="Matches cases of this type; empty for any.",
    )
    channel = fields.Selection(
        selection="_selection_channel",
        help="Matches cases received through this channel; empty for any.",
    )
    team_id = fields.Many2one(
        comodel_name="complaint.team",
        string="Route to Team",
        help="Team the matched cases move to; it also picks the handler unless a user is set.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Route to User",
        check_company=True,
        domain="[('share', '=', False)]",
        help="Handler of the matched cases (or their deputy while they are absent).",
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
        compute="_compute_assign_method",
        store=True,
        readonly=False,
        precompute=True,
        help="How the handler is chosen: the user of the rule, or a member of the team "
        "(by the team's own method, by the fewest open cases, or in turn). Absent members "
        "are skipped; an absent user is replaced by their deputy.",
    )

    @api.depends("user_id", "team_id")
    def _compute_assign_method(self):
        for rule in self:
            if rule.user_id:
                rule.assign_method = "fixed"
            elif not rule.assign_method or rule.assign_method == "fixed":
                rule.assign_method = "team"

    @api.constrains("team_id", "user_id", "assign_method")
    def _check_target(self):
        for rule in self:
            if not rule.team_id and not rule.user_id:
                raise ValidationError(
                    self.env._("Routing rule %s needs a team or a user.", rule.name)
                )
            if rule.assign_method == "fixed" and not rule.user_id:
                raise ValidationError(
                    self.env._(
                        "Routing rule %s assigns the user of the rule: choose the user, or let "
                        "the team assign.",
                        rule.name,
                    )
                )
            if rule.assign_method != "fixed" and rule.user_id:
                raise ValidationError(
                    self.env._(
                        "Routing rule %s names a user and lets the team pick a member: "
                        "remove the user or assign to the user.",
                        rule.name,
                    )
                )

    @api.constrains("company_id", "team_id")
    def _check_team_company(self):
        for rule in self:
            if rule.company_id and rule.team_id and rule.team_id.company_id != rule.company_id:
                raise ValidationError(
                    self.env._(
                        "Routing rule %(rule)s is for %(company)s but team %(team)s belongs "
                        "to %(team_company)s.",
                        rule=rule.name,
                        company=rule.company_id.name,
                        team=rule.team_id.name,
                        team_company=rule.team_id.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------

    def _get_match_criteria(self):
        """What the rule requires, as ``{key: value}``: a case matches when every
        value is among the case's values for that key (see
        ``_get_case_match_values``). Add-ons adding a criterion extend both."""
        self.ensure_one()
        criteria = {name: self[name].id for name in CASE_FIELD_CRITERIA if self[name]}
        # a team serves the cases of its own company only
        company = self.company_id or self.team_id.company_id
        if company:
            criteria["company_id"] = company.id
        if self.channel:
            criteria["channel"] = self.channel
        if self.product_id:
            criteria["product_id"] = self.product_id.id
        if self.product_category_id:
            criteria["product_category_id"] = self.product_category_id.id
        return criteria

    @api.model
    def _get_case_match_values(self, cases, keys):
        """``{case id: {key: set of values}}`` for the criteria ``keys``, read
        for the whole batch at once."""
        fnames = ["company_id", "channel", *CASE_FIELD_CRITERIA]
        result = {
            row["id"]: {name: {row[name]} for name in fnames}
            for row in cases.read(fnames, load=None)
        }
        if {"product_id", "product_category_id"} & keys:
            for values in result.values():
                values["product_id"] = set()
                values["product_category_id"] = set()
            # one query for the lines of the batch, in id order (not in case order,
            # which would join the cases)
            lines = (
                self.env["complaint.case.line"]
                .sudo()
                .search_fetch([("case_id", "in", cases.ids)], ["case_id", "product_id"], order="id")
            )
            rows = [
                row for row in lines.read(["case_id", "product_id"], load=None) if row["product_id"]
            ]
            products = (
                self.env["product.product"].sudo().browse(list({row["product_id"] for row in rows}))
            )
            # the category of each product and every category above it
            ancestors = {
                product.id: {int(part) for part in product.categ_id.parent_path.split("/") if part}
                for product in products
            }
            for row in rows:
                values = result[row["case_id"]]
                values["product_id"].add(row["product_id"])
                values["product_category_id"] |= ancestors[row["product_id"]]
        return result

    # ------------------------------------------------------------------
    # Assignment
    # ------------------------------------------------------------------

    @api.model
    def _get_assignments(self, cases):
        """Route ``cases``: ``{case id: {"rule", "team_id", "user_id"}}`` for the
        cases a rule matches, plus ``"absent_user_id"`` when the user the rule
        or the team chose is absent and ``user_id`` is their deputy. Nothing is
        written but the round-robin position of the teams; the caller assigns
        and tells the chatter.

        Built for batches: rules, cases, team loads and absences are read once
        for all the cases, and the loads grow in memory as the batch assigns.
        Routing follows the rules whoever creates the case, so the rules,
        loads and absences are read as superuser."""
        result = {}
        rules = self.sudo().search([])
        if not rules or not cases:
            return result
        rule_criteria = [(rule, rule._get_match_criteria()) for rule in rules]
        keys = {key for _rule, criteria in rule_criteria for key in criteria}
        case_values = self._get_case_match_values(cases.sudo(), keys)
        matched = {}
        for case_id, values in case_values.items():
            for rule, criteria in rule_criteria:
                if all(value in values[key] for key, value in criteria.items()):
                    matched[case_id] = rule
                    break
        if not matched:
            return result

        picks, present = self._pick_team_members(matched)
        Users = self.env["res.users"].sudo()
        Companies = self.env["res.company"].sudo()
        handlers = {}
        for case_id, rule in matched.items():
            user = rule.user_id if rule.assign_method == "fixed" else picks.get(case_id, Users)
            (company_id,) = case_values[case_id]["company_id"]
            key = (user, company_id)
            if key not in handlers:
                handlers[key] = self._get_acting_user(user, Companies.browse(company_id), present)
            acting, absent = handlers[key]
            if not acting and not rule.team_id:
                continue
            assignment = {
                "rule": rule.with_env(self.env),
                "team_id": rule.team_id.with_env(self.env),
                "user_id": acting.with_env(self.env),
            }
            if absent:
                assignment["absent_user_id"] = absent.with_env(self.env)
            result[case_id] = assignment
        return result

    @api.model
    def _pick_team_members(self, matched):
        """Members picked for the ``matched`` cases (``{case id: rule}``) whose
        rule lets the team pick, as ``({case id: member}, members found
        present)``. Cases are served in their order; the open cases of all the
        teams are counted at once and the absences of their members looked up
        once."""
        to_pick = defaultdict(list)
        for case_id, rule in matched.items():
            if rule.assign_method != "fixed":
                method = None if rule.assign_method == "team" else rule.assign_method
                to_pick[rule.team_id, method or rule.team_id.assign_method].append(case_id)
        teams = self.env["complaint.team"].sudo().union(*(team for team, _method in to_pick))
        if not teams:
            return {}, self.env["res.users"]
        loads = None
        if any(method == "load" for _team, method in to_pick):
            # cases routed again no longer count for their current handler
            loads = teams._complaint_open_loads(
                exclude=self.env["complaint.case"].browse(list(matched))
            )
        members = teams.member_ids
        absent_users = members.filtered(lambda user: user._complaint_is_absent())
        picks = {}
        for (team, method), case_ids in to_pick.items():
            users = team._complaint_pick_members(
                len(case_ids), method=method, loads=loads, absent_users=absent_users
            )
            if users:
                picks.update(zip(case_ids, users, strict=True))
        return picks, members - absent_users

    @api.model
    def _get_acting_user(self, user, company, present):
        """``(handler, absent user)`` when a rule or a team chose ``user`` for a
        case of ``company``: the user, or their deputy while they are absent
        (then the user comes second). A user who is archived or cannot work
        for the company is dropped, and a deputy who cannot keeps the user: a
        routing mistake is logged and must not make the case fail. Users in
        ``present`` are known to be in the office."""
        Users = self.env["res.users"]
        if not user:
            return Users, Users
        if not user.active or company not in user.company_ids:
            _logger.warning(
                "Complaint routing: %s cannot handle cases of %s; cases routed without a handler",
                user.login,
                company.name,
            )
            return Users, Users
        acting = user if user in present else user._complaint_available_user()
        if acting == user:
            return user, Users
        if not acting.active or company not in acting.company_ids:
            _logger.warning(
                "Complaint routing: %s is absent but their deputy %s cannot handle cases of %s; "
                "keeping %s",
                user.login,
                acting.login,
                company.name,
                user.login,
            )
            return user, Users
        return acting, user
