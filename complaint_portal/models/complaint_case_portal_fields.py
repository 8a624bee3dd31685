from odoo import models
from odoo.exceptions import AccessError

# What customers read of their cases, over RPC as on their pages: what they
# told us, what we tell them, and the contact person. Costs, analysis
# (severity, root cause, priority), assignment (team, site, department),
# SLA, approvals, internal dates and flags, tasks and time stay with staff.
# The stage history is shown on the case page (``_portal_get_stage_history``);
# its records (durations, users) stay closed to customers over RPC.
CASE_PORTAL_READABLE_FIELDS = frozenset(
    {
        "id",
        "display_name",
        "active",
        "create_date",
        "write_date",
        "name",
        "subject",
        "description",
        "partner_id",
        "commercial_partner_id",
        "partner_email",
        "partner_phone",
        "type_id",
        "channel",
        "state",
        "stage_id",
        "company_id",
        "user_id",
        "date_received",
        "date_deadline",
        "date_statutory_deadline",
        "date_closed",
        "invoice_id",
        "line_ids",
        "reason_id",
        "decision",
        "resolution",
        "decision_note",
        "date_decision",
        "completion_request",
    }
)
# A decision is the customer's once it is sent (``date_decision``); until then
# it is a draft of the handler.
CASE_DECISION_FIELDS = ("decision", "resolution", "decision_note")
# The cases' default order starts with their priority, which is for staff.
CASE_PORTAL_ORDER = "date_received desc, id desc"


class ComplaintCase(models.Model):
    _name = "complaint.case"
    _inherit = ["complaint.case", "complaint.portal.readable.mixin"]

    @property
    def SELF_READABLE_FIELDS(self):
        """The customer-facing fields of a case, the chatter's (``mail.thread``,
        ``mail.thread.cc``) and the sharing ones (``portal.mixin``). Add-ons
        that show more to customers extend this set."""
        return CASE_PORTAL_READABLE_FIELDS.union(
            self.env["mail.thread"]._fields,
            self.env["mail.thread.cc"]._fields,
            self.env["portal.mixin"]._fields,
        )

    def _portal_check_decision_not_queried(self, field_name):
        """Customers may read a sent decision, but neither search, sort nor
        group cases by decision fields: that would tell draft decisions."""
        if field_name in CASE_DECISION_FIELDS and self._portal_fields_restricted():
            raise AccessError(
                self.env._("You cannot search, sort or group claims by their decision.")
            )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        hidden = [name for name in CASE_DECISION_FIELDS if name in fnames]
        if hidden and self._portal_fields_restricted():
            for values in result:
                if not self.browse(values["id"]).date_decision:
                    values.update(dict.fromkeys(hidden, False))
        return result

    def _condition_to_sql(self, alias, fname, operator, value, query):
        self._portal_check_decision_not_queried(fname)
        return super()._condition_to_sql(alias, fname, operator, value, query)

    def _order_to_sql(self, order, query, alias=None, reverse=False):
        if (not order or order == self._order) and self._portal_fields_restricted():
            order = CASE_PORTAL_ORDER
        return super()._order_to_sql(order, query, alias=alias, reverse=reverse)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        self._portal_check_decision_not_queried(field_name)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _read_group_groupby(self, groupby_spec, query):
        self._portal_check_decision_not_queried(groupby_spec.split(":")[0].split(".")[0])
        return super()._read_group_groupby(groupby_spec, query)

    def _read_group_select(self, aggregate_spec, query):
        self._portal_check_decision_not_queried(aggregate_spec.split(":")[0])
        return super()._read_group_select(aggregate_spec, query)
