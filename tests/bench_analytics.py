"""Analytics benchmark: the complaint analyses over a million cases, side by side
with OCA helpdesk_mgmt's tickets at the same volume.

    bash tools/bench.sh tests/bench_analytics.py --cases 1000000
    bash tools/bench.sh tests/bench_analytics.py --cases 50000      # quick run

Creates a fresh database with complaint_analytics and helpdesk_mgmt, loads
``--cases`` cases over two years with SQL (two claimed items, one cost and two
stage stays each, in 40 product categories) and as many helpdesk tickets, then
measures:

- the full refresh of the analysis tables (what an install or upgrade does) and
  an incremental refresh after 100 changed cases (what the five-minute cron and
  every analysis menu do: the freshness lag);
- the pivot's ``read_group`` by month x product category with costs and the
  average handling time, through the ORM as a manager, and the plan of its SQL;
- the dashboard's data load: the read_group calls of its KPI tiles, tables and
  charts, for its default period (the last twelve months);
- the same month x category grouping on ``helpdesk.ticket`` (count through the
  ORM; the average resolution time in SQL, as helpdesk_mgmt has no stored
  measure for it).

Prints the figures; drops the database unless --keep-db. Target: each read
under 1 s.
"""

import argparse
import os
import sys
import time
import uuid
from datetime import datetime, timedelta

import odoo
from odoo import api
from odoo.modules.registry import Registry

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_data

TARGET = 1.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="Odoo config (written by tools/bench.sh)")
    parser.add_argument("--db", default=f"complaint_bench_an_{uuid.uuid4().hex[:8]}")
    parser.add_argument("--cases", type=int, default=1000000)
    parser.add_argument("--keep-db", action="store_true")
    return parser.parse_args()


def timed(label, func, results):
    t0 = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - t0
    results.append((label, seconds))
    print(f"  {label}: {seconds * 1000:.0f} ms", flush=True)
    return value


def load_cases(env, count):
    """Cases, items, costs and stage stays straight into the tables."""
    cr = env.cr
    ref = env.ref
    categories = env["product.category"].create([{"name": f"Group {i}"} for i in range(40)])
    products = env["product.product"].create(
        [
            {"name": f"Product {i}", "type": "consu", "categ_id": categories[i % 40].id}
            for i in range(400)
        ]
    )
    partners = env["res.partner"].create(
        [{"name": f"Customer {i}", "is_company": True} for i in range(2000)]
    )
    users = env["res.users"].create(
        [
            {
                "name": f"Handler {i}",
                "login": f"handler{i}",
                "groups_id": [(6, 0, [ref("complaint_base.group_complaint_user").id])],
            }
            for i in range(10)
        ]
    )
    teams = env["complaint.team"].create(
        [
            {"name": f"Team {i}", "member_ids": [(6, 0, users[i * 5 : i * 5 + 5].ids)]}
            for i in range(2)
        ]
    )
    reasons = env["complaint.reason"].search([])
    stages = {
        state: env["complaint.stage"].search([("state", "=", state)], limit=1).id
        for state in ("new", "in_progress", "decided", "closed")
    }
    params = {
        "count": count,
        "company": env.company.id,
        "currency": env.company.currency_id.id,
        "type": ref("complaint_base.complaint_type_complaint").id,
        "partners": partners.ids,
        "users": users.ids,
        "teams": teams.ids,
        "reasons": reasons.ids,
        "products": products.ids,
        "new": stages["new"],
        "progress": stages["in_progress"],
        "closed": stages["closed"],
        "start": datetime.now() - timedelta(days=730),
    }
    cr.execute(
        """
        INSERT INTO complaint_case (
            name, subject, type_id, channel, state, stage_id, company_id, partner_id,
            commercial_partner_id, user_id, team_id, reason_id, severity, priority, active,
            date_received, date_decision, date_closed, date_deadline, deemed_accepted,
            sla_status, approval_state, cost_total, effective_hours,
            create_uid, write_uid, create_date, write_date)
        SELECT 'BN/' || n, 'Bench ' || n, %(type)s,
               (ARRAY['backend','email','portal','web_form','phone','api'])[1 + n %% 6],
               CASE WHEN n %% 10 < 7 THEN 'closed' ELSE 'in_progress' END,
               CASE WHEN n %% 10 < 7 THEN %(closed)s ELSE %(progress)s END,
               %(company)s, p, p,
               (%(users)s)[1 + n %% 10], (%(teams)s)[1 + n %% 2],
               (%(reasons)s)[1 + n %% array_length(%(reasons)s, 1)],
               'medium', '0', true, received,
               CASE WHEN n %% 10 < 7 THEN received + interval '3 days' END,
               CASE WHEN n %% 10 < 7 THEN received + interval '5 days' END,
               received + interval '14 days', false,
               CASE WHEN n %% 10 < 6 THEN 'met' WHEN n %% 10 = 6 THEN 'breached'
                    ELSE 'running' END,
               'none', (n %% 500)::numeric, 0, 1, 1, now() - interval '1 day',
               now() - interval '1 day'
          FROM (SELECT n, (%(partners)s)[1 + n %% 2000] AS p,
                       %(start)s + (n %% 730) * interval '1 day'
                                 + (n %% 1440) * interval '1 minute' AS received
                  FROM generate_series(1, %(count)s) n) s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO complaint_case_line (case_id, company_id, product_id, quantity, sequence)
        SELECT c.id, c.company_id, (%(products)s)[1 + (c.id * 7 + k) %% 400], 1, k
          FROM complaint_case c, generate_series(1, 2) k
         WHERE c.name LIKE 'BN/%%'
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO complaint_cost_line (case_id, company_id, cost_type, date, amount,
                                         currency_id, amount_company)
        SELECT id, company_id,
               (ARRAY['freight','repair','refund','replacement','labour','goodwill','other'])
                   [1 + id %% 7],
               date_received::date, cost_total, %(currency)s, cost_total
          FROM complaint_case WHERE name LIKE 'BN/%%'
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO complaint_stage_log (case_id, company_id, stage_id, user_id, date_start,
                                         date_end, duration_hours)
        SELECT id, company_id, %(new)s, user_id, date_received,
               date_received + interval '4 hours', 4
          FROM complaint_case WHERE name LIKE 'BN/%%'
        UNION ALL
        SELECT id, company_id, stage_id, user_id, date_received + interval '4 hours', NULL, 0
          FROM complaint_case WHERE name LIKE 'BN/%%'
        """,
        params,
    )
    cr.execute("ANALYZE")
    env.invalidate_all()
    return categories


def load_tickets(env, count):
    cr = env.cr
    categories = env["helpdesk.ticket.category"].create(
        [{"name": f"Category {i}"} for i in range(40)]
    )
    teams = env["helpdesk.ticket.team"].create([{"name": f"Desk {i}"} for i in range(2)])
    stages = env["helpdesk.ticket.stage"].search([])
    partners = env["res.partner"].search([("name", "like", "Customer %")])
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (number, name, description, stage_id, team_id, partner_id,
                                     commercial_partner_id, company_id, category_id, priority,
                                     kanban_state, active, create_date, last_stage_update,
                                     closed_date, create_uid, write_uid, write_date)
        SELECT 'HT' || n, 'Ticket ' || n, '<p>Broken</p>', (%(stages)s)[1 + n %% 6],
               (%(teams)s)[1 + n %% 2], (%(partners)s)[1 + n %% 2000],
               (%(partners)s)[1 + n %% 2000], %(company)s, (%(categories)s)[1 + n %% 40],
               '1', 'normal', true, created, created,
               CASE WHEN n %% 10 < 7 THEN created + interval '5 days' END, 1, 1, now()
          FROM (SELECT n, %(start)s + (n %% 730) * interval '1 day'
                                    + (n %% 1440) * interval '1 minute' AS created
                  FROM generate_series(1, %(count)s) n) s
        """,
        {
            "count": count,
            "stages": stages.ids,
            "teams": teams.ids,
            "partners": partners.ids,
            "categories": categories.ids,
            "company": env.company.id,
            "start": datetime.now() - timedelta(days=730),
        },
    )
    cr.execute("ANALYZE helpdesk_ticket")
    env.invalidate_all()


class QueryCapture:
    """The SQL queries run while the block runs (to EXPLAIN the pivot's)."""

    def __init__(self, cr):
        self.cr = cr
        self.queries = []

    def __enter__(self):
        self._execute = self.cr.execute

        def execute(query, params=None, log_exceptions=True):
            self.queries.append((query, params))
            return self._execute(query, params, log_exceptions)

        self.cr.execute = execute
        return self

    def __exit__(self, *exc):
        self.cr.execute = self._execute


def explain(cr, captured, needle="GROUP BY"):
    for query, params in captured.queries:
        text = query.code if hasattr(query, "code") else str(query)
        if needle in text:
            if hasattr(query, "params"):
                params = query.params
            cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {text}", params)
            plan = [row[0] for row in cr.fetchall()]
            print("    " + "\n    ".join(plan), flush=True)
            return


def dashboard_calls(env, today):
    """The read_group calls the dashboard makes on opening, with the domains
    its default period filter ("last 365 days", relative) sends: from the
    start of the day 364 days ago to the end of today; the previous period
    for the tiles' baselines."""
    Cases = env["complaint.case.report"]
    Items = env["complaint.case.line.report"]
    start = datetime.combine(today, datetime.min.time()) - timedelta(days=364)
    end = datetime.combine(today, datetime.max.time()).replace(microsecond=0)
    year = timedelta(days=365)
    period = [("date_received", ">=", start), ("date_received", "<=", end)]
    previous = [("date_received", ">=", start - year), ("date_received", "<=", end - year)]
    tiles = [
        "nbr:sum",
        "open_count:sum",
        "overdue_count:sum",
        "hours_to_close:avg",
        "sla_compliance:avg",
        "cost_total:sum",
        "online_share:avg",
    ]
    return [
        ("tiles, current period", lambda: Cases.read_group(period, tiles, [])),
        ("tiles, previous period", lambda: Cases.read_group(previous, tiles, [])),
        (
            "top products",
            lambda: Items.read_group(
                period,
                ["case_share:sum", "cost_share:sum"],
                ["product_id"],
                orderby="case_share desc",
            ),
        ),
        (
            "top reasons",
            lambda: Cases.read_group(period, ["nbr:sum", "cost_total:sum"], ["reason_id"]),
        ),
        (
            "chart cases by month",
            lambda: Cases.read_group(period, ["nbr:sum"], ["date_received:month"], lazy=False),
        ),
        (
            "chart cost by month",
            lambda: Cases.read_group(
                period, ["cost_total:sum"], ["date_received:month"], lazy=False
            ),
        ),
        ("chart by channel", lambda: Cases.read_group(period, ["nbr:sum"], ["channel"])),
        (
            "chart hours by team",
            lambda: Cases.read_group(period, ["hours_to_close:avg"], ["team_id"]),
        ),
    ]


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    print(f"database {args.db}: installing complaint_analytics and helpdesk_mgmt ...", flush=True)
    bench_data.install_db(args.config, args.db, ["complaint_analytics", "helpdesk_mgmt"])
    registry = Registry(args.db)
    results = []
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
            Report = env["complaint.case.report"]
            t0 = time.perf_counter()
            load_cases(env, args.cases)
            cr.commit()
            print(
                f"loaded {args.cases} cases, {2 * args.cases} items, {args.cases} costs, "
                f"{2 * args.cases} stage stays in {time.perf_counter() - t0:.0f} s",
                flush=True,
            )
            t0 = time.perf_counter()
            load_tickets(env, args.cases)
            cr.commit()
            print(f"loaded {args.cases} helpdesk tickets in {time.perf_counter() - t0:.0f} s")

            print("refreshing the analyses:", flush=True)
            timed("full refresh (install/upgrade)", lambda: Report._refresh(), results)
            cr.commit()
            # index-only scans need the visibility map: what autovacuum keeps up
            old_isolation = cr._cnx.isolation_level
            cr._cnx.set_isolation_level(0)
            t0 = time.perf_counter()
            cr.execute("VACUUM ANALYZE complaint_case_report")
            cr.execute("VACUUM ANALYZE complaint_case_line_report")
            cr._cnx.set_isolation_level(old_isolation)
            print(f"  vacuum analyze: {(time.perf_counter() - t0) * 1000:.0f} ms")
            cr.execute(
                "UPDATE complaint_case SET write_date = now() WHERE id IN "
                "(SELECT id FROM complaint_case WHERE name LIKE 'BN/%' ORDER BY id DESC LIMIT 100)"
            )
            cr.commit()
            timed("incremental refresh of 100 changed cases", Report._refresh_stale, results)
            timed("cron run with nothing changed", Report._refresh_stale, results)
            cr.commit()

            manager = env(user=env.ref("base.user_admin"), context={"tz": "UTC"})
            Cases = manager["complaint.case.report"]
            print("pivot: month x product category, cost and average hours to close", flush=True)
            Cases.read_group([], ["cost_total:sum"], ["date_received:month"], lazy=False)  # warm
            with QueryCapture(cr) as captured:
                groups = timed(
                    "pivot read_group (ORM, manager)",
                    lambda: Cases.read_group(
                        [],
                        ["nbr:sum", "cost_total:sum", "hours_to_close:avg"],
                        ["date_received:month", "product_categ_id"],
                        lazy=False,
                    ),
                    results,
                )
            print(f"    {len(groups)} groups; plan:")
            explain(cr, captured)
            timed(
                "pivot _read_group (ORM core, without the web formatting)",
                lambda: Cases._read_group(
                    [],
                    ["date_received:month", "product_categ_id"],
                    ["__count", "cost_total:sum", "hours_to_close:avg"],
                ),
                results,
            )

            def web_pivot(cases, rows="date_received:month", columns="product_categ_id"):
                """The read_groups of the pivot view opening (by default the
                managers' analysis: months as rows, categories as columns):
                total, rows, columns, cells."""
                measures = ["__count", "nbr:sum", "cost_total:sum", "hours_to_close:avg"]
                for groupby in ([], [rows], [columns], [rows, columns]):
                    cases.read_group([], measures, groupby, lazy=False)

            timed(
                "pivot as the web client opens it (4 read_groups)",
                lambda: web_pivot(Cases),
                results,
            )
            timed(
                "  the same from the analysis table, rollups off (information)",
                lambda: web_pivot(Cases.with_context(complaint_no_rollup=True)),
                results,
            )
            timed(
                "quality's pivot opening (reasons x root causes)",
                lambda: web_pivot(Cases, "reason_id", "root_cause_id"),
                results,
            )
            timed(
                "customer service's pivot opening (handlers x channels)",
                lambda: web_pivot(Cases, "user_id", "channel"),
                results,
            )
            handler = env(user=env["res.users"].search([("login", "=", "handler0")]))
            timed(
                "a handler's pivot opening (their teams' cases, handlers x channels)",
                lambda: web_pivot(
                    handler["complaint.case.report"].with_context(tz="UTC"), "user_id", "channel"
                ),
                results,
            )
            rollups = [
                f"{model._table}__{name}"
                for model in (Report, env["complaint.case.line.report"])
                for name in model._rollups
            ]
            cr.execute(
                "SELECT relname, reltuples::bigint FROM pg_class "
                "WHERE relname = ANY(%s) ORDER BY relname",
                [rollups],
            )
            for table, rows in cr.fetchall():
                print(f"    rollup {table}: {rows} rows")

            print("dashboard data load (default period: last 12 months)", flush=True)
            t0 = time.perf_counter()
            for label, call in dashboard_calls(manager, datetime.now().date()):
                timed(f"dashboard {label}", call, results)
            dashboard = time.perf_counter() - t0
            results.append(("dashboard, all calls", dashboard))
            print(f"  dashboard, all calls: {dashboard * 1000:.0f} ms")

            print("helpdesk_mgmt, same volume and grouping", flush=True)
            Tickets = manager["helpdesk.ticket"]
            Tickets.read_group([], ["__count"], ["create_date:month"], lazy=False)  # warm
            with QueryCapture(cr) as captured:
                tickets = timed(
                    "helpdesk.ticket read_group month x category (count)",
                    lambda: Tickets.read_group(
                        [], ["__count"], ["create_date:month", "category_id"], lazy=False
                    ),
                    results,
                )
            print(f"    {len(tickets)} groups; plan:")
            explain(cr, captured)

            def helpdesk_avg():
                cr.execute(
                    """SELECT date_trunc('month', t.create_date), t.category_id, count(*),
                              avg(EXTRACT(EPOCH FROM t.closed_date - t.create_date) / 3600)
                         FROM helpdesk_ticket t
                        GROUP BY 1, 2"""
                )
                return cr.fetchall()

            timed(
                "helpdesk.ticket month x category with avg resolution hours (raw SQL)",
                helpdesk_avg,
                results,
            )
            cr.rollback()

        print()
        print(f"figures at {args.cases} cases / {2 * args.cases} items / {args.cases} tickets:")
        for label, seconds in results:
            reads = not label.startswith(("full refresh", "incremental", "cron run", "  "))
            verdict = ("PASS" if seconds < TARGET else "MISS") if reads else "    "
            print(f"  {verdict} {seconds * 1000:8.0f} ms  {label}")
        print(
            "refresh strategy: analysis tables refreshed incrementally (cases, items, costs, "
            "stage stays, SLA clocks, time spent and replies changed since the last refresh, "
            "10 min overlap) by the 5-minute cron and by every analysis menu, their daily "
            "rollups with them (by the net change of the changed cases' rows); freshness "
            "lag <= 5 min on the dashboard, none when an analysis is opened from its menu."
        )
    finally:
        if not args.keep_db:
            bench_data.drop_db(args.db)


if __name__ == "__main__":
    main()
