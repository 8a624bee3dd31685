from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ComplaintCaseReturn(models.AbstractModel):
    """Returns of a case: return window, exceptions and return pickings."""

    _name = "complaint.case.return"
    _description = "Complaint Case Returns"

    delivery_picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Delivery",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('picking_type_code', '=', 'outgoing'), ('state', '=', 'done'), "
        "('partner_id', 'child_of', commercial_partner_id)]",
        help="The delivery the claim is about (required for delivery discrepancies).",
    )
    return_deadline = fields.Date(
        compute="_compute_return_deadline",
        help="Last day of the return window: the latest delivery of the claimed items plus "
        "the company's return window and the customer's extension.",
    )
    return_window_exceeded = fields.Boolean(compute="_compute_return_deadline")
    lot_returned_before = fields.Boolean(
        string="Serial Returned Before",
        compute="_compute_lot_returned_before",
    )
    return_window_exception = fields.Boolean(
        string="Accepted Outside the Return Window",
        tracking=True,
        copy=False,
        help="A complaint manager accepts this return although the return window is over.",
    )
    return_window_exception_reason = fields.Text(
        string="Exception Reason",
        tracking=True,
        copy=False,
    )
    return_window_exception_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Exception Approved By",
        readonly=True,
        copy=False,
    )

    @api.depends("line_ids.invoice_line_id", "delivery_picking_id", "date_received", "partner_id")
    def _compute_return_deadline(self):
        for case in self:
            done = case.line_ids._get_delivery_date()
            if not done or not case.partner_id:
                case.return_deadline = False
                case.return_window_exceeded = False
                continue
            days = case.partner_id._complaint_return_window_days(case.company_id)
            case.return_deadline = (done + timedelta(days=days)).date()
            received = (case.date_received or fields.Datetime.now()).date()
            case.return_window_exceeded = received > case.return_deadline

    def _compute_lot_returned_before(self):
        for case in self:
            case.lot_returned_before = any(case.line_ids.mapped("lot_returned_before"))

    def _check_return_window(self):
        """Refuse return cases filed after the return window, unless a manager
        accepted them as an exception. Every intake channel creates cases, so
        this runs for the backend, the portal, the public form and the API."""
        for case in self.filtered(lambda c: c.type_id.code == "return"):
            if case.return_window_exception or not case.return_window_exceeded:
                continue
            raise ValidationError(
                self.env._(
                    "The return window for %(partner)s ended on %(deadline)s: goods delivered "
                    "can be returned within %(days)s days. A complaint manager can accept the "
                    "return as an exception, with a reason.",
                    partner=case.partner_id.display_name,
                    deadline=case.return_deadline,
                    days=case.partner_id._complaint_return_window_days(case.company_id),
                )
            )

    @api.constrains("type_id", "date_received", "partner_id", "return_window_exception")
    def _check_return_window_case(self):
        self._check_return_window()

    @api.constrains("return_window_exception", "return_window_exception_reason")
    def _check_return_window_exception(self):
        for case in self.filtered("return_window_exception"):
            if not case.return_window_exception_reason:
                raise ValidationError(
                    self.env._("Give the reason for accepting case %s as an exception.", case.name)
                )

    def _return_exception_vals(self, vals):
        if "return_window_exception" not in vals or (
            not vals["return_window_exception"] and not any(self.mapped("return_window_exception"))
        ):
            return vals
        if not (self.env.su or self.env.user.has_group("complaint_base.group_complaint_manager")):
            raise UserError(
                self.env._("Only complaint managers can accept a return outside the return window.")
            )
        return dict(
            vals,
            return_window_exception_user_id=vals["return_window_exception"] and self.env.user.id,
        )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._return_exception_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._return_exception_vals(vals))

    # ------------------------------------------------------------------
    # Return pickings
    # ------------------------------------------------------------------

    def _prepare_return_wizard_line_vals(self, line, move, quantity):
        """Values of one ``stock.return.picking.line`` for ``quantity`` of the
        claimed ``line`` out of the delivery ``move``; called by
        ``_create_return_pickings``."""
        return {
            "product_id": move.product_id.id,
            "quantity": quantity,
            "move_id": move.id,
            "uom_id": move.product_id.uom_id.id,
            "to_refund": True,
        }

    def _get_lines_to_return(self):
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.qty_to_return > 0)
        if not lines:
            raise UserError(self.env._("Case %s has nothing left to return.", self.name))
        lines._check_returnable()
        return lines

    def _create_return_pickings(self, exchange=False):
        """Return pickings (one per original delivery) for what the claimed
        items still have to return, through Odoo's return wizard so that the
        returned moves keep their origin and valuation. With ``exchange``, the
        wizard also creates the replacement delivery."""
        self.ensure_one()
        if self.state in ("closed", "cancelled"):
            raise UserError(self.env._("Case %s is closed or cancelled.", self.name))
        lines = self._get_lines_to_return()
        allocations = lines._allocate_delivery_moves()
        pickings = self.env["stock.picking"]
        by_picking = {}
        for line, move, quantity in allocations:
            by_picking.setdefault(move.picking_id, []).append((line, move, quantity))
        for delivery, items in by_picking.items():
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_model="stock.picking", active_id=delivery.id)
                .create({"picking_id": delivery.id})
            )
            wizard.product_return_moves = [Command.clear()] + [
                Command.create(self._prepare_return_wizard_line_vals(line, move, qty))
                for line, move, qty in items
            ]
            group = delivery.group_id
            known = (
                self.env["stock.picking"].search([("group_id", "=", group.id)])
                if group
                else pickings
            )
            if exchange:
                action = wizard.action_create_exchanges()
                return_picking = self.env["stock.picking"].browse(action["res_id"])
            else:
                return_picking = wizard._create_return()
            return_picking.write({"complaint_case_id": self.id, "complaint_picking_kind": "return"})
            for (line, _move, _qty), wizard_line in zip(
                items, wizard.product_return_moves, strict=True
            ):
                return_move = return_picking.move_ids.filtered(
                    lambda m, wl=wizard_line: (
                        m.origin_returned_move_id == wl.move_id
                        and not m.complaint_case_line_id
                        and m.product_uom_qty == wl.quantity
                    )
                )[:1]
                return_move.complaint_case_line_id = line
            return_picking.move_ids._complaint_set_claimed_lots()
            pickings |= return_picking
            if exchange:
                new = (
                    self.env["stock.picking"].search([("group_id", "=", group.id)])
                    if group
                    else pickings
                )
                replacements = (new - known - return_picking).filtered(
                    lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
                )
                replacements.write(
                    {"complaint_case_id": self.id, "complaint_picking_kind": "replacement"}
                )
                pickings |= replacements
        self.message_post(
            body=self.env._("Transfers created: %s", ", ".join(pickings.mapped("name"))),
            subtype_xmlid="mail.mt_note",
        )
        return pickings

    def _action_view_pickings(self, pickings):
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        if len(pickings) == 1:
            action.update(views=[(False, "form")], res_id=pickings.id)
        else:
            action["domain"] = [("id", "in", pickings.ids)]
        action["context"] = {"create": False}
        return action

    def action_create_return(self):
        self.ensure_one()
        return self._action_view_pickings(self._create_return_pickings())

    def action_create_return_exchange(self):
        self.ensure_one()
        return self._action_view_pickings(self._create_return_pickings(exchange=True))

    def action_view_pickings(self):
        self.ensure_one()
        return self._action_view_pickings(self.picking_ids)

    def action_apply_inspection(self):
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda line: line.inspection_result and not line.inspection_done
        )
        if not lines:
            raise UserError(
                self.env._("Set an inspection result on the received items of %s first.", self.name)
            )
        lines._apply_inspection()
        return True
