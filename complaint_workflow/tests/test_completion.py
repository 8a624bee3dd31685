from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from freezegun import freeze_time

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCommon

from .common import WorkflowCommon

NOW = datetime(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestCompletionLoop(WorkflowCommon, MailCommon):
    def _request(self, case, text="<p>Please send a photo of the serial plate.</p>"):
        wizard = Form(
            self.env["complaint.case.request.completion"].with_context(default_case_id=case.id)
        )
        wizard.missing_info = text
        wizard.save().action_confirm()

    def _customer_reply(self, request_mail, text, headers=None):
        """The customer's e-mail answering ``request_mail``."""
        reply = EmailMessage()
        reply["From"] = self.customer_contact.email
        reply["To"] = "catchall@example.com"
        reply["Subject"] = f"Re: {request_mail.subject}"
        reply["Message-ID"] = make_msgid()
        reply["In-Reply-To"] = request_mail.message_id
        for name, value in (headers or {}).items():
            reply[name] = value
        reply.set_content(text)
        return reply

    def test_customer_reply_by_email_returns_case_to_staff(self):
        self.customer.complaint_vip = True
        with freeze_time(NOW):
            case = self._create_case(user_id=self.user.id)
            case.action_confirm()
        with freeze_time(NOW + timedelta(hours=2)), self.mock_mail_gateway():
            self._request(case)
        self.assertEqual(case.state, "waiting")
        self.assertEqual(case.completion_stage_id, self.stage_analysis)
        request_mail = self._new_mails.filtered(lambda m: self.customer_contact in m.recipient_ids)
        self.assertIn("serial plate", request_mail.body_html)
        vip_line = case.sla_line_ids.filtered(lambda line: line.policy_id == self.sla_vip)
        self.assertEqual(vip_line.state, "paused")

        reply = self._customer_reply(request_mail, "Here is the photo.")
        with (
            freeze_time(NOW + timedelta(hours=26)),
            mute_logger("odoo.addons.mail.models.mail_thread"),
        ):
            self.env["mail.thread"].sudo().message_process(None, reply.as_string())
        self.assertEqual(case.stage_id, self.stage_analysis)
        self.assertEqual(case.state, "in_progress")
        self.assertFalse(case.completion_stage_id)
        self.assertEqual(vip_line.state, "running")
        self.assertEqual(vip_line.date_deadline, NOW + timedelta(days=3, hours=24))
        self.assertTrue(case.activity_ids.filtered(lambda a: a.user_id == self.user))

    def test_reply_from_stranger_keeps_case_waiting(self):
        case = self._create_case(user_id=self.user.id)
        case.action_confirm()
        self._request(case)
        case.message_update({"email_from": "someone@else.example.com"})
        self.assertEqual(case.state, "waiting")

    def test_auto_reply_to_completion_request_keeps_case_waiting(self):
        case = self._create_case(user_id=self.user.id)
        case.action_confirm()
        with self.mock_mail_gateway():
            self._request(case)
        request_mail = self._new_mails.filtered(lambda m: self.customer_contact in m.recipient_ids)
        for index, headers in enumerate(
            [
                {"Auto-Submitted": "auto-replied"},
                {"X-Autoreply": "yes"},
                {"Precedence": "auto_reply"},
            ]
        ):
            reply = self._customer_reply(
                request_mail, f"I am out of the office ({index}).", headers
            )
            with mute_logger("odoo.addons.mail.models.mail_thread"):
                self.env["mail.thread"].sudo().message_process(None, reply.as_string())
        self.assertEqual(case.state, "waiting")
        self.assertEqual(case.completion_stage_id, self.stage_analysis)
        self.assertEqual(
            len(case.message_ids.filtered(lambda m: "out of the office" in (m.body or ""))),
            3,
            "automatic answers are logged on the case",
        )


@tagged("post_install", "-at_install")
class TestTasksAndTime(WorkflowCommon):
    def test_stage_creates_tasks_from_templates(self):
        self.env["complaint.task.template"].create(
            [
                {"stage_id": self.stage_analysis.id, "name": "Inspect unit", "deadline_days": 2},
                {
                    "stage_id": self.stage_analysis.id,
                    "name": "Call supplier",
                    "user_id": self.other_user.id,
                },
            ]
        )
        with freeze_time("2026-03-02"):
            case = self._create_case(user_id=self.user.id)
            case.action_confirm()
        inspect = case.task_ids.filtered(lambda t: t.name == "Inspect unit")
        self.assertEqual(inspect.user_id, self.user)
        self.assertEqual(str(inspect.date_deadline), "2026-03-04")
        self.assertEqual(
            case.task_ids.filtered(lambda t: t.name == "Call supplier").user_id, self.other_user
        )
        self.assertEqual(case.task_open_count, 2)
        inspect.action_done()
        self.assertTrue(inspect.date_done)
        self.assertEqual(case.task_open_count, 1)

    def test_overdue_tasks_are_found(self):
        case = self._create_case(user_id=self.user.id)
        task = self.env["complaint.task"].create(
            {"name": "Late", "case_id": case.id, "date_deadline": "2000-01-01"}
        )
        self.assertIn(task, self.env["complaint.task"].search([("is_overdue", "=", True)]))
        task.action_done()
        self.assertNotIn(task, self.env["complaint.task"].search([("is_overdue", "=", True)]))

    def test_time_spent_is_summed(self):
        case = self._create_case(user_id=self.user.id)
        self.env["complaint.timesheet"].create(
            [{"case_id": case.id, "hours": 1.5}, {"case_id": case.id, "hours": 0.75}]
        )
        self.assertAlmostEqual(case.effective_hours, 2.25)
