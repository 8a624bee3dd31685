from werkzeug.exceptions import BadRequest

from odoo import fields, http
from odoo.http import content_disposition, request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ComplaintAnalyticsController(http.Controller):
    @http.route("/complaint_analytics/kpi_workbook", type="http", auth="user", readonly=True)
    def kpi_workbook(self, month=None, **kwargs):
        """The monthly KPI workbook; ``month`` as YYYY-MM (last month by default)."""
        day = None
        if month:
            try:
                day = fields.Date.to_date(f"{month}-01")
            except ValueError:
                raise BadRequest(
                    request.env._("%s is not a month: write it as YYYY-MM.", month)
                ) from None
        content = request.env["complaint.kpi.workbook"]._get_workbook(day)
        name = f"complaint-kpis-{month or 'last-month'}.xlsx"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX),
                ("Content-Disposition", content_disposition(name)),
            ],
        )
