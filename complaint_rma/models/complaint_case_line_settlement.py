from odoo import models


class ComplaintCaseLineSettlement(models.AbstractModel):
    """Credited quantities and amounts of a claimed item."""

    _name = "complaint.case.line.settlement"
    _description = "Claimed Item Settlement"
