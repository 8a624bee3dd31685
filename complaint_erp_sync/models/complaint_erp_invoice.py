# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError

MOVE_TYPES = {"invoice": "out_invoice", "refund": "out_refund"}


class ComplaintErpInvoice(models.Model):
    """An invoice of the ERP, posted in Odoo so that cases are filed against it.

    Its lines are bound one by one (``complaint.erp.invoice.line``) with the
    serial numbers the ERP sold on them; a changed invoice is updated line by
    line, so the cases that point to its lines keep pointing to them."""

    _name = "complaint.erp.invoice"
    _inherit = ["complaint.erp.binding"]
    _description = "ERP Invoice Binding"
    _erp_record_field = "move_id"
    _erp_entity = "invoices"

    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="cascade",
    )
    external_number = fields.Char(string="ERP Number", index=True, readonly=True)
    partner_id = fields.Many2one(related="move_id.partner_id")
    amount_total = fields.Monetary(related="move_id.amount_total")
    currency_id = fields.Many2one(related="move_id.currency_id")
    move_state = fields.Selection(related="move_id.state", string="Invoice Status")
    line_binding_ids = fields.One2many(
        comodel_name="complaint.erp.invoice.line",
        inverse_name="invoice_binding_id",
        string="Lines",
    )

    def _erp_prefetch(self, backend, items):
        lines = [line for item in items for line in item.get("lines") or []]
        products = self.env["complaint.erp.product"]._erp_records_map(
            backend, [line.get("product_id") for line in lines]
        )
        return {
            "partners": self.env["complaint.erp.partner"]._erp_records_map(
                backend, [item.get("partner_id") for item in items]
            ),
            "products": products,
            "lots": self._erp_serials(backend, lines, products),
        }

    def _erp_serials(self, backend, lines, products):
        """{(product id, serial): stock.lot} for the serials sold on ``lines``; the
        serials the ERP has not listed yet are created."""
        wanted = {
            (products[str(line["product_id"])].id, str(serial))
            for line in lines
            if line.get("product_id")
            for serial in line.get("serials") or []
        }
        if not wanted:
            return {}
        Lot = self.env["stock.lot"]
        lots = Lot.search(
            [
                ("name", "in", list({name for __, name in wanted})),
                ("product_id", "in", list({product for product, __ in wanted})),
                ("company_id", "in", (False, backend.company_id.id)),
            ]
        )
        result = {(lot.product_id.id, lot.name): lot for lot in lots}
        missing = sorted(wanted - set(result))
        if missing:
            created = Lot.create(
                [
                    {"product_id": product, "name": name, "company_id": backend.company_id.id}
                    for product, name in missing
                ]
            )
            result.update({(lot.product_id.id, lot.name): lot for lot in created})
        return result

    def _erp_line_vals(self, line, refs):
        product = refs["products"].get(str(line.get("product_id")), self.env["product.product"])
        vals = {
            "name": line.get("name") or product.display_name or str(line["id"]),
            "quantity": float(line.get("quantity") or 1.0),
            "price_unit": float(line.get("price_unit") or 0.0),
            "tax_ids": [Command.clear()],
        }
        if product:
            vals["product_id"] = product.id
        return vals

    def _erp_line_lots(self, line, refs):
        product = refs["products"].get(str(line.get("product_id")))
        return [
            refs["lots"][(product.id, str(serial))].id
            for serial in line.get("serials") or []
            if product
        ]

    def _erp_prepare_vals(self, backend, item, refs):
        partner = refs["partners"].get(str(item.get("partner_id")))
        if not partner:
            raise UserError(self.env._("ERP invoice %s has no customer.", item["id"]))
        journal = backend.journal_id or self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", backend.company_id.id)], limit=1
        )
        return {
            "move_type": MOVE_TYPES.get(item.get("type"), "out_invoice"),
            "partner_id": partner.id,
            "invoice_date": item.get("date") or fields.Date.context_today(self),
            "ref": item.get("number") or False,
            "journal_id": journal.id,
            "company_id": backend.company_id.id,
            "invoice_line_ids": [
                Command.create(self._erp_line_vals(line, refs)) for line in item.get("lines") or []
            ],
            "_erp": (item, refs),  # popped before the ORM sees it
        }

    def _erp_create_records(self, backend, vals_list, items):
        extras = [vals.pop("_erp") for vals in vals_list]
        moves = self.env["account.move"].create(vals_list)
        if backend.post_invoices:
            moves.filtered(lambda move: move.invoice_line_ids).action_post()
        self.env["complaint.erp.invoice.line"].create(
            [
                self._erp_line_binding_vals(backend, line_item, move_line, refs)
                for move, (item, refs) in zip(moves, extras, strict=True)
                for line_item, move_line in zip(
                    item.get("lines") or [], move.invoice_line_ids.sorted("id"), strict=True
                )
            ]
        )
        return moves

    def _erp_line_binding_vals(self, backend, line_item, move_line, refs):
        return {
            "backend_id": backend.id,
            "external_id": str(line_item["id"]),
            "move_line_id": move_line.id,
            "lot_ids": [Command.set(self._erp_line_lots(line_item, refs))],
        }

    def _erp_binding_extra_vals(self, record, item):
        return {"external_number": item.get("number")}

    @api.model_create_multi
    def create(self, vals_list):
        bindings = super().create(vals_list)
        lines = self.env["complaint.erp.invoice.line"].search(
            [("move_id", "in", bindings.move_id.ids), ("invoice_binding_id", "=", False)]
        )
        by_move = {binding.move_id.id: binding for binding in bindings}
        for move, move_lines in lines.grouped("move_id").items():
            move_lines.invoice_binding_id = by_move[move.id]
        return bindings

    def _erp_update_record(self, item, vals):
        item, refs = vals.pop("_erp")
        move = self.move_id
        vals.pop("invoice_line_ids")
        if move.state != "draft":
            move.button_draft()
        known = {line.external_id: line for line in self.line_binding_ids}
        commands = []
        new_items = []
        for line_item in item.get("lines") or []:
            line_binding = known.pop(str(line_item["id"]), None)
            if line_binding:
                commands.append(
                    Command.update(
                        line_binding.move_line_id.id, self._erp_line_vals(line_item, refs)
                    )
                )
                line_binding.lot_ids = [Command.set(self._erp_line_lots(line_item, refs))]
            else:
                commands.append(Command.create(self._erp_line_vals(line_item, refs)))
                new_items.append(line_item)
        for line_binding in known.values():
            commands.append(Command.delete(line_binding.move_line_id.id))
        before = move.invoice_line_ids
        vals.pop("move_type", None)
        move.write({**vals, "invoice_line_ids": commands})
        added = (move.invoice_line_ids - before).sorted("id")
        self.env["complaint.erp.invoice.line"].create(
            [
                {
                    **self._erp_line_binding_vals(self.backend_id, line_item, move_line, refs),
                    "invoice_binding_id": self.id,
                }
                for line_item, move_line in zip(new_items, added, strict=True)
            ]
        )
        self.external_number = item.get("number")
        if self.backend_id.post_invoices and move.invoice_line_ids:
            move.action_post()

    def _erp_on_deleted(self):
        """The ERP deleted or cancelled the invoice: cancel it here too."""
        for move in self.move_id:
            if move.state == "posted":
                move.button_draft()
            if move.state == "draft":
                move.button_cancel()
