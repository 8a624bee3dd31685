from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_is_zero


class ComplaintCaseDiscrepancy(models.AbstractModel):
    """Delivery discrepancies of a case: shortage or surplus, warehouse verification."""

    _name = "complaint.case.discrepancy"
    _description = "Complaint Case Discrepancies"

    verification_state = fields.Selection(
        selection=[("to_verify", "To Verify"), ("verified", "Verified")],
        string="Warehouse Verification",
        compute="_compute_verification_state",
        store=True,
        readonly=True,
        precompute=True,
        tracking=True,
        copy=False,
    )
    verification_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Verified By",
        readonly=True,
        copy=False,
    )
    date_verified = fields.Datetime(string="Verified On", readonly=True, copy=False)
    verification_note = fields.Text(
        string="Warehouse Finding Notes",
        copy=False,
        help="What the warehouse found in the delivery's history (counts, photos, carrier).",
    )
    discrepancy_move_line_ids = fields.Many2many(
        comodel_name="stock.move.line",
        string="Delivery History",
        compute="_compute_discrepancy_move_line_ids",
        help="Moves of the reported products for the delivery, its backorders and returns.",
    )
    surplus_invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Surplus Invoice",
        readonly=True,
        copy=False,
        check_company=True,
    )

    @api.depends("type_id")
    def _compute_verification_state(self):
        for case in self:
            if case.type_id.code != "discrepancy":
                case.verification_state = False
            elif not case.verification_state and case.state in ("new", "in_progress", "waiting"):
                case.verification_state = "to_verify"

    @api.depends("delivery_picking_id", "line_ids.product_id")
    def _compute_discrepancy_move_line_ids(self):
        for case in self:
            delivery = case.delivery_picking_id
            if not delivery:
                case.discrepancy_move_line_ids = False
                continue
            case.discrepancy_move_line_ids = self.env["stock.move.line"].search(
                [
                    ("product_id", "in", case.line_ids.product_id.ids),
                    "|",
                    "|",
                    ("picking_id", "=", delivery.id),
                    ("picking_id.backorder_id", "=", delivery.id),
                    ("move_id.origin_returned_move_id.picking_id", "=", delivery.id),
                ],
                order="date, id",
            )

    @api.constrains("state", "verification_state")
    def _check_verified_before_decision(self):
        for case in self:
            if case.verification_state == "to_verify" and case.state in ("decided", "closed"):
                raise ValidationError(
                    self.env._(
                        "The warehouse has not verified delivery discrepancy %s yet: "
                        "it cannot be decided before.",
                        case.name,
                    )
                )

    @api.constrains("type_id", "delivery_picking_id")
    def _check_discrepancy_delivery(self):
        for case in self.filtered(lambda c: c.type_id.code == "discrepancy"):
            delivery = case.delivery_picking_id
            if delivery and (delivery.state != "done" or delivery.picking_type_code != "outgoing"):
                raise ValidationError(
                    self.env._(
                        "%s is not a done delivery: discrepancies are reported against "
                        "goods delivered.",
                        delivery.name,
                    )
                )

    def _check_discrepancy_lines(self):
        for case in self:
            if not case.delivery_picking_id:
                raise UserError(self.env._("Choose the delivery of discrepancy %s.", case.name))
            for line in case.line_ids:
                if not line.discrepancy_kind:
                    raise UserError(
                        self.env._(
                            "%s: the received quantity equals the expected one; "
                            "there is no discrepancy to verify.",
                            line.product_id.display_name,
                        )
                    )
                if line.product_id not in case.delivery_picking_id.move_ids.product_id and (
                    line.discrepancy_kind == "shortage"
                ):
                    raise UserError(
                        self.env._(
                            "%(product)s was not on delivery %(delivery)s: a shortage is only "
                            "reported for delivered products.",
                            product=line.product_id.display_name,
                            delivery=case.delivery_picking_id.name,
                        )
                    )

    def action_verification_done(self):
        """The warehouse recorded its finding on every line: the case moves on
        to customer service, who accepts or rejects it."""
        self.ensure_one()
        if not self.env.user.has_group("complaint_rma.group_complaint_warehouse"):
            raise AccessError(self.env._("Only the warehouse verifies delivery discrepancies."))
        if self.verification_state != "to_verify" or self.state not in ("in_progress", "waiting"):
            raise UserError(
                self.env._("Confirm discrepancy %s before the warehouse verifies it.", self.name)
            )
        self._check_discrepancy_lines()
        missing = self.line_ids.filtered(lambda line: not line.verification_result)
        if missing:
            raise UserError(
                self.env._(
                    "Record the warehouse finding for: %s.",
                    ", ".join(missing.mapped("product_id.display_name")),
                )
            )
        self.write(
            {
                "verification_state": "verified",
                "verification_user_id": self.env.user.id,
                "date_verified": fields.Datetime.now(),
            }
        )
        next_stage = self.env["complaint.stage"].search(
            [
                ("state", "=", "in_progress"),
                ("sequence", ">", self.stage_id.sequence),
                "|",
                ("type_ids", "=", False),
                ("type_ids", "in", self.type_id.ids),
            ],
            limit=1,
        )
        if next_stage and self.state == "in_progress":
            # sudo: handing the case back moves its workflow records (stage
            # log, deadlines) that the warehouse does not own; gated above
            self.sudo().stage_id = next_stage
        return True

    def action_view_delivery_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.stock_move_line_action")
        action.update(
            domain=[("id", "in", self.discrepancy_move_line_ids.ids)],
            context={"create": False},
        )
        return action

    # ------------------------------------------------------------------
    # Settlement in goods
    # ------------------------------------------------------------------

    def _check_discrepancy_accepted(self):
        self.ensure_one()
        if self.type_id.code != "discrepancy" or self.verification_state != "verified":
            raise UserError(self.env._("Discrepancy %s is not verified yet.", self.name))
        if self.decision not in ("accepted", "partly_accepted"):
            raise UserError(self.env._("Discrepancy %s has not been accepted.", self.name))

    def _prepare_discrepancy_picking_vals(self, picking_type, kind, location, location_dest):
        """Values of a re-delivery or surplus pickup for this case; called by
        ``_create_discrepancy_picking``."""
        self.ensure_one()
        return {
            "picking_type_id": picking_type.id,
            "partner_id": self.delivery_picking_id.partner_id.id,
            "location_id": location.id,
            "location_dest_id": location_dest.id,
            "origin": self.name,
            "complaint_case_id": self.id,
            "complaint_picking_kind": kind,
            "company_id": self.company_id.id,
        }

    def _create_discrepancy_picking(self, kind, quantities, picking_type, location, location_dest):
        moves = [
            Command.create(
                {
                    "name": line.product_id.display_name,
                    "product_id": line.product_id.id,
                    "product_uom_qty": quantity,
                    "product_uom": line.product_id.uom_id.id,
                    "location_id": location.id,
                    "location_dest_id": location_dest.id,
                    "complaint_case_line_id": line.id,
                }
            )
            for line, quantity in quantities
        ]
        vals = self._prepare_discrepancy_picking_vals(picking_type, kind, location, location_dest)
        picking = self.env["stock.picking"].create(dict(vals, move_ids=moves))
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _get_open_quantities(self, getter, kind):
        done = {}
        for move in self.picking_ids.filtered(
            lambda p: p.complaint_picking_kind == kind and p.state != "cancel"
        ).move_ids:
            done[move.complaint_case_line_id] = done.get(move.complaint_case_line_id, 0.0) + (
                move.product_uom_qty
            )
        result = []
        for line in self.line_ids:
            quantity = getter(line) - done.get(line, 0.0)
            if not float_is_zero(quantity, precision_rounding=line.product_id.uom_id.rounding):
                result.append((line, quantity))
        return result

    def action_create_redelivery(self):
        """Ship the confirmed shortage again."""
        self.ensure_one()
        self._check_discrepancy_accepted()
        quantities = self._get_open_quantities(
            lambda line: line._get_confirmed_shortage(), "redelivery"
        )
        if not quantities:
            raise UserError(
                self.env._("Discrepancy %s has no confirmed shortage to re-deliver.", self.name)
            )
        delivery = self.delivery_picking_id
        picking = self._create_discrepancy_picking(
            "redelivery",
            quantities,
            delivery.picking_type_id,
            delivery.location_id,
            delivery.location_dest_id,
        )
        return self._action_view_pickings(picking)

    def action_create_surplus_pickup(self):
        """Fetch the confirmed surplus back from the customer."""
        self.ensure_one()
        self._check_discrepancy_accepted()
        quantities = self._get_open_quantities(
            lambda line: line._get_confirmed_surplus(), "surplus_pickup"
        )
        if not quantities:
            raise UserError(
                self.env._("Discrepancy %s has no confirmed surplus to pick up.", self.name)
            )
        delivery = self.delivery_picking_id
        picking_type = delivery.picking_type_id.return_picking_type_id or delivery.picking_type_id
        location_dest = picking_type.default_location_dest_id or delivery.location_id
        picking = self._create_discrepancy_picking(
            "surplus_pickup", quantities, picking_type, delivery.location_dest_id, location_dest
        )
        return self._action_view_pickings(picking)

    def _prepare_surplus_invoice_vals(self, quantities):
        """Values of the draft invoice for a surplus the customer keeps; called
        by ``action_create_surplus_invoice``."""
        self.ensure_one()
        lines = []
        for line, quantity in quantities:
            sale_line = (
                line._get_delivery_moves().sale_line_id[:1]
                or (
                    self.delivery_picking_id.move_ids.filtered(
                        lambda m, product=line.product_id: m.product_id == product
                    ).sale_line_id[:1]
                )
            )
            vals = {
                "product_id": line.product_id.id,
                "quantity": quantity,
                "product_uom_id": line.product_id.uom_id.id,
            }
            if sale_line:
                vals.update(
                    price_unit=sale_line.price_unit,
                    discount=sale_line.discount,
                    tax_ids=[Command.set(sale_line.tax_id.ids)],
                    sale_line_ids=[Command.link(sale_line.id)],
                )
            lines.append(Command.create(vals))
        sale = self.delivery_picking_id.sale_id
        return {
            "move_type": "out_invoice",
            "partner_id": (sale.partner_invoice_id or self.partner_id).id,
            "currency_id": (sale.currency_id or self.company_id.currency_id).id,
            "invoice_origin": self.name,
            "company_id": self.company_id.id,
            "complaint_case_id": self.id,
            "invoice_line_ids": lines,
        }

    def action_create_surplus_invoice(self):
        """Invoice the confirmed surplus the customer keeps (a draft)."""
        self.ensure_one()
        self._check_discrepancy_accepted()
        if self.surplus_invoice_id and self.surplus_invoice_id.state != "cancel":
            raise UserError(self.env._("Discrepancy %s already has a surplus invoice.", self.name))
        quantities = [
            (line, line._get_confirmed_surplus())
            for line in self.line_ids
            if line._get_confirmed_surplus() > 0
        ]
        if not quantities:
            raise UserError(
                self.env._("Discrepancy %s has no confirmed surplus to invoice.", self.name)
            )
        invoice = self.env["account.move"].create(self._prepare_surplus_invoice_vals(quantities))
        self.surplus_invoice_id = invoice
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(views=[(False, "form")], res_id=invoice.id)
        return action
