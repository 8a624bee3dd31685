import secrets

from odoo import api, fields, models


class ComplaintIntegration(models.Model):
    _name = "complaint.integration"
    _description = "Complaint Integration Key"
    _order = "name"

    name = fields.Char(required=True, help="Who uses the key, e.g. 'PBX in Helsinki office'.")
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        selection=[("phone", "IP Telephony"), ("web_form", "Website Form"), ("erp", "ERP")],
        required=True,
        default="phone",
    )
    key = fields.Char(
        required=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(32),
        groups="complaint_base.group_complaint_manager",
        help="Sent by the integration in the 'Authorization: Bearer <key>' header.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Acts As",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Calls made with this key run with this user's access rights.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )

    _sql_constraints = [
        ("key_uniq", "unique(key)", "Integration keys must be unique."),
    ]

    @api.model
    def _authenticate(self, key, kind):
        """Integration owning ``key`` for ``kind``, or an empty recordset."""
        if not key or len(key) < 16:
            return self.browse()
        return self.sudo().search([("key", "=", key), ("kind", "=", kind)], limit=1)

    def action_regenerate_key(self):
        self.ensure_one()
        self.key = secrets.token_urlsafe(32)
        return True
