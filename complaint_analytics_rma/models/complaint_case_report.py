from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.complaint_rma.models.complaint_case_settlement import SETTLEMENT_STATES


class ComplaintCaseReport(models.Model):
    _inherit = "complaint.case.report"

    amount_settled = fields.Float(
        string="Amount Settled",
        readonly=True,
        help="Total of the case's posted credit notes, taxes included, in the company currency.",
    )
    settlement_state = fields.Selection(
        selection=SETTLEMENT_STATES, string="Settlement", readonly=True
    )
    qty_returned = fields.Float(
        string="Returned Quantity",
        readonly=True,
        help="Quantity of the claimed items received back from the customer.",
    )

    @api.model
    def _report_select_extra(self, case_alias):
        # the case's stored figures (complaint_rma keeps them up to date)
        case = SQL.identifier(case_alias)
        return [
            *super()._report_select_extra(case_alias),
            SQL(
                "COALESCE((SELECT rma.amount_settled FROM complaint_case rma"
                " WHERE rma.id = %s.id), 0) AS amount_settled",
                case,
            ),
            SQL(
                "COALESCE((SELECT rma.settlement_state FROM complaint_case rma"
                " WHERE rma.id = %s.id), 'none') AS settlement_state",
                case,
            ),
            SQL(
                "COALESCE((SELECT SUM(rma.qty_returned) FROM complaint_case_line rma"
                " WHERE rma.case_id = %s.id), 0) AS qty_returned",
                case,
            ),
        ]
