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
