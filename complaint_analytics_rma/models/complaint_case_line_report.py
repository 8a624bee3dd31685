from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.complaint_rma.models.complaint_case_line_return import INSPECTION_RESULTS


class ComplaintCaseLineReport(models.Model):
    _inherit = "complaint.case.line.report"

    qty_returned = fields.Float(
        string="Returned Quantity",
        readonly=True,
        help="Quantity of the item received back from the customer.",
    )
    qty_credited = fields.Float(
        string="Credited Quantity",
        readonly=True,
        help="Quantity of the item on the case's credit notes.",
    )
    inspection_result = fields.Selection(selection=INSPECTION_RESULTS, readonly=True)

    @api.model
    def _line_report_select_extra(self, line_alias):
        line = SQL.identifier(line_alias)
        return [
            *super()._line_report_select_extra(line_alias),
            SQL("COALESCE(%s.qty_returned, 0) AS qty_returned", line),
            SQL("COALESCE(%s.qty_credited, 0) AS qty_credited", line),
            SQL("%s.inspection_result AS inspection_result", line),
        ]
