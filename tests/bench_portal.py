"""Portal benchmark: ``/my/complaints`` against OCA helpdesk_mgmt's ``/my/tickets``
for one customer with many records, under concurrent portal users.

    bash tools/bench.sh tests/bench_portal.py --records 5000 --users 20

Creates a fresh database with complaint_portal and helpdesk_mgmt (no demo
data), gives one customer company ``--records`` claims and as many helpdesk
tickets, and a portal user. Then starts Odoo with ``--workers`` worker
processes on loopback and, for each page in turn (twice, alternating, so that
neither profits from a warmer machine), lets ``--users`` logged-in sessions
each fetch ``--requests`` list pages (pages 1 to 5, every filter of the
page) as fast as the server answers. Prints per page: queries per request
(from Odoo's request log), the latency percentiles and the throughput.
Target: p95 of /my/complaints no worse than p95 of /my/tickets.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests

import odoo
from odoo import api
from odoo.modules.registry import Registry

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_data

PASSWORD = "bench-portal"
# werkzeug's request line as Odoo logs it: ... "GET /path HTTP/1.1" 200 - <queries> <sql s> <other s>
REQUEST_LOG = re.compile(r'"GET (/my/\w+)[^"]*" (\d{3}) - (\d+) ([\d.]+) ([\d.]+)')
PAGES = {
    "complaint_portal /my/complaints": (
        "/my/complaints",
        ["", "?filterby=open", "?filterby=closed", "?filterby=waiting", "?sortby=deadline"],
    ),
    "helpdesk_mgmt /my/tickets": (
        "/my/tickets",
        ["", "?filterby=all", "?sortby=date", "?sortby=name", "?sortby=stage"],
    ),
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="Odoo config (written by tools/bench.sh)")
    parser.add_argument("--db", default=f"complaint_bench_portal_{uuid.uuid4().hex[:8]}")
    parser.add_argument("--records", type=int, default=5000, help="claims and tickets each")
    parser.add_argument("--users", type=int, default=20, help="concurrent portal sessions")
    parser.add_argument("--requests", type=int, default=25, help="requests per session and run")
    parser.add_argument("--workers", type=int, default=4, help="Odoo worker processes")
    parser.add_argument("--keep-db", action="store_true")
    return parser.parse_args()


def load_data(env, count):
    """One customer company, its portal contact, ``count`` claims and tickets."""
    company = env["res.partner"].create(
        {"name": "Bench Customer Oy", "is_company": True, "email": "office@bench.example.com"}
    )
    contact = env["res.partner"].create(
        {"name": "Bench Contact", "parent_id": company.id, "email": "contact@bench.example.com"}
    )
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "name": contact.name,
            "login": "bench_portal",
            "password": PASSWORD,
            "partner_id": contact.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
        }
    )
    types = env["complaint.type"].search([("portal_published", "=", True)])
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    for start in range(0, count, 500):
        size = min(500, count - start)
        env["complaint.case"].create(
            [
                {
                    "subject": f"Bench claim {start + i}",
                    "partner_id": contact.id,
                    "type_id": types[(start + i) % len(types)].id,
                    "description": "<p>The item stopped working.</p>",
                }
                for i in range(size)
            ]
        )
        env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Bench ticket {start + i}",
                    "partner_id": contact.id,
                    "description": "<p>The item stopped working.</p>",
                }
                for i in range(size)
            ]
        )
        env.cr.commit()
        env.invalidate_all()
        print(f"  {start + size} claims and tickets", flush=True)
    # a realistic history: two thirds of the claims are closed, some wait for the customer
    env.cr.execute(
        "UPDATE complaint_case SET state = CASE WHEN id %% 3 = 0 THEN 'in_progress' "
        "WHEN id %% 30 = 1 THEN 'waiting' ELSE 'closed' END WHERE partner_id = %s",
        [contact.id],
    )
    env.cr.execute("ANALYZE")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command():
    """A script that starts Odoo: its prefork server respawns workers with the
    script's own path, which ``python -m odoo`` does not give it."""
    for script in (
        os.path.join(os.path.dirname(sys.executable), "odoo"),
        os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin"),
    ):
        if os.path.isfile(script):
            return [sys.executable, script]
    return [sys.executable, "-m", "odoo"]


def start_server(args, logfile):
    port = free_port()
    command = [
        *odoo_command(),
        "-c",
        args.config,
        "-d",
        args.db,
        f"--db-filter=^{args.db}$",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        "--limit-time-real=600",
        "--limit-memory-soft=4294967296",
        "--limit-memory-hard=6442450944",
        f"--logfile={logfile}",
        "--log-level=info",
    ]
    server = subprocess.Popen(command)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            # the first page builds the asset bundles: give it time
            if requests.get(f"{url}/web/login", timeout=120).status_code == 200:
                return server, url
        except requests.RequestException:
            time.sleep(1)
    server.terminate()
    raise RuntimeError(f"Odoo did not answer on {url}; see {logfile}")


def login(url, db):
    session = requests.Session()
    response = session.post(
        f"{url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": db, "login": "bench_portal", "password": PASSWORD},
        },
        timeout=60,
    )
    response.raise_for_status()
    if "error" in response.json():
        raise RuntimeError(response.json()["error"])
    return session


def run_load(url, sessions, path, variants, per_session):
    """Latencies (s) of ``per_session`` GETs by every session at once."""
    latencies = []
    errors = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))

    def user(index, session):
        barrier.wait()
        for number in range(per_session):
            variant = variants[(index + number) % len(variants)]
            page = (index + number) % 5 + 1
            target = f"{url}{path}/page/{page}{variant}" if page > 1 else f"{url}{path}{variant}"
            start = time.perf_counter()
            response = session.get(target, timeout=120, allow_redirects=False)
            elapsed = time.perf_counter() - start
            with lock:
                if response.status_code == 200 and "Bench " in response.text:
                    latencies.append(elapsed)
                else:
                    errors.append(f"{target}: {response.status_code}")

    threads = [
        threading.Thread(target=user, args=(index, session))
        for index, session in enumerate(sessions)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - start


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def read_request_log(logfile):
    """(queries, server seconds) of each request, by path, from the server's log."""
    requests_by_path = {}
    with open(logfile, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = REQUEST_LOG.search(line)
            if match and match.group(2) == "200":
                requests_by_path.setdefault(match.group(1), []).append(
                    (int(match.group(3)), float(match.group(4)) + float(match.group(5)))
                )
    return requests_by_path


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    print(f"database {args.db}: installing complaint_portal and helpdesk_mgmt ...", flush=True)
    bench_data.install_db(args.config, args.db, ["complaint_portal", "helpdesk_mgmt"])
    logfile = os.path.join(tempfile.gettempdir(), f"{args.db}.log")
    server = None
    try:
        registry = Registry(args.db)
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
            print(f"loading {args.records} claims and {args.records} tickets ...", flush=True)
            load_data(env, args.records)
            cr.commit()
        odoo.sql_db.close_db(args.db)

        server, url = start_server(args, logfile)
        print(f"Odoo with {args.workers} workers on {url}; log {logfile}", flush=True)
        sessions = [login(url, args.db) for _index in range(args.users)]
        for path, variants in PAGES.values():
            # warm every worker's caches (registry, templates, assets) first
            run_load(url, sessions, path, variants, 2)
        open(logfile, "w").close()  # the log counts only the measured requests

        results = {label: {"latencies": [], "errors": [], "seconds": 0.0} for label in PAGES}
        for run in range(2):
            order = list(PAGES.items()) if run == 0 else list(reversed(PAGES.items()))
            for label, (path, variants) in order:
                print(f"run {run + 1}: {label}, {args.users} users ...", flush=True)
                latencies, errors, seconds = run_load(url, sessions, path, variants, args.requests)
                results[label]["latencies"] += latencies
                results[label]["errors"] += errors
                results[label]["seconds"] += seconds
        time.sleep(1)
        request_log = read_request_log(logfile)

        print()
        print(
            f"{args.records} records of one customer, {args.users} concurrent portal users, "
            f"{args.workers} workers, {2 * args.requests} requests per user and page"
        )
        header = f"{'page':<34}{'q/req':>7}{'server ms':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}{'errors':>8}"
        print(header)
        p95 = {}
        for label, (path, _variants) in PAGES.items():
            result = results[label]
            latencies = result["latencies"] or [float("nan")]
            p95[label] = percentile(latencies, 0.95)
            logged = request_log.get(path) or [(float("nan"), float("nan"))]
            print(
                f"{label:<34}"
                f"{statistics.median(q for q, _s in logged):>7.0f}"
                f"{statistics.median(s for _q, s in logged) * 1000:>10.0f}"
                f"{percentile(latencies, 0.50) * 1000:>9.0f}"
                f"{p95[label] * 1000:>9.0f}"
                f"{percentile(latencies, 0.99) * 1000:>9.0f}"
                f"{len(result['latencies']) / result['seconds']:>8.1f}"
                f"{len(result['errors']):>8}"
            )
            for error in result["errors"][:3]:
                print(f"    {error}")
        ours, theirs = p95["complaint_portal /my/complaints"], p95["helpdesk_mgmt /my/tickets"]
        verdict = "PASS" if ours <= theirs else "MISS"
        print(
            f"target: p95 /my/complaints <= p95 /my/tickets ({ours * 1000:.0f} vs {theirs * 1000:.0f} ms) -> {verdict}"
        )
    finally:
        if server:
            server.terminate()
            server.wait(timeout=60)
        if not args.keep_db:
            bench_data.drop_db(args.db)


if __name__ == "__main__":
    main()
