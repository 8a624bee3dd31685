# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import api, fields, models

# statuses whose reaching is reported to the ERP
REPORTED_STATES = ("decided", "closed", "cancelled")


class ComplaintCase(models.Model):
    _inherit = "complaint.case"

    erp_exchange_ids = fields.One2many(
        comodel_name="complaint.erp.exchange",
        inverse_name="case_id",
        string="ERP Exchanges",
        readonly=True,
    )
    erp_exchange_count = fields.Integer(
        string="ERP Exchange Count", compute="_compute_erp_exchange_state"
    )
    erp_exchange_state = fields.Selection(
        selection=[("none", "Not Sent"), ("pending", "Sending"), ("done", "Sent"),
                   ("failed", "Failed")],
        string="ERP Status",
        compute="_compute_erp_exchange_state",
    )  # fmt: skip

    @api.depends("erp_exchange_ids.state")
    def _compute_erp_exchange_state(self):
        for case in self:
            states = set(case.erp_exchange_ids.mapped("state")) - {"cancelled"}
            case.erp_exchange_count = len(case.erp_exchange_ids)
            if "failed" in states:
                case.erp_exchange_state = "failed"
            elif states & {"pending", "queued"}:
                case.erp_exchange_state = "pending"
            elif states:
                case.erp_exchange_state = "done"
            else:
                case.erp_exchange_state = "none"

    def write(self, vals):
        reported = self.browse()
        if vals.get("state") in REPORTED_STATES:
            reported = self.filtered(lambda case: case.state != vals["state"])
        result = super().write(vals)
        if reported:
            reported._erp_sync_enqueue("case_status")
        return result

    def action_view_erp_exchanges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_erp_sync.complaint_erp_exchange_action"
        )
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {"search_default_group_by_backend": 0}
        return action

    # ------------------------------------------------------------------
    # outbound messages
    # ------------------------------------------------------------------
    def _erp_sync_backends(self):
        """The backends to which this case's results go: HTTP backends of the
        case's company sending case results, that know the case's customer or
        invoice."""
        self.ensure_one()
        backends = (
            self.env["complaint.erp.backend"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("kind", "=", "http"),
                    ("outbound_enabled", "=", True),
                ]
            )
        )
        if not backends:
            return backends
        Partner = self.env["complaint.erp.partner"].sudo()
        Invoice = self.env["complaint.erp.invoice"].sudo()
        partner_backends = Partner.search(
            [("backend_id", "in", backends.ids), ("partner_id", "=", self.commercial_partner_id.id)]
        ).backend_id
        invoice_backends = Invoice.search(
            [("backend_id", "in", backends.ids), ("move_id", "=", self.invoice_id.id)]
        ).backend_id if self.invoice_id else Invoice.backend_id  # fmt: skip
        return partner_backends | invoice_backends

    def _erp_sync_outbound_payload(self, backend, message_type):
        """The JSON payload of a ``message_type`` message about this case for
        ``backend``. Called by ``_erp_sync_enqueue``; add-ons extend it for their
        own message types (credit notes, supplier claims) or fields."""
        self.ensure_one()
        partner = (
            self.env["complaint.erp.partner"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", backend.id),
                    ("partner_id", "=", self.commercial_partner_id.id),
                ],
                limit=1,
            )
        )
        invoice = self.env["complaint.erp.invoice"].sudo().search(
            [("backend_id", "=", backend.id), ("move_id", "=", self.invoice_id.id)], limit=1
        ) if self.invoice_id else self.env["complaint.erp.invoice"]  # fmt: skip
        payload = {
            "type": message_type,
            "case": {
                "number": self.name,
                "type": self.type_code,
                "state": self.state,
                "customer_id": partner.external_id or None,
                "invoice_id": invoice.external_id or None,
                "date_received": fields.Datetime.to_string(self.date_received),
            },
        }
        for field in ("decision", "date_decision"):
            if field in self._fields and self[field]:
                payload["case"][field] = self._fields[field].convert_to_export(self[field], self)
        if message_type == "case_costs":
            payload["costs"] = [
                {
                    "type": line.cost_type,
                    "description": line.name or "",
                    "date": fields.Date.to_string(line.date),
                    "amount": line.amount_company,
                    "currency": line.company_currency_id.name,
                }
                for line in self.cost_line_ids
            ]
            payload["cost_total"] = self.cost_total
        return payload

    def _erp_sync_enqueue(self, message_type, payload=None):
        """Record a ``message_type`` message of each case for each of its
        backends and send it after the case's earlier messages. The entry point
        for other add-ons (complaint_rma's credit notes through a glue)."""
        Exchange = self.env["complaint.erp.exchange"].sudo()
        exchanges = Exchange
        for case in self:
            for backend in case._erp_sync_backends():
                body = payload or case._erp_sync_outbound_payload(backend, message_type)
                exchanges |= Exchange.create(
                    {
                        "backend_id": backend.id,
                        "direction": "outbound",
                        "message_type": message_type,
                        "case_id": case.id,
                        "payload": json.dumps(body, sort_keys=True, default=str),
                    }
                )
        exchanges._erp_dispatch()
        return exchanges
