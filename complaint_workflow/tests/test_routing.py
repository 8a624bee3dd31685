from datetime import datetime

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import WorkflowCommon


@tagged("post_install", "-at_install")
class TestRouting(WorkflowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.third_user = new_test_user(
            cls.env,
            login="complaint_third",
            name="Tina Third",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cls.warehouse_team = cls.env["complaint.team"].create(
            {
                "name": "Warehouse",
                "member_ids": [Command.set((cls.user | cls.other_user | cls.third_user).ids)],
                "assign_method": "load",
            }
        )
        cls.Rule = cls.env["complaint.routing.rule"]

    def _incoming(self, **values):
        """A case as the gateway or the portal creates it: without a handler."""
        return self._create_case(user_id=False, team_id=False, **values)

    def test_first_matching_rule_routes_on_creation(self):
        self.Rule.create(
            {
                "name": "Phone",
                "sequence": 1,
                "channel": "phone",
                "user_id": self.other_user.id,
                "assign_method": "fixed",
            }
        )
        self.Rule.create(
            {
                "name": "Everything",
                "sequence": 2,
                "team_id": self.team.id,
                "user_id": self.user.id,
                "assign_method": "fixed",
            }
        )
        phone_case = self._incoming(channel="phone")
        self.assertEqual(phone_case.user_id, self.other_user)
        mail_case = self._incoming(channel="email")
        self.assertEqual((mail_case.team_id, mail_case.user_id), (self.team, self.user))
        self.assertTrue(
            mail_case.message_ids.filtered(lambda m: "Routed by rule Everything" in (m.body or ""))
        )

    def test_explicit_handler_is_not_overridden(self):
        self.Rule.create({"name": "All", "user_id": self.other_user.id, "assign_method": "fixed"})
        case = self._create_case(user_id=self.user.id)
        self.assertEqual(case.user_id, self.user)
        case.action_apply_routing()
        self.assertEqual(case.user_id, self.other_user, "re-running on demand applies the rules")

    def test_criteria(self):
        chairs = self.env["product.category"].create({"name": "Chairs"})
        office = self.env["product.category"].create({"name": "Office", "parent_id": chairs.id})
        chair = self.env["product.product"].create({"name": "Desk chair", "categ_id": office.id})
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        department = self.env["res.partner"].create({"name": "Logistics department"})
        reason = self.env.ref("complaint_base.complaint_reason_damaged")
        cases = {
            "category": (
                {"product_category_id": chairs.id},
                {"line_ids": [Command.create({"product_id": chair.id})]},
            ),
            "product": (
                {"product_id": self.product_plain.id},
                {"line_ids": [Command.create({"product_id": self.product_plain.id})]},
            ),
            "site": ({"warehouse_id": warehouse.id}, {"warehouse_id": warehouse.id}),
            "department": ({"department_id": department.id}, {"department_id": department.id}),
            "reason": ({"reason_id": reason.id}, {"reason_id": reason.id}),
            "type": ({"type_id": self.type_warranty.id}, {"type_id": self.type_warranty.id}),
        }
        for label, (criterion, case_values) in cases.items():
            rule = self.Rule.create(
                {
                    "name": label,
                    "user_id": self.other_user.id,
                    "assign_method": "fixed",
                    **criterion,
                }
            )
            self.assertEqual(self._incoming(**case_values).user_id, self.other_user, label)
            self.assertFalse(self._incoming().user_id, f"{label} must not match a plain case")
            rule.unlink()

    def test_load_balancing_picks_fewest_open_cases(self):
        self._create_case(user_id=self.user.id)
        self._create_case(user_id=self.user.id)
        self._create_case(user_id=self.other_user.id)
        self.Rule.create(
            {"name": "Load", "team_id": self.warehouse_team.id, "assign_method": "load"}
        )
        cases = self._incoming() | self._incoming() | self._incoming()
        # Tina has none, then Tina and Otto tie at one each (lowest id first), ...
        users = cases.mapped("user_id")
        self.assertEqual(cases[0].user_id, self.third_user)
        self.assertNotIn(self.user, users)

    def test_round_robin_turns(self):
        self.Rule.create(
            {"name": "RR", "team_id": self.warehouse_team.id, "assign_method": "round_robin"}
        )
        members = self.warehouse_team.member_ids.sorted("id")
        handlers = [self._incoming().user_id for _i in range(4)]
        self.assertEqual(handlers, [*members, members[0]])

    def test_absent_members_are_skipped(self):
        self.third_user.complaint_absent_from = "2000-01-01"
        self.other_user.complaint_absent_from = "2000-01-01"
        self.Rule.create(
            {"name": "RR", "team_id": self.warehouse_team.id, "assign_method": "round_robin"}
        )
        self.assertEqual({self._incoming().user_id for _i in range(3)}, {self.user})

    def test_absent_fixed_user_goes_to_deputy_with_note(self):
        self.other_user.write(
            {"complaint_absent_from": "2000-01-01", "complaint_deputy_id": self.user.id}
        )
        self.Rule.create({"name": "Fixed", "user_id": self.other_user.id, "assign_method": "fixed"})
        case = self._incoming()
        self.assertEqual(case.user_id, self.user)
        self.assertTrue(case.message_ids.filtered(lambda m: "is absent" in (m.body or "")))

    def test_misconfigured_rules_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "needs a team or a user"):
            self.Rule.create({"name": "Nowhere"})
        with self.assertRaisesRegex(ValidationError, "choose the team"):
            self.Rule.create({"name": "Load", "user_id": self.user.id, "assign_method": "load"})

    def test_batch_routing_counts_loads_once(self):
        self.Rule.create(
            {"name": "Load", "team_id": self.warehouse_team.id, "assign_method": "load"}
        )
        vals = [{"subject": f"Batch {i}", "user_id": False, "team_id": False} for i in range(20)]
        cases = self.env["complaint.case"].create(vals)
        counts = {
            user: len(cases.filtered(lambda c, u=user: c.user_id == u))
            for user in self.warehouse_team.member_ids
        }
        self.assertEqual(sorted(counts.values()), [6, 7, 7])


@tagged("post_install", "-at_install")
class TestDeputies(WorkflowCommon):
    def test_time_off_in_calendar_makes_user_absent(self):
        resource = self.env["resource.resource"].create(
            {
                "name": self.user.name,
                "user_id": self.user.id,
                "calendar_id": self.env.ref("resource.resource_calendar_std").id,
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "resource_id": resource.id,
                "calendar_id": resource.calendar_id.id,
                "date_from": "2026-07-01 00:00:00",
                "date_to": "2026-07-15 23:59:59",
            }
        )
        self.user.complaint_deputy_id = self.other_user
        self.assertTrue(self.user._complaint_is_absent(datetime(2026, 7, 5, 10)))
        self.assertEqual(
            self.user._complaint_available_user(datetime(2026, 7, 5, 10)), self.other_user
        )
        self.assertEqual(self.user._complaint_available_user(datetime(2026, 8, 5, 10)), self.user)

    def test_deputy_chain_and_everyone_absent(self):
        self.user.write(
            {"complaint_deputy_id": self.other_user.id, "complaint_absent_from": "2000-01-01"}
        )
        self.other_user.write(
            {"complaint_deputy_id": self.manager.id, "complaint_absent_from": "2000-01-01"}
        )
        self.assertEqual(self.user._complaint_available_user(), self.manager)
        self.manager.complaint_absent_from = "2000-01-01"
        self.assertEqual(
            self.user._complaint_available_user(), self.user, "nobody present: keep the user"
        )

    def test_deputy_cycle_is_refused(self):
        self.user.complaint_deputy_id = self.other_user
        with self.assertRaisesRegex(ValidationError, "in a circle"):
            self.other_user.complaint_deputy_id = self.user

    def test_absence_period_must_be_ordered(self):
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.user.write(
                {"complaint_absent_from": "2026-05-10", "complaint_absent_to": "2026-05-01"}
            )
