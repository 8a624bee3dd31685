from odoo import api, fields, models


class ComplaintCaseSettle(models.TransientModel):
    """The accountant's settlement of a case: the quantity to credit per
    claimed item, by default what remains of its settlement quantity."""

    _name = "complaint.case.settle"
    _description = "Settle a Complaint"

    case_id = fields.Many2one(
        comodel_name="complaint.case",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    line_ids = fields.One2many(
        comodel_name="complaint.case.settle.line",
        inverse_name="wizard_id",
        string="Items to Credit",
    )
    post = fields.Boolean(
        string="Post Credit Notes",
        default=True,
        help="Post the credit notes at once (posting reconciles them with their "
        "invoices); leave unchecked to review them as drafts first.",
    )

    @api.model
    def _prepare_vals_from_case(self, case):
        """Wizard values for ``case``: one line per claimed item with what
        remains to credit on it."""
        lines = case.line_ids
        remaining = lines._get_quantities_to_credit()
        return {
            "case_id": case.id,
            "line_ids": [
                fields.Command.create(
                    {
                        "case_line_id": line.id,
                        "qty_max": remaining[line.id],
                        "quantity": remaining[line.id],
                    }
                )
                for line in lines
            ],
        }

    def action_confirm(self):
        self.ensure_one()
        credit_notes = self.case_id._settle(
            {line.case_line_id.id: line.quantity for line in self.line_ids},
            post=self.post,
        )
        action = self.case_id.action_view_credit_notes()
        if len(credit_notes) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=credit_notes.id)
        return action
