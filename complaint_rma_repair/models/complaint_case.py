from odoo import fields, models


class ComplaintCase(models.Model):
    _inherit = "complaint.case"

    repair_count = fields.Integer(compute="_compute_repair_count", string="Repairs")

    def _compute_repair_count(self):
        for case in self:
            case.repair_count = len(case.line_ids.repair_id)

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("repair.action_repair_order_tree")
        action["domain"] = [("id", "in", self.line_ids.repair_id.ids)]
        action["context"] = {"create": False}
        return action
