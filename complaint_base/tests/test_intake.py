from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestIntake(ComplaintCommon):
    """``complaint.intake``: whose claim it is, whatever the channel."""

    def _contact(self, email, name="Somebody"):
        return {"name": name, "email": email, "phone": False, "company": "", "lang": "en_US"}

    def test_unknown_address_gets_a_new_contact(self):
        Intake = self.env["complaint.intake"]
        partner, unconfirmed = Intake._get_claimant(
            self._contact("new.person@example.com"), self.company
        )
        self.assertEqual(partner.email, "new.person@example.com")
        self.assertFalse(unconfirmed)

    def test_known_address_is_never_taken_on_the_claimants_word(self):
        Intake = self.env["complaint.intake"]
        partner, unconfirmed = Intake._get_claimant(
            self._contact("JAN@kowalski.example.com", name="Impostor"), self.company
        )
        self.assertTrue(unconfirmed)
        self.assertNotEqual(partner, self.customer_contact)
        self.assertNotEqual(partner.commercial_partner_id, self.customer)
        self.assertEqual(self.customer_contact.name, "Jan Kowalski", "never changed")
        # the logged-in owner of the address needs no confirmation
        partner, unconfirmed = Intake._get_claimant(
            self._contact("jan@kowalski.example.com"),
            self.company,
            confirmed_partner=self.customer_contact,
        )
        self.assertEqual(partner, self.customer_contact)
        self.assertFalse(unconfirmed)

    def test_confirmation_links_the_case_to_the_contact(self):
        Intake = self.env["complaint.intake"]
        stand_in, _unconfirmed = Intake._get_claimant(
            self._contact("jan@kowalski.example.com"), self.company
        )
        case = self._create_case(partner_id=stand_in.id, email_unconfirmed=True)
        self.assertEqual(case.partner_email, "jan@kowalski.example.com")
        Intake._link_confirmed_claimant(case)
        self.assertFalse(case.email_unconfirmed)
        self.assertEqual(case.partner_id, self.customer_contact)
        self.assertEqual(case.commercial_partner_id, self.customer)
        self.assertFalse(stand_in.active, "the stand-in contact is archived")
        self.assertTrue(case.message_ids.filtered(lambda m: "confirmed the claim" in m.body))
