from unittest.mock import ANY

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintCase(ComplaintCommon):
    def test_number_is_continuous_per_type(self):
        first = self._create_case()
        second = self._create_case()
        warranty = self._create_case(type_id=self.type_warranty.id)
        year = fields.Date.today().year
        prefix, first_year, first_number = first.name.split("/")
        self.assertEqual((prefix, int(first_year)), ("RK", year))
        self.assertEqual(second.name, f"RK/{year}/{int(first_number) + 1:05d}")
        self.assertTrue(warranty.name.startswith(f"WR/{year}/"))

    def test_number_restarts_each_year(self):
        with freeze_time("2031-03-01"):
            case_2031 = self._create_case()
        self.assertEqual(case_2031.name, "RK/2031/00001")
        case_2030 = self._create_case(date_received="2030-12-31 10:00:00")
        self.assertEqual(case_2030.name, "RK/2030/00001")

    def test_number_is_per_company(self):
        other_company = self.env["res.company"].create({"name": "Complaints Oy"})
        self._create_case()
        case = self.env["complaint.case"].create(
            {
                "subject": "Wrong colour",
                "type_id": self.type_complaint.id,
                "company_id": other_company.id,
                "team_id": False,
                "user_id": False,
            }
        )
        self.assertEqual(case.name, f"RK/{fields.Date.today().year}/00001")
        sequences = self.env["ir.sequence"].search([("code", "=", "complaint.case.complaint")])
        self.assertIn(other_company, sequences.company_id)

    def test_prefix_change_renumbers_future_cases(self):
        self.type_complaint.sequence_prefix = "REK"
        self.assertTrue(self._create_case().name.startswith("REK/"))

    def test_phone_normalised_to_e164_in_partner_country(self):
        case = self._create_case(partner_phone="601 234 567")
        self.assertEqual(case.partner_phone, "+48601234567")
        case.partner_phone = "0048 22 123 45 67"
        self.assertEqual(case.partner_phone, "+48221234567")

    def test_phone_defaults_from_partner(self):
        case = self._create_case()
        self.assertEqual(case.partner_phone, "+48601234567")
        self.assertEqual(case.partner_email, "jan@kowalski.example.com")

    def test_invalid_phone_is_refused_with_message(self):
        with self.assertRaisesRegex(ValidationError, "12 is not valid"):
            self._create_case(partner_phone="12")

    def test_vip_flag_comes_from_commercial_partner(self):
        case = self._create_case()
        self.assertFalse(case.is_vip)
        self.customer.complaint_vip = True
        self.assertTrue(self.customer_contact.complaint_vip)
        self.assertTrue(case.is_vip)

    def test_confirm_checks_required_fields_and_attachments(self):
        self.type_complaint.write(
            {
                "required_field_ids": [
                    Command.set([self.env.ref("complaint_base.field_complaint_case__reason_id").id])
                ],
                "min_attachment_count": 1,
            }
        )
        case = self._create_case()
        with self.assertRaises(UserError) as error:
            case.action_confirm()
        self.assertIn("Reason", str(error.exception))
        self.assertIn("attached files: at least 1 (0 so far)", str(error.exception))
        self.assertEqual(case.state, "new")
        case.reason_id = self.env.ref("complaint_base.complaint_reason_defect")
        self.env["ir.attachment"].create(
            {"name": "photo.png", "raw": b"x", "res_model": case._name, "res_id": case.id}
        )
        case.action_confirm()
        self.assertEqual(case.state, "in_progress")

    def test_lifecycle_sets_and_clears_closing_date(self):
        case = self._create_case()
        case.action_confirm()
        case.action_wait()
        self.assertEqual(case.state, "waiting")
        case.action_resume()
        self._decide_case(case)
        case.action_close()
        self.assertEqual(case.state, "closed")
        self.assertTrue(case.date_closed)
        with self.assertRaisesRegex(UserError, "not possible"):
            case.action_confirm()

    def test_cancel_and_reset(self):
        case = self._create_case()
        case.action_cancel()
        self.assertEqual(case.state, "cancelled")
        case.action_reset_to_new()
        self.assertEqual(case.state, "new")
        self.assertFalse(case.date_closed)

    def test_batch_create_checks_each_items_company(self):
        """Cases created together are checked company by company: a product
        of another company on one item fails the whole batch with Odoo's
        message, which names the item and the case's company."""
        other_company = self.env["res.company"].create({"name": "Complaints Oy"})
        foreign_product = self.env["product.product"].create(
            {"name": "Foreign Kettle", "type": "consu", "company_id": other_company.id}
        )
        Case = self.env["complaint.case"].with_context(allowed_company_ids=self.company.ids)

        def values(products):
            return [
                {
                    "subject": f"Batch case {index}",
                    "partner_id": self.customer_contact.id,
                    "type_id": self.type_complaint.id,
                    "line_ids": [Command.create({"product_id": product.id, "quantity": 1})],
                }
                for index, product in enumerate(products)
            ]

        with self.assertRaises(UserError) as caught:
            Case.create(values([self.product_plain, foreign_product, self.product_serial]))
        # Odoo's message, naming the item by its product
        self.assertIn(
            f": Foreign Kettle” belongs to company “{self.company.name}”", str(caught.exception)
        )
        self.assertFalse(Case.search([("subject", "like", "Batch case")]))

        cases = Case.create(values([self.product_plain, self.product_serial]))
        self.assertEqual(cases.line_ids.company_id, self.company)
        self.assertEqual(cases.line_ids.product_uom_id, self.product_plain.uom_id)
        self.assertEqual(cases.mapped("partner_phone"), ["+48601234567"] * 2)
        self.assertEqual(cases.mapped("cost_total"), [0.0, 0.0])
        # an item is shown, and found, by its case and product
        item = cases[0].line_ids
        self.assertEqual(item.display_name, f"{cases[0].name}: Descaling Tablets")
        Item = self.env["complaint.case.line"]
        self.assertEqual(Item.search([("display_name", "ilike", "Descaling")]), item)
        self.assertEqual(Item.name_search(cases[1].name), [(cases[1].line_ids.id, ANY)])

    def test_cost_total_in_company_currency(self):
        foreign = (self.env.ref("base.EUR") | self.env.ref("base.USD")) - self.company.currency_id
        foreign = foreign[:1]
        foreign.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": foreign.id,
                "rate": 2.0,
                "name": "2020-01-01",
                "company_id": self.company.id,
            }
        )
        case = self._create_case(
            cost_line_ids=[
                Command.create({"cost_type": "freight", "amount": 30.0}),
                Command.create(
                    {
                        "cost_type": "refund",
                        "amount": 100.0,
                        "currency_id": foreign.id,
                        "date": "2024-05-01",
                    }
                ),
            ]
        )
        self.assertAlmostEqual(case.cost_total, 80.0)
        case.cost_line_ids.filtered(lambda line: line.cost_type == "freight").amount = 10.0
        self.assertAlmostEqual(case.cost_total, 60.0)

    def test_serial_must_match_product(self):
        with self.assertRaisesRegex(ValidationError, "EM200-0001 belongs to"):
            self._create_case(
                line_ids=[
                    Command.create({"product_id": self.product_plain.id, "lot_id": self.lot_1.id})
                ]
            )

    def test_quantity_must_be_positive(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create_case(
                line_ids=[Command.create({"product_id": self.product_plain.id, "quantity": 0})]
            )

    def test_description_is_sanitised(self):
        case = self._create_case(description="<p>Leak</p><script>alert('x')</script>")
        self.assertIn("Leak", case.description)
        self.assertNotIn("<script", case.description)

    def test_reason_filtered_by_type(self):
        shortage = self.env.ref("complaint_base.complaint_reason_shortage")
        with Form(self.env["complaint.case"]) as form:
            form.subject = "Two boxes missing"
            form.type_id = self.env.ref("complaint_base.complaint_type_discrepancy")
            form.reason_id = shortage
            form.type_id = self.type_complaint
            self.assertFalse(form.reason_id)

    def test_type_code_is_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["complaint.type"].create(
                {"name": "Duplicate", "code": "complaint", "sequence_prefix": "DU"}
            )

    def test_type_requires_only_case_fields(self):
        with self.assertRaisesRegex(ValidationError, "can only require fields of complaint cases"):
            self.type_complaint.required_field_ids = [
                Command.link(self.env.ref("base.field_res_partner__email").id)
            ]

    def test_type_with_cases_cannot_be_deleted(self):
        self._create_case()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.type_complaint.unlink()

    def test_only_managers_delete_cases(self):
        case = self._create_case(user_id=self.user.id)
        with self.assertRaises(AccessError):
            case.with_user(self.user).unlink()
        self.assertTrue(case.exists())
        case.with_user(self.manager).unlink()
        self.assertFalse(case.exists())

    def test_default_team_and_handler(self):
        case = self.env["complaint.case"].with_user(self.user).create({"subject": "Scratched lid"})
        self.assertEqual(case.team_id, self.team)
        self.assertEqual(case.user_id, self.user)
        self.assertEqual(case.channel, "backend")
        self.assertEqual(case.type_id, self.type_complaint)

    def test_name_search_by_number_or_subject(self):
        case = self._create_case(subject="Grinder jams")
        found = self.env["complaint.case"].name_search(case.name)
        self.assertEqual([row[0] for row in found], case.ids)
        self.assertIn(
            case.id, [row[0] for row in self.env["complaint.case"].name_search("Grinder")]
        )
