from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


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


class RmaSettlementCommon(AccountTestInvoicingCommon):
    """A company with its chart of accounts and warehouse, an accountant, a
    complaint manager, a customer, a vendor and products, and helpers that
    sell, deliver and invoice for real."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_create_nolog=True, mail_notrack=True))
        cls.company = cls.company_data["company"]
        # the invoicing user of the accounting fixtures also sells, ships and handles claims
        cls.env.user.groups_id += (
            cls.env.ref("complaint_base.group_complaint_manager")
            + cls.env.ref("sales_team.group_sale_manager")
            + cls.env.ref("stock.group_stock_manager")
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.accountant = new_test_user(
            cls.env,
            login="rma_accountant",
            name="Anna Accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.handler = new_test_user(
            cls.env,
            login="rma_handler",
            name="Henrik Handler",
            groups="base.group_user,complaint_base.group_complaint_manager,stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Kowalski Sp. z o.o.",
                "is_company": True,
                "email": "biuro@kowalski.example.com",
            }
        )
        cls.vendor = cls.env["res.partner"].create(
            {
                "name": "Nordic Parts Oy",
                "is_company": True,
                "email": "sales@nordicparts.example.com",
            }
        )
        cls.tax = cls.company_data["default_tax_sale"]
        cls.product = cls.env["product.product"].create(
            {
                "name": "Espresso Grinder EG-5",
                "is_storable": True,
                "type": "consu",
                "invoice_policy": "delivery",
                "lst_price": 250.0,
                "standard_price": 140.0,
                "taxes_id": [Command.set(cls.tax.ids)],
                "seller_ids": [Command.create({"partner_id": cls.vendor.id, "price": 150.0})],
            }
        )
        cls.product_filter = cls.env["product.product"].create(
            {
                "name": "Water Filter WF-1",
                "is_storable": True,
                "type": "consu",
                "invoice_policy": "delivery",
                "lst_price": 20.0,
                "taxes_id": [Command.set(cls.tax.ids)],
                "seller_ids": [Command.create({"partner_id": cls.vendor.id, "price": 8.0})],
            }
        )
        cls.type_complaint = cls.env.ref("complaint_base.complaint_type_complaint")
        cls.type_complaint.write(
            {"min_attachment_count": 0, "required_field_ids": [Command.clear()]}
        )

    @classmethod
    def _sell(cls, lines, partner=None, currency=None):
        """A confirmed sale order of ``lines`` [(product, quantity, price, discount)]
        delivered in full and invoiced (posted): (order, delivery, invoice)."""
        stock = cls.warehouse.lot_stock_id
        for product, quantity, _price, _discount in lines:
            cls.env["stock.quant"]._update_available_quantity(product, stock, quantity)
        order_vals = {
            "partner_id": (partner or cls.customer).id,
            "warehouse_id": cls.warehouse.id,
            "company_id": cls.company.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": quantity,
                        "price_unit": price,
                        "discount": discount,
                    }
                )
                for product, quantity, price, discount in lines
            ],
        }
        if currency:
            pricelist = cls.env["product.pricelist"].create(
                {"name": f"{currency.name} prices", "currency_id": currency.id}
            )
            order_vals["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].create(order_vals)
        order.action_confirm()
        delivery = order.picking_ids
        for move in delivery.move_ids:
            move.quantity = move.product_uom_qty
        delivery.move_ids.picked = True
        delivery.button_validate()
        invoice = order._create_invoices()
        invoice.invoice_date = fields.Date.today()
        invoice.action_post()
        return order, delivery, invoice

    @classmethod
    def _claim(cls, invoice, quantities, decide="accepted", resolution="refund", with_invoice=True):
        """A case of ``invoice`` claiming ``quantities`` {product: quantity},
        confirmed and decided with the Decide wizard."""
        lines = []
        for product, quantity in quantities.items():
            invoice_line = invoice.invoice_line_ids.filtered(
                lambda line, p=product: line.product_id == p
            )
            lines.append(Command.create({"invoice_line_id": invoice_line.id, "quantity": quantity}))
        case = cls.env["complaint.case"].create(
            {
                "subject": "Grinder blades blunt",
                "partner_id": invoice.partner_id.id,
                "type_id": cls.type_complaint.id,
                "company_id": cls.company.id,
                "invoice_id": invoice.id if with_invoice else False,
                "line_ids": lines,
            }
        )
        case.action_confirm()
        if decide:
            cls.env["complaint.case.decide"].create(
                {"case_id": case.id, "decision": decide, "resolution": resolution}
            ).action_confirm()
        return case

    @staticmethod
    def _settle_all(case, user=None, post=True):
        """Settle what remains on ``case`` with the wizard's default quantities."""
        env_case = case.with_user(user) if user else case
        action = env_case.action_open_settle_wizard()
        wizard = env_case.env["complaint.case.settle"].browse(action["res_id"])
        wizard.post = post
        wizard.action_confirm()
        return case.credit_note_ids
