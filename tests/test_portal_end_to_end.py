"""A customer's whole claim in the portal, across complaint_base,
complaint_workflow and complaint_portal: filed from an invoice -> routed and
acknowledged -> completion asked and answered online -> decided -> the
customer reads the decision and downloads the summary."""

from odoo.tests import Form, tagged

from odoo.addons.complaint_portal.tests.common import ComplaintPortalCommon


@tagged("post_install", "-at_install")
class TestPortalEndToEnd(ComplaintPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["complaint.team"].create(
            {"name": "Portal claims", "member_ids": [(6, 0, cls.handler.ids)]}
        )
        cls.env["complaint.routing.rule"].create(
            {"name": "Portal", "channel": "portal", "team_id": cls.team.id, "assign_method": "load"}
        )

    def test_claim_from_invoice_to_decision(self):
        self.authenticate("portal_test_a", "portal_test_a")
        invoice_page = self.url_open(f"/my/invoices/{self.invoice_a.id}").text
        self.assertIn(f"/my/complaints/new?invoice_id={self.invoice_a.id}", invoice_page)

        before = self.env["complaint.case"].search([])
        response = self._post_claim(
            self._claim_data(
                type_id=self.type_complaint.id,
                subject="Machine leaks",
                **{
                    f"qty_{self.line_plain_a.id}": "",
                    f"qty_{self.line_serial_a.id}": "1",
                    f"serial_{self.line_serial_a.id}": "EM200-0001",
                },
            ),
            self._files(("leak.jpg", self._png())),
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        case = self._new_cases(before)
        self.assertEqual(
            (case.channel, case.team_id, case.user_id, case.type_id),
            ("portal", self.team, self.handler, self.type_complaint),
        )
        self.assertEqual(case.line_ids.lot_id, self.lot_1)
        self.assertTrue(case.sla_line_ids, "the statutory clock runs for portal claims too")
        ack = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "complaint.case"), ("res_id", "=", case.id)])
        )
        self.assertIn(self.contact_a, ack.recipient_ids)

        # staff ask for more; the customer sees what is missing and answers online
        self._request_completion(case, "<p>Please send the serial plate.</p>")
        page = self.url_open(case.access_url).text
        self.assertIn("Please send the serial plate.", page)
        response = self.url_open(
            f"/my/complaints/{case.id}/complete",
            data={"csrf_token": self._csrf_token(), "message": "Plate attached."},
            files=self._files(("plate.png", self._png())),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertEqual(case.state, "in_progress")

        # the handler decides; the customer reads it in the portal
        wizard = Form(
            self.env["complaint.case.decide"]
            .with_user(self.handler)
            .with_context(default_case_id=case.id)
        )
        wizard.decision = "accepted"
        wizard.resolution = "replacement"
        wizard.save().action_confirm()
        self.assertEqual(case.state, "decided")
        page = self.url_open(case.access_url).text
        self.assertIn("o_complaint_decision", page)
        self.assertIn("Accepted", page)
        self.assertIn("leak.jpg", page)
        self.assertIn("plate.png", page)
        listing = self.url_open("/my/complaints?filterby=open").text
        self.assertIn(case.name, listing)
        summary = self.url_open(f"{case.access_url}?report_type=pdf&download=true")
        self.assertEqual(summary.headers["Content-Type"], "application/pdf")
        self.assertIn(case.name, summary.text)

        # customer B never sees any of it
        self.authenticate("portal_test_b", "portal_test_b")
        self.assertNotIn(case.name, self.url_open("/my/complaints").text)
        response = self.url_open(case.access_url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
