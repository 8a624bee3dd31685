from odoo import models


class ComplaintCaseDiscrepancy(models.AbstractModel):
    """Delivery discrepancies of a case: shortage or surplus, warehouse verification."""

    _name = "complaint.case.discrepancy"
    _description = "Complaint Case Discrepancies"
