"""Numbering benchmark: concurrent creators of cases of the same type and company.

    bash tools/bench.sh tests/bench_numbering.py --cases 400

Creates a fresh database with complaint_base, then for 1, 2, 4 and 8 creators
(threads, each with its own cursor, as the mail fetcher, the portal, the API
and the backend are) creates ``--cases`` cases of one type in one company, one
case per transaction, and prints creations/s, the creators that failed (target:
none) and whether the numbers are distinct and continuous (target: yes). Drops
the database unless --keep-db. Figures, not a test.
"""

import argparse
import os
import sys
import threading
import time
import uuid

import odoo
from odoo import api
from odoo.modules.registry import Registry

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_data

CREATORS = (1, 2, 4, 8)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="Odoo config (written by tools/bench.sh)")
    parser.add_argument("--db", default=f"complaint_bench_num_{uuid.uuid4().hex[:8]}")
    parser.add_argument("--cases", type=int, default=400, help="cases per run")
    parser.add_argument("--keep-db", action="store_true")
    return parser.parse_args()


def run(registry, type_id, partner_id, creators, total):
    errors = []
    start = threading.Barrier(creators)

    def creator(index):
        start.wait()
        for number in range(index, total, creators):
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
                    env["complaint.case"].create(
                        {
                            "subject": f"Concurrent {creators}/{number}",
                            "type_id": type_id,
                            "partner_id": partner_id,
                            "description": "<p>The item arrived broken.</p>",
                        }
                    )
            except Exception as error:
                errors.append(repr(error))

    threads = [threading.Thread(target=creator, args=(i,)) for i in range(creators)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - t0, errors


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    odoo.tools.config["db_maxconn"] = 64
    print(f"database {args.db}: installing complaint_base ...", flush=True)
    bench_data.install_db(args.config, args.db, ["complaint_base"])
    registry = Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
            partner = env["res.partner"].create({"name": "Bench", "email": "b@example.com"})
            types = env["complaint.type"].create(
                [
                    {"name": f"Bench {n}", "code": f"bench_{n}", "sequence_prefix": f"B{n}"}
                    for n in CREATORS
                ]
            )
            type_ids = dict(zip(CREATORS, types.ids, strict=True))
            partner_id = partner.id
        print()
        print(f"{'creators':>8}{'cases/s':>10}{'failed':>8}  numbers")
        all_ok = True
        for creators in CREATORS:
            seconds, errors = run(registry, type_ids[creators], partner_id, creators, args.cases)
            with registry.cursor() as cr:
                cr.execute(
                    "SELECT name FROM complaint_case WHERE type_id = %s", [type_ids[creators]]
                )
                numbers = sorted(int(row[0].rsplit("/", 1)[1]) for row in cr.fetchall())
            continuous = numbers == list(range(1, len(numbers) + 1))
            ok = not errors and continuous and len(numbers) == args.cases
            all_ok &= ok
            print(
                f"{creators:>8}{len(numbers) / seconds:>10.1f}{len(errors):>8}  "
                f"{len(numbers)} created, {'continuous' if continuous else 'GAPS OR DUPLICATES'}"
                f" {'PASS' if ok else 'MISS'}"
            )
            for error in errors[:3]:
                print(f"         {error[:200]}")
        print()
        print(
            "target: every creator succeeds at the first try, numbers distinct and continuous "
            f"-> {'PASS' if all_ok else 'MISS'}"
        )
    finally:
        if not args.keep_db:
            bench_data.drop_db(args.db)


if __name__ == "__main__":
    main()
