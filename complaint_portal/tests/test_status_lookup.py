import re

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintPortalCommon

CSRF_TOKEN = re.compile(r"[0-9a-f]{40}o\d+")
CONFIRMATION = "If the number and address match a claim, we have sent the link to that address."


@tagged("post_install", "-at_install")
class TestStatusLookup(ComplaintPortalCommon):
    """``/complaint/status``: customers without an account get the link to
    their claim by e-mail, and nobody learns whether a claim matched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("complaint_portal.form_rate_limit", 3)
        # the look-up searches the website's company: the public user's
        company = cls.env.ref("base.public_user").sudo().company_id
        Case = cls.env["complaint.case"].sudo().with_company(company)
        cls.claim_a, cls.claim_b = Case.create(
            [
                {
                    "subject": f"Descaler leaves a powder ({contact.name})",
                    "partner_id": contact.id,
                    "type_id": cls.type_complaint.id,
                    "company_id": company.id,
                    "user_id": False,
                }
                for contact in (cls.contact_a, cls.contact_b)
            ]
        )

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def _lookup(self, number, email, **values):
        data = {"csrf_token": self._csrf_token(), "number": number, "email": email}
        data.update(values)
        return self.url_open("/complaint/status", data=data, allow_redirects=False)

    def _mails(self):
        return self.env["mail.mail"].sudo().search([("model", "=", "complaint.case")])

    def _status_mails(self, before):
        self.env.invalidate_all()
        return self._mails() - before

    def _assert_neutral_answer(self, response):
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertTrue(response.headers["Location"].endswith("/complaint/status?sent=1"))
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn(CONFIRMATION, page.text)
        return page

    def test_page_offers_the_form(self):
        response = self.url_open("/complaint/status")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="csrf_token"', response.text)
        self.assertIn('name="number"', response.text)
        self.assertNotIn(CONFIRMATION, response.text)

    def test_match_queues_the_tokenised_link_to_that_address(self):
        before = self._mails()
        # as customers type them: other case, spaces around
        response = self._lookup(f" {self.claim_a.name} ", "Jan@Kowalski.EXAMPLE")
        self._assert_neutral_answer(response)
        mail = self._status_mails(before)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "jan@kowalski.example")
        self.assertFalse(mail.recipient_ids)
        self.assertEqual(mail.state, "outgoing", "queued, not sent inline")
        self.assertEqual(mail.res_id, self.claim_a.id)
        self.claim_a.invalidate_recordset()
        self.assertTrue(self.claim_a.access_token)
        self.assertIn(
            f"/my/complaints/{self.claim_a.id}?access_token={self.claim_a.access_token}",
            mail.body_html,
        )
        attempt = self.env["complaint.form.attempt"].sudo().search([], limit=1)
        self.assertEqual(attempt.channel, "status_lookup")
        self.assertEqual(attempt.email, "jan@kowalski.example")

    def test_link_goes_out_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fi_FI")
        self.contact_a.lang = "fi_FI"
        template = self.env.ref("complaint_portal.complaint_case_mail_template_status_link")
        template.with_context(lang="fi_FI").subject = "{{ object.name }}: reklamaation tila"
        before = self._mails()
        self._lookup(self.claim_a.name, self.contact_a.email)
        mail = self._status_mails(before)
        self.assertEqual(mail.subject, f"{self.claim_a.name}: reklamaation tila")

    def test_unknown_number_sends_nothing_and_says_the_same(self):
        before = self._mails()
        matched = self._assert_neutral_answer(self._lookup(self.claim_a.name, self.contact_a.email))
        unmatched = self._assert_neutral_answer(self._lookup("RK/1999/00001", self.contact_a.email))
        self.assertEqual(len(self._status_mails(before)), 1)
        # CSRF tokens carry the second they were made in; the rest is the same
        self.assertEqual(CSRF_TOKEN.sub("", matched.text), CSRF_TOKEN.sub("", unmatched.text))

    def test_address_of_another_customer_sends_nothing(self):
        before = self._mails()
        # case B exists, but it is not Jan's: nothing goes to Jan, nor to Aino
        self._assert_neutral_answer(self._lookup(self.claim_b.name, self.contact_a.email))
        self._assert_neutral_answer(self._lookup(self.claim_b.name, "aino@virtanen.exampl"))
        self.assertFalse(self._status_mails(before))

    def test_case_of_another_company_sends_nothing(self):
        other_company = self.env["res.company"].create({"name": "Other Claims Ltd"})
        self.claim_a.sudo().company_id = other_company
        before = self._mails()
        self._assert_neutral_answer(self._lookup(self.claim_a.name, self.contact_a.email))
        self.assertFalse(self._status_mails(before))

    def test_case_not_shown_to_customers_sends_nothing(self):
        self.claim_a.type_id.sudo().portal_visible = False
        before = self._mails()
        self._assert_neutral_answer(self._lookup(self.claim_a.name, self.contact_a.email))
        self.assertFalse(self._status_mails(before))

    def test_rate_limit_stops_mails_but_not_the_answer(self):
        before = self._mails()
        for _index in range(3):
            self._assert_neutral_answer(self._lookup(self.claim_a.name, self.contact_a.email))
        self.assertEqual(len(self._status_mails(before)), 3)
        # the fourth try within the hour: the same answer, no mail
        self._assert_neutral_answer(self._lookup(self.claim_a.name, self.contact_a.email))
        self.assertEqual(len(self._status_mails(before)), 3)
        # guessing numbers from the same machine with other addresses is limited too
        self._assert_neutral_answer(self._lookup(self.claim_b.name, self.contact_b.email))
        self.assertEqual(len(self._status_mails(before)), 3)

    @mute_logger("odoo.http")
    def test_post_without_csrf_token_is_refused(self):
        before = self._mails()
        attempts = self.env["complaint.form.attempt"].sudo().search_count([])
        response = self._lookup(self.claim_a.name, self.contact_a.email, csrf_token="forged")
        self.assertIn(response.status_code, (400, 403))
        self.assertFalse(self._status_mails(before))
        self.assertEqual(self.env["complaint.form.attempt"].sudo().search_count([]), attempts)
