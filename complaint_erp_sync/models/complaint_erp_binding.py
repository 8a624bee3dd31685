# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import UTC, datetime

from odoo import api, fields, models


def erp_version(value):
    """A change date of the ERP as a sortable text (UTC, microseconds), or ''."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


class ComplaintErpBinding(models.AbstractModel):
    """The link between an Odoo record and the record of an ERP backend.

    Each concrete binding names its Odoo record field (``_erp_record_field``)
    and maps the ERP's items (``_erp_prepare_vals``); this mixin upserts them
    by external id, in batches, never going back to an older version."""

    _name = "complaint.erp.binding"
    _description = "ERP Binding"
    _erp_record_field = None
    _erp_entity = None

    backend_id = fields.Many2one(
        comodel_name="complaint.erp.backend",
        string="ERP Backend",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    external_id = fields.Char(string="External ID", required=True, index=True)
    external_version = fields.Char(
        readonly=True, help="Change date of the record in the ERP when it was last imported."
    )
    sync_date = fields.Datetime(string="Last Synchronized", readonly=True)
    sync_run = fields.Char(readonly=True, copy=False)
    erp_deleted = fields.Boolean(string="Deleted in ERP", readonly=True, index=True)

    _sql_constraints = [
        (
            "external_uniq",
            "unique(backend_id, external_id)",
            "This external ID is already bound on this backend.",
        )
    ]

    @api.depends("backend_id", "external_id")
    def _compute_display_name(self):
        for binding in self:
            binding.display_name = f"{binding.backend_id.name or ''} / {binding.external_id or ''}"

    # ------------------------------------------------------------------
    # hooks of the concrete bindings
    # ------------------------------------------------------------------
    def _erp_prepare_vals(self, backend, item, refs):
        """Values of the Odoo record for one ERP item (called for creates and
        updates); ``refs`` is what ``_erp_prefetch`` returned for the batch."""
        raise NotImplementedError

    def _erp_prefetch(self, backend, items):
        """Resolve in one go the records a batch of items points to."""
        return {}

    def _erp_create_records(self, backend, vals_list, items):
        """Create the Odoo records of new items; override to post, match, link lines."""
        return self.env[self._fields[self._erp_record_field].comodel_name].create(vals_list)

    def _erp_update_record(self, item, vals):
        """Write a changed item on the bound record."""
        self[self._erp_record_field].write(vals)

    def _erp_find_existing(self, backend, vals_list):
        """Odoo records that already are these items (matched without binding), or empties."""
        model = self.env[self._fields[self._erp_record_field].comodel_name]
        return [model.browse() for __ in vals_list]

    def _erp_on_deleted(self):
        """The ERP deleted the bound records: archive them by default."""
        records = self.mapped(self._erp_record_field)
        if "active" in records._fields:
            records.write({"active": False})

    # ------------------------------------------------------------------
    # upsert
    # ------------------------------------------------------------------
    def _erp_import_items(self, backend, items, run=None):
        """Upsert ``items`` (dicts with ``id``, ``updated_at``, ``deleted`` and
        the entity's fields) on ``backend``; return the bindings touched.

        An item older than (or as old as) the version already imported is
        skipped: a page fetched twice or notifications delivered out of order
        change nothing."""
        now = fields.Datetime.now()
        latest = {}
        for item in items:
            key = str(item["id"])
            version = erp_version(item.get("updated_at"))
            if key not in latest or version >= latest[key][0]:
                latest[key] = (version, item)
        bindings = self.with_context(active_test=False).search(
            [("backend_id", "=", backend.id), ("external_id", "in", list(latest))]
        )
        existing = {binding.external_id: binding for binding in bindings}
        refs = self._erp_prefetch(backend, [item for __, item in latest.values()])
        touched = self.browse()
        to_create = []
        for key, (version, item) in latest.items():
            binding = existing.get(key)
            if (
                binding
                and version
                and binding.external_version
                and version <= binding.external_version
            ):
                touched |= binding
                continue
            if item.get("deleted"):
                if binding and not binding.erp_deleted:
                    binding._erp_on_deleted()
                if binding:
                    binding.write(
                        {"erp_deleted": True, "external_version": version, "sync_date": now}
                    )
                    touched |= binding
                continue
            vals = self._erp_prepare_vals(backend, item, refs)
            if binding:
                binding._erp_update_record(item, vals)
                binding.write({"erp_deleted": False, "external_version": version, "sync_date": now})
                touched |= binding
            else:
                to_create.append((key, version, vals, item))
        if to_create:
            vals_list = [vals for __, __, vals, __ in to_create]
            found = self._erp_find_existing(backend, vals_list)
            new_positions = [i for i, record in enumerate(found) if not record]
            created = self._erp_create_records(
                backend,
                [vals_list[i] for i in new_positions],
                [to_create[i][3] for i in new_positions],
            )
            records = list(found)
            for position, record in zip(new_positions, created, strict=True):
                records[position] = record
            touched |= self.create(
                [
                    {
                        "backend_id": backend.id,
                        "external_id": key,
                        "external_version": version,
                        "sync_date": now,
                        self._erp_record_field: record.id,
                        **self._erp_binding_extra_vals(record, item),
                    }
                    for (key, version, __, item), record in zip(to_create, records, strict=True)
                ]
            )
        if run:
            touched.filtered(lambda binding: binding.sync_run != run).write({"sync_run": run})
        return touched

    def _erp_binding_extra_vals(self, record, item):
        return {}

    def _erp_sweep(self, backend, run):
        """After a full import: what the ERP no longer lists is deleted there."""
        gone = self.search(
            [("backend_id", "=", backend.id), ("erp_deleted", "=", False), ("sync_run", "!=", run)]
        )
        if gone:
            gone._erp_on_deleted()
            gone.write({"erp_deleted": True, "sync_date": fields.Datetime.now()})
        return gone

    @api.model
    def _erp_records_map(self, backend, external_ids):
        """{external id: Odoo record} for ``external_ids``; the unknown ones are
        fetched from the ERP and imported first."""
        wanted = {str(external_id) for external_id in external_ids if external_id}
        if not wanted:
            return {}
        bindings = self.with_context(active_test=False).search(
            [("backend_id", "=", backend.id), ("external_id", "in", list(wanted))]
        )
        result = {binding.external_id: binding[self._erp_record_field] for binding in bindings}
        for external_id in wanted - set(result):
            result[external_id] = self._erp_record(backend, external_id)
        return result

    @api.model
    def _erp_record(self, backend, external_id, entity=None):
        """The Odoo record bound to ``external_id``; fetched from the ERP and
        imported when it is not known yet."""
        if not external_id:
            return self.env[self._fields[self._erp_record_field].comodel_name]
        binding = self.with_context(active_test=False).search(
            [("backend_id", "=", backend.id), ("external_id", "=", str(external_id))], limit=1
        )
        if not binding:
            item = backend._erp_fetch_one(entity or self._erp_entity, external_id)
            binding = self._erp_import_items(backend, [item])
        return binding[self._erp_record_field]
