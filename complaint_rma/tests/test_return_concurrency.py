import threading
import uuid

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestReturnConcurrency(TransactionCase):
    """Two handlers raising the claimed quantities of two returns of the same
    delivery at once never claim more than was delivered, each in its own
    transaction as parallel requests are."""

    def _setup_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tag = uuid.uuid4().hex[:8]
            partner = env["res.partner"].create({"name": f"Parallel Customer {tag}"})
            product = env["product.product"].create(
                {"name": f"Parallel Frother {tag}", "is_storable": True}
            )
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            stock, customers = warehouse.lot_stock_id, env.ref("stock.stock_location_customers")
            env["stock.quant"]._update_available_quantity(product, stock, 12)
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": partner.id,
                    "location_id": stock.id,
                    "location_dest_id": customers.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": 12,
                                "product_uom": product.uom_id.id,
                                "location_id": stock.id,
                                "location_dest_id": customers.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            picking.move_ids.picked = True
            picking.button_validate()
            cases = env["complaint.case"].create(
                [
                    {
                        "subject": f"Parallel return {index}",
                        "partner_id": partner.id,
                        "type_id": env.ref("complaint_base.complaint_type_return").id,
                        "delivery_picking_id": picking.id,
                        "line_ids": [Command.create({"product_id": product.id, "quantity": 5})],
                    }
                    for index in (1, 2)
                ]
            )
            return partner.id, product.id, picking.id, cases.line_ids.ids

    def _cleanup(self, partner_id, product_id, picking_id):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM complaint_case WHERE partner_id = %s", [partner_id])
            for table in ("stock_move_line", "stock_valuation_layer", "stock_move", "stock_quant"):
                cr.execute(
                    SQL("DELETE FROM %s WHERE product_id = %s", SQL.identifier(table), product_id)
                )
            cr.execute("DELETE FROM stock_picking WHERE id = %s", [picking_id])
            cr.execute(
                "DELETE FROM product_template WHERE id IN "
                "(SELECT product_tmpl_id FROM product_product WHERE id = %s)",
                [product_id],
            )
            cr.execute("DELETE FROM res_partner WHERE id = %s", [partner_id])

    def test_parallel_claims_cannot_exceed_delivered(self):
        partner_id, product_id, picking_id, line_ids = self._setup_committed()
        self.addCleanup(self._cleanup, partner_id, product_id, picking_id)
        barrier = threading.Barrier(2)
        results, errors = [], []

        def raise_claim(line_id):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    barrier.wait(timeout=30)
                    env["complaint.case.line"].browse(line_id).quantity = 7
                    env.flush_all()
                results.append("claimed")
            except (SerializationFailure, ValidationError) as error:
                results.append(type(error).__name__)
            except Exception as error:  # reported by the main thread
                errors.append(error)

        threads = [threading.Thread(target=raise_claim, args=(line_id,)) for line_id in line_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(errors)
        self.assertEqual(results.count("claimed"), 1, results)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT sum(quantity) FROM complaint_case_line WHERE id IN %s", [tuple(line_ids)]
            )
            self.assertLessEqual(cr.fetchone()[0], 12)
