import json

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ErpSyncCommon


@tagged("post_install", "-at_install")
class TestErpOutbound(ErpSyncCommon):
    def test_a_decision_is_sent_once_with_its_idempotency_key(self):
        case = self.bound_case()
        self.decide(case)
        message = self.outbox(case)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.message_type, "case_status")
        self.assertEqual(message.state, "queued")
        self.assertEqual(message.job_id.channel, self.backend.channel)
        payload = json.loads(message.payload)
        self.assertEqual(payload["case"]["number"], case.name)
        self.assertEqual(payload["case"]["customer_id"], "C0")
        self.assertEqual(payload["case"]["state"], "decided")
        self.runner.drain()
        self.assertEqual(message.state, "done")
        self.assertEqual(message.response_status, 201)
        self.assertEqual(message.erp_reference, "MSG-000001")
        self.assertEqual(self.applied_keys(), [message.idempotency_key])
        posts = [r for r in self.sim.requests if r[0] == "POST"]
        self.assertEqual(posts[0][3], message.idempotency_key)
        self.assertEqual(case.erp_exchange_state, "done")

    def test_enqueued_on_the_backend_channel(self):
        """queue_job's own test helper sees the job and its properties."""
        case = self.bound_case()
        with trap_jobs() as trap:
            self.add_cost(case, 35.0)
            trap.assert_jobs_count(1)
            self.assertEqual(trap.enqueued_jobs[0].channel, self.backend.channel)
            self.assertEqual(trap.enqueued_jobs[0].method_name, "_erp_send")
            trap.perform_enqueued_jobs()
        self.assertEqual(self.outbox(case).state, "done")
        self.assertEqual(self.sim.applied[0]["cost_total"], 35.0)

    def test_cases_of_customers_unknown_to_the_erp_send_nothing(self):
        partner = self.env["res.partner"].create({"name": "Local Only"})
        case = self.env["complaint.case"].create(
            {"subject": "x", "partner_id": partner.id, "type_id": self.type_complaint.id}
        )
        self.decide(case)
        self.assertFalse(self.outbox(case))

    def test_messages_of_a_case_go_in_order_after_the_erp_comes_back(self):
        case = self.bound_case()
        self.add_cost(case, 10.0)
        self.add_cost(case, 20.0)
        self.decide(case)
        messages = self.outbox(case)
        self.assertEqual(messages.mapped("state"), ["queued", "pending", "pending"])
        self.sim.fail("500", times=2)
        self.sim.fail("timeout")
        self.sim.fail("drop")
        outcomes = self.runner.drain()
        self.assertEqual(outcomes.get("retry"), 4)
        self.assertEqual(messages.mapped("state"), ["done"] * 3)
        self.assertEqual(self.applied_keys(), messages.mapped("idempotency_key"))
        self.assertEqual([m.get("cost_total") for m in self.sim.applied], [10.0, 30.0, None])
        # the ERP answered late once (it had applied): sent again, applied once
        self.assertEqual(len({r[3] for r in self.sim.requests if r[0] == "POST"}), 3)

    def test_a_refused_message_fails_with_the_erp_answer_and_never_blocks_other_cases(self):
        poisoned = self.bound_case(subject="Poisoned")
        other = self.bound_case(partner_ext="C1", subject="Other")
        self.sim.reject_numbers.add(poisoned.name)
        self.decide(poisoned)
        self.add_cost(poisoned, 5.0)
        self.decide(other)
        outcomes = self.runner.drain()
        first, second = self.outbox(poisoned)
        self.assertEqual(first.state, "failed")
        self.assertEqual(first.response_status, 422)
        self.assertIn("refused by the ERP", first.response_body)
        self.assertEqual(first.attempt_count, 1, "a 4xx is not retried")
        self.assertEqual(second.state, "pending", "the case's next message waits")
        self.assertEqual(self.outbox(other).state, "done")
        self.assertEqual(poisoned.erp_exchange_state, "failed")
        self.assertFalse(outcomes.get("retry"))
        # the manager cancels it: the case's next message goes
        self.sim.reject_numbers.clear()
        first.action_cancel()
        self.runner.drain()
        self.assertEqual(second.state, "done")

    def test_retries_exhausted_fail_the_message_until_retried_by_hand(self):
        case = self.bound_case()
        self.decide(case)
        message = self.outbox(case)
        self.sim.stop()
        outcomes = self.runner.drain()
        self.assertEqual(outcomes.get("retry"), 9)
        self.assertEqual(outcomes.get("failed"), 1)
        self.assertEqual(message.state, "failed")
        self.assertIn("connection failed", message.error)
        self.sim.start()
        message.action_retry()
        self.runner.drain()
        self.assertEqual(message.state, "done")
        self.assertEqual(len(self.sim.applied), 1)

    def test_a_restart_mid_drain_applies_nothing_twice(self):
        cases = [self.bound_case(partner_ext=f"C{n}", subject=f"Case {n}") for n in range(3)]
        for case in cases:
            self.add_cost(case, 12.0)
            self.decide(case)
        jobs = self.runner.jobs()
        self.assertEqual(len(jobs), 3, "one job per case: the head of its queue")
        # the server dies while sending the first case's first message: the ERP
        # got it, Odoo's transaction is lost; the runner requeues the job
        self.runner.crash(jobs[0])
        self.assertEqual(len(self.sim.applied), 1)
        self.assertEqual(jobs[0].state, "started")
        self.assertEqual(self.runner.requeue_dead(), [jobs[0].uuid])
        self.runner.drain()
        outbox = self.outbox()
        self.assertEqual(set(outbox.mapped("state")), {"done"})
        self.assertEqual(len(self.sim.applied), 6, "each message applied once")
        self.assertEqual(sorted(self.applied_keys()), sorted(outbox.mapped("idempotency_key")))
        for case in cases:
            keys = self.outbox(case).mapped("idempotency_key")
            self.assertEqual([k for k in self.applied_keys() if k in keys], keys)

    def test_the_erp_dying_mid_drain_loses_nothing(self):
        cases = [self.bound_case(partner_ext=f"C{n}", subject=f"Case {n}") for n in range(4)]
        for case in cases:
            self.add_cost(case, 7.0)
            self.decide(case)
        self.sim.fail("lost")  # applied, answer lost
        self.sim.die_after(4)
        self.runner.drain(rounds=3)
        self.assertFalse(self.sim.running)
        self.assertIn("queued", self.outbox().mapped("state"))
        self.sim.start()
        self.runner.drain()
        outbox = self.outbox()
        self.assertEqual(set(outbox.mapped("state")), {"done"})
        self.assertEqual(len(self.sim.applied), 8)
        self.assertEqual(len(set(self.applied_keys())), 8)
        for case in cases:
            keys = self.outbox(case).mapped("idempotency_key")
            self.assertEqual([k for k in self.applied_keys() if k in keys], keys)

    def test_safety_net_dispatches_messages_whose_job_is_gone(self):
        case = self.bound_case()
        self.decide(case)
        message = self.outbox(case)
        message.job_id.sudo().unlink()  # e.g. removed by hand
        self.env["complaint.erp.exchange"].sudo()._cron_dispatch()
        self.assertEqual(message.state, "queued")
        self.assertTrue(message.job_id)
        self.runner.drain()
        self.assertEqual(message.state, "done")

    def test_generic_hook_sends_messages_of_other_add_ons(self):
        case = self.bound_case()
        exchanges = case._erp_sync_enqueue("case_costs", {"type": "credit_note", "amount": 99.0})
        self.runner.drain()
        self.assertEqual(exchanges.state, "done")
        self.assertEqual(self.sim.applied[0]["type"], "credit_note")
