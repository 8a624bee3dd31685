# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

COST_FIELDS = ("amount", "currency_id", "cost_type", "date", "name")


class ComplaintCostLine(models.Model):
    _inherit = "complaint.cost.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.case_id._erp_sync_enqueue("case_costs")
        return lines

    def write(self, vals):
        result = super().write(vals)
        if any(field in vals for field in COST_FIELDS):
            self.case_id._erp_sync_enqueue("case_costs")
        return result

    def unlink(self):
        cases = self.case_id
        result = super().unlink()
        cases.exists()._erp_sync_enqueue("case_costs")
        return result
