from odoo import api, models


class ComplaintAnalyticsKpi(models.AbstractModel):
    _inherit = "complaint.analytics.kpi"

    @api.model
    def _get_kpis(self, date_from, date_to, domain=None):
        kpis = super()._get_kpis(date_from, date_to, domain=domain)
        period = self._period_domain(date_from, date_to, domain)
        [(settled, returned)] = self.env["complaint.case.report"]._read_group(
            period, [], ["amount_settled:sum", "qty_returned:sum"]
        )
        kpis["amount_settled"] = round(settled or 0.0, 2)
        kpis["qty_returned"] = round(returned or 0.0, 2)
        return kpis
