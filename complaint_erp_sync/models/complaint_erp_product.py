# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

TRACKINGS = ("none", "serial", "lot")


class ComplaintErpProduct(models.Model):
    _name = "complaint.erp.product"
    _inherit = ["complaint.erp.binding"]
    _description = "ERP Product Binding"
    _erp_record_field = "product_id"
    _erp_entity = "products"

    product_id = fields.Many2one(
        comodel_name="product.product", required=True, index=True, ondelete="cascade"
    )

    def _erp_prepare_vals(self, backend, item, refs):
        tracking = item.get("tracking") if item.get("tracking") in TRACKINGS else "none"
        vals = {
            "name": item.get("name") or item["id"],
            "default_code": item.get("code") or False,
            "type": "consu",
            "is_storable": tracking != "none",
            "tracking": tracking,
            "company_id": backend.company_id.id,
        }
        if item.get("price") not in (None, ""):
            vals["list_price"] = float(item["price"])
        return vals

    def _erp_find_existing(self, backend, vals_list):
        """A product with the ERP's code in the backend's company is the same product."""
        codes = [vals["default_code"] for vals in vals_list if vals.get("default_code")]
        products = self.env["product.product"].search(
            [("default_code", "in", codes), ("company_id", "in", (False, backend.company_id.id))]
        )
        bound = self.search([("product_id", "in", products.ids)]).product_id
        by_code = {product.default_code: product for product in products - bound}
        found = []
        for vals in vals_list:
            product = by_code.pop(vals.get("default_code"), self.env["product.product"])
            if product:
                product.write(vals)
            found.append(product)
        return found
