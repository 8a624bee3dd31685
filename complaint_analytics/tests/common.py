from datetime import datetime

from freezegun import freeze_time

from odoo import Command

from odoo.addons.complaint_workflow.tests.common import WorkflowCommon

# the day the figures are read: after every event of the data set
NOW = datetime(2026, 2, 10, 12, 0)
JANUARY = (datetime(2026, 1, 1), datetime(2026, 2, 1))


class AnalyticsCommon(WorkflowCommon):
    """A known January 2026 (three cases) and one December 2025 case, on a
    working calendar of 8 hours a day (Mon-Fri 8-12 and 13-17, UTC).

    - A (Ulla, Kowalski, portal, site 1, reason Leak): received Mon 5 Jan
      08:00; Analysis at 12:00; Ulla answers at 14:00; waits for the customer
      from Tue 08:00 to Wed 08:00; decided Thu 8 Jan 08:00; closed Fri 08:00.
      One espresso machine (serial EM200-0001); freight 100 + repair 50.
    - B (Otto, Virtanen, e-mail, site 2, reason Noise): received Wed 14 Jan
      08:00; Analysis at 10:00; decided Thu 29 Jan 10:00 (statutory 14 days
      breached); closed Fri 30 Jan 10:00; reopened Sat 31 Jan 10:00.
      The same serial again and descaling tablets; labour 200.
    - C (Ulla, Kowalski, portal, site 1, reason Leak): received Fri 30 Jan
      16:00, still new; tablets and a milk jug; no cost.
    - D (Ulla, backend, reason Noise): received 20 Dec 2025; cost 999."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Office 8h UTC",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": start + 4,
                            "day_period": "morning" if start == 8 else "afternoon",
                        }
                    )
                    for day in range(5)
                    for start in (8, 13)
                ],
            }
        )
        cls.team.resource_calendar_id = cls.calendar
        cls.team.member_ids = [Command.link(cls.other_user.id)]
        (cls.user | cls.other_user).resource_calendar_id = False
        cls.categ_machines = cls.env["product.category"].create({"name": "Machines"})
        cls.categ_consumables = cls.env["product.category"].create({"name": "Consumables"})
        cls.product_serial.categ_id = cls.categ_machines
        cls.product_plain.categ_id = cls.categ_consumables
        cls.product_jug = cls.env["product.product"].create(
            {"name": "Milk Jug", "type": "consu", "categ_id": cls.categ_consumables.id}
        )
        warehouses = cls.env["stock.warehouse"].create(
            [
                {"name": "Site North", "code": "NRTH"},
                {"name": "Site South", "code": "STH"},
            ]
        )
        cls.site_1, cls.site_2 = warehouses
        cls.reason_leak, cls.reason_noise = cls.env["complaint.reason"].create(
            [{"name": "Leak"}, {"name": "Noise"}]
        )
        cls.case_a = cls._case_at(
            "2026-01-05 08:00",
            user_id=cls.user.id,
            channel="portal",
            warehouse_id=cls.site_1.id,
            reason_id=cls.reason_leak.id,
            line_ids=[
                Command.create({"product_id": cls.product_serial.id, "lot_id": cls.lot_1.id})
            ],
            costs=[("freight", 100.0), ("repair", 50.0)],
        )
        cls._move(cls.case_a, "2026-01-05 12:00", cls.stage_analysis)
        with freeze_time("2026-01-05 14:00"):
            cls.case_a.with_user(cls.user).message_post(
                body="We are looking into it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        cls._move(cls.case_a, "2026-01-06 08:00", cls.stage_waiting)
        cls._move(cls.case_a, "2026-01-07 08:00", cls.stage_analysis)
        cls._decide(cls.case_a, "2026-01-08 08:00")
        cls._move(cls.case_a, "2026-01-09 08:00", cls.stage_closed)

        cls.case_b = cls._case_at(
            "2026-01-14 08:00",
            user_id=cls.other_user.id,
            partner_id=cls.other_customer.id,
            channel="email",
            warehouse_id=cls.site_2.id,
            reason_id=cls.reason_noise.id,
            line_ids=[
                Command.create({"product_id": cls.product_serial.id, "lot_id": cls.lot_1.id}),
                Command.create({"product_id": cls.product_plain.id, "quantity": 3}),
            ],
            costs=[("labour", 200.0)],
        )
        cls._move(cls.case_b, "2026-01-14 10:00", cls.stage_analysis)
        cls._decide(cls.case_b, "2026-01-29 10:00")
        cls._move(cls.case_b, "2026-01-30 10:00", cls.stage_closed)
        cls._move(cls.case_b, "2026-01-31 10:00", cls.stage_analysis)

        cls.case_c = cls._case_at(
            "2026-01-30 16:00",
            user_id=cls.user.id,
            channel="portal",
            warehouse_id=cls.site_1.id,
            reason_id=cls.reason_leak.id,
            line_ids=[
                Command.create({"product_id": cls.product_plain.id, "quantity": 2}),
                Command.create({"product_id": cls.product_jug.id}),
            ],
        )
        cls.case_d = cls._case_at(
            "2025-12-20 09:00",
            user_id=cls.user.id,
            reason_id=cls.reason_noise.id,
            costs=[("other", 999.0)],
        )
        with freeze_time(NOW):
            cls.env["complaint.case.report"]._refresh_stale()

    @classmethod
    def _case_at(cls, when, costs=(), **values):
        with freeze_time(when):
            case = cls._create_case(
                date_received=when,
                team_id=cls.team.id,
                subject=f"Case of {when}",
                **values,
            )
            cls.env["complaint.cost.line"].create(
                [
                    {"case_id": case.id, "cost_type": cost_type, "amount": amount}
                    for cost_type, amount in costs
                ]
            )
        return case

    @classmethod
    def _move(cls, case, when, stage):
        with freeze_time(when):
            # managers may reopen a closed case
            case.with_user(cls.manager).write({"stage_id": stage.id})

    @classmethod
    def _decide(cls, case, when):
        with freeze_time(when):
            cls.env["complaint.case.decide"].create(
                {"case_id": case.id, "decision": "accepted", "resolution": "refund"}
            ).action_confirm()

    def _kpis(self, domain=None, user=None):
        with freeze_time(NOW):
            kpi = self.env["complaint.analytics.kpi"]
            if user:
                kpi = kpi.with_user(user)
            return kpi._get_kpis(*JANUARY, domain)
