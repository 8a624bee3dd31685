from odoo import http
from odoo.http import request
from odoo.tools import email_normalize

# longest claim number a visitor may enter; longer input is cut, never looked up
MAX_NUMBER_LENGTH = 64


class ComplaintStatusController(http.Controller):
    """Customers without an account ask for the link to their claim's page:
    it goes to the claim's e-mail address, never to the page, and the page
    says the same thing whether the number and the address matched or not."""

    @http.route(
        "/complaint/status",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def complaint_status(self, number="", email="", sent=None, **kw):
        if request.httprequest.method != "POST":
            return request.render("complaint_portal.complaint_public_status", {"sent": bool(sent)})
        email = email_normalize(email or "") or ""
        ip = request.httprequest.remote_addr
        Attempt = request.env["complaint.form.attempt"]
        if not Attempt._is_rate_limited(email, ip):
            Attempt._record_attempt(email, ip, channel="status_lookup")
            request.env["complaint.case"].sudo()._portal_send_status_link(
                (number or "")[:MAX_NUMBER_LENGTH], email, request.env.company
            )
        # the same answer whatever happened (match, no match, too many tries)
        return request.redirect("/complaint/status?sent=1")
