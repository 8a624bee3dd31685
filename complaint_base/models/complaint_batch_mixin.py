import threading
from contextlib import contextmanager

from odoo import models

# Default values computed during a batch create, once per model and set of
# given fields (see ComplaintBatchMixin._complaint_batch_defaults)
_batch_defaults = threading.local()


class ComplaintBatchMixin(models.AbstractModel):
    """What Odoo does record by record during a create, done once per batch:
    the default values and the company check. A case and its items are
    created by the hundred (e-mail, imports, the website API)."""

    _name = "complaint.batch.mixin"
    _description = "Complaint Batch Create Helpers"

    @contextmanager
    def _complaint_batch_defaults(self):
        """Within this block, the defaults of the records created (of every
        model with this mixin) are computed once per set of given fields:
        they depend on the user, the company and the context, not on the values."""
        outer = getattr(_batch_defaults, "memo", None)
        _batch_defaults.memo = {}
        try:
            yield
        finally:
            _batch_defaults.memo = outer

    def _add_missing_default_values(self, values):
        memo = getattr(_batch_defaults, "memo", None)
        if memo is None:
            return super()._add_missing_default_values(values)
        key = (self._name, self.env, frozenset(values))
        if key not in memo:
            defaults = super()._add_missing_default_values(dict.fromkeys(values))
            memo[key] = {name: value for name, value in defaults.items() if name not in values}
        return {**memo[key], **values}

    def _check_company(self, fnames=None):
        # A batch that fails is checked again by Odoo's code, record by
        # record, for its error message.
        if len(self) > 1 and self._complaint_batch_companies_match(fnames):
            return
        return super()._check_company(fnames)

    def _complaint_batch_companies_match(self, fnames):
        """Whether the records linked by the ``check_company`` fields of
        ``fnames`` all belong to the company of their record (or to none),
        checked per company and field instead of per record."""
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = self._fields
        checked = [
            self._fields[name]
            for name in fnames
            if self._fields[name].relational and self._fields[name].check_company
        ]
        if "company_id" not in self._fields or any(f.company_dependent for f in checked):
            return False  # Odoo's own check handles these models and fields
        for company, records in self.sudo().grouped("company_id").items():
            for field in checked:
                linked = records.mapped(field.name)
                if not linked:
                    continue
                domain = linked._check_company_domain(company)
                if domain and linked != linked.with_context(active_test=False).filtered_domain(
                    domain
                ):
                    return False
        return True
