from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ComplaintType(models.Model):
    _name = "complaint.type"
    _description = "Complaint Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical key used by integrations, e.g. 'warranty'.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(
        translate=True,
        help="Explains to staff and customers when this type applies.",
    )
    sequence_prefix = fields.Char(
        required=True,
        help="Prefix of the case numbers of this type, e.g. 'RK' gives RK/2026/00042. "
        "Numbering is continuous per type, company and year.",
    )
    deadline_days = fields.Integer(
        string="Default Deadline (days)",
        default=14,
        help="Days the company has to answer a case of this type.",
    )
    required_field_ids = fields.Many2many(
        comodel_name="ir.model.fields",
        relation="complaint_type_required_field_rel",
        column1="type_id",
        column2="field_id",
        string="Required Fields",
        domain="[('model', '=', 'complaint.case'), ('store', '=', True)]",
        help="Fields that must be filled in before a case of this type is confirmed.",
    )
    min_attachment_count = fields.Integer(
        string="Required Attachments",
        help="Number of files (photos, receipts, ...) that must be attached "
        "before a case of this type is confirmed.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Leave empty to share the type between companies.",
    )
    case_count = fields.Integer(compute="_compute_case_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a complaint type must be unique."),
        (
            "deadline_days_positive",
            "CHECK(deadline_days >= 0)",
            "The default deadline cannot be negative.",
        ),
        (
            "min_attachment_count_positive",
            "CHECK(min_attachment_count >= 0)",
            "The number of required attachments cannot be negative.",
        ),
    ]

    @api.constrains("required_field_ids")
    def _check_required_fields_model(self):
        for complaint_type in self:
            foreign = complaint_type.required_field_ids.filtered(
                lambda field: field.model != "complaint.case"
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Type %(type)s can only require fields of complaint cases, not %(fields)s.",
                        type=complaint_type.name,
                        fields=", ".join(foreign.mapped("field_description")),
                    )
                )

    def _compute_case_count(self):
        counts = dict(
            self.env["complaint.case"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for complaint_type in self:
            complaint_type.case_count = counts.get(complaint_type, 0)

    def _get_case_sequence(self, company):
        """Return the numbering sequence of this type in ``company``, creating it
        on first use so that each company numbers its cases on its own."""
        self.ensure_one()
        code = f"complaint.case.{self.code}"
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search([("code", "=", code), ("company_id", "=", company.id)], limit=1)
        )
        if not sequence:
            sequence = self.env["ir.sequence"].sudo().create(self._prepare_sequence_vals(company))
        return sequence

    def _prepare_sequence_vals(self, company):
        """Values of the per-company numbering sequence; called by
        ``_get_case_sequence``. Continuous (no gap) and restarting every year."""
        self.ensure_one()
        return {
            "name": f"{self.name} ({company.name})",
            "code": f"complaint.case.{self.code}",
            "company_id": company.id,
            "prefix": f"{self.sequence_prefix}/%(range_year)s/",
            "padding": 5,
            "implementation": "no_gap",
            "use_date_range": True,
        }

    def write(self, vals):
        res = super().write(vals)
        if "sequence_prefix" in vals:
            self.env["ir.sequence"].sudo().search(
                [("code", "in", [f"complaint.case.{t.code}" for t in self])]
            ).write({"prefix": f"{vals['sequence_prefix']}/%(range_year)s/"})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.env["complaint.case"].search_count([("type_id", "in", self.ids)], limit=1):
            raise UserError(
                self.env._("A complaint type with cases cannot be deleted; archive it instead.")
            )

    def action_view_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_base.complaint_case_action"
        )
        action["domain"] = [("type_id", "=", self.id)]
        action["context"] = {"default_type_id": self.id}
        return action
