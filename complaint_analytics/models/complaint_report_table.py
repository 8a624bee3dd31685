from odoo import api, models
from odoo.tools import SQL

from .report_rollup import (
    apply_rollup_delta,
    collect_rollup_delta,
    create_rollup_tables,
    plan_rollup,
    rebuild_rollups,
    rollup_aggregate,
)

ROLLUP_TIMEZONES_PARAM = "complaint_analytics.rollup_timezones"


class ComplaintReportTable(models.AbstractModel):
    """What the analyses stored in tables of their own share when they are
    read: daily rollups (see ``report_rollup``) answer the groupings they
    can, the analysis table the others."""

    _name = "complaint.report.table"
    _description = "Complaint Analysis Table"

    # rollup name: the dimensions it keeps
    _rollups = {}

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        plan = plan_rollup(
            self, domain, groupby, aggregates, having, order, self._rollup_built_timezones()
        )
        if plan:
            self = self.with_context(complaint_rollup=plan)
        else:
            # a grouping over a million rows: hash the groups in memory rather
            # than sort them on disk (the default work_mem is 4 MB)
            self.env.cr.execute("SET LOCAL work_mem = '64MB'")
        return super()._read_group(
            domain, groupby, aggregates, having=having, offset=offset, limit=limit, order=order
        )

    def _rollup_read(self):
        plan = self.env.context.get("complaint_rollup")
        return plan if plan and plan[0].startswith(f"{self._table}__") else None

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        query = super()._search(domain, offset=offset, limit=limit, order=order)
        if plan := self._rollup_read():
            # the rollup has the analysis's columns: the same query reads it
            table, tz = plan
            query._tables[self._table] = SQL.identifier(table)
            query.add_where(SQL("%s = %s", SQL.identifier(self._table, "tz"), tz))
        return query

    def _read_group_select(self, aggregate_spec, query):
        if self._rollup_read():
            return rollup_aggregate(self._table, aggregate_spec)
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------ refresh
    @api.model
    def _rollup_timezones(self):
        """The time zones the analysts group days in: the users'."""
        users = self.env["res.users"].sudo().search([("share", "=", False)])
        return sorted({"UTC", *filter(None, users.mapped("tz"))})

    @api.model
    def _rollup_built_timezones(self):
        value = self.env["ir.config_parameter"].sudo().get_param(ROLLUP_TIMEZONES_PARAM)
        return value.split(",") if value else []

    @api.model
    def _rollup_init(self):
        create_rollup_tables(self)

    @api.model
    def _rollup_before_change(self, case_ids, timezones):
        """Count the rows of ``case_ids`` out of the rollups (before they change)."""
        if case_ids is not None and self._rollups:
            collect_rollup_delta(self, case_ids, timezones, -1)

    @api.model
    def _rollup_after_change(self, case_ids, timezones, rebuild=False):
        """Count the rows of ``case_ids`` back in and apply the net change
        (rebuild every rollup when ``case_ids`` is None or ``rebuild``)."""
        if not self._rollups:
            return
        if case_ids is None or rebuild:
            rebuild_rollups(self, timezones)
        else:
            collect_rollup_delta(self, case_ids, timezones, 1)
            apply_rollup_delta(self)

    @api.model
    def _rollup_apply_pending(self):
        if self._rollups:
            apply_rollup_delta(self)
