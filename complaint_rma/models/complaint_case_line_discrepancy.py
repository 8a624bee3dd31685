from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare

VERIFICATION_FIELDS = ("verification_result", "qty_confirmed")


class ComplaintCaseLineDiscrepancy(models.AbstractModel):
    """Expected, reported and confirmed quantities of a delivery discrepancy."""

    _name = "complaint.case.line.discrepancy"
    _description = "Claimed Item Discrepancy"

    qty_expected = fields.Float(
        string="Expected",
        digits="Product Unit of Measure",
        help="Quantity on the delivery note.",
    )
    qty_reported = fields.Float(
        string="Received",
        digits="Product Unit of Measure",
        help="Quantity the customer reports having received.",
    )
    discrepancy_kind = fields.Selection(
        selection=[("shortage", "Shortage"), ("surplus", "Surplus")],
        string="Discrepancy",
        compute="_compute_discrepancy_kind",
        store=True,
    )
    verification_result = fields.Selection(
        selection=[
            ("confirmed", "Confirmed"),
            ("partly", "Partly Confirmed"),
            ("not_confirmed", "Not Confirmed"),
        ],
        string="Warehouse Finding",
        copy=False,
    )
    qty_confirmed = fields.Float(
        string="Confirmed",
        digits="Product Unit of Measure",
        copy=False,
        help="Shortage or surplus the warehouse confirmed from the delivery's history.",
    )

    @api.depends("qty_expected", "qty_reported", "case_id.type_id")
    def _compute_discrepancy_kind(self):
        for line in self:
            if line.case_id.type_id.code != "discrepancy":
                line.discrepancy_kind = False
                continue
            rounding = line.product_id.uom_id.rounding or 0.01
            compare = float_compare(
                line.qty_reported, line.qty_expected, precision_rounding=rounding
            )
            line.discrepancy_kind = {-1: "shortage", 1: "surplus"}.get(compare, False)

    @api.onchange("qty_expected", "qty_reported")
    def _onchange_discrepancy_quantity(self):
        if self.qty_expected != self.qty_reported:
            self.quantity = abs(self.qty_expected - self.qty_reported)

    @api.constrains("verification_result", "qty_confirmed", "quantity")
    def _check_qty_confirmed(self):
        for line in self.filtered("verification_result"):
            rounding = line.product_id.uom_id.rounding or 0.01
            if line.verification_result == "not_confirmed":
                continue
            if (
                float_compare(line.qty_confirmed, 0.0, precision_rounding=rounding) <= 0
                or float_compare(line.qty_confirmed, line.quantity, precision_rounding=rounding) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(product)s: the confirmed quantity must be above 0 and at most the "
                        "reported %(quantity)s.",
                        product=line.product_id.display_name,
                        quantity=line.quantity,
                    )
                )

    def _complaint_check_verification_rights(self, vals):
        if any(name in vals for name in VERIFICATION_FIELDS) and not (
            self.env.su or self.env.user.has_group("complaint_rma.group_complaint_warehouse")
        ):
            raise AccessError(self.env._("Only the warehouse records verification findings."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._complaint_check_verification_rights(vals)
            if "qty_reported" in vals and "quantity" not in vals:
                difference = abs(vals.get("qty_expected", 0.0) - vals["qty_reported"])
                vals["quantity"] = difference or 1.0
        return super().create(vals_list)

    def write(self, vals):
        self._complaint_check_verification_rights(vals)
        if vals.get("verification_result") == "not_confirmed":
            vals = dict(vals, qty_confirmed=0.0)
        elif vals.get("verification_result") == "confirmed" and "qty_confirmed" not in vals:
            for line in self:
                super(ComplaintCaseLineDiscrepancy, line).write(
                    dict(vals, qty_confirmed=line.quantity)
                )
            return True
        return super().write(vals)

    def _get_confirmed_shortage(self):
        self.ensure_one()
        if self.discrepancy_kind != "shortage" or self.verification_result not in (
            "confirmed",
            "partly",
        ):
            return 0.0
        return self.qty_confirmed

    def _get_confirmed_surplus(self):
        self.ensure_one()
        if self.discrepancy_kind != "surplus" or self.verification_result not in (
            "confirmed",
            "partly",
        ):
            return 0.0
        return self.qty_confirmed
