from odoo import models

# What customers read of the items they claimed.
CASE_LINE_PORTAL_READABLE_FIELDS = frozenset(
    {
        "id",
        "display_name",
        "case_id",
        "sequence",
        "company_id",
        "invoice_line_id",
        "product_id",
        "tracking",
        "lot_id",
        "quantity",
        "product_uom_id",
        "name",
    }
)


class ComplaintCaseLine(models.Model):
    _name = "complaint.case.line"
    _inherit = ["complaint.case.line", "complaint.portal.readable.mixin"]

    @property
    def SELF_READABLE_FIELDS(self):
        return CASE_LINE_PORTAL_READABLE_FIELDS
