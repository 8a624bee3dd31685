from odoo import models


class ComplaintCaseLine(models.Model):
    _name = "complaint.case.line"
    _inherit = [
        "complaint.case.line",
        "complaint.case.line.return",
        "complaint.case.line.settlement",
        "complaint.case.line.discrepancy",
    ]
