from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    complaint_case_id = fields.Many2one(
        comodel_name="complaint.case",
        string="Complaint Case",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The case this credit note settles.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._complaint_sync_cost_lines()
        return posted

    def button_cancel(self):
        result = super().button_cancel()
        self._complaint_sync_cost_lines()
        return result

    def button_draft(self):
        result = super().button_draft()
        self._complaint_sync_cost_lines()
        return result

    def _complaint_sync_cost_lines(self):
        """Keep the refund cost line of each customer credit note of a case in
        step with the credit note: its untaxed amount while it is draft or
        posted, none once it is cancelled."""
        credit_notes = self.filtered(
            lambda move: move.complaint_case_id and move.move_type == "out_refund"
        )
        if not credit_notes:
            return
        cost_lines = (
            self.env["complaint.cost.line"]
            .sudo()
            .search([("credit_note_id", "in", credit_notes.ids)])
        )
        by_move = {line.credit_note_id: line for line in cost_lines}
        to_create = []
        for move in credit_notes:
            cost_line = by_move.get(move)
            if move.state == "cancel":
                if cost_line:
                    cost_line.unlink()
                continue
            vals = move._complaint_prepare_cost_line_vals()
            if cost_line:
                cost_line.write(vals)
            else:
                to_create.append(vals)
        if to_create:
            self.env["complaint.cost.line"].sudo().create(to_create)

    def _complaint_prepare_cost_line_vals(self):
        """Values of the refund cost line of this credit note on its case;
        called by ``_complaint_sync_cost_lines``."""
        self.ensure_one()
        return {
            "case_id": self.complaint_case_id.id,
            "credit_note_id": self.id,
            "cost_type": "refund",
            "name": self.env._("Credit note %s", self.name)
            if self.name and self.name != "/"
            else self.env._("Draft credit note"),
            "date": self.invoice_date or fields.Date.context_today(self),
            "amount": self.amount_untaxed,
            "currency_id": self.currency_id.id,
        }

    def action_view_complaint_case(self):
        """The case this credit note settles: its full form for complaint
        staff, the accountants' settlement form for the others."""
        self.ensure_one()
        view = False
        if not self.env.user.has_group("complaint_base.group_complaint_user"):
            view = self.env.ref("complaint_rma.complaint_case_view_form_to_settle").id
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.case",
            "res_id": self.complaint_case_id.id,
            "view_mode": "form",
            "views": [(view, "form")],
        }
