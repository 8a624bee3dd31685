from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    complaint_case_count = fields.Integer(
        string="Complaints",
        compute="_compute_complaint_case_count",
        groups="complaint_base.group_complaint_user",
    )

    def _compute_complaint_case_count(self):
        counts = dict(
            self.env["complaint.case.line"]._read_group(
                [("product_id", "in", self.ids)], ["product_id"], ["case_id:count_distinct"]
            )
        )
        for product in self:
            product.complaint_case_count = counts.get(product, 0)

    def action_view_complaint_cases(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_base.complaint_case_action"
        )
        action["domain"] = [("line_ids.product_id", "in", self.ids)]
        action["context"] = {"create": False}
        return action
