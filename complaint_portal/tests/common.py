import io
import json
import re

from PIL import Image

from odoo import Command, http
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.complaint_base.tests.common import create_test_products

# the smallest honest picture: a 1x1 PNG
PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
    b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00"
    b"\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
# the login of the anonymous visitor in the helpers below
PUBLIC = None


class ComplaintPortalCommon(AccountTestInvoicingHttpCommon):
    """Two customers with portal users and posted invoices, a handler, an
    employee without complaint rights, and one case per customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        # the accounting test user sets the scene as a complaint manager
        cls.env.user.groups_id += cls.env.ref("complaint_base.group_complaint_manager")
        cls.type_complaint = cls.env.ref("complaint_base.complaint_type_complaint")
        cls.type_warranty = cls.env.ref("complaint_base.complaint_type_warranty")
        cls.type_return = cls.env.ref("complaint_base.complaint_type_return")
        cls.stage_analysis = cls.env.ref("complaint_workflow.complaint_stage_analysis")
        cls.handler = new_test_user(
            cls.env,
            login="portal_test_handler",
            name="Hanna Handler",
            email="hanna.handler@example.com",
            groups="base.group_user,complaint_base.group_complaint_user",
        )
        cls.employee = new_test_user(
            cls.env,
            login="portal_test_employee",
            name="Erik Employee",
            email="erik.employee@example.com",
            groups="base.group_user",
        )
        cls.customer_a, cls.customer_b = cls.env["res.partner"].create(
            [
                {"name": "Kowalski Sp. z o.o.", "is_company": True, "email": "a@kowalski.example"},
                {"name": "Virtanen Oy", "is_company": True, "email": "b@virtanen.example"},
            ]
        )
        cls.contact_a, cls.contact_b = cls.env["res.partner"].create(
            [
                {
                    "name": "Jan Kowalski",
                    "parent_id": cls.customer_a.id,
                    "email": "jan@kowalski.example",
                },
                {
                    "name": "Aino Virtanen",
                    "parent_id": cls.customer_b.id,
                    "email": "aino@virtanen.example",
                },
            ]
        )
        cls.portal_a = new_test_user(
            cls.env,
            login="portal_test_a",
            groups="base.group_portal",
            partner_id=cls.contact_a.id,
            name=cls.contact_a.name,
            email=cls.contact_a.email,
        )
        cls.portal_b = new_test_user(
            cls.env,
            login="portal_test_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
            name=cls.contact_b.name,
            email=cls.contact_b.email,
        )
        cls.product_serial, cls.product_plain, cls.lot_1, cls.lot_2 = create_test_products(cls.env)
        cls.invoice_a = cls._create_invoice(cls.customer_a)
        cls.invoice_b = cls._create_invoice(cls.customer_b)
        cls.line_serial_a, cls.line_plain_a = cls._invoice_lines(cls.invoice_a)
        cls.line_serial_b, cls.line_plain_b = cls._invoice_lines(cls.invoice_b)
        cls.case_a = cls._create_case(cls.contact_a, cls.invoice_a, cls.line_plain_a)
        cls.case_b = cls._create_case(cls.contact_b, cls.invoice_b, cls.line_plain_b)

    @classmethod
    def _create_invoice(cls, partner):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-01-15",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": cls.product_serial.id, "quantity": 2, "price_unit": 300}
                    ),
                    Command.create(
                        {"product_id": cls.product_plain.id, "quantity": 5, "price_unit": 10}
                    ),
                ],
            }
        )
        invoice.action_post()
        return invoice

    @classmethod
    def _invoice_lines(cls, invoice):
        lines = invoice.invoice_line_ids
        return (
            lines.filtered(lambda line: line.product_id == cls.product_serial),
            lines.filtered(lambda line: line.product_id == cls.product_plain),
        )

    @classmethod
    def _create_case(cls, contact, invoice, invoice_line, **values):
        vals = {
            "subject": f"Tablets do not dissolve ({contact.name})",
            "partner_id": contact.id,
            "invoice_id": invoice.id,
            "type_id": cls.type_complaint.id,
            "user_id": cls.handler.id,
            "line_ids": [Command.create({"invoice_line_id": invoice_line.id, "quantity": 1})],
        }
        vals.update(values)
        return cls.env["complaint.case"].create(vals)

    # ------------------------------------------------------------------
    # HTTP helpers
    # ------------------------------------------------------------------

    @classmethod
    def _post_customer_photo(cls, case, contact, body):
        """A photo in a customer's message on ``case``, as the portal page lists it."""
        photo = cls.env["ir.attachment"].create(
            {"name": "photo.png", "raw": PNG_1PX, "res_model": "complaint.case", "res_id": case.id}
        )
        case.message_post(
            body=body,
            author_id=contact.id,
            attachment_ids=photo.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return photo

    def _login(self, login):
        """Log in as ``login`` (test users' passwords are their logins), or
        browse anonymously for ``PUBLIC``."""
        if login is PUBLIC:
            self.authenticate(None, None)
        else:
            self.authenticate(login, login)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _assert_redirect(self, response, target):
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertIn(target, response.headers["Location"])

    def _jsonrpc(self, route, params):
        """JSON-RPC call returning the decoded body, errors included."""
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 0, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        if response.status_code != 200:
            return {"error": {"http_status": response.status_code}}
        return response.json()

    def _call_kw(self, model, method, args, **kwargs):
        """``model.method(*args, **kwargs)`` as the web client calls it."""
        return self._jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def _csrf_token(self):
        """The CSRF token of the current test session, as a rendered form has it."""
        return http.Request.csrf_token(self)

    def _claim_data(self, invoice=None, **values):
        invoice = invoice or self.invoice_a
        data = {
            "csrf_token": self._csrf_token(),
            "invoice_id": invoice.id,
            "type_id": self.type_complaint.id,
            "subject": "Tablets leave a white powder",
            "description": "Since the first use, see the photo.",
            f"qty_{self._invoice_lines(invoice)[1].id}": "2",
        }
        data.update(values)
        return data

    def _post_claim(self, data, files=None, allow_redirects=False):
        return self.url_open(
            "/my/complaints/new",
            data=data,
            files=files or [],
            allow_redirects=allow_redirects,
        )

    def _upload_to_chatter(self, thread, name, content, **params):
        """Upload a file to the chatter composer of ``thread`` (a case by
        default) as Odoo's portal chatter does: pending until posted."""
        return self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": self._csrf_token(),
                "thread_id": thread.id,
                "thread_model": thread._name,
                "is_pending": "true",
                **params,
            },
            files={"ufile": (name, content)},
        )

    @staticmethod
    def _png(size=(2, 2)):
        stream = io.BytesIO()
        Image.new("RGB", size, (200, 30, 30)).save(stream, format="PNG")
        return stream.getvalue()

    @staticmethod
    def _files(*named_contents):
        return [("attachments", (name, content)) for name, content in named_contents]

    def _new_cases(self, before):
        self.env.invalidate_all()
        return self.env["complaint.case"].search([("id", "not in", before.ids)])

    @staticmethod
    def _case_id_from_location(response):
        match = re.search(r"/my/complaints/(\d+)", response.headers.get("Location", ""))
        return match and int(match.group(1))

    def _request_completion(self, case, text="<p>Please send a photo of the serial plate.</p>"):
        case.with_user(self.handler).action_confirm()
        wizard = (
            self.env["complaint.case.request.completion"]
            .with_user(self.handler)
            .create({"case_id": case.id, "missing_info": text})
        )
        wizard.action_confirm()
        self.assertEqual(case.state, "waiting")
