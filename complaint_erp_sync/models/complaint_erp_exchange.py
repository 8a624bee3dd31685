# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import uuid

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..erp_client import ErpRejectedError, ErpTransientError
from .complaint_erp_backend import BINDING_MODELS

DONE_STATES = ("done", "cancelled")
EVENT_ENTITIES = {
    "partner": "partners",
    "product": "products",
    "lot": "lots",
    "invoice": "invoices",
}


class ComplaintErpExchange(models.Model):
    """One message to or from the ERP: the auditable record of an exchange.

    Outbound messages carry an idempotency key that the ERP uses to apply each
    message once, however often it is sent; the messages of a case are sent
    one after the other (the next one's job is created when the previous one is
    done or cancelled). Inbound notifications are stored once per external id
    and applied by a job. The queue_job jobs are the transport; this record
    says what was exchanged and how it ended."""

    _name = "complaint.erp.exchange"
    _description = "ERP Exchange"
    _order = "id desc"
    _check_company_auto = True

    backend_id = fields.Many2one(
        comodel_name="complaint.erp.backend",
        string="ERP Backend",
        required=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    direction = fields.Selection(
        selection=[("outbound", "To ERP"), ("inbound", "From ERP")],
        required=True,
        default="outbound",
        index=True,
    )
    message_type = fields.Selection(
        selection=[
            ("case_status", "Case Status"),
            ("case_costs", "Case Costs"),
            ("notification", "ERP Notification"),
            ("file", "ERP File"),
        ],
        string="Message",
        required=True,
        index=True,
    )
    case_id = fields.Many2one(
        comodel_name="complaint.case", index="btree_not_null", ondelete="set null"
    )
    event = fields.Char(help="Type of the ERP's notification, or entity of an imported file.")
    external_id = fields.Char(
        string="External ID", index="btree_not_null", help="The ERP's id of the message."
    )
    idempotency_key = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: str(uuid.uuid4()),
        help="Sent with the message: the ERP applies a message once per key.",
    )
    payload = fields.Text(readonly=True)
    state = fields.Selection(
        selection=[
            ("pending", "Waiting"),
            ("queued", "Queued"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="pending",
        index=True,
        readonly=True,
    )
    job_id = fields.Many2one(
        comodel_name="queue.job", readonly=True, copy=False, index="btree_not_null"
    )
    job_state = fields.Selection(related="job_id.state", string="Job Status")
    attempt_count = fields.Integer(related="job_id.retry", string="Attempts")
    job_result = fields.Text(related="job_id.result", string="Last Attempt")
    date_done = fields.Datetime(readonly=True, copy=False)
    response_status = fields.Integer(readonly=True, copy=False)
    response_body = fields.Text(readonly=True, copy=False)
    error = fields.Text(readonly=True, copy=False)
    erp_reference = fields.Char(
        string="ERP Reference", readonly=True, help="The ERP's id of the applied message."
    )

    _sql_constraints = [
        ("idempotency_key_uniq", "unique(idempotency_key)", "The idempotency key must be unique."),
        (
            "external_uniq",
            "unique(backend_id, direction, external_id)",
            "This message of the ERP is already recorded.",
        ),
    ]

    @api.depends("direction", "message_type", "case_id")
    def _compute_display_name(self):
        labels = dict(self._fields["message_type"]._description_selection(self.env))
        for exchange in self:
            subject = exchange.case_id.name or exchange.external_id or exchange.event or ""
            exchange.display_name = f"{labels.get(exchange.message_type, '')} {subject}".strip()

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_retry(self):
        """Send (or apply) a failed message again, with the same idempotency key."""
        if self.filtered(lambda exchange: exchange.state != "failed"):
            raise UserError(self.env._("Only failed exchanges can be retried."))
        self.write({"state": "pending", "error": False})
        self._erp_dispatch()
        return True

    def action_cancel(self):
        """Give up a message; the next messages of its case are sent."""
        if self.filtered(lambda exchange: exchange.state in DONE_STATES):
            raise UserError(self.env._("Done or cancelled exchanges cannot be cancelled."))
        jobs = self.sudo().job_id.filtered(
            lambda job: job.state in ("wait_dependencies", "pending", "failed")
        )
        jobs.button_cancelled()
        self.write({"state": "cancelled"})
        self._erp_dispatch()
        return True

    # ------------------------------------------------------------------
    # outbound
    # ------------------------------------------------------------------
    def _erp_job_options(self):
        self.ensure_one()
        return self.backend_id._erp_job_options(
            self.env._("%(backend)s: send %(message)s", backend=self.backend_id.name,
                       message=self.display_name)
        )  # fmt: skip

    def _erp_dispatch(self):
        """Create the job of each case's first open outbound message (and of
        every waiting message without a case), unless it has one."""
        self = self.sudo()
        outbound = self.filtered(lambda exchange: exchange.direction == "outbound")
        heads = outbound.filtered(
            lambda exchange: not exchange.case_id and exchange.state == "pending"
        )
        pairs = {(e.backend_id, e.case_id) for e in outbound if e.case_id}
        if pairs:
            # a message created while the previous one of its case completes in
            # another transaction: both update the case row, so the second one
            # waits, fails on serialization and is retried (RPC or job), then
            # sees the other's message (a mere lock would keep its old snapshot)
            self.env.cr.execute(
                "UPDATE complaint_case SET write_date = write_date WHERE id IN %s",
                (tuple({case.id for __, case in pairs}),),
            )
        for backend, case in pairs:
            head = self.search(
                [
                    ("backend_id", "=", backend.id),
                    ("case_id", "=", case.id),
                    ("direction", "=", "outbound"),
                    ("state", "not in", DONE_STATES),
                ],
                order="id",
                limit=1,
            )
            if head.state == "pending":
                heads |= head
        if not heads:
            return heads
        # two transactions dispatching the same head: the second one waits here,
        # then fails on the changed row and is retried (it then finds it queued)
        self.env.cr.execute(
            "SELECT id FROM complaint_erp_exchange WHERE id IN %s FOR NO KEY UPDATE",
            (tuple(heads.ids),),
        )
        for head in heads:
            job = head.with_user(SUPERUSER_ID).with_delay(**head._erp_job_options())._erp_send()
            head.write({"state": "queued", "job_id": job.db_record().id})
        return heads

    def _erp_send(self):
        """Job: send one outbound message to the ERP.

        Timeouts, refused connections and 5xx answers are retried by queue_job
        with backoff; a 4xx answer fails the message at once with the ERP's
        answer; a message sent again after a crash is recognised by the ERP by
        its idempotency key."""
        self.ensure_one()
        if self.state != "queued":
            return f"nothing to do: {self.state}"
        if self.case_id and self.search_count(
            [
                ("backend_id", "=", self.backend_id.id),
                ("case_id", "=", self.case_id.id),
                ("direction", "=", "outbound"),
                ("state", "not in", DONE_STATES),
                ("id", "<", self.id),
            ]
        ):
            self.state = "pending"  # an earlier message came back (retry): wait for it
            return "waiting for an earlier message of the case"
        client = self.backend_id._erp_client()
        try:
            status, data = client.request(
                "POST",
                "api/messages",
                payload=json.loads(self.payload or "{}"),
                headers={"Idempotency-Key": self.idempotency_key},
            )
        except ErpTransientError as exc:
            raise RetryableJobError(f"{exc} {exc.body or ''}".strip()) from exc
        except ErpRejectedError as exc:
            self.write(
                {
                    "state": "failed",
                    "response_status": exc.status,
                    "response_body": exc.body,
                    "error": self.env._("The ERP refused the message (HTTP %s).", exc.status),
                }
            )
            return f"refused: HTTP {exc.status}"
        self.write(
            {
                "state": "done",
                "date_done": fields.Datetime.now(),
                "response_status": status,
                "response_body": json.dumps(data),
                "erp_reference": str(data.get("id") or "") or False,
                "error": False,
            }
        )
        self._erp_dispatch()
        return f"sent: HTTP {status}"

    def _erp_on_job_failed(self, exc_info=None, exc_name=None, exc_message=None, **kwargs):
        """queue_job gave up the job (retries exhausted or an error): the
        message is failed, and waits for a manual retry or cancel."""
        self.filtered(lambda exchange: exchange.state not in DONE_STATES).write(
            {"state": "failed", "error": exc_message or exc_name or "job failed"}
        )

    # ------------------------------------------------------------------
    # inbound
    # ------------------------------------------------------------------
    def _erp_enqueue_inbound(self):
        for exchange in self:
            job = exchange.with_user(SUPERUSER_ID).with_delay(
                **exchange.backend_id._erp_job_options(
                    self.env._("%(backend)s: apply %(event)s", backend=exchange.backend_id.name,
                               event=exchange.event)
                )
            )._erp_process_inbound()  # fmt: skip
            exchange.write({"state": "queued", "job_id": job.db_record().id})

    def _erp_process_inbound(self):
        """Job: apply an ERP notification (``<entity>.upsert`` or ``<entity>.delete``)."""
        self.ensure_one()
        if self.state != "queued":
            return f"nothing to do: {self.state}"
        message = json.loads(self.payload)
        entity, __, action = self.event.partition(".")
        if entity not in EVENT_ENTITIES or action not in ("upsert", "delete"):
            raise UserError(self.env._("Unknown ERP notification %s.", self.event))
        item = dict(message["data"])
        if action == "delete":
            item["deleted"] = True
        binding_model = self.env[BINDING_MODELS[EVENT_ENTITIES[entity]]]
        try:
            binding_model._erp_import_items(self.backend_id, [item])
        except ErpTransientError as exc:
            raise RetryableJobError(str(exc)) from exc
        self.write({"state": "done", "date_done": fields.Datetime.now()})
        return "applied"

    @api.model
    def _cron_dispatch(self):
        """Safety net: waiting messages whose job is gone are dispatched again."""
        stuck = self.search(
            [
                ("direction", "=", "outbound"),
                "|",
                ("state", "=", "pending"),
                "&",
                ("state", "=", "queued"),
                "|",
                ("job_id", "=", False),
                ("job_id.state", "in", ("done", "cancelled")),
            ]
        )
        stuck.filtered(lambda exchange: exchange.state == "queued").write({"state": "pending"})
        return stuck._erp_dispatch()
