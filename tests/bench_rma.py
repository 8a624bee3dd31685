"""Returns benchmark: returns end to end (sale, delivery, invoice, case,
return picking, receipt, credit note posted and reconciled) with complaint_rma,
side by side in the same run with OCA ``rma`` doing the same receipt and refund
of the same deliveries.

Run it with the machine's Odoo (tools/bench.sh finds it and writes the config):

    bash tools/bench.sh tests/bench_rma.py --returns 1000
    bash tools/bench.sh tests/bench_rma.py --returns 50      # quick mode

It creates a fresh database (complaint_rma, OCA rma and their dependencies,
a generic chart of accounts), sells, delivers and invoices two units per
return, then returns one unit through each flow, and prints wall time and SQL
queries per return for each step; the database is dropped unless --keep-db.
Figures, not a test.
"""

import argparse
import importlib.util
import os
import sys
import uuid

import odoo
from odoo import Command, api, fields
from odoo.modules.registry import Registry

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_data

COMMIT_EVERY = 25


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True, help="Odoo config (written by tools/bench.sh)")
    parser.add_argument("--db", default=f"complaint_bench_{uuid.uuid4().hex[:8]}")
    parser.add_argument("--returns", type=int, default=1000)
    parser.add_argument("--keep-db", action="store_true")
    return parser.parse_args()


class Steps:
    """One Meter per named step of a flow."""

    def __init__(self, cr):
        self.cr = cr
        self.meters = {}

    def __call__(self, name):
        return self.meters.setdefault(name, bench_data.Meter(self.cr))

    def total(self):
        return sum(m.seconds for m in self.meters.values()), sum(
            m.queries for m in self.meters.values()
        )


def db_exists(name):
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def validate(picking, quantity=None):
    for move in picking.move_ids:
        move.quantity = quantity if quantity is not None else move.product_uom_qty
    picking.move_ids.picked = True
    result = picking.with_context(skip_sms=True).button_validate()
    picking.env.flush_all()
    if picking.state != "done":
        raise RuntimeError(f"{picking.name} not validated ({picking.state}): {result}")


def setup_company(env):
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    return warehouse


def sell(env, steps, warehouse, partners, products, count):
    """``count`` sales of two units, delivered and invoiced: [(order, delivery, invoice)]."""
    stock = warehouse.lot_stock_id
    for product in products:
        env["stock.quant"]._update_available_quantity(product, stock, 2 * count)
    env.cr.commit()
    sales = []
    for index in range(count):
        with steps("sale, delivery, invoice"):
            order = env["sale.order"].create(
                {
                    "partner_id": partners[index % len(partners)].id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": products[index % len(products)].id,
                                "product_uom_qty": 2,
                                "price_unit": 100.0 + index % 7,
                                "discount": 5.0,
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
            delivery = order.picking_ids
            validate(delivery)
            invoice = order._create_invoices()
            invoice.invoice_date = fields.Date.today()
            invoice.action_post()
            env.flush_all()
        sales.append((order.id, delivery.id, invoice.id))
        if index % COMMIT_EVERY == 0:
            env.cr.commit()
    env.cr.commit()
    return sales


def complaint_flow(env, steps, sales, complaint_type):
    for index, (__, delivery_id, invoice_id) in enumerate(sales):
        delivery = env["stock.picking"].browse(delivery_id)
        invoice = env["account.move"].browse(invoice_id)
        with steps("case (create, confirm, decide)"):
            case = env["complaint.case"].create(
                {
                    "subject": f"Return {index}",
                    "partner_id": invoice.partner_id.id,
                    "type_id": complaint_type.id,
                    "invoice_id": invoice.id,
                    "line_ids": [
                        Command.create(
                            {"invoice_line_id": invoice.invoice_line_ids.id, "quantity": 1}
                        )
                    ],
                }
            )
            case.action_confirm()
            env["complaint.case.decide"].create(
                {"case_id": case.id, "decision": "accepted", "resolution": "return"}
            ).action_confirm()
            env.flush_all()
        with steps("return picking + receipt"):
            wizard = (
                env["stock.return.picking"]
                .with_context(active_id=delivery.id, active_model="stock.picking")
                .create({})
            )
            wizard.product_return_moves.quantity = 1
            returned = wizard._create_return()
            returned.write({"complaint_case_id": case.id, "complaint_picking_kind": "return"})
            validate(returned, 1)
        with steps("credit note (posted, reconciled)"):
            credit_note = case._settle({case.line_ids.id: 1})
            env.flush_all()
        assert credit_note.state == "posted" and credit_note.reversed_entry_id == invoice
        if index % COMMIT_EVERY == 0:
            env.cr.commit()
            env.invalidate_all()
    env.cr.commit()


def oca_flow(env, steps, sales, warehouse):
    operation = env.ref("rma.rma_operation_refund")
    for index, (__, delivery_id, invoice_id) in enumerate(sales):
        delivery = env["stock.picking"].browse(delivery_id)
        invoice = env["account.move"].browse(invoice_id)
        move = delivery.move_ids
        with steps("case (create, confirm, decide)"):
            rma = env["rma"].create(
                {
                    "partner_id": delivery.partner_id.id,
                    "picking_id": delivery.id,
                    "move_id": move.id,
                    "product_id": move.product_id.id,
                    "product_uom_qty": 1,
                    "product_uom": move.product_uom.id,
                    "location_id": warehouse.rma_loc_id.id,
                    "operation_id": operation.id,
                }
            )
            rma.action_confirm()
            env.flush_all()
        with steps("return picking + receipt"):
            if not rma.reception_move_id:
                rma._create_receipt()
            validate(rma.reception_move_id.picking_id, 1)
        with steps("credit note (posted, reconciled)"):
            rma.action_refund()
            refund = rma.refund_id
            refund.action_post()
            (invoice.line_ids + refund.line_ids).filtered(
                lambda line: (
                    line.account_id.account_type == "asset_receivable" and not line.reconciled
                )
            ).reconcile()
            env.flush_all()
        assert refund.state == "posted" and rma.state == "refunded"
        if index % COMMIT_EVERY == 0:
            env.cr.commit()
            env.invalidate_all()
    env.cr.commit()


def print_table(count, flows):
    names = []
    for steps in flows.values():
        names += [name for name in steps.meters if name not in names]
    header = f"{'step':<34}" + "".join(f"{label + ' ms':>16}{'q':>7}" for label in flows)
    print(header)
    print("-" * len(header))
    for name in [*names, "total"]:
        row = f"{name:<34}"
        for steps in flows.values():
            if name == "total":
                seconds, queries = steps.total()
            elif name in steps.meters:
                seconds, queries = steps.meters[name].seconds, steps.meters[name].queries
            else:
                row += f"{'-':>16}{'-':>7}"
                continue
            row += f"{1000 * seconds / count:>16.1f}{queries / count:>7.0f}"
        print(row)


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    with_oca = importlib.util.find_spec("odoo.addons.rma") is not None
    modules = ["complaint_rma", "sale_stock"] + (["rma"] if with_oca else [])
    if args.keep_db and db_exists(args.db):
        print(f"database {args.db}: reused", flush=True)
    else:
        print(f"database {args.db}: installing {', '.join(modules)} ...", flush=True)
        bench_data.install_db(args.config, args.db, modules)
    registry = Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(
                cr,
                odoo.SUPERUSER_ID,
                {
                    "tz": "UTC",
                    "lang": "en_US",
                    "mail_create_nolog": True,
                    "tracking_disable": False,
                },
            )
            warehouse = setup_company(env)
            partners = bench_data.make_partners(env, 100)
            products = env["product.product"].create(
                [
                    {
                        "name": f"Bench returnable {i}",
                        "type": "consu",
                        "is_storable": True,
                        "invoice_policy": "delivery",
                        "lst_price": 100.0,
                    }
                    for i in range(20)
                ]
            )
            complaint_type = env.ref("complaint_base.complaint_type_return")
            cr.commit()
            print(f"selling, delivering and invoicing {args.returns} orders ...", flush=True)
            shared = Steps(cr)
            sales = sell(env, shared, warehouse, partners, products, args.returns)
            flows = {}
            print(f"{args.returns} returns with complaint_rma ...", flush=True)
            flows["complaint_rma"] = Steps(cr)
            complaint_flow(env, flows["complaint_rma"], sales, complaint_type)
            if with_oca:
                print(f"{args.returns} returns with OCA rma ...", flush=True)
                flows["OCA rma"] = Steps(cr)
                oca_flow(env, flows["OCA rma"], sales, warehouse)
            print()
            seconds, queries = shared.total()
            print(
                f"shared setup per order (sale, delivery, invoice): {1000 * seconds / args.returns:.1f} ms, "
                f"{queries / args.returns:.0f} queries"
            )
            print(f"per returned line ({args.returns} returns, one line each):")
            print_table(args.returns, flows)
            print()
            if with_oca:
                ours = flows["complaint_rma"].total()[0]
                theirs = flows["OCA rma"].total()[0]
                ratio = ours / theirs
                verdict = "PASS" if ratio <= 1.0 else "MISS"
                print(
                    f"complaint_rma / OCA rma per returned line: {ratio:.2f}x "
                    f"(target: no slower, <= 1.00x) {verdict}"
                )
                end_to_end = (seconds + ours) / (seconds + theirs)
                print(
                    f"end to end incl. sale, delivery, invoice:   {end_to_end:.2f}x (information)"
                )
            else:
                print(
                    "OCA rma is not installed: comparison skipped "
                    "(pip install --no-deps 'odoo-addon-rma==18.0.*')"
                )
    finally:
        if not args.keep_db:
            bench_data.drop_db(args.db)


if __name__ == "__main__":
    main()
