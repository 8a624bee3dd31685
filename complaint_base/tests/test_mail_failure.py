from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import GATEWAY_LOGGERS, ComplaintMailCommon

FETCHMAIL = "odoo.addons.mail.models.fetchmail"


class FakeIMAP:
    """In-memory IMAP mailbox: messages by number, and their \\Seen flag."""

    def __init__(self, messages):
        self.messages = dict(enumerate(messages, start=1))
        self.seen = set()

    def __call__(self, host, port):
        return self

    def login(self, user, password):
        return "OK", []

    def select(self, mailbox="INBOX"):
        return "OK", [str(len(self.messages)).encode()]

    def search(self, charset, criteria):
        unseen = [str(num) for num in self.messages if num not in self.seen]
        return "OK", [" ".join(unseen).encode()]

    def fetch(self, num, parts):
        return "OK", [(b"1 (RFC822)", self.messages[int(num)])]

    def store(self, num, command, flag):
        (self.seen.add if command.startswith("+") else self.seen.discard)(int(num))
        return "OK", []

    def close(self):
        return "OK", []

    def logout(self):
        return "BYE", []


class FakePOP:
    """In-memory POP3 mailbox; deleted messages are gone for the next session."""

    def __init__(self, messages):
        self.messages = list(messages)
        self.deleted = set()

    def __call__(self, host, port, timeout=None):
        return self

    def user(self, user):
        return b"+OK"

    def pass_(self, password):
        return b"+OK"

    def stat(self):
        return len(self.messages), sum(len(m) for m in self.messages)

    def list(self):
        return b"+OK", [], 0

    def retr(self, num):
        return b"+OK", self.messages[num - 1].split(b"\n"), len(self.messages[num - 1])

    def dele(self, num):
        self.deleted.add(self.messages[num - 1])
        return b"+OK"

    def quit(self):
        self.messages = [m for m in self.messages if m not in self.deleted]
        self.deleted = set()
        return b"+OK"


@tagged("post_install", "-at_install", "mail_gateway")
class TestMailFailure(ComplaintMailCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("complaint_base.max_email_size_mb", 1)

    def _messages(self):
        """A good e-mail, one above the 1 MB limit and one whose case cannot be created."""
        good = self._email(subject="Cracked lid")
        big = self._email(
            subject="Video of the leak",
            attachments=[("leak.mp4", b"0" * (1024 * 1024 + 10), "video/mp4")],
        )
        broken = self._email(subject="Explodes on create")
        return [m.as_bytes().replace(b"\r\n", b"\n") for m in (good, big, broken)]

    def _fetch_mail(self, server_type, mailbox):
        server = self.env["fetchmail.server"].create(
            {
                "name": f"Complaints {server_type}",
                "server_type": server_type,
                "server": "mail.example.com",
                "port": 143 if server_type == "imap" else 110,
                "is_ssl": False,
                "user": "complaints",
                "password": "secret",
                "state": "done",
            }
        )
        case_class = type(self.env["complaint.case"])
        original_create = case_class.create

        def create(records, vals_list):
            values = [vals_list] if isinstance(vals_list, dict) else vals_list
            if any("Explodes" in (vals.get("subject") or "") for vals in values):
                raise ValueError("database says no")
            return original_create(records, vals_list)

        # fetch_mail commits after each e-mail: give it a cursor of the test
        with (
            patch(f"{FETCHMAIL}.IMAP4", mailbox),
            patch(f"{FETCHMAIL}.POP3", mailbox),
            patch.object(case_class, "create", create),
            mute_logger(
                *GATEWAY_LOGGERS, FETCHMAIL, "odoo.addons.complaint_base.models.complaint_case"
            ),
            self.registry.cursor() as cr,
        ):
            server.with_env(self.env(cr=cr)).fetch_mail()
        self.env.invalidate_all()

    def _cases(self):
        return self.env["complaint.case"].search([("team_id", "=", self.team.id)])

    def _call_button(self, failure, method):
        return self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {
                "model": "complaint.mail.failure",
                "method": method,
                "args": [failure.ids],
                "kwargs": {},
            },
        )

    def test_imap_fetch_keeps_failed_emails_then_manager_retries_and_discards(self):
        raw_good, raw_big, raw_broken = self._messages()
        mailbox = FakeIMAP([raw_good, raw_big, raw_broken])
        self._fetch_mail("imap", mailbox)
        self.assertEqual(self._cases().mapped("subject"), ["Cracked lid"])
        self.assertEqual(mailbox.seen, {1, 2, 3})
        failures = self.env["complaint.mail.failure"].search([], order="subject")
        self.assertEqual(failures.mapped("subject"), ["Explodes on create", "Video of the leak"])
        broken, big = failures
        self.assertEqual(big.reason, "size")
        self.assertEqual(big._get_raw_bytes(), raw_big)
        self.assertIn("above the 1 MB limit", big.error)
        self.assertEqual(broken.reason, "error")
        self.assertIn("database says no", broken.error)
        self.assertEqual(big.team_id, self.team)

        # fetched again (marked unread on the server): no second copy
        mailbox.seen.discard(2)
        self._fetch_mail("imap", mailbox)
        self.assertEqual(self.env["complaint.mail.failure"].search_count([]), 2)

        self.authenticate("complaint_manager", "complaint_manager")
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http", *GATEWAY_LOGGERS):
            self._call_button(big, "action_retry")
        big.invalidate_recordset()
        self.assertEqual(big.state, "new")

        self.env["ir.config_parameter"].set_param("complaint_base.max_email_size_mb", 5)
        with mute_logger(*GATEWAY_LOGGERS):
            self._call_button(big, "action_retry")
        big.invalidate_recordset()
        self.assertEqual(big.state, "retried")
        self.assertEqual(big.case_id.subject, "Video of the leak")
        self.assertEqual(big.case_id.team_id, self.team)

        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_button(broken, "action_discard")
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/complaint.mail.failure/write",
            {
                "model": "complaint.mail.failure",
                "method": "write",
                "args": [broken.ids, {"discard_reason": "Test message of the IT department"}],
                "kwargs": {},
            },
        )
        self._call_button(broken, "action_discard")
        broken.invalidate_recordset()
        self.assertEqual(broken.state, "discarded")

    def test_imap_fetch_gives_an_unknown_sender_one_contact(self):
        """Fetched by Odoo's own loop (a commit after each e-mail), two e-mails
        of a sender nobody knows open two cases on one new contact, named as
        in the From header; a known customer's e-mail stays on its contact."""
        stranger = "Anna Nowak <anna.nowak@unknown.example.com>"
        mails = [
            self._email(email_from=stranger, subject="Cracked lid"),
            self._email(email_from=stranger, subject="Loose handle"),
            self._email(subject="Wobbly base"),
        ]
        self._fetch_mail("imap", FakeIMAP([m.as_bytes().replace(b"\r\n", b"\n") for m in mails]))
        cases = self._cases().sorted("subject")
        self.assertEqual(cases.mapped("subject"), ["Cracked lid", "Loose handle", "Wobbly base"])
        contact = self.env["res.partner"].search(
            [("email_normalized", "=", "anna.nowak@unknown.example.com")]
        )
        self.assertEqual(contact.name, "Anna Nowak")
        self.assertEqual(cases[:2].partner_id, contact)
        self.assertEqual(cases[2].partner_id, self.customer_contact)
        self.assertEqual(
            cases[0].message_ids.filtered(lambda m: m.message_type == "email").author_id, contact
        )

    def test_pop_fetch_keeps_failed_emails_and_deletes_them_from_server(self):
        raw_good, raw_big, raw_broken = self._messages()
        mailbox = FakePOP([raw_good, raw_big, raw_broken])
        self._fetch_mail("pop", mailbox)
        self.assertEqual(self._cases().mapped("subject"), ["Cracked lid"])
        self.assertFalse(mailbox.messages, "kept as failures, the e-mails leave the server")
        failures = self.env["complaint.mail.failure"].search([])
        self.assertEqual(len(failures), 2)
        self.assertEqual(
            {f._get_raw_bytes() for f in failures}, {raw_big, raw_broken}, "raw sources kept"
        )

    def test_manager_creates_case_from_oversized_email_by_hand(self):
        _raw_good, raw_big, _raw_broken = self._messages()
        self._fetch_mail("imap", FakeIMAP([raw_big]))
        failure = self.env["complaint.mail.failure"].search([])
        self.authenticate("complaint_manager", "complaint_manager")
        with mute_logger(*GATEWAY_LOGGERS):
            self._call_button(failure, "action_convert")
        failure.invalidate_recordset()
        self.assertEqual(failure.state, "converted")
        case = failure.case_id
        self.assertEqual(case.subject, "Video of the leak")
        self.assertEqual((case.team_id, case.partner_id), (self.team, self.customer_contact))
        self.assertIn(
            "leak.mp4", case.message_ids.attachment_ids.mapped("name"), "the e-mail is on the case"
        )

    def test_failed_emails_are_for_managers_only(self):
        self._fetch_mail("imap", FakeIMAP([self._messages()[1]]))
        failure = self.env["complaint.mail.failure"].search([])
        self.authenticate("complaint_user", "complaint_user")
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call_button(failure, "action_convert")
        self.authenticate("complaint_manager", "complaint_manager")
        views = self.make_jsonrpc_request(
            "/web/dataset/call_kw/complaint.mail.failure/get_views",
            {
                "model": "complaint.mail.failure",
                "method": "get_views",
                "args": [[[False, "list"], [False, "form"], [False, "search"]]],
                "kwargs": {},
            },
        )
        self.assertIn("list", views["views"])
        self.assertEqual(failure.with_user(self.manager).state, "new")
