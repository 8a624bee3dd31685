from odoo import fields, models


class ComplaintCase(models.Model):
    """The case with its logistics and settlement: each concern lives in its
    own mixin (returns, discrepancies, settlement, supplier claims)."""

    _name = "complaint.case"
    _inherit = [
        "complaint.case",
        "complaint.case.return",
        "complaint.case.discrepancy",
        "complaint.case.settlement",
        "complaint.case.supplier",
    ]

    picking_ids = fields.One2many(
        comodel_name="stock.picking",
        inverse_name="complaint_case_id",
        string="Transfers",
        help="Return, replacement, re-delivery and supplier-return transfers of this case.",
    )
    picking_count = fields.Integer(compute="_compute_picking_count", string="Transfer Count")
    credit_note_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="complaint_case_id",
        string="Credit Notes",
        domain=[("move_type", "in", ("out_refund", "in_refund"))],
        help="Customer credit notes and vendor credit notes issued for this case.",
    )
    credit_note_count = fields.Integer(compute="_compute_credit_note_count")

    def _compute_picking_count(self):
        counts = {
            case.id: count
            for case, count in self.env["stock.picking"]._read_group(
                [("complaint_case_id", "in", self.ids)], ["complaint_case_id"], ["__count"]
            )
        }
        for case in self:
            case.picking_count = counts.get(case.id, 0)

    def _compute_credit_note_count(self):
        counts = {
            case.id: count
            for case, count in self.env["account.move"]._read_group(
                [
                    ("complaint_case_id", "in", self.ids),
                    ("move_type", "in", ("out_refund", "in_refund")),
                ],
                ["complaint_case_id"],
                ["__count"],
            )
        }
        for case in self:
            case.credit_note_count = counts.get(case.id, 0)
