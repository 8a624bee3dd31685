import logging

from odoo import api, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

# key: (default, minimum) of the suite's numeric settings
COMPLAINT_NUMERIC_PARAMS = {
    "complaint_base.max_email_size_mb": (25, 1),
    "complaint_base.max_cases_per_sender_hour": (20, 1),
}


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def _complaint_numeric_params(self):
        """Numeric settings of the suite as ``{key: (default, minimum)}``; other
        add-ons add their own keys so that a bad value is refused on save and
        never stops them at run time."""
        return dict(COMPLAINT_NUMERIC_PARAMS)

    @api.constrains("key", "value")
    def _check_complaint_numeric_value(self):
        params = self._complaint_numeric_params()
        for param in self.filtered(lambda p: p.key in params):
            minimum = params[param.key][1]
            if self._complaint_parse_int(param.value, minimum) is None:
                raise ValidationError(
                    self.env._(
                        "The setting %(key)s must be a whole number of at least %(minimum)s, "
                        "not “%(value)s”.",
                        key=param.key,
                        minimum=minimum,
                        value=param.value,
                    )
                )

    @api.model
    def _complaint_parse_int(self, value, minimum):
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            return None
        return number if number >= minimum else None

    @api.model
    def _complaint_get_int(self, key):
        """Value of a numeric setting of the suite; a bad value stored anyway
        (by SQL, or before the check existed) falls back to the default."""
        default, minimum = self._complaint_numeric_params()[key]
        value = self.sudo().get_param(key)
        if value in (None, False, ""):
            return default
        number = self._complaint_parse_int(value, minimum)
        if number is None:
            _logger.warning(
                "Setting %s has the invalid value %r; using the default %s", key, value, default
            )
            return default
        return number
