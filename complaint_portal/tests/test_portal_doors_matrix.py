import html
import json
import re

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PNG_1PX, PUBLIC, ComplaintPortalCommon

# Fields of a case that are for staff only: no customer may ever get them.
STAFF_FIELDS = (
    "cost_line_ids",
    "cost_total",
    "severity",
    "root_cause_id",
    "priority",
    "team_id",
    "tag_ids",
    "is_vip",
    "color",
    "history_case_ids",
    "approval_ids",
    "approval_state",
    "sla_line_ids",
    "sla_status",
    "deemed_accepted",
    "date_stage_start",
    "date_stage_deadline",
    "date_expected_end",
    "stage_escalated",
    "completion_stage_id",
    "task_ids",
    "timesheet_ids",
    "effective_hours",
    "warehouse_id",
    "department_id",
    "activity_ids",
)
# Fields the portal page and the customers' RPC rely on.
CUSTOMER_FIELDS = ("name", "subject", "state", "stage_id", "user_id", "line_ids", "invoice_id")

OWNER = "owner"
COLLEAGUE = "colleague"
OTHER_CUSTOMER = "other customer"
ANONYMOUS = "anonymous"
OTHER_TEAM = "handler of another team"
OTHER_COMPANY = "manager of another company"
EMPLOYEE = "employee without complaint rights"
HANDLER = "handler of the case"
ROLES = {
    OWNER: "portal_test_a",
    COLLEAGUE: "portal_doors_colleague",
    OTHER_CUSTOMER: "portal_test_b",
    ANONYMOUS: PUBLIC,
    OTHER_TEAM: "portal_doors_other_team",
    OTHER_COMPANY: "portal_doors_other_company",
    EMPLOYEE: "portal_test_employee",
    # the control: staff who may do what customers may not
    HANDLER: "portal_test_handler",
}
CUSTOMERS = {OWNER, COLLEAGUE}
STAFF = {HANDLER}


@tagged("post_install", "-at_install")
class TestPortalDoorsMatrix(ComplaintPortalCommon):
    """Every door of a customer's case (route, role and action): only the
    customer's company passes as a customer, only the case's staff as staff,
    and nobody gets more than their role allows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        colleague = cls.env["res.partner"].create(
            {"name": "Ewa Kowalska", "parent_id": cls.customer_a.id, "email": "ewa@ko.example"}
        )
        new_test_user(
            cls.env,
            login=ROLES[COLLEAGUE],
            groups="base.group_portal",
            partner_id=colleague.id,
            name=colleague.name,
        )
        cls.team_a, team_other = cls.env["complaint.team"].create(
            [{"name": "Kitchen Appliances"}, {"name": "Coffee Machines"}]
        )
        cls.team_a.member_ids = cls.handler
        other_team_user = new_test_user(
            cls.env,
            login=ROLES[OTHER_TEAM],
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        team_other.member_ids = other_team_user
        company_2 = cls.env["res.company"].create({"name": "Second Company"})
        new_test_user(
            cls.env,
            login=ROLES[OTHER_COMPANY],
            groups="base.group_user,complaint_base.group_complaint_manager",
            company_id=company_2.id,
            company_ids=[company_2.id],
        )
        cls.case_a.team_id = cls.team_a
        cls.photo = cls._post_customer_photo(cls.case_a, cls.contact_a, "Photo of the deposit")
        cls.all_fields = sorted(cls.env["complaint.case"]._fields)

    def test_doors(self):
        actions = {
            "read page": (self._door_read_page, CUSTOMERS | STAFF),
            "read by rpc": (self._door_read_rpc, CUSTOMERS | STAFF),
            "download file": (self._door_download, CUSTOMERS | STAFF),
            "post": (self._door_post, CUSTOMERS | STAFF),
            "complete": (self._door_complete, CUSTOMERS | STAFF),
            "file against invoice": (self._door_file, CUSTOMERS),
        }
        for action, (door, allowed_roles) in actions.items():
            for role, login in ROLES.items():
                with self.subTest(action=action, role=role):
                    self._login(login)
                    door(role, role in allowed_roles)

    # ------------------------------------------------------------------
    # Doors
    # ------------------------------------------------------------------

    def _door_read_page(self, role, allowed):
        for suffix in ("", "?report_type=pdf&download=true", "?report_type=html"):
            response = self._get(f"{self.case_a.access_url}{suffix}")
            if allowed:
                self.assertEqual(response.status_code, 200)
                self.assertIn(self.case_a.name, response.text)
            else:
                self._assert_redirect(response, "/my")
                self.assertNotIn(self.case_a.name, response.text)

    @mute_logger("odoo.http")
    def _door_read_rpc(self, role, allowed):
        case_id = self.case_a.id
        if role in STAFF:
            fields = [*STAFF_FIELDS, *CUSTOMER_FIELDS]
            result = self._call_kw("complaint.case", "read", [[case_id], fields])
            self.assertEqual(set(result["result"][0]), {"id", *fields})
            return
        # every field by name: refused to everybody else, customers included
        everything = {
            "read": self._call_kw("complaint.case", "read", [[case_id], self.all_fields]),
            "web_read": self._call_kw(
                "complaint.case",
                "web_read",
                [[case_id]],
                specification={name: {} for name in self.all_fields},
            ),
        }
        for method, result in everything.items():
            self.assertIn("error", result, method)
            self.assertNotIn(self.case_a.subject, json.dumps(result), method)
        # the fields one may read: the customers' to customers, nothing to others
        what_one_may = {
            "read": self._call_kw("complaint.case", "read", [[case_id]]),
            "search_read": self._call_kw("complaint.case", "search_read", [[("id", "=", case_id)]]),
        }
        for method, result in what_one_may.items():
            records = result.get("result") or []
            if allowed:
                self.assertEqual([record["id"] for record in records], [case_id], method)
                self.assertFalse(set(STAFF_FIELDS) & set(records[0]), method)
                self.assertTrue(set(CUSTOMER_FIELDS) <= set(records[0]), method)
            else:
                self.assertFalse(records, method)
                self.assertNotIn(self.case_a.subject, json.dumps(result), method)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_attachment")
    def _door_download(self, role, allowed):
        url = f"/web/content/{self.photo.id}"
        # by id alone: only staff who can read the case
        by_id = self._get(url)
        self.assertEqual(by_id.content == PNG_1PX, role in STAFF)
        self.assertNotEqual(self._get(f"{url}?access_token=wrong").content, PNG_1PX)
        # customers download through the links of the page they may open
        page = self._get(self.case_a.access_url).text
        links = re.findall(rf'href="({url}\?[^"]*access_token=[^"]+)"', page)
        self.assertEqual(bool(links), allowed)
        for link in links:
            self.assertEqual(self._get(html.unescape(link)).content, PNG_1PX)

    @mute_logger("odoo.http")
    def _door_post(self, role, allowed):
        body = f"Hello from the {role}"
        result = self._jsonrpc(
            "/mail/message/post",
            {
                "thread_model": "complaint.case",
                "thread_id": self.case_a.id,
                "post_data": {"body": body, "message_type": "comment"},
            },
        )
        self.env.invalidate_all()
        messages = self.case_a.message_ids.filtered(lambda m: body in (m.body or ""))
        self.assertEqual(bool(messages), allowed)
        self.assertEqual("error" in result, not allowed)

    def _door_complete(self, role, allowed):
        self._ensure_waiting(self.case_a)
        text = f"Serial plate photo from the {role}"
        if not allowed:
            response = self.url_open(
                f"{self.case_a.access_url}/complete",
                data={"csrf_token": self._csrf_token(), "message": text, "access_token": "x"},
                allow_redirects=False,
            )
            self._assert_redirect(response, "/my")
        response = self.url_open(
            f"{self.case_a.access_url}/complete",
            data={"csrf_token": self._csrf_token(), "message": text},
            allow_redirects=False,
        )
        self.env.invalidate_all()
        messages = self.case_a.message_ids.filtered(lambda m: text in (m.body or ""))
        if allowed:
            self._assert_redirect(response, "completed=1")
            self.assertTrue(messages)
            self.assertNotEqual(self.case_a.state, "waiting")
        else:
            self._assert_redirect(response, "/my")
            self.assertFalse(messages)
            self.assertEqual(self.case_a.state, "waiting")

    def _door_file(self, role, allowed):
        form = self._get(f"/my/complaints/new?invoice_id={self.invoice_a.id}")
        before = self.env["complaint.case"].search([])
        subject = f"Filed by the {role}"
        response = self._post_claim(self._claim_data(subject=subject))
        new_cases = self._new_cases(before)
        if role == ANONYMOUS:
            self._assert_redirect(form, "/web/login")
            self._assert_redirect(response, "/web/login")
        else:
            self.assertEqual(f'name="qty_{self.line_plain_a.id}"' in form.text, allowed)
        if allowed:
            self.assertEqual(new_cases.subject, subject)
            self.assertEqual(new_cases.invoice_id, self.invoice_a)
        else:
            self.assertFalse(new_cases)

    def _ensure_waiting(self, case):
        if case.state == "waiting":
            return
        if case.state == "new":
            case.with_user(self.handler).action_confirm()
        self.env["complaint.case.request.completion"].with_user(self.handler).create(
            {"case_id": case.id, "missing_info": "<p>Please send the serial plate.</p>"}
        ).action_confirm()
        self.assertEqual(case.state, "waiting")
