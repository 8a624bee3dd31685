from datetime import timedelta

from odoo import api, fields, models

DEFAULT_RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)
# attempts are kept a little longer than the window, for whoever looks into abuse
RETENTION = timedelta(days=1)


class ComplaintFormAttempt(models.Model):
    _name = "complaint.form.attempt"
    _description = "Public Complaint Form Submission"
    _order = "id desc"

    email = fields.Char(string="E-mail", index=True, readonly=True)
    ip = fields.Char(string="IP Address", index=True, readonly=True)
    channel = fields.Selection(
        selection=[
            ("web_form", "Public Form"),
            ("api", "Website API"),
            ("status_lookup", "Status Look-up"),
        ],
        required=True,
        default="web_form",
        readonly=True,
    )

    @api.model
    def _get_rate_limit(self):
        """Claims accepted per e-mail address and per IP address in an hour
        (``complaint_portal.form_rate_limit``, 5 by default; 0 disables)."""
        value = self.env["ir.config_parameter"].sudo().get_param("complaint_portal.form_rate_limit")
        try:
            return max(int(value), 0) if value not in (None, False, "") else DEFAULT_RATE_LIMIT
        except ValueError:
            return DEFAULT_RATE_LIMIT

    @api.model
    def _is_rate_limited(self, email, ip):
        """Whether ``email`` or ``ip`` already sent as many claims as the last
        hour allows. Called by the public form and the website API before they
        create anything; each accepted claim (or trapped bot) is recorded with
        ``_record_attempt``."""
        limit = self._get_rate_limit()
        if not limit:
            return False
        since = fields.Datetime.now() - RATE_WINDOW
        Attempt = self.sudo()
        for field_name, value in (("email", email), ("ip", ip)):
            if value and (
                Attempt.search_count(
                    [(field_name, "=", value), ("create_date", ">=", since)], limit=limit
                )
                >= limit
            ):
                return True
        return False

    @api.model
    def _record_attempt(self, email, ip, channel="web_form"):
        return self.sudo().create({"email": email or False, "ip": ip or False, "channel": channel})

    @api.autovacuum
    def _gc_attempts(self):
        """Forget submissions older than a day (daily, by Odoo's autovacuum)."""
        self.sudo().search([("create_date", "<", fields.Datetime.now() - RETENTION)]).unlink()
