from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class ComplaintCaseLine(models.Model):
    _name = "complaint.case.line"
    _inherit = ["complaint.batch.mixin"]
    _description = "Claimed Item"
    _order = "case_id, sequence, id"
    _rec_names_search = ["case_id", "product_id", "name"]
    _check_company_auto = True

    case_id = fields.Many2one(
        comodel_name="complaint.case",
        string="Case",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    invoice_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Invoice Line",
        index="btree_not_null",
        check_company=True,
        domain="[('move_id', '=', parent.invoice_id), ('display_type', '=', 'product')]",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Product",
        index=True,
        compute="_compute_product_id",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
    )
    tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Lot/Serial Number",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    name = fields.Char(string="Defect Description")

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The claimed quantity must be positive."),
    ]

    @api.depends("case_id.name", "product_id", "name")
    def _compute_display_name(self):
        # an item is named by what was claimed, in its case: "RK/2026/00042: Kettle"
        for line in self:
            item = line.product_id.display_name or line.name or self.env._("Item")
            line.display_name = f"{line.case_id.name}: {item}" if line.case_id.name else item

    @api.depends("invoice_line_id")
    def _compute_product_id(self):
        for line in self:
            if line.invoice_line_id.product_id:
                line.product_id = line.invoice_line_id.product_id

    @api.depends("invoice_line_id", "product_id")
    def _compute_product_uom_id(self):
        for line in self:
            line.product_uom_id = line.invoice_line_id.product_uom_id or line.product_id.uom_id

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.lot_id and self.lot_id.product_id != self.product_id:
            self.lot_id = False

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        # checked whoever writes: handlers need no inventory rights to claim a serial
        for line in self.sudo():
            if line.lot_id and line.lot_id.product_id != line.product_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s belongs to %(lot_product)s, not to %(product)s.",
                        lot=line.lot_id.name,
                        lot_product=line.lot_id.product_id.display_name,
                        product=line.product_id.display_name or self.env._("(no product)"),
                    )
                )

    @api.constrains("invoice_line_id", "case_id")
    def _check_invoice_line_invoice(self):
        for line in self:
            invoice = line.case_id.invoice_id
            if line.invoice_line_id and invoice and line.invoice_line_id.move_id != invoice:
                raise ValidationError(
                    self.env._(
                        "Invoice line %(line)s is not on invoice %(invoice)s of case %(case)s.",
                        line=line.invoice_line_id.display_name,
                        invoice=invoice.name,
                        case=line.case_id.name,
                    )
                )

    @api.constrains("invoice_line_id", "quantity", "case_id")
    def _check_quantity_invoiced(self):
        invoice_lines = self.invoice_line_id
        if not invoice_lines:
            return
        claimable = invoice_lines._complaint_claimable_quantities()
        for invoice_line in invoice_lines:
            if (
                float_compare(
                    claimable[invoice_line.id],
                    0.0,
                    precision_rounding=invoice_line.product_uom_id.rounding or 0.01,
                )
                < 0
            ):
                claimed = invoice_line.quantity - claimable[invoice_line.id]
                raise ValidationError(
                    self.env._(
                        "%(product)s: %(claimed)s claimed in total, but only %(invoiced)s "
                        "invoiced on %(invoice)s.",
                        product=invoice_line.product_id.display_name or invoice_line.name,
                        claimed=claimed,
                        invoiced=invoice_line.quantity,
                        invoice=invoice_line.move_id.name,
                    )
                )
