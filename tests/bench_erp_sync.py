"""ERP exchange benchmark: invoices imported from the ERP simulator, and the
outbox drained by 1 and 4 queue_job workers.

    bash tools/bench.sh tests/bench_erp_sync.py               # 10,000 invoices
    bash tools/bench.sh tests/bench_erp_sync.py --quick       # 500 invoices

Creates a fresh database with complaint_erp_sync, seeds the simulator
(tests/erp_simulator.py, on loopback) with ``--invoices`` invoices of
``--lines`` lines (every other product serial-tracked, one serial per tracked
line), and runs a full import as the job runner would: every page is a
queue_job job, acquired and run by queue_job's own controller code
(``RunJobController._acquire_job`` / ``_runjob``), each in its own committed
transaction. Prints invoices/s and queries per invoice. Then it files
``--cases`` cases with ``--messages`` cost lines each and drains the outbox
with 1 and then 4 worker threads (each its own cursor, as Odoo's HTTP workers
called by the runner), and prints messages/s; it checks that every message was
applied once and in order per case. Drops the database unless --keep-db.
"""

import argparse
import importlib
import os
import sys
import threading
import time
import uuid

from psycopg2 import OperationalError

import odoo
from odoo import api
from odoo.modules.registry import Registry

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_data
from erp_simulator import ErpSimulator


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="Odoo config (written by tools/bench.sh)")
    parser.add_argument("--db", default=f"complaint_bench_erp_{uuid.uuid4().hex[:8]}")
    parser.add_argument("--invoices", type=int, default=10000)
    parser.add_argument("--lines", type=int, default=3)
    parser.add_argument("--batch", type=int, default=200, help="invoices per page (one job)")
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5, help="outbound messages per case")
    parser.add_argument("--quick", action="store_true", help="500 invoices, 40 cases")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--existing", action="store_true", help="use --db as it is (complaint_erp_sync installed)"
    )
    args = parser.parse_args()
    if args.quick:
        args.invoices, args.cases = min(args.invoices, 500), min(args.cases, 40)
    return args


def claim_job(registry, channel_prefix):
    """What the job runner does: pick a pending job of the channel and mark it
    enqueued (committed); None when nothing is left."""
    with registry.cursor() as cr:
        cr.execute(
            "SELECT uuid FROM queue_job WHERE state = 'pending' AND channel LIKE %s"
            " ORDER BY priority, date_created, id FOR UPDATE SKIP LOCKED LIMIT 1",
            (channel_prefix + "%",),
        )
        row = cr.fetchone()
        if not row:
            return None
        cr.execute(
            "UPDATE queue_job SET state = 'enqueued', date_enqueued = now() at time zone 'utc'"
            " WHERE uuid = %s",
            row,
        )
        return row[0]


def run_job(registry, job_uuid, counter=None):
    """What an Odoo worker does when the runner calls /queue_job/runjob."""
    # queue_job is importable once Odoo's add-ons path is configured
    RunJobController = importlib.import_module(
        "odoo.addons.queue_job.controllers.main"
    ).RunJobController
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = cr.sql_log_count
        job = RunJobController._acquire_job(env, job_uuid)
        if job:
            RunJobController._runjob(env, job)
        if counter is not None:
            counter.append(cr.sql_log_count - start)


def drain(registry, channel_prefix, workers, counter=None):
    """Run the channel's jobs with ``workers`` threads until none is pending."""

    def work():
        idle = 0
        while idle < 3:
            try:
                job_uuid = claim_job(registry, channel_prefix)
            except OperationalError:  # two workers claimed the same row: take another
                time.sleep(0.01)
                continue
            if not job_uuid:
                idle += 1
                time.sleep(0.05)
                continue
            idle = 0
            run_job(registry, job_uuid, counter)

    threads = [threading.Thread(target=work) for __ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def ensure_chart(env):
    company = env.company
    if not env["account.journal"].search_count(
        [("type", "=", "sale"), ("company_id", "=", company.id)]
    ):
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    if not args.existing:
        print(f"database {args.db}: installing complaint_erp_sync ...", flush=True)
        bench_data.install_db(args.config, args.db, ["complaint_erp_sync"])
    registry = Registry(args.db)
    sim = ErpSimulator(token="bench-token").start()
    try:
        sim.seed(invoices=args.invoices, lines=args.lines, customers=max(10, args.invoices // 20),
                 products=50)  # fmt: skip
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
            ensure_chart(env)
            backend = env["complaint.erp.backend"].create(
                {
                    "name": "Bench ERP",
                    "base_url": sim.url,
                    "token": "bench-token",
                    "batch_size": args.batch,
                    "connect_timeout": 5,
                    "read_timeout": 60,
                }
            )
            channel = backend.channel
            backend.action_import_full()
        print(f"importing {args.invoices} invoices of {args.lines} lines ...", flush=True)
        counter = []
        t0 = time.perf_counter()
        drain(registry, channel, 1, counter)
        seconds = time.perf_counter() - t0
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            imported = env["complaint.erp.invoice"].search_count([])
            posted = env["account.move"].search_count(
                [("ref", "like", "ERP/"), ("state", "=", "posted")]
            )
            failed = env["queue.job"].search_count([("state", "=", "failed")])
        queries = sum(counter)
        print(
            f"inbound: {imported} invoices ({posted} posted, {failed} failed jobs) in {seconds:.1f} s"
            f" = {imported / seconds:.1f} invoices/s, {queries / max(imported, 1):.1f} queries/invoice"
            f" ({len(counter)} page jobs)",
            flush=True,
        )

        for workers in (1, 4):
            with registry.cursor() as cr:
                env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
                backend = env["complaint.erp.backend"].search([], limit=1)
                partners = env["complaint.erp.partner"].search([], limit=args.cases).partner_id
                complaint = env.ref("complaint_base.complaint_type_complaint")
                cases = env["complaint.case"].create(
                    [
                        {"subject": f"Bench {workers}/{n}", "partner_id": partners[n % len(partners)].id,
                         "type_id": complaint.id}
                        for n in range(args.cases)
                    ]
                )  # fmt: skip
                for step in range(args.messages):
                    env["complaint.cost.line"].create(
                        [
                            {"case_id": case.id, "amount": 10 + step, "cost_type": "other"}
                            for case in cases
                        ]
                    )
                total = env["complaint.erp.exchange"].search_count([("case_id", "in", cases.ids)])
                case_ids = cases.ids
            before = len(sim.applied)
            t0 = time.perf_counter()
            drain(registry, channel, workers)
            seconds = time.perf_counter() - t0
            with registry.cursor() as cr:
                env = api.Environment(cr, odoo.SUPERUSER_ID, {})
                exchanges = env["complaint.erp.exchange"].search(
                    [("case_id", "in", case_ids)], order="id"
                )
                done = len(exchanges.filtered(lambda e: e.state == "done"))
                applied = sim.applied[before:]
                keys = [message["key"] for message in applied]
                in_order = all(
                    [k for k in keys if k in case_keys] == case_keys
                    for case_keys in (
                        exchanges.filtered(lambda e, c=case_id: e.case_id.id == c).mapped(
                            "idempotency_key"
                        )
                        for case_id in case_ids
                    )
                )
            print(
                f"outbox, {workers} worker(s): {done}/{total} messages in {seconds:.1f} s ="
                f" {done / seconds:.1f} messages/s; applied {len(keys)}, unique {len(set(keys))},"
                f" in order per case: {in_order}",
                flush=True,
            )
    finally:
        sim.stop()
        if not args.keep_db and not args.existing:
            bench_data.drop_db(args.db)


if __name__ == "__main__":
    main()
