from odoo import api, models

from .complaint_case import DEFAULT_MAX_UPLOAD_COUNT, DEFAULT_MAX_UPLOAD_MB
from .complaint_form_attempt import DEFAULT_KEY_RATE_LIMIT, DEFAULT_RATE_LIMIT

DEFAULT_API_MAX_PAYLOAD_MB = 25


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def _complaint_numeric_params(self):
        params = super()._complaint_numeric_params()
        params.update(
            {
                "complaint_portal.form_rate_limit": (DEFAULT_RATE_LIMIT, 0),  # 0 disables
                "complaint_portal.api_key_rate_limit": (DEFAULT_KEY_RATE_LIMIT, 0),
                "complaint_portal.api_max_payload_mb": (DEFAULT_API_MAX_PAYLOAD_MB, 1),
                "complaint_portal.max_upload_mb": (DEFAULT_MAX_UPLOAD_MB, 1),
                "complaint_portal.max_upload_count": (DEFAULT_MAX_UPLOAD_COUNT, 1),
            }
        )
        return params
