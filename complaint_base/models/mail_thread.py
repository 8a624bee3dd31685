import logging
import re

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

_logger = logging.getLogger(__name__)

# Auto-replies and bulk mail must never open a case nor trigger an acknowledgement
# (RFC 3834 Auto-Submitted, Microsoft's X-Auto-Response-Suppress companions, and
# the de-facto Precedence and X-Autoreply headers).
AUTO_SUBMITTED_VALUES_OK = ("", "no")
BULK_PRECEDENCES = ("bulk", "junk", "list", "auto_reply")
SYSTEM_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply")
# Case numbers are "<prefix>/<year>/<number>", e.g. RK/2026/00042.
CASE_NUMBER_RE = re.compile(r"[A-Za-z0-9][\w.-]{0,15}/\d{4}/\d{3,}")
DEFAULT_MAX_EMAIL_MB = 25


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        routes = super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )
        if not any(route[0] == "complaint.case" and not route[1] for route in routes):
            return routes
        if self._complaint_is_automatic_message(message, message_dict):
            _logger.info(
                "Complaint gateway: ignoring automatic message %s from %s (no case created)",
                message_dict.get("message_id"),
                message_dict.get("email_from"),
            )
            return [r for r in routes if not (r[0] == "complaint.case" and not r[1])]
        self._complaint_check_size(message, message_dict)
        existing = self._complaint_find_case_from_subject(message_dict)
        if existing:
            _logger.info(
                "Complaint gateway: message %s joins case %s by the number in its subject",
                message_dict.get("message_id"),
                existing.name,
            )
            return [
                (route[0], existing.id, *route[2:])
                if route[0] == "complaint.case" and not route[1]
                else route
                for route in routes
            ]
        return routes

    @api.model
    def _complaint_is_automatic_message(self, message, message_dict):
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted not in AUTO_SUBMITTED_VALUES_OK:
            return True
        if message.get("X-Autoreply") or message.get("X-Autorespond"):
            return True
        if (message.get("Precedence") or "").strip().lower() in BULK_PRECEDENCES:
            return True
        if message.get("X-Auto-Response-Suppress", "").strip().lower() in ("all", "oof"):
            return True
        sender = email_normalize(message_dict.get("email_from") or "") or ""
        return sender.split("@")[0] in SYSTEM_SENDERS

    @api.model
    def _complaint_check_size(self, message, message_dict):
        """Refuse oversized messages loudly: the gateway keeps them for the next
        fetch (or the MTA bounces them) instead of dropping them."""
        max_mb = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("complaint_base.max_email_size_mb", DEFAULT_MAX_EMAIL_MB)
        )
        size = len(message.as_bytes())
        if size > max_mb * 1024 * 1024:
            _logger.error(
                "Complaint gateway: message %s from %s is %.1f MB, above the %s MB limit",
                message_dict.get("message_id"),
                message_dict.get("email_from"),
                size / 1024 / 1024,
                max_mb,
            )
            raise UserError(
                self.env._(
                    "The e-mail from %(sender)s is %(size).1f MB, above the %(limit)s MB limit "
                    "for complaint cases. Send large files as links or in several e-mails.",
                    sender=message_dict.get("email_from"),
                    size=size / 1024 / 1024,
                    limit=max_mb,
                )
            )

    @api.model
    def _complaint_find_case_from_subject(self, message_dict):
        """Case named in the subject of a reply whose mail headers were stripped
        (as Outlook does), provided the sender is the customer of that case."""
        numbers = CASE_NUMBER_RE.findall(message_dict.get("subject") or "")
        sender = email_normalize(message_dict.get("email_from") or "")
        if not numbers or not sender:
            return self.env["complaint.case"]
        cases = self.env["complaint.case"].sudo().search([("name", "in", numbers)])
        for case in cases:
            if sender in case._get_customer_emails():
                return case
        return self.env["complaint.case"]
