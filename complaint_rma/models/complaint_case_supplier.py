from odoo import models


class ComplaintCaseSupplier(models.AbstractModel):
    """Supplier claims chained from customer cases."""

    _name = "complaint.case.supplier"
    _description = "Complaint Case Supplier Claims"
