"""Mail in -> routed case -> stages and SLA -> decision mail -> closed, across
complaint_base and complaint_workflow, as a customer and a team live it."""

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCommon

NOW = datetime(2026, 4, 6, 8, 0)


@tagged("post_install", "-at_install")
class TestEndToEnd(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.handler = new_test_user(
            cls.env,
            login="e2e_handler",
            email="handler@example.com",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cls.team = cls.env["complaint.team"].create(
            {
                "name": "E2E",
                "alias_name": "e2e-claims",
                "alias_domain_id": cls.mail_alias_domain.id,
                "member_ids": [Command.set(cls.handler.ids)],
            }
        )
        cls.env["complaint.routing.rule"].create(
            {"name": "E-mails", "channel": "email", "team_id": cls.team.id, "assign_method": "load"}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Liisa Laine", "email": "liisa@asiakas.example.com", "complaint_vip": True}
        )

    def test_claim_by_email_to_decision(self):
        message = EmailMessage()
        message["From"] = "Liisa Laine <liisa@asiakas.example.com>"
        message["To"] = f"e2e-claims@{self.alias_domain}"
        message["Subject"] = "Kahvinkeitin vuotaa"
        message["Message-ID"] = make_msgid()
        message.set_content("Keitin vuotaa vettä pöydälle.")
        with (
            freeze_time(NOW),
            self.mock_mail_gateway(),
            mute_logger("odoo.addons.mail.models.mail_thread"),
        ):
            self.env["mail.thread"].sudo().message_process(None, message.as_string())
            # the acknowledgement is left to its cron
            self.env.ref("complaint_base.ir_cron_complaint_ack").sudo().method_direct_trigger()
        case = self.env["complaint.case"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(case), 1)
        self.assertEqual(
            (case.channel, case.team_id, case.user_id), ("email", self.team, self.handler)
        )
        self.assertEqual(case.stage_id, self.env.ref("complaint_workflow.complaint_stage_new"))
        self.assertTrue(case.is_vip)
        vip = case.sla_line_ids.filtered(
            lambda line: (
                line.policy_id == self.env.ref("complaint_workflow.complaint_sla_policy_vip")
            )
        )
        self.assertEqual(vip.date_deadline, NOW + timedelta(days=3))
        ack = self._new_mails.filtered(lambda m: self.customer in m.recipient_ids)
        self.assertIn(case.name, ack.subject)

        case = case.with_user(self.handler)
        with freeze_time(NOW + timedelta(days=1)):
            case.action_confirm()
            self.assertEqual(
                case.stage_id, self.env.ref("complaint_workflow.complaint_stage_analysis")
            )
            wizard = Form(
                self.env["complaint.case.decide"]
                .with_user(self.handler)
                .with_context(default_case_id=case.id)
            )
            wizard.decision = "accepted"
            wizard.resolution = "replacement"
            with self.mock_mail_gateway():
                wizard.save().action_confirm()
        self.assertEqual(case.state, "decided")
        self.assertEqual(vip.state, "met")
        # the customer follows the case: the status change is mailed beside the decision
        # (once the gateway's transaction is flushed, as fetchmail's commit does)
        decision = self._new_mails.filtered(
            lambda m: (
                self.customer in m.recipient_ids
                and m.mail_message_id.subtype_id == self.env.ref("mail.mt_comment")
            )
        )
        self.assertIn("accepted", decision.subject)
        with freeze_time(NOW + timedelta(days=2)):
            case.action_close()
        self.assertEqual(case.stage_id, self.env.ref("complaint_workflow.complaint_stage_closed"))
        self.assertEqual(
            case.stage_log_ids.stage_id.mapped("name"), ["Closed", "Decided", "Analysis", "New"]
        )
