from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.complaint_base.models.complaint_case import (
    CHANNELS,
    PRIORITIES,
    SEVERITIES,
    STATES,
)

from .complaint_report_table import ROLLUP_TIMEZONES_PARAM
from .report_sql import case_report_select, line_report_select
from .report_tools import create_report_table, stored_columns

# a refresh of more cases than this leaves their working hours to the cron
WORKING_HOURS_BATCH = 2000
REFRESH_PARAM = "complaint_analytics.refresh_date"
REFRESH_LOCK = 427_301_512
REFRESH_OVERLAP = timedelta(minutes=10)


class ComplaintCaseReport(models.Model):
    """One row per case: counts, costs by kind, handling times and SLA.

    The rows live in a table refreshed incrementally from the cases changed
    since the last refresh (see ``_refresh_stale``): by the cron every five
    minutes and whenever an analysis is opened from the menu."""

    _name = "complaint.case.report"
    _description = "Complaint Analysis"
    _inherit = ["complaint.report.table"]
    _auto = False
    _order = "date_received desc, id desc"
    _rec_name = "name"
    # the managers' pivots and dashboard, quality's reasons and root causes,
    # customer service's handlers and channels (and every handler's own view:
    # their record rule reads the team and the handler)
    _rollups = {
        "by_category": ("company_id", "team_id", "product_categ_id"),
        "by_reason": ("company_id", "team_id", "type_id", "channel", "reason_id"),
        "by_root_cause": ("company_id", "team_id", "reason_id", "root_cause_id"),
        "by_handler": ("company_id", "team_id", "user_id", "channel"),
    }

    case_id = fields.Many2one(comodel_name="complaint.case", string="Case", readonly=True)
    name = fields.Char(string="Number", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Handler", readonly=True)
    team_id = fields.Many2one(comodel_name="complaint.team", string="Team", readonly=True)
    type_id = fields.Many2one(comodel_name="complaint.type", string="Type", readonly=True)
    reason_id = fields.Many2one(comodel_name="complaint.reason", string="Reason", readonly=True)
    root_cause_id = fields.Many2one(
        comodel_name="complaint.root.cause", string="Root Cause", readonly=True
    )
    severity = fields.Selection(selection=SEVERITIES, readonly=True)
    priority = fields.Selection(selection=PRIORITIES, readonly=True)
    channel = fields.Selection(selection=CHANNELS, readonly=True)
    state = fields.Selection(selection=STATES, string="Status", readonly=True)
    stage_id = fields.Many2one(comodel_name="complaint.stage", string="Stage", readonly=True)
    decision = fields.Selection(
        selection=[
            ("accepted", "Accepted"),
            ("partly_accepted", "Partly Accepted"),
            ("rejected", "Rejected"),
        ],
        readonly=True,
    )
    warehouse_id = fields.Many2one(comodel_name="stock.warehouse", string="Site", readonly=True)
    department_id = fields.Many2one(comodel_name="res.partner", string="Department", readonly=True)
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Main Product",
        readonly=True,
        help="Product of the case's first claimed item; the item analysis has every product.",
    )
    product_categ_id = fields.Many2one(
        comodel_name="product.category",
        string="Product Category",
        readonly=True,
        help="Category of the main product.",
    )
    date_received = fields.Datetime(string="Received On", readonly=True)
    date_first_answer = fields.Datetime(
        string="First Answer On",
        readonly=True,
        help="First message a handler sent to the customer from the chatter, or the "
        "decision if it came first; automatic e-mails do not count.",
    )
    date_decision = fields.Datetime(string="Decision Sent On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    date_deadline = fields.Datetime(string="Deadline", readonly=True)
    nbr = fields.Integer(string="# Cases", readonly=True)
    open_count = fields.Integer(string="# Open", readonly=True)
    overdue_count = fields.Integer(
        string="# Overdue", readonly=True, help="Open cases past their deadline."
    )
    line_count = fields.Integer(string="# Items", readonly=True)
    quantity = fields.Float(string="Claimed Quantity", readonly=True)
    cost_total = fields.Float(string="Cost", readonly=True)
    cost_freight = fields.Float(string="Freight Cost", readonly=True)
    cost_repair = fields.Float(string="Repair Cost", readonly=True)
    cost_refund = fields.Float(string="Refund Cost", readonly=True)
    cost_replacement = fields.Float(string="Replacement Cost", readonly=True)
    cost_labour = fields.Float(string="Labour Cost", readonly=True)
    cost_goodwill = fields.Float(string="Goodwill Cost", readonly=True)
    cost_other = fields.Float(string="Other Cost", readonly=True)
    effective_hours = fields.Float(string="Hours Spent", readonly=True)
    hours_to_first_answer = fields.Float(
        string="Hours to First Answer",
        aggregator="avg",
        readonly=True,
        help="From receipt to the first answer, without the time waiting for the customer.",
    )
    hours_to_decision = fields.Float(
        string="Hours to Decision",
        aggregator="avg",
        readonly=True,
        help="From receipt to the decision, without the time waiting for the customer.",
    )
    hours_to_close = fields.Float(
        string="Hours to Close",
        aggregator="avg",
        readonly=True,
        help="From receipt to closing, without the time waiting for the customer.",
    )
    waiting_hours = fields.Float(
        string="Hours Waiting for Customer",
        aggregator="avg",
        readonly=True,
        help="Time the case spent waiting for the customer (up to the last refresh).",
    )
    work_hours_to_first_answer = fields.Float(
        string="Working Hours to First Answer", aggregator="avg", readonly=True
    )
    work_hours_to_decision = fields.Float(
        string="Working Hours to Decision", aggregator="avg", readonly=True
    )
    work_hours_to_close = fields.Float(
        string="Working Hours to Close", aggregator="avg", readonly=True
    )
    work_waiting_hours = fields.Float(
        string="Working Hours Waiting for Customer", aggregator="avg", readonly=True
    )
    work_hours_pending = fields.Boolean(readonly=True)
    sla_status = fields.Selection(
        selection=[
            ("none", "No SLA"),
            ("running", "Running"),
            ("met", "Met"),
            ("breached", "Breached"),
        ],
        string="SLA Status",
        readonly=True,
    )
    sla_met = fields.Integer(string="# SLA Met", readonly=True)
    sla_breached = fields.Integer(string="# SLA Breached", readonly=True)
    sla_compliance = fields.Float(
        string="SLA Compliance (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the cases whose SLA was met among those whose SLA was met or breached.",
    )
    deemed_accepted = fields.Integer(string="# Deemed Accepted", readonly=True)
    reopened = fields.Integer(string="# Reopened", readonly=True)
    reopen_rate = fields.Float(string="Reopen Rate (%)", aggregator="avg", readonly=True)
    repeat_serial = fields.Integer(
        string="# Repeat Serial",
        readonly=True,
        help="Cases with a serial number already claimed in an earlier case.",
    )
    online_share = fields.Float(
        string="Filed Online (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the cases filed in the portal, the web form or through the API.",
    )

    def init(self):
        create_report_table(
            self,
            {"case_id": "complaint_case"},
            covering=("company_id", "product_categ_id", "nbr", "cost_total", "hours_to_close"),
        )
        self._rollup_init()
        self._refresh()

    # -------------------------------------------------------------- refresh
    @api.model
    def _refresh(self, case_ids=None):
        """Rebuild the rows of ``case_ids`` (every case when None) in the case
        and item analyses; the working hours follow at once for a few cases,
        else in the cron's batches."""
        cr = self.env.cr
        self.env.flush_all()
        now = fields.Datetime.now()
        if case_ids is not None and not case_ids:
            return
        Line = self.env["complaint.case.line.report"]
        tables = [
            (self, case_report_select(self.env, now, case_ids, self._report_select_extra("c"))),
            (Line, line_report_select(case_ids, Line._line_report_select_extra("line"))),
        ]
        timezones = self._rollup_timezones()
        # a new time zone among the users: its rollup rows are built whole
        rebuild = timezones != self._rollup_built_timezones()
        for model, select in tables:
            columns = SQL(", ").join(map(SQL.identifier, ["id", *stored_columns(model)]))
            table = SQL.identifier(model._table)
            if case_ids is None:
                cr.execute(SQL("TRUNCATE %s", table))
            else:
                if not rebuild:
                    model._rollup_before_change(case_ids, timezones)
                cr.execute(SQL("DELETE FROM %s WHERE case_id = ANY(%s)", table, list(case_ids)))
            cr.execute(
                SQL("INSERT INTO %s (%s) SELECT %s FROM (%s) rows", table, columns, columns, select)
            )
            if case_ids is None:
                cr.execute(SQL("ANALYZE %s", table))
            model._rollup_after_change(case_ids, timezones, rebuild=rebuild)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(REFRESH_PARAM, fields.Datetime.to_string(now))
        params.set_param(ROLLUP_TIMEZONES_PARAM, ",".join(timezones))
        self.env.invalidate_all()
        if case_ids is not None and len(case_ids) <= WORKING_HOURS_BATCH:
            self._compute_working_hours(list(case_ids))

    @api.model
    def _report_select_extra(self, case_alias):
        """Columns an add-on adds to the rows: ``SQL("... AS column")`` over the
        case ``case_alias`` (the analysed columns of complaint_case), one per
        stored field it adds to this model."""
        return []

    @api.model
    def _get_stale_case_ids(self, since):
        tables = [
            "complaint_case_line",
            "complaint_cost_line",
            "complaint_stage_log",
            "complaint_sla_line",
            "complaint_timesheet",
        ]
        queries = [SQL("SELECT id FROM complaint_case WHERE write_date >= %s", since)]
        queries += [
            SQL("SELECT case_id FROM %s WHERE write_date >= %s", SQL.identifier(table), since)
            for table in tables
        ]
        queries.append(
            SQL(
                "SELECT res_id FROM mail_message WHERE model = 'complaint.case' "
                "AND message_type = 'comment' AND write_date >= %s",
                since,
            )
        )
        self.env.cr.execute(SQL(" UNION ").join(queries))
        return [case_id for (case_id,) in self.env.cr.fetchall()]

    @api.model
    def _refresh_stale(self):
        """Refresh the cases changed since the last refresh; skipped when
        another transaction is refreshing (it will see the same changes)."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [REFRESH_LOCK])
        if not cr.fetchone()[0]:
            return False
        since = self.env["ir.config_parameter"].sudo().get_param(REFRESH_PARAM)
        # write dates are the writing transaction's start: the overlap catches
        # the transactions that were still running at the last refresh
        case_ids = (
            self._get_stale_case_ids(fields.Datetime.to_datetime(since) - REFRESH_OVERLAP)
            if since
            else None
        )
        self.sudo()._refresh(case_ids)
        return True

    @api.model
    def _compute_working_hours(self, case_ids=None, limit=WORKING_HOURS_BATCH):
        """Working hours (on the handler's, team's or company's calendar) of
        the rows still pending; waiting for the customer is not counted."""
        cr = self.env.cr
        catching_up = case_ids is None
        if catching_up:
            cr.execute(
                "SELECT case_id FROM complaint_case_report WHERE work_hours_pending LIMIT %s",
                [limit],
            )
            case_ids = [case_id for (case_id,) in cr.fetchall()]
        if not case_ids:
            return 0
        waiting = {}
        cr.execute(
            """SELECT sl.case_id, sl.date_start, sl.date_end
                 FROM complaint_stage_log sl
                 JOIN complaint_stage stage ON stage.id = sl.stage_id
                WHERE stage.state = 'waiting' AND sl.case_id = ANY(%s)""",
            [case_ids],
        )
        for case_id, start, end in cr.fetchall():
            waiting.setdefault(case_id, []).append((start, end))
        now = fields.Datetime.now()
        timezones = self._rollup_built_timezones()
        if timezones and not catching_up:
            self._rollup_before_change(case_ids, timezones)
        for row in self.sudo().search([("case_id", "in", case_ids)]):
            case = row.case_id

            def work(end, case=case, row=row):
                if not end:
                    return None
                hours = case._work_hours_between(row.date_received, end)
                for start, stop in waiting.get(case.id, []):
                    start = max(start, row.date_received)
                    stop = min(stop or now, end)
                    if stop > start:
                        hours -= case._work_hours_between(start, stop)
                return max(hours, 0.0)

            cr.execute(
                """UPDATE complaint_case_report
                      SET work_hours_to_first_answer = %s, work_hours_to_decision = %s,
                          work_hours_to_close = %s, work_waiting_hours = %s,
                          work_hours_pending = FALSE
                    WHERE id = %s""",
                [
                    work(row.date_first_answer),
                    work(row.date_decision),
                    work(row.date_closed),
                    sum(
                        case._work_hours_between(max(start, row.date_received), stop or now)
                        for start, stop in waiting.get(case.id, [])
                    ),
                    row.id,
                ],
            )
        # the cron's batches after a full rebuild span every day: the rollups
        # are rebuilt once, after the last one
        if timezones and not catching_up:
            self._rollup_after_change(case_ids, timezones)
        elif timezones:
            cr.execute("SELECT 1 FROM complaint_case_report WHERE work_hours_pending LIMIT 1")
            if not cr.fetchone():
                self._rollup_after_change(None, timezones)
        self.env.invalidate_all()
        return len(case_ids)

    @api.model
    def _cron_refresh(self):
        self._refresh_stale()
        self._compute_working_hours()

    # -------------------------------------------------------------- actions
    @api.model
    def action_open_analysis(self, xmlid):
        """Open an analysis action on fresh figures (menu entries call this)."""
        if not xmlid.startswith("complaint_analytics."):
            raise UserError(self.env._("%s is not an analysis of complaints.", xmlid))
        self._refresh_stale()
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    def action_open_case(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.case",
            "res_id": self.case_id.id,
            "views": [(False, "form")],
        }
