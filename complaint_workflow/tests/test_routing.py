from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import WorkflowCommon

NOW = datetime(2026, 3, 4, 10, 0)
TODAY = NOW.date()


class RoutingCommon(WorkflowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.third_user = new_test_user(
            cls.env,
            login="complaint_third",
            name="Tina Third",
            email="tina.third@example.com",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cls.members = (cls.user | cls.other_user | cls.third_user).sorted("id")
        cls.warehouse_team = cls.env["complaint.team"].create(
            {
                "name": "Warehouse",
                "member_ids": [Command.set(cls.members.ids)],
                "assign_method": "load",
            }
        )
        cls.Rule = cls.env["complaint.routing.rule"]

    def _incoming(self, **values):
        """A case as the gateway or the portal creates it: without a handler,
        so that the routing rules apply."""
        return self._create_case(user_id=False, team_id=False, **values)

    def _route(self, cases):
        """The assignments of ``cases``, which are created with a handler so that
        creation does not route them already."""
        return self.Rule._get_assignments(cases)

    def _handled_case(self, **values):
        return self._create_case(**{"user_id": self.manager.id, "team_id": False, **values})

    def _rule(self, **values):
        return self.Rule.create({"name": "Rule", **values})


@tagged("post_install", "-at_install")
class TestRoutingCriteria(RoutingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.furniture = cls.env["product.category"].create({"name": "Furniture"})
        cls.chairs = cls.env["product.category"].create(
            {"name": "Chairs", "parent_id": cls.furniture.id}
        )
        cls.chair = cls.env["product.product"].create(
            {"name": "Desk Chair", "categ_id": cls.chairs.id}
        )

    def _assert_routes(self, criterion, matching, other):
        """A rule on ``criterion`` routes a case with ``matching`` values and not
        one with ``other`` values."""
        self._rule(user_id=self.other_user.id, **criterion)
        case_in, case_out = self._handled_case(**matching), self._handled_case(**other)
        assignments = self._route(case_in | case_out)
        self.assertEqual(assignments[case_in.id]["user_id"], self.other_user)
        self.assertNotIn(case_out.id, assignments)

    def test_rule_matches_site(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self._assert_routes({"warehouse_id": warehouse.id}, {"warehouse_id": warehouse.id}, {})

    def test_rule_matches_department(self):
        logistics, sales = self.env["res.partner"].create(
            [{"name": "Logistics Department"}, {"name": "Sales Department"}]
        )
        self._assert_routes(
            {"department_id": logistics.id},
            {"department_id": logistics.id},
            {"department_id": sales.id},
        )

    def test_rule_matches_product_category_and_subcategories(self):
        self._assert_routes(
            {"product_category_id": self.furniture.id},
            {"line_ids": [Command.create({"product_id": self.chair.id})]},
            {"line_ids": [Command.create({"product_id": self.product_plain.id})]},
        )

    def test_rule_matches_any_claimed_product(self):
        self._assert_routes(
            {"product_id": self.chair.id},
            {
                "line_ids": [
                    Command.create({"product_id": self.product_plain.id}),
                    Command.create({"product_id": self.chair.id}),
                ]
            },
            {"line_ids": [Command.create({"product_id": self.product_plain.id})]},
        )

    def test_rule_matches_reason(self):
        damaged = self.env.ref("complaint_base.complaint_reason_damaged")
        defect = self.env.ref("complaint_base.complaint_reason_defect")
        self._assert_routes(
            {"reason_id": damaged.id}, {"reason_id": damaged.id}, {"reason_id": defect.id}
        )

    def test_rule_matches_type(self):
        self._assert_routes(
            {"type_id": self.type_warranty.id},
            {"type_id": self.type_warranty.id},
            {"type_id": self.type_complaint.id},
        )

    def test_rule_matches_channel(self):
        self._assert_routes({"channel": "phone"}, {"channel": "phone"}, {"channel": "email"})

    def test_rule_matches_only_its_company(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        self.other_user.company_ids |= other_company
        rule = self._rule(user_id=self.other_user.id, company_id=other_company.id)
        self.assertFalse(self._route(self._handled_case()))
        rule.company_id = self.company
        self.assertTrue(self._route(self._handled_case()))

    def test_team_rule_routes_only_cases_of_the_team_company(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        team = self.env["complaint.team"].create(
            {"name": "Abroad", "company_id": other_company.id, "assign_method": "none"}
        )
        self._rule(team_id=team.id)
        self.assertFalse(self._route(self._handled_case()))

    def test_rule_needs_every_criterion(self):
        self._rule(user_id=self.other_user.id, channel="phone", type_id=self.type_warranty.id)
        phone_complaint = self._handled_case(channel="phone")
        phone_warranty = self._handled_case(channel="phone", type_id=self.type_warranty.id)
        self.assertEqual(list(self._route(phone_complaint | phone_warranty)), [phone_warranty.id])

    def test_first_matching_rule_wins(self):
        general = self._rule(name="Everything", sequence=20, user_id=self.user.id)
        phone = self._rule(name="Phone", sequence=10, channel="phone", user_id=self.other_user.id)
        phone_case, mail_case = self._handled_case(channel="phone"), self._handled_case()
        assignments = self._route(phone_case | mail_case)
        self.assertEqual(assignments[phone_case.id]["rule"], phone)
        self.assertEqual(assignments[phone_case.id]["user_id"], self.other_user)
        self.assertEqual(assignments[mail_case.id]["rule"], general)
        general.sequence = 5
        self.assertEqual(self._route(phone_case)[phone_case.id]["rule"], general)

    def test_archived_rule_does_not_route(self):
        self._rule(user_id=self.other_user.id, active=False)
        self.assertFalse(self._route(self._handled_case()))


@tagged("post_install", "-at_install")
class TestRoutingAssignment(RoutingCommon):
    def test_creation_routes_and_notes_the_rule(self):
        self._rule(name="Everything", team_id=self.team.id, user_id=self.user.id)
        case = self._incoming(channel="email")
        self.assertEqual((case.team_id, case.user_id), (self.team, self.user))
        self.assertTrue(
            case.message_ids.filtered(lambda m: "Routed by rule Everything" in (m.body or ""))
        )

    def test_explicit_handler_is_kept_until_routing_is_rerun(self):
        self._rule(user_id=self.other_user.id)
        case = self._create_case(user_id=self.user.id)
        self.assertEqual(case.user_id, self.user)
        case.action_apply_routing()
        self.assertEqual(case.user_id, self.other_user)

    def test_load_balancing_picks_fewest_open_cases(self):
        self._handled_case(user_id=self.user.id)
        self._handled_case(user_id=self.user.id)
        self._handled_case(user_id=self.other_user.id)
        closed = self._handled_case(user_id=self.third_user.id)
        self._send_decision(closed)
        closed.action_close()
        self._rule(team_id=self.warehouse_team.id, assign_method="load")
        cases = self._handled_case() | self._handled_case() | self._handled_case()
        assignments = self._route(cases)
        picked = [assignments[case.id]["user_id"] for case in cases]
        # Tina 0 (closed cases do not count), then Tina and Otto tie at 1 (lowest id first)
        self.assertEqual(picked, [self.third_user, self.other_user, self.third_user])
        self.assertEqual(assignments[cases[0].id]["team_id"], self.warehouse_team)

    def test_load_grows_with_the_batch(self):
        self._handled_case(user_id=self.user.id)
        self._handled_case(user_id=self.user.id)
        self._rule(team_id=self.warehouse_team.id, assign_method="load")
        cases = self.env["complaint.case"].create(
            [{"subject": f"Batch {i}", "user_id": False, "team_id": False} for i in range(20)]
        )
        counts = [len(cases.filtered(lambda c, u=user: c.user_id == u)) for user in self.members]
        # 2 + 6 = 7 + 1 = 7 + 1: the loads end even
        self.assertEqual(counts, [6, 7, 7])

    def test_rerun_does_not_count_a_case_against_its_own_handler(self):
        self._handled_case(user_id=self.other_user.id)
        self._handled_case(user_id=self.third_user.id)
        case = self._handled_case(user_id=self.user.id)
        self._rule(team_id=self.warehouse_team.id, assign_method="load")
        self.assertEqual(self._route(case)[case.id]["user_id"], self.user)

    def test_loads_count_cases_the_creating_user_cannot_see(self):
        self._handled_case(user_id=self.user.id, team_id=self.team.id)
        self._handled_case(user_id=self.other_user.id, team_id=self.team.id)
        self._rule(team_id=self.warehouse_team.id, assign_method="load")
        case = self._handled_case()
        case.write({"user_id": False})
        assignments = self.Rule.with_user(self.third_user)._get_assignments(
            case.with_user(self.third_user)
        )
        self.assertEqual(assignments[case.id]["user_id"], self.third_user)

    def test_round_robin_takes_turns_across_batches(self):
        self._rule(team_id=self.warehouse_team.id, assign_method="round_robin")
        first = self._incoming() | self._incoming()
        second = self.env["complaint.case"].create(
            [{"subject": f"Batch {i}", "user_id": False, "team_id": False} for i in range(3)]
        )
        self.assertEqual(
            [case.user_id for case in first | second], [*self.members, *self.members[:2]]
        )
        self.assertEqual(self.warehouse_team.last_assigned_user_id, self.members[1])

    def test_rule_can_use_the_team_method(self):
        self.warehouse_team.assign_method = "round_robin"
        rule = self._rule(team_id=self.warehouse_team.id)
        self.assertEqual(rule.assign_method, "team")
        cases = self._handled_case() | self._handled_case()
        assignments = self._route(cases)
        self.assertEqual(
            [assignments[case.id]["user_id"] for case in cases], list(self.members[:2])
        )

    def test_manual_team_gets_the_case_without_handler(self):
        self.warehouse_team.assign_method = "none"
        self._rule(team_id=self.warehouse_team.id)
        case = self._handled_case()
        assignment = self._route(case)[case.id]
        self.assertEqual(assignment["team_id"], self.warehouse_team)
        self.assertFalse(assignment["user_id"])

    @mute_logger("odoo.addons.complaint_workflow.models.complaint_team")
    def test_team_without_members_keeps_the_case_in_the_team(self):
        empty_team = self.env["complaint.team"].create({"name": "Empty"})
        self._rule(team_id=empty_team.id, assign_method="load")
        case = self._incoming()
        self.assertEqual((case.team_id, case.user_id), (empty_team, self.env["res.users"]))

    @freeze_time(NOW)
    def test_absent_members_are_skipped(self):
        (self.other_user | self.third_user).complaint_absent_from = TODAY
        for method in ("load", "round_robin"):
            with self.subTest(method=method):
                rule = self._rule(team_id=self.warehouse_team.id, assign_method=method)
                cases = self._handled_case() | self._handled_case()
                assignments = self._route(cases)
                self.assertEqual({a["user_id"] for a in assignments.values()}, {self.user})
                self.assertFalse(any("absent_user_id" in a for a in assignments.values()))
                rule.unlink()

    @freeze_time(NOW)
    def test_whole_team_absent_goes_to_a_deputy(self):
        self.members.write({"complaint_absent_from": TODAY})
        self.user.complaint_deputy_id = self.manager
        self._rule(team_id=self.warehouse_team.id, assign_method="round_robin")
        case = self._handled_case()
        assignment = self._route(case)[case.id]
        self.assertEqual(assignment["user_id"], self.manager)
        self.assertEqual(assignment["absent_user_id"], self.user)

    @freeze_time(NOW)
    def test_absent_user_of_the_rule_goes_to_the_deputy_with_a_note(self):
        self.other_user.write({"complaint_absent_from": TODAY, "complaint_deputy_id": self.user.id})
        self._rule(user_id=self.other_user.id)
        case = self._incoming()
        self.assertEqual(case.user_id, self.user)
        self.assertTrue(
            case.message_ids.filtered(
                lambda m: "Otto Other is absent" in (m.body or "") and "Ulla User" in m.body
            )
        )

    @mute_logger("odoo.addons.complaint_workflow.models.complaint_routing_rule")
    def test_archived_user_of_the_rule_leaves_the_case_to_the_team(self):
        self._rule(team_id=self.team.id, user_id=self.other_user.id)
        self.other_user.active = False
        case = self._incoming()
        self.assertEqual((case.team_id, case.user_id), (self.team, self.env["res.users"]))

    @freeze_time(NOW)
    @mute_logger("odoo.addons.complaint_workflow.models.complaint_routing_rule")
    def test_deputy_of_another_company_keeps_the_absent_user(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        stranger = new_test_user(
            self.env,
            login="complaint_stranger",
            groups="base.group_user,complaint_base.group_complaint_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.other_user.write({"complaint_absent_from": TODAY, "complaint_deputy_id": stranger.id})
        self._rule(user_id=self.other_user.id)
        case = self._incoming()
        self.assertEqual(case.user_id, self.other_user)

    def test_team_picks_a_member_for_a_stage(self):
        self.warehouse_team.assign_method = "round_robin"
        picked = [self.warehouse_team._complaint_pick_member() for _i in range(4)]
        self.assertEqual(picked, [*self.members, self.members[0]])
        self.warehouse_team.assign_method = "none"
        self.assertFalse(self.warehouse_team._complaint_pick_member())


@tagged("post_install", "-at_install")
class TestRoutingRuleConfiguration(RoutingCommon):
    def test_assignment_follows_the_target(self):
        self.assertEqual(self._rule(user_id=self.user.id).assign_method, "fixed")
        rule = self._rule(team_id=self.team.id)
        self.assertEqual(rule.assign_method, "team")
        rule.user_id = self.user
        self.assertEqual(rule.assign_method, "fixed")

    def test_rule_needs_a_team_or_a_user(self):
        with self.assertRaisesRegex(ValidationError, "needs a team or a user"):
            self._rule()

    def test_user_with_balancing_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "names a user and lets the team pick"):
            self._rule(team_id=self.team.id, user_id=self.user.id, assign_method="load")

    def test_fixed_assignment_without_user_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "choose the user"):
            self._rule(team_id=self.team.id, assign_method="fixed")

    def test_team_of_another_company_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Other Company"})
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self._rule(team_id=self.team.id, company_id=other_company.id)


@tagged("post_install", "-at_install", "is_query_count")
class TestRoutingPerformance(RoutingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        category, machines = cls.env["product.category"].create(
            [{"name": "Spare Parts"}, {"name": "Machines"}]
        )
        cls.Rule.create(
            [
                {
                    "name": "Spare parts",
                    "sequence": 1,
                    "product_category_id": category.id,
                    "user_id": cls.manager.id,
                },
                {"name": "Phone", "sequence": 2, "channel": "phone", "user_id": cls.manager.id},
                {"name": "Load", "sequence": 3, "team_id": cls.warehouse_team.id},
            ]
        )
        products = cls.env["product.product"].create(
            [{"name": f"Machine {i}", "categ_id": machines.id} for i in range(60)]
        )
        # every case claims another product, none of them a spare part
        cls.cases = cls.env["complaint.case"].create(
            [
                {
                    "subject": f"Case {i}",
                    "user_id": cls.manager.id,
                    "line_ids": [Command.create({"product_id": product.id})],
                }
                for i, product in enumerate(products)
            ]
        )

    def _count_queries(self, method, cases):
        self.env.flush_all()
        self.env.invalidate_all()
        count = self.cr.sql_log_count
        method(cases)
        self.env.flush_all()
        return self.cr.sql_log_count - count

    def test_routing_queries_do_not_grow_with_the_batch(self):
        route = self.Rule._get_assignments
        self._count_queries(route, self.cases[:5])  # warm-up
        twenty = self._count_queries(route, self.cases[:20])
        forty = self._count_queries(route, self.cases[:40])
        self.assertEqual(forty, twenty)
        self.env.invalidate_all()
        with self.assertQueryCount(16):
            assignments = route(self.cases[:40])
        self.assertEqual(len(assignments), 40)

    def test_applying_routing_does_not_double_the_queries(self):
        self._count_queries(self.Rule._get_assignments, self.cases[:5])  # warm-up
        twenty = self._count_queries(lambda cases: cases.action_apply_routing(), self.cases[:20])
        forty = self._count_queries(lambda cases: cases.action_apply_routing(), self.cases[20:])
        self.assertEqual(self.cases.mapped("team_id"), self.warehouse_team)
        self.assertLess(forty, 2 * twenty)
