import zlib
from datetime import timedelta

from odoo import api, fields, models

DEFAULT_RATE_LIMIT = 5
# claims through one website key in an hour, all visitors together
DEFAULT_KEY_RATE_LIMIT = 200
RATE_WINDOW = timedelta(hours=1)
# attempts are kept a little longer than the window, for whoever looks into abuse
RETENTION = timedelta(days=1)
LOCK_NAMESPACE = zlib.crc32(b"complaint.form.attempt") - 2**31


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
    integration_id = fields.Many2one(
        comodel_name="complaint.integration",
        string="Integration Key",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    refused = fields.Boolean(
        readonly=True, help="Refused because the address had reached the limit."
    )

    @api.model
    def _get_rate_limit(self, key="complaint_portal.form_rate_limit"):
        """Attempts allowed in an hour: per e-mail address and per IP address
        (``complaint_portal.form_rate_limit``, 5 by default; 0 disables), or
        per website key (``complaint_portal.api_key_rate_limit``, 200)."""
        return self.env["ir.config_parameter"]._complaint_get_int(key)

    @api.model
    def _check_and_record(self, email, ip, channel="web_form", integration=None):
        """Record an attempt to file a claim and tell whether it goes over the
        limit: True when ``email`` or ``ip`` (or ``integration``, with its own
        limit ``complaint_portal.api_key_rate_limit``, 200) already made as
        many attempts as the last hour allows.

        Every attempt counts, refused and invalid ones too. Atomic: parallel
        requests of one address are counted one after the other."""
        values = {
            "email": email or False,
            "ip": ip or False,
            "channel": channel,
            "integration_id": integration.id if integration else False,
        }
        if self.env.registry.in_test_mode():
            # one transaction for the whole test: nothing runs in parallel
            return self._check_and_record_values(values)
        # A transaction of its own, committed at once: the attempt counts even
        # when the request fails later, the locks are released at once, and
        # READ COMMITTED lets each count see what parallel requests committed
        # (the request's own snapshot would not).
        with self.env.registry.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            return self.with_env(self.env(cr=cr))._check_and_record_values(values)

    @api.model
    def _check_and_record_values(self, values):
        limits = []
        limit = self._get_rate_limit()
        if limit:
            limits += [("email", values["email"], limit), ("ip", values["ip"], limit)]
        if values["integration_id"]:
            key_limit = self._get_rate_limit("complaint_portal.api_key_rate_limit")
            if key_limit:
                limits.append(("integration_id", values["integration_id"], key_limit))
        limits = [entry for entry in limits if entry[1]]
        # a transaction lock per address, taken in one order (no deadlock) and
        # held until the attempt is committed
        for field_name, value, _limit in sorted(limits, key=lambda e: (e[0], str(e[1]))):
            self.env.cr.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                (LOCK_NAMESPACE, self._lock_key(field_name, value)),
            )
        since = fields.Datetime.now() - RATE_WINDOW
        Attempt = self.sudo()
        limited = any(
            Attempt.search_count([(field_name, "=", value), ("create_date", ">=", since)]) >= limit
            for field_name, value, limit in limits
        )
        Attempt.create(dict(values, refused=limited))
        return limited

    @staticmethod
    def _lock_key(field_name, value):
        return zlib.crc32(f"{field_name}:{value}".encode()) - 2**31

    @api.model
    def _is_rate_limited(self, email, ip):
        """Whether ``email`` or ``ip`` already made as many attempts as the
        last hour allows, without recording one (see ``_check_and_record``)."""
        limit = self._get_rate_limit()
        if not limit:
            return False
        since = fields.Datetime.now() - RATE_WINDOW
        Attempt = self.sudo()
        return any(
            value
            and Attempt.search_count(
                [(field_name, "=", value), ("create_date", ">=", since)], limit=limit
            )
            >= limit
            for field_name, value in (("email", email), ("ip", ip))
        )

    @api.model
    def _record_attempt(self, email, ip, channel="web_form"):
        """Record an attempt; returns whether it went over the limit."""
        return self._check_and_record(email, ip, channel)

    @api.autovacuum
    def _gc_attempts(self):
        """Forget submissions older than a day (daily, by Odoo's autovacuum)."""
        self.sudo().search([("create_date", "<", fields.Datetime.now() - RETENTION)]).unlink()
