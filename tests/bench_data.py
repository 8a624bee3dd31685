"""Shared by the bench_*.py scripts: fresh databases and deterministic data
(partners, products, raw e-mails). Not a test module."""

import random
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import odoo

COUNTRIES = [
    ("base.pl", "+48 60{:07d}"),
    ("base.fi", "+358 40{:07d}"),
    ("base.si", "+386 41{:06d}"),
]


def make_partners(env, count, seed=1):
    rng = random.Random(seed)
    values = []
    for index in range(count):
        country, phone = COUNTRIES[index % len(COUNTRIES)]
        values.append(
            {
                "name": f"Bench Customer {index:05d}",
                "email": f"customer{index:05d}@bench.example.com",
                "phone": phone.format(rng.randrange(10**6)),
                "country_id": env.ref(country).id,
            }
        )
    return env["res.partner"].create(values)


def make_products(env, count):
    return env["product.product"].create(
        [{"name": f"Bench Product {index:04d}", "type": "consu"} for index in range(count)]
    )


def make_emails(count, to, known_emails, seed=2):
    """``count`` RFC 822 messages to ``to``: half from known addresses, half unknown."""
    rng = random.Random(seed)
    messages = []
    for index in range(count):
        sender = (
            known_emails[rng.randrange(len(known_emails))]
            if index % 2 == 0
            else f"new{index:05d}@unknown.example.com"
        )
        message = EmailMessage()
        message["From"] = sender
        message["To"] = to
        message["Subject"] = f"Broken item #{index}"
        message["Date"] = formatdate()
        message["Message-ID"] = make_msgid(domain=f"bench{seed}.example.com")
        message.set_content(f"Item {index} arrived broken. Please help.")
        messages.append(message.as_string())
    return messages


def install_db(config, db, modules):
    """Create ``db`` with ``modules`` and no demo data, in a separate Odoo process."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            config,
            "-d",
            db,
            "-i",
            ",".join(modules),
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
        ],
        check=True,
    )


def drop_db(db):
    odoo.sql_db.close_db(db)
    subprocess.run(["dropdb", "--if-exists", db], check=False)
    print(f"dropped {db}")


class Meter:
    """Wall time and SQL queries of the blocks it wraps, on one cursor."""

    def __init__(self, cr):
        self.cr = cr
        self.seconds = 0.0
        self.queries = 0

    def __enter__(self):
        self._start = time.perf_counter()
        self._queries = self.cr.sql_log_count
        return self

    def __exit__(self, *exc):
        self.seconds += time.perf_counter() - self._start
        self.queries += self.cr.sql_log_count - self._queries
