from odoo import api, fields, models


class ComplaintCaseCall(models.TransientModel):
    _name = "complaint.case.call"
    _description = "Start a Complaint from a Phone Call"

    phone = fields.Char(string="Caller Number", required=True)
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Matching Contacts",
        compute="_compute_matches",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
    )
    open_case_ids = fields.Many2many(
        comodel_name="complaint.case",
        string="Open Cases",
        compute="_compute_open_case_ids",
    )
    subject = fields.Char(help="Short summary of what the caller reports.")

    @api.depends("phone")
    def _compute_matches(self):
        for wizard in self:
            wizard.partner_ids = (
                self.env["res.partner"]._complaint_find_by_phone(wizard.phone)
                if wizard.phone
                else False
            )

    @api.depends("partner_ids")
    def _compute_partner_id(self):
        for wizard in self:
            if len(wizard.partner_ids) == 1 or wizard.partner_id not in wizard.partner_ids:
                wizard.partner_id = wizard.partner_ids[:1]

    @api.depends("partner_id", "partner_ids")
    def _compute_open_case_ids(self):
        for wizard in self:
            partners = wizard.partner_id or wizard.partner_ids
            wizard.open_case_ids = self.env["complaint.case"].search(
                [
                    ("commercial_partner_id", "in", partners.commercial_partner_id.ids),
                    ("state", "not in", ("closed", "cancelled")),
                ]
            )

    def action_create_case(self):
        self.ensure_one()
        case = self.env["complaint.case"].create(self._prepare_case_vals())
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.case",
            "res_id": case.id,
            "view_mode": "form",
            "target": "current",
        }

    def _prepare_case_vals(self):
        """Values of the case opened from the call; called by ``action_create_case``."""
        self.ensure_one()
        return {
            "subject": self.subject or self.env._("Phone call from %s", self.phone),
            "channel": "phone",
            "partner_id": self.partner_id.id,
            "partner_phone": self.phone,
        }
