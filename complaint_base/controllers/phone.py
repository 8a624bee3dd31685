from odoo import http
from odoo.exceptions import AccessError, ValidationError
from odoo.http import request


def authenticate_integration(kind):
    """(integration, error response) of the call in ``request`` for ``kind``,
    by its ``Authorization: Bearer <key>`` header."""
    header = request.httprequest.headers.get("Authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else ""
    integration, error = request.env["complaint.integration"]._authenticate(
        key, kind, request.httprequest.remote_addr
    )
    if error == "too_many_attempts":
        return integration, request.make_json_response(
            {"error": error, "message": "Too many failed keys from this address; wait a while."},
            headers=[("Retry-After", "600"), ("Cache-Control", "no-store")],
            status=429,
        )
    if error:
        return integration, request.make_json_response(
            {"error": error, "message": "Missing or invalid integration key."},
            headers=[
                ("WWW-Authenticate", 'Bearer realm="complaint"'),
                ("Cache-Control", "no-store"),
            ],
            status=401,
        )
    return integration, None


class ComplaintPhoneController(http.Controller):
    """Caller lookup for an IP-telephony integration (screen pop)."""

    @http.route(
        "/complaint/api/phone/lookup",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def phone_lookup(self, number=None, **kwargs):
        integration, error_response = authenticate_integration("phone")
        if error_response:
            return error_response
        if not number:
            return request.make_json_response(
                {"error": "bad_request", "message": "Parameter 'number' is required."},
                status=400,
            )
        env = integration._get_env(request.env)
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
