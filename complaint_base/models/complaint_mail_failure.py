import ast
import base64
import email
import email.policy
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mail import decode_message_header

_logger = logging.getLogger(__name__)

FAILURE_REASONS = [
    ("error", "Processing Error"),
    ("size", "Too Large"),
    ("flood", "Too Many Cases from the Sender"),
    ("unknown_sender", "Unknown Sender"),
]


class ComplaintMailFailure(models.Model):
    _name = "complaint.mail.failure"
    _description = "Failed Complaint E-mail"
    _order = "date desc, id desc"
    _rec_name = "subject"
    _check_company_auto = True

    date = fields.Datetime(
        string="Received On",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
    )
    email_from = fields.Char(string="From", readonly=True)
    subject = fields.Char(readonly=True)
    message_id = fields.Char(string="Message-ID", readonly=True, index="btree_not_null")
    reason = fields.Selection(
        selection=FAILURE_REASONS,
        required=True,
        readonly=True,
        default="error",
    )
    error = fields.Text(readonly=True)
    team_id = fields.Many2one(
        comodel_name="complaint.team",
        string="Team",
        readonly=True,
        check_company=True,
        help="Team whose alias received the e-mail.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    raw_source = fields.Binary(
        string="Original E-mail",
        attachment=True,
        readonly=True,
        help="The message exactly as the mail server delivered it (RFC 822).",
    )
    raw_filename = fields.Char(compute="_compute_raw_filename")
    state = fields.Selection(
        selection=[
            ("new", "New"),
            ("retried", "Retried"),
            ("converted", "Converted"),
            ("discarded", "Discarded"),
        ],
        string="Status",
        required=True,
        readonly=True,
        default="new",
        index=True,
    )
    discard_reason = fields.Text(
        help="Why the e-mail is discarded; required to discard it.",
    )
    case_id = fields.Many2one(
        comodel_name="complaint.case",
        string="Case",
        readonly=True,
        check_company=True,
    )

    def _compute_raw_filename(self):
        for failure in self:
            failure.raw_filename = f"message-{failure.id or 'new'}.eml"

    @api.constrains("state", "discard_reason")
    def _check_discard_reason(self):
        if self.filtered(lambda f: f.state == "discarded" and not (f.discard_reason or "").strip()):
            raise ValidationError(self.env._("Give a reason to discard an e-mail."))

    @api.model
    def _record(self, raw, reason, error, team=None, company=None):
        """Keep the raw e-mail that the gateway could not turn into a case or a
        reply; the same message waiting already is not kept twice. Called by
        ``mail.thread.message_process`` in a cursor of its own."""
        headers = {"Message-Id": "", "From": "", "Subject": ""}
        try:
            message = email.message_from_bytes(raw, policy=email.policy.SMTP)
            headers = {name: decode_message_header(message, name) for name in headers}
        except Exception:  # the raw source is what matters
            _logger.info("Complaint gateway: unreadable headers in a failed e-mail", exc_info=True)
        message_id = headers["Message-Id"].strip()
        if message_id:
            waiting = self.search([("message_id", "=", message_id), ("state", "=", "new")], limit=1)
            if waiting:
                return waiting
        return self.create(
            {
                "email_from": headers["From"],
                "subject": headers["Subject"],
                "message_id": message_id,
                "reason": reason,
                "error": error,
                "team_id": team.id if team else False,
                "company_id": (
                    company or (team.company_id if team else False) or self.env.company
                ).id,
                "raw_source": base64.b64encode(raw),
            }
        )

    def _get_raw_bytes(self):
        self.ensure_one()
        return base64.b64decode(self.with_context(bin_size=False).raw_source or b"")

    def _check_new(self):
        done = self.filtered(lambda f: f.state != "new")
        if done:
            raise UserError(
                self.env._(
                    "These e-mails were already handled: %s",
                    ", ".join(done.mapped("display_name")),
                )
            )

    def _find_case(self):
        """Case that the processed e-mail now belongs to (new or replied to)."""
        self.ensure_one()
        message = (
            self.env["mail.message"]
            .sudo()
            .search(
                [("message_id", "=", self.message_id), ("model", "=", "complaint.case")],
                limit=1,
            )
            if self.message_id
            else self.env["mail.message"]
        )
        return self.env["complaint.case"].browse(message.res_id).exists()

    def action_retry(self):
        """Feed the e-mail to the gateway again, with all of its checks."""
        self.check_access("write")
        self._check_new()
        for failure in self:
            try:
                thread_id = (
                    self.env["mail.thread"]
                    .sudo()
                    .message_process("complaint.case", failure._get_raw_bytes())
                )
            except Exception as error:
                raise UserError(
                    self.env._(
                        "The e-mail %(email)s still fails: %(error)s",
                        email=failure.display_name,
                        error=self._error_text(error),
                    )
                ) from error
            case = failure._find_case()
            if not case and not failure.message_id and thread_id:
                # without a Message-ID, the gateway made one up: trust its answer
                case = self.env["complaint.case"].browse(thread_id).exists()
            if not case:
                raise UserError(
                    self.env._(
                        "The gateway did not turn the e-mail %s into a case or a reply; "
                        "discard it or convert it by hand.",
                        failure.display_name,
                    )
                )
            failure.write({"state": "retried", "case_id": case.id})
        return True

    def action_convert(self):
        """Open a case from the e-mail by hand: the gateway's intake checks (size,
        flood, sender policy, subject matching) are skipped, the manager decides."""
        self.check_access("write")
        self._check_new()
        for failure in self:
            if failure._find_case():
                raise UserError(
                    self.env._("The e-mail %s already belongs to a case.", failure.display_name)
                )
            case = failure._convert_to_case()
            failure.write({"state": "converted", "case_id": case.id})
        return True

    def _convert_to_case(self):
        self.ensure_one()
        MailThread = self.env["mail.thread"].sudo().with_company(self.company_id)
        message = email.message_from_bytes(self._get_raw_bytes(), policy=email.policy.SMTP)
        msg_dict = MailThread.message_parse(message)
        custom_values = {"company_id": self.company_id.id}
        if self.team_id:
            custom_values.update(ast.literal_eval(self.team_id.alias_defaults or "{}"))
            custom_values["team_id"] = self.team_id.id
        # no alias: a failure here must not bounce to the sender nor flag the alias
        route = ("complaint.case", False, custom_values, self.env.uid, None)
        case_id = MailThread._message_route_process(message, msg_dict, [route])
        return self.env["complaint.case"].browse(case_id)

    def action_discard(self):
        self.check_access("write")
        self._check_new()
        if self.filtered(lambda f: not (f.discard_reason or "").strip()):
            raise UserError(self.env._("Give a reason to discard an e-mail."))
        self.write({"state": "discarded"})
        return True

    @api.model
    def _error_text(self, error):
        if isinstance(error, UserError):
            return str(error.args[0]) if error.args else str(error)
        return f"{type(error).__name__}: {error}"
