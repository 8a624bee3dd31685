from odoo import models

# What customers read of the returned and credited quantities of their items.
CASE_LINE_RMA_PORTAL_READABLE_FIELDS = frozenset({"qty_credited", "qty_returned"})


class ComplaintCaseLine(models.Model):
    _inherit = "complaint.case.line"

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS | CASE_LINE_RMA_PORTAL_READABLE_FIELDS
