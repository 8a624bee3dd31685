import threading
import time

from odoo import SUPERUSER_ID, api
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestErpConcurrency(TransactionCase):
    """Real transactions: a message of a case completing while a user adds the
    case's next message must not leave the new one waiting forever."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"mail_create_nolog": True})
            backend = env["complaint.erp.backend"].create(
                {"name": "Concurrency ERP", "base_url": "http://127.0.0.1:9", "token": "x"}
            )
            partner = env["res.partner"].create({"name": "Concurrent Customer"})
            env["complaint.erp.partner"].create(
                {"backend_id": backend.id, "external_id": "CC1", "partner_id": partner.id}
            )
            case = env["complaint.case"].create(
                {
                    "subject": "Concurrent",
                    "partner_id": partner.id,
                    "type_id": env.ref("complaint_base.complaint_type_complaint").id,
                }
            )
            head = case._erp_sync_enqueue("case_status")
            self.ids = {
                "backend": backend.id,
                "partner": partner.id,
                "case": case.id,
                "head": head.id,
            }
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            exchanges = env["complaint.erp.exchange"].search(
                [("backend_id", "=", self.ids["backend"])]
            )
            jobs = exchanges.job_id
            exchanges.unlink()
            jobs.unlink()
            env["complaint.case"].browse(self.ids["case"]).unlink()
            backend = env["complaint.erp.backend"].browse(self.ids["backend"])
            channel = backend.channel_id
            backend.unlink()
            channel.unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()

    def test_next_message_is_dispatched_when_the_previous_one_completes_concurrently(self):
        errors = []

        def complete_head():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    head = env["complaint.erp.exchange"].browse(self.ids["head"])
                    head.write({"state": "done"})
                    head._erp_dispatch()
                    env.flush_all()
                    time.sleep(1.5)  # the job's transaction is still open
            except Exception as exc:
                errors.append(exc)

        def add_cost():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {"mail_create_nolog": True})
                    env.cr.execute("SELECT 1")  # the snapshot starts before the job commits
                    time.sleep(0.3)

                    def create():
                        env["complaint.cost.line"].create(
                            {"case_id": self.ids["case"], "amount": 5, "cost_type": "other"}
                        )

                    with mute_logger("odoo.service.model"):
                        retrying(create, env)
            except Exception as exc:
                errors.append(exc)

        job_thread = threading.Thread(target=complete_head)
        user_thread = threading.Thread(target=add_cost)
        job_thread.start()
        time.sleep(0.2)
        user_thread.start()
        job_thread.join(30)
        user_thread.join(30)
        self.assertFalse(errors)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            messages = env["complaint.erp.exchange"].search(
                [("case_id", "=", self.ids["case"])], order="id"
            )
            self.assertEqual(messages.mapped("state"), ["done", "queued"])
            self.assertEqual(messages[1].job_id.state, "pending")
