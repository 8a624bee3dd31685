import email
import email.policy
import logging
import re
from datetime import timedelta
from xmlrpc import client as xmlrpclib

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.sql_db import Savepoint
from odoo.tools import email_normalize, email_split
from odoo.tools.mail import decode_message_header

_logger = logging.getLogger(__name__)

# Auto-replies and bulk mail must never open a case nor trigger an acknowledgement
# (RFC 3834 Auto-Submitted, Microsoft's X-Auto-Response-Suppress companions, and
# the de-facto Precedence and X-Autoreply headers).
AUTO_SUBMITTED_VALUES_OK = ("", "no")
BULK_PRECEDENCES = ("bulk", "junk", "list", "auto_reply")
SYSTEM_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply")
# Case numbers are "<prefix>/<year>/<number>", e.g. RK/2026/00042.
CASE_NUMBER_RE = re.compile(r"[A-Za-z0-9][\w.-]{0,15}/\d{4}/\d{3,}")
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Resent-To")


class ComplaintMailRefused(UserError):
    """The gateway refuses a message on purpose (size, flood, sender policy);
    ``reason`` is a ``complaint.mail.failure`` reason."""

    def __init__(self, message, reason):
        super().__init__(message)
        self.reason = reason


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(
        self,
        model,
        message,
        custom_values=None,
        save_original=False,
        strip_attachments=False,
        thread_id=None,
    ):
        """A message for complaints that fails is kept, with its raw source, in
        ``complaint.mail.failure``: fetchmail marks a failing message as read
        (IMAP) and the next fetch would skip it."""
        cr = self.env.cr
        # Nothing of a failing message stays behind, even if the caller commits
        # (fetchmail does). Like cr.savepoint(), but the message's tracking is
        # left to the commit, as without the savepoint.
        cr.flush()
        savepoint = Savepoint(cr)
        try:
            thread_id = super().message_process(
                model,
                message,
                custom_values=custom_values,
                save_original=save_original,
                strip_attachments=strip_attachments,
                thread_id=thread_id,
            )
            self.env.flush_all()
        except Exception as error:
            cr.clear()
            savepoint.close(rollback=True)
            if not self._complaint_keep_failed_message(message, model, error):
                raise
            if self.env.context.get("fetchmail_cron_running"):
                # kept for the managers: fetchmail may take it as processed (POP deletes it)
                return False
            raise
        savepoint.close(rollback=False)
        return thread_id

    @api.model
    def _complaint_keep_failed_message(self, message, model, error):
        """Store a failed message meant for complaints; True when it is kept."""
        if isinstance(message, xmlrpclib.Binary):
            message = bytes(message.data)
        raw = message.encode() if isinstance(message, str) else bytes(message)
        target = self._complaint_failure_target(raw, model)
        if target is None:
            return False
        Failure = self.env["complaint.mail.failure"]
        reason = error.reason if isinstance(error, ComplaintMailRefused) else "error"
        error_text = Failure._error_text(error)
        try:
            # A cursor of its own: the failing message's transaction is rolled
            # back (by the caller, or by fetchmail's next steps), the copy must stay.
            with self.env.registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '10s'")
                env = self.env(cr=cr, su=True)
                team, company = target
                env["complaint.mail.failure"]._record(
                    raw,
                    reason,
                    error_text,
                    team=env["complaint.team"].browse(team.id) if team else None,
                    company=env["res.company"].browse(company.id),
                )
        except Exception:
            _logger.exception("Complaint gateway: could not keep the failed message")
            return False
        _logger.warning("Complaint gateway: kept a failed message for the managers: %s", error_text)
        return True

    @api.model
    def _complaint_failure_target(self, raw, model):
        """``(team, company)`` a failed message was meant for, from its headers: a
        team alias, a reply to a case, or the complaint model forced by the mail
        server; None when it is not about complaints."""
        Team = self.env["complaint.team"].sudo()
        try:
            message = email.message_from_bytes(raw, policy=email.policy.SMTP)
            recipients = [
                address.lower()
                for name in RECIPIENT_HEADERS
                for address in email_split(decode_message_header(message, name, separator=","))
            ]
            references = (
                decode_message_header(message, "References")
                + " "
                + decode_message_header(message, "In-Reply-To")
            ).split()
        except Exception:  # unreadable headers: only the forced model tells
            recipients, references = [], []
        if recipients:
            aliases = (
                self.env["mail.alias"]
                .sudo()
                .search(
                    [
                        ("alias_full_name", "in", recipients),
                        ("alias_model_id.model", "=", "complaint.case"),
                    ]
                )
            )
            team = Team.search([("alias_id", "in", aliases.ids)], limit=1)
            if team:
                return team, team.company_id
            if aliases:
                return Team, self.env.company
        if references:
            replied = (
                self.env["mail.message"]
                .sudo()
                .search(
                    [("message_id", "in", references[-32:]), ("model", "=", "complaint.case")],
                    limit=1,
                )
            )
            case = self.env["complaint.case"].sudo().browse(replied.res_id).exists()
            if case:
                return case.team_id, case.company_id
        if model == "complaint.case":
            return Team, self.env.company
        return None

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        routes = super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )
        new_case_routes = [r for r in routes if r[0] == "complaint.case" and not r[1]]
        if not new_case_routes:
            return routes
        if self._complaint_is_automatic_message(message, message_dict):
            _logger.info(
                "Complaint gateway: ignoring automatic message %s from %s (no case created)",
                message_dict.get("message_id"),
                message_dict.get("email_from"),
            )
            return [r for r in routes if not (r[0] == "complaint.case" and not r[1])]
        self._complaint_check_size(message, message_dict)
        team = self._complaint_route_team(new_case_routes[0])
        company = team.company_id or self._complaint_route_company(new_case_routes[0])
        existing = self._complaint_find_case_from_subject(message_dict, company)
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
        self._complaint_check_sender(message_dict, new_case_routes[0], team)
        return routes

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        if any(r[0] == "complaint.case" and r[1] for r in routes or ()) and (
            self._complaint_is_automatic_message(message, message_dict)
        ):
            # logged on the case, but an automatic answer never moves it
            self = self.with_context(complaint_automatic_message=True)
        return super()._message_route_process(message, message_dict, routes)

    @api.model
    def _complaint_route_team(self, route):
        """Team whose alias (or defaults) the route comes from."""
        alias = route[4]
        Team = self.env["complaint.team"].sudo()
        if alias and alias.alias_parent_model_id.model == "complaint.team":
            return Team.browse(alias.alias_parent_thread_id).exists()
        return Team.browse((route[2] or {}).get("team_id")).exists()

    @api.model
    def _complaint_route_company(self, route):
        company_id = (route[2] or {}).get("company_id")
        return self.env["res.company"].sudo().browse(company_id).exists() or self.env.company

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
        """Refuse oversized messages; the gateway keeps them in
        ``complaint.mail.failure`` for the managers."""
        max_mb = self.env["ir.config_parameter"]._complaint_get_int(
            "complaint_base.max_email_size_mb"
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
            raise ComplaintMailRefused(
                self.env._(
                    "The e-mail from %(sender)s is %(size).1f MB, above the %(limit)s MB limit "
                    "for complaint cases. Send large files as links or in several e-mails.",
                    sender=message_dict.get("email_from"),
                    size=size / 1024 / 1024,
                    limit=max_mb,
                ),
                "size",
            )

    @api.model
    def _complaint_check_sender(self, message_dict, route, team):
        """Refuse a new case from an unknown sender when the team only accepts
        known contacts, and from a sender who opened too many cases this hour
        on an alias open to everyone."""
        sender = email_normalize(message_dict.get("email_from") or "")
        if team.alias_partner_policy == "existing" and not message_dict.get("author_id"):
            raise ComplaintMailRefused(
                self.env._(
                    "%(sender)s is not a known contact; team %(team)s only opens cases "
                    "for known contacts.",
                    sender=message_dict.get("email_from"),
                    team=team.name,
                ),
                "unknown_sender",
            )
        alias = route[4]
        if not sender or (alias and alias.alias_contact != "everyone"):
            return
        limit = self.env["ir.config_parameter"]._complaint_get_int(
            "complaint_base.max_cases_per_sender_hour"
        )
        recent = (
            self.env["complaint.case"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("partner_email", "=", sender),
                    ("channel", "=", "email"),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(hours=1)),
                ],
                limit=limit,
            )
        )
        if recent >= limit:
            raise ComplaintMailRefused(
                self.env._(
                    "%(sender)s opened %(count)s cases by e-mail in the last hour, the limit; "
                    "no case is opened from this e-mail (flood).",
                    sender=sender,
                    count=recent,
                ),
                "flood",
            )

    @api.model
    def _complaint_find_case_from_subject(self, message_dict, company):
        """Case of ``company`` named in the subject of a reply whose mail headers
        were stripped (as Outlook does), provided the sender is its customer."""
        numbers = CASE_NUMBER_RE.findall(message_dict.get("subject") or "")
        sender = email_normalize(message_dict.get("email_from") or "")
        if not numbers or not sender:
            return self.env["complaint.case"]
        cases = (
            self.env["complaint.case"]
            .sudo()
            .search([("name", "in", numbers), ("company_id", "=", company.id)])
        )
        for case in cases:
            if sender in case._get_customer_emails():
                return case
        return self.env["complaint.case"]
