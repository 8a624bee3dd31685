from odoo import models


class ComplaintCaseSettlement(models.AbstractModel):
    """Settlement of a case: credit notes per original invoice and settlement status."""

    _name = "complaint.case.settlement"
    _description = "Complaint Case Settlement"
