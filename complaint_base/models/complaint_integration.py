import hashlib
import logging
import secrets

from odoo import api, fields, models
from odoo.tools import consteq

from .complaint_integration_failure import MAX_FAILURES

_logger = logging.getLogger(__name__)

# characters of a key kept in clear to find its row; the rest is only hashed
KEY_INDEX_SIZE = 8


def _hash_key(key):
    # keys are 32 random bytes: a plain SHA-256 cannot be brute-forced, and
    # unlike a slow password hash it keeps every call cheap
    return hashlib.sha256(key.encode()).hexdigest()


class ComplaintIntegration(models.Model):
    _name = "complaint.integration"
    _description = "Complaint Integration Key"
    _order = "name"

    name = fields.Char(required=True, help="Who uses the key, e.g. 'PBX in Helsinki office'.")
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        selection=[("phone", "IP Telephony"), ("web_form", "Website Form"), ("erp", "ERP")],
        required=True,
        default="phone",
    )
    key_index = fields.Char(
        copy=False,
        index=True,
        readonly=True,
        groups="base.group_system",
    )
    key_hash = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_system",
    )
    has_key = fields.Boolean(compute="_compute_has_key")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Acts As",
        required=True,
        default=lambda self: self._default_user_id(),
        domain="[('share', '=', False)]",
        help="Calls made with this key run with this user's access rights. The "
        "'Complaint API' user may create cases and nothing more.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )

    @api.model
    def _default_user_id(self):
        return self.env.ref("complaint_base.user_complaint_api", raise_if_not_found=False)

    def _compute_has_key(self):
        for integration in self:
            integration.has_key = bool(integration.sudo().key_hash)

    def _generate_key(self):
        """Give the integration a new random key, store only its hash and
        return the key in clear: the one moment it can be seen."""
        self.ensure_one()
        key = secrets.token_urlsafe(32)
        self.sudo().write({"key_index": key[:KEY_INDEX_SIZE], "key_hash": _hash_key(key)})
        return key

    def action_generate_key(self):
        """Generate a key (a new one when there was one) and show it once."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Integration Key"),
            "res_model": "complaint.integration.key",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": self._generate_key()},
        }

    @api.model
    def _authenticate(self, key, kind, ip=None):
        """(integration, error) of a call that presents ``key`` for ``kind``
        from ``ip``: the one place where integration keys are checked (phone
        lookup, website API). ``error`` is ``"unauthorized"`` for a missing or
        wrong key and ``"too_many_attempts"`` when ``ip`` failed too often
        lately; failures are logged and counted."""
        Failure = self.env["complaint.integration.failure"].sudo()
        if Failure._count_recent(ip) >= MAX_FAILURES:
            _logger.warning(
                "Complaint integration: %s calls from %s refused, too many failed keys",
                kind,
                ip,
            )
            return self.browse(), "too_many_attempts"
        integration = self.browse()
        if key and len(key) > KEY_INDEX_SIZE:
            key_hash = _hash_key(key)
            candidates = self.sudo().search(
                [("key_index", "=", key[:KEY_INDEX_SIZE]), ("kind", "=", kind)]
            )
            for candidate in candidates:
                if candidate.key_hash and consteq(candidate.key_hash, key_hash):
                    integration = candidate
                    break
        if not integration:
            Failure.create({"ip": ip or False, "kind": kind})
            _logger.warning(
                "Complaint integration: rejected %s call from %s (bad or missing key)", kind, ip
            )
            return self.browse(), "unauthorized"
        return integration, None

    def _get_env(self, env):
        """``env`` as the key's user in the key's company."""
        self.ensure_one()
        return env(
            user=self.user_id.id,
            su=False,
            context=dict(env.context, allowed_company_ids=[self.company_id.id]),
        )
