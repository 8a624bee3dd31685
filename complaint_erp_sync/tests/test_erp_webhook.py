import time

from odoo.tests import JsonRpcException, tagged

from .common import ErpHttpCommon


@tagged("post_install", "-at_install")
class TestErpWebhook(ErpHttpCommon):
    def exchanges(self):
        return self.env["complaint.erp.exchange"].search(
            [("backend_id", "=", self.backend.id), ("direction", "=", "inbound")], order="id"
        )

    def test_a_signed_notification_is_stored_once_and_applied_by_a_job(self):
        data = {"id": "C42", "name": "Pushed Customer", "updated_at": "2026-03-01T10:00:00"}
        answers = self.push("partner.upsert", data, "EVT-1", twice=True)
        self.assertEqual([status for status, __ in answers], [202, 200])
        self.assertEqual(answers[1][1]["status"], "duplicate")
        exchange = self.exchanges()
        self.assertEqual(len(exchange), 1)
        self.assertEqual(exchange.state, "queued")
        self.assertEqual(exchange.job_id.channel, self.backend.channel)
        self.assertFalse(self.env["complaint.erp.partner"].search([("external_id", "=", "C42")]))
        self.runner.drain()
        self.assertEqual(exchange.state, "done")
        binding = self.env["complaint.erp.partner"].search([("external_id", "=", "C42")])
        self.assertEqual(binding.partner_id.name, "Pushed Customer")

    def test_bad_signatures_stale_timestamps_and_garbage_are_refused(self):
        data = {"id": "C1", "name": "X"}
        self.assertEqual(self.push("partner.upsert", data, "EVT-2", secret="wrong")[0][0], 401)
        stale = int(time.time()) - 301
        self.assertEqual(self.push("partner.upsert", data, "EVT-3", timestamp=stale)[0][0], 401)
        future = int(time.time()) + 301
        self.assertEqual(self.push("partner.upsert", data, "EVT-4", timestamp=future)[0][0], 401)
        response = self.url_open(self.webhook_url(), data=b"{}", headers={"X-Erp-Timestamp": "x"})
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self.exchanges())

    def test_notifications_out_of_order_end_on_the_newest_version(self):
        events = [
            ("partner.upsert", {"id": "C9", "name": f"Version {n}",
                                "updated_at": f"2026-03-01T10:00:0{n}"}, f"EVT-9-{n}")
            for n in range(1, 5)
        ]  # fmt: skip
        answers = self.sim.push_many(self.webhook_url(), "hook-secret", events, order="reversed",
                                     twice=True)  # fmt: skip
        self.assertEqual(sorted(a[0][0] for a in answers), [202] * 4)
        self.runner.drain()
        self.assertEqual(len(self.exchanges()), 4)
        self.assertEqual(set(self.exchanges().mapped("state")), {"done"})
        binding = self.env["complaint.erp.partner"].search([("external_id", "=", "C9")])
        self.assertEqual(binding.partner_id.name, "Version 4")
        self.assertEqual(binding.external_version, "2026-03-01T10:00:04.000000")

    def test_a_poisoned_notification_never_blocks_the_others(self):
        self.push("spaceship.launch", {"id": "S1"}, "EVT-BAD")
        self.push("invoice.upsert", {"id": "I1", "partner_id": "NOWHERE", "lines": []}, "EVT-BAD2")
        self.push("partner.upsert", {"id": "C5", "name": "Fine"}, "EVT-OK")
        outcomes = self.runner.drain()
        self.assertEqual(outcomes.get("failed"), 2)
        bad, bad2, good = self.exchanges()
        self.assertEqual((bad.state, bad2.state, good.state), ("failed", "failed", "done"))
        self.assertIn("spaceship.launch", bad.error)

    def test_test_connection_answers_quickly_when_the_erp_is_down(self):
        result = self.call_button(self.manager, self.backend, "action_test_connection")
        self.assertEqual(result["params"]["type"], "success")
        self.sim.stop()
        started = time.monotonic()
        with self.assertRaises(JsonRpcException) as caught:
            self.call_button(self.manager, self.backend, "action_test_connection")
        self.assertLess(time.monotonic() - started, 5)
        self.assertIn("UserError", str(caught.exception))

    def test_retry_and_cancel_buttons(self):
        failed = self.env["complaint.erp.exchange"].create(
            {"backend_id": self.backend.id, "message_type": "case_costs", "payload": "{}",
             "state": "failed", "error": "HTTP 422"}
        )  # fmt: skip
        with self.assertRaises(JsonRpcException):
            self.call_button(self.user, failed, "action_retry")
        self.assertEqual(failed.state, "failed")
        self.call_button(self.manager, failed, "action_retry")
        self.assertEqual(failed.state, "queued")
        self.assertTrue(failed.job_id)
        self.call_button(self.manager, failed, "action_cancel")
        self.assertEqual(failed.state, "cancelled")
        self.assertEqual(failed.job_id.state, "cancelled")
        with self.assertRaises(JsonRpcException):
            self.call_button(self.manager, failed, "action_cancel")
