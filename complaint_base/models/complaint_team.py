import ast
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .complaint_case import CLOSED_STATES


class ComplaintTeam(models.Model):
    _name = "complaint.team"
    _description = "Complaint Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Team Leader",
        check_company=True,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    member_ids = fields.Many2many(
        comodel_name="res.users",
        relation="complaint_team_member_rel",
        column1="team_id",
        column2="user_id",
        string="Members",
        check_company=True,
        domain="[('share', '=', False)]",
    )
    alias_id = fields.Many2one(
        help="E-mails sent to this address create cases handled by this team.",
    )
    alias_partner_policy = fields.Selection(
        selection=[
            ("create", "Create a Contact"),
            ("existing", "Known Contacts Only"),
        ],
        string="Unknown Senders",
        required=True,
        default="create",
        help="Create a contact for an unknown sender and open the case, or open cases "
        "only for known contacts and keep other e-mails under Failed E-mails.",
    )
    case_ids = fields.One2many(comodel_name="complaint.case", inverse_name="team_id")
    open_case_count = fields.Integer(compute="_compute_open_case_count")
    case_new_count = fields.Integer(string="New Cases", compute="_compute_overview_counts")
    case_unassigned_count = fields.Integer(
        string="Unassigned Cases", compute="_compute_overview_counts"
    )
    avg_handling_days = fields.Float(
        string="Average Handling Time",
        compute="_compute_avg_handling_days",
        digits=(16, 1),
        help="Days from receipt to closing, on average, for the cases the team closed "
        "in the last 90 days.",
    )

    def _compute_open_case_count(self):
        counts = dict(
            self.env["complaint.case"]._read_group(
                [("team_id", "in", self.ids), ("state", "not in", CLOSED_STATES)],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_case_count = counts.get(team, 0)

    @api.model
    def _overview_counter_domains(self):
        """Counter field of the overview -> domain of its open cases. Each
        counter is one grouped count over all teams; extended by other add-ons
        (the counter's filter has the same name in the case search view, see
        ``_overview_filters``)."""
        return {
            "case_new_count": [("state", "=", "new")],
            "case_unassigned_count": [("user_id", "=", False)],
        }

    def _compute_overview_counts(self):
        Case = self.env["complaint.case"]
        base_domain = [("team_id", "in", self.ids), ("state", "not in", CLOSED_STATES)]
        for field_name, domain in self._overview_counter_domains().items():
            counts = dict(Case._read_group(base_domain + domain, ["team_id"], ["__count"]))
            for team in self:
                team[field_name] = counts.get(team, 0)

    def _compute_avg_handling_days(self):
        Case = self.env["complaint.case"]
        query = Case._search(
            [
                ("team_id", "in", self.ids),
                ("state", "=", "closed"),
                ("date_closed", ">=", fields.Datetime.now() - timedelta(days=90)),
            ]
        )
        query.groupby = SQL.identifier(Case._table, "team_id")
        received = Case._field_to_sql(Case._table, "date_received", query)
        closed = Case._field_to_sql(Case._table, "date_closed", query)
        rows = self.env.execute_query(
            query.select(
                query.groupby,
                SQL("AVG(EXTRACT(EPOCH FROM %s - %s)) / 86400.0", closed, received),
            )
        )
        averages = dict(rows)
        for team in self:
            team.avg_handling_days = float(averages.get(team.id) or 0.0)

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("complaint.case").id
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults.setdefault("company_id", self.company_id.id)
        return values

    @api.model
    def _get_default_team(self, user=None):
        """First team the user belongs to (as member or leader) in the current company."""
        user = user or self.env.user
        return self.search(
            [
                "|",
                ("member_ids", "in", user.id),
                ("user_id", "=", user.id),
                ("company_id", "in", self.env.companies.ids),
            ],
            limit=1,
        )

    @api.model
    def _overview_filters(self):
        """Filters of the case search view that an overview counter may open."""
        return {"new", "unassigned"}

    def action_view_cases(self):
        """The team's open cases; a counter of the overview passes the name of
        its filter in the context key ``complaint_filter``."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_base.complaint_case_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        action["display_name"] = self.name
        filter_name = self.env.context.get("complaint_filter")
        if filter_name in self._overview_filters():
            action["context"][f"search_default_{filter_name}"] = 1
            action["views"] = [(False, "list"), (False, "form")]
            action["view_mode"] = "list,form"
        return action
