# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ComplaintCase(models.Model):
    _inherit = "complaint.case"

    def action_create_supplier_case(self):
        """Pass the case on to the vendor and tell the ERP: a ``supplier_claim``
        message on the supplier claim (new or joined), after its earlier ones."""
        action = super().action_create_supplier_case()
        self.supplier_case_id.with_context(complaint_erp_customer_case=self.id)._erp_sync_enqueue(
            "supplier_claim"
        )
        return action

    def _erp_sync_outbound_payload(self, backend, message_type):
        payload = super()._erp_sync_outbound_payload(backend, message_type)
        if message_type == "credit_note":
            move = self.env["account.move"].browse(
                self.env.context.get("complaint_erp_credit_note")
            )
            payload["credit_note"] = move.exists()._erp_sync_credit_note_payload(backend)
        elif message_type == "supplier_claim":
            customer_case = self.browse(self.env.context.get("complaint_erp_customer_case"))
            payload["supplier_claim"] = self._erp_sync_supplier_claim_payload(
                backend, customer_case.exists()
            )
        return payload

    def _erp_sync_supplier_claim_payload(self, backend, customer_case):
        """The supplier claim's part of a ``supplier_claim`` message: the vendor,
        the customer case passed on, the claimed items and what to recover."""
        self.ensure_one()
        Partner = self.env["complaint.erp.partner"].sudo()
        customer = Partner.search(
            [
                ("backend_id", "=", backend.id),
                ("partner_id", "=", customer_case.commercial_partner_id.id),
            ],
            limit=1,
        )
        return {
            "vendor": self.commercial_partner_id.name,
            "vendor_bill": self.invoice_id.name or None,
            "customer_case": customer_case.name or None,
            "customer_case_customer_id": customer.external_id or None,
            "amount_to_recover": self.amount_to_recover,
            "currency": self.currency_id.name,
            "lines": [
                {
                    "product_code": line.product_id.default_code or None,
                    "product": line.product_id.display_name or None,
                    "serial": line.lot_id.name or None,
                    "quantity": line.quantity,
                }
                for line in self.line_ids
            ],
            "date": fields.Date.to_string(fields.Date.context_today(self)),
        }
