from email.message import EmailMessage
from email.utils import make_msgid

from odoo import Command
from odoo.tests import tagged

from .common import ComplaintCommon

# Upper bounds measured with the whole suite installed (complaint_workflow adds
# stages, SLA and routing to every creation); alone, complaint_base needs fewer.
CREATE_ONE = 29
CREATE_TEN = 146  # 29 for the first case, ~13 for each further one
CREATE_WITH_LINES = 31
WRITE_STATE = 9
INGEST_EMAIL = 94


@tagged("post_install", "-at_install", "complaint_performance")
class TestComplaintPerformance(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(user=cls.user)
        # warm the sequences, defaults and ORM caches
        cls.env["complaint.case"].create({"subject": "Warm-up", "partner_id": cls.customer.id})
        cls.env.flush_all()

    def _values(self, index=0, **extra):
        return {"subject": f"Lid cracked {index}", "partner_id": self.customer_contact.id, **extra}

    def test_query_count_create_one_case(self):
        self.env["complaint.case"].create(self._values())  # warm-up of the same shape
        self.env.flush_all()
        with self.assertQueryCount(CREATE_ONE):
            self.env["complaint.case"].create(self._values())
            self.env.flush_all()

    def test_query_count_create_ten_cases(self):
        self.env["complaint.case"].create([self._values(i) for i in range(10)])
        self.env.flush_all()
        with self.assertQueryCount(CREATE_TEN):
            self.env["complaint.case"].create([self._values(i) for i in range(10)])
            self.env.flush_all()

    def test_query_count_create_case_with_two_lines(self):
        lines = [
            Command.create({"product_id": self.product_serial.id, "lot_id": self.lot_1.id}),
            Command.create({"product_id": self.product_plain.id, "quantity": 3}),
        ]
        self.env["complaint.case"].create(self._values(line_ids=lines))
        self.env.flush_all()
        with self.assertQueryCount(CREATE_WITH_LINES):
            self.env["complaint.case"].create(self._values(line_ids=lines))
            self.env.flush_all()

    def test_query_count_state_change(self):
        warm, case = self.env["complaint.case"].create([self._values(1), self._values(2)])
        warm.action_wait()
        self.env.flush_all()
        with self.assertQueryCount(WRITE_STATE):
            case.action_wait()
            self.env.flush_all()

    def test_query_count_ingest_email(self):
        self.env = self.env(su=True)
        self.team.alias_name = "perf-complaints"
        message = EmailMessage()
        message["From"] = self.customer_contact.email
        message["To"] = f"perf-complaints@{self.team.alias_domain_id.name or 'example.com'}"
        message["Subject"] = "Broken grinder"
        message["Message-ID"] = make_msgid()
        message.set_content("It stopped working.")
        raw = message.as_string()
        warm = message
        warm.replace_header("Message-ID", make_msgid())
        self.env["mail.thread"].message_process("complaint.case", warm.as_string())
        self.env.flush_all()
        with self.assertQueryCount(INGEST_EMAIL):
            self.env["mail.thread"].message_process("complaint.case", raw)
            self.env.flush_all()
        self.assertTrue(self.env["complaint.case"].search([("subject", "=", "Broken grinder")]))
