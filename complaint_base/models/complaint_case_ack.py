import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.sql import create_index

_logger = logging.getLogger(__name__)

# Cases acknowledged per run of the cron; ir.cron runs it again at once
# (committing in between) while some remain.
ACK_BATCH = 500


class ComplaintCase(models.Model):
    _inherit = "complaint.case"

    ack_pending = fields.Boolean(
        string="Acknowledgement Pending",
        readonly=True,
        copy=False,
        help="The customer's acknowledgement of the case is still to be queued "
        "(by the scheduled action that acknowledges cases opened by e-mail).",
    )

    def init(self):
        super().init()
        # only the few pending cases are indexed: the cron finds them at once
        create_index(
            self.env.cr,
            "complaint_case_ack_pending_index",
            self._table,
            ["id"],
            where="ack_pending IS TRUE",
        )

    def _complaint_ack_enqueue(self):
        """Leave the acknowledgement of the cases to the cron: rendering and
        queueing it is a fifth of the gateway's time per e-mail, and an error
        in it must not cost the customer's case."""
        self.filtered(lambda case: not case.ack_pending).with_context(
            mail_notrack=True
        ).ack_pending = True
        # from the cached xmlid, without env.ref()'s query per e-mail
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "complaint_base.ir_cron_complaint_ack", raise_if_not_found=False
        )
        if cron_id:
            self.env["ir.cron"].sudo().browse(cron_id)._trigger()

    @api.model
    def _cron_send_acknowledgements(self, batch_size=ACK_BATCH):
        """Queue the acknowledgements of up to ``batch_size`` pending cases,
        a batch per company (the template renders each language once)."""
        pending = self.sudo().with_context(active_test=False)
        cases = pending.search([("ack_pending", "=", True)], order="id", limit=batch_size)
        for company, group in cases.grouped("company_id").items():
            group.with_company(company)._complaint_ack_batch()
        # done, acknowledged or not (no address, failed): never retried forever;
        # a technical flag, nothing to track
        cases.with_context(mail_notrack=True).ack_pending = False
        remaining = 0
        if len(cases) == batch_size:
            remaining = pending.search_count([("ack_pending", "=", True)])
        self.env["ir.cron"]._notify_progress(done=len(cases), remaining=remaining)
        return len(cases)

    def _complaint_ack_batch(self):
        """Acknowledge the cases together, or one by one when the batch fails,
        so that one case the template cannot render does not hold up the rest."""
        try:
            with self.env.cr.savepoint():
                self._send_acknowledgement()
            return
        except Exception:
            if len(self) == 1:
                _logger.exception("Complaint: could not acknowledge case %s", self.name)
                return
        for case in self:
            case._complaint_ack_batch()

    def _send_acknowledgement(self):
        """Tell the customers that their cases were registered and under which
        numbers. The template is rendered once per language for the whole batch
        and the e-mails are queued, never sent inline: intake must not wait for
        (or fail on) SMTP. The message shows in the chatter like a reply."""
        template = self.env.ref(
            "complaint_base.complaint_case_mail_template_ack", raise_if_not_found=False
        )
        cases = self.filtered(lambda case: case.partner_id.email or case.partner_email)
        if not template or not cases:
            return
        mails = template.sudo().send_mail_batch(
            cases.ids,
            email_values={
                "message_type": "comment",
                "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
                "author_id": self.env.user.partner_id.id,
            },
        )
        for mail in mails:
            # the customer's own link to the case, in the e-mail only (not in the chatter)
            partner = mail.recipient_ids[:1]
            link = self.browse(mail.res_id)._get_acknowledgement_link(partner)
            if link:
                label = self.with_context(lang=partner.lang or None).env._("View your claim")
                mail.body_html = Markup('%s<p><a href="%s">%s</a></p>') % (
                    Markup(mail.body_html or ""),
                    link,
                    label,
                )

    def _get_acknowledgement_link(self, partner):
        """Link for ``partner`` to follow the case, when the customer portal can
        show it (the portal add-on makes the case a portal document)."""
        self.ensure_one()
        if not partner or not hasattr(self, "_portal_ensure_token"):
            return False
        return self._notify_get_action_link(
            "view",
            access_token=self.sudo()._portal_ensure_token(),
            pid=partner.id,
            hash=self._sign_token(partner.id),
        )
