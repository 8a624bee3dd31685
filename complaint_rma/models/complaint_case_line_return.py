from odoo import models


class ComplaintCaseLineReturn(models.AbstractModel):
    """Returned quantities, serials and inspection of a claimed item."""

    _name = "complaint.case.line.return"
    _description = "Claimed Item Returns"
