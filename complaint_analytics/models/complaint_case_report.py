from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.complaint_base.models.complaint_case import (
    CHANNELS,
    PRIORITIES,
    SEVERITIES,
    STATES,
)
from odoo.addons.complaint_base.models.complaint_cost_line import COST_TYPES

from .report_tools import create_report_table, stored_columns


ONLINE_CHANNELS = ("portal", "web_form", "api")
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
    _auto = False
    _order = "date_received desc, id desc"
    _rec_name = "name"

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
    department_id = fields.Many2one(
        comodel_name="res.partner", string="Department", readonly=True
    )
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
        create_report_table(self, {"case_id": "complaint_case"})
        self._refresh()

    # ------------------------------------------------------------------ SQL
    def _select_sql(self, now):
        cost_columns = SQL(", ").join(
            SQL(
                "COALESCE(SUM(cost.amount_company) FILTER (WHERE cost.cost_type = %s), 0) AS %s",
                cost_type,
                SQL.identifier(f"cost_{cost_type}"),
            )
            for cost_type, _label in COST_TYPES
        )
        comment_subtype = self.env.ref("mail.mt_comment").id

        def waiting(until):
            # hours of a waiting stage between the receipt and ``until``
            return SQL(
                """GREATEST(0, EXTRACT(EPOCH FROM
                     LEAST(COALESCE(sl.date_end, %s), %s)
                     - GREATEST(sl.date_start, c.date_received)) / 3600)""",
                now,
                until,
            )

        return SQL(
            """
            SELECT
                c.id AS id,
                c.id AS case_id,
                c.name AS name,
                c.company_id AS company_id,
                c.commercial_partner_id AS partner_id,
                c.user_id AS user_id,
                c.team_id AS team_id,
                c.type_id AS type_id,
                c.reason_id AS reason_id,
                c.root_cause_id AS root_cause_id,
                c.severity AS severity,
                c.priority AS priority,
                c.channel AS channel,
                c.state AS state,
                c.stage_id AS stage_id,
                c.decision AS decision,
                c.warehouse_id AS warehouse_id,
                c.department_id AS department_id,
                main.product_id AS product_id,
                main.categ_id AS product_categ_id,
                c.date_received AS date_received,
                answer.date_first_answer AS date_first_answer,
                c.date_decision AS date_decision,
                c.date_closed AS date_closed,
                c.date_deadline AS date_deadline,
                1 AS nbr,
                CASE WHEN c.state IN ('closed', 'cancelled') THEN 0 ELSE 1 END AS open_count,
                CASE WHEN c.state NOT IN ('closed', 'cancelled') AND c.date_deadline < %(now)s
                     THEN 1 ELSE 0 END AS overdue_count,
                COALESCE(items.line_count, 0) AS line_count,
                COALESCE(items.quantity, 0) AS quantity,
                COALESCE(c.cost_total, 0) AS cost_total,
                costs.*,
                COALESCE(c.effective_hours, 0) AS effective_hours,
                EXTRACT(EPOCH FROM answer.date_first_answer - c.date_received) / 3600
                    - COALESCE(waiting.to_answer, 0) AS hours_to_first_answer,
                EXTRACT(EPOCH FROM c.date_decision - c.date_received) / 3600
                    - COALESCE(waiting.to_decision, 0) AS hours_to_decision,
                EXTRACT(EPOCH FROM c.date_closed - c.date_received) / 3600
                    - COALESCE(waiting.to_close, 0) AS hours_to_close,
                COALESCE(waiting.total, 0) AS waiting_hours,
                TRUE AS work_hours_pending,
                NULL::float AS work_hours_to_first_answer,
                NULL::float AS work_hours_to_decision,
                NULL::float AS work_hours_to_close,
                NULL::float AS work_waiting_hours,
                COALESCE(c.sla_status, 'none') AS sla_status,
                CASE WHEN c.sla_status = 'met' THEN 1 ELSE 0 END AS sla_met,
                CASE WHEN c.sla_status = 'breached' THEN 1 ELSE 0 END AS sla_breached,
                CASE c.sla_status WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0 END
                    AS sla_compliance,
                CASE WHEN c.deemed_accepted THEN 1 ELSE 0 END AS deemed_accepted,
                CASE WHEN reopen.reopened THEN 1 ELSE 0 END AS reopened,
                CASE WHEN reopen.reopened THEN 100.0 ELSE 0.0 END AS reopen_rate,
                CASE WHEN items.repeat_serial THEN 1 ELSE 0 END AS repeat_serial,
                CASE WHEN c.channel IN %(online)s THEN 100.0 ELSE 0.0 END AS online_share
            FROM complaint_case c
            LEFT JOIN LATERAL (
                SELECT line.product_id, template.categ_id
                  FROM complaint_case_line line
                  JOIN product_product product ON product.id = line.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                 WHERE line.case_id = c.id
              ORDER BY line.sequence, line.id
                 LIMIT 1
            ) main ON TRUE
            LEFT JOIN LATERAL (
                SELECT COUNT(*) AS line_count,
                       SUM(line.quantity) AS quantity,
                       BOOL_OR(EXISTS(
                           SELECT 1
                             FROM complaint_case_line earlier
                             JOIN complaint_case ec ON ec.id = earlier.case_id
                            WHERE earlier.lot_id = line.lot_id
                              AND ec.id != c.id
                              AND (ec.date_received, ec.id) < (c.date_received, c.id)
                       )) AS repeat_serial
                  FROM complaint_case_line line
                 WHERE line.case_id = c.id
            ) items ON TRUE
            LEFT JOIN LATERAL (
                SELECT %(cost_columns)s
                  FROM complaint_cost_line cost
                 WHERE cost.case_id = c.id
            ) costs ON TRUE
            LEFT JOIN LATERAL (
                SELECT MIN(message.date) AS date_message
                  FROM mail_message message
                  JOIN res_users author ON author.partner_id = message.author_id
                 WHERE message.model = 'complaint.case'
                   AND message.res_id = c.id
                   AND message.message_type = 'comment'
                   AND message.subtype_id = %(comment_subtype)s
                   AND NOT author.share
            ) message ON TRUE
            CROSS JOIN LATERAL (
                SELECT LEAST(message.date_message, c.date_decision) AS date_first_answer
            ) answer
            LEFT JOIN LATERAL (
                SELECT SUM(%(waiting_total)s) AS total,
                       SUM(%(waiting_answer)s) AS to_answer,
                       SUM(%(waiting_decision)s) AS to_decision,
                       SUM(%(waiting_close)s) AS to_close
                  FROM complaint_stage_log sl
                  JOIN complaint_stage stage ON stage.id = sl.stage_id
                 WHERE sl.case_id = c.id AND stage.state = 'waiting'
            ) waiting ON TRUE
            LEFT JOIN LATERAL (
                SELECT TRUE AS reopened
                  FROM complaint_stage_log done
                  JOIN complaint_stage done_stage ON done_stage.id = done.stage_id
                  JOIN complaint_stage_log again ON again.case_id = done.case_id
                       AND again.date_start >= done.date_start AND again.id > done.id
                  JOIN complaint_stage again_stage ON again_stage.id = again.stage_id
                 WHERE done.case_id = c.id
                   AND done_stage.state IN ('decided', 'closed')
                   AND again_stage.state NOT IN ('decided', 'closed', 'cancelled')
                 LIMIT 1
            ) reopen ON TRUE
            """,
            now=now,
            online=ONLINE_CHANNELS,
            cost_columns=cost_columns,
            comment_subtype=comment_subtype,
            waiting_total=waiting(now),
            waiting_answer=waiting(SQL("answer.date_first_answer")),
            waiting_decision=waiting(SQL("c.date_decision")),
            waiting_close=waiting(SQL("c.date_closed")),
        )

    # -------------------------------------------------------------- refresh
    @api.model
    def _refresh(self, case_ids=None):
        """Rebuild the rows of ``case_ids`` (every case when None) in the case
        and item analyses; the working hours follow at once for a few cases,
        else in the cron's batches."""
        cr = self.env.cr
        self.env.flush_all()
        now = fields.Datetime.now()
        Line = self.env["complaint.case.line.report"]
        tables = [(self, self._select_sql(now)), (Line, Line._select_sql())]
        for model, select in tables:
            columns = SQL(", ").join(map(SQL.identifier, ["id", *stored_columns(model)]))
            table = SQL.identifier(model._table)
            where = SQL("TRUE")
            if case_ids is None:
                cr.execute(SQL("TRUNCATE %s", table))
            elif case_ids:
                where = SQL("rows.case_id = ANY(%s)", list(case_ids))
                cr.execute(SQL("DELETE FROM %s WHERE case_id = ANY(%s)", table, list(case_ids)))
            else:
                continue
            cr.execute(
                SQL(
                    "INSERT INTO %s (%s) SELECT %s FROM (%s) rows WHERE %s",
                    table,
                    columns,
                    columns,
                    select,
                    where,
                )
            )
        self.env["ir.config_parameter"].sudo().set_param(
            REFRESH_PARAM, fields.Datetime.to_string(now)
        )
        self.env.invalidate_all()
        if case_ids is not None and len(case_ids) <= WORKING_HOURS_BATCH:
            self._compute_working_hours(list(case_ids))

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
        if case_ids is None:
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
