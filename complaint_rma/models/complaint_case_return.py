from odoo import models


class ComplaintCaseReturn(models.AbstractModel):
    """Returns of a case: return window, exceptions and return pickings."""

    _name = "complaint.case.return"
    _description = "Complaint Case Returns"
