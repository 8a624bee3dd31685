from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


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
