from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintRmaCommon


@tagged("post_install", "-at_install")
class TestReturnWindow(ComplaintRmaCommon):
    def _days_after_delivery(self, days):
        return fields.Datetime.to_string(self.delivery.date_done + timedelta(days=days))

    def test_return_inside_window_is_accepted(self):
        with freeze_time(self._days_after_delivery(14)):
            case = self._create_return_case([(self.inv_line_plain, 3, False)])
        self.assertEqual(
            case.return_deadline, (self.delivery.date_done + timedelta(days=14)).date()
        )
        self.assertFalse(case.return_window_exceeded)

    def test_return_outside_window_is_refused(self):
        with freeze_time(self._days_after_delivery(15)), self.assertRaises(ValidationError):
            self._create_return_case([(self.inv_line_plain, 3, False)])
        self.assertFalse(self.env["complaint.case"].search([("invoice_id", "=", self.invoice.id)]))

    def test_company_window_setting(self):
        settings = self.env["res.config.settings"].create({"complaint_return_days": 30})
        settings.execute()
        self.assertEqual(self.company.complaint_return_days, 30)
        with freeze_time(self._days_after_delivery(20)):
            case = self._create_return_case([(self.inv_line_plain, 1, False)])
        self.assertTrue(case)

    def test_partner_extension_by_manager(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user).complaint_return_extra_days = 16
        self.customer.with_user(self.manager).complaint_return_extra_days = 16
        self.assertEqual(self.customer.complaint_return_extension_user_id, self.manager)
        self.assertTrue(self.customer.complaint_return_extension_date)
        with freeze_time(self._days_after_delivery(30)):
            case = self._create_return_case([(self.inv_line_plain, 1, False)])
        self.assertEqual(
            case.return_deadline, (self.delivery.date_done + timedelta(days=30)).date()
        )
        with freeze_time(self._days_after_delivery(31)), self.assertRaises(ValidationError):
            self._create_return_case([(self.inv_line_plain, 1, False)])

    def test_exception_by_manager_with_reason(self):
        late = self._days_after_delivery(40)
        with freeze_time(late), self.assertRaises(UserError):
            self._create_return_case(
                [(self.inv_line_plain, 1, False)],
                return_window_exception=True,
                return_window_exception_reason="Good customer",
            )
        with freeze_time(late), self.assertRaises(ValidationError):
            self._create_return_case(
                [(self.inv_line_plain, 1, False)], user=self.manager, return_window_exception=True
            )
        with freeze_time(late):
            case = self._create_return_case(
                [(self.inv_line_plain, 1, False)],
                user=self.manager,
                return_window_exception=True,
                return_window_exception_reason="Long-standing customer, unopened box",
            )
        self.assertEqual(case.return_window_exception_user_id, self.manager)
        self.assertEqual(
            case.return_window_exception_reason, "Long-standing customer, unopened box"
        )
        with self.assertRaises(UserError):
            case.with_user(self.user).return_window_exception = False
        self.assertTrue(case.return_window_exception)

    def test_window_checked_when_lines_added_later(self):
        with freeze_time(self._days_after_delivery(20)):
            case = (
                self.env["complaint.case"]
                .with_user(self.user)
                .create(
                    {
                        "subject": "Late",
                        "partner_id": self.customer.id,
                        "type_id": self.type_return.id,
                    }
                )
            )
            with self.assertRaises(ValidationError), Form(case) as form:
                with form.line_ids.new() as line:
                    line.product_id = self.product_plain
                    line.quantity = 1
                form.delivery_picking_id = self.delivery
        self.assertFalse(case.line_ids)

    def test_quantity_above_delivered_is_refused(self):
        with self.assertRaises(ValidationError):
            self._create_return_case([(self.inv_line_plain, 11, False)])
        self._create_return_case([(self.inv_line_plain, 6, False)])
        with self.assertRaises(ValidationError):
            self._create_return_case([(self.inv_line_plain, 5, False)])

    def test_serial_not_on_delivery_is_refused(self):
        stranger = self.env["stock.lot"].create(
            {"name": "EM200-9999", "product_id": self.product_serial.id}
        )
        with self.assertRaises(ValidationError):
            self._create_return_case([(self.inv_line_serial, 1, stranger)])

    def test_window_applies_to_every_channel(self):
        """Portal, public form and API create cases as superuser with their
        channel: the window holds there too."""
        for channel in ("portal", "api", "email"):
            with freeze_time(self._days_after_delivery(15)), self.assertRaises(ValidationError):
                self.env["complaint.case"].sudo().create(
                    {
                        "subject": "Return",
                        "partner_id": self.customer.id,
                        "type_id": self.type_return.id,
                        "channel": channel,
                        "invoice_id": self.invoice.id,
                        "line_ids": [
                            Command.create(
                                {"invoice_line_id": self.inv_line_plain.id, "quantity": 1}
                            )
                        ],
                    }
                )
