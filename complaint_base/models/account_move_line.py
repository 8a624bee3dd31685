from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _complaint_claimable_quantities(self, exclude_cases=None):
        """Invoiced quantity still open to claims, per invoice line id: what was
        invoiced minus what live (not cancelled) cases already claim."""
        domain = [
            ("invoice_line_id", "in", self.ids),
            ("case_id.state", "!=", "cancelled"),
        ]
        if exclude_cases:
            domain.append(("case_id", "not in", exclude_cases.ids))
        claimed = dict(
            self.env["complaint.case.line"]
            .sudo()
            ._read_group(domain, ["invoice_line_id"], ["quantity:sum"])
        )
        return {line.id: line.quantity - claimed.get(line, 0.0) for line in self}
