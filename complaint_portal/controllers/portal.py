from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv.expression import OR

from odoo.addons.complaint_base.models.complaint_case import CLOSED_STATES
from odoo.addons.mail.controllers.attachment import AttachmentController
from odoo.addons.mail.models.discuss.mail_guest import add_guest_to_context
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class ComplaintPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Case = request.env["complaint.case"]
            values["complaint_count"] = Case.search_count([]) if Case.has_access("read") else 0
        if "complaint_waiting_count" in counters:
            Case = request.env["complaint.case"]
            values["complaint_waiting_count"] = (
                Case.search_count(self._complaint_searchbar_filters()["waiting"]["domain"])
                if Case.has_access("read")
                else 0
            )
        return values

    def _document_check_access(self, model_name, document_id, access_token=None):
        document_sudo = super()._document_check_access(model_name, document_id, access_token)
        if model_name == "complaint.case" and request.env.user.share:
            # the same gate as the chatter's: no page for the cases of types
            # not shown to customers, even through a link with a token
            Case = request.env["complaint.case"]
            if not Case._get_thread_with_access(document_sudo.id, token=access_token):
                raise AccessError(request.env._("This claim is not shown to customers."))
        return document_sudo

    # ------------------------------------------------------------------
    # My claims
    # ------------------------------------------------------------------

    def _complaint_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_received desc, id desc"},
            "number": {"label": request.env._("Number"), "order": "name desc, id desc"},
            "deadline": {"label": request.env._("Deadline"), "order": "date_deadline, id desc"},
            "status": {"label": request.env._("Status"), "order": "state, date_received desc"},
        }

    def _complaint_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("Open"),
                "domain": [("state", "not in", CLOSED_STATES)],
            },
            "waiting": {
                "label": request.env._("Waiting for You"),
                "domain": [("state", "=", "waiting"), ("completion_request", "!=", False)],
            },
            "closed": {
                "label": request.env._("Closed"),
                "domain": [("state", "in", CLOSED_STATES)],
            },
        }

    def _complaint_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Number")},
            "subject": {"input": "subject", "label": request.env._("Search in Subject")},
            "product": {"input": "product", "label": request.env._("Search in Products")},
            "invoice": {"input": "invoice", "label": request.env._("Search in Invoices")},
        }

    def _complaint_search_domain(self, search_in, search):
        # sudo: products and invoices are only matched by name here; the cases
        # found are still searched with the user's rights
        products = (
            request.env["product.product"]
            .sudo()
            ._search(["|", ("name", "ilike", search), ("default_code", "ilike", search)])
        )
        invoices = request.env["account.move"].sudo()._search([("name", "ilike", search)])
        domains = {
            "name": [("name", "ilike", search)],
            "subject": [("subject", "ilike", search)],
            "product": [("line_ids.product_id", "in", products)],
            "invoice": [("invoice_id", "in", invoices)],
        }
        return domains.get(search_in) or OR(list(domains.values()))

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw
    ):
        values = self._prepare_portal_layout_values()
        Case = request.env["complaint.case"]
        sortings = self._complaint_searchbar_sortings()
        filters = self._complaint_searchbar_filters()
        inputs = self._complaint_searchbar_inputs()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        domain = list(filters[filterby]["domain"])
        if search:
            domain += self._complaint_search_domain(search_in, search)
        has_access = Case.has_access("read")
        pager = portal_pager(
            url="/my/complaints",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search": search,
                "search_in": search_in,
            },
            total=Case.search_count(domain) if has_access else 0,
            page=page,
            step=self._items_per_page,
        )
        cases = (
            Case.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if has_access
            else Case
        )
        request.session["my_complaints_history"] = cases.ids[:100]
        values.update(
            {
                "cases": cases,
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("complaint_portal.portal_my_complaints", values)

    # ------------------------------------------------------------------
    # One claim
    # ------------------------------------------------------------------

    @staticmethod
    def _complaint_uploaded_files():
        """(file name, content) of the files of the posted form, read once for
        all the checks and the case."""
        files = request.httprequest.files.getlist("attachments")
        return request.env["complaint.case"]._portal_read_uploads(files)

    def _complaint_url(self, case_sudo, access_token=None, **params):
        if access_token:
            params["access_token"] = access_token
        return case_sudo.access_url + (f"?{url_encode(params)}" if params else "")

    def _complaint_get_page_view_values(
        self, case_sudo, access_token, completion_errors=None, completion_text="", **kwargs
    ):
        values = {
            "page_name": "complaint",
            "case": case_sudo,
            "stage_history": case_sudo._portal_get_stage_history(),
            "attachments": case_sudo._portal_get_attachments(),
            "can_complete": case_sudo._portal_can_complete(),
            "filed": kwargs.get("filed"),
            "completed": kwargs.get("completed"),
            "completion_errors": completion_errors or [],
            "completion_text": completion_text,
            "upload_hint": case_sudo._portal_upload_hint(case_sudo.type_id),
            "report_url": self._complaint_url(
                case_sudo, access_token, report_type="pdf", download="true"
            ),
        }
        return self._get_page_view_values(
            case_sudo, access_token, values, "my_complaints_history", False, **kwargs
        )

    @http.route(["/my/complaints/<int:case_id>"], type="http", auth="public", website=True)
    def portal_my_complaint(
        self, case_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            case_sudo = self._document_check_access("complaint.case", case_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf"):
            return self._show_report(
                model=case_sudo,
                report_type=report_type,
                report_ref="complaint_portal.complaint_case_summary_report",
                download=download,
            )
        # only flags from the query string: messages shown on the page come from the server
        flags = {key: kw[key] for key in ("filed", "completed", "pid", "hash") if key in kw}
        values = self._complaint_get_page_view_values(case_sudo, access_token, **flags)
        return request.render("complaint_portal.portal_my_complaint", values)

    @http.route(
        ["/my/complaints/<int:case_id>/complete"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_complaint_complete(self, case_id, access_token=None, message=None, **kw):
        try:
            case_sudo = self._document_check_access("complaint.case", case_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if not case_sudo._portal_can_complete():
            return request.redirect(self._complaint_url(case_sudo, access_token))
        Case = request.env["complaint.case"]
        text = (message or "").strip()
        files = self._complaint_uploaded_files()
        errors = []
        if not text and not files:
            errors.append(request.env._("Write what we asked for or attach the files."))
        errors += Case._portal_check_uploads(files, case_sudo.type_id)
        if errors:
            values = self._complaint_get_page_view_values(
                case_sudo,
                access_token,
                completion_errors=errors,
                completion_text=text,
            )
            return request.render("complaint_portal.portal_my_complaint", values)
        user = request.env.user
        # through a shared link the customer of the case is the author
        author = case_sudo.partner_id if user._is_public() else user.partner_id
        case_sudo._portal_submit_completion(author, text, files)
        return request.redirect(self._complaint_url(case_sudo, access_token, completed=1))

    # ------------------------------------------------------------------
    # Filing a claim
    # ------------------------------------------------------------------

    def _complaint_invoice_domain(self):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("commercial_partner_id", "=", request.env.user.commercial_partner_id.id),
        ]

    def _complaint_get_claim_invoice(self, invoice_id):
        """The invoice ``invoice_id`` (sudo) when the user can read it and it is
        their company's posted customer invoice; else an empty recordset."""
        Move = request.env["account.move"]
        invoice_id = self._complaint_int(invoice_id)
        if not invoice_id or not Move.has_access("read"):
            return Move.sudo()
        # searched with the user's rights: record rules decide
        return Move.search([("id", "=", invoice_id), *self._complaint_invoice_domain()]).sudo()

    @staticmethod
    def _complaint_int(value):
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def _complaint_invoice_lines(self, invoice_sudo, form=None, line_errors=None):
        """Rows of the claimable items of an invoice for the filing form."""
        form = form or {}
        line_errors = line_errors or {}
        lines = invoice_sudo.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        claimable = lines._complaint_claimable_quantities()
        return [
            {
                "line": line,
                "claimable": max(claimable[line.id], 0.0),
                "quantity": form.get(f"qty_{line.id}", ""),
                "serials": form.get(f"serial_{line.id}", ""),
                "error": line_errors.get(line.id),
            }
            for line in lines
        ]

    def _complaint_new_values(self, invoice_sudo, form=None, errors=None, line_errors=None):
        Case = request.env["complaint.case"]
        invoices = (
            request.env["account.move"].search(
                self._complaint_invoice_domain(), order="invoice_date desc, id desc", limit=100
            )
            if request.env["account.move"].has_access("read")
            else request.env["account.move"]
        )
        company = invoice_sudo.company_id or request.env.company
        types = Case._portal_get_published_types(company)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint_new",
                "invoices": invoices.sudo(),
                # not "invoice": account's breadcrumbs would take it for theirs
                "claim_invoice": invoice_sudo,
                "invoice_lines": self._complaint_invoice_lines(invoice_sudo, form, line_errors),
                "complaint_types": types,
                "reasons": request.env["complaint.reason"]
                .sudo()
                .search(["|", ("type_ids", "=", False), ("type_ids", "in", types.ids)]),
                "form": form or {},
                "errors": errors or {},
                "upload_hint": Case._portal_upload_hint(),
            }
        )
        return values

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_complaint_new(self, invoice_id=None, **form):
        invoice_sudo = self._complaint_get_claim_invoice(invoice_id)
        form = dict(form, invoice_id=invoice_sudo.id or "")
        if request.httprequest.method != "POST" or form.pop("reload", None):
            values = self._complaint_new_values(invoice_sudo, form)
            return request.render("complaint_portal.portal_complaint_new", values)
        files = self._complaint_uploaded_files()
        claim, errors, line_errors = request.env["complaint.intake"]._parse_portal_claim(
            request.env.user.partner_id, invoice_sudo, form, files
        )
        if not errors:
            try:
                with request.env.cr.savepoint():
                    case = request.env["complaint.case"].sudo()._portal_create_claim(claim, files)
            except (UserError, ValidationError) as error:
                errors["general"] = [str(error)]
            else:
                return request.redirect(self._complaint_url(case, filed=1))
        request.env["complaint.case"]._portal_ask_to_choose_files_again(files, errors)
        values = self._complaint_new_values(invoice_sudo, form, errors, line_errors)
        return request.render("complaint_portal.portal_complaint_new", values)

    @http.route(
        ["/my/complaints/invoice/<int:invoice_id>/lines"],
        type="json",
        auth="user",
        website=True,
    )
    def portal_complaint_invoice_lines(self, invoice_id, **kw):
        """Rows of the filing form for another invoice, rendered on the server."""
        invoice_sudo = self._complaint_get_claim_invoice(invoice_id)
        if not invoice_sudo:
            return {"html": ""}
        html = request.env["ir.qweb"]._render(
            "complaint_portal.portal_complaint_lines",
            {
                "claim_invoice": invoice_sudo,
                "invoice_lines": self._complaint_invoice_lines(invoice_sudo),
            },
        )
        return {"html": html}


class ComplaintAttachmentController(AttachmentController):
    @http.route()
    @add_guest_to_context
    def mail_attachment_upload(self, ufile, thread_id, thread_model, is_pending=False, **kwargs):
        """Customers' chatter uploads on cases pass the same checks as their claims."""
        if thread_model == "complaint.case" and request.env.user.share:
            Case = request.env["complaint.case"]
            if Case._get_thread_with_access(int(thread_id), mode="read", **kwargs):
                errors = Case._portal_check_uploads([ufile])
                if errors:
                    return request.make_json_response({"error": " ".join(errors)})
        return super().mail_attachment_upload(
            ufile, thread_id, thread_model, is_pending=is_pending, **kwargs
        )
