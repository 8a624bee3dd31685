from odoo import fields, models


class ComplaintCaseCriteria(models.AbstractModel):
    """What SLA policies and approval rules both match a case on: company,
    type and the categories of the claimed products."""

    _name = "complaint.case.criteria"
    _description = "Complaint Case Matching Criteria"

    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Leave empty to apply in every company.",
    )
    type_ids = fields.Many2many(
        comodel_name="complaint.type",
        string="Types",
        help="Case types this applies to; empty for all.",
    )
    product_category_ids = fields.Many2many(
        comodel_name="product.category",
        string="Product Categories",
        help="Applies when a claimed product belongs to one of these categories "
        "(or their subcategories); empty for all.",
    )

    def _matches(self, case):
        """Whether ``case`` meets these criteria; models extend it with super()."""
        self.ensure_one()
        if self.company_id and self.company_id != case.company_id:
            return False
        if self.type_ids and case.type_id not in self.type_ids:
            return False
        if self.product_category_ids:
            categories = case.line_ids.product_id.categ_id
            if not categories.filtered_domain([("id", "child_of", self.product_category_ids.ids)]):
                return False
        return True
