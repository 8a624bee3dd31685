from email.message import EmailMessage
from email.utils import make_msgid

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import html2plaintext, mute_logger

from .common import JsonRpcMixin, WorkflowCommon

FI_REJECTED_BODY = """<div>
    <p>Hyvä <t t-out="object.partner_id.name or ''">Asiakas</t>,</p>
    <p>Emme voineet hyväksyä reklamaatiotanne <t t-out="object.name or ''">RK</t>.</p>
    <div t-out="object.decision_note">Perustelu</div>
</div>"""


@tagged("post_install", "-at_install")
class TestReplyTemplates(JsonRpcMixin, WorkflowCommon, HttpCase):
    """Answers from the knowledge base: mail templates scoped to the case,
    offered in the composer and by the Decide and Request Completion wizards
    with the message shown as the customer will read it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fi_FI")
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.other_customer.lang = "fi_FI"
        cls.reason_damage = cls.env["complaint.reason"].create({"name": "Transport damage"})
        model_id = cls.env["ir.model"]._get_id("complaint.case")

        def template(name, **values):
            return cls.env["mail.template"].create(
                {
                    "name": name,
                    "model_id": model_id,
                    "subject": "{{ object.name }}",
                    "body_html": f"<p>{name}</p>",
                    "lang": "{{ object.partner_id.lang }}",
                    "complaint_usage": "reply",
                    **values,
                }
            )

        cls.tpl_damage = template(
            "Damaged in transport: photos of the parcel",
            complaint_type_ids=[Command.set(cls.type_complaint.ids)],
            complaint_reason_ids=[Command.set(cls.reason_damage.ids)],
        )
        cls.tpl_warranty = template(
            "Warranty: the serial plate",
            complaint_type_ids=[Command.set(cls.type_warranty.ids)],
        )
        cls.tpl_polish = template("Dla klientów polskich", complaint_lang="pl_PL")
        cls.tpl_finnish = template("Suomalaisille asiakkaille", complaint_lang="fi_FI")
        cls.case = cls._create_case(
            partner_id=cls.other_customer.id,
            reason_id=cls.reason_damage.id,
            user_id=cls.user.id,
            team_id=cls.team.id,
        )
        cls.case.action_confirm()

    def setUp(self):
        super().setUp()
        self.authenticate(self.user.login, self.user.login)

    def _composer_templates(self, case):
        result, error = self._call_kw(
            "mail.template", "complaint_get_composer_templates", [case.id], limit=20
        )
        self.assertFalse(error)
        return self.env["mail.template"].browse([item["id"] for item in result])

    def test_composer_offers_the_templates_of_the_case_first(self):
        offered = self._composer_templates(self.case)
        self.assertEqual(offered[0], self.tpl_damage, "type and reason match: first")
        self.assertIn(self.tpl_finnish, offered)
        self.assertIn(
            self.env.ref("complaint_workflow.complaint_case_mail_template_request_photos"), offered
        )
        self.assertNotIn(self.tpl_warranty, offered, "scoped to another type")
        self.assertNotIn(self.tpl_polish, offered, "scoped to customers of another language")
        self.assertNotIn(
            self.env.ref("complaint_workflow.complaint_case_mail_template_rejected"),
            offered,
            "a decision's template waits for that decision",
        )

    def test_composer_follows_the_case(self):
        warranty_case = self._create_case(type_id=self.type_warranty.id, user_id=self.user.id)
        offered = self._composer_templates(warranty_case)
        self.assertEqual(offered[0], self.tpl_warranty)
        self.assertNotIn(self.tpl_damage, offered)
        self.assertNotIn(self.tpl_finnish, offered, "the contact reads Polish, not Finnish")

    def test_composer_puts_the_users_own_templates_first(self):
        own, own_elsewhere = (
            self.env["mail.template"]
            .with_user(self.user)
            .create(
                [
                    {
                        "name": name,
                        "model_id": self.env["ir.model"]._get_id("complaint.case"),
                        "body_html": "<p>Ulla's words</p>",
                        "user_id": self.user.id,
                        **scope,
                    }
                    for name, scope in (
                        ("Ulla's reply", {}),
                        (
                            "Ulla's warranty reply",
                            {"complaint_type_ids": [Command.set(self.type_warranty.ids)]},
                        ),
                    )
                ]
            )
        )
        offered = self._composer_templates(self.case)
        self.assertEqual(offered[:2], own | self.tpl_damage)
        self.assertNotIn(own_elsewhere, offered)

    def test_decision_starts_from_its_template_and_previews_the_customer_message(self):
        rejected = self.env.ref("complaint_workflow.complaint_case_mail_template_rejected")
        rejected.with_context(lang="fi_FI").body_html = FI_REJECTED_BODY
        note = "<p>Kalkki on tukkinut vastuksen: käyttöohjeen kohta 4.</p>"
        wizard_id, error = self._call_kw(
            "complaint.case.decide",
            "create",
            [{"case_id": self.case.id, "decision": "rejected", "decision_note": note}],
        )
        self.assertFalse(error)
        (values,), error = self._call_kw(
            "complaint.case.decide",
            "read",
            [[wizard_id], ["template_id", "preview_subject", "preview_body"]],
        )
        self.assertFalse(error)
        self.assertEqual(values["template_id"][0], rejected.id)
        preview = html2plaintext(values["preview_body"])
        self.assertIn("Emme voineet hyväksyä reklamaatiotanne", preview, "in Finnish")
        self.assertIn(self.case.name, preview)
        self.assertIn("Kalkki on tukkinut vastuksen", preview, "with the reason not yet sent")
        self.assertFalse(self.case.decision, "previewing decides nothing")

        _result, error = self._call_button("complaint.case.decide", "action_confirm", wizard_id)
        self.assertFalse(error)
        self.assertEqual(self.case.decision, "rejected")
        sent = self.case.message_ids.filtered(
            lambda m: self.other_customer in m.notified_partner_ids
        )
        self.assertEqual(len(sent), 1)
        self.assertEqual(html2plaintext(sent.body), preview, "the customer reads the preview")
        self.assertEqual(sent.subject, values["preview_subject"])

    def test_decision_template_of_the_case_type_wins(self):
        own = self.env.ref("complaint_workflow.complaint_case_mail_template_accepted").copy(
            {
                "name": "Accepted complaint",
                "complaint_type_ids": [Command.set(self.type_complaint.ids)],
            }
        )
        for decision, expected in (
            ("accepted", own),
            ("rejected", self.env.ref("complaint_workflow.complaint_case_mail_template_rejected")),
        ):
            wizard_id, error = self._call_kw(
                "complaint.case.decide", "create", [{"case_id": self.case.id, "decision": decision}]
            )
            self.assertFalse(error)
            self.assertEqual(
                self.env["complaint.case.decide"].browse(wizard_id).template_id, expected
            )

    def test_completion_returns_to_the_stage_chosen(self):
        self.assertEqual(self.case.stage_id, self.stage_analysis)
        wizard_id, error = self._call_kw(
            "complaint.case.request.completion",
            "create",
            [{"case_id": self.case.id, "missing_info": "<p>Valokuva arvokilvestä.</p>"}],
        )
        self.assertFalse(error)
        wizard = self.env["complaint.case.request.completion"].browse(wizard_id)
        self.assertEqual(wizard.return_stage_id, self.stage_analysis, "default: the current stage")
        self.assertEqual(
            wizard.template_id,
            self.env.ref("complaint_workflow.complaint_case_mail_template_completion"),
        )
        self.assertIn("Valokuva arvokilvestä.", html2plaintext(wizard.preview_body))
        _result, error = self._call_kw(
            "complaint.case.request.completion",
            "write",
            [[wizard_id], {"return_stage_id": self.stage_new.id}],
        )
        self.assertFalse(error)
        _result, error = self._call_button(
            "complaint.case.request.completion", "action_confirm", wizard_id
        )
        self.assertFalse(error)
        self.assertEqual(self.case.state, "waiting")
        self.assertEqual(self.case.completion_stage_id, self.stage_new)

        request = self.case.message_ids.filtered(
            lambda m: self.other_customer in m.notified_partner_ids
        )
        self.assertIn("Valokuva arvokilvestä.", request.body)
        reply = EmailMessage()
        reply["From"] = self.other_customer.email
        reply["To"] = "catchall@example.com"
        reply["Subject"] = f"Re: {request.subject}"
        reply["Message-ID"] = make_msgid()
        reply["In-Reply-To"] = request.message_id
        reply.set_content("Kuva liitteenä.")
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.env["mail.thread"].sudo().message_process(None, reply.as_string())
        self.env.invalidate_all()
        self.assertEqual(self.case.stage_id, self.stage_new)
        self.assertEqual(self.case.state, "new")

    def test_completion_refuses_a_stage_of_another_type(self):
        warranty_stage = self.stage_analysis.copy(
            {"name": "Warranty check", "type_ids": [Command.set(self.type_warranty.ids)]}
        )
        wizard_id, error = self._call_kw(
            "complaint.case.request.completion",
            "create",
            [
                {
                    "case_id": self.case.id,
                    "missing_info": "<p>Photos.</p>",
                    "return_stage_id": warranty_stage.id,
                }
            ],
        )
        self.assertFalse(error)
        _result, error = self._call_button(
            "complaint.case.request.completion", "action_confirm", wizard_id
        )
        self.assertIn("Warranty check", error)
        self.assertEqual(self.case.state, "in_progress")
        self.assertFalse(self.case.completion_request)

    def test_handler_tour_reply_from_template_then_decision_with_preview(self):
        self.start_tour(
            f"/odoo/complaint.case/{self.case.id}",
            "complaint_workflow_handler_reply_decide",
            login=self.user.login,
        )
        self.env.invalidate_all()
        self.assertEqual(self.case.decision, "rejected")
        sent = self.case.message_ids.filtered(
            lambda m: self.other_customer in m.notified_partner_ids
        )
        self.assertEqual(sent.author_id, self.user.partner_id)
        self.assertTrue(
            any("Damaged in transport" in (m.body or "") for m in sent), "the template reply"
        )
        self.assertTrue(
            any("limescale" in (m.body or "") for m in sent), "the decision with its reason"
        )
