import heapq
import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

CLOSED_STATES = ("closed", "cancelled")


class ComplaintTeam(models.Model):
    _inherit = "complaint.team"

    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Used for working-time deadlines of the team's cases when the handler "
        "has no calendar of their own; without it, the company's calendar is used.",
    )
    assign_method = fields.Selection(
        selection=[
            ("none", "Manual"),
            ("load", "Fewest Open Cases"),
            ("round_robin", "Round Robin"),
        ],
        string="Assignment",
        required=True,
        default="load",
        help="How a member is picked when a case comes to the team without a handler "
        "(by a stage or a routing rule). Absent members are skipped while someone else "
        "is present.",
    )
    last_assigned_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Last Assigned",
        readonly=True,
        copy=False,
        help="Member who got the last case in round robin; the next member comes after them.",
    )

    case_overdue_count = fields.Integer(string="Overdue Cases", compute="_compute_overview_counts")
    case_due_today_count = fields.Integer(
        string="Cases Due Today", compute="_compute_overview_counts"
    )
    case_waiting_customer_count = fields.Integer(
        string="Cases Waiting for the Customer", compute="_compute_overview_counts"
    )
    case_sla_breached_count = fields.Integer(
        string="Cases with SLA Breached", compute="_compute_overview_counts"
    )
    case_deemed_accepted_count = fields.Integer(
        string="Cases Deemed Accepted", compute="_compute_overview_counts"
    )

    @api.model
    def _overview_today_bounds(self):
        """Start of today and of tomorrow in the user's time zone, naive UTC:
        the bounds of the "Due Today" filter of the case search view."""
        tz_name = self.env.context.get("tz") or self.env.user.tz or "UTC"
        try:
            tz = pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
        return tuple(
            tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
            for day in (today, today + timedelta(days=1))
        )

    @api.model
    def _overview_counter_domains(self):
        start, end = self._overview_today_bounds()
        return {
            **super()._overview_counter_domains(),
            "case_overdue_count": [("deadline_status", "=", "overdue")],
            "case_due_today_count": [("date_deadline", ">=", start), ("date_deadline", "<", end)],
            "case_waiting_customer_count": [
                ("state", "=", "waiting"),
                ("completion_request", "!=", False),
            ],
            "case_sla_breached_count": [("sla_status", "=", "breached")],
            "case_deemed_accepted_count": [("deemed_accepted", "=", True)],
        }

    @api.model
    def _overview_filters(self):
        return super()._overview_filters() | {
            "overdue",
            "due_today",
            "waiting_customer",
            "sla_breached",
            "deemed_accepted",
        }

    def _complaint_pick_member(self, method=None):
        """Next member for one case by ``method`` (the team's own by default);
        empty when the team assigns manually or has no member. The member may
        be absent only when the whole team is: callers resolve the deputy."""
        self.ensure_one()
        users = self._complaint_pick_members(1, method=method)
        return users[0] if users else self.env["res.users"]

    def _complaint_pick_members(self, count, method=None, loads=None, absent_users=None):
        """The members who get the next ``count`` cases, as a list in the order
        of the cases (a member may come several times); empty when the team
        assigns manually or has no member.

        Absent members are skipped unless everybody is absent (then members
        are picked as if present and the caller resolves their deputies). A
        caller routing a batch passes ``loads`` (user id -> open cases, from
        ``_complaint_open_loads``; updated with the picks) and
        ``absent_users``, so that nothing is looked up per case. Round robin
        stores the last member once for the whole batch."""
        self.ensure_one()
        method = method or self.assign_method
        members = self.member_ids.sorted("id")
        if method == "none" or count <= 0:
            return []
        if not members:
            _logger.warning(
                "Complaint team %s assigns by %s but has no member; cases stay with the team",
                self.name,
                method,
            )
            return []
        if absent_users is None:
            absent_users = members.filtered(lambda user: user._complaint_is_absent())
        present = list((members - absent_users) or members)
        if method == "round_robin":
            last_id = self.last_assigned_user_id.id or 0
            start = next((index for index, user in enumerate(present) if user.id > last_id), 0)
            picks = [present[(start + index) % len(present)] for index in range(count)]
            self.sudo().last_assigned_user_id = picks[-1]
            return picks
        if loads is None:
            loads = self._complaint_open_loads()
        heap = [(loads.get(user.id, 0), user.id, user) for user in present]
        heapq.heapify(heap)
        picks = []
        for _index in range(count):
            load, user_id, user = heapq.heappop(heap)
            picks.append(user)
            loads[user_id] = load + 1
            heapq.heappush(heap, (load + 1, user_id, user))
        return picks

    def _complaint_open_loads(self, exclude=None):
        """Open cases per member of the teams in ``self`` (user id -> count),
        counted over every team the members belong to. The cases in
        ``exclude`` (being routed again) do not count for their handler."""
        members = self.member_ids
        if not members:
            return {}
        Case = self.env["complaint.case"].sudo()
        domain = [("user_id", "in", members.ids), ("state", "not in", CLOSED_STATES)]
        loads = {
            user.id: count for user, count in Case._read_group(domain, ["user_id"], ["__count"])
        }
        if exclude and loads:
            excluded = Case._read_group(
                [*domain, ("id", "in", exclude.ids)], ["user_id"], ["__count"]
            )
            for user, count in excluded:
                loads[user.id] -= count
        return loads
