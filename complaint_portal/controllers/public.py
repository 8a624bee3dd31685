import json
import logging

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import email_normalize

_logger = logging.getLogger(__name__)

# name of the field that people never see and robots fill in
HONEYPOT_FIELD = "homepage"


class ComplaintPublicController(http.Controller):
    """Claims of customers without a portal account: the public e-form
    ``/complaint/new``, the JSON endpoint for a form on the company's own
    website, and the link that confirms the address of such a claim. The
    claims are parsed, checked and created by ``complaint.intake``."""

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
        user = request.env.user
        if request.httprequest.method != "POST":
            if not user._is_public():
                form = {"name": user.partner_id.name, "email": user.partner_id.email or ""}
            values = self._complaint_public_form_values(company, form)
            return request.render("complaint_portal.complaint_public_new", values)
        form.pop("csrf_token", None)
        # Odoo's proxy mode alone makes this the forwarded address of the visitor
        ip = request.httprequest.remote_addr
        env = request.env
        Attempt = env["complaint.form.attempt"]
        email = email_normalize(form.get("email") or "") or False
        if form.get(HONEYPOT_FIELD):
            # a robot: it "succeeds" and learns nothing, and counts against its address
            _logger.info("Complaint public form: honeypot filled from %s, nothing created", ip)
            Attempt._check_and_record(email, ip)
            return request.redirect("/complaint/thanks")
        Intake = env["complaint.intake"]
        errors = {}
        status = 200
        if Attempt._check_and_record(email, ip):
            errors["general"] = [
                env._(
                    "We have received several claims from you within the last hour. "
                    "Please try again later, or reply to the confirmation e-mail of "
                    "your earlier claim."
                )
            ]
            status = 429
        # read once for all the checks and the case
        files = env["complaint.case"]._portal_read_uploads(
            request.httprequest.files.getlist("attachments")
        )
        if not errors:
            complaint_type = (
                env["complaint.case"]
                ._portal_get_published_types(company)
                .filtered(lambda t: str(t.id) == (form.get("type_id") or "").strip())
            )
            claim, contact, errors = Intake._parse_public_claim(form, complaint_type, files)
        if not errors:
            try:
                with env.cr.savepoint():
                    # sudo: visitors cannot create cases; the intake decides
                    # whose claim it is
                    case = Intake.sudo()._file_public_claim(
                        claim,
                        contact,
                        files,
                        company,
                        confirmed_partner=None if user._is_public() else user.partner_id,
                    )
            except (UserError, ValidationError) as error:
                errors["general"] = [str(error)]
            else:
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
    # Confirming the address of a claim
    # ------------------------------------------------------------------

    @http.route(
        "/complaint/confirm/<int:case_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def complaint_public_confirm(self, case_id, token, **kw):
        """A page with a button (mail scanners follow links, they do not
        press buttons) that confirms the claim."""
        Intake = request.env["complaint.intake"]
        if request.httprequest.method == "POST":
            case = Intake._confirm_claim_email(case_id, token)
            if case:
                return request.redirect(case.get_portal_url())
        else:
            case = Intake._get_case_to_confirm(case_id, token)
        values = {"case": case, "action_url": request.httprequest.path}
        return request.render(
            "complaint_portal.complaint_public_confirm", values, status=200 if case else 404
        )

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
        if status == 429:
            headers.append(("Retry-After", "600"))
        return request.make_json_response(data, headers=headers, status=status)

    def _complaint_api_authenticate(self):
        """(integration, error response) of the call."""
        header = request.httprequest.headers.get("Authorization", "")
        key = header[7:].strip() if header.lower().startswith("bearer ") else ""
        integration, error = request.env["complaint.integration"]._authenticate(
            key, "web_form", request.httprequest.remote_addr
        )
        if error == "too_many_attempts":
            return integration, self._complaint_api_response(
                429, error, ["Too many failed keys from this address; wait a while."]
            )
        if error:
            return integration, self._complaint_api_response(
                401, "unauthorized", ["Missing or invalid integration key."]
            )
        return integration, None

    @staticmethod
    def _complaint_api_max_payload():
        mb = request.env["ir.config_parameter"]._complaint_get_int(
            "complaint_portal.api_max_payload_mb"
        )
        return mb * 1024 * 1024

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

    @http.route(
        "/complaint/api/cases",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def complaint_api_create(self, **kwargs):
        integration, error_response = self._complaint_api_authenticate()
        if error_response:
            return error_response
        company = integration.company_id
        # every call runs with the rights of the key's user, nothing more
        user_env = integration._get_env(request.env)
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
        # The key's website relays its visitors: their address comes in the
        # payload; the key itself has a limit of its own.
        client_ip = payload.get("client_ip")
        if not isinstance(client_ip, str) or not client_ip.strip():
            client_ip = request.httprequest.remote_addr
        raw_email = payload.get("email") if isinstance(payload.get("email"), str) else ""
        if env["complaint.form.attempt"]._check_and_record(
            email_normalize(raw_email) or False,
            client_ip.strip()[:64],
            channel="api",
            integration=integration,
        ):
            return self._complaint_api_response(
                429,
                "rate_limited",
                [env._("Too many claims from this e-mail address within the last hour.")],
            )
        Intake = env["complaint.intake"]
        claim, contact, files, errors = Intake._parse_api_claim(payload, company)
        if lang and lang not in active_langs:
            errors["lang"] = [env._("Unknown language %s.", lang)]
        if errors:
            return self._complaint_api_response(
                400,
                "validation_failed",
                [message for messages in errors.values() for message in messages],
                fields=errors,
            )
        contact["lang"] = env.lang
        try:
            with env.cr.savepoint():
                case = Intake._file_public_claim(claim, contact, files, company)
        except (UserError, ValidationError) as error:
            return self._complaint_api_response(400, "validation_failed", [str(error)])
        except AccessError as error:
            return self._complaint_api_response(403, "forbidden", [str(error)])
        # the number only: the link to the case goes to the customer's address
        return request.make_json_response(
            {"number": case.name, "id": case.id},
            headers=[("Cache-Control", "no-store")],
            status=201,
        )
