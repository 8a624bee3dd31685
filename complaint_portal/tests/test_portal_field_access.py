import json

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PDF_BYTES, ComplaintPortalCommon

ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("post_install", "-at_install")
class TestPortalFieldAccess(ComplaintPortalCommon):
    """What a customer reads of their own case over RPC."""

    def setUp(self):
        super().setUp()
        self._login("portal_test_a")

    def _assert_access_error(self, result):
        self.assertEqual(result.get("error", {}).get("data", {}).get("name"), ACCESS_ERROR, result)

    @mute_logger("odoo.http")
    def test_staff_fields_are_refused(self):
        self.case_a.write(
            {
                "severity": "critical",
                "root_cause_id": self.env["complaint.root.cause"].create({"name": "Seal"}).id,
            }
        )
        for field in ("cost_total", "severity", "root_cause_id", "approval_state", "team_id"):
            with self.subTest(field=field):
                result = self._call_kw("complaint.case", "read", [self.case_a.ids, [field]])
                self._assert_access_error(result)
                self.assertNotIn("critical", json.dumps(result))

    @mute_logger("odoo.http")
    def test_search_sort_and_group_by_staff_fields_are_refused(self):
        for kwargs in (
            {"domain": [("severity", "=", "critical")]},
            {"domain": [("cost_total", ">", 0)]},
            {"domain": [], "order": "priority desc"},
        ):
            with self.subTest(**kwargs):
                self._assert_access_error(
                    self._call_kw("complaint.case", "search_read", [], fields=["name"], **kwargs)
                )
        for groupby, aggregates in ((["severity"], []), (["state"], ["cost_total:sum"])):
            with self.subTest(groupby=groupby, aggregates=aggregates):
                self._assert_access_error(
                    self._call_kw(
                        "complaint.case",
                        "web_read_group",
                        [],
                        domain=[],
                        fields=aggregates,
                        groupby=groupby,
                    )
                )
        result = self._call_kw(
            "complaint.case", "web_read_group", [], domain=[], fields=[], groupby=["state"]
        )
        self.assertEqual(result["result"]["groups"][0]["state_count"], 1)

    @mute_logger("odoo.http")
    def test_web_read_of_cost_lines_is_refused(self):
        self.env["complaint.cost.line"].create(
            {"case_id": self.case_a.id, "name": "Courier", "amount": 42.0}
        )
        result = self._call_kw(
            "complaint.case",
            "web_read",
            [self.case_a.ids],
            specification={"name": {}, "cost_line_ids": {"fields": {"amount": {}}}},
        )
        self._assert_access_error(result)
        self.assertNotIn("Courier", json.dumps(result))

    def test_customer_fields_are_read(self):
        self.case_a.with_user(self.handler).action_confirm()
        result = self._call_kw(
            "complaint.case",
            "web_read",
            [self.case_a.ids],
            specification={
                "name": {},
                "subject": {},
                "state": {},
                "stage_id": {"fields": {"display_name": {}}},
                "user_id": {"fields": {"display_name": {}}},
                "invoice_id": {"fields": {"display_name": {}}},
                "type_id": {},
                "date_received": {},
                "line_ids": {"fields": {"product_id": {}, "quantity": {}, "lot_id": {}}},
            },
        )
        values = result["result"][0]
        self.assertEqual(values["name"], self.case_a.name)
        self.assertEqual(values["state"], "in_progress")
        self.assertEqual(values["stage_id"]["display_name"], self.case_a.stage_id.display_name)
        self.assertEqual(values["user_id"]["display_name"], self.handler.name)
        self.assertEqual(values["invoice_id"]["display_name"], self.invoice_a.display_name)
        self.assertEqual(values["line_ids"][0]["product_id"], self.product_plain.id)
        self.assertEqual(values["line_ids"][0]["quantity"], 1.0)
        lines = self._call_kw("complaint.case.line", "search_read", [[]], fields=[])["result"]
        self.assertEqual([line["id"] for line in lines], self.case_a.line_ids.ids)
        self.assertIn("invoice_line_id", lines[0])

    @mute_logger("odoo.http")
    def test_draft_decision_is_not_told(self):
        # only server code writes decisions (the Decide wizard, as superuser)
        self.case_a.sudo().write(
            {
                "decision": "rejected",
                "resolution": "none",
                "decision_note": "<p>Misuse</p>",
            }
        )
        fields = ["decision", "resolution", "decision_note"]
        for method, args in (("read", [self.case_a.ids, fields]), ("search_read", [[], fields])):
            with self.subTest(method=method):
                values = self._call_kw("complaint.case", method, args)["result"][0]
                self.assertEqual([values[name] for name in fields], [False, False, False])
        self._assert_access_error(
            self._call_kw("complaint.case", "search_count", [[("decision", "=", "rejected")]])
        )
        self._assert_access_error(
            self._call_kw(
                "complaint.case", "web_read_group", [], domain=[], fields=[], groupby=["decision"]
            )
        )
        self.case_a.sudo().write({"date_decision": "2026-02-01 10:00:00"})
        values = self._call_kw("complaint.case", "read", [self.case_a.ids, fields])["result"][0]
        self.assertEqual(values["decision"], "rejected")
        self.assertIn("Misuse", values["decision_note"])


@tagged("post_install", "-at_install")
class TestPortalHiddenTypes(ComplaintPortalCommon):
    """Cases of types not shown to customers stay with staff, even those of
    the customer's own company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_internal = cls._create_case(
            cls.contact_a,
            cls.invoice_a,
            cls.line_plain_a,
            type_id=cls.env.ref("complaint_base.complaint_type_internal").id,
            subject="Wrong label printed by our warehouse",
        )
        cls.case_statutory = cls._create_case(
            cls.contact_a,
            cls.invoice_a,
            cls.line_serial_a,
            type_id=cls.env.ref("complaint_base.complaint_type_statutory_warranty").id,
            subject="Legal claim about the machine",
        )
        cls.case_internal.message_post(
            body="Relabel the pallet", message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    @mute_logger("odoo.http")
    def test_unshown_type_is_invisible(self):
        self._login("portal_test_a")
        found = self._call_kw("complaint.case", "search_read", [[]], fields=["subject"])
        self.assertEqual(
            {values["id"] for values in found["result"]}, {self.case_a.id, self.case_statutory.id}
        )
        self._assert_redirect(self._get(self.case_internal.access_url), "/my")
        listed = self._get("/my/complaints").text
        self.assertNotIn(self.case_internal.name, listed)
        self.assertIn(self.case_statutory.name, listed)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["complaint_count"]})
        self.assertEqual(counters["complaint_count"], 2)
        lines = self._call_kw(
            "complaint.case.line", "search_read", [[("case_id", "=", self.case_internal.id)]]
        )
        self.assertEqual(lines["result"], [])
        messages = self._jsonrpc(
            "/mail/thread/messages",
            {"thread_model": "complaint.case", "thread_id": self.case_internal.id},
        )
        self.assertNotIn("Relabel the pallet", json.dumps(messages))

    def test_notifications_of_unshown_type_carry_no_link(self):
        for case, shown in ((self.case_internal, False), (self.case_statutory, True)):
            with self.subTest(type=case.type_id.name):
                message = case.with_user(self.handler).message_post(
                    body="We replaced the label",
                    partner_ids=self.contact_a.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
                mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
                self.assertTrue(mail)
                self.assertEqual("access_token=" in mail.body_html, shown)

    @mute_logger("odoo.http")
    def test_unshown_type_is_closed_to_its_link(self):
        token = self.case_internal._portal_ensure_token()
        self._login(None)
        url = f"{self.case_internal.access_url}?access_token={token}"
        self._assert_redirect(self._get(url), "/my")
        result = self._jsonrpc(
            "/mail/message/post",
            {
                "thread_model": "complaint.case",
                "thread_id": self.case_internal.id,
                "post_data": {"body": "Through the link", "message_type": "comment"},
                "token": token,
            },
        )
        self.assertIn("error", result)
        self.env.invalidate_all()
        self.assertFalse(
            self.case_internal.message_ids.filtered(lambda m: "Through the link" in (m.body or ""))
        )


@tagged("post_install", "-at_install")
class TestPortalPostedFiles(ComplaintPortalCommon):
    """Files a customer posts on a case pass the upload checks, whatever the
    route they were uploaded by."""

    def setUp(self):
        super().setUp()
        self._login("portal_test_a")

    @staticmethod
    def _uploaded(response):
        attachment = response.json()["data"]["ir.attachment"][0]
        return attachment["id"], attachment["access_token"]

    def _post_with(self, body, uploads):
        return self._jsonrpc(
            "/mail/message/post",
            {
                "thread_model": "complaint.case",
                "thread_id": self.case_a.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "attachment_ids": [attachment_id for attachment_id, __ in uploads],
                },
                "attachment_tokens": [token for __, token in uploads],
            },
        )

    def _posted(self, body):
        self.env.invalidate_all()
        return self.case_a.message_ids.filtered(lambda m: body in (m.body or ""))

    @mute_logger("odoo.http")
    def test_file_uploaded_on_another_thread_is_refused(self):
        invoice_token = self.invoice_a._portal_ensure_token()
        # the invoice's chatter does not check what a claim's would refuse
        disguised = self._uploaded(
            self._upload_to_chatter(self.invoice_a, "photo.png", PDF_BYTES, token=invoice_token)
        )
        result = self._post_with("Disguised", [disguised])
        self.assertIn("named like a picture", result["error"]["data"]["message"])
        self.assertFalse(self._posted("Disguised"))
        # a file of another document is not the customer's to move here
        on_invoice = self._uploaded(
            self._upload_to_chatter(
                self.invoice_a, "receipt.pdf", PDF_BYTES, token=invoice_token, is_pending="false"
            )
        )
        result = self._post_with("Moved", [on_invoice])
        self.assertEqual(result["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertFalse(self._posted("Moved"))
        attachment = self.env["ir.attachment"].browse(on_invoice[0])
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("account.move", self.invoice_a.id)
        )

    @mute_logger("odoo.http")
    def test_upload_of_someone_else_is_refused(self):
        foreign = self.env["ir.attachment"].create(
            {"name": "plan.pdf", "raw": PDF_BYTES, "res_model": "mail.compose.message", "res_id": 0}
        )
        foreign.generate_access_token()
        result = self._post_with("Not mine", [(foreign.id, foreign.access_token)])
        self.assertIn("error", result)
        self.assertFalse(self._posted("Not mine"))

    def test_own_upload_on_the_case_is_posted(self):
        photo = self._uploaded(self._upload_to_chatter(self.case_a, "photo.png", self._png()))
        result = self._post_with("My photo", [photo])
        self.assertNotIn("error", result)
        message = self._posted("My photo")
        self.assertEqual(message.attachment_ids.ids, [photo[0]])
        self.assertEqual(message.attachment_ids.res_id, self.case_a.id)
