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
    photo_instructions = fields.Text(
        translate=True,
        help="What the customer should photograph for a claim of this type, shown next to "
        "the file input of the portal and public forms.",
    )
    photo_example = fields.Image(
        string="Example Photo",
        max_width=1024,
        max_height=1024,
        help="A picture showing customers what a good photo looks like.",
    )
    # shown inline in the customer forms, where visitors may not read the type
    photo_example_512 = fields.Image(
        string="Example Photo (512)",
        related="photo_example",
        max_width=512,
        max_height=512,
        store=True,
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
            return self.env._("photos: at least %s", self.min_attachment_count)
        return self.env._("files: at least %s", self.min_attachment_count)
