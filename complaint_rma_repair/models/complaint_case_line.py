from odoo import fields, models


class ComplaintCaseLine(models.Model):
    _inherit = "complaint.case.line"

    repair_id = fields.Many2one(
        comodel_name="repair.order",
        string="Repair Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    def _prepare_repair_vals(self):
        """Values of the repair order of a returned item inspected as to be
        repaired; called by ``_apply_inspection_repair``."""
        self.ensure_one()
        return_move = self._get_customer_return_moves().filtered(lambda m: m.state == "done")[-1:]
        return {
            "product_id": self.product_id.id,
            "product_qty": self.qty_returned,
            "product_uom": (self.product_uom_id or self.product_id.uom_id).id,
            "lot_id": self.lot_received_id.id,
            "partner_id": self.case_id.partner_id.id,
            "picking_id": return_move.picking_id.id,
            "company_id": self.case_id.company_id.id,
            "internal_notes": self.env._(
                "Returned under complaint case %(case)s: %(defect)s",
                case=self.case_id.name,
                defect=self.name or "",
            ),
        }

    def _apply_inspection_repair(self):
        repair = self.env["repair.order"].create(self._prepare_repair_vals())
        self.repair_id = repair
        return True
