from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    complaint_case_ids = fields.One2many(
        comodel_name="complaint.case",
        inverse_name="invoice_id",
        string="Complaint Cases",
    )
    complaint_case_count = fields.Integer(
        string="Complaints",
        compute="_compute_complaint_case_count",
        groups="complaint_base.group_complaint_user",
    )

    def _compute_complaint_case_count(self):
        counts = dict(
            self.env["complaint.case"]._read_group(
                [("invoice_id", "in", self.ids)], ["invoice_id"], ["__count"]
            )
        )
        for move in self:
            move.complaint_case_count = counts.get(move, 0)

    def action_view_complaint_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_base.complaint_case_action"
        )
        action["domain"] = [("invoice_id", "=", self.id)]
        action["context"] = {
            "default_invoice_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
