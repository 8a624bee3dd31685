from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    complaint_case_count = fields.Integer(
        string="Complaints",
        compute="_compute_complaint_case_count",
        groups="complaint_base.group_complaint_user",
    )

    def _compute_complaint_case_count(self):
        counts = dict(
            self.env["complaint.case.line"]._read_group(
                [("product_id.product_tmpl_id", "in", self.ids)],
                ["product_id"],
                ["case_id:array_agg"],
            )
        )
        for template in self:
            case_ids = set()
            for product in template.product_variant_ids:
                case_ids.update(counts.get(product, []))
            template.complaint_case_count = len(case_ids)

    def action_view_complaint_cases(self):
        return self.product_variant_ids.action_view_complaint_cases()
