from collections import defaultdict

from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    complaint_case_line_id = fields.Many2one(
        comodel_name="complaint.case.line",
        string="Claimed Item",
        index="btree_not_null",
        copy=False,
        help="The claimed item this credit note line settles.",
    )
    complaint_origin_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Credited Invoice Line",
        index="btree_not_null",
        copy=False,
        help="The invoice or vendor bill line this credit note line credits.",
    )
    complaint_credit_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="complaint_origin_line_id",
        string="Complaint Credit Lines",
    )
    complaint_qty_credited = fields.Float(
        string="Credited for Claims",
        digits="Product Unit of Measure",
        compute="_compute_complaint_qty_credited",
        store=True,
        help="Quantity of this invoice line that complaint credit notes (draft or posted) credit.",
    )

    @api.depends("complaint_credit_line_ids.quantity", "complaint_credit_line_ids.parent_state")
    def _compute_complaint_qty_credited(self):
        # settlements rewrite this column of the invoice line they credit, so two
        # concurrent settlements of one invoice line cannot both commit
        for line in self:
            line.complaint_qty_credited = sum(
                credit.quantity
                for credit in line.complaint_credit_line_ids
                if credit.parent_state != "cancel"
            )

    def _complaint_creditable_quantities(self):
        """Quantity of each invoice line (by id) still open to credit notes: what
        was invoiced minus what credit notes of its invoice already credit,
        complaint credit notes of the line and any reversal of the invoice
        (Odoo's own included) for the same product, drafts included."""
        if not self:
            return {}
        invoices = self.move_id
        credited = defaultdict(float)
        for origin, quantity in self.env["account.move.line"]._read_group(
            [
                ("complaint_origin_line_id", "in", self.ids),
                ("parent_state", "!=", "cancel"),
            ],
            ["complaint_origin_line_id"],
            ["quantity:sum"],
        ):
            credited[origin.id] = quantity
        pool = defaultdict(float)
        for move, product, quantity in self.env["account.move.line"]._read_group(
            [("move_id", "in", invoices.ids), ("display_type", "=", "product")],
            ["move_id", "product_id"],
            ["quantity:sum"],
        ):
            pool[move.id, product.id] += quantity
        for move, product, quantity in self.env["account.move.line"]._read_group(
            [
                ("move_id.reversed_entry_id", "in", invoices.ids),
                ("parent_state", "!=", "cancel"),
                ("display_type", "=", "product"),
            ],
            ["move_id", "product_id"],
            ["quantity:sum"],
        ):
            pool[move.reversed_entry_id.id, product.id] -= quantity
        return {
            line.id: max(
                0.0,
                min(
                    line.quantity - credited[line.id],
                    pool[line.move_id.id, line.product_id.id],
                ),
            )
            for line in self
        }
