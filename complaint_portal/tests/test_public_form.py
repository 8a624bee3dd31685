import base64
import json

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PDF_BYTES, ComplaintPortalCommon


class ComplaintPublicCommon(ComplaintPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("complaint_portal.form_rate_limit", 3)

    def _new_cases(self, before):
        # the public form files for the website's company, not the test user's
        self.env.invalidate_all()
        return self.env["complaint.case"].sudo().search([("id", "not in", before.ids)])

    def _before(self):
        return self.env["complaint.case"].sudo().search([])

    def _confirmation(self, case):
        """The message that asks the address of ``case`` to confirm it."""
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "complaint.case"),
                    ("res_id", "=", case.id),
                    ("message_type", "=", "user_notification"),
                    ("body", "ilike", "/complaint/confirm/"),
                ]
            )
        )


@tagged("post_install", "-at_install")
class TestPublicForm(ComplaintPublicCommon):
    """``/complaint/new``: customers without a portal account."""

    def _form_data(self, **values):
        data = {
            "csrf_token": self._csrf_token(),
            "name": "Maija Meikäläinen",
            "email": "maija@meikalainen.example",
            "phone": "",
            "company": "Meikäläinen Oy",
            "invoice_ref": "INV/2026/00077",
            "type_id": self.type_complaint.id,
            "subject": "Handle broke off",
            "description": "The handle broke off on the second day.",
            "homepage": "",
        }
        data.update(values)
        return data

    def _post(self, data, files=None):
        return self.url_open("/complaint/new", data=data, files=files or [], allow_redirects=False)

    def test_form_offers_published_types_and_a_hidden_trap(self):
        self.authenticate(None, None)
        response = self.url_open("/complaint/new")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn('name="csrf_token"', text)
        self.assertIn('name="homepage"', text)
        self.assertIn(self.type_warranty.name, text)
        self.assertNotIn(self.env.ref("complaint_base.complaint_type_supplier").name, text)

    def test_claim_creates_customer_case_and_confirmation(self):
        self.authenticate(None, None)
        before = self._before()
        response = self._post(
            self._form_data(description="<script>alert(1)</script> It broke."),
            files=self._files(("handle.png", self._png())),
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertTrue(response.headers["Location"].endswith("/complaint/thanks"))
        case = self._new_cases(before)
        self.assertEqual(len(case), 1)
        self.assertEqual(case.channel, "web_form")
        self.assertEqual(case.type_id, self.type_complaint)
        self.assertEqual(case.partner_id.email, "maija@meikalainen.example")
        self.assertEqual(case.partner_id.name, "Maija Meikäläinen")
        self.assertFalse(case.partner_id.user_ids)
        # the references without a field of their own stay in the description
        self.assertIn("INV/2026/00077", case.description)
        self.assertIn("Meikäläinen Oy", case.description)
        self.assertNotIn("<script>", case.description)
        self.assertIn("&lt;script&gt;", case.description)
        self.assertEqual(
            case.message_ids.attachment_ids.mapped("name"), ["handle.png"], "photo kept"
        )
        self.assertIn(case.partner_id, case.message_partner_ids)
        # the confirmation e-mail names the number and links to the case with its token
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "complaint.case"), ("res_id", "=", case.id)])
        )
        confirmation = mail.filtered(lambda m: case.name in (m.subject or ""))
        self.assertTrue(confirmation, mail.mapped("subject"))
        self.assertIn(case.partner_id, confirmation.recipient_ids)
        self.assertIn(f"access_token={case.access_token}", str(confirmation.body_html))
        # the thanks page shows the number, never a link to the case
        thanks = self.url_open("/complaint/thanks").text
        self.assertIn(case.name, thanks)
        self.assertNotIn(case.access_token, thanks)

    def test_known_address_is_kept_apart_until_confirmed(self):
        # shared between the companies, as contacts are by default; the public
        # form files in the website's company, the test user works in another
        self.contact_a.company_id = False
        self.customer_a.complaint_vip = True
        # the portal user works in the website's company, where the claim is filed
        website_company = self.env.ref("base.public_user").sudo().company_id
        self.portal_a.sudo().write(
            {"company_ids": [Command.link(website_company.id)], "company_id": website_company.id}
        )
        self.env.flush_all()
        self.authenticate(None, None)
        before = self._before()
        response = self._post(
            self._form_data(name="Someone Else", email="JAN@kowalski.example", phone="")
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        case = self._new_cases(before)
        self.assertTrue(case.email_unconfirmed)
        self.assertNotEqual(case.partner_id, self.contact_a)
        self.assertNotEqual(case.commercial_partner_id, self.customer_a)
        self.assertFalse(case.is_vip, "no VIP clock from someone else's account")
        self.assertFalse(case.sla_line_ids.policy_id.filtered("vip_only"))
        self.assertEqual(case.partner_id.email, "jan@kowalski.example")
        self.assertEqual(self.contact_a.name, "Jan Kowalski")
        # the confirmation goes to the address, and only there
        message = self._confirmation(case)
        self.assertEqual(message.partner_ids, case.partner_id)
        token = self.env["complaint.intake"]._claim_confirm_token(case)
        self.assertIn(f"/complaint/confirm/{case.id}/{token}", message.body)
        # the portal user of that contact does not see it yet
        self.authenticate("portal_test_a", "portal_test_a")
        self.assertNotIn(f"/my/complaints/{case.id}", self.url_open("/my/complaints").text)
        with self.assertRaises(AccessError):
            case.with_user(self.portal_a).check_access("read")
        # a wrong token changes nothing
        self.authenticate(None, None)
        url = f"/complaint/confirm/{case.id}/{token}"
        wrong = self.url_open(f"/complaint/confirm/{case.id}/{'0' * len(token)}")
        self.assertEqual(wrong.status_code, 404)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(case.name, page.text)
        self.assertTrue(case.email_unconfirmed, "following the link alone confirms nothing")
        response = self.url_open(
            url, data={"csrf_token": self._csrf_token()}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertFalse(case.email_unconfirmed)
        self.assertEqual(case.partner_id, self.contact_a)
        self.assertTrue(case.is_vip)
        self.assertTrue(case.sla_line_ids.policy_id.filtered("vip_only"), "SLA applied again")
        self.assertIn(self.contact_a, case.message_partner_ids)
        self.assertTrue(case.message_ids.filtered(lambda m: "confirmed the claim" in m.body))
        self.authenticate("portal_test_a", "portal_test_a")
        self.assertIn(f"/my/complaints/{case.id}", self.url_open("/my/complaints").text)

    def test_signed_in_owner_of_the_address_needs_no_confirmation(self):
        self.contact_a.company_id = False
        self.authenticate("portal_test_a", "portal_test_a")
        before = self._before()
        response = self._post(self._form_data(email="jan@kowalski.example"))
        self.assertEqual(response.status_code, 303, response.text[:500])
        case = self._new_cases(before)
        self.assertEqual(case.partner_id, self.contact_a)
        self.assertFalse(case.email_unconfirmed)

    def test_errors_are_shown_and_what_was_entered_is_kept(self):
        self.env["ir.config_parameter"].sudo().set_param("complaint_portal.form_rate_limit", 20)
        self.authenticate(None, None)
        before = self._before()
        cases = {
            "name": self._form_data(name=""),
            "email": self._form_data(email="not-an-address"),
            "subject": self._form_data(subject=""),
            "description": self._form_data(description=""),
            "type": self._form_data(
                type_id=self.env.ref("complaint_base.complaint_type_supplier").id
            ),
            "phone": self._form_data(phone="12"),
        }
        for field, data in cases.items():
            with self.subTest(field=field):
                response = self._post(data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_complaint_form_errors", response.text)
                self.assertIn("Meikäläinen Oy", response.text)
                self.assertIn("INV/2026/00077", response.text)
        self.assertFalse(self._new_cases(before))

    def test_our_own_alias_is_refused_as_customer_address(self):
        alias_domain = self.env["mail.alias.domain"].sudo().create({"name": "claims.example"})
        self.env.company.alias_domain_id = alias_domain
        alias = (
            self.env["mail.alias"]
            .sudo()
            .create(
                {
                    "alias_name": "claims",
                    "alias_model_id": self.env["ir.model"]._get_id("complaint.case"),
                    "alias_domain_id": alias_domain.id,
                }
            )
        )
        self.assertEqual(alias.alias_full_name, "claims@claims.example")
        self.authenticate(None, None)
        before = self._before()
        response = self._post(self._form_data(email="claims@claims.example"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("This address is one of ours", response.text)
        self.assertFalse(self._new_cases(before))

    def test_disguised_picture_is_refused_and_form_kept(self):
        self.authenticate(None, None)
        before = self._before()
        response = self._post(
            self._form_data(type_id=self.type_warranty.id),
            files=self._files(("photo.jpg", PDF_BYTES)),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("named like a picture", response.text)
        self.assertIn("choose your files again (number of files: 1)", response.text)
        self.assertIn("Handle broke off", response.text)
        self.assertFalse(self._new_cases(before))

    @mute_logger("odoo.addons.complaint_portal.controllers.public")
    def test_honeypot_creates_nothing_and_looks_like_success(self):
        self.authenticate(None, None)
        before = self._before()
        attempts = self.env["complaint.form.attempt"].sudo().search_count([])
        response = self._post(self._form_data(homepage="http://spam.example"))
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/complaint/thanks"))
        self.assertFalse(self._new_cases(before))
        self.assertEqual(self.env["complaint.form.attempt"].sudo().search_count([]), attempts + 1)

    def test_rate_limit_per_address(self):
        self.authenticate(None, None)
        before = self._before()
        for index in range(3):
            response = self._post(self._form_data(subject=f"Claim {index}"))
            self.assertEqual(response.status_code, 303, response.text[:500])
        response = self._post(self._form_data(subject="One too many"))
        self.assertEqual(response.status_code, 429)
        self.assertIn("several claims from you within the last hour", response.text)
        self.assertIn("One too many", response.text, "what was entered is kept")
        self.assertEqual(len(self._new_cases(before)), 3)
        # another address from the same machine is limited too (per IP)
        response = self._post(self._form_data(email="other@meikalainen.example"))
        self.assertEqual(response.status_code, 429)
        # old attempts are forgotten by the autovacuum and no longer count
        attempts = self.env["complaint.form.attempt"].sudo().search([])
        self.env.cr.execute(
            "UPDATE complaint_form_attempt SET create_date = now() - interval '2 days' "
            "WHERE id IN %s",
            [tuple(attempts.ids)],
        )
        self.env["complaint.form.attempt"]._gc_attempts()
        self.assertFalse(attempts.exists())
        response = self._post(self._form_data(subject="Tomorrow"))
        self.assertEqual(response.status_code, 303)

    def test_forwarded_address_is_ignored_without_proxy_mode(self):
        self.authenticate(None, None)
        for _index in range(3):
            response = self.url_open(
                "/complaint/new",
                data=self._form_data(subject=""),
                headers={"X-Forwarded-For": "198.51.100.77"},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 200)
        attempts = self.env["complaint.form.attempt"].sudo().search([])
        self.assertEqual(set(attempts.mapped("ip")), {"127.0.0.1"})
        # invalid attempts count too: the address has used up its limit
        response = self._post(self._form_data(email="someone.else@example.com"))
        self.assertEqual(response.status_code, 429)

    def test_managers_review_submissions_in_the_backend(self):
        Attempt = self.env["complaint.form.attempt"]
        Attempt._record_attempt("robot@spam.example", "198.51.100.1")
        manager = new_test_user(
            self.env,
            login="portal_test_manager",
            groups="base.group_user,complaint_base.group_complaint_manager",
        )
        views = Attempt.with_user(manager).get_views([(False, "list"), (False, "search")])
        self.assertIn("ip", views["models"]["complaint.form.attempt"]["fields"])
        rows = Attempt.with_user(manager).search_read([("ip", "=", "198.51.100.1")], ["email"])
        self.assertEqual([row["email"] for row in rows], ["robot@spam.example"])
        action = self.env.ref("complaint_portal.complaint_form_attempt_action")
        self.assertEqual(action.res_model, "complaint.form.attempt")
        with self.assertRaises(AccessError):
            Attempt.with_user(self.handler).search([])

    @mute_logger("odoo.http")
    def test_post_without_csrf_token_is_refused(self):
        self.authenticate(None, None)
        before = self._before()
        response = self._post(self._form_data(csrf_token="forged"))
        self.assertIn(response.status_code, (400, 403))
        self.assertFalse(self._new_cases(before))


@tagged("post_install", "-at_install")
class TestWebsiteApi(ComplaintPublicCommon):
    """``POST /complaint/api/cases``: the form on the company's own website."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Integration = cls.env["complaint.integration"].sudo()
        cls.web_integration = Integration.create(
            {"name": "Website", "kind": "web_form", "user_id": cls.handler.id}
        )
        cls.web_key = cls.web_integration._generate_key()
        cls.phone_key = Integration.create(
            {"name": "PBX", "kind": "phone", "user_id": cls.handler.id}
        )._generate_key()

    def _payload(self, **values):
        payload = {
            "name": "Mateja Novak",
            "email": "mateja@novak.example",
            "type": self.type_complaint.code,
            "subject": "Wrong colour",
            "description": "We ordered blue and got green.",
            "invoice_ref": "SO-1234",
            "client_ip": "203.0.113.7",
        }
        payload.update(values)
        return payload

    def _call(self, payload, key=None, raw=None, headers=None):
        headers = {"Content-Type": "application/json", **(headers or {})}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return self.url_open(
            "/complaint/api/cases",
            data=raw if raw is not None else json.dumps(payload),
            headers=headers,
            allow_redirects=False,
        )

    @mute_logger("odoo.addons.complaint_portal.controllers.public")
    def test_keys_are_checked(self):
        before = self._before()
        for key in (None, "x" * 40, self.phone_key):
            with self.subTest(key=key):
                response = self._call(self._payload(), key=key)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["error"], "unauthorized")
                self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        self.assertFalse(self._new_cases(before))

    def test_claim_is_created_with_files(self):
        before = self._before()
        photo = base64.b64encode(self._png()).decode()
        response = self._call(
            self._payload(attachments=[{"filename": "green.png", "content_base64": photo}]),
            key=self.web_key,
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        case = self._new_cases(before)
        self.assertEqual(len(case), 1)
        self.assertEqual(body["number"], case.name)
        self.assertEqual(body["id"], case.id)
        self.assertEqual(set(body), {"number", "id"}, "never a link nor a token")
        self.assertNotIn(case.access_token, response.text)
        self.assertNotIn("Location", response.headers)
        self.assertEqual(case.create_uid, self.handler, "created as the key's user")
        self.assertFalse(case.email_unconfirmed)
        self.assertEqual(case.channel, "web_form")
        self.assertEqual(case.partner_id.email, "mateja@novak.example")
        self.assertIn("SO-1234", case.description)
        self.assertEqual(case.message_ids.attachment_ids.mapped("name"), ["green.png"])
        attempt = self.env["complaint.form.attempt"].sudo().search([], limit=1)
        self.assertEqual((attempt.ip, attempt.channel), ("203.0.113.7", "api"))

    def test_validation_errors_by_field(self):
        before = self._before()
        response = self._call(
            self._payload(
                email="nope",
                subject="",
                type="no_such_type",
                attachments=[
                    {"filename": "x.png", "content_base64": base64.b64encode(PDF_BYTES).decode()},
                    {"filename": "y.png", "content_base64": "***"},
                ],
            ),
            key=self.web_key,
        )
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(body["error"], "validation_failed")
        self.assertEqual(
            set(body["fields"]), {"email", "subject", "type", "attachments"}, body["fields"]
        )
        self.assertIn(self.type_complaint.code, " ".join(body["fields"]["type"]))
        self.assertEqual(len(body["fields"]["attachments"]), 2)
        self.assertFalse(self._new_cases(before))

    def test_bad_bodies(self):
        for raw in ("not json", "[1, 2]", " "):
            with self.subTest(raw=raw):
                response = self._call(None, key=self.web_key, raw=raw)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json()["error"], "invalid_json")
        self.env["ir.config_parameter"].sudo().set_param("complaint_portal.api_max_payload_mb", 1)
        big = base64.b64encode(b"\0" * (1024 * 1024)).decode()
        response = self._call(
            self._payload(attachments=[{"filename": "big.bin", "content_base64": big}]),
            key=self.web_key,
        )
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["error"], "payload_too_large")

    def test_rate_limit(self):
        for index in range(3):
            response = self._call(self._payload(subject=f"Claim {index}"), key=self.web_key)
            self.assertEqual(response.status_code, 201, response.text)
        response = self._call(self._payload(subject="Too many"), key=self.web_key)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["error"], "rate_limited")

    def test_key_user_without_rights_is_refused(self):
        self.web_integration.user_id = self.employee
        before = self._before()
        partners = self.env["res.partner"].sudo().search_count([])
        response = self._call(self._payload(), key=self.web_key)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self._new_cases(before))
        self.assertEqual(self.env["res.partner"].sudo().search_count([]), partners)

    def test_messages_in_the_visitors_language(self):
        self.env["res.lang"]._activate_lang("fi_FI")
        self.env["ir.module.module"]._load_module_terms(["complaint_portal"], ["fi_FI"])
        response = self._call(self._payload(subject="", lang="fi_FI"), key=self.web_key)
        self.assertEqual(response.status_code, 400)
        english = "Give your claim a short title."
        message = response.json()["fields"]["subject"][0]
        self.assertNotEqual(message, english)
        self.assertTrue(message)
        response = self._call(self._payload(lang="xx_XX"), key=self.web_key)
        self.assertEqual(response.status_code, 400)
        self.assertIn("lang", response.json()["fields"])

    def test_known_address_is_kept_apart_until_confirmed(self):
        self.contact_a.company_id = False
        before = self._before()
        response = self._call(self._payload(email="jan@kowalski.example"), key=self.web_key)
        self.assertEqual(response.status_code, 201, response.text)
        case = self._new_cases(before)
        self.assertEqual(set(response.json()), {"number", "id"})
        self.assertTrue(case.email_unconfirmed)
        self.assertNotEqual(case.commercial_partner_id, self.customer_a)
        self.assertEqual(case.create_uid, self.handler)
        with self.assertRaises(AccessError):
            case.with_user(self.portal_a).check_access("read")
        token = self.env["complaint.intake"]._claim_confirm_token(case)
        self.assertNotIn(token, response.text)
        notification = self._confirmation(case)
        self.assertIn(f"/complaint/confirm/{case.id}/{token}", notification.body)
        self.assertEqual(notification.partner_ids.email, "jan@kowalski.example")
        self.env["complaint.intake"]._confirm_claim_email(case.id, token)
        self.assertEqual(case.partner_id, self.contact_a)
        case.with_user(self.portal_a).check_access("read")

    def test_rate_limit_counts_refused_and_invalid_attempts(self):
        for index in range(2):
            response = self._call(
                self._payload(subject="", description=str(index)), key=self.web_key
            )
            self.assertEqual(response.status_code, 400)
        self.assertEqual(self._call(self._payload(), key=self.web_key).status_code, 201)
        for _index in range(2):
            self.assertEqual(self._call(self._payload(), key=self.web_key).status_code, 429)
        attempts = (
            self.env["complaint.form.attempt"]
            .sudo()
            .search([("email", "=", "mateja@novak.example")])
        )
        self.assertEqual(len(attempts), 5)
        self.assertEqual(len(attempts.filtered("refused")), 2)
        self.assertEqual(attempts.integration_id, self.web_integration)

    def test_each_key_has_a_limit_of_its_own(self):
        self.env["ir.config_parameter"].sudo().set_param("complaint_portal.api_key_rate_limit", 2)
        for index in range(2):
            response = self._call(
                self._payload(email=f"visitor{index}@example.com", client_ip=f"192.0.2.{index}"),
                key=self.web_key,
            )
            self.assertEqual(response.status_code, 201, response.text)
        response = self._call(
            self._payload(email="visitor9@example.com", client_ip="192.0.2.9"), key=self.web_key
        )
        self.assertEqual(response.status_code, 429)

    @mute_logger("odoo.addons.complaint_base.models.complaint_integration")
    def test_wrong_keys_are_throttled(self):
        for _index in range(10):
            self.assertEqual(self._call(self._payload(), key="y" * 43).status_code, 401)
        response = self._call(self._payload(), key=self.web_key)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["error"], "too_many_attempts")

    def test_the_default_api_user_files_claims_as_itself(self):
        api_user = self.env.ref("complaint_base.user_complaint_api")
        integration = (
            self.env["complaint.integration"]
            .sudo()
            .create(
                {
                    "name": "Website (default user)",
                    "kind": "web_form",
                    "company_id": api_user.company_id.id,
                }
            )
        )
        self.assertEqual(integration.user_id, api_user)
        key = integration._generate_key()
        before = self._before()
        response = self._call(self._payload(email="new.customer@example.com"), key=key)
        self.assertEqual(response.status_code, 201, response.text)
        case = self._new_cases(before)
        self.assertEqual(case.create_uid, api_user)
        self.assertEqual(case.company_id, api_user.company_id)
        self.assertEqual(case.partner_id.email, "new.customer@example.com")
        self.assertFalse(case.email_unconfirmed)
