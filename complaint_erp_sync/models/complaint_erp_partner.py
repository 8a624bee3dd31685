# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ComplaintErpPartner(models.Model):
    _name = "complaint.erp.partner"
    _inherit = ["complaint.erp.binding"]
    _description = "ERP Customer Binding"
    _erp_record_field = "partner_id"
    _erp_entity = "partners"

    partner_id = fields.Many2one(
        comodel_name="res.partner", required=True, index=True, ondelete="cascade"
    )

    def _erp_prepare_vals(self, backend, item, refs):
        vals = {
            "name": item.get("name") or item["id"],
            "is_company": bool(item.get("is_company", True)),
        }
        for key in ("email", "phone", "vat", "street", "city", "zip"):
            if key in item:
                vals[key] = item[key] or False
        if item.get("country"):
            country = self.env["res.country"].search(
                [("code", "=", str(item["country"]).upper())], limit=1
            )
            vals["country_id"] = country.id
        return vals
