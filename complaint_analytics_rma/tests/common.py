from odoo import fields

from odoo.addons.complaint_rma.tests.common import RmaSettlementCommon


class AnalyticsRmaCommon(RmaSettlementCommon):
    """One sale of 5 grinders (250, 10 % discount) and 10 filters (20), taxed
    at the company's sale tax, delivered and invoiced; three cases of it:

    - grinders: 2 claimed, returned to stock, settled in full;
    - filters: 4 claimed, 3 of them credited (partly settled);
    - grinders: 1 claimed, rejected (nothing to settle)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, cls.delivery, cls.invoice = cls._sell(
            [(cls.product, 5, 250.0, 10.0), (cls.product_filter, 10, 20.0, 0.0)]
        )
        cls.tax_rate = cls.tax.amount / 100.0
        cls.case_returned = cls._claim(cls.invoice, {cls.product: 2}, resolution="refund")
        cls.case_partly = cls._claim(cls.invoice, {cls.product_filter: 4}, resolution="refund")
        cls.case_rejected = cls._claim(cls.invoice, {cls.product: 1}, decide="rejected")

    def _return_and_settle(self):
        """Receive the returned grinders back to stock and settle what is due,
        through the case's buttons and the Settle wizard."""
        self.case_returned.with_user(self.handler).action_create_return()
        picking = self.case_returned.picking_ids
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
        self.case_returned.line_ids.with_user(self.handler).inspection_result = "stock"
        self._settle_all(self.case_returned, user=self.accountant)
        self.case_partly.with_user(self.accountant)._settle({self.case_partly.line_ids.id: 3})

    def _today(self):
        today = fields.Date.context_today(self.env.user)
        return today, fields.Date.add(today, days=1)
