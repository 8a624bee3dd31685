"""The demo database tells a true story: what a new user finds there holds
together and shows every feature of the suite on some case. tools/test.sh runs
this file on the database installed with demo data only."""

from collections import defaultdict
from datetime import timedelta
from itertools import pairwise

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install", "complaint_demo")
class TestDemoStory(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cases = cls.env["complaint.case"].with_context(active_test=False).search([])

    def assertSomeCase(self, predicate, what):
        self.assertTrue(self.cases.filtered(predicate), f"no demo case {what}")

    def test_demo_cases_are_installed(self):
        self.assertTrue(
            self.env.ref("complaint_base.complaint_case_01_demo", raise_if_not_found=False),
            "run this test on a database installed with demo data",
        )

    def test_decided_cases_carry_decision_and_date(self):
        decided = self.cases.filtered(lambda case: case.state in ("decided", "closed"))
        self.assertTrue(decided)
        for case in decided:
            self.assertTrue(case.decision, f"{case.name} has no decision")
            self.assertTrue(case.date_decision, f"{case.name} has no decision date")
            self.assertGreaterEqual(case.date_decision, case.date_received, case.name)

    def test_serial_belongs_to_one_customer(self):
        customers = defaultdict(set)
        for line in self.cases.line_ids.filtered("lot_id"):
            case = line.case_id
            if case.type_id.code == "supplier":
                continue  # a supplier claim passes a customer's serial on to the vendor
            customers[line.lot_id].add(case.partner_id.commercial_partner_id)
            self.assertEqual(line.lot_id.product_id, line.product_id, case.name)
            invoice_line = line.invoice_line_id
            if invoice_line:
                self.assertEqual(invoice_line.product_id, line.lot_id.product_id, case.name)
                self.assertEqual(
                    invoice_line.move_id.partner_id.commercial_partner_id,
                    case.partner_id.commercial_partner_id,
                    case.name,
                )
        self.assertTrue(customers)
        for lot, partners in customers.items():
            self.assertEqual(len(partners), 1, f"serial {lot.name} is claimed by {partners}")

    def test_a_serial_is_claimed_twice_by_its_customer(self):
        claims = defaultdict(lambda: self.env["complaint.case"])
        for line in self.cases.line_ids.filtered("lot_id"):
            claims[line.lot_id] |= line.case_id
        repeated = [lot for lot, cases in claims.items() if len(cases) > 1]
        self.assertTrue(repeated, "no serial number was claimed twice")

    def test_stage_histories_exist(self):
        """The story's cases (complaint_base's demo, moved on by the workflow's
        demo) carry a stage history from the past; cases that other add-ons'
        demos walk through real flows at install have one of today."""
        now = fields.Datetime.now()
        Stage = self.env["complaint.stage"]
        story = self.env["ir.model.data"].search(
            [("module", "=", "complaint_base"), ("model", "=", "complaint.case")]
        )
        later = self.cases.browse(story.mapped("res_id")).filtered(
            lambda case: (
                case.stage_id and case.stage_id != Stage._get_first_for(case.type_id, "new")
            )
        )
        self.assertTrue(later)
        for case in later:
            logs = case.stage_log_ids.sorted(lambda log: (log.date_start, log.id))
            self.assertGreaterEqual(len(logs), 2, f"{case.name} has no stage history")
            self.assertEqual(logs[-1].stage_id, case.stage_id, case.name)
            self.assertFalse(logs[-1].date_end, case.name)
            self.assertEqual(case.date_stage_start, logs[-1].date_start, case.name)
            self.assertLess(logs[0].date_start, now - timedelta(hours=1), case.name)
            for log, following in pairwise(logs):
                self.assertTrue(log.date_end, case.name)
                self.assertLessEqual(log.date_start, log.date_end, case.name)
                self.assertLessEqual(log.date_end, following.date_start, case.name)

    def test_every_channel_is_routed_to_a_team(self):
        rules = self.env["complaint.routing.rule"].search([("team_id", "!=", False)])
        for channel in ("email", "portal", "web_form", "api"):
            self.assertIn(channel, rules.mapped("channel"), f"no routing rule for {channel}")

    def test_tasks_and_time_spent(self):
        self.assertSomeCase(lambda case: case.task_open_count, "with an open task")
        self.assertSomeCase(
            lambda case: case.task_ids.filtered(lambda task: task.done and task.date_done),
            "with a done task",
        )
        self.assertSomeCase(lambda case: case.effective_hours > 0, "with time spent")

    def test_approvals(self):
        pending = self.cases.filtered(lambda case: case.approval_state == "pending")
        self.assertTrue(pending, "no demo case waits for an approval")
        for case in pending:
            rules = self.env["complaint.approval.rule"]._get_matching_rules(case)
            self.assertTrue(rules, f"{case.name} waits for an approval no rule asks for")
            self.assertNotIn(case.state, ("decided", "closed"), case.name)
        rejected = self.cases.filtered(lambda case: case.approval_state == "rejected")
        self.assertTrue(rejected, "no demo case has a rejected approval")
        for approval in rejected.approval_ids.filtered(lambda a: a.state == "rejected"):
            self.assertTrue(approval.approver_id and approval.date and approval.comment)

    def test_sla_and_statutory_deadline(self):
        self.assertSomeCase(lambda case: case.sla_status == "running", "with a running SLA")
        self.assertSomeCase(lambda case: case.sla_status == "breached", "with a breached SLA")
        deemed = self.cases.filtered("deemed_accepted")
        self.assertTrue(deemed, "no statutory claim is deemed accepted")
        now = fields.Datetime.now()
        for case in deemed:
            self.assertEqual(case.type_id.code, "statutory_warranty", case.name)
            self.assertFalse(case.date_decision, case.name)
            self.assertLess(case.date_received, now - timedelta(days=14), case.name)

    def test_waiting_for_the_customer(self):
        self.assertSomeCase(
            lambda case: case.state == "waiting" and case.completion_request,
            "waiting for the customer with a completion request",
        )

    def test_costs_tags_and_vip(self):
        self.assertGreaterEqual(len(set(self.cases.cost_line_ids.mapped("cost_type"))), 3)
        self.assertSomeCase(lambda case: case.tag_ids, "with tags")
        self.assertSomeCase(lambda case: case.is_vip, "of a VIP customer")

    def test_chatter(self):
        def has_email_exchange(case):
            messages = case.message_ids
            from_customer = messages.filtered(
                lambda m: (
                    m.message_type == "email"
                    and m.author_id.commercial_partner_id == case.partner_id.commercial_partner_id
                )
            )
            replies = messages.filtered(
                lambda m: (
                    m.message_type == "comment"
                    and not m.subtype_id.internal
                    and m.author_id.user_ids.filtered(lambda user: not user.share)
                )
            )
            return from_customer and replies

        self.assertSomeCase(has_email_exchange, "with an e-mail exchange")
        self.assertSomeCase(
            lambda case: case.message_ids.filtered(
                lambda m: m.message_type == "comment" and m.subtype_id.internal
            ),
            "with an internal note",
        )
