from odoo.tests import tagged

from .common import AnalyticsRmaCommon


@tagged("post_install", "-at_install")
class TestReports(AnalyticsRmaCommon):
    def _cases(self):
        return self.env["complaint.case.report"].search(
            [("case_id", "in", (self.case_returned | self.case_partly | self.case_rejected).ids)]
        )

    def test_settled_amount_and_returned_quantity_per_case(self):
        Report = self.env["complaint.case.report"]
        Report._refresh()
        rows = self._cases()
        self.assertEqual(len(rows), 3)
        self.assertEqual(set(rows.mapped("amount_settled")), {0.0})
        self.assertEqual(set(rows.mapped("qty_returned")), {0.0})
        self.assertEqual(set(rows.mapped("settlement_state")), {"to_settle", "none"})
        self._return_and_settle()
        # the cron's incremental refresh sees the receipt and the credit notes
        self.assertTrue(Report._refresh_stale())
        rows = {row.case_id: row for row in self._cases()}
        # 2 grinders at 225 (250 less 10 %) and 3 filters at 20, taxes included
        grinders = round(2 * 225.0 * (1 + self.tax_rate), 2)
        filters = round(3 * 20.0 * (1 + self.tax_rate), 2)
        self.assertAlmostEqual(rows[self.case_returned].amount_settled, grinders)
        self.assertAlmostEqual(rows[self.case_partly].amount_settled, filters)
        self.assertEqual(rows[self.case_rejected].amount_settled, 0.0)
        self.assertAlmostEqual(
            rows[self.case_returned].amount_settled,
            abs(self.case_returned.credit_note_ids.amount_total_signed),
        )
        self.assertEqual(rows[self.case_returned].settlement_state, "settled")
        self.assertEqual(rows[self.case_partly].settlement_state, "partly_settled")
        self.assertEqual(rows[self.case_rejected].settlement_state, "none")
        self.assertEqual(rows[self.case_returned].qty_returned, 2.0)
        self.assertEqual(rows[self.case_partly].qty_returned, 0.0)
        groups = dict(
            Report._read_group(
                [("id", "in", [row.id for row in rows.values()])],
                ["settlement_state"],
                ["amount_settled:sum"],
            )
        )
        self.assertEqual(groups.keys(), {"settled", "partly_settled", "none"})
        self.assertAlmostEqual(groups["settled"] + groups["partly_settled"], grinders + filters)

    def test_returned_and_credited_quantity_per_product(self):
        self._return_and_settle()
        self.env["complaint.case.report"]._refresh()
        Lines = self.env["complaint.case.line.report"]
        domain = [("partner_id", "=", self.customer.id)]
        by_product = {
            product: (claimed, returned, credited)
            for product, claimed, returned, credited in Lines._read_group(
                domain,
                ["product_id"],
                ["quantity:sum", "qty_returned:sum", "qty_credited:sum"],
            )
        }
        self.assertEqual(by_product[self.product], (3.0, 2.0, 2.0))
        self.assertEqual(by_product[self.product_filter], (4.0, 0.0, 3.0))
        by_inspection = dict(Lines._read_group(domain, ["inspection_result"], ["__count"]))
        self.assertEqual(by_inspection, {"stock": 1, False: 2})

    def test_kpis_count_the_settled_amount_and_returned_quantity(self):
        self._return_and_settle()
        self.env["complaint.case.report"]._refresh()
        date_from, date_to = self._today()
        kpis = self.env["complaint.analytics.kpi"]._get_kpis(
            date_from, date_to, [("partner_id", "=", self.customer.id)]
        )
        expected = round(2 * 225.0 * (1 + self.tax_rate) + 3 * 20.0 * (1 + self.tax_rate), 2)
        self.assertAlmostEqual(kpis["amount_settled"], expected)
        self.assertEqual(kpis["qty_returned"], 2.0)
        self.assertEqual(kpis["case_count"], 3)
