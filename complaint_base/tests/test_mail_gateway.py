from email.utils import make_msgid
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import GATEWAY_LOGGERS, ComplaintMailCommon

CASE_MODEL = "odoo.addons.complaint_base.models.complaint_case"


@tagged("post_install", "-at_install", "mail_gateway")
class TestMailGateway(ComplaintMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.customer_contact.lang = "pl_PL"

    def _cases(self):
        return self.env["complaint.case"].search([("team_id", "=", self.team.id)])

    def test_email_opens_case_for_known_customer(self):
        with self.mock_mail_gateway():
            self._process(
                self._email(attachments=[("leak.jpg", b"\xff\xd8\xff\xe0 photo", "image/jpeg")])
            )
        case = self._cases()
        self.assertEqual(len(case), 1)
        self.assertEqual(case.channel, "email")
        self.assertEqual(case.partner_id, self.customer_contact)
        self.assertEqual(case.subject, "Leaking machine")
        self.assertIn("leaks water", case.description)
        self.assertFalse(case.user_id, "the gateway user must not become the handler")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["leak.jpg"])

    def test_unknown_sender_gets_a_contact(self):
        self._process(self._email(email_from="Anna Nowak <anna.nowak@unknown.example.com>"))
        case = self._cases()
        self.assertEqual(case.partner_id.email, "anna.nowak@unknown.example.com")
        self.assertEqual(case.partner_id.name, "Anna Nowak")

    def test_acknowledgement_carries_number_in_customer_language(self):
        template = self.env.ref("complaint_base.complaint_case_mail_template_ack")
        template.with_context(lang="pl_PL").subject = "{{ object.name }}: otrzymaliśmy zgłoszenie"
        with self.mock_mail_gateway():
            self._process(self._email())
            self._run_ack_cron()
        case = self._cases()
        acks = self._new_mails.filtered(lambda mail: self.customer_contact in mail.recipient_ids)
        self.assertEqual(len(acks), 1)
        self.assertEqual(acks.subject, f"{case.name}: otrzymaliśmy zgłoszenie")
        self.assertIn(case.name, acks.body_html)

    def test_acknowledgements_of_a_batch_are_queued_in_each_language(self):
        template = self.env.ref("complaint_base.complaint_case_mail_template_ack")
        template.with_context(lang="pl_PL").subject = "{{ object.name }}: otrzymaliśmy zgłoszenie"
        english = self.env["res.partner"].create(
            {"name": "Ann Smith", "email": "ann@smith.example.com", "lang": "en_US"}
        )
        cases = self.env["complaint.case"].create(
            [
                {"subject": "Leak", "partner_id": self.customer_contact.id},
                {"subject": "Crack", "partner_id": english.id},
                {"subject": "No address"},
            ]
        )
        before = self.env["mail.mail"].search([])
        cases._send_acknowledgement()
        acks = self.env["mail.mail"].search([]) - before
        self.assertEqual(len(acks), 2, "no acknowledgement without an address")
        self.assertEqual(set(acks.mapped("state")), {"outgoing"}, "queued, not sent")
        polish = acks.filtered(lambda mail: self.customer_contact in mail.recipient_ids)
        self.assertEqual(polish.subject, f"{cases[0].name}: otrzymaliśmy zgłoszenie")
        ack_en = acks.filtered(lambda mail: english in mail.recipient_ids)
        self.assertEqual(ack_en.subject, f"{cases[1].name}: we have received your claim")
        self.assertEqual(polish.mail_message_id, cases[0].message_ids[:1])

    def test_gateway_leaves_acknowledgements_to_the_cron_in_each_language(self):
        self.env["res.lang"]._activate_lang("fi_FI")
        finnish = self.env["res.partner"].create(
            {"name": "Liisa Laine", "email": "liisa@asiakas.example.com", "lang": "fi_FI"}
        )
        template = self.env.ref("complaint_base.complaint_case_mail_template_ack")
        template.with_context(lang="pl_PL").subject = "{{ object.name }}: otrzymaliśmy zgłoszenie"
        template.with_context(lang="fi_FI").subject = "{{ object.name }}: reklamaatio vastaanotettu"
        customers = self.customer_contact | finnish
        Mail = self.env["mail.mail"].sudo()
        mail_domain = [("model", "=", "complaint.case"), ("recipient_ids", "in", customers.ids)]
        with self.mock_mail_gateway():
            self._fetch(self._email())
            self._fetch(self._email(email_from=f"Liisa Laine <{finnish.email}>", subject="Vuotaa"))
            cases = self._cases()
            self.assertEqual(len(cases), 2)
            self.assertEqual(cases.mapped("ack_pending"), [True, True])
            self.assertFalse(
                Mail.search([*mail_domain, ("res_id", "in", cases.ids)]),
                "nothing is rendered nor queued inside the gateway",
            )
            cron = self.env.ref("complaint_base.ir_cron_complaint_ack")
            self.assertTrue(
                self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)]),
                "the gateway wakes the cron up",
            )
            self._run_ack_cron()
            self._run_ack_cron()  # a second run finds nothing left to acknowledge
        acks = Mail.search([*mail_domain, ("res_id", "in", cases.ids)])
        self.assertEqual(len(acks), 2, "one acknowledgement per case")
        self.assertEqual(set(acks.mapped("state")), {"outgoing"}, "queued, not sent")
        self.assertEqual(cases.mapped("ack_pending"), [False, False])
        polish = cases.filtered(lambda case: case.partner_id == self.customer_contact)
        finnish_case = cases - polish
        ack_pl = acks.filtered(lambda mail: mail.res_id == polish.id)
        ack_fi = acks.filtered(lambda mail: mail.res_id == finnish_case.id)
        self.assertEqual(ack_pl.recipient_ids, self.customer_contact)
        self.assertEqual(ack_pl.subject, f"{polish.name}: otrzymaliśmy zgłoszenie")
        self.assertIn(polish.name, ack_pl.body_html)
        self.assertEqual(ack_fi.recipient_ids, finnish)
        self.assertEqual(ack_fi.subject, f"{finnish_case.name}: reklamaatio vastaanotettu")
        self.assertIn(finnish_case.name, ack_fi.body_html)

    def test_case_without_address_is_not_acknowledged_nor_retried(self):
        silent = self.env["res.partner"].create({"name": "No Mail"})
        case = self._create_case(partner_id=silent.id, partner_email=False)
        case._complaint_ack_enqueue()
        self.assertTrue(case.ack_pending)
        before = self.env["mail.mail"].sudo().search([])
        self._run_ack_cron()
        self.assertFalse(self.env["mail.mail"].sudo().search([]) - before)
        self.assertFalse(case.ack_pending, "done with, not retried at every run")

    def test_case_failing_its_acknowledgement_does_not_hold_up_the_batch(self):
        bad, good = self._create_case(subject="Bad"), self._create_case(subject="Good")
        (bad | good)._complaint_ack_enqueue()
        Case = type(self.env["complaint.case"])
        send = Case._send_acknowledgement

        def failing_send(cases):
            if bad in cases:
                raise ValueError("template cannot render this case")
            return send(cases)

        with (
            patch.object(Case, "_send_acknowledgement", failing_send),
            self.assertLogs("odoo.addons.complaint_base.models.complaint_case_ack", "ERROR"),
        ):
            self._run_ack_cron()
        acks = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "complaint.case"), ("res_id", "in", (bad | good).ids)])
        )
        self.assertEqual(acks.mapped("res_id"), good.ids)
        self.assertEqual((bad | good).mapped("ack_pending"), [False, False])

    def test_reply_joins_case_by_headers(self):
        first_id = make_msgid(domain="customer.example.com")
        self._process(self._email(msg_id=first_id))
        case = self._cases()
        self._process(
            self._email(
                subject="Re: Leaking machine",
                headers={"In-Reply-To": first_id, "References": first_id},
                body="Here is the serial number: EM200-0001",
            )
        )
        self.assertEqual(self._cases(), case)
        self.assertTrue(case.message_ids.filtered(lambda m: "EM200-0001" in (m.body or "")))

    def test_reply_without_headers_joins_case_by_number_in_subject(self):
        self._process(self._email())
        case = self._cases()
        self._process(self._email(subject=f"RE: {case.name}: otrzymaliśmy", body="Outlook reply"))
        self.assertEqual(self._cases(), case)
        self.assertTrue(case.message_ids.filtered(lambda m: "Outlook reply" in (m.body or "")))

    def test_number_in_subject_from_stranger_opens_new_case(self):
        self._process(self._email())
        case = self._cases()
        self._process(
            self._email(subject=f"About {case.name}", email_from="eve@attacker.example.com")
        )
        self.assertEqual(len(self._cases()), 2)
        self.assertFalse(
            case.message_ids.filtered(lambda m: m.email_from == "eve@attacker.example.com")
        )

    def test_same_message_id_never_makes_two_cases(self):
        msg_id = make_msgid(domain="customer.example.com")
        self._process(self._email(msg_id=msg_id))
        self._process(self._email(msg_id=msg_id))
        self.assertEqual(len(self._cases()), 1)

    def test_automatic_messages_never_open_cases(self):
        automatic = [
            {"Auto-Submitted": "auto-replied"},
            {"Auto-Submitted": "auto-generated"},
            {"X-Autoreply": "yes"},
            {"Precedence": "bulk"},
            {"Precedence": "junk"},
        ]
        with self.mock_mail_gateway():
            for headers in automatic:
                self._process(self._email(subject="Out of office", headers=headers))
            self._process(
                self._email(subject="Undelivered Mail", email_from="MAILER-DAEMON@mx.example.com")
            )
        self.assertFalse(self._cases())
        self.assertFalse(self._new_mails, "no acknowledgement may answer an automatic message")

    def test_auto_reply_to_acknowledgement_does_not_loop(self):
        with self.mock_mail_gateway():
            self._process(self._email())
            self._run_ack_cron()
        case = self._cases()
        ack = self._new_mails.filtered(lambda mail: self.customer_contact in mail.recipient_ids)
        with self.mock_mail_gateway():
            self._process(
                self._email(
                    subject=f"Automatic reply: {ack.subject}",
                    headers={"Auto-Submitted": "auto-replied", "In-Reply-To": ack.message_id},
                )
            )
            self._run_ack_cron()
        self.assertEqual(self._cases(), case)
        self.assertFalse(
            self._new_mails.filtered(lambda mail: self.customer_contact in mail.recipient_ids)
        )

    def test_oversized_email_is_refused_and_kept(self):
        self.env["ir.config_parameter"].set_param("complaint_base.max_email_size_mb", 1)
        big = self._email(attachments=[("video.mp4", b"0" * (1024 * 1024 + 10), "video/mp4")])
        with self.assertRaisesRegex(UserError, "above the 1 MB limit"):
            self._process(big)
        self.assertFalse(self._cases())

    def test_malformed_email_raises_and_creates_nothing(self):
        with self.assertRaises(ValueError):
            self._process_raw("this is not an e-mail at all")
        self.assertFalse(self.env["complaint.case"].search([("channel", "=", "email")]))

    def _process_raw(self, raw):
        with mute_logger(*GATEWAY_LOGGERS):
            return self.env["mail.thread"].sudo().message_process(None, raw)

    def test_failed_case_creation_raises_and_logs(self):
        def broken_create(records, vals_list):
            raise ValueError("database says no")

        with (
            patch.object(type(self.env["complaint.case"]), "create", broken_create),
            self.assertLogs(CASE_MODEL, level="ERROR") as logs,
            self.assertRaisesRegex(ValueError, "database says no"),
        ):
            # forced model, no alias: the error reaches the caller (fetchmail keeps the mail)
            self.env["mail.thread"].sudo().message_process(
                "complaint.case", self._email(to="sales@elsewhere.example.com").as_string()
            )
        self.assertIn("could not open a case", logs.output[0])
        self.assertFalse(self._cases())
