from odoo import api, fields, models
from odoo.exceptions import AccessError

EXTENSION_FIELDS = ("complaint_return_extra_days",)


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_return_extra_days = fields.Integer(
        string="Return Window Extension (days)",
        tracking=True,
        help="Days this customer may return goods on top of the company's return window; "
        "only complaint managers set it.",
    )
    complaint_return_extension_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Extension Approved By",
        readonly=True,
        tracking=True,
        copy=False,
    )
    complaint_return_extension_date = fields.Datetime(
        string="Extension Approved On",
        readonly=True,
        copy=False,
    )
    complaint_return_count = fields.Integer(
        compute="_compute_complaint_return_count",
        string="Returns",
    )

    def _compute_complaint_return_count(self):
        counts = {
            partner.id: count
            for partner, count in self.env["complaint.case"]._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("type_id.code", "=", "return"),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        }
        for partner in self:
            partner.complaint_return_count = counts.get(partner.commercial_partner_id.id, 0)

    def _complaint_check_extension_rights(self, vals):
        if any(name in vals for name in EXTENSION_FIELDS) and not (
            self.env.su or self.env.user.has_group("complaint_base.group_complaint_manager")
        ):
            raise AccessError(
                self.env._("Only complaint managers can approve an extended return window.")
            )

    def _complaint_extension_approval_vals(self, vals):
        if any(name in vals for name in EXTENSION_FIELDS):
            extended = bool(vals.get("complaint_return_extra_days"))
            vals = dict(
                vals,
                complaint_return_extension_user_id=extended and self.env.user.id,
                complaint_return_extension_date=extended and fields.Datetime.now(),
            )
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._complaint_check_extension_rights(vals)
        return super().create([self._complaint_extension_approval_vals(v) for v in vals_list])

    def write(self, vals):
        self._complaint_check_extension_rights(vals)
        return super().write(self._complaint_extension_approval_vals(vals))

    def _complaint_return_window_days(self, company):
        """Days a return is accepted after delivery for this customer in ``company``."""
        self.ensure_one()
        return (
            company.complaint_return_days + self.commercial_partner_id.complaint_return_extra_days
        )

    def action_view_complaint_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_rma.complaint_case_action_return"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
