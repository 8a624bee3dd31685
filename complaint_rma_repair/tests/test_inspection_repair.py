from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.complaint_rma.tests.common import ComplaintRmaCommon


@tagged("post_install", "-at_install")
class TestInspectionRepair(ComplaintRmaCommon):
    def test_repair_order_from_inspection(self):
        case = self._create_return_case([(self.inv_line_serial, 1, self.lots[0])])
        case.action_confirm()
        line = case.line_ids
        line.inspection_result = "repair"
        with self.assertRaises(UserError):
            case.with_user(self.user).action_apply_inspection()
        self.assertFalse(line.repair_id)
        case.with_user(self.user).action_create_return()
        self._receive(case.picking_ids)
        case.with_user(self.user).action_apply_inspection()
        repair = line.repair_id
        self.assertTrue(line.inspection_done)
        self.assertEqual(repair.product_id, self.product_serial)
        self.assertEqual(repair.lot_id, self.lots[0])
        self.assertEqual(repair.partner_id, self.customer)
        self.assertEqual(repair.picking_id, case.picking_ids)
        self.assertEqual(case.repair_count, 1)
        self.assertEqual(case.action_view_repairs()["domain"], [("id", "in", repair.ids)])
