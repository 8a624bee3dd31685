import threading
import uuid

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from odoo.addons.complaint_portal.models.complaint_form_attempt import DEFAULT_RATE_LIMIT


@tagged("post_install", "-at_install")
class TestRateLimitConcurrency(TransactionCase):
    """The rate limit holds when the attempts of one address arrive at once,
    each in its own transaction as parallel requests are."""

    def _cleanup(self, email):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM complaint_form_attempt WHERE email = %s", [email])

    def test_parallel_attempts_cannot_exceed_the_limit(self):
        email = f"parallel-{uuid.uuid4().hex}@example.com"
        self.addCleanup(self._cleanup, email)
        count = DEFAULT_RATE_LIMIT + 3
        barrier = threading.Barrier(count)
        results = []
        errors = []

        def attempt(index):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    barrier.wait(timeout=30)
                    limited = env["complaint.form.attempt"]._check_and_record(
                        email, f"198.51.100.{index}"
                    )
                    results.append(limited)
            except Exception as error:  # reported by the main thread
                errors.append(error)

        threads = [threading.Thread(target=attempt, args=(index,)) for index in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(errors)
        self.assertEqual(len(results), count)
        self.assertEqual(results.count(False), DEFAULT_RATE_LIMIT)
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM complaint_form_attempt WHERE email = %s", [email])
            self.assertEqual(cr.fetchone()[0], count, "refused attempts are recorded too")
