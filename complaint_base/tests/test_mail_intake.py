from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ComplaintMailCommon

SETTINGS_LOGGER = "odoo.addons.complaint_base.models.ir_config_parameter"


@tagged("post_install", "-at_install", "mail_gateway")
class TestMailIntake(ComplaintMailCommon):
    def _cases(self, team=None):
        return self.env["complaint.case"].search([("team_id", "=", (team or self.team).id)])

    def test_new_case_keeps_cc_and_other_to(self):
        self._process(
            self._email(
                to=f"{self.alias_email}, Piotr Kowalski <piotr@kowalski.example.com>",
                headers={"Cc": "Ewa Nowak <ewa@kowalski.example.com>"},
            )
        )
        case = self._cases()
        self.assertRegex(case.name, r"^\w+/\d{4}/\d+$", "the subject must not become the number")
        self.assertEqual(case.partner_email, self.customer_contact.email)
        self.assertIn("ewa@kowalski.example.com", case.email_cc)
        self.assertIn("piotr@kowalski.example.com", case.email_cc)
        self.assertNotIn(self.alias_email, case.email_cc)

    def test_failed_email_is_kept_once_and_marked_processed(self):
        self.env["ir.config_parameter"].set_param("complaint_base.max_email_size_mb", 1)
        big = self._email(attachments=[("video.mp4", b"0" * (1024 * 1024 + 10), "video/mp4")])
        self.assertFalse(self._fetch(big))
        self.assertFalse(self._fetch(big), "fetched again: still no case, no second copy")
        failure = self._failures()
        self.assertEqual(len(failure), 1)
        self.assertEqual(failure.reason, "size")
        self.assertEqual(failure.team_id, self.team)
        self.assertEqual(failure.company_id, self.company)
        self.assertIn("above the 1 MB limit", failure.error)
        self.assertEqual(failure._get_raw_bytes(), big.as_string().encode())
        self.assertFalse(self._cases())

    def test_creation_error_is_kept_and_leaves_nothing_behind(self):
        def broken_create(records, vals_list):
            raise ValueError("database says no")

        stranger = "Anna Nowak <anna.nowak@unknown.example.com>"
        with patch.object(type(self.env["complaint.case"]), "create", broken_create):
            self._fetch(self._email(email_from=stranger))
        failure = self._failures()
        self.assertEqual(failure.reason, "error")
        self.assertIn("ValueError: database says no", failure.error)
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "anna.nowak@unknown.example.com")]),
            "the contact created for the failed e-mail is rolled back",
        )

    def test_flood_from_one_sender_is_capped_and_kept(self):
        self.env["ir.config_parameter"].set_param("complaint_base.max_cases_per_sender_hour", 2)
        for index in range(3):
            self._fetch(self._email(subject=f"Complaint {index}"))
        self.assertEqual(len(self._cases()), 2)
        failure = self._failures()
        self.assertEqual(failure.reason, "flood")
        self.assertEqual(failure.subject, "Complaint 2")
        other = self._fetch(self._email(email_from="info@virtanen.example.com"))
        self.assertTrue(other, "the cap is per sender")

    def test_flood_cap_does_not_apply_to_alias_for_known_partners(self):
        self.env["ir.config_parameter"].set_param("complaint_base.max_cases_per_sender_hour", 1)
        self.team.alias_contact = "partners"
        for index in range(2):
            self._fetch(self._email(subject=f"Complaint {index}"))
        self.assertEqual(len(self._cases()), 2)
        self.assertFalse(self._failures())

    def test_team_for_known_contacts_keeps_unknown_senders(self):
        self.team.alias_partner_policy = "existing"
        stranger = "anna.nowak@unknown.example.com"
        self._fetch(self._email(email_from=f"Anna Nowak <{stranger}>"))
        self.assertFalse(self._cases())
        self.assertFalse(self.env["res.partner"].search([("email", "=", stranger)]))
        failure = self._failures()
        self.assertEqual(failure.reason, "unknown_sender")
        self._fetch(self._email())
        self.assertEqual(self._cases().partner_id, self.customer_contact)

    def test_team_creating_contacts_opens_case_for_unknown_sender(self):
        self.assertEqual(self.team.alias_partner_policy, "create")
        self._fetch(self._email(email_from="Anna Nowak <anna.nowak@unknown.example.com>"))
        self.assertEqual(self._cases().partner_id.email, "anna.nowak@unknown.example.com")
        self.assertFalse(self._failures())

    def test_numeric_settings_refuse_bad_values(self):
        ICP = self.env["ir.config_parameter"]
        for key in ("complaint_base.max_email_size_mb", "complaint_base.max_cases_per_sender_hour"):
            for value in ("abc", "0", "2.5"):
                with self.subTest(key=key, value=value), self.assertRaises(ValidationError):
                    ICP.set_param(key, value)
        ICP.set_param("complaint_base.max_email_size_mb", "30")
        self.assertEqual(ICP._complaint_get_int("complaint_base.max_email_size_mb"), 30)

    def test_bad_setting_in_database_does_not_stop_intake(self):
        self.env["ir.config_parameter"].set_param("complaint_base.max_email_size_mb", 5)
        self.env["ir.config_parameter"].set_param("complaint_base.max_cases_per_sender_hour", 5)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE ir_config_parameter SET value = 'abc' WHERE key LIKE 'complaint_base.max_%'"
        )
        self.env.registry.clear_cache()
        with self.assertLogs(SETTINGS_LOGGER, level="WARNING") as logs:
            self._process(self._email())
        self.assertEqual(len(self._cases()), 1)
        self.assertIn("using the default 25", "\n".join(logs.output))

    def test_number_in_subject_joins_only_cases_of_alias_company(self):
        self._process(self._email())
        case = self._cases()
        company_2 = self.env["res.company"].create({"name": "Kowalski Nordic"})
        team_2 = self.env["complaint.team"].create(
            {
                "name": "Nordic after-sales",
                "company_id": company_2.id,
                "alias_name": "complaints-nordic",
                "alias_domain_id": self.mail_alias_domain.id,
            }
        )
        self._process(
            self._email(
                subject=f"RE: {case.name}",
                body="Sent to the other company",
                to=f"complaints-nordic@{self.alias_domain}",
            )
        )
        self.assertFalse(case.message_ids.filtered(lambda m: "other company" in (m.body or "")))
        new_case = self._cases(team_2)
        self.assertEqual(new_case.company_id, company_2)
        self._process(self._email(subject=f"RE: {case.name}", body="Sent to the same company"))
        self.assertTrue(case.message_ids.filtered(lambda m: "same company" in (m.body or "")))
