from odoo import api, fields, models

from .complaint_case import PORTAL_FIELDS


class ComplaintType(models.Model):
    _inherit = "complaint.type"

    portal_published = fields.Boolean(
        string="Filed by Customers",
        help="Customers may file claims of this type in the portal and the public form.",
    )
    portal_visible = fields.Boolean(
        string="Shown to Customers",
        compute="_compute_portal_visible",
        store=True,
        readonly=False,
        help="Customers see the cases of this type in their portal, whoever filed them. "
        "Types customers file are always shown; supplier and internal cases never should be.",
    )
    portal_attachment_kind = fields.Selection(
        selection=[
            ("image", "Photos Only"),
            ("any", "Any File"),
        ],
        string="Customer Files",
        required=True,
        default="image",
        help="What customers may attach when they file a claim of this type online. "
        "Photos are checked by their content, whatever the file name says.",
    )

    @api.depends("portal_published")
    def _compute_portal_visible(self):
        for complaint_type in self:
            complaint_type.portal_visible = (
                complaint_type.portal_published or complaint_type.portal_visible
            )

    def _portal_get_requirements(self):
        """What a customer must provide to file a claim of this type online, as
        shown next to the filing forms (labels in the customer's language)."""
        self.ensure_one()
        case_fields = self.env["complaint.case"]._fields
        requirements = [
            case_fields[field.name]._description_string(self.env)
            for field in self.required_field_ids
            if field.name in PORTAL_FIELDS and field.name != "partner_id"
        ]
        if self.min_attachment_count:
            requirements.append(self._portal_get_attachment_requirement())
        return requirements

    def _portal_get_attachment_requirement(self):
        """How many files of which kind a claim of this type needs ("" when none)."""
        self.ensure_one()
        if not self.min_attachment_count:
            return ""
        if self.portal_attachment_kind == "image":
            return self.env._("at least %s photo(s)", self.min_attachment_count)
        return self.env._("at least %s file(s)", self.min_attachment_count)
