# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ComplaintErpLot(models.Model):
    _name = "complaint.erp.lot"
    _inherit = ["complaint.erp.binding"]
    _description = "ERP Serial Number Binding"
    _erp_record_field = "lot_id"
    _erp_entity = "lots"

    lot_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Lot/Serial Number",
        required=True,
        index=True,
        ondelete="cascade",
    )

    def _erp_prefetch(self, backend, items):
        return {
            "products": self.env["complaint.erp.product"]._erp_records_map(
                backend, [item.get("product_id") for item in items]
            )
        }

    def _erp_prepare_vals(self, backend, item, refs):
        return {
            "name": item.get("name") or item["id"],
            "product_id": refs["products"][str(item["product_id"])].id,
            "company_id": backend.company_id.id,
        }

    def _erp_update_record(self, item, vals):
        vals.pop("product_id", None)  # a serial number never moves to another product
        super()._erp_update_record(item, vals)

    def _erp_find_existing(self, backend, vals_list):
        """Serials created from invoice lines before the ERP listed them."""
        Lot = self.env["stock.lot"]
        found = []
        for vals in vals_list:
            lot = Lot.search(
                [("name", "=", vals["name"]), ("product_id", "=", vals["product_id"]),
                 ("company_id", "in", (False, backend.company_id.id))],
                limit=1,
            )  # fmt: skip
            found.append(lot if lot and not self.search_count([("lot_id", "=", lot.id)]) else Lot)
        return found

    def _erp_on_deleted(self):
        """A serial number stays: cases and stock may use it."""
