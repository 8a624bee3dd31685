from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_return_days = fields.Integer(
        related="company_id.complaint_return_days",
        readonly=False,
    )

    @api.constrains("complaint_return_days")
    def _check_complaint_return_days(self):
        for settings in self:
            if settings.complaint_return_days < 0:
                raise ValidationError(self.env._("The return window cannot be negative."))
