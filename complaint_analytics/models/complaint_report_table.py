from odoo import api, models


class ComplaintReportTable(models.AbstractModel):
    """What the analyses stored in tables of their own share when they are read."""

    _name = "complaint.report.table"
    _description = "Complaint Analysis Table"

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        # a month x category pivot over a million rows: hash the groups in
        # memory rather than sort them on disk (the default work_mem is 4 MB)
        self.env.cr.execute("SET LOCAL work_mem = '64MB'")
        return super()._read_group(
            domain, groupby, aggregates, having=having, offset=offset, limit=limit, order=order
        )
