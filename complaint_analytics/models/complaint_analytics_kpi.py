from odoo import api, fields, models
from odoo.osv import expression

from .report_sql import ONLINE_CHANNELS

TOP_LIMIT = 10


class ComplaintAnalyticsKpi(models.AbstractModel):
    """The KPIs of a period, read from the analysis tables with the reader's
    rights: one place for the dashboard's figures, the monthly workbook and
    the digest."""

    _name = "complaint.analytics.kpi"
    _description = "Complaint KPIs"

    @api.model
    def _period_domain(self, date_from, date_to, domain=None):
        """Cases received from ``date_from`` (included) to ``date_to``
        (excluded); ``domain`` may use the fields the three analyses share
        (company, team, handler, type, customer, reason)."""
        return expression.AND(
            [
                [
                    ("date_received", ">=", fields.Datetime.to_datetime(date_from)),
                    ("date_received", "<", fields.Datetime.to_datetime(date_to)),
                ],
                domain or [],
            ]
        )

    @api.model
    def _by(self, model, domain, groupby, aggregate, order=None, limit=None):
        """{display name: value} of ``aggregate`` grouped by ``groupby``."""
        groups = self.env[model]._read_group(
            domain, [groupby], [aggregate], order=order or f"{aggregate} desc", limit=limit
        )
        result = {}
        for group, value in groups:
            if isinstance(group, models.BaseModel):
                # names of what the reader's rows point to (a serial, a site)
                label = group.sudo().display_name or self.env._("None")
            else:
                selection = dict(self.env[model]._fields[groupby]._description_selection(self.env))
                label = selection.get(group, group or self.env._("None"))
            result[label] = round(value, 2) if value is not None else None
        return result

    @api.model
    def _get_kpis(self, date_from, date_to, domain=None):
        """Figures of the cases received in the period (see ``_period_domain``)."""
        Report = self.env["complaint.case.report"]
        period = self._period_domain(date_from, date_to, domain)
        [
            (
                count,
                open_count,
                overdue_count,
                cost,
                to_answer,
                to_decision,
                to_close,
                waiting,
                work_to_close,
                met,
                breached,
                reopened,
                deemed,
                repeat,
            )
        ] = Report._read_group(
            period,
            [],
            [
                "__count",
                "open_count:sum",
                "overdue_count:sum",
                "cost_total:sum",
                "hours_to_first_answer:avg",
                "hours_to_decision:avg",
                "hours_to_close:avg",
                "waiting_hours:avg",
                "work_hours_to_close:avg",
                "sla_met:sum",
                "sla_breached:sum",
                "reopened:sum",
                "deemed_accepted:sum",
                "repeat_serial:sum",
            ],
        )
        channels = Report._read_group(period, ["channel"], ["__count"])
        channel_labels = dict(Report._fields["channel"]._description_selection(self.env))
        online = sum(n for channel, n in channels if channel in ONLINE_CHANNELS)
        lines = self.env["complaint.case.line.report"]
        stages = self.env["complaint.stage.report"]
        closed = expression.AND([period, [("date_closed", "!=", False)]])
        repeat_lots = lines._read_group(
            expression.AND([period, [("repeat_serial", "=", 1)]]), ["lot_id"], ["__count"]
        )

        def rate(part, whole):
            return round(100.0 * part / whole, 2) if whole else None

        def hours(value):
            return round(value, 2) if value is not None else None

        return {
            "case_count": count,
            "open_count": open_count,
            "overdue_count": overdue_count,
            "cost_total": round(cost or 0.0, 2),
            "avg_hours_to_first_answer": hours(to_answer),
            "avg_hours_to_decision": hours(to_decision),
            "avg_hours_to_close": hours(to_close),
            "avg_waiting_hours": hours(waiting),
            "avg_work_hours_to_close": hours(work_to_close),
            "sla_compliance": rate(met, met + breached),
            "reopen_rate": rate(reopened, count),
            "deemed_accepted_count": deemed,
            "repeat_serial_count": repeat,
            "repeat_serials": sorted(lot.sudo().name for lot, _count in repeat_lots),
            "online_share": rate(online, count),
            "channel_share": {
                channel_labels[channel]: rate(n, count) for channel, n in channels if channel
            },
            # completed stays only: the current one is still growing
            "avg_hours_per_stage": self._by(
                stages._name,
                expression.AND([period, [("is_current", "=", False)]]),
                "stage_id",
                "duration_hours:avg",
                order="stage_id",
            ),
            "avg_hours_per_handler": self._by(
                Report._name, closed, "user_id", "hours_to_close:avg", order="user_id"
            ),
            "avg_hours_per_customer": self._by(
                Report._name, closed, "partner_id", "hours_to_close:avg", order="partner_id"
            ),
            "claims_per_customer": self._by(Report._name, period, "partner_id", "__count"),
            "claims_per_handler": self._by(Report._name, period, "user_id", "__count"),
            "top_products": self._by(
                lines._name, period, "product_id", "case_share:sum", limit=TOP_LIMIT
            ),
            "top_categories": self._by(
                lines._name, period, "product_categ_id", "case_share:sum", limit=TOP_LIMIT
            ),
            "top_reasons": self._by(Report._name, period, "reason_id", "__count", limit=TOP_LIMIT),
            "cost_per_category": self._by(
                lines._name, period, "product_categ_id", "cost_share:sum"
            ),
            "cost_per_site": self._by(Report._name, period, "warehouse_id", "cost_total:sum"),
            "cost_per_reason": self._by(Report._name, period, "reason_id", "cost_total:sum"),
        }
