import json
from urllib.parse import urlencode

from odoo.exceptions import ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import ComplaintCommon

LOOKUP_URL = "/complaint/api/phone/lookup"


@tagged("post_install", "-at_install")
class TestCallerLookup(ComplaintCommon):
    def test_lookup_in_any_notation(self):
        partners = self.env["res.partner"]
        for notation in ("+48 601 234 567", "0048601234567", "601-234-567", "(601) 234 567"):
            self.assertEqual(
                partners._complaint_find_by_phone(notation), self.customer_contact, notation
            )
        self.assertEqual(partners._complaint_find_by_phone("+48 22 123 45 67"), self.customer)

    def test_lookup_ignores_other_numbers(self):
        self.assertFalse(self.env["res.partner"]._complaint_find_by_phone("+48 601 234 568"))
        # same last digits in another country
        self.assertFalse(self.env["res.partner"]._complaint_find_by_phone("+358 601 234 567"))

    def test_lookup_refuses_invalid_number(self):
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.env["res.partner"]._complaint_find_by_phone("12")

    def test_payload_lists_open_cases_of_the_company(self):
        open_case = self._create_case()
        closed_case = self._create_case()
        closed_case.action_cancel()
        payload = self.env["complaint.case"]._phone_lookup_payload("601 234 567")
        self.assertEqual(payload["number"], "+48601234567")
        self.assertEqual([p["id"] for p in payload["partners"]], self.customer_contact.ids)
        self.assertEqual([c["number"] for c in payload["open_cases"]], [open_case.name])

    def test_call_wizard_starts_phone_case(self):
        existing = self._create_case(user_id=self.user.id)
        with Form(self.env["complaint.case.call"].with_user(self.user)) as form:
            form.phone = "0048 601 234 567"
            self.assertEqual(form.partner_id, self.customer_contact)
            self.assertIn(existing.id, form.open_case_ids.ids)
            form.subject = "Grinder noise"
            wizard = form.save()
        action = wizard.action_create_case()
        case = self.env["complaint.case"].browse(action["res_id"])
        self.assertEqual(case.channel, "phone")
        self.assertEqual(case.partner_id, self.customer_contact)
        self.assertEqual(case.partner_phone, "+48601234567")
        self.assertEqual(case.subject, "Grinder noise")

    def test_call_wizard_for_unknown_number(self):
        wizard = self.env["complaint.case.call"].create({"phone": "+48 500 600 700"})
        self.assertFalse(wizard.partner_ids)
        case = self.env["complaint.case"].browse(wizard.action_create_case()["res_id"])
        self.assertFalse(case.partner_id)
        self.assertEqual(case.partner_phone, "+48500600700")
        self.assertIn("+48 500 600 700", case.subject)


@tagged("post_install", "-at_install")
class TestPhoneEndpoint(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.pl")
        cls.partner = cls.env["res.partner"].create(
            {"name": "Nowak", "phone": "+48 601 234 567", "email": "nowak@example.com"}
        )
        cls.case = cls.env["complaint.case"].create(
            {"subject": "Kettle", "partner_id": cls.partner.id}
        )
        cls.integration = cls.env["complaint.integration"].create(
            {"name": "PBX", "kind": "phone", "user_id": cls.env.ref("base.user_admin").id}
        )
        cls.form_integration = cls.env["complaint.integration"].create(
            {"name": "Website", "kind": "web_form", "user_id": cls.env.ref("base.user_admin").id}
        )
        cls.key = cls.integration._generate_key()
        cls.form_key = cls.form_integration._generate_key()

    def _lookup(self, number="0048601234567", key=None):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        params = {"number": number} if number is not None else {}
        return self.url_open(f"{LOOKUP_URL}?{urlencode(params)}", headers=headers)

    def test_lookup_requires_a_key(self):
        self.assertEqual(self._lookup().status_code, 401)
        self.assertEqual(self._lookup(key="x" * 40).status_code, 401)
        self.assertEqual(self._lookup(key=self.form_key).status_code, 401)

    def test_lookup_returns_partner_and_open_cases(self):
        response = self._lookup(key=self.key)
        self.assertEqual(response.status_code, 200)
        data = json.loads(response.content)
        self.assertEqual(data["number"], "+48601234567")
        self.assertEqual([p["id"] for p in data["partners"]], self.partner.ids)
        self.assertEqual([c["number"] for c in data["open_cases"]], [self.case.name])

    def test_lookup_rejects_bad_input(self):
        self.assertEqual(self._lookup(number=None, key=self.key).status_code, 400)
        response = self._lookup(number="12", key=self.key)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(json.loads(response.content)["error"], "invalid_number")

    def test_archived_key_stops_working(self):
        self.integration.active = False
        self.assertEqual(self._lookup(key=self.key).status_code, 401)
