import io
import json

from werkzeug.datastructures import FileStorage

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PDF_BYTES, PNG_1PX, PUBLIC, ComplaintPortalCommon


@tagged("post_install", "-at_install")
class TestPortalAccess(ComplaintPortalCommon):
    """Tokens, logged-in routes, CSRF and the chatter; the doors of one case
    by role are in test_portal_doors_matrix."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_handler = new_test_user(
            cls.env,
            login="portal_test_other_handler",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cls.case_b.user_id = other_handler
        cls.photo = cls._post_customer_photo(cls.case_a, cls.contact_a, "My photo")
        cls.token_a = cls.case_a._portal_ensure_token()
        cls.missing_id = cls.env["complaint.case"].search([], order="id desc", limit=1).id + 1000

    # ------------------------------------------------------------------
    # Case page and PDF
    # ------------------------------------------------------------------

    def test_unknown_case_redirects_everyone(self):
        for login in (PUBLIC, "portal_test_a", "portal_test_handler"):
            with self.subTest(login=login):
                self._login(login)
                self._assert_redirect(self._get(f"/my/complaints/{self.missing_id}"), "/my")

    def test_access_token(self):
        url = f"/my/complaints/{self.case_a.id}"
        for login in (PUBLIC, "portal_test_b"):
            self._login(login)
            with self.subTest(login=login, token="valid"):
                for suffix in ("", "&report_type=pdf"):
                    response = self._get(f"{url}?access_token={self.token_a}{suffix}")
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(self.case_a.name, response.text)
            with self.subTest(login=login, token="wrong"):
                self._assert_redirect(self._get(f"{url}?access_token={self.token_a[:-1]}x"), "/my")
                self._assert_redirect(
                    self._get(f"{url}?access_token={self.token_a}x&report_type=pdf"), "/my"
                )
            with self.subTest(login=login, token="other case"):
                token_b = self.case_b._portal_ensure_token()
                self._assert_redirect(self._get(f"{url}?access_token={token_b}"), "/my")
            with self.subTest(login=login, token="missing"):
                self._assert_redirect(self._get(url), "/my")

    # ------------------------------------------------------------------
    # Lists and forms (logged-in routes)
    # ------------------------------------------------------------------

    def test_user_routes_send_public_visitors_to_login(self):
        self._login(PUBLIC)
        for url in ("/my/complaints", "/my/complaints/page/2", "/my/complaints/new"):
            with self.subTest(url=url):
                self._assert_redirect(self._get(url), "/web/login")
        result = self._jsonrpc(f"/my/complaints/invoice/{self.invoice_a.id}/lines", {})
        self.assertIn("error", result)
        self.assertNotIn("Descaling", json.dumps(result))

    def test_list_by_role(self):
        expected = {
            "portal_test_a": {self.case_a},
            "portal_test_b": {self.case_b},
            "portal_test_handler": {self.case_a},
            "portal_test_employee": set(),
        }
        for login, visible in expected.items():
            with self.subTest(login=login):
                self._login(login)
                response = self._get("/my/complaints")
                self.assertEqual(response.status_code, 200)
                for case in self.case_a | self.case_b:
                    self.assertEqual(case.name in response.text, case in visible)

    def test_filing_form_and_lines_never_show_foreign_invoices(self):
        for login in ("portal_test_b", "portal_test_employee"):
            with self.subTest(login=login):
                self._login(login)
                text = self._get(f"/my/complaints/new?invoice_id={self.invoice_a.id}").text
                self.assertNotIn(f'name="qty_{self.line_plain_a.id}"', text)
                self.assertNotIn(self.invoice_a.name, text)
                result = self._jsonrpc(f"/my/complaints/invoice/{self.invoice_a.id}/lines", {})
                self.assertEqual(result["result"]["html"], "")

    # ------------------------------------------------------------------
    # Completion
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # CSRF
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_forms_refuse_posts_without_csrf_token(self):
        self._request_completion(self.case_a)
        self._login("portal_test_a")
        before = self.env["complaint.case"].search([])
        data = self._claim_data()
        del data["csrf_token"]
        self.assertEqual(self._post_claim(data).status_code, 400)
        data["csrf_token"] = "0123456789abcdefo9999999999"
        self.assertEqual(self._post_claim(data).status_code, 400)
        self.assertFalse(self._new_cases(before))
        response = self.url_open(
            f"/my/complaints/{self.case_a.id}/complete", data={"message": "No token"}
        )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.case_a.state, "waiting")

    def test_rendered_forms_carry_csrf_token(self):
        self._request_completion(self.case_a)
        self._login("portal_test_a")
        for url in ("/my/complaints/new", f"/my/complaints/{self.case_a.id}"):
            with self.subTest(url=url):
                self.assertIn('name="csrf_token"', self._get(url).text)

    # ------------------------------------------------------------------
    # Chatter and attachments
    # ------------------------------------------------------------------

    def _post_message(self, body, **kwargs):
        return self._jsonrpc(
            "/mail/message/post",
            {
                "thread_model": "complaint.case",
                "thread_id": self.case_a.id,
                "post_data": {"body": body, "message_type": "comment"},
                **kwargs,
            },
        )

    def _messages_with(self, text):
        self.env.invalidate_all()
        return self.case_a.message_ids.filtered(lambda m: text in (m.body or ""))

    @mute_logger("odoo.http")
    def test_chatter_post_with_token(self):
        self._login(PUBLIC)
        self.assertIn("error", self._post_message("Wrong token", token=self.token_a + "x"))
        self.assertFalse(self._messages_with("Wrong token"))
        result = self._post_message("Right token", token=self.token_a)
        self.assertNotIn("error", result)
        self.assertEqual(self._messages_with("Right token").author_id, self.contact_a)

    def test_chatter_post_is_sanitised(self):
        self._login("portal_test_a")
        self._post_message('<p>Hi<script>alert("x")</script><img src=x onerror="steal()"></p>')
        message = self._messages_with("Hi")
        self.assertNotIn("<script", message.body)
        self.assertNotIn("onerror", message.body)

    def test_chatter_messages_not_readable_by_foreign_users(self):
        for login in ("portal_test_b", "portal_test_employee"):
            with self.subTest(login=login):
                self._login(login)
                result = self._jsonrpc(
                    "/mail/thread/messages",
                    {"thread_model": "complaint.case", "thread_id": self.case_a.id},
                )
                self.assertNotIn("My photo", json.dumps(result))
        self._login("portal_test_a")
        result = self._jsonrpc(
            "/mail/thread/messages", {"thread_model": "complaint.case", "thread_id": self.case_a.id}
        )
        self.assertIn("My photo", json.dumps(result))

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_attachment")
    def test_attachment_link_of_shared_page(self):
        # whoever holds the link of a case page downloads its files
        # (the other doors of files: test_portal_doors_matrix)
        url = f"/web/content/{self.photo.id}"
        self._login(PUBLIC)
        page = self._get(f"/my/complaints/{self.case_a.id}?access_token={self.token_a}").text
        self.photo.invalidate_recordset()
        link = f"{url}?download=true&amp;access_token={self.photo.access_token}"
        self.assertIn(link, page)
        self.assertEqual(self._get(link.replace("&amp;", "&")).content, PNG_1PX)
        self.assertNotEqual(self._get(f"{url}?access_token=wrong").content, PNG_1PX)

    @mute_logger("odoo.http")
    def test_chatter_upload_refused_to_foreign_users(self):
        for login in (PUBLIC, "portal_test_b", "portal_test_employee"):
            with self.subTest(login=login):
                self._login(login)
                response = self._upload_to_chatter(self.case_a, "photo.png", PNG_1PX)
                self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "complaint.case"), ("res_id", "=", self.case_a.id)]
            ),
            1,
        )


@tagged("post_install", "-at_install")
class TestUploadChecks(TransactionCase):
    """``complaint.case._portal_check_uploads``: the one check of customer files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["complaint.case"]
        cls.photo_type = cls.env.ref("complaint_base.complaint_type_warranty")
        cls.any_type = cls.env.ref("complaint_base.complaint_type_return")

    def test_real_pictures_pass_by_content(self):
        self.assertEqual(self.Case._portal_check_uploads([("a.png", PNG_1PX)], self.photo_type), [])
        # a picture is a picture whatever its name
        self.assertEqual(self.Case._portal_check_uploads([("scan", PNG_1PX)], self.photo_type), [])

    def test_disguised_files_are_refused(self):
        disguised = [
            ("photo.png", PDF_BYTES),
            ("photo.JPG", b"MZ\x90\x00\x03 a windows program"),
            ("photo.gif", b"GIF89a but then nothing of a picture"),
            ("photo.bmp", b"BM plain text that starts like a bitmap"),
            ("photo.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 broken"),
            ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'),
            ("photo.jpeg", PNG_1PX[:20]),
        ]
        for name, content in disguised:
            with self.subTest(name=name):
                errors = self.Case._portal_check_uploads([(name, content)], self.any_type)
                self.assertEqual(len(errors), 1)
                self.assertIn("named like a picture", errors[0])

    def test_kind_of_type(self):
        errors = self.Case._portal_check_uploads([("note.pdf", PDF_BYTES)], self.photo_type)
        self.assertIn("is not a photo", errors[0])
        self.assertEqual(self.Case._portal_check_uploads([("n.pdf", PDF_BYTES)], self.any_type), [])
        # without a type (chatter), only size and disguise matter
        self.assertEqual(self.Case._portal_check_uploads([("n.pdf", PDF_BYTES)]), [])

    def test_size_count_and_empty_files(self):
        self.env["ir.config_parameter"].set_param("complaint_portal.max_upload_mb", "1")
        self.env["ir.config_parameter"].set_param("complaint_portal.max_upload_count", "2")
        big = PNG_1PX + b"\0" * (1024 * 1024)
        self.assertIn("up to 1 MB", self.Case._portal_check_uploads([("b.png", big)])[0])
        errors = self.Case._portal_check_uploads([(f"{i}.png", PNG_1PX) for i in range(3)])
        self.assertEqual(errors, ["You can send at most 2 files at once; you chose 3."])
        self.assertIn("is empty", self.Case._portal_check_uploads([("e.png", b"")])[0])
        # an empty file input sends a nameless, empty part: nothing was chosen
        self.assertEqual(self.Case._portal_check_uploads([("", b"")]), [])
        with self.assertRaises(ValidationError):
            self.env["ir.config_parameter"].set_param("complaint_portal.max_upload_mb", "ten")
        # a bad value stored anyway (by SQL) falls back to the default
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE ir_config_parameter SET value = 'ten' WHERE key = %s",
            ["complaint_portal.max_upload_mb"],
        )
        self.env.registry.clear_cache()
        self.assertEqual(self.Case._portal_upload_limits(), (10, 2))

    def test_uploaded_streams_stay_readable(self):
        upload = FileStorage(stream=io.BytesIO(PNG_1PX), filename="../../etc/photo.png")
        self.assertEqual(self.Case._portal_check_uploads([upload], self.photo_type), [])
        self.assertEqual(self.Case._portal_read_uploads([upload]), [("photo.png", PNG_1PX)])
        self.assertEqual(upload.read(), PNG_1PX)
