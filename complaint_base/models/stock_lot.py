from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    complaint_case_count = fields.Integer(
        string="Complaints",
        compute="_compute_complaint_case_count",
        groups="complaint_base.group_complaint_user",
    )

    def _compute_complaint_case_count(self):
        counts = dict(
            self.env["complaint.case.line"]._read_group(
                [("lot_id", "in", self.ids)], ["lot_id"], ["case_id:count_distinct"]
            )
        )
        for lot in self:
            lot.complaint_case_count = counts.get(lot, 0)

    def action_view_complaint_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_base.complaint_case_action"
        )
        action["domain"] = [("line_ids.lot_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
