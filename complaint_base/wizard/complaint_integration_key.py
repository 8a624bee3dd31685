from odoo import fields, models


class ComplaintIntegrationKey(models.AbstractModel):
    """Shows a new integration key once, like ``res.users.apikeys.show``: the
    key travels in the action's context and is never stored in clear."""

    _name = "complaint.integration.key"
    _description = "New Integration Key, Shown Once"

    # the field 'id' is necessary for the onchange that returns the value of 'key'
    id = fields.Id()
    key = fields.Char(readonly=True)
