# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import http
from odoo.http import request


class ErpWebhookController(http.Controller):
    @http.route(
        "/complaint_erp/webhook/<int:backend_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def erp_webhook(self, backend_id, **kwargs):
        """An ERP's notification: checked (HMAC signature and time stamp), stored
        once per message id and answered at once; a job applies it."""
        backend = request.env["complaint.erp.backend"].sudo().browse(backend_id).exists()
        if not backend:
            status, answer = 404, {"error": "unknown endpoint"}
        else:
            status, answer = backend._erp_webhook_receive(
                request.httprequest.get_data(),
                request.httprequest.headers.get("X-Erp-Timestamp"),
                request.httprequest.headers.get("X-Erp-Signature"),
            )
        return request.make_response(
            json.dumps(answer),
            headers=[("Content-Type", "application/json")],
            status=status,
        )
