from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

# decisions after which the case is credited
CREDITED_DECISIONS = ("accepted", "partly_accepted")
# resolutions settled in kind, not by credit note
IN_KIND_RESOLUTIONS = ("replacement", "repair")
SETTLEMENT_STATES = [
    ("none", "Nothing to Settle"),
    ("to_settle", "To Settle"),
    ("partly_settled", "Partly Settled"),
    ("settled", "Settled"),
]


class ComplaintCaseSettlement(models.AbstractModel):
    """Settlement of a case: credit notes per original invoice and settlement status."""

    _name = "complaint.case.settlement"
    _description = "Complaint Case Settlement"

    # the case's company currency (complaint_base), for the amounts below
    currency_id = fields.Many2one(comodel_name="res.currency")
    settlement_state = fields.Selection(
        selection=SETTLEMENT_STATES,
        string="Settlement",
        compute="_compute_settlement_state",
        store=True,
        index=True,
        tracking=True,
        help="Whether the accepted quantities of this case are credited: to settle, "
        "partly or fully settled.",
    )
    amount_settled = fields.Monetary(
        string="Amount Credited",
        currency_field="currency_id",
        compute="_compute_amount_settled",
        store=True,
        help="Total of the posted credit notes of this case (customer or vendor "
        "credit notes), taxes included, in the company currency.",
    )

    @api.depends(
        "decision",
        "resolution",
        "state",
        "type_id.code",
        "line_ids.quantity",
        "line_ids.qty_credited",
        # what a discrepancy's verification confirms is what may be credited
        "line_ids.discrepancy_kind",
        "line_ids.verification_result",
        "line_ids.qty_confirmed",
    )
    def _compute_settlement_state(self):
        for case in self:
            lines = case.line_ids
            if not lines or not case._is_settlement_due():
                case.settlement_state = "none"
                continue
            quantities = lines._get_settlement_quantities()
            credited = any(line.qty_credited > 0 for line in lines)
            open_left = any(
                float_compare(
                    quantities[line.id],
                    line.qty_credited,
                    precision_rounding=line.product_uom_id.rounding or 0.01,
                )
                > 0
                for line in lines
            )
            if not open_left:
                case.settlement_state = "settled" if credited else "none"
            else:
                case.settlement_state = "partly_settled" if credited else "to_settle"

    @api.depends("credit_note_ids.state", "credit_note_ids.amount_total_signed")
    def _compute_amount_settled(self):
        for case in self:
            case.amount_settled = sum(
                abs(move.amount_total_signed)
                for move in case.credit_note_ids
                if move.state == "posted"
            )

    def _is_supplier_claim(self):
        self.ensure_one()
        return self.type_id.code == "supplier"

    def _is_settlement_due(self):
        """Whether this case waits for credit notes: a customer case accepted
        with a resolution not given in kind, or a supplier claim."""
        self.ensure_one()
        if self.state == "cancelled":
            return False
        if self._is_supplier_claim():
            return True
        return self.decision in CREDITED_DECISIONS and self.resolution not in IN_KIND_RESOLUTIONS

    def action_open_settle_wizard(self):
        self.ensure_one()
        self._check_settlement_allowed()
        wizard = self.env["complaint.case.settle"].create(
            self.env["complaint.case.settle"]._prepare_vals_from_case(self)
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Settle %s", self.name),
            "res_model": "complaint.case.settle",
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_view_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_rma.complaint_credit_note_action"
        )
        action["domain"] = [("complaint_case_id", "=", self.id)]
        action["context"] = {"create": False}
        if len(self.credit_note_ids) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=self.credit_note_ids.id)
        return action

    def _check_settlement_allowed(self):
        """Refuse to settle a case that is not accepted, or for a user who
        does not write invoices."""
        self.ensure_one()
        if not self.env.su and not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(
                self.env._("Only invoicing users can issue the credit notes of case %s.", self.name)
            )
        if self.state == "cancelled":
            raise UserError(self.env._("Case %s is cancelled: nothing to credit.", self.name))
        if not self._is_supplier_claim() and self.decision not in CREDITED_DECISIONS:
            raise UserError(
                self.env._(
                    "Case %s is not accepted: only accepted or partly accepted cases are credited.",
                    self.name,
                )
            )

    def _check_settlement_invoice(self, invoice):
        """Refuse to credit an invoice that is not posted, or of another company."""
        self.ensure_one()
        if invoice.company_id != self.company_id or invoice.company_id not in self.env.companies:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s belongs to %(company)s, not to %(case_company)s of "
                    "case %(case)s: it cannot be credited from this case.",
                    invoice=invoice.name,
                    company=invoice.company_id.name,
                    case_company=self.company_id.name,
                    case=self.name,
                )
            )
        if invoice.state == "cancel":
            raise UserError(
                self.env._(
                    "Invoice %s is cancelled: there is nothing left to credit.", invoice.name
                )
            )
        if invoice.state != "posted":
            raise UserError(
                self.env._(
                    "Invoice %s is not posted: only posted invoices are credited.",
                    invoice.display_name,
                )
            )

    def _lock_settlement_lines(self, lines):
        """Lock the claimed items and the invoice lines they credit until the
        end of the transaction: a second settlement of the same lines waits,
        then sees (or fails on) what the first one wrote."""
        self.env.cr.execute(
            "SELECT id FROM complaint_case_line WHERE id IN %s ORDER BY id FOR UPDATE",
            [tuple(lines.ids)],
        )
        if lines.invoice_line_id:
            self.env.cr.execute(
                "SELECT id FROM account_move_line WHERE id IN %s ORDER BY id FOR UPDATE",
                [tuple(lines.invoice_line_id.ids)],
            )
        lines.invalidate_recordset(["qty_credited"])
        lines.invoice_line_id.invalidate_recordset(["complaint_qty_credited"])

    def _settle(self, quantities, post=True):
        """Credit the claimed items of ``quantities`` ({line id: quantity}):
        one credit note per original invoice (a standalone vendor credit note
        for supplier-claim items without a vendor bill), posted when ``post``.
        Returns the credit notes."""
        self.ensure_one()
        self._check_settlement_allowed()
        lines = self.line_ids.filtered(
            lambda line: (
                float_compare(
                    quantities.get(line.id, 0.0),
                    0.0,
                    precision_rounding=line.product_uom_id.rounding or 0.01,
                )
                > 0
            )
        )
        if not lines:
            raise UserError(self.env._("Set a quantity to credit on case %s.", self.name))
        missing = lines.filtered(lambda line: not line.invoice_line_id)
        if missing and not self._is_supplier_claim():
            raise UserError(
                self.env._(
                    "%(products)s on case %(case)s: no invoice line, so no invoiced price "
                    "to credit. Link the claimed items to their invoice lines first.",
                    products=", ".join(missing.product_id.mapped("display_name")),
                    case=self.name,
                )
            )
        self._lock_settlement_lines(lines)
        for invoice in lines.invoice_line_id.move_id:
            self._check_settlement_invoice(invoice)
        lines._check_settlement_quantities(quantities)
        vals_list = [
            self._prepare_credit_note_vals(invoice, group, quantities)
            for invoice, group in lines.grouped(lambda line: line.invoice_line_id.move_id).items()
        ]
        credit_notes = self.env["account.move"].create(vals_list)
        if post:
            credit_notes.action_post()
        else:
            credit_notes._complaint_sync_cost_lines()
        self.sudo().message_post(
            body=self.env._(
                "Credited by %(user)s: %(moves)s.",
                user=self.env.user.name,
                moves=", ".join(credit_notes.mapped("display_name")),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return credit_notes

    def _prepare_credit_note_vals(self, invoice, lines, quantities):
        """Values of the credit note of ``invoice`` (empty: a standalone vendor
        credit note) for ``lines`` and their ``quantities``; called by
        ``_settle`` once per original invoice."""
        self.ensure_one()
        vals = {
            "complaint_case_id": self.id,
            "company_id": self.company_id.id,
            "invoice_date": fields.Date.context_today(self),
            "invoice_line_ids": [
                Command.create(line._prepare_credit_note_line_vals(quantities[line.id]))
                for line in lines
            ],
        }
        if invoice:
            vals.update(
                {
                    "move_type": "out_refund"
                    if invoice.move_type == "out_invoice"
                    else "in_refund",
                    "reversed_entry_id": invoice.id,
                    "partner_id": invoice.partner_id.id,
                    "currency_id": invoice.currency_id.id,
                    "journal_id": invoice.journal_id.id,
                    "fiscal_position_id": invoice.fiscal_position_id.id,
                    "invoice_origin": invoice.invoice_origin,
                    "ref": self.env._(
                        "Reversal of: %(invoice)s, %(case)s", invoice=invoice.name, case=self.name
                    ),
                }
            )
        else:
            vals.update(
                {
                    "move_type": "in_refund",
                    "partner_id": self.partner_id.id,
                    "ref": self.name,
                }
            )
        return vals
