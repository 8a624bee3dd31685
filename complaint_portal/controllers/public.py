import base64
import binascii
import json
import logging

from markupsafe import Markup

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import email_normalize, plaintext2html, single_email_re

_logger = logging.getLogger(__name__)

# longest accepted value of each text field of the public form and the API
MAX_LENGTHS = {
    "name": 128,
    "email": 254,
    "phone": 40,
    "company": 128,
    "invoice_ref": 64,
    "subject": 200,
    "description": 20000,
}
# name of the field that people never see and robots fill in
HONEYPOT_FIELD = "homepage"
DEFAULT_API_MAX_PAYLOAD_MB = 25


class ComplaintPublicController(http.Controller):
    """Claims of customers without a portal account: the public e-form
    ``/complaint/new`` and the JSON endpoint for a form on the company's
    own website. Both share the checks of the portal's filing form."""

    # ------------------------------------------------------------------
    # Shared by the form and the API
    # ------------------------------------------------------------------

    def _complaint_public_check_email(self, env, raw_email):
        """(normalized e-mail, error message)."""
        raw_email = (raw_email or "").strip()
        if not raw_email:
            return False, env._("Enter your e-mail address: we send the claim's number there.")
        email = single_email_re.match(raw_email) and email_normalize(raw_email)
        if not email:
            return False, env._(
                "%s is not a valid e-mail address; it should look like name@example.com.",
                raw_email,
            )
        Alias = env["mail.alias"].sudo()
        if Alias.search_count([("alias_full_name", "=", email)], limit=1):
            return False, env._("This address is one of ours; enter your own e-mail address.")
        return email, None

    def _complaint_public_parse(self, env, data, complaint_type, files):
        """(case values, contact values, errors by field) of a claim sent by
        someone without a portal account. ``data`` maps the field names of the
        form (name, email, phone, company, invoice_ref, subject, description)
        to what was entered; errors are lists of messages for each field.

        The contact values (name, email, phone, company) find or create the
        customer in ``_complaint_public_partner`` once nothing is wrong."""
        Case = env["complaint.case"]
        errors = {}
        values = {}
        for field_name, max_length in MAX_LENGTHS.items():
            value = data.get(field_name)
            value = value.strip() if isinstance(value, str) else ""
            if len(value) > max_length:
                errors[field_name] = [
                    env._("Please keep this to %s characters at most.", max_length)
                ]
            values[field_name] = value
        if not values["name"]:
            errors.setdefault("name", []).append(env._("Enter your name."))
        email, error = self._complaint_public_check_email(env, values["email"])
        if error and "email" not in errors:
            errors["email"] = [error]
        phone = False
        if values["phone"] and "phone" not in errors:
            try:
                phone = Case._format_phone_e164(values["phone"])
            except ValidationError as exc:
                errors["phone"] = [exc.args[0]]
        if not complaint_type:
            errors["type"] = [env._("Choose what kind of claim this is.")]
        if not values["subject"]:
            errors.setdefault("subject", []).append(env._("Give your claim a short title."))
        if not values["description"]:
            errors.setdefault("description", []).append(
                env._("Describe the problem: what happened, when, and what you expect from us.")
            )
        upload_errors = Case._portal_check_uploads(files, complaint_type)
        if upload_errors:
            errors["attachments"] = upload_errors
        claim = {
            "type_id": complaint_type.id,
            "subject": values["subject"],
            "description": self._complaint_public_description(
                env, values["description"], values["company"], values["invoice_ref"]
            ),
            "partner_email": email,
            "partner_phone": phone,
            "channel": "web_form",
        }
        if complaint_type and not upload_errors:
            # Staff link the invoice and its items from the reference given:
            # a type that requires an invoice requires that reference here.
            missing = Case._portal_get_missing_requirements(
                dict(
                    claim,
                    partner_id=True,
                    invoice_id=values["invoice_ref"],
                    line_ids=True,
                    reason_id=True,
                ),
                len(Case._portal_read_uploads(files)),
            )
            if missing:
                errors["requirements"] = [
                    env._(
                        "A %(type)s also needs: %(missing)s.",
                        type=complaint_type.name,
                        missing=", ".join(missing),
                    )
                ]
        contact = {
            "name": values["name"],
            "email": email,
            "phone": phone,
            "company": values["company"],
        }
        return claim, contact, errors

    @staticmethod
    def _complaint_public_description(env, text, company_name, invoice_ref):
        """The customer's text as HTML (escaped, line breaks kept), after the
        references they gave and the case has no field for."""
        references = [
            Markup("<strong>%s</strong> %s") % (label, value)
            for label, value in (
                (env._("Company:"), company_name),
                (env._("Invoice or order reference:"), invoice_ref),
            )
            if value
        ]
        body = plaintext2html(text) if text else Markup()
        if references:
            body = Markup("<p>%s</p>") % Markup("<br/>").join(references) + body
        return body or False

    def _complaint_public_partner(self, env, contact, company):
        """The contact with this e-mail address (one with a user account
        first, so that the claim shows in their portal), else a new one.
        Existing contacts are never changed by what a visitor typed."""
        Partner = env["res.partner"].sudo()
        partners = Partner.search(
            [
                ("email_normalized", "=", contact["email"]),
                ("company_id", "in", [False, company.id]),
            ],
            order="id",
        )
        partner = partners.filtered("user_ids")[:1] or partners[:1]
        if partner:
            return partner
        return Partner.create(
            {
                "name": contact["name"],
                "email": contact["email"],
                "phone": contact["phone"] or False,
                "company_name": contact["company"] or False,
                "lang": contact.get("lang") or env.lang or False,
            }
        )

    def _complaint_public_create(self, env, claim, contact, files, company):
        """Find or create the customer and file the claim through the portal's
        ``_portal_create_claim`` (routing and acknowledgement included)."""
        env = env(su=True, context=dict(env.context, allowed_company_ids=[company.id]))
        partner = self._complaint_public_partner(env, contact, company)
        values = dict(claim, partner_id=partner.id, company_id=company.id)
        return env["complaint.case"].with_company(company)._portal_create_claim(values, files)

    # ------------------------------------------------------------------
    # Public e-form
    # ------------------------------------------------------------------

    def _complaint_public_form_values(self, company, form=None, errors=None):
        Case = request.env["complaint.case"]
        return {
            "complaint_types": Case._portal_get_published_types(company),
            "form": form or {},
            "errors": errors or {},
            "upload_hint": Case._portal_upload_hint(),
            "honeypot_field": HONEYPOT_FIELD,
            "is_public": request.env.user._is_public(),
        }

    @http.route(
        "/complaint/new",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def complaint_public_new(self, **form):
        company = request.env.company
        if request.httprequest.method != "POST":
            user = request.env.user
            if not user._is_public():
                form = {"name": user.partner_id.name, "email": user.partner_id.email or ""}
            values = self._complaint_public_form_values(company, form)
            return request.render("complaint_portal.complaint_public_new", values)
        form.pop("csrf_token", None)
        ip = request.httprequest.remote_addr
        Attempt = request.env["complaint.form.attempt"]
        if form.get(HONEYPOT_FIELD):
            # a robot: it "succeeds" and learns nothing, and counts against its address
            _logger.info("Complaint public form: honeypot filled from %s, nothing created", ip)
            Attempt._record_attempt(email_normalize(form.get("email") or ""), ip)
            return request.redirect("/complaint/thanks")
        env = request.env
        # read once for all the checks and the case
        files = env["complaint.case"]._portal_read_uploads(
            request.httprequest.files.getlist("attachments")
        )
        complaint_type = (
            env["complaint.case"]
            ._portal_get_published_types(company)
            .filtered(lambda t: str(t.id) == (form.get("type_id") or "").strip())
        )
        claim, contact, errors = self._complaint_public_parse(env, form, complaint_type, files)
        status = 200
        if not errors and Attempt._is_rate_limited(contact["email"], ip):
            errors["general"] = [
                env._(
                    "We have received several claims from you within the last hour. "
                    "Please try again later, or reply to the confirmation e-mail of "
                    "your earlier claim."
                )
            ]
            status = 429
        if not errors:
            try:
                with env.cr.savepoint():
                    case = self._complaint_public_create(env, claim, contact, files, company)
            except (UserError, ValidationError) as error:
                errors["general"] = [str(error)]
            else:
                Attempt._record_attempt(contact["email"], ip)
                request.session["complaint_public_number"] = case.name
                return request.redirect("/complaint/thanks")
        env["complaint.case"]._portal_ask_to_choose_files_again(files, errors)
        values = self._complaint_public_form_values(company, form, errors)
        return request.render("complaint_portal.complaint_public_new", values, status=status)

    @http.route(
        "/complaint/thanks",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def complaint_public_thanks(self, **kw):
        # only the number: the link to the case goes to the e-mail address given,
        # which proves that whoever follows it owns that address
        values = {"case_number": request.session.get("complaint_public_number")}
        return request.render("complaint_portal.complaint_public_thanks", values)

    # ------------------------------------------------------------------
    # JSON endpoint for the company's website
    # ------------------------------------------------------------------

    @staticmethod
    def _complaint_api_response(status, error=None, messages=None, **data):
        if error:
            data = {"error": error, "messages": messages or [], **data}
        headers = [("Cache-Control", "no-store")]
        if status == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="complaint"'))
        return request.make_json_response(data, headers=headers, status=status)

    def _complaint_api_authenticate(self):
        header = request.httprequest.headers.get("Authorization", "")
        key = header[7:].strip() if header.lower().startswith("bearer ") else ""
        integration = request.env["complaint.integration"]._authenticate(key, "web_form")
        if not integration:
            _logger.warning(
                "Complaint website API: rejected call from %s (bad or missing key)",
                request.httprequest.remote_addr,
            )
        return integration

    @staticmethod
    def _complaint_api_max_payload():
        value = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("complaint_portal.api_max_payload_mb", DEFAULT_API_MAX_PAYLOAD_MB)
        )
        try:
            return max(int(value), 1) * 1024 * 1024
        except ValueError:
            return DEFAULT_API_MAX_PAYLOAD_MB * 1024 * 1024

    def _complaint_api_read_payload(self):
        """(payload dict, error response)."""
        env = request.env
        limit = self._complaint_api_max_payload()
        length = request.httprequest.content_length
        if length is not None and length > limit:
            return None, self._complaint_api_response(
                413,
                "payload_too_large",
                [
                    env._(
                        "The request is %(size)s MB; requests may be up to %(max)s MB.",
                        size=round(length / 1024 / 1024, 1),
                        max=limit // 1024 // 1024,
                    )
                ],
            )
        try:
            payload = json.loads(request.httprequest.get_data(cache=False) or b"null")
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return None, self._complaint_api_response(
                400, "invalid_json", [env._("The body must be a JSON object.")]
            )
        return payload, None

    def _complaint_api_files(self, env, attachments):
        """((file name, content) pairs, error messages) of the ``attachments``
        of a payload: a list of ``{"filename", "content_base64"}`` objects."""
        if attachments in (None, False):
            return [], []
        if not isinstance(attachments, list):
            return [], [env._("attachments: expected a list of {filename, content_base64}.")]
        files = []
        errors = []
        for index, item in enumerate(attachments, start=1):
            if not isinstance(item, dict):
                errors.append(env._("attachments[%s]: expected {filename, content_base64}.", index))
                continue
            filename = item.get("filename")
            content = item.get("content_base64")
            if not isinstance(filename, str) or not filename.strip():
                errors.append(env._("attachments[%s]: the filename is missing.", index))
                continue
            try:
                data = base64.b64decode(content, validate=True) if content else b""
            except (TypeError, ValueError, binascii.Error):
                errors.append(
                    env._(
                        "attachments[%(index)s] (%(file)s): content_base64 is not Base64.",
                        index=index,
                        file=filename,
                    )
                )
                continue
            files.append((filename.strip(), data))
        return files, errors

    @http.route(
        "/complaint/api/cases",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def complaint_api_create(self, **kwargs):
        integration = self._complaint_api_authenticate()
        if not integration:
            return self._complaint_api_response(
                401, "unauthorized", ["Missing or invalid integration key."]
            )
        company = integration.company_id
        user_env = request.env(
            user=integration.user_id.id,
            context=dict(request.env.context, allowed_company_ids=[company.id]),
        )
        if not user_env["complaint.case"].has_access("create"):
            return self._complaint_api_response(
                403,
                "forbidden",
                [f"The user of this key ({integration.user_id.login}) may not create cases."],
            )
        payload, error_response = self._complaint_api_read_payload()
        if error_response:
            return error_response
        # messages in the language of the visitor when the website passes it on
        lang = payload.get("lang")
        active_langs = [code for code, _name in request.env["res.lang"].get_installed()]
        env = (
            user_env(context=dict(user_env.context, lang=lang))
            if lang in active_langs
            else user_env
        )
        files, file_errors = self._complaint_api_files(env, payload.get("attachments"))
        type_code = payload.get("type")
        complaint_type = (
            env["complaint.case"]
            ._portal_get_published_types(company)
            .filtered(lambda t: t.code == type_code)[:1]
        )
        data = {key: payload.get(key) for key in MAX_LENGTHS}
        claim, contact, errors = self._complaint_public_parse(env, data, complaint_type, files)
        if type_code and not complaint_type:
            errors["type"] = [
                env._(
                    "Unknown type %(code)s; use one of: %(codes)s.",
                    code=type_code,
                    codes=", ".join(
                        env["complaint.case"]._portal_get_published_types(company).mapped("code")
                    ),
                )
            ]
        if file_errors:
            errors.setdefault("attachments", []).extend(file_errors)
        if lang and lang not in active_langs:
            errors["lang"] = [env._("Unknown language %s.", lang)]
        if errors:
            return self._complaint_api_response(
                400,
                "validation_failed",
                [message for messages in errors.values() for message in messages],
                fields=errors,
            )
        # behind the website's server, the visitor's address comes in the payload
        client_ip = payload.get("client_ip") if isinstance(payload.get("client_ip"), str) else None
        Attempt = env["complaint.form.attempt"]
        if Attempt._is_rate_limited(contact["email"], client_ip):
            return self._complaint_api_response(
                429,
                "rate_limited",
                [env._("Too many claims from this e-mail address within the last hour.")],
            )
        contact["lang"] = env.lang
        try:
            with env.cr.savepoint():
                case = self._complaint_public_create(env, claim, contact, files, company)
        except (UserError, ValidationError) as error:
            return self._complaint_api_response(400, "validation_failed", [str(error)])
        except AccessError as error:
            return self._complaint_api_response(403, "forbidden", [str(error)])
        Attempt._record_attempt(contact["email"], client_ip, channel="api")
        url = case.get_base_url() + case.get_portal_url()
        return request.make_json_response(
            {"number": case.name, "id": case.id, "url": url},
            headers=[("Location", url), ("Cache-Control", "no-store")],
            status=201,
        )
