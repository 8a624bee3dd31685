from odoo import api, fields, models

from odoo.addons.phone_validation.tools import phone_validation

# Digits compared when looking a caller up: enough to be unique within a country,
# few enough to ignore trunk prefixes and international notations.
PHONE_MATCH_DIGITS = 8


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_vip = fields.Boolean(
        string="VIP (Complaints)",
        help="VIP customers get shorter complaint deadlines and are flagged on their cases.",
    )
    complaint_case_ids = fields.One2many(
        comodel_name="complaint.case",
        inverse_name="partner_id",
        string="Complaint Cases",
    )
    complaint_case_count = fields.Integer(
        string="Complaints",
        compute="_compute_complaint_case_count",
        groups="complaint_base.group_complaint_user",
    )

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "complaint_vip"]

    def _compute_complaint_case_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["complaint.case"]._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.complaint_case_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_complaint_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_base.complaint_case_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.model
    def _complaint_find_by_phone(self, number):
        """Contacts whose phone or mobile is ``number``, whatever the notation
        (+48 601 234 567, 0048601234567, 601-234-567 in a Polish company)."""
        case_model = self.env["complaint.case"]
        e164 = case_model._format_phone_e164(number)
        if not e164:
            return self.browse()
        digits = e164.lstrip("+")[-PHONE_MATCH_DIGITS:]
        self.env.cr.execute(
            """
            SELECT id FROM res_partner
             WHERE active
               AND (regexp_replace(phone, '[^0-9]', '', 'g') LIKE %(pattern)s
                    OR regexp_replace(mobile, '[^0-9]', '', 'g') LIKE %(pattern)s)
            """,
            {"pattern": f"%{digits}"},
        )
        # search() again so that record rules apply to what raw SQL found
        candidates = self.search([("id", "in", [row[0] for row in self.env.cr.fetchall()])])
        # Confirm with the full number, read in each contact's own country.
        return candidates.filtered(
            lambda partner: (
                e164
                in {
                    phone_validation.phone_format(
                        value,
                        partner.country_id.code or self.env.company.country_id.code,
                        partner.country_id.phone_code or self.env.company.country_id.phone_code,
                        force_format="E164",
                        raise_exception=False,
                    )
                    for value in (partner.phone, partner.mobile)
                    if value
                }
            )
        )
