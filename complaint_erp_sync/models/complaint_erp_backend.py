# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hmac
import json
import logging
import time
import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from odoo.addons.queue_job.exception import RetryableJobError

from ..erp_client import (
    ErpError,
    ErpRejectedError,
    ErpTransientError,
    HttpClient,
    read_drop_files,
    sign,
)

_logger = logging.getLogger(__name__)

# entities pulled from the ERP, in the order a full import walks them, and the
# binding model of each
ENTITIES = ("partners", "products", "lots", "invoices")
BINDING_MODELS = {
    "partners": "complaint.erp.partner",
    "products": "complaint.erp.product",
    "lots": "complaint.erp.lot",
    "invoices": "complaint.erp.invoice",
}


class ComplaintErpBackend(models.Model):
    _name = "complaint.erp.backend"
    _description = "ERP Backend"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "sequence, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    kind = fields.Selection(
        selection=[("http", "HTTP/JSON"), ("file", "File Drop")],
        required=True,
        default="http",
        tracking=True,
        help="HTTP/JSON: the ERP's web service is called. File Drop: the ERP exports "
        "CSV or XML files into a folder that Odoo reads.",
    )
    base_url = fields.Char(
        string="Base URL", tracking=True, help="For example https://erp.example.com"
    )
    auth_type = fields.Selection(
        selection=[("none", "None"), ("token", "Bearer Token"), ("basic", "Basic")],
        string="Authentication",
        required=True,
        default="token",
    )
    token = fields.Char(groups="complaint_base.group_complaint_manager", copy=False)
    username = fields.Char()
    password = fields.Char(groups="complaint_base.group_complaint_manager", copy=False)
    connect_timeout = fields.Float(
        default=3.0, help="Seconds to wait for the ERP to accept the connection."
    )
    read_timeout = fields.Float(default=10.0, help="Seconds to wait for the ERP's answer.")
    drop_folder = fields.Char(help="Folder where the ERP puts its exports (File Drop).")
    file_format = fields.Selection(
        selection=[("csv", "CSV"), ("xml", "XML")], default="csv", required=True
    )
    batch_size = fields.Integer(
        default=100, required=True, help="Records asked from the ERP per page (one job each)."
    )
    journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Invoice Journal",
        check_company=True,
        domain="[('type', '=', 'sale')]",
        help="Journal of the invoices imported from the ERP (the first sales journal if empty).",
    )
    post_invoices = fields.Boolean(
        default=True, help="Post the imported invoices, so that cases can be filed against them."
    )
    outbound_enabled = fields.Boolean(
        string="Send Case Results",
        default=True,
        help="Send decisions and costs of cases about this ERP's customers or invoices.",
    )
    auto_import = fields.Boolean(
        string="Scheduled Incremental Import",
        help="The scheduled action imports what changed since the last import.",
    )
    webhook_secret = fields.Char(
        groups="complaint_base.group_complaint_manager",
        copy=False,
        help="Shared secret of the HMAC-SHA256 signature of the ERP's notifications.",
    )
    replay_window = fields.Integer(
        default=300, help="Seconds a signed notification stays valid (replay protection)."
    )
    webhook_url = fields.Char(string="Webhook URL", compute="_compute_webhook_url")
    channel_id = fields.Many2one(
        comodel_name="queue.job.channel", readonly=True, copy=False, ondelete="restrict"
    )
    channel = fields.Char(related="channel_id.complete_name", string="Job Channel")
    sync_watermarks = fields.Json(copy=False, help="Last ERP change date seen per entity.")
    last_import_date = fields.Datetime(readonly=True, copy=False)
    partner_binding_count = fields.Integer(compute="_compute_counts")
    invoice_binding_count = fields.Integer(compute="_compute_counts")
    exchange_count = fields.Integer(compute="_compute_counts")
    exchange_failed_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        ("batch_size_positive", "CHECK(batch_size > 0)", "The batch size must be positive."),
        (
            "timeouts_positive",
            "CHECK(connect_timeout > 0 AND read_timeout > 0)",
            "Timeouts must be positive.",
        ),
    ]

    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for backend in self:
            backend.webhook_url = (
                f"{base}/complaint_erp/webhook/{backend.id}" if backend.id else False
            )

    def _compute_counts(self):
        def counts(model, domain=()):
            groups = self.env[model]._read_group(
                [("backend_id", "in", self.ids), *domain], ["backend_id"], ["__count"]
            )
            return {backend.id: count for backend, count in groups}

        partners = counts("complaint.erp.partner")
        invoices = counts("complaint.erp.invoice")
        exchanges = counts("complaint.erp.exchange")
        failed = counts("complaint.erp.exchange", [("state", "=", "failed")])
        for backend in self:
            backend.partner_binding_count = partners.get(backend.id, 0)
            backend.invoice_binding_count = invoices.get(backend.id, 0)
            backend.exchange_count = exchanges.get(backend.id, 0)
            backend.exchange_failed_count = failed.get(backend.id, 0)

    @api.constrains("kind", "base_url", "drop_folder")
    def _check_endpoint(self):
        for backend in self:
            if backend.kind == "http" and not (backend.base_url or "").startswith(
                ("http://", "https://")
            ):
                raise UserError(
                    self.env._(
                        "The base URL of %s must start with http:// or https://.", backend.name
                    )
                )
            if backend.kind == "file" and not backend.drop_folder:
                raise UserError(self.env._("Set the folder of the file drop %s.", backend.name))

    @api.model_create_multi
    def create(self, vals_list):
        backends = super().create(vals_list)
        parent = self.env.ref("complaint_erp_sync.channel_complaint_erp")
        for backend in backends:
            backend.channel_id = (
                self.env["queue.job.channel"]
                .sudo()
                .create({"name": f"backend_{backend.id}", "parent_id": parent.id})
            )
        return backends

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_test_connection(self):
        self.ensure_one()
        try:
            if self.kind == "http":
                client = self._erp_client(max_timeout=5.0)
                client.request("GET", "api/ping")
            else:
                read_drop_files(self.drop_folder, "_probe_", self.file_format)
        except ErpError as exc:
            raise UserError(
                self.env._(
                    "The ERP %(name)s cannot be reached: %(error)s", name=self.name, error=exc
                )
            ) from exc
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Connection works"),
                "message": self.env._("%s answered.", self.name),
                "sticky": False,
            },
        }

    def action_import_full(self):
        return self._erp_start_import("full")

    def action_import_incremental(self):
        return self._erp_start_import("incremental")

    def action_generate_secret(self):
        self.ensure_one()
        self.webhook_secret = uuid.uuid4().hex + uuid.uuid4().hex

    def action_view_exchanges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_erp_sync.complaint_erp_exchange_action"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        action["context"] = {"default_backend_id": self.id}
        return action

    def action_view_partner_bindings(self):
        return self._action_view_bindings("complaint_erp_sync.complaint_erp_partner_action")

    def action_view_invoice_bindings(self):
        return self._action_view_bindings("complaint_erp_sync.complaint_erp_invoice_action")

    def _action_view_bindings(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("backend_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # transport
    # ------------------------------------------------------------------
    def _erp_client(self, max_timeout=None):
        self.ensure_one()
        backend = self.sudo()
        connect, read = backend.connect_timeout, backend.read_timeout
        if max_timeout:
            connect, read = min(connect, max_timeout), min(read, max_timeout)
        return HttpClient(
            backend.base_url,
            auth_type=backend.auth_type,
            token=backend.token,
            username=backend.username,
            password=backend.password,
            connect_timeout=connect,
            read_timeout=read,
        )

    def _erp_job_options(self, description, **options):
        self.ensure_one()
        return {
            "channel": self.channel or "root.complaint_erp",
            "description": description,
            "max_retries": 10,
            **options,
        }

    # ------------------------------------------------------------------
    # inbound: pulled imports
    # ------------------------------------------------------------------
    def _erp_start_import(self, mode):
        """Enqueue the first page of a full or incremental import of every entity."""
        for backend in self:
            run = uuid.uuid4().hex
            backend.with_delay(
                **backend._erp_job_options(
                    self.env._("%(backend)s: %(mode)s import", backend=backend.name, mode=mode)
                )
            )._erp_import_page(ENTITIES[0], mode, run)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._("The import runs in the background."),
                "sticky": False,
            },
        }

    def _erp_fetch_page(self, entity, mode, after):
        """(items, next cursor, highest change date) of one page from the ERP."""
        params = {"limit": self.batch_size}
        since = (self.sync_watermarks or {}).get(entity) if mode == "incremental" else None
        if since:
            params["since"] = since
        if after:
            params["after"] = after
        __, data = self._erp_client().request("GET", f"api/{entity}", params=params)
        return data.get("items") or [], data.get("next")

    def _erp_import_page(self, entity, mode, run, after=None, high=None):
        """Job: import one page of ``entity`` and enqueue the next page, or the
        next entity when this one is done. Each page commits on its own; a page
        that runs twice (a restart) changes nothing the second time."""
        self.ensure_one()
        binding_model = self.env[BINDING_MODELS[entity]]
        try:
            if self.kind == "file":
                items, next_after = self._erp_read_files(entity), None
            else:
                items, next_after = self._erp_fetch_page(entity, mode, after)
            binding_model._erp_import_items(self, items, run=run)
        except ErpTransientError as exc:
            raise RetryableJobError(str(exc)) from exc
        except ErpRejectedError as exc:
            raise UserError(
                self.env._("The ERP refused the import of %(entity)s: %(status)s %(body)s",
                           entity=entity, status=exc.status, body=exc.body)
            ) from exc  # fmt: skip
        versions = [item.get("updated_at") for item in items if item.get("updated_at")]
        high = max([high, *versions] if high else versions) if versions else high
        if next_after:
            self.with_delay(
                **self._erp_job_options(
                    self.env._("%(backend)s: import %(entity)s", backend=self.name, entity=entity)
                )
            )._erp_import_page(entity, mode, run, after=next_after, high=high)
            return f"{len(items)} {entity}, next page {next_after}"
        # the entity is complete: remember how far it went, and in a full run
        # treat what the ERP no longer lists as deleted
        if high:
            self.sync_watermarks = {**(self.sync_watermarks or {}), entity: high}
        if mode == "full" and self.kind == "http":
            binding_model._erp_sweep(self, run)
        position = ENTITIES.index(entity)
        if position + 1 < len(ENTITIES):
            following = ENTITIES[position + 1]
            self.with_delay(
                **self._erp_job_options(
                    self.env._(
                        "%(backend)s: import %(entity)s", backend=self.name, entity=following
                    )
                )
            )._erp_import_page(following, mode, run)
        else:
            self.last_import_date = fields.Datetime.now()
        return f"{len(items)} {entity}, done"

    def _erp_read_files(self, entity):
        """Items of the files of ``entity`` not read before; each file is
        recorded as an inbound exchange (its name and hash), so none is read twice."""
        Exchange = self.env["complaint.erp.exchange"]
        items = []
        for name, digest, file_items in read_drop_files(self.drop_folder, entity, self.file_format):
            external_id = f"file:{name}:{digest}"
            if Exchange.search_count(
                [("backend_id", "=", self.id), ("direction", "=", "inbound"),
                 ("external_id", "=", external_id)]
            ):  # fmt: skip
                continue
            Exchange.create(
                {
                    "backend_id": self.id,
                    "direction": "inbound",
                    "message_type": "file",
                    "external_id": external_id,
                    "event": entity,
                    "payload": json.dumps({"file": name, "records": len(file_items)}),
                    "state": "done",
                    "date_done": fields.Datetime.now(),
                }
            )
            items.extend(file_items)
        return items

    def _erp_fetch_one(self, entity, external_id):
        """One record the ERP has, for a reference an invoice or serial points to."""
        self.ensure_one()
        if self.kind != "http":
            raise UserError(
                self.env._("%(entity)s %(id)s is unknown: export it before the records using it.",
                           entity=entity, id=external_id)
            )  # fmt: skip
        __, data = self._erp_client().request("GET", f"api/{entity}/{external_id}")
        return data

    # ------------------------------------------------------------------
    # inbound: pushed notifications
    # ------------------------------------------------------------------
    def _erp_webhook_receive(self, body, timestamp, signature):
        """Check a pushed notification, store it once and enqueue its processing.

        Returns (HTTP status, answer). Called by the webhook controller (as
        superuser, before any check): nothing is stored unless the signature
        and the time stamp are right."""
        self.ensure_one()
        secret = self.sudo().webhook_secret
        if not self.active or not secret:
            return 404, {"error": "unknown endpoint"}
        try:
            sent_at = int(timestamp)
        except (TypeError, ValueError):
            return 401, {"error": "missing or bad timestamp"}
        if abs(time.time() - sent_at) > self.replay_window:
            return 401, {"error": "timestamp outside the replay window"}
        expected = sign(secret, sent_at, body)
        if not signature or not hmac.compare_digest(expected, signature.removeprefix("sha256=")):
            return 401, {"error": "bad signature"}
        try:
            message = json.loads(body)
            external_id = str(message["id"])
            event = str(message["type"])
            if not isinstance(message["data"], dict):
                raise TypeError("data")
        except (ValueError, KeyError, TypeError):
            return 400, {"error": "expected a JSON object with id, type and data"}
        Exchange = self.env["complaint.erp.exchange"].sudo()
        domain = [
            ("backend_id", "=", self.id),
            ("direction", "=", "inbound"),
            ("external_id", "=", external_id),
        ]
        if Exchange.search_count(domain):
            return 200, {"status": "duplicate", "id": external_id}
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                exchange = Exchange.create(
                    {
                        "backend_id": self.id,
                        "direction": "inbound",
                        "message_type": "notification",
                        "external_id": external_id,
                        "event": event,
                        "payload": body.decode(),
                    }
                )
        except Exception:  # the same message arrived at the same time in another request
            if Exchange.search_count(domain):
                return 200, {"status": "duplicate", "id": external_id}
            raise
        exchange._erp_enqueue_inbound()
        return 202, {"status": "accepted", "id": external_id}

    # ------------------------------------------------------------------
    # crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_import_incremental(self):
        self.search([("auto_import", "=", True)])._erp_start_import("incremental")
