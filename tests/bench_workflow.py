"""Workflow benchmark: routing of new cases and the deadline cron over a large
backlog of open cases.

    bash tools/bench.sh tests/bench_workflow.py --route 10000 --open 100000

Creates a fresh database with complaint_workflow, routes ``--route`` new cases
through the ORM (cases/s, queries per case), then loads ``--open`` open cases
with SQL (about 1% overdue, 1% due for a reminder, 0.5% past the statutory
deadline, 1,000 overdue SLA clocks) and runs the deadline cron until nothing is
left, as Odoo's cron runner does. Prints the figures; drops the database unless
--keep-db. Target: the cron over 100,000 open cases in under 60 s.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
import uuid

import odoo
from odoo import api
from odoo.modules.registry import Registry

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_data


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="Odoo config (written by tools/bench.sh)")
    parser.add_argument("--db", default=f"complaint_bench_wf_{uuid.uuid4().hex[:8]}")
    parser.add_argument("--route", type=int, default=10000)
    parser.add_argument("--open", type=int, default=100000)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--profile", help="write a cProfile of the cron runs to this file")
    return parser.parse_args()


def load_backlog(env, count, team, users):
    """Insert ``count`` open cases straight into the table: the ORM would take
    the better part of an hour, and the cron only reads what SQL sees."""
    cr = env.cr
    stage = env.ref("complaint_workflow.complaint_stage_analysis")
    complaint = env.ref("complaint_base.complaint_type_complaint")
    statutory = env.ref("complaint_base.complaint_type_statutory_warranty")
    partner = env["res.partner"].create(
        {"name": "Backlog Customer", "email": "backlog@example.com"}
    )
    cr.execute(
        """
        INSERT INTO complaint_case (
            name, subject, type_id, channel, state, stage_id, company_id, partner_id,
            commercial_partner_id, user_id, team_id, severity, priority, active,
            date_received, date_stage_start, date_stage_deadline, date_stage_reminder,
            date_statutory_deadline, date_deadline, stage_reminder_sent, stage_escalated,
            deemed_accepted, sla_status, approval_state, cost_total, effective_hours,
            create_uid, write_uid, create_date, write_date)
        SELECT 'BL/' || n, 'Backlog ' || n,
               CASE WHEN n %% 200 = 0 THEN %(statutory)s ELSE %(complaint)s END,
               'backend', 'in_progress', %(stage)s, %(company)s, %(partner)s, %(partner)s,
               (%(users)s)[1 + n %% array_length(%(users)s, 1)], %(team)s, 'medium', '0', true,
               now() - interval '20 days', now() - interval '2 days',
               deadline, deadline - interval '24 hours',
               CASE WHEN n %% 200 = 0 THEN now() - interval '6 days' END,
               deadline, false, false, false, 'none', 'none', 0, 0,
               1, 1, now(), now()
          FROM (SELECT n, CASE WHEN n %% 100 = 1 THEN now() - interval '1 hour'
                               WHEN n %% 100 = 2 THEN now() + interval '5 hours'
                               ELSE now() + interval '10 days' END AS deadline
                  FROM generate_series(1, %(count)s) n) s
        """,
        {
            "statutory": statutory.id,
            "complaint": complaint.id,
            "stage": stage.id,
            "company": env.company.id,
            "partner": partner.id,
            "users": users.ids,
            "team": team.id,
            "count": count,
        },
    )
    policy = env.ref("complaint_workflow.complaint_sla_policy_vip")
    cr.execute(
        """
        INSERT INTO complaint_sla_line (case_id, company_id, policy_id, state, date_start,
                                        date_deadline, paused_hours, create_uid, write_uid,
                                        create_date, write_date)
        SELECT id, company_id, %s, 'running', now() - interval '5 days', now() - interval '1 day',
               0, 1, 1, now(), now()
          FROM complaint_case WHERE name LIKE 'BL/%%' ORDER BY id LIMIT 1000
        """,
        [policy.id],
    )
    env.invalidate_all()


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    print(f"database {args.db}: installing complaint_workflow ...", flush=True)
    bench_data.install_db(args.config, args.db, ["complaint_workflow"])
    registry = Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
            users = env["res.users"].create(
                [
                    {
                        "name": f"Handler {i}",
                        "login": f"handler{i}",
                        "email": f"handler{i}@example.com",
                        "groups_id": [(6, 0, [env.ref("complaint_base.group_complaint_user").id])],
                    }
                    for i in range(5)
                ]
            )
            team = env["complaint.team"].create(
                {"name": "Bench", "member_ids": [(6, 0, users.ids)], "user_id": users[0].id}
            )
            env["complaint.routing.rule"].create(
                {"name": "All", "team_id": team.id, "assign_method": "load"}
            )
            partner = env["res.partner"].create({"name": "Router", "email": "r@example.com"})
            cr.commit()
            admin = env(user=env.ref("base.user_admin"))

            print(f"routing {args.route} new cases ...", flush=True)
            cr.execute("SELECT COALESCE(max(id), 0) FROM mail_message")
            last_message = cr.fetchone()[0]
            seconds = queries = 0.0
            for start in range(0, args.route, 100):
                size = min(100, args.route - start)
                values = [
                    {
                        "subject": f"Routed {start + i}",
                        "partner_id": partner.id,
                        "user_id": False,
                        "team_id": False,
                    }
                    for i in range(size)
                ]
                t0, q0 = time.perf_counter(), cr.sql_log_count
                admin["complaint.case"].create(values)
                admin.flush_all()
                seconds += time.perf_counter() - t0
                queries += cr.sql_log_count - q0
                cr.commit()
                env.invalidate_all()
            routed = env["complaint.case"].search_count([("user_id", "in", users.ids)])
            # "assigned to you" messages to the handlers: one per handler and batch
            cr.execute(
                """
                SELECT count(*) FROM mail_message m
                  JOIN mail_message_res_partner_rel r ON r.mail_message_id = m.id
                 WHERE m.id > %s AND m.message_type = 'user_notification'
                   AND r.res_partner_id = ANY(%s)
                """,
                [last_message, users.partner_id.ids],
            )
            assigned_notices = cr.fetchone()[0]
            batches = -(-args.route // 100)

            print(f"loading {args.open} open cases with SQL ...", flush=True)
            load_backlog(env, args.open, team, users)
            cr.commit()
            print("running the deadline cron until nothing is due ...", flush=True)
            runs = 0
            profiler = cProfile.Profile() if args.profile else None
            t0, q0 = time.perf_counter(), cr.sql_log_count
            while True:
                if profiler:
                    profiler.enable()
                done = env["complaint.case"]._cron_check_deadlines()
                if profiler:
                    profiler.disable()
                cr.commit()
                env.invalidate_all()
                runs += 1
                if not done or runs > 50:
                    break
            cron_seconds = time.perf_counter() - t0
            if profiler:
                profiler.dump_stats(args.profile)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            cron_queries = cr.sql_log_count - q0
            escalated = env["complaint.case"].search_count([("stage_escalated", "=", True)])
            reminded = env["complaint.case"].search_count([("stage_reminder_sent", "=", True)])
            deemed = env["complaint.case"].search_count([("deemed_accepted", "=", True)])
            breached = env["complaint.sla.line"].search_count([("state", "=", "breached")])

            print()
            if args.route:
                print(
                    f"routing: {args.route} cases in {seconds:.1f} s = "
                    f"{args.route / seconds:.0f} cases/s, {queries / args.route:.1f} queries/case, "
                    f"{routed} assigned to team members"
                )
                limit = batches * len(users)
                print(
                    f"'assigned to you' notifications: {assigned_notices} for {routed} cases "
                    f"(target: at most one per handler and batch, {limit}) "
                    f"{'PASS' if assigned_notices <= limit else 'MISS'}"
                )
            due = escalated + reminded + deemed
            print(
                f"cron over {args.open} open cases: {cron_seconds:.1f} s in {runs} runs, "
                f"{cron_queries:.0f} queries ({cron_queries / max(due, 1):.1f} per due case); "
                f"escalated {escalated}, reminded {reminded}, "
                f"deemed accepted {deemed}, SLA breached {breached}"
            )
            verdict = "PASS" if cron_seconds < 60 else "MISS"
            print(f"target: cron under 60 s -> {cron_seconds:.1f} s {verdict}")
    finally:
        if not args.keep_db:
            bench_data.drop_db(args.db)


if __name__ == "__main__":
    main()
