from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    complaint_case_id = fields.Many2one(
        comodel_name="complaint.case",
        string="Complaint Case",
        index="btree_not_null",
        copy=False,
        check_company=True,
    )
    complaint_picking_kind = fields.Selection(
        selection=[
            ("return", "Customer Return"),
            ("replacement", "Replacement"),
            ("redelivery", "Re-delivery"),
            ("surplus_pickup", "Surplus Pickup"),
            ("supplier_return", "Return to Supplier"),
        ],
        string="Complaint Transfer Kind",
        copy=False,
    )

    def action_view_complaint_case(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.case",
            "res_id": self.complaint_case_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
