from odoo import api, models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @api.model
    def _complaint_demo_ensure_chart(self, company_id):
        """Demo invoices need journals; ``account`` installs the chart only once
        every module is loaded, which is too late for this module's demo data."""
        company = self.env["res.company"].browse(company_id)
        if not company.chart_template:
            self.try_loading(False, company)
