from odoo import api, fields, models

from odoo.addons.complaint_base.models.complaint_case import CHANNELS, SEVERITIES, STATES

from .report_tools import create_report_table


class ComplaintCaseLineReport(models.Model):
    """One row per claimed item, for the questions where products matter:
    most complained products and categories, repeat serials and the cost per
    category (a case's cost is shared evenly among its items).

    Refreshed together with ``complaint.case.report``."""

    _name = "complaint.case.line.report"
    _description = "Claimed Items Analysis"
    _inherit = ["complaint.report.table"]
    _auto = False
    _order = "date_received desc, id desc"
    _rec_name = "product_id"
    _rollups = {"by_product": ("company_id", "team_id", "product_categ_id", "product_id")}

    case_id = fields.Many2one(comodel_name="complaint.case", string="Case", readonly=True)
    line_id = fields.Many2one(
        comodel_name="complaint.case.line", string="Claimed Item", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    product_id = fields.Many2one(comodel_name="product.product", string="Product", readonly=True)
    product_categ_id = fields.Many2one(
        comodel_name="product.category", string="Product Category", readonly=True
    )
    lot_id = fields.Many2one(comodel_name="stock.lot", string="Lot/Serial Number", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Handler", readonly=True)
    team_id = fields.Many2one(comodel_name="complaint.team", string="Team", readonly=True)
    type_id = fields.Many2one(comodel_name="complaint.type", string="Type", readonly=True)
    reason_id = fields.Many2one(comodel_name="complaint.reason", string="Reason", readonly=True)
    root_cause_id = fields.Many2one(
        comodel_name="complaint.root.cause", string="Root Cause", readonly=True
    )
    severity = fields.Selection(selection=SEVERITIES, readonly=True)
    channel = fields.Selection(selection=CHANNELS, readonly=True)
    state = fields.Selection(selection=STATES, string="Status", readonly=True)
    warehouse_id = fields.Many2one(comodel_name="stock.warehouse", string="Site", readonly=True)
    department_id = fields.Many2one(comodel_name="res.partner", string="Department", readonly=True)
    date_received = fields.Datetime(string="Received On", readonly=True)
    nbr = fields.Integer(string="# Items", readonly=True)
    quantity = fields.Float(string="Claimed Quantity", readonly=True)
    case_share = fields.Float(
        string="# Cases",
        readonly=True,
        help="Each item counts for its share of its case, so that the sum counts cases.",
    )
    cost_share = fields.Float(
        string="Cost",
        readonly=True,
        help="The case's cost shared evenly among its items.",
    )
    repeat_serial = fields.Integer(
        string="# Repeat Serial",
        readonly=True,
        help="Items whose serial number was already claimed in an earlier case.",
    )

    def init(self):
        create_report_table(
            self,
            {"case_id": "complaint_case", "line_id": "complaint_case_line"},
            indexes=("company_id", "date_received", "product_id", "product_categ_id"),
        )
        self._rollup_init()

    @api.model
    def _line_report_select_extra(self, line_alias):
        """Columns an add-on adds to the rows: ``SQL("... AS column")`` over the
        claimed item ``line_alias`` (a complaint_case_line row), one per stored
        field it adds to this model."""
        return []
