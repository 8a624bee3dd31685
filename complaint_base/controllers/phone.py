import logging

from odoo import http
from odoo.exceptions import AccessError, ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)


class ComplaintPhoneController(http.Controller):
    """Caller lookup for an IP-telephony integration (screen pop)."""

    def _authenticate_integration(self, kind):
        header = request.httprequest.headers.get("Authorization", "")
        key = header[7:].strip() if header.lower().startswith("bearer ") else ""
        integration = request.env["complaint.integration"]._authenticate(key, kind)
        if not integration:
            _logger.warning(
                "Complaint phone API: rejected call from %s (bad or missing key)",
                request.httprequest.remote_addr,
            )
        return integration

    @http.route(
        "/complaint/api/phone/lookup",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def phone_lookup(self, number=None, **kwargs):
        integration = self._authenticate_integration("phone")
        if not integration:
            return request.make_json_response(
                {"error": "unauthorized", "message": "Missing or invalid integration key."},
                status=401,
            )
        if not number:
            return request.make_json_response(
                {"error": "bad_request", "message": "Parameter 'number' is required."},
                status=400,
            )
        env = request.env(
            user=integration.user_id.id,
            context={"allowed_company_ids": [integration.company_id.id]},
        )
        try:
            result = env["complaint.case"]._phone_lookup_payload(number)
        except ValidationError as error:
            return request.make_json_response(
                {"error": "invalid_number", "message": error.args[0]}, status=400
            )
        except AccessError as error:
            return request.make_json_response(
                {"error": "forbidden", "message": error.args[0]}, status=403
            )
        return request.make_json_response(result)
