from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class ComplaintCaseSupplier(models.AbstractModel):
    """Supplier claims chained from customer cases."""

    _name = "complaint.case.supplier"
    _description = "Complaint Case Supplier Claims"

    # the case's company currency (complaint_base), for the amounts below
    currency_id = fields.Many2one(comodel_name="res.currency")
    supplier_case_id = fields.Many2one(
        comodel_name="complaint.case",
        string="Supplier Claim",
        index="btree_not_null",
        copy=False,
        tracking=True,
        check_company=True,
        help="The claim passed on to the vendor of the claimed products.",
    )
    customer_case_ids = fields.One2many(
        comodel_name="complaint.case",
        inverse_name="supplier_case_id",
        string="Customer Cases",
        help="The customer cases this supplier claim passes on.",
    )
    customer_case_count = fields.Integer(compute="_compute_customer_case_count")
    amount_to_recover = fields.Monetary(
        string="To Recover",
        currency_field="currency_id",
        compute="_compute_amount_to_recover",
        help="Costs of the customer cases passed on to the vendor, in the company currency.",
    )
    amount_recovered = fields.Monetary(
        string="Recovered",
        currency_field="currency_id",
        compute="_compute_amount_recovered",
        help="Posted vendor credit notes of the supplier claim, in the company currency.",
    )

    @api.depends("customer_case_ids")
    def _compute_customer_case_count(self):
        for case in self:
            case.customer_case_count = len(case.customer_case_ids)

    @api.depends("customer_case_ids.cost_total", "supplier_case_id.customer_case_ids.cost_total")
    def _compute_amount_to_recover(self):
        for case in self:
            supplier_case = case if case.customer_case_ids else case.supplier_case_id
            case.amount_to_recover = sum(supplier_case.customer_case_ids.mapped("cost_total"))

    @api.depends("amount_settled", "supplier_case_id.amount_settled")
    def _compute_amount_recovered(self):
        for case in self:
            if case._is_supplier_claim():
                case.amount_recovered = case.amount_settled
            else:
                case.amount_recovered = case.supplier_case_id.amount_settled

    def action_create_supplier_case(self):
        """Pass this customer case on to the vendor of its products: a new
        supplier claim, or the vendor's supplier claim still new, with the
        claimed items, serials, photos and costs to recover."""
        self.ensure_one()
        self.check_access("write")
        if self._is_supplier_claim():
            raise UserError(self.env._("Case %s is already a supplier claim.", self.name))
        if self.supplier_case_id:
            raise UserError(
                self.env._(
                    "Case %(case)s is already passed on to the vendor in %(supplier_case)s.",
                    case=self.name,
                    supplier_case=self.supplier_case_id.name,
                )
            )
        vendor = self._get_claim_vendor()
        supplier_case = self.search(
            [
                ("type_id.code", "=", "supplier"),
                ("partner_id", "=", vendor.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "new"),
            ],
            order="id desc",
            limit=1,
        )
        if supplier_case:
            supplier_case.write(
                {"line_ids": [Command.create(vals) for vals in self._prepare_supplier_line_vals()]}
            )
        else:
            supplier_case = self.create(self._prepare_supplier_case_vals(vendor))
        self.supplier_case_id = supplier_case
        self._copy_photos_to(supplier_case)
        supplier_case.message_post(
            body=self.env._("Claim passed on from customer case %s.", self._get_html_link()),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.case",
            "res_id": supplier_case.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _get_claim_vendor(self):
        """The vendor of the claimed products (their first supplier)."""
        self.ensure_one()
        vendors = self.env["res.partner"]
        for line in self.line_ids:
            sellers = line.product_id.seller_ids.filtered(
                lambda seller: not seller.company_id or seller.company_id == self.company_id
            )
            vendors |= sellers[:1].partner_id
        if not vendors:
            raise UserError(
                self.env._(
                    "No vendor is known for the products of case %s: add one on the "
                    "product's Purchase tab.",
                    self.name,
                )
            )
        if len(vendors) > 1:
            raise UserError(
                self.env._(
                    "The products of case %(case)s come from several vendors (%(vendors)s): "
                    "split the case per vendor first.",
                    case=self.name,
                    vendors=", ".join(vendors.mapped("display_name")),
                )
            )
        return vendors

    def _prepare_supplier_case_vals(self, vendor):
        """Values of the supplier claim of this case at ``vendor``; called by
        ``action_create_supplier_case``."""
        self.ensure_one()
        supplier_type = self.env["complaint.type"].search([("code", "=", "supplier")], limit=1)
        if not supplier_type:
            raise UserError(self.env._("No complaint type with code 'supplier' exists."))
        line_vals = self._prepare_supplier_line_vals(vendor)
        bills = {vals.get("invoice_line_id") for vals in line_vals} - {None, False}
        bill = self.env["account.move.line"].browse(bills).move_id
        return {
            "subject": self.env._(
                "%(subject)s (from %(case)s)", subject=self.subject, case=self.name
            ),
            "type_id": supplier_type.id,
            "partner_id": vendor.id,
            "company_id": self.company_id.id,
            "channel": "backend",
            "description": self.description,
            "reason_id": self.reason_id.id,
            "severity": self.severity,
            "invoice_id": bill.id if len(bill) == 1 else False,
            "line_ids": [Command.create(vals) for vals in line_vals],
        }

    def _prepare_supplier_line_vals(self, vendor=None):
        """Values of the supplier-claim items passing on this case's items, with
        the vendor bill line of each product when there is one."""
        self.ensure_one()
        vendor = vendor or self._get_claim_vendor()
        vals_list = []
        for line in self.line_ids:
            bill_line = self._find_vendor_bill_line(vendor, line.product_id)
            vals_list.append(
                {
                    "product_id": line.product_id.id,
                    "lot_id": line.lot_id.id,
                    "quantity": line.quantity,
                    "product_uom_id": line.product_uom_id.id,
                    "name": line.name,
                    "origin_line_id": line.id,
                    "invoice_line_id": bill_line.id,
                }
            )
        # one bill per supplier case: items of other bills go without a bill line
        bills = {vals["invoice_line_id"] for vals in vals_list if vals["invoice_line_id"]}
        if len(bills) > 1:
            first = self.env["account.move.line"].browse(min(bills)).move_id
            for vals in vals_list:
                if vals["invoice_line_id"] and (
                    self.env["account.move.line"].browse(vals["invoice_line_id"]).move_id != first
                ):
                    vals["invoice_line_id"] = False
        return vals_list

    def _find_vendor_bill_line(self, vendor, product):
        """The latest posted vendor bill line of ``product`` from ``vendor``."""
        return self.env["account.move.line"].search(
            [
                ("move_id.move_type", "=", "in_invoice"),
                ("parent_state", "=", "posted"),
                ("move_id.commercial_partner_id", "=", vendor.commercial_partner_id.id),
                ("product_id", "=", product.id),
                ("company_id", "=", self.company_id.id),
                ("display_type", "=", "product"),
            ],
            order="date desc, id desc",
            limit=1,
        )

    def _copy_photos_to(self, supplier_case):
        """Copy the files attached to this case (photos, receipts) to ``supplier_case``."""
        self.ensure_one()
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)]
        )
        for attachment in attachments:
            attachment.copy({"res_id": supplier_case.id})

    def action_view_supplier_case(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.case",
            "res_id": self.supplier_case_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_customer_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_base.complaint_case_action"
        )
        action["domain"] = [("supplier_case_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_return_to_supplier(self):
        """A transfer returning the claimed items (with their serials) to the vendor."""
        self.ensure_one()
        self.check_access("write")
        if not self._is_supplier_claim():
            raise UserError(self.env._("Only supplier claims are returned to the vendor."))
        lines = self.line_ids.filtered(lambda line: line.product_id.is_storable)
        if not lines:
            raise UserError(
                self.env._("Case %s has no stocked product to return to the vendor.", self.name)
            )
        picking = self.env["stock.picking"].create(self._prepare_supplier_return_vals(lines))
        picking.action_confirm()
        for move, line in zip(picking.move_ids, lines, strict=True):
            if line.lot_id:
                move.lot_ids = line.lot_id
        picking.move_ids.filtered(lambda move: not move.lot_ids)._action_assign()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": picking.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _prepare_supplier_return_vals(self, lines):
        """Values of the return to the vendor of ``lines``; called by
        ``action_return_to_supplier``."""
        self.ensure_one()
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        if not warehouse:
            raise UserError(self.env._("Company %s has no warehouse.", self.company_id.name))
        picking_type = warehouse.out_type_id
        destination = self.partner_id.with_company(self.company_id).property_stock_supplier
        return {
            "picking_type_id": picking_type.id,
            "partner_id": self.partner_id.id,
            "location_id": picking_type.default_location_src_id.id,
            "location_dest_id": destination.id,
            "origin": self.name,
            "complaint_case_id": self.id,
            "complaint_picking_kind": "supplier_return",
            "company_id": self.company_id.id,
            "move_ids": [
                Command.create(
                    {
                        "name": line.product_id.display_name,
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.quantity,
                        "product_uom": line.product_uom_id.id,
                        "location_id": picking_type.default_location_src_id.id,
                        "location_dest_id": destination.id,
                        "company_id": self.company_id.id,
                    }
                )
                for line in lines
            ],
        }
