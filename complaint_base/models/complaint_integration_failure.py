from datetime import timedelta

from odoo import api, fields, models

# failed authentications from one address before it gets 429 for a while
MAX_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=10)
# failures are kept a little longer than they count, for whoever looks into abuse
RETENTION = timedelta(days=1)


class ComplaintIntegrationFailure(models.Model):
    _name = "complaint.integration.failure"
    _description = "Failed Integration Key Check"
    _order = "id desc"

    ip = fields.Char(string="IP Address", index=True, readonly=True)
    kind = fields.Char(readonly=True)

    @api.model
    def _count_recent(self, ip):
        """Failed key checks from ``ip`` within the throttling window."""
        since = fields.Datetime.now() - FAILURE_WINDOW
        return self.sudo().search_count(
            [("ip", "=", ip or False), ("create_date", ">=", since)], limit=100
        )

    @api.autovacuum
    def _gc_failures(self):
        self.sudo().search([("create_date", "<", fields.Datetime.now() - RETENTION)]).unlink()
