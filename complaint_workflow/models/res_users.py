import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    complaint_deputy_id = fields.Many2one(
        comodel_name="res.users",
        string="Complaint Deputy",
        domain="[('share', '=', False), ('id', '!=', id)]",
        help="Receives this user's new complaint assignments, approvals and escalations "
        "while the user is absent.",
    )
    complaint_absent_from = fields.Date(string="Out of Office From")
    complaint_absent_to = fields.Date(string="Out of Office Until")

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [
            *super().SELF_WRITEABLE_FIELDS,
            "complaint_deputy_id",
            "complaint_absent_from",
            "complaint_absent_to",
        ]

    @property
    def SELF_READABLE_FIELDS(self):
        return [
            *super().SELF_READABLE_FIELDS,
            "complaint_deputy_id",
            "complaint_absent_from",
            "complaint_absent_to",
        ]

    @api.constrains("complaint_deputy_id")
    def _check_complaint_deputy(self):
        """A deputy takes over cases, approvals and escalations: an internal
        user of the complaint groups (``_check_complaint_deputy_cycle`` keeps
        users from being their own deputies)."""
        for user in self:
            deputy = user.complaint_deputy_id
            if deputy and (
                deputy.share or not deputy._has_group("complaint_base.group_complaint_user")
            ):
                raise ValidationError(
                    self.env._(
                        "%(deputy)s cannot be the complaint deputy of %(user)s: a deputy must "
                        "be an internal user with access to complaints.",
                        deputy=deputy.name,
                        user=user.name,
                    )
                )

    @api.constrains("complaint_deputy_id")
    def _check_complaint_deputy_cycle(self):
        for user in self:
            seen = user
            deputy = user.complaint_deputy_id
            while deputy:
                if deputy in seen:
                    raise ValidationError(
                        self.env._(
                            "%(user)s cannot have %(deputy)s as deputy: the deputies would "
                            "replace each other in a circle.",
                            user=user.name,
                            deputy=user.complaint_deputy_id.name,
                        )
                    )
                seen |= deputy
                deputy = deputy.complaint_deputy_id

    @api.constrains("complaint_absent_from", "complaint_absent_to")
    def _check_complaint_absence_dates(self):
        for user in self:
            if (
                user.complaint_absent_from
                and user.complaint_absent_to
                and user.complaint_absent_to < user.complaint_absent_from
            ):
                raise ValidationError(
                    self.env._("The out-of-office period of %s ends before it starts.", user.name)
                )

    def _complaint_is_absent(self, at=None):
        """Whether the user is out of office at ``at`` (default now): by the
        out-of-office dates, or by a time off in their working calendar."""
        self.ensure_one()
        at = at or fields.Datetime.now()
        day = at.date()
        if (
            self.complaint_absent_from
            and self.complaint_absent_from <= day
            and (not self.complaint_absent_to or day <= self.complaint_absent_to)
        ):
            return True
        return bool(
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_count(
                [
                    ("resource_id.user_id", "=", self.id),
                    ("date_from", "<=", at),
                    ("date_to", ">=", at),
                ],
                limit=1,
            )
        )

    def _complaint_available_user(self, at=None):
        """The user who acts for ``self`` at ``at``: self when present, else the
        first present deputy down the chain. When everybody in the chain is
        absent (or the chain loops), ``self`` is kept so that nothing is lost."""
        self.ensure_one()
        seen = self.browse()
        user = self
        while user and user not in seen:
            if not user._complaint_is_absent(at):
                return user
            seen |= user
            user = user.complaint_deputy_id
        if user:
            _logger.warning("Complaint deputies of %s loop; keeping %s", self.login, self.login)
        return self
