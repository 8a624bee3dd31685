from odoo.addons.complaint_erp_sync.tests.common import ErpSyncCommon
from odoo.addons.complaint_rma.tests.common import RmaSettlementCommon


class ErpRmaCommon(RmaSettlementCommon, ErpSyncCommon):
    """complaint_rma's settlement fixtures (a real sale delivered and invoiced)
    with complaint_erp_sync's ERP simulator and backend; the customer, the
    vendor and the invoice are known to the ERP (bindings)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.default_code = "EG-5"
        cls.product_filter.default_code = "WF-1"
        __, __, cls.invoice = cls._sell(
            [(cls.product, 5, 250.0, 10.0), (cls.product_filter, 10, 20.0, 0.0)]
        )
        cls.env["complaint.erp.partner"].create(
            [
                {
                    "backend_id": cls.backend.id,
                    "external_id": "C100",
                    "partner_id": cls.customer.id,
                },
                {"backend_id": cls.backend.id, "external_id": "V200", "partner_id": cls.vendor.id},
            ]
        )
        cls.invoice_binding = cls.env["complaint.erp.invoice"].create(
            {"backend_id": cls.backend.id, "external_id": "INV-9001", "move_id": cls.invoice.id}
        )

    def credit_note_messages(self, case=None):
        return self.outbox(case).filtered(lambda message: message.message_type == "credit_note")
