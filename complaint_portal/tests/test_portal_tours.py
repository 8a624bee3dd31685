import base64

from odoo.tests import tagged

from .common import ComplaintPortalCommon


@tagged("post_install", "-at_install")
class TestPortalTours(ComplaintPortalCommon):
    """The customer's two journeys in a real (headless) browser."""

    def test_file_claim_with_photo_from_invoice(self):
        before = self.env["complaint.case"].search([])
        self.start_tour(
            f"/my/invoices/{self.invoice_a.id}",
            "complaint_portal_file_claim",
            login="portal_test_a",
        )
        case = self._new_cases(before)
        self.assertEqual(len(case), 1)
        self.assertEqual(case.type_id, self.type_warranty)
        self.assertEqual(case.channel, "portal")
        self.assertEqual(case.line_ids.lot_id, self.lot_1)
        self.assertEqual(sorted(case.line_ids.mapped("quantity")), [1.0, 2.0])
        photo = self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(photo.name, "white-powder.png")
        self.assertEqual(photo.mimetype, "image/png")

    def test_completion_loop(self):
        self._request_completion(self.case_a)
        self.start_tour(
            self.case_a.access_url, "complaint_portal_completion", login="portal_test_a"
        )
        self.env.invalidate_all()
        self.assertEqual(self.case_a.state, "in_progress")
        self.assertEqual(self.case_a.stage_id, self.stage_analysis)
        answer = self.case_a.message_ids.filtered(lambda m: m.author_id == self.contact_a)
        self.assertIn("EM200-0001", answer.body)
        self.assertEqual(answer.attachment_ids.name, "serial-plate.png")

    def test_photo_instructions_follow_the_chosen_type(self):
        self.type_warranty.write(
            {
                "photo_instructions": "Photograph the serial-number plate and the damage.",
                "photo_example": base64.b64encode(self._png((40, 30))),
            }
        )
        self.type_return.photo_instructions = "Photograph the parcel with its shipping label."
        self.start_tour(
            "/my/complaints/new", "complaint_portal_photo_instructions", login="portal_test_a"
        )

    def test_status_lookup_of_a_visitor(self):
        self.type_warranty.photo_instructions = "Photograph the serial-number plate."
        self.type_return.photo_instructions = "Photograph the parcel with its shipping label."
        # a claim of the website's company (the public user's), with the tour's number
        company = self.env.ref("base.public_user").sudo().company_id
        case = (
            self.env["complaint.case"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "subject": "Descaler leaves a powder",
                    "partner_id": self.contact_a.id,
                    "type_id": self.type_complaint.id,
                    "company_id": company.id,
                    "user_id": False,
                }
            )
        )
        case.name = "RK/2099/TOUR"
        Mail = self.env["mail.mail"].sudo()
        before = Mail.search([])
        self.start_tour("/complaint/new", "complaint_portal_status_lookup")
        self.env.invalidate_all()
        mail = Mail.search([("id", "not in", before.ids)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "jan@kowalski.example")
        self.assertIn(case.get_portal_url(), mail.body_html)
