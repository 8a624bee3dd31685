from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintSecurity(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_case = cls._create_case(user_id=cls.other_user.id, team_id=False, subject="Own")
        cls.team_case = cls._create_case(
            user_id=cls.manager.id, team_id=cls.team.id, subject="Team"
        )
        cls.unassigned_case = cls._create_case(user_id=False, team_id=False, subject="Triage")
        cls.foreign_case = cls._create_case(
            user_id=cls.manager.id,
            team_id=False,
            subject="Foreign",
            partner_id=cls.other_customer.id,
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="complaint_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create(
                {
                    "name": "Piotr",
                    "parent_id": cls.customer.id,
                    "email": "piotr@kowalski.example.com",
                }
            )
            .id,
        )

    def _visible(self, user):
        return self.env["complaint.case"].with_user(user).search([])

    def test_user_sees_own_team_and_unassigned_cases(self):
        visible = self._visible(self.user)
        self.assertIn(self.team_case, visible)
        self.assertIn(self.unassigned_case, visible)
        self.assertNotIn(self.own_case, visible)
        self.assertNotIn(self.foreign_case, visible)
        self.assertIn(self.own_case, self._visible(self.other_user))
        with self.assertRaises(AccessError):
            self.foreign_case.with_user(self.user).read(["subject"])

    def test_user_cannot_reach_lines_of_hidden_cases(self):
        self.foreign_case.line_ids = [Command.create({"product_id": self.product_plain.id})]
        lines = self.env["complaint.case.line"].with_user(self.user).search([])
        self.assertNotIn(self.foreign_case.line_ids, lines)

    def test_manager_sees_everything(self):
        visible = self._visible(self.manager)
        for case in (self.own_case, self.team_case, self.unassigned_case, self.foreign_case):
            self.assertIn(case, visible)

    def test_portal_reads_only_own_commercial_partner_cases(self):
        visible = self._visible(self.portal_user)
        self.assertEqual(visible, (self.own_case | self.team_case | self.unassigned_case))
        with self.assertRaises(AccessError):
            self.foreign_case.with_user(self.portal_user).read(["subject"])
        with self.assertRaises(AccessError):
            self.team_case.with_user(self.portal_user).write({"subject": "Hacked"})

    def test_other_company_cases_are_hidden(self):
        company_b = self.env["res.company"].create({"name": "Complaints Oy"})
        case_b = self.env["complaint.case"].create(
            {"subject": "Elsewhere", "company_id": company_b.id, "user_id": False, "team_id": False}
        )
        self.assertNotIn(case_b, self._visible(self.manager))
        self.manager.company_ids = [Command.link(company_b.id)]
        visible = (
            self.env["complaint.case"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.env.company.id, company_b.id])
            .search([])
        )
        self.assertIn(case_b, visible)

    def test_users_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.env["complaint.type"].with_user(self.user).create(
                {"name": "Sneaky", "code": "sneaky", "sequence_prefix": "SN"}
            )
        with self.assertRaises(AccessError):
            self.env["complaint.integration"].with_user(self.user).search([])

    def test_integration_key_hidden_from_non_managers(self):
        integration = self.env["complaint.integration"].create({"name": "PBX"})
        self.assertGreaterEqual(len(integration._generate_key()), 32)
        fields = self.env["complaint.integration"].with_user(self.user).fields_get()
        self.assertFalse({"key_hash", "key_index"} & set(fields))
