from odoo import fields, http
from odoo.http import content_disposition, request


class ComplaintAnalyticsController(http.Controller):
    @http.route("/complaint_analytics/kpi_workbook", type="http", auth="user", readonly=True)
    def kpi_workbook(self, month=None, **kwargs):
        """The monthly KPI workbook; ``month`` as YYYY-MM (last month by default)."""
        day = fields.Date.to_date(f"{month}-01") if month else None
        content = request.env["complaint.kpi.workbook"]._get_workbook(day)
        name = f"complaint-kpis-{(day or 'last-month')!s}.xlsx"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                ("Content-Disposition", content_disposition(name)),
            ],
        )
