from odoo import Command
from odoo.tests import TransactionCase, new_test_user


def create_delivered_invoiced_sale(env, partner, lines, lots=None):
    """(sale order, validated delivery, posted invoice) for ``lines``
    [(product, quantity, unit price)]: stock is put in the warehouse first
    (the serials ``lots`` of tracked products), the delivery is validated
    and the invoice posted, as a real sale goes."""
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    stock = warehouse.lot_stock_id
    lots = lots or env["stock.lot"]
    for product, quantity, _price in lines:
        product_lots = lots.filtered(lambda lot, p=product: lot.product_id == p)
        if product_lots:
            for lot in product_lots:
                env["stock.quant"]._update_available_quantity(product, stock, 1.0, lot_id=lot)
        else:
            env["stock.quant"]._update_available_quantity(product, stock, quantity)
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "warehouse_id": warehouse.id,
            "order_line": [
                Command.create(
                    {"product_id": product.id, "product_uom_qty": qty, "price_unit": price}
                )
                for product, qty, price in lines
            ],
        }
    )
    order.action_confirm()
    delivery = order.picking_ids
    delivery.action_assign()
    delivery.move_ids.picked = True
    delivery.button_validate()
    invoice = order._create_invoices()
    invoice.action_post()
    return order, delivery, invoice


class ComplaintRmaCommon(TransactionCase):
    """A customer with a delivered and invoiced sale of a serial-tracked
    machine (two serials) and of plain tablets, and the users of the flows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.company.complaint_return_days = 14
        cls.user = new_test_user(
            cls.env,
            login="rma_user",
            name="Ulla Returns",
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice,"
            "complaint_base.group_complaint_user,stock.group_stock_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="rma_manager",
            name="Mia Manager",
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice,"
            "complaint_base.group_complaint_manager,stock.group_stock_user",
        )
        cls.warehouse_user = new_test_user(
            cls.env,
            login="rma_warehouse",
            name="Wiktor Warehouse",
            groups="base.group_user,complaint_rma.group_complaint_warehouse",
        )
        cls.type_return = cls.env.ref("complaint_base.complaint_type_return")
        cls.type_discrepancy = cls.env.ref("complaint_base.complaint_type_discrepancy")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Kowalski Sp. z o.o.",
                "is_company": True,
                "email": "biuro@kowalski.example.com",
            }
        )
        cls.product_serial = cls.env["product.product"].create(
            {
                "name": "Espresso Machine EM-200",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "invoice_policy": "delivery",
                "list_price": 400.0,
            }
        )
        cls.product_plain = cls.env["product.product"].create(
            {
                "name": "Descaling Tablets",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "delivery",
                "list_price": 10.0,
            }
        )
        cls.lots = cls.env["stock.lot"].create(
            [{"name": f"EM200-000{index}", "product_id": cls.product_serial.id} for index in (1, 2)]
        )
        cls.order, cls.delivery, cls.invoice = create_delivered_invoiced_sale(
            cls.env,
            cls.customer,
            [(cls.product_serial, 2, 400.0), (cls.product_plain, 10, 10.0)],
            lots=cls.lots,
        )
        cls.inv_line_serial = cls.invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == cls.product_serial
        )
        cls.inv_line_plain = cls.invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == cls.product_plain
        )

    @classmethod
    def _create_return_case(cls, lines, user=None, **values):
        """A return case against the invoice for ``lines`` [(invoice line,
        quantity, serial or False)], filed by ``user``."""
        vals = {
            "subject": "Return",
            "partner_id": cls.customer.id,
            "type_id": cls.type_return.id,
            "invoice_id": cls.invoice.id,
            "line_ids": [
                Command.create(
                    {"invoice_line_id": inv_line.id, "quantity": qty, "lot_id": lot and lot.id}
                )
                for inv_line, qty, lot in lines
            ],
        }
        vals.update(values)
        return cls.env["complaint.case"].with_user(user or cls.user).create(vals)

    def _receive(self, picking):
        """Validate a return receipt as the warehouse does."""
        picking.move_ids.picked = True
        result = picking.button_validate()
        self.assertIs(result, True)
        self.assertEqual(picking.state, "done")

    def _decide(self, case, decision="accepted"):
        wizard = self.env["complaint.case.decide"].create(
            {"case_id": case.id, "decision": decision, "resolution": "none"}
        )
        return wizard.action_confirm()
