import threading
import uuid

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import TransactionCase, tagged

from .common import ComplaintCommon

CREATORS = 8


@tagged("post_install", "-at_install")
class TestNumbering(ComplaintCommon):
    def _number(self, case):
        return int(case.name.rsplit("/", 1)[1])

    def test_batch_takes_consecutive_numbers(self):
        first = self._create_case()
        batch = self.env["complaint.case"].create(
            [{"subject": f"Batch {i}", "type_id": self.type_complaint.id} for i in range(5)]
        )
        self.assertEqual(
            [self._number(case) for case in batch],
            list(range(self._number(first) + 1, self._number(first) + 6)),
        )

    def test_renaming_the_code_keeps_the_numbering(self):
        first = self._create_case()
        sequence = self.type_complaint.sequence_id
        self.type_complaint.code = "customer_complaint"
        second = self._create_case()
        self.assertEqual(self.type_complaint.sequence_id, sequence)
        self.assertEqual(self._number(second), self._number(first) + 1)

    def test_year_is_the_company_local_year(self):
        self.company.partner_id.tz = "Pacific/Auckland"
        # 31 December 12:00 UTC is already 1 January in New Zealand
        case = self._create_case(date_received="2030-12-31 12:00:00")
        self.assertEqual(case.name, "RK/2031/00001")
        self.company.partner_id.tz = "America/New_York"
        case = self._create_case(date_received="2031-01-01 03:00:00")
        self.assertEqual(case.name, "RK/2030/00001")

    def test_date_range_sets_the_first_number_of_its_year(self):
        self.env["ir.sequence.date_range"].create(
            {
                "sequence_id": self.type_complaint.sequence_id.id,
                "date_from": "2032-01-01",
                "date_to": "2032-12-31",
                "number_next_actual": 42,
            }
        )
        case = self._create_case(date_received="2032-05-01 10:00:00")
        self.assertEqual(case.name, "RK/2032/00042")

    def test_rolled_back_creation_gives_its_number_back(self):
        first = self._create_case()
        with self.assertRaises(ValueError), self.env.cr.savepoint():
            self._create_case()
            raise ValueError("the request failed after numbering")
        self.assertEqual(self._number(self._create_case()), self._number(first) + 1)

    def test_each_company_has_its_sequence(self):
        other_company = self.env["res.company"].create({"name": "Complaints Oy"})
        case = self.env["complaint.case"].create(
            {
                "subject": "Wrong colour",
                "type_id": self.type_complaint.id,
                "company_id": other_company.id,
                "team_id": False,
                "user_id": False,
            }
        )
        self.assertEqual(case.name, f"RK/{fields.Date.today().year}/00001")
        own = self.type_complaint.sequence_id
        other = self.type_complaint.with_company(other_company).sequence_id
        self.assertEqual(other.company_id, other_company)
        self.assertNotEqual(own, other)
        # other companies' sequences may exist: tests with concurrent cursors
        # commit companies of their own
        sequences = self.type_complaint._get_all_sequences()
        self.assertEqual(
            sequences.filtered(lambda s: s.company_id in (own | other).company_id), own | other
        )


@tagged("post_install", "-at_install")
class TestNumberingConcurrency(TransactionCase):
    """Creators in cursors of their own that commit, as the mail fetcher, the
    portal, the API and the backend do; what they commit is removed at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            case_type = env["complaint.type"].create(
                {
                    "name": "Concurrency",
                    "code": f"concurrency_{uuid.uuid4().hex[:8]}",
                    "sequence_prefix": "CC",
                    "deadline_days": 0,
                }
            )
            self.type_id = case_type.id
            self.sequence_id = case_type.sequence_id.id
        self.addCleanup(self._remove_committed)

    def _remove_committed(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT id FROM complaint_case WHERE type_id = %s", [self.type_id])
            case_ids = [row[0] for row in cr.fetchall()] or [0]
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'complaint.case' AND res_id = ANY(%s)",
                [case_ids],
            )
            cr.execute(
                "DELETE FROM mail_followers WHERE res_model = 'complaint.case' "
                "AND res_id = ANY(%s)",
                [case_ids],
            )
            cr.execute("DELETE FROM complaint_case WHERE id = ANY(%s)", [case_ids])
            cr.execute(
                "DELETE FROM complaint_case_number WHERE sequence_id = %s", [self.sequence_id]
            )
            cr.execute("DELETE FROM complaint_type WHERE id = %s", [self.type_id])
            cr.execute("DELETE FROM ir_sequence WHERE id = %s", [self.sequence_id])

    def _creator(self, index, names, errors, start, hold=None):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(
                    cr, SUPERUSER_ID, {"mail_create_nolog": True, "mail_notrack": True}
                )
                start.wait(timeout=30)
                case = env["complaint.case"].create(
                    {
                        "subject": f"Parallel claim {index}",
                        "type_id": self.type_id,
                        "team_id": False,
                        "user_id": False,
                        "line_ids": [Command.create({"name": "Item", "quantity": 1})],
                    }
                )
                env.flush_all()
                names.append(case.name)
                if hold:
                    hold(cr)
        except Exception as error:
            errors.append(f"creator {index}: {error!r}")

    def _run(self, count, hold=None):
        names, errors = [], []
        start = threading.Barrier(count)
        threads = [
            threading.Thread(target=self._creator, args=(i, names, errors, start, hold))
            for i in range(count)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return names, errors

    def _committed_numbers(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT name FROM complaint_case WHERE type_id = %s", [self.type_id])
            return sorted(int(row[0].rsplit("/", 1)[1]) for row in cr.fetchall())

    def test_eight_concurrent_creators_all_succeed_with_continuous_numbers(self):
        names, errors = self._run(CREATORS, hold=lambda cr: threading.Event().wait(0.05))
        self.assertEqual(errors, [], "no creator may fail on a lock")
        self.assertEqual(len(set(names)), CREATORS)
        self.assertEqual(self._committed_numbers(), list(range(1, CREATORS + 1)))

    def test_a_creator_rolled_back_meanwhile_leaves_no_gap(self):
        lock = threading.Lock()
        failed = []

        def hold(cr):
            threading.Event().wait(0.05)
            with lock:
                if failed:
                    return
                failed.append(cr)
            raise ValueError("this request fails after numbering")

        _names, errors = self._run(CREATORS, hold=hold)
        self.assertEqual(len(errors), 1)
        self.assertEqual(self._committed_numbers(), list(range(1, CREATORS)))
