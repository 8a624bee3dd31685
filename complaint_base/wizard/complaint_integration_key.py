from odoo import fields, models


class ComplaintIntegrationKey(models.TransientModel):
    _name = "complaint.integration.key"
    _description = "New Integration Key, Shown Once"

    integration_id = fields.Many2one(
        comodel_name="complaint.integration",
        required=True,
        ondelete="cascade",
        readonly=True,
    )
    # the only copy of the key in clear; the wizard is gone within hours
    key = fields.Char(readonly=True)
