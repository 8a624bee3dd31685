# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

REFUND_TYPES = ("out_refund", "in_refund")


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._erp_sync_credit_notes()
        return posted

    def _erp_sync_credit_notes(self):
        """Send each posted credit note of a case to the ERP, once.

        A credit note is sent when it is first posted. Reset to draft (or
        cancelled) and posted again, it is not sent again as long as a message
        about it exists that is not cancelled: the ERP has it under its number
        already. Only when its earlier message was cancelled by an integrator
        does a new posting send a new message."""
        credit_notes = self.filtered(
            lambda move: (
                move.complaint_case_id and move.move_type in REFUND_TYPES and move.state == "posted"
            )
        )
        if not credit_notes:
            return
        sent = (
            self.env["complaint.erp.exchange"]
            .sudo()
            .search(
                [
                    ("move_id", "in", credit_notes.ids),
                    ("message_type", "=", "credit_note"),
                    ("state", "!=", "cancelled"),
                ]
            )
            .move_id
        )
        for move in credit_notes - sent:
            # the accountant who posts may not handle cases: the message is the system's
            exchanges = (
                move.complaint_case_id.sudo()
                .with_context(complaint_erp_credit_note=move.id)
                ._erp_sync_enqueue("credit_note")
            )
            exchanges.move_id = move

    def _erp_sync_credit_note_payload(self, backend):
        """The credit note's part of a ``credit_note`` message for ``backend``:
        number, invoice reversed (and its id in the ERP when it came from
        there), amounts and lines."""
        if not self:
            return {}
        self.ensure_one()
        original = self.reversed_entry_id
        binding = (
            self.env["complaint.erp.invoice"]
            .sudo()
            .search([("backend_id", "=", backend.id), ("move_id", "=", original.id)], limit=1)
            if original
            else self.env["complaint.erp.invoice"]
        )
        return {
            "number": self.name,
            "move_type": self.move_type,
            "invoice_reversed": original.name or None,
            "invoice_reversed_id": binding.external_id or None,
            "date": fields.Date.to_string(self.invoice_date or self.date),
            "currency": self.currency_id.name,
            "amount_untaxed": self.amount_untaxed,
            "amount_tax": self.amount_tax,
            "amount_total": self.amount_total,
            "lines": [
                {
                    "product_code": line.product_id.default_code or None,
                    "product": line.product_id.display_name or line.name or None,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "discount": line.discount,
                    "price_subtotal": line.price_subtotal,
                }
                for line in self.invoice_line_ids.filtered(
                    lambda line: line.display_type == "product"
                )
            ],
        }
