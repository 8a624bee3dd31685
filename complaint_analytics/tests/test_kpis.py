from odoo.tests import tagged

from .common import AnalyticsCommon


@tagged("post_install", "-at_install")
class TestKpis(AnalyticsCommon):
    """Each KPI against the figures worked out by hand in AnalyticsCommon."""

    def test_counts_costs_and_rates(self):
        kpis = self._kpis()
        self.assertEqual(kpis["case_count"], 3)
        self.assertEqual(kpis["open_count"], 2)  # B reopened, C new
        self.assertEqual(kpis["overdue_count"], 2)  # B (Analysis, 7 days), C (New, 2 days)
        self.assertEqual(kpis["cost_total"], 350.0)  # D is December's
        self.assertEqual(kpis["sla_compliance"], 50.0)  # A met, B breached, C running
        self.assertEqual(kpis["reopen_rate"], 33.33)
        self.assertEqual(kpis["deemed_accepted_count"], 0)

    def test_handling_times_exclude_waiting_for_the_customer(self):
        kpis = self._kpis()
        # A 6 h, B 362 h (its decision is its first answer)
        self.assertEqual(kpis["avg_hours_to_first_answer"], 184.0)
        # A 72 h - 24 h waiting, B 362 h
        self.assertEqual(kpis["avg_hours_to_decision"], 205.0)
        # only A is closed: 96 h - 24 h waiting
        self.assertEqual(kpis["avg_hours_to_close"], 72.0)
        self.assertEqual(kpis["avg_waiting_hours"], 8.0)  # (24 + 0 + 0) / 3
        # Mon 08:00 to Fri 08:00 is 32 working hours, Tuesday's 8 were waiting
        self.assertEqual(kpis["avg_work_hours_to_close"], 24.0)

    def test_average_hours_per_stage(self):
        self.assertEqual(
            self._kpis()["avg_hours_per_stage"],
            {
                "New": 3.0,  # A 4, B 2 (C is still there: not counted)
                "Analysis": 134.67,  # A 20 and 24, B 360
                "Waiting for Customer": 24.0,
                "Decided": 24.0,
                "Closed": 24.0,  # B's day closed before it was reopened
            },
        )

    def test_per_handler_and_customer(self):
        kpis = self._kpis()
        self.assertEqual(kpis["claims_per_handler"], {"Ulla User": 2, "Otto Other": 1})
        self.assertEqual(kpis["claims_per_customer"], {"Kowalski Sp. z o.o.": 2, "Virtanen Oy": 1})
        # over the closed cases: B was reopened, C is new
        self.assertEqual(kpis["avg_hours_per_handler"], {"Ulla User": 72.0})
        self.assertEqual(kpis["avg_hours_per_customer"], {"Kowalski Sp. z o.o.": 72.0})

    def test_most_complained_products_and_categories(self):
        kpis = self._kpis()
        self.assertEqual(
            kpis["top_products"],
            {"Espresso Machine EM-200": 1.5, "Descaling Tablets": 1.0, "Milk Jug": 0.5},
        )
        self.assertEqual(kpis["top_categories"], {"Machines": 1.5, "Consumables": 1.5})
        self.assertEqual(kpis["top_reasons"], {"Leak": 2, "Noise": 1})

    def test_cost_per_category_site_and_reason(self):
        kpis = self._kpis()
        # B's 200 shared between its two items
        self.assertEqual(kpis["cost_per_category"], {"Machines": 250.0, "Consumables": 100.0})
        self.assertEqual(kpis["cost_per_site"], {"Site South": 200.0, "Site North": 150.0})
        self.assertEqual(kpis["cost_per_reason"], {"Noise": 200.0, "Leak": 150.0})

    def test_repeat_serials(self):
        kpis = self._kpis()
        self.assertEqual(kpis["repeat_serial_count"], 1)
        self.assertEqual(kpis["repeat_serials"], ["EM200-0001"])

    def test_share_by_channel(self):
        kpis = self._kpis()
        self.assertEqual(kpis["online_share"], 66.67)
        self.assertEqual(kpis["channel_share"], {"Portal": 66.67, "E-mail": 33.33})

    def test_domain_narrows_the_figures(self):
        kpis = self._kpis(domain=[("user_id", "=", self.other_user.id)])
        self.assertEqual(kpis["case_count"], 1)
        self.assertEqual(kpis["cost_total"], 200.0)
        self.assertEqual(kpis["sla_compliance"], 0.0)
