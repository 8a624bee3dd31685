import io
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools.misc import xlsxwriter


class ComplaintKpiWorkbook(models.AbstractModel):
    """The monthly KPI workbook (xlsx): the month against the previous month
    and the same month a year before, the breakdowns, and the last twelve
    months."""

    _name = "complaint.kpi.workbook"
    _description = "Monthly Complaint KPI Workbook"

    @api.model
    def _kpi_labels(self):
        _ = self.env._
        return [
            ("case_count", _("Cases received")),
            ("open_count", _("Still open")),
            ("overdue_count", _("Overdue")),
            ("cost_total", _("Cost of claims")),
            ("avg_hours_to_first_answer", _("Avg. hours to first answer")),
            ("avg_hours_to_decision", _("Avg. hours to decision")),
            ("avg_hours_to_close", _("Avg. hours to close")),
            ("avg_work_hours_to_close", _("Avg. working hours to close")),
            ("avg_waiting_hours", _("Avg. hours waiting for the customer")),
            ("sla_compliance", _("SLA compliance (%)")),
            ("reopen_rate", _("Reopen rate (%)")),
            ("deemed_accepted_count", _("Deemed accepted")),
            ("repeat_serial_count", _("Cases with a repeat serial")),
            ("online_share", _("Filed online (%)")),
        ]

    @api.model
    def _breakdown_labels(self):
        _ = self.env._
        return [
            ("avg_hours_per_stage", _("Avg. hours per stage")),
            ("avg_hours_per_handler", _("Avg. hours to close per handler")),
            ("avg_hours_per_customer", _("Avg. hours to close per customer")),
            ("claims_per_customer", _("Claims per customer")),
            ("claims_per_handler", _("Claims per handler")),
            ("top_products", _("Most complained products")),
            ("top_categories", _("Most complained product categories")),
            ("top_reasons", _("Most frequent reasons")),
            ("cost_per_category", _("Cost per product category")),
            ("cost_per_site", _("Cost per site")),
            ("cost_per_reason", _("Cost per reason")),
            ("channel_share", _("Share by channel (%)")),
        ]

    @api.model
    def _get_workbook(self, month=None, domain=None):
        """xlsx bytes for ``month`` (a date in it; the last full month by default)."""
        Kpi = self.env["complaint.analytics.kpi"]
        start = (month or date.today() - relativedelta(months=1)).replace(day=1)
        periods = [
            (start, start + relativedelta(months=1)),
            (start - relativedelta(months=1), start),
            (start - relativedelta(years=1), start - relativedelta(years=1, months=-1)),
        ]
        kpis = [Kpi._get_kpis(begin, end, domain) for begin, end in periods]
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        number = workbook.add_format({"num_format": "#,##0.00"})
        _ = self.env._

        sheet = workbook.add_worksheet(_("KPIs"))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 3, 18)
        sheet.write(0, 0, _("Complaint KPIs %s", start.strftime("%Y-%m")), title)
        headers = [_("KPI"), _("This month"), _("Previous month"), _("Same month last year")]
        sheet.write_row(2, 0, headers, bold)
        for row, (key, label) in enumerate(self._kpi_labels(), start=3):
            sheet.write(row, 0, label)
            for col, values in enumerate(kpis, start=1):
                if values[key] is not None:
                    sheet.write_number(row, col, values[key], number)

        sheet = workbook.add_worksheet(_("Breakdowns"))
        sheet.set_column(0, 0, 45)
        sheet.set_column(1, 1, 18)
        row = 0
        for key, label in self._breakdown_labels():
            sheet.write(row, 0, label, bold)
            row += 1
            for name, value in kpis[0][key].items():
                sheet.write(row, 0, name)
                if value is not None:
                    sheet.write_number(row, 1, value, number)
                row += 1
            row += 1

        sheet = workbook.add_worksheet(_("Last 12 Months"))
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 7, 18)
        columns = [
            ("case_count", _("Cases")),
            ("cost_total", _("Cost")),
            ("avg_hours_to_close", _("Avg. hours to close")),
            ("sla_compliance", _("SLA compliance (%)")),
            ("reopen_rate", _("Reopen rate (%)")),
            ("online_share", _("Filed online (%)")),
        ]
        sheet.write_row(0, 0, [_("Month"), *(label for _key, label in columns)], bold)
        for row in range(1, 13):
            begin = start - relativedelta(months=12 - row)
            values = Kpi._get_kpis(begin, begin + relativedelta(months=1), domain)
            sheet.write(row, 0, begin.strftime("%Y-%m"))
            for col, (key, _label) in enumerate(columns, start=1):
                if values[key] is not None:
                    sheet.write_number(row, col, values[key], number)
        workbook.close()
        return output.getvalue()
