"""Case intake benchmark: ORM creation and e-mail ingestion of complaint cases,
side by side with a bare mail.thread model and OCA's helpdesk_mgmt tickets.

Run it with the machine's Odoo (tools/bench.sh finds it and writes the config):

    bash tools/bench.sh tests/bench_case_intake.py --cases 10000 --emails 1000

It creates a fresh database, prints a table of records/s and SQL queries per
record, and drops the database (unless --keep-db). Figures, not a test.
"""

import argparse
import cProfile
import email
import importlib.util
import os
import sys
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import odoo
from odoo import api
from odoo.modules.registry import Registry

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_data

BATCH = 100
# Untimed work before each measure, so that one-time costs (the first number
# sequence, cold caches) are not spread over the records measured.
WARMUP_MAILS = 10
# The bare model subscribing and notifying the people a case does (information)
FOLLOWED = "bare + case's followers"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="Odoo config (written by tools/bench.sh)")
    parser.add_argument("--db", default=f"complaint_bench_{uuid.uuid4().hex[:8]}")
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of the cases' e-mail intake to FILE"
    )
    return parser.parse_args()


def helpdesk_available():
    return importlib.util.find_spec("odoo.addons.helpdesk_mgmt") is not None


def create_records(env, model, make_values, count, batch=BATCH):
    env[model].create([make_values(count + i) for i in range(min(batch, count))])
    env.flush_all()
    env.cr.commit()
    env.invalidate_all()
    meter = bench_data.Meter(env.cr)
    done = 0
    while done < count:
        size = min(batch, count - done)
        values = [make_values(done + i) for i in range(size)]
        with meter:
            env[model].create(values)
            env.flush_all()
        env.cr.commit()
        env.invalidate_all()
        done += size
    return meter


def ingest(env, messages, warmup=(), after_warmup=None):
    thread = env["mail.thread"].sudo()
    for raw in warmup:
        thread.message_process(None, raw)
    if after_warmup:
        after_warmup(env)
    env.cr.commit()
    env.invalidate_all()
    meter = bench_data.Meter(env.cr)
    for index, raw in enumerate(messages):
        with meter:
            thread.message_process(None, raw)
            env.flush_all()
        if index % 50 == 49:
            env.cr.commit()
            env.invalidate_all()
    env.cr.commit()
    return meter


def acknowledge(env, meter=None):
    """Run the acknowledgement cron of complaint_base over the cases the
    gateway left pending, batch by batch as ir.cron does (a commit after each),
    inside ``meter``: the e-mail intake rate includes the acknowledgement."""
    Case = env["complaint.case"].sudo()
    while True:
        with meter or bench_data.Meter(env.cr):
            done = Case._cron_send_acknowledgements()
            env.flush_all()
        env.cr.commit()
        env.invalidate_all()
        if not done:
            return


def make_replies(messages, count):
    """Replies of the senders of ``messages`` (the first ``count``), joined to
    their record by In-Reply-To, as mail clients send them."""
    replies = []
    for raw in messages[:count]:
        original = email.message_from_string(raw)
        reply = EmailMessage()
        reply["From"] = original["From"]
        reply["To"] = original["To"]
        reply["Subject"] = f"Re: {original['Subject']}"
        reply["Date"] = formatdate()
        reply["Message-ID"] = make_msgid(domain="reply.example.com")
        reply["In-Reply-To"] = original["Message-ID"]
        reply["References"] = original["Message-ID"]
        reply.set_content("Any news? It still does not work.")
        replies.append(reply.as_string())
    return replies


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    with_helpdesk = helpdesk_available()
    modules = ["complaint_base", "complaint_bench_bare"] + (
        ["helpdesk_mgmt"] if with_helpdesk else []
    )
    print(f"database {args.db}: installing {', '.join(modules)} ...", flush=True)
    bench_data.install_db(args.config, args.db, modules)
    registry = Registry(args.db)
    rows = []
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
            admin = env.ref("base.user_admin")
            env = env(user=admin, context={"tz": "UTC", "lang": "en_US"})
            domain = env["mail.alias.domain"].sudo().create({"name": "bench.example.com"})
            env.company.sudo().alias_domain_id = domain
            partners = bench_data.make_partners(env, 500)
            products = bench_data.make_products(env, 50)
            cr.commit()
            pid = partners.ids
            prod = products.ids

            def case_values(i, lines=False):
                values = {
                    "subject": f"Bench case {i}",
                    "partner_id": pid[i % len(pid)],
                    "description": "<p>The item arrived broken.</p>",
                }
                if lines:
                    values["line_ids"] = [
                        (0, 0, {"product_id": prod[i % len(prod)], "quantity": 1}),
                        (0, 0, {"product_id": prod[(i + 1) % len(prod)], "quantity": 2}),
                    ]
                return values

            runs = [
                (
                    "bare mail.thread",
                    "complaint.bench.bare",
                    lambda i: {
                        "name": f"Bench {i}",
                        "partner_id": pid[i % len(pid)],
                        "description": "<p>The item arrived broken.</p>",
                    },
                ),
                ("complaint.case", "complaint.case", case_values),
                ("complaint.case + 2 lines", "complaint.case", lambda i: case_values(i, True)),
            ]
            if with_helpdesk:
                runs.insert(
                    1,
                    (
                        "helpdesk.ticket",
                        "helpdesk.ticket",
                        lambda i: {
                            "name": f"Bench {i}",
                            "partner_id": pid[i % len(pid)],
                            "description": "<p>The item arrived broken.</p>",
                        },
                    ),
                )
            results = {}
            for label, model, make_values in runs:
                print(f"creating {args.cases} x {label} ...", flush=True)
                batch = create_records(env, model, make_values, args.cases)
                single = create_records(env, model, make_values, min(200, args.cases), batch=1)
                results[label] = (batch, single)

            # e-mail intake through the gateway, one alias per model
            team = env["complaint.team"].create({"name": "Bench", "alias_name": "bench-complaints"})
            env["mail.alias"].sudo().create(
                {
                    "alias_name": "bench-bare",
                    "alias_model_id": env["ir.model"]._get_id("complaint.bench.bare"),
                    "alias_domain_id": domain.id,
                }
            )
            env["mail.alias"].sudo().create(
                {
                    "alias_name": "bench-bare-followed",
                    "alias_model_id": env["ir.model"]._get_id("complaint.bench.bare.followed"),
                    "alias_domain_id": domain.id,
                }
            )
            # the bare model doing a case's mail work follows the same people
            env["ir.config_parameter"].sudo().set_param(
                "complaint_bench.team_partner_ids",
                ",".join(str(pid) for pid in team.message_partner_ids.ids),
            )
            targets = [
                ("bare mail.thread", "bench-bare"),
                (FOLLOWED, "bench-bare-followed"),
                ("complaint.case", team.alias_name),
            ]
            if with_helpdesk:
                env["helpdesk.ticket.team"].create(
                    {"name": "Bench", "alias_name": "bench-helpdesk"}
                )
                targets.insert(1, ("helpdesk.ticket", "bench-helpdesk"))
            cr.commit()
            known = partners.mapped("email")
            mails = {}
            replies = {}
            for seed, (label, alias) in enumerate(targets, start=10):
                print(f"ingesting {args.emails} e-mails into {label} ...", flush=True)
                messages = bench_data.make_emails(
                    args.emails + WARMUP_MAILS, f"{alias}@bench.example.com", known, seed
                )
                warmup, messages = messages[:WARMUP_MAILS], messages[WARMUP_MAILS:]
                profiler = None
                if args.profile and label == "complaint.case":
                    profiler = cProfile.Profile()
                    profiler.enable()
                # the warm-up's acknowledgements are not part of the measure
                mails[label] = ingest(
                    env, messages, warmup, acknowledge if label == "complaint.case" else None
                )
                if label == "complaint.case":
                    print("running the acknowledgement cron over the new cases ...", flush=True)
                    acknowledge(env, mails[label])
                if profiler:
                    profiler.disable()
                    profiler.dump_stats(args.profile)
                print(f"ingesting {args.emails // 2} replies into {label} ...", flush=True)
                answers = make_replies(warmup + messages, WARMUP_MAILS + args.emails // 2)
                replies[label] = ingest(env, answers[WARMUP_MAILS:], answers[:WARMUP_MAILS])
            # the acknowledgements are queued by their cron, not sent
            queued = (
                env["mail.mail"]
                .sudo()
                .search_count([("model", "=", "complaint.case"), ("state", "=", "outgoing")])
            )
            pending = env["complaint.case"].sudo().search_count([("ack_pending", "=", True)])

            print()
            header = (
                f"{'model':<26}{'rec/s batch':>12}{'q/rec batch':>12}{'rec/s single':>13}"
                f"{'q/rec single':>13}{'mails/s':>9}{'q/mail':>8}{'replies/s':>10}{'q/reply':>8}"
            )
            print(header)
            print("-" * len(header))
            singles = min(200, args.cases)
            n_replies = args.emails // 2
            for label, (batch, single) in results.items():
                mail = mails.get(label)
                reply = replies.get(label)
                print(
                    f"{label:<26}{args.cases / batch.seconds:>12.0f}"
                    f"{batch.queries / args.cases:>12.1f}"
                    f"{singles / single.seconds:>13.0f}{single.queries / singles:>13.1f}"
                    + (
                        f"{args.emails / mail.seconds:>9.1f}{mail.queries / args.emails:>8.1f}"
                        f"{n_replies / reply.seconds:>10.1f}{reply.queries / n_replies:>8.1f}"
                        if mail
                        else ""
                    )
                )
                rows.append((label, batch, single, mail))
            mail, reply = mails[FOLLOWED], replies[FOLLOWED]
            print(
                f"{FOLLOWED:<26}{'':>50}"
                f"{args.emails / mail.seconds:>9.1f}{mail.queries / args.emails:>8.1f}"
                f"{n_replies / reply.seconds:>10.1f}{reply.queries / n_replies:>8.1f}"
            )
            print(
                f"acknowledgements queued by the cron (mail.mail outgoing, not sent): {queued}, "
                f"cases still pending: {pending} (complaint.case mails/s include the cron)"
            )
            print()

            def per_record(label):
                return results[label][0].seconds / args.cases

            def rate(runs, label, count):
                return count / runs[label].seconds

            def verdict(ok):
                return "PASS" if ok else "MISS"

            ratio = per_record("complaint.case") / per_record("bare mail.thread")
            print(f"case create / bare create:              {ratio:.2f}x (information)")
            ratio_lines = per_record("complaint.case + 2 lines") / per_record("bare mail.thread")
            print(
                f"case+2 lines batch create / bare create: {ratio_lines:.2f}x "
                f"(target <= 1.5x) {verdict(ratio_lines <= 1.5)}"
            )
            rate_case = rate(mails, "complaint.case", args.emails)
            rate_bare = rate(mails, "bare mail.thread", args.emails)
            ratio = rate_case / rate_bare
            print(
                f"e-mail intake case / bare:              {ratio:.2f}x "
                f"({rate_case:.1f} vs {rate_bare:.1f} mails/s, target >= 0.9x) "
                f"{verdict(ratio >= 0.9)}"
            )
            rate_followed = rate(mails, FOLLOWED, args.emails)
            print(
                f"e-mail intake case / {FOLLOWED}: {rate_case / rate_followed:.2f}x "
                f"(information: the same contacts, followers and notifications)"
            )
            reply_case = rate(replies, "complaint.case", n_replies)
            reply_bare = rate(replies, "bare mail.thread", n_replies)
            ratio = reply_case / reply_bare
            print(
                f"replies case / bare:                    {ratio:.2f}x "
                f"({reply_case:.1f} vs {reply_bare:.1f} replies/s, target >= 1.0x) "
                f"{verdict(ratio >= 1.0)}"
            )
            reply_followed = rate(replies, FOLLOWED, n_replies)
            print(f"replies case / {FOLLOWED}:  {reply_case / reply_followed:.2f}x (information)")
            if with_helpdesk:
                ratio = per_record("complaint.case") / per_record("helpdesk.ticket")
                print(
                    f"case create / helpdesk ticket create:   {ratio:.2f}x "
                    f"(target <= 1.0x) {verdict(ratio <= 1.0)}"
                )
                rate_hd = rate(mails, "helpdesk.ticket", args.emails)
                ratio = rate_case / rate_hd
                print(
                    f"e-mail intake case / helpdesk:          {ratio:.2f}x "
                    f"({rate_case:.1f} vs {rate_hd:.1f} mails/s, target >= 1.2x) "
                    f"{verdict(ratio >= 1.2)}"
                )
            else:
                print(
                    "helpdesk_mgmt is not installed: comparison skipped "
                    "(pip install --no-deps 'odoo-addon-helpdesk-mgmt==18.0.*')"
                )
    finally:
        if not args.keep_db:
            bench_data.drop_db(args.db)


if __name__ == "__main__":
    main()
