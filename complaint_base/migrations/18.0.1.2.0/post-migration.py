from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Types found their numbering sequence by code: link each type to the
    sequences of its code, company by company, so that renaming a code no
    longer orphans them. The numbers already given stay the floor of their
    year (the date ranges' next numbers)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    for complaint_type in env["complaint.type"].with_context(active_test=False).search([]):
        sequences = env["ir.sequence"].search(
            [("code", "=", f"complaint.case.{complaint_type.code}")], order="id"
        )
        for sequence in sequences:
            company = sequence.company_id or env.company
            linked = complaint_type.with_company(company)
            if not linked.sequence_id:
                linked.sequence_id = sequence
