from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class ComplaintCaseLineSettlement(models.AbstractModel):
    """Credited quantities and amounts of a claimed item."""

    _name = "complaint.case.line.settlement"
    _description = "Claimed Item Settlement"

    credit_line_ids = fields.One2many(
        comodel_name="account.move.line",
        inverse_name="complaint_case_line_id",
        string="Credit Note Lines",
        readonly=True,
    )
    qty_credited = fields.Float(
        string="Credited Quantity",
        digits="Product Unit of Measure",
        compute="_compute_qty_credited",
        store=True,
        help="Quantity of this item on the case's credit notes, draft or posted.",
    )
    origin_line_id = fields.Many2one(
        comodel_name="complaint.case.line",
        string="Customer Claim Item",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="On a supplier claim: the customer's claimed item it passes on.",
    )

    @api.depends("credit_line_ids.quantity", "credit_line_ids.parent_state")
    def _compute_qty_credited(self):
        # settlements rewrite this column of the lines they credit: two
        # settlements of one line cannot both commit
        for line in self:
            line.qty_credited = sum(
                credit.quantity
                for credit in line.credit_line_ids
                if credit.parent_state != "cancel"
            )

    def _get_quantities_to_credit(self):
        """What remains to credit per claimed item (by id): its settlement
        quantity minus what credit notes already credit, within what its
        invoice line still leaves open to credit."""
        settlement = self._get_settlement_quantities()
        creditable = self.invoice_line_id._complaint_creditable_quantities()
        result = {}
        for line in self:
            remaining = max(0.0, settlement[line.id] - line.qty_credited)
            if line.invoice_line_id:
                remaining = min(remaining, creditable[line.invoice_line_id.id])
            result[line.id] = remaining
        return result

    def _check_settlement_quantities(self, quantities):
        """Refuse quantities (by claimed item id) above what remains to credit
        on the item or on its invoice line, across all cases and credit notes."""
        settlement = self._get_settlement_quantities()
        creditable = self.invoice_line_id._complaint_creditable_quantities()
        for line in self:
            quantity = quantities[line.id]
            rounding = line.product_uom_id.rounding or 0.01
            remaining = settlement[line.id] - line.qty_credited
            if float_compare(quantity, remaining, precision_rounding=rounding) > 0:
                if float_is_zero(remaining, precision_rounding=rounding) or remaining < 0:
                    raise UserError(
                        self.env._(
                            "%(product)s on case %(case)s is already credited "
                            "(%(credited)s of %(quantity)s).",
                            product=line.product_id.display_name,
                            case=line.case_id.name,
                            credited=line.qty_credited,
                            quantity=settlement[line.id],
                        )
                    )
                raise UserError(
                    self.env._(
                        "%(product)s on case %(case)s: %(asked)s asked, but only "
                        "%(remaining)s remain to credit (%(credited)s already credited).",
                        product=line.product_id.display_name,
                        case=line.case_id.name,
                        asked=quantity,
                        remaining=remaining,
                        credited=line.qty_credited,
                    )
                )
        # several claimed items may credit one invoice line
        asked = {}
        for line in self.filtered("invoice_line_id"):
            asked[line.invoice_line_id] = asked.get(line.invoice_line_id, 0.0) + quantities[line.id]
        for invoice_line, quantity in asked.items():
            rounding = invoice_line.product_uom_id.rounding or 0.01
            if (
                float_compare(quantity, creditable[invoice_line.id], precision_rounding=rounding)
                > 0
            ):
                raise UserError(
                    self.env._(
                        "%(product)s: %(asked)s to credit, but only %(open)s of the "
                        "%(invoiced)s invoiced on %(invoice)s remain uncredited.",
                        product=invoice_line.product_id.display_name or invoice_line.name,
                        asked=quantity,
                        open=creditable[invoice_line.id],
                        invoiced=invoice_line.quantity,
                        invoice=invoice_line.move_id.name,
                    )
                )

    def _prepare_credit_note_line_vals(self, quantity):
        """Values of the credit note line of this claimed item for ``quantity``,
        at the price, discount and taxes of its invoice line; called by
        ``complaint.case._prepare_credit_note_vals``."""
        self.ensure_one()
        invoice_line = self.invoice_line_id
        if not invoice_line:
            return self._prepare_standalone_credit_note_line_vals(quantity)
        vals = {
            "product_id": invoice_line.product_id.id,
            "name": invoice_line.name,
            "quantity": quantity,
            "product_uom_id": invoice_line.product_uom_id.id,
            "price_unit": invoice_line.price_unit,
            "discount": invoice_line.discount,
            "tax_ids": [Command.set(invoice_line.tax_ids.ids)],
            "account_id": invoice_line.account_id.id,
            "analytic_distribution": invoice_line.analytic_distribution,
            "complaint_case_line_id": self.id,
            "complaint_origin_line_id": invoice_line.id,
        }
        if "sale_line_ids" in invoice_line._fields:
            vals["sale_line_ids"] = [Command.set(invoice_line.sale_line_ids.ids)]
        return vals

    def _prepare_standalone_credit_note_line_vals(self, quantity):
        """Values of a vendor credit note line of this item when no vendor bill
        is known: at the vendor's price of the product (else its cost)."""
        self.ensure_one()
        product = self.product_id
        seller = product._select_seller(
            partner_id=self.case_id.partner_id,
            quantity=quantity,
            uom_id=self.product_uom_id,
        )
        price = seller.price if seller else product.standard_price
        company = self.case_id.company_id
        return {
            "product_id": product.id,
            "name": self.name or product.display_name,
            "quantity": quantity,
            "product_uom_id": self.product_uom_id.id,
            "price_unit": price,
            "tax_ids": [
                Command.set(product.supplier_taxes_id._filter_taxes_by_company(company).ids)
            ],
            "complaint_case_line_id": self.id,
        }
