from odoo import Command
from odoo.tests import Form, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestSerialHistory(ComplaintCommon):
    def _case_for_lot(self, lot, partner=None):
        return self._create_case(
            partner_id=(partner or self.customer_contact).id,
            line_ids=[Command.create({"product_id": lot.product_id.id, "lot_id": lot.id})],
        )

    def test_earlier_case_on_same_serial_is_shown(self):
        first = self._case_for_lot(self.lot_1, partner=self.other_customer)
        second = self._case_for_lot(self.lot_1)
        self.assertEqual(second.history_case_ids, first)
        self.assertEqual(second.history_case_count, 1)
        self.assertEqual(first.history_case_ids, second)
        self.assertFalse(self._case_for_lot(self.lot_2).history_case_count)

    def test_new_case_form_warns_before_saving(self):
        earlier = self._case_for_lot(self.lot_1)
        with Form(self.env["complaint.case"]) as form:
            form.subject = "Leaks again"
            form.partner_id = self.customer_contact
            with form.line_ids.new() as line:
                line.product_id = self.product_serial
                line.lot_id = self.lot_1
            self.assertEqual(form.history_case_count, 1)
            case = form.save()
        self.assertEqual(case.history_case_ids, earlier)

    def test_untracked_product_history_is_per_customer(self):
        line = [Command.create({"product_id": self.product_plain.id, "quantity": 2})]
        first = self._create_case(line_ids=line)
        self._create_case(partner_id=self.other_customer.id, line_ids=line)
        second = self._create_case(line_ids=line)
        self.assertEqual(second.history_case_ids, first)

    def test_case_without_items_has_no_history(self):
        self._case_for_lot(self.lot_1)
        case = self._create_case()
        self.assertFalse(case.history_case_count)
        self.assertFalse(case.history_repair_count)

    def test_history_action_opens_earlier_cases(self):
        first = self._case_for_lot(self.lot_1)
        second = self._case_for_lot(self.lot_1)
        action = second.action_view_history_cases()
        self.assertEqual(self.env["complaint.case"].search(action["domain"]), first)

    def test_repair_orders_on_serial_are_counted(self):
        if "repair.order" not in self.env:
            # repair is optional; the test run installs it to cover this branch
            self.skipTest("repair is not installed")
        self.env["repair.order"].create(
            {
                "product_id": self.product_serial.id,
                "lot_id": self.lot_1.id,
                "partner_id": self.customer.id,
            }
        )
        case = self._case_for_lot(self.lot_1)
        self.assertEqual(case.history_repair_count, 1)
        action = case.action_view_history_repairs()
        self.assertEqual(self.env["repair.order"].search_count(action["domain"]), 1)
