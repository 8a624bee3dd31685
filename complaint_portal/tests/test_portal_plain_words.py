from lxml import html

from odoo.tests import tagged

from .common import ComplaintPortalCommon


@tagged("post_install", "-at_install")
class TestPortalPlainWords(ComplaintPortalCommon):
    """The portal says who acts next, counts what waits for the customer and
    prints a summary on the company's letterhead in the customer's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_waiting = cls._create_case(cls.contact_a, cls.invoice_a, cls.line_serial_a)

    def _waiting_count(self, login):
        self._login(login)
        body = self._jsonrpc("/my/counters", {"counters": ["complaint_waiting_count"]})
        return body["result"]["complaint_waiting_count"]

    def _badges(self, url):
        """{case number: (actor, label)} of the status badges of a portal page."""
        page = html.fromstring(self.url_open(url).text)
        badges = {}
        for row in page.xpath("//tr[contains(@class, 'o_complaint_row')]"):
            badge = row.xpath(".//span[contains(@class, 'o_complaint_state')]")[0]
            number = row.xpath(".//a[contains(@class, 'o_complaint_link')]")[0].text_content()
            badges[number] = (badge.get("data-actor"), badge.text_content().strip())
        return badges

    def test_home_counts_the_claims_waiting_for_the_customer(self):
        self.assertEqual(self._waiting_count("portal_test_a"), 0)
        self._request_completion(self.case_waiting)
        self.assertEqual(self._waiting_count("portal_test_a"), 1)
        self.assertEqual(self._waiting_count("portal_test_b"), 0, "another customer's claim")
        home = self.url_open("/my").text
        self.assertIn("/my/complaints?filterby=waiting", home)
        self.assertIn("Claims waiting for your answer", home)

    def test_statuses_say_who_acts_next(self):
        self._request_completion(self.case_waiting)
        self._login("portal_test_a")
        badges = self._badges("/my/complaints")
        self.assertEqual(badges[self.case_waiting.name], ("customer", "Waiting for you"))
        self.assertEqual(badges[self.case_a.name], ("company", "We are working on it"))
        page = html.fromstring(self.url_open(self.case_waiting.access_url).text)
        labels = {
            badge.text_content().strip()
            for badge in page.xpath("//span[contains(@class, 'o_complaint_state')]")
        }
        self.assertEqual(labels, {"Waiting for you"})

    def test_a_decided_claim_leaves_nothing_to_do(self):
        self.env["complaint.case.decide"].with_user(self.handler).create(
            {"case_id": self.case_a.id, "decision": "accepted", "resolution": "refund"}
        ).action_confirm()
        self._login("portal_test_a")
        badges = self._badges("/my/complaints")
        self.assertEqual(badges[self.case_a.name], ("none", "Decided: see our answer"))

    def test_summary_on_the_letterhead_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"].search(
            [("name", "in", ("web", "complaint_base", "complaint_workflow", "complaint_portal"))]
        )._update_translations("pl_PL")
        self.contact_a.lang = "pl_PL"
        self._login("portal_test_a")
        response = self.url_open(f"{self.case_a.access_url}?report_type=html")
        self.assertEqual(response.status_code, 200)
        # the report's response names no charset: decode it as the browser does
        page = html.fromstring(response.content.decode())
        self.assertTrue(
            page.xpath(f"//div[contains(@class, 'o_company_{self.case_a.company_id.id}_layout')]"),
            "the company's letterhead (web.external_layout)",
        )
        status = page.xpath("//div[contains(@class, 'o_complaint_summary_status')]")[0]
        self.assertEqual(status.text_content().strip(), "Zajmujemy się Twoim zgłoszeniem")
        text = page.text_content()
        self.assertNotIn("New (New)", text)
        self.assertNotIn("Nowe (Nowe)", text)
        self.assertIn("Status:", text)  # the Polish label is the same word

    def test_customer_tour_waiting_notice(self):
        self._request_completion(self.case_waiting)
        self.start_tour("/my", "complaint_portal_waiting_notice", login="portal_test_a")
