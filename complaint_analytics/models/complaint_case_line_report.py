from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.complaint_base.models.complaint_case import CHANNELS, SEVERITIES, STATES

from .report_tools import create_report_table


class ComplaintCaseLineReport(models.Model):
    """One row per claimed item, for the questions where products matter:
    most complained products and categories, repeat serials and the cost per
    category (a case's cost is shared evenly among its items).

    Refreshed together with ``complaint.case.report``."""

    _name = "complaint.case.line.report"
    _description = "Claimed Items Analysis"
    _auto = False
    _order = "date_received desc, id desc"
    _rec_name = "product_id"

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
    department_id = fields.Many2one(
        comodel_name="res.partner", string="Department", readonly=True
    )
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

    def _select_sql(self):
        return SQL(
            """
            SELECT
                line.id AS id,
                line.id AS line_id,
                line.case_id AS case_id,
                c.company_id AS company_id,
                line.product_id AS product_id,
                template.categ_id AS product_categ_id,
                line.lot_id AS lot_id,
                c.commercial_partner_id AS partner_id,
                c.user_id AS user_id,
                c.team_id AS team_id,
                c.type_id AS type_id,
                c.reason_id AS reason_id,
                c.root_cause_id AS root_cause_id,
                c.severity AS severity,
                c.channel AS channel,
                c.state AS state,
                c.warehouse_id AS warehouse_id,
                c.department_id AS department_id,
                c.date_received AS date_received,
                1 AS nbr,
                line.quantity AS quantity,
                1.0 / COUNT(*) OVER (PARTITION BY line.case_id) AS case_share,
                COALESCE(c.cost_total, 0) / COUNT(*) OVER (PARTITION BY line.case_id)
                    AS cost_share,
                CASE WHEN EXISTS(
                    SELECT 1
                      FROM complaint_case_line earlier
                      JOIN complaint_case ec ON ec.id = earlier.case_id
                     WHERE earlier.lot_id = line.lot_id
                       AND ec.id != c.id
                       AND (ec.date_received, ec.id) < (c.date_received, c.id)
                ) THEN 1 ELSE 0 END AS repeat_serial
            FROM complaint_case_line line
            JOIN complaint_case c ON c.id = line.case_id
            LEFT JOIN product_product product ON product.id = line.product_id
            LEFT JOIN product_template template ON template.id = product.product_tmpl_id
            """
        )
