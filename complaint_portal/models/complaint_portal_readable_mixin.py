from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import format_list


class ComplaintPortalReadableMixin(models.AbstractModel):
    """Customers read only the fields of ``SELF_READABLE_FIELDS`` of a record
    they have access to, as Odoo's ``project.task`` does for portal users.

    Portal and public users outside ``sudo()`` are refused the other fields
    in ``read``, ``search_read``, ``web_read``, domains, orders and groups;
    prefetching leaves them out. The portal pages render with ``sudo()`` once
    they checked the access, and show what they choose."""

    _name = "complaint.portal.readable.mixin"
    _description = "Fields Customers May Read"

    @property
    def SELF_READABLE_FIELDS(self):
        return frozenset({"id", "display_name"})

    def _portal_fields_restricted(self):
        """Whether the current user reads as a customer."""
        return not self.env.su and self.env.user.share

    def _portal_check_readable(self, field_names):
        """Refuse a customer the fields of ``field_names`` that are for staff."""
        readable = self.SELF_READABLE_FIELDS
        forbidden = sorted(
            name for name in field_names if name in self._fields and name not in readable
        )
        if forbidden:
            raise AccessError(
                self.env._(
                    "You cannot read the following fields of %(document)s: %(fields)s",
                    document=self.env["ir.model"]._get(self._name).name,
                    fields=format_list(self.env, forbidden),
                )
            )

    @api.model
    def check_field_access_rights(self, operation, field_names):
        if operation == "read" and self._portal_fields_restricted():
            if not field_names:
                readable = self.SELF_READABLE_FIELDS
                return [
                    name
                    for name in super().check_field_access_rights(operation, field_names)
                    if name in readable
                ]
            self._portal_check_readable(field_names)
        return super().check_field_access_rights(operation, field_names)

    def _determine_fields_to_fetch(self, field_names, ignore_when_in_cache=False):
        # prefetching must not pull staff fields along with the customer's
        if self._portal_fields_restricted():
            readable = self.SELF_READABLE_FIELDS
            field_names = [name for name in field_names if name in readable]
        return super()._determine_fields_to_fetch(field_names, ignore_when_in_cache)
