import io
import os
import re

from PIL import Image

from odoo import SUPERUSER_ID, Command, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import (
    email_normalize,
    float_compare,
    float_is_zero,
    is_html_empty,
    plaintext2html,
)
from odoo.tools.mimetypes import guess_mimetype

DEFAULT_MAX_UPLOAD_MB = 10
DEFAULT_MAX_UPLOAD_COUNT = 10
# What a customer's photo may be: decoded by Pillow and shown by every browser.
# SVG is left out on purpose: it is a document that can carry scripts.
PHOTO_MIMETYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
# File names that promise a picture; their content must keep that promise.
IMAGE_EXTENSIONS = (
    ".jpg",
    ".jpeg",
    ".jpe",
    ".jfif",
    ".png",
    ".gif",
    ".webp",
    ".bmp",
    ".tif",
    ".tiff",
    ".heic",
    ".heif",
    ".svg",
)
# Case fields a customer fills in online; other fields a type requires are for staff.
PORTAL_FIELDS = ("subject", "description", "invoice_id", "reason_id", "partner_id", "line_ids")
SERIAL_SEPARATORS = re.compile(r"[,;\s]+")


class ComplaintCase(models.Model):
    _name = "complaint.case"
    _inherit = ["complaint.case", "portal.mixin"]
    # customers post in the chatter of the cases they can read
    _mail_post_access = "read"

    def _compute_access_url(self):
        super()._compute_access_url()
        for case in self:
            case.access_url = f"/my/complaints/{case.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Claim %s", self.name)

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # cases of types not shown to customers (pre-sale, supplier,
        # internal) stay with staff, whatever link or token a customer holds
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        if thread and self.env.user.share and not thread.sudo().type_id.portal_visible:
            return self.browse()
        return thread

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if self and not self.sudo().type_id.portal_visible:
            # no button to a page that customers cannot open
            for group_name, _matches, group_data in groups:
                if group_name in ("portal_customer", "portal"):
                    group_data["has_button_access"] = False
        return groups

    def _process_attachments_for_post(self, attachments, attachment_ids, message_values):
        if attachment_ids and self and self.env.user.share:
            self._portal_check_posted_attachments(attachment_ids)
        return super()._process_attachments_for_post(attachments, attachment_ids, message_values)

    # ------------------------------------------------------------------
    # What the portal shows
    # ------------------------------------------------------------------

    def _portal_can_complete(self):
        """Whether the customer is asked to complete this case now."""
        self.ensure_one()
        return self.state == "waiting" and not is_html_empty(self.completion_request)

    def _portal_get_status(self):
        """(who acts next, label) of the case as its customer reads it: the
        customer (``customer``), the company (``company``) or nobody (``none``)."""
        self.ensure_one()
        if self._portal_can_complete():
            return "customer", self.env._("Waiting for you")
        if self.state in ("new", "in_progress", "waiting"):
            return "company", self.env._("We are working on it")
        if self.state == "decided":
            return "none", self.env._("Decided: see our answer")
        if self.state == "closed":
            return "none", self.env._("Closed")
        return "none", self.env._("Cancelled")

    def _portal_get_stage_history(self):
        """Stages the case went through, oldest first, as the customer sees them."""
        self.ensure_one()
        return self.sudo().stage_log_ids.sorted(lambda log: (log.date_start, log.id))

    def _portal_get_attachments(self):
        """Files of the messages the customer can read (never those of internal
        notes), with access tokens so that shared links can download them."""
        self.ensure_one()
        messages = (
            self.sudo()
            .website_message_ids.filtered(
                lambda message: not message.is_internal and not message.subtype_id.internal
            )
            .sorted("id")
        )
        attachments = messages.attachment_ids
        attachments.filtered(lambda attachment: not attachment.access_token).generate_access_token()
        return attachments

    # ------------------------------------------------------------------
    # Filing a claim online (portal and public form)
    # ------------------------------------------------------------------

    @api.model
    def _portal_upload_limits(self):
        """(maximum size of a file in MB, maximum number of files at once)."""
        get_int = self.env["ir.config_parameter"]._complaint_get_int
        return get_int("complaint_portal.max_upload_mb"), get_int(
            "complaint_portal.max_upload_count"
        )

    @api.model
    def _portal_upload_hint(self, complaint_type=None):
        """What the file inputs of the customer forms accept, in one sentence."""
        max_mb, max_count = self._portal_upload_limits()
        if complaint_type and complaint_type.portal_attachment_kind == "image":
            return self.env._(
                "Up to %(count)s photos (JPEG, PNG, GIF or WebP) of at most %(size)s MB each.",
                count=max_count,
                size=max_mb,
            )
        return self.env._(
            "Up to %(count)s files of at most %(size)s MB each.", count=max_count, size=max_mb
        )

    @api.model
    def _portal_read_uploads(self, files):
        """(file name, content) of each uploaded file that is really there.

        ``files`` holds werkzeug ``FileStorage`` objects (``request.httprequest.
        files.getlist(...)``) or ``(name, bytes)`` pairs. The streams are rewound
        so that callers can read them again."""
        uploads = []
        for upload in files or []:
            if isinstance(upload, tuple | list):
                name, data = upload
            else:
                name, data = upload.filename, upload.read()
                upload.seek(0)
            if name or data:
                # an empty file input still sends a nameless, empty part
                uploads.append((os.path.basename(name or ""), data or b""))
        return uploads

    @api.model
    def _portal_ask_to_choose_files_again(self, files, errors):
        """Add to the ``errors`` of a form that comes back to the customer the
        request to choose its files again: browsers never keep them."""
        uploads = self._portal_read_uploads(files)
        if uploads:
            errors.setdefault("attachments", []).append(
                self.env._(
                    "Browsers do not keep chosen files when a form comes back: "
                    "please choose your files again (number of files: %s).",
                    len(uploads),
                )
            )

    @api.model
    def _portal_is_photo(self, data):
        """Whether ``data`` is a JPEG, PNG, GIF or WebP picture, judged by its
        content (magic numbers and a full decode), never by a file name."""
        if guess_mimetype(data, default="application/octet-stream") not in PHOTO_MIMETYPES:
            return False
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception:  # whatever Pillow cannot decode is no photo
            return False
        return True

    @api.model
    def _portal_check_uploads(self, files, complaint_type=None):
        """Error messages about the files a customer uploads; empty when they
        are acceptable. The one place where customer uploads are checked: the
        claim and completion forms, the portal chatter and the public form.

        Every file must be non-empty and within the size limit
        (``complaint_portal.max_upload_mb``, 10 MB by default), there may be at
        most ``complaint_portal.max_upload_count`` files (10), a file named like
        a picture must be one by content, and types that take photos only
        (``portal_attachment_kind``) refuse anything else."""
        uploads = self._portal_read_uploads(files)
        max_mb, max_count = self._portal_upload_limits()
        errors = []
        if len(uploads) > max_count:
            errors.append(
                self.env._(
                    "You can send at most %(max)s files at once; you chose %(count)s.",
                    max=max_count,
                    count=len(uploads),
                )
            )
        photos_only = bool(complaint_type) and complaint_type.portal_attachment_kind == "image"
        for name, data in uploads:
            if not data:
                errors.append(self.env._("The file %s is empty.", name))
            elif len(data) > max_mb * 1024 * 1024:
                errors.append(
                    self.env._(
                        "The file %(file)s is %(size).1f MB; files may be up to %(max)s MB.",
                        file=name,
                        size=len(data) / 1024 / 1024,
                        max=max_mb,
                    )
                )
            elif self._portal_is_photo(data):
                continue
            elif os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS:
                errors.append(
                    self.env._(
                        "The file %s is named like a picture, but its content is not a "
                        "JPEG, PNG, GIF or WebP image.",
                        name,
                    )
                )
            elif photos_only:
                errors.append(
                    self.env._(
                        "The file %(file)s is not a photo: %(type)s claims take JPEG, PNG, "
                        "GIF or WebP pictures only.",
                        file=name,
                        type=complaint_type.name,
                    )
                )
        return errors

    def _portal_check_posted_attachments(self, attachment_ids):
        """Files that a customer posts (or adds to their message) on this case,
        whatever the route: they must be the customer's own uploads, pending
        or already on this case, and pass the checks of ``_portal_check_uploads``
        as if uploaded on the case now. Raises before anything is posted."""
        self.ensure_one()
        attachments = self.env["ir.attachment"].sudo().browse(attachment_ids)
        existing = attachments.exists()
        foreign = (attachments - existing) or existing.filtered(
            lambda attachment: (
                attachment.create_uid != self.env.user
                or not (
                    (attachment.res_model == "mail.compose.message" and not attachment.res_id)
                    or (attachment.res_model == self._name and attachment.res_id == self.id)
                )
            )
        )
        if foreign:
            raise AccessError(
                self.env._("You can only attach files that you uploaded for this claim.")
            )
        errors = self._portal_check_uploads([(att.name, att.raw) for att in existing])
        if errors:
            raise UserError(" ".join(errors))

    @api.model
    def _portal_prepare_lines(self, invoice, requested):
        """Claimed items of ``invoice`` from what the customer entered.

        ``requested`` maps invoice line ids to ``{"quantity": float, "serials":
        str}``. Returns the values of the case lines and error messages by
        invoice line id: a quantity above what is still claimable (invoiced
        minus claimed by live cases) or unknown serial numbers are refused.
        A serial-tracked product gets one line per serial number."""
        invoice_lines = invoice.sudo().invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        claimable = invoice_lines._complaint_claimable_quantities()
        line_vals = []
        errors = {}
        for line in invoice_lines:
            entry = requested.get(line.id)
            if not entry:
                continue
            quantity = entry.get("quantity") or 0.0
            rounding = line.product_uom_id.rounding or 0.01
            if float_is_zero(quantity, precision_rounding=rounding):
                continue
            label = line.product_id.display_name or line.name
            if quantity < 0:
                errors[line.id] = self.env._("%s: the quantity cannot be negative.", label)
                continue
            if float_compare(quantity, claimable[line.id], precision_rounding=rounding) > 0:
                errors[line.id] = self.env._(
                    "%(product)s: you can claim at most %(max)s %(unit)s (invoiced %(invoiced)s, "
                    "already claimed %(claimed)s).",
                    product=label,
                    max=max(claimable[line.id], 0.0),
                    unit=line.product_uom_id.name,
                    invoiced=line.quantity,
                    claimed=line.quantity - claimable[line.id],
                )
                continue
            lots, error = self._portal_find_lots(line, quantity, entry.get("serials") or "")
            if error:
                errors[line.id] = error
            elif line.product_id.tracking == "serial":
                line_vals += [
                    {"invoice_line_id": line.id, "quantity": 1.0, "lot_id": lot.id} for lot in lots
                ]
            else:
                line_vals.append(
                    {"invoice_line_id": line.id, "quantity": quantity, "lot_id": lots[:1].id}
                )
        return line_vals, errors

    @api.model
    def _portal_find_lots(self, invoice_line, quantity, serials):
        """(stock.lot records, error message) for the serial or lot numbers a
        customer typed for ``invoice_line``: one serial per unit of a
        serial-tracked product, at most one lot number otherwise."""
        product = invoice_line.product_id
        names = [name for name in SERIAL_SEPARATORS.split(serials.strip()) if name]
        lots = self.env["stock.lot"].sudo()
        if product.tracking not in ("serial", "lot"):
            return lots, None
        label = product.display_name
        if product.tracking == "serial":
            if quantity != int(quantity) or len(names) != int(quantity):
                return lots, self.env._(
                    "%(product)s: enter one serial number per unit claimed "
                    "(%(quantity)s units, %(count)s serial numbers).",
                    product=label,
                    quantity=quantity,
                    count=len(names),
                )
            if len(set(names)) != len(names):
                return lots, self.env._("%s: each serial number can be claimed once.", label)
        elif len(names) > 1:
            return lots, self.env._("%s: enter a single lot number.", label)
        for name in names:
            lot = lots.search(
                [
                    ("product_id", "=", product.id),
                    ("name", "=", name),
                    ("company_id", "in", [False, invoice_line.company_id.id]),
                ],
                limit=1,
            )
            if not lot:
                return lots.browse(), self.env._(
                    "%(product)s: we do not know the serial or lot number %(serial)s; "
                    "please check it on the product's label.",
                    product=label,
                    serial=name,
                )
            lots |= lot
        return lots, None

    @api.model
    def _portal_get_missing_requirements(self, values, file_count):
        """Labels of what the type of a claim being filed online still requires,
        among what a customer can provide (``PORTAL_FIELDS`` and files)."""
        complaint_type = self.env["complaint.type"].browse(values.get("type_id")).sudo()
        missing = [
            self._fields[field.name]._description_string(self.env)
            for field in complaint_type.required_field_ids
            if field.name in PORTAL_FIELDS and not values.get(field.name)
        ]
        required_files = complaint_type.min_attachment_count
        if file_count < required_files:
            if complaint_type.portal_attachment_kind == "image":
                message = self.env._(
                    "photos: at least %(required)s, attached: %(count)s",
                    required=required_files,
                    count=file_count,
                )
            else:
                message = self.env._(
                    "files: at least %(required)s, attached: %(count)s",
                    required=required_files,
                    count=file_count,
                )
            missing.append(message)
        return missing

    @api.model
    def _portal_get_published_types(self, company=None):
        """Types customers may file online in ``company`` (default: the current one)."""
        company = company or self.env.company
        return (
            self.env["complaint.type"]
            .sudo()
            .search(
                [
                    ("portal_published", "=", True),
                    ("company_id", "in", [False, company.id]),
                ]
            )
        )

    @api.model
    def _prepare_portal_claim_vals(self, values):
        """Values of a case filed online; called by ``_portal_create_claim``.
        Filed cases are never assigned to whoever files them: routing decides."""
        vals = dict(values)
        vals.setdefault("channel", "portal")
        vals["user_id"] = False
        vals["line_ids"] = [Command.create(line) for line in vals.pop("line_ids", [])]
        return vals

    @api.model
    def _portal_create_claim(self, values, files):
        """Create the case of a claim filed online, with its files posted as the
        customer's first message, then acknowledge it like any other case.

        Called by ``complaint.intake`` once it has checked the caller's access
        to the invoice, the lines (``_portal_prepare_lines``), the requirements
        and the files (``_portal_check_uploads``): with ``sudo()`` for the
        portal and the public form, as the key's user for the website API.
        ``values`` are case values with ``line_ids`` as a list of line value
        dicts; ``channel`` defaults to ``portal``."""
        # the customer follows their case (discussions only), never whoever
        # files it: on the public form that is the public user
        case = self.with_context(mail_create_nosubscribe=True).create(
            self._prepare_portal_claim_vals(values)
        )
        # what follows is the company's doing on behalf of the customer: the
        # creating user need not be able to read the case once it is routed
        case = case.sudo()
        case.message_subscribe(
            partner_ids=case.partner_id.ids,
            subtype_ids=self.env.ref("mail.mt_comment").ids,
        )
        case._portal_post_customer_message(
            case.partner_id, case.description, files, subtype_xmlid="mail.mt_comment"
        )
        # sent by the company, not by the customer who is the current user here
        case.with_user(SUPERUSER_ID).with_company(case.company_id)._send_acknowledgement()
        return case

    def _portal_post_customer_message(self, author, body, files, subtype_xmlid="mail.mt_comment"):
        """Post ``body`` (HTML) and ``files`` as a message of ``author``; the
        files are attached to the case."""
        self.ensure_one()
        # the notifications go through the mail queue: the customer's request
        # must not wait on SMTP
        return self.with_context(mail_notify_force_send=False).message_post(
            body=body or "",
            author_id=author.id,
            attachments=self._portal_read_uploads(files),
            message_type="comment",
            subtype_xmlid=subtype_xmlid,
        )

    def _portal_submit_completion(self, author, text, files):
        """The customer answers a completion request online: their text and files
        become their message and the case goes back to staff. Called with
        ``sudo()`` by the portal controller once access and files are checked."""
        self.ensure_one()
        self._portal_post_customer_message(author, plaintext2html(text) if text else "", files)
        self._complaint_completion_received()
        if self.state == "waiting":
            # waiting without a stage to return to (set by hand): resume anyway
            self.action_resume()
        return True

    # ------------------------------------------------------------------
    # Status look-up of customers without an account
    # ------------------------------------------------------------------

    @api.model
    def _portal_find_by_number_and_email(self, number, email, company):
        """The case of ``company`` numbered ``number`` whose customer has the
        address ``email`` (compared normalized), else an empty recordset; cases
        of types not shown to customers are never found."""
        number = (number or "").strip()
        email = email_normalize(email or "")
        if not number or not email:
            return self.browse()
        cases = self.sudo().search(
            [
                ("name", "in", list({number, number.upper()})),
                ("company_id", "=", company.id),
                ("type_id.portal_visible", "=", True),
            ]
        )
        return cases.filtered(
            lambda case: (
                email
                in (email_normalize(case.partner_email or ""), case.partner_id.email_normalized)
            )
        )[:1]

    @api.model
    def _portal_send_status_link(self, number, email, company):
        """Queue an e-mail to ``email`` with the link (with access token) to the
        portal page of the case numbered ``number``, when that address is the
        customer's. Called by the public status look-up, which tells the visitor
        the same thing whatever the outcome; returns whether a mail was queued."""
        case = self._portal_find_by_number_and_email(number, email, company)
        template = self.env.ref(
            "complaint_portal.complaint_case_mail_template_status_link", raise_if_not_found=False
        )
        if not case or not template:
            return False
        # queued, not sent inline: the visitor must not wait for (or learn from) SMTP
        template.sudo().with_company(company).send_mail(
            case.id,
            force_send=False,
            email_values={"email_to": email_normalize(email), "recipient_ids": []},
        )
        return True
