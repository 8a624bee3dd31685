from odoo import api, fields, models

COST_TYPES = [
    ("freight", "Freight"),
    ("repair", "Repair"),
    ("refund", "Refund"),
    ("replacement", "Replacement"),
    ("labour", "Labour"),
    ("goodwill", "Goodwill"),
    ("other", "Other"),
]


class ComplaintCostLine(models.Model):
    _name = "complaint.cost.line"
    _description = "Complaint Cost"
    _order = "date desc, id desc"

    case_id = fields.Many2one(
        comodel_name="complaint.case",
        string="Case",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    cost_type = fields.Selection(selection=COST_TYPES, required=True, default="other")
    name = fields.Char(string="Description")
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(currency_field="currency_id", required=True)
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    amount_company = fields.Monetary(
        string="Amount (Company Currency)",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
        precompute=True,
    )

    @api.depends("amount", "currency_id", "date", "case_id.company_id")
    def _compute_amount_company(self):
        for line in self:
            company = line.case_id.company_id or self.env.company
            line.amount_company = line.currency_id._convert(
                line.amount, company.currency_id, company, line.date or fields.Date.today()
            )
