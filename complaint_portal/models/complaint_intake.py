import base64
import binascii
import math

from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import consteq, plaintext2html
from odoo.tools.misc import hmac

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
CONFIRM_TOKEN_SCOPE = "complaint_portal-email-confirm"


class ComplaintIntake(models.AbstractModel):
    """Claims filed online: the portal's filing form, the public e-form and
    the website API parse, check and create claims here, once."""

    _inherit = "complaint.intake"

    # ------------------------------------------------------------------
    # Portal: a logged-in customer files from one of their invoices
    # ------------------------------------------------------------------

    @api.model
    def _parse_quantity(self, value):
        """The number a customer typed (a decimal comma is fine), 0.0 when
        empty, None when it is not a finite number."""
        if value in (None, ""):
            return 0.0
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            return None
        return number if math.isfinite(number) else None

    @api.model
    def _parse_portal_claim(self, partner, invoice_sudo, form, files):
        """(case values, errors by form field, errors by invoice line id) of
        the portal's filing form sent by ``partner`` about ``invoice_sudo``
        (already checked to be theirs). ``form`` holds type_id, subject,
        description, reason_id, and qty_<line id> / serial_<line id> per
        invoice line; errors are lists of messages shown next to the fields."""
        Case = self.env["complaint.case"]
        errors = {}
        line_errors = {}
        if not invoice_sudo:
            errors["invoice_id"] = [self.env._("Choose one of your invoices.")]
        company = invoice_sudo.company_id or self.env.company
        type_id = str(form.get("type_id") or "").strip()
        complaint_type = Case._portal_get_published_types(company).filtered(
            lambda t: str(t.id) == type_id
        )
        if not complaint_type:
            errors["type_id"] = [self.env._("Choose what kind of claim this is.")]
        subject = (form.get("subject") or "").strip()
        if not subject:
            errors["subject"] = [self.env._("Give your claim a short title.")]
        description = (form.get("description") or "").strip()
        reason = self.env["complaint.reason"]
        if form.get("reason_id"):
            reason_id = str(form["reason_id"]).strip()
            reason = (
                reason.sudo()
                .browse(int(reason_id) if reason_id.isdigit() else [])
                .exists()
                .filtered(lambda r: not r.type_ids or complaint_type in r.type_ids)
            )
            if not reason:
                errors["reason_id"] = [self.env._("Choose one of the reasons offered.")]
        line_vals = []
        if invoice_sudo:
            requested = {}
            for line in invoice_sudo.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            ):
                quantity = self._parse_quantity(form.get(f"qty_{line.id}", ""))
                if quantity is None:
                    line_errors[line.id] = self.env._(
                        "%s: enter the quantity as a number.", line.product_id.display_name
                    )
                    continue
                requested[line.id] = {
                    "quantity": quantity,
                    "serials": form.get(f"serial_{line.id}", ""),
                }
            line_vals, more_errors = Case._portal_prepare_lines(invoice_sudo, requested)
            line_errors.update(more_errors)
            if line_errors:
                errors["lines"] = list(line_errors.values())
            elif not line_vals:
                errors["lines"] = [self.env._("Enter the quantity of at least one item you claim.")]
        claim = {
            "partner_id": partner.id,
            "invoice_id": invoice_sudo.id,
            "company_id": company.id,
            "type_id": complaint_type.id,
            "subject": subject,
            "description": plaintext2html(description) if description else False,
            "reason_id": reason.id,
            "line_ids": line_vals,
            "channel": "portal",
        }
        self._check_claim_files(claim, complaint_type, files, errors)
        return claim, errors, line_errors

    @api.model
    def _check_claim_files(self, claim, complaint_type, files, errors):
        """Add to ``errors`` what is wrong with the ``files`` of a claim and
        what its type still requires."""
        Case = self.env["complaint.case"]
        upload_errors = Case._portal_check_uploads(files, complaint_type)
        if upload_errors:
            errors.setdefault("attachments", []).extend(upload_errors)
        if not complaint_type or upload_errors:
            return
        missing = Case._portal_get_missing_requirements(
            claim, len(Case._portal_read_uploads(files))
        )
        if missing:
            errors["requirements"] = [
                self.env._(
                    "A %(type)s also needs: %(missing)s.",
                    type=complaint_type.name,
                    missing=", ".join(missing),
                )
            ]

    # ------------------------------------------------------------------
    # Public form and website API: claims of people without an account
    # ------------------------------------------------------------------

    @api.model
    def _parse_public_claim(self, data, complaint_type, files):
        """(case values, contact values, errors by field) of a claim sent by
        someone without a portal account. ``data`` maps the field names of the
        form (name, email, phone, company, invoice_ref, subject, description)
        to what was entered; errors are lists of messages for each field."""
        errors = {}
        values = {}
        for field_name, max_length in MAX_LENGTHS.items():
            value = data.get(field_name)
            value = value.strip() if isinstance(value, str) else ""
            if len(value) > max_length:
                errors[field_name] = [
                    self.env._("Please keep this to %s characters at most.", max_length)
                ]
            values[field_name] = value
        if not values["name"]:
            errors.setdefault("name", []).append(self.env._("Enter your name."))
        email, error = self._check_email(values["email"])
        if error and "email" not in errors:
            errors["email"] = [error]
        phone = False
        if values["phone"] and "phone" not in errors:
            try:
                phone = self.env["complaint.case"]._format_phone_e164(values["phone"])
            except ValidationError as exc:
                errors["phone"] = [exc.args[0]]
        if not complaint_type:
            errors["type"] = [self.env._("Choose what kind of claim this is.")]
        if not values["subject"]:
            errors.setdefault("subject", []).append(self.env._("Give your claim a short title."))
        if not values["description"]:
            errors.setdefault("description", []).append(
                self.env._(
                    "Describe the problem: what happened, when, and what you expect from us."
                )
            )
        claim = {
            "type_id": complaint_type.id,
            "subject": values["subject"],
            "description": self._public_description(
                values["description"], values["company"], values["invoice_ref"]
            ),
            "partner_email": email,
            "partner_phone": phone,
            "channel": "web_form",
        }
        # Staff link the invoice and its items from the reference given: a
        # type that requires an invoice requires that reference here.
        self._check_claim_files(
            dict(
                claim,
                partner_id=True,
                invoice_id=values["invoice_ref"],
                line_ids=True,
                reason_id=True,
            ),
            complaint_type,
            files,
            errors,
        )
        contact = {
            "name": values["name"],
            "email": email,
            "phone": phone,
            "company": values["company"],
        }
        return claim, contact, errors

    @api.model
    def _parse_api_attachments(self, attachments):
        """((file name, content) pairs, error messages) of the ``attachments``
        of a website API call: a list of ``{"filename", "content_base64"}``."""
        if attachments in (None, False):
            return [], []
        if not isinstance(attachments, list):
            return [], [self.env._("attachments: expected a list of {filename, content_base64}.")]
        files = []
        errors = []
        for index, item in enumerate(attachments, start=1):
            if not isinstance(item, dict):
                errors.append(
                    self.env._("attachments[%s]: expected {filename, content_base64}.", index)
                )
                continue
            filename = item.get("filename")
            content = item.get("content_base64")
            if not isinstance(filename, str) or not filename.strip():
                errors.append(self.env._("attachments[%s]: the filename is missing.", index))
                continue
            try:
                data = base64.b64decode(content, validate=True) if content else b""
            except (TypeError, ValueError, binascii.Error):
                errors.append(
                    self.env._(
                        "attachments[%(index)s] (%(file)s): content_base64 is not Base64.",
                        index=index,
                        file=filename,
                    )
                )
                continue
            files.append((filename.strip(), data))
        return files, errors

    @api.model
    def _parse_api_claim(self, payload, company):
        """(case values, contact values, files, errors by field) of a claim
        sent to the website API for ``company``: the fields of the public
        form, ``type`` as the code of a published type, and attachments."""
        files, file_errors = self._parse_api_attachments(payload.get("attachments"))
        type_code = payload.get("type")
        published = self.env["complaint.case"]._portal_get_published_types(company)
        complaint_type = published.filtered(lambda t: t.code == type_code)[:1]
        data = {key: payload.get(key) for key in MAX_LENGTHS}
        claim, contact, errors = self._parse_public_claim(data, complaint_type, files)
        if type_code and not complaint_type:
            errors["type"] = [
                self.env._(
                    "Unknown type %(code)s; use one of: %(codes)s.",
                    code=type_code,
                    codes=", ".join(published.mapped("code")),
                )
            ]
        if file_errors:
            errors.setdefault("attachments", []).extend(file_errors)
        return claim, contact, files, errors

    @api.model
    def _public_description(self, text, company_name, invoice_ref):
        """The customer's text as HTML (escaped, line breaks kept), after the
        references they gave and the case has no field for."""
        references = [
            Markup("<strong>%s</strong> %s") % (label, value)
            for label, value in (
                (self.env._("Company:"), company_name),
                (self.env._("Invoice or order reference:"), invoice_ref),
            )
            if value
        ]
        body = plaintext2html(text) if text else Markup()
        if references:
            body = Markup("<p>%s</p>") % Markup("<br/>").join(references) + body
        return body or False

    @api.model
    def _file_public_claim(self, claim, contact, files, company, confirmed_partner=None):
        """Create the claim of someone without a portal account, in ``company``,
        with the rights of the current user (the website API's key user; the
        public form calls it with sudo). A claim with the address of an
        existing contact is kept apart from that contact until confirmed by the
        link mailed to the address (``_confirm_claim_email``)."""
        partner, unconfirmed = self._get_claimant(contact, company, confirmed_partner)
        values = dict(
            claim,
            partner_id=partner.id,
            company_id=company.id,
            email_unconfirmed=unconfirmed,
        )
        Case = self.env["complaint.case"].with_company(company)
        case = Case._portal_create_claim(values, files)
        if unconfirmed:
            self._send_claim_confirmation(case)
        return case

    @api.model
    def _claim_confirm_token(self, case):
        """Token of the link that confirms the address of an unconfirmed case."""
        return hmac(self.env(su=True), CONFIRM_TOKEN_SCOPE, (case.id, case.partner_email or ""))

    @api.model
    def _send_claim_confirmation(self, case):
        """Mail the address of an unconfirmed case the link that confirms it."""
        case = case.sudo()
        token = self._claim_confirm_token(case)
        url = f"{case.get_base_url()}/complaint/confirm/{case.id}/{token}"
        partner = case.partner_id
        env = self.with_context(lang=partner.lang or self.env.lang).env
        body = Markup("<p>%s</p><p>%s</p><p><a href='%s'>%s</a></p><p>%s</p>") % (
            env._("We have received claim %s sent with this e-mail address.", case.name),
            env._(
                "A customer account already uses this address. To follow the claim in that "
                "account, confirm that you sent it:"
            ),
            url,
            env._("Confirm my claim"),
            env._("If you did not send this claim, ignore this e-mail."),
        )
        case.with_context(mail_notify_force_send=False).message_notify(
            partner_ids=partner.ids,
            subject=env._("Confirm your claim %s", case.name),
            body=body,
            email_layout_xmlid="mail.mail_notification_light",
        )

    @api.model
    def _get_case_to_confirm(self, case_id, token):
        """The unconfirmed case ``case_id`` (sudo) when ``token`` is its
        confirmation token, else an empty recordset."""
        case = self.env["complaint.case"].sudo().browse(case_id).exists()
        if not case or not case.email_unconfirmed or not token:
            return case.browse()
        if not consteq(str(token), self._claim_confirm_token(case)):
            return case.browse()
        return case

    @api.model
    def _confirm_claim_email(self, case_id, token):
        """Confirm the address of case ``case_id`` by the ``token`` mailed
        there: the case joins the account of that address. Returns the case
        (sudo), or an empty recordset for a wrong token."""
        case = self._get_case_to_confirm(case_id, token)
        if case:
            self._link_confirmed_claimant(case)
        return case
