from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

INSPECTION_RESULTS = [
    ("stock", "Back to Stock"),
    ("scrap", "Scrap"),
    ("repair", "Repair"),
    ("supplier", "To the Supplier"),
]


class ComplaintCaseLineReturn(models.AbstractModel):
    """Returned quantities, serials and inspection of a claimed item."""

    _name = "complaint.case.line.return"
    _description = "Claimed Item Returns"

    return_move_ids = fields.One2many(
        comodel_name="stock.move",
        inverse_name="complaint_case_line_id",
        string="Transfers",
    )
    qty_returned = fields.Float(
        string="Returned",
        digits="Product Unit of Measure",
        compute="_compute_qty_returned",
        store=True,
        help="Quantity received back from the customer.",
    )
    qty_to_return = fields.Float(
        string="To Return",
        digits="Product Unit of Measure",
        compute="_compute_qty_to_return",
    )
    lot_received_id = fields.Many2one(
        comodel_name="stock.lot",
        string="Received Serial",
        compute="_compute_qty_returned",
        store=True,
    )
    lot_returned_before = fields.Boolean(
        string="Serial Returned Before",
        compute="_compute_lot_returned_before",
    )
    inspection_result = fields.Selection(
        selection=INSPECTION_RESULTS,
        help="What happens to the received goods: back to stock, scrapped, repaired or sent "
        "to the supplier.",
    )
    inspection_done = fields.Boolean(string="Inspection Applied", readonly=True, copy=False)
    scrap_id = fields.Many2one(
        comodel_name="stock.scrap", string="Scrap", readonly=True, copy=False
    )

    def _get_customer_return_moves(self):
        return self.return_move_ids.filtered(
            lambda move: move.location_id.usage == "customer" and move.state != "cancel"
        )

    @api.depends(
        "return_move_ids.state",
        "return_move_ids.quantity",
        "return_move_ids.move_line_ids.lot_id",
    )
    def _compute_qty_returned(self):
        for line in self:
            moves = line._get_customer_return_moves().filtered(lambda m: m.state == "done")
            line.qty_returned = sum(
                move.product_uom._compute_quantity(
                    move.quantity, line.product_uom_id or move.product_uom
                )
                for move in moves
            )
            line.lot_received_id = moves.move_line_ids.lot_id[-1:]

    @api.depends("quantity", "return_move_ids.product_uom_qty", "return_move_ids.state")
    def _compute_qty_to_return(self):
        # sudo: handlers see what is left to return without reading transfers
        for line in self:
            if not line._get_delivery_moves():
                line.qty_to_return = 0.0
                continue
            pending = sum(line.sudo()._get_customer_return_moves().mapped("product_uom_qty"))
            line.qty_to_return = max(line.quantity - pending, 0.0)

    def _compute_lot_returned_before(self):
        for line in self:
            lot = line.lot_received_id or line.lot_id
            line.lot_returned_before = bool(lot) and bool(
                self.env["stock.move.line"]
                .sudo()
                .search_count(
                    [
                        ("lot_id", "=", lot.id),
                        ("state", "=", "done"),
                        ("location_id.usage", "=", "customer"),
                        ("move_id.complaint_case_line_id", "not in", [False, line.id]),
                    ],
                    limit=1,
                )
            )

    # ------------------------------------------------------------------
    # Deliveries of the claimed item
    # ------------------------------------------------------------------

    def _get_delivery_moves(self):
        """Done moves that delivered this item to the customer: through the
        sale order line of its invoice line, else on the case's delivery.
        Sudo: claim handlers and intake channels need not read invoices'
        journal items nor sale orders to check what was delivered."""
        self.ensure_one()
        line = self.sudo()
        moves = line.invoice_line_id.sale_line_ids.move_ids
        if not moves and line.case_id.delivery_picking_id:
            moves = line.case_id.delivery_picking_id.move_ids.filtered(
                lambda m: m.product_id == self.product_id
            )
        return moves.filtered(
            lambda m: (
                m.state == "done"
                and m.location_dest_id.usage == "customer"
                and not m.origin_returned_move_id
            )
        )

    def _get_delivery_date(self):
        """Done date of the latest delivery of these items (False if none)."""
        dates = [move.date for line in self for move in line._get_delivery_moves()]
        return max(dates) if dates else False

    def _get_returned_quantity(self, moves, exclude_line=None):
        """Quantity of ``moves`` already returned or on its way back."""
        returns = moves.returned_move_ids.filtered(
            lambda m: m.state != "cancel" and m.complaint_case_line_id != exclude_line
        )
        return sum(m.quantity if m.state == "done" else m.product_uom_qty for m in returns)

    def _get_returnable_quantity(self):
        """Delivered minus returned and minus what other open claims still
        expect back, for this claimed item (in the product's unit)."""
        self.ensure_one()
        moves = self._get_delivery_moves()
        delivered = sum(moves.mapped("quantity"))
        returned = self._get_returned_quantity(moves, exclude_line=self)
        if self.invoice_line_id:
            same_item = [("invoice_line_id", "=", self.invoice_line_id.id)]
        else:
            same_item = [
                ("invoice_line_id", "=", False),
                ("product_id", "=", self.product_id.id),
                ("case_id.delivery_picking_id", "=", self.case_id.delivery_picking_id.id),
            ]
        # sudo: claims of every handler count, not only those this user sees
        others = self.sudo().search(
            [
                *same_item,
                ("id", "!=", self.id or 0),
                ("case_id.type_id.code", "=", "return"),
                ("case_id.state", "!=", "cancelled"),
            ]
        )
        reserved = sum(other.qty_to_return for other in others)
        return delivered - returned - reserved

    def _lock_delivery_moves(self, moves):
        """Serialize the claims on the same deliveries: two requests claiming
        the last returnable units at once both touch these rows, so the later
        one fails with a serialization error, is retried by the server, and
        then sees the first claim."""
        self.env.cr.execute(
            "UPDATE stock_move SET write_date = write_date WHERE id IN %s", [tuple(moves.ids)]
        )

    def _check_returnable(self):
        for line in self:
            moves = line._get_delivery_moves()
            product = line.product_id.display_name or line.name
            if not moves:
                raise ValidationError(
                    self.env._("%s was not delivered to the customer: nothing to return.", product)
                )
            line._lock_delivery_moves(moves)
            returnable = line._get_returnable_quantity()
            rounding = line.product_id.uom_id.rounding
            if float_compare(line.quantity, returnable, precision_rounding=rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: %(claimed)s claimed for return, but only %(returnable)s "
                        "delivered and not yet returned or claimed.",
                        product=product,
                        claimed=line.quantity,
                        returnable=max(returnable, 0.0),
                    )
                )
            if line.lot_id and line.lot_id not in moves.move_line_ids.lot_id:
                raise ValidationError(
                    self.env._(
                        "Serial number %(lot)s of %(product)s was not on the delivery "
                        "%(pickings)s.",
                        lot=line.lot_id.name,
                        product=product,
                        pickings=", ".join(moves.picking_id.mapped("name")),
                    )
                )

    @api.constrains("invoice_line_id", "quantity", "lot_id", "case_id")
    def _check_return_intake(self):
        """Return cases only claim what was delivered and can come back, within
        the return window: checked at intake, whatever the channel."""
        lines = self.filtered(lambda line: line.case_id.type_id.code == "return")
        lines.filtered(
            lambda line: line.invoice_line_id or line.case_id.delivery_picking_id
        )._check_returnable()
        lines.case_id._check_return_window()

    def _allocate_delivery_moves(self):
        """[(line, delivery move, quantity)] covering what each line still
        has to return: the move that delivered its serial, else the moves in
        delivery order up to what each can still take back."""
        allocations = []
        taken = {}
        for line in self:
            moves = line._get_delivery_moves()
            if line.lot_id:
                moves = moves.filtered(lambda m, lot=line.lot_id: lot in m.move_line_ids.lot_id)
            remaining = line.qty_to_return
            for move in moves.sorted("date"):
                free = move.quantity - self._get_returned_quantity(move) - taken.get(move.id, 0.0)
                quantity = min(free, remaining)
                if quantity <= 0:
                    continue
                allocations.append((line, move, quantity))
                taken[move.id] = taken.get(move.id, 0.0) + quantity
                remaining -= quantity
                if float_is_zero(remaining, precision_rounding=move.product_uom.rounding):
                    break
            else:
                if not float_is_zero(
                    remaining, precision_rounding=line.product_id.uom_id.rounding or 0.01
                ):
                    raise UserError(
                        self.env._(
                            "%(product)s: %(missing)s more than the deliveries can take back.",
                            product=line.product_id.display_name,
                            missing=remaining,
                        )
                    )
        return allocations

    # ------------------------------------------------------------------
    # Inspection
    # ------------------------------------------------------------------

    def _apply_inspection(self):
        for line in self:
            if float_is_zero(
                line.qty_returned, precision_rounding=line.product_id.uom_id.rounding or 0.01
            ):
                raise UserError(
                    self.env._(
                        "%s has not been received yet: inspect it after the return is validated.",
                        line.product_id.display_name,
                    )
                )
            getattr(line, f"_apply_inspection_{line.inspection_result}")()
            line.inspection_done = True
            line.case_id.message_post(
                body=self.env._(
                    "Inspection of %(product)s: %(result)s.",
                    product=line.product_id.display_name,
                    result=dict(line._fields["inspection_result"]._description_selection(self.env))[
                        line.inspection_result
                    ],
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _apply_inspection_stock(self):
        """The goods stay where the return receipt put them."""
        return True

    def _apply_inspection_supplier(self):
        """The goods wait for the supplier claim, which ships them back."""
        return True

    def _apply_inspection_repair(self):
        raise UserError(self.env._("Install the Repairs app to send returned goods to repair."))

    def _prepare_scrap_vals(self):
        """Values of the ``stock.scrap`` of a returned item found unusable;
        called by ``_apply_inspection_scrap``."""
        self.ensure_one()
        move = self._get_customer_return_moves().filtered(lambda m: m.state == "done")[-1:]
        return {
            "product_id": self.product_id.id,
            "lot_id": self.lot_received_id.id,
            "scrap_qty": self.qty_returned,
            "product_uom_id": (self.product_uom_id or self.product_id.uom_id).id,
            "location_id": move.location_dest_id.id,
            "picking_id": move.picking_id.id,
            "company_id": self.case_id.company_id.id,
            "origin": self.case_id.name,
        }

    def _apply_inspection_scrap(self):
        scrap = self.env["stock.scrap"].create(self._prepare_scrap_vals())
        if scrap.action_validate() is not True:
            raise UserError(
                self.env._(
                    "%s is no longer in stock where it was received: it cannot be scrapped.",
                    self.product_id.display_name,
                )
            )
        self.scrap_id = scrap

    # ------------------------------------------------------------------
    # Settlement
    # ------------------------------------------------------------------

    def _get_settlement_quantities(self):
        """{line id: quantity to credit}: the claimed quantity, or for a
        delivery discrepancy the shortage the warehouse confirmed (nothing for
        a surplus). Read by the settlement."""
        result = {}
        for line in self:
            if line.case_id.type_id.code == "discrepancy":
                result[line.id] = line._get_confirmed_shortage()
            else:
                result[line.id] = line.quantity
        return result
