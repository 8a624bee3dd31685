from odoo.tests import tagged

from odoo.addons.complaint_base.tests.common import ComplaintMailCommon


@tagged("post_install", "-at_install")
class TestPortalAcknowledgement(ComplaintMailCommon):
    def test_acknowledgement_of_emailed_case_links_to_the_portal(self):
        with self.mock_mail_gateway():
            self._fetch(self._email())
            case = self.env["complaint.case"].search([("team_id", "=", self.team.id)])
            self.assertTrue(case.ack_pending)
            self._run_ack_cron()
        ack = self.env["mail.mail"].search(
            [
                ("model", "=", "complaint.case"),
                ("res_id", "=", case.id),
                ("recipient_ids", "in", self.customer_contact.ids),
            ]
        )
        self.assertEqual(len(ack), 1)
        self.assertIn(case.name, ack.body_html)
        self.assertIn(f"access_token={case.access_token}", ack.body_html)
        self.assertIn(f"pid={self.customer_contact.id}", ack.body_html)
        self.assertNotIn("access_token=", ack.mail_message_id.body, "in the e-mail only")
        self.assertFalse(case.ack_pending)
