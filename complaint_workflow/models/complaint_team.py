from odoo import fields, models

CLOSED_STATES = ("closed", "cancelled")


class ComplaintTeam(models.Model):
    _inherit = "complaint.team"

    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        help="Used for working-time deadlines of the team's cases when the handler "
        "has no calendar of their own.",
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
        help="How a member is picked when a case is routed to the team without a user.",
    )
    last_assigned_user_id = fields.Many2one(comodel_name="res.users", readonly=True)

    def _complaint_pick_member(self, method=None, loads=None, absent=None):
        """Next member of the team by ``method`` (the team's own by default),
        skipping absent members; empty when the team assigns manually or has no
        member. A caller routing a batch passes ``loads`` (user id -> open
        cases, updated with the pick) and ``absent`` (users out of office) so
        that neither is looked up again for every case."""
        self.ensure_one()
        method = method or self.assign_method
        members = self.member_ids.sorted("id")
        if method == "none" or not members:
            return self.env["res.users"]
        if absent is None:
            absent = members.filtered(lambda user: user._complaint_is_absent())
        present = (members - absent) or members
        if method == "round_robin":
            after = present.filtered(lambda user: user.id > self.last_assigned_user_id.id)
            user = after[:1] or present[:1]
            self.last_assigned_user_id = user
            return user
        if loads is None:
            loads = self._complaint_open_loads()
        user = min(present, key=lambda member: (loads.get(member.id, 0), member.id))
        loads[user.id] = loads.get(user.id, 0) + 1
        return user

    def _complaint_open_loads(self):
        """Open cases per member of the teams in ``self``: one query for all."""
        groups = self.env["complaint.case"]._read_group(
            [("user_id", "in", self.member_ids.ids), ("state", "not in", CLOSED_STATES)],
            ["user_id"],
            ["__count"],
        )
        return {user.id: count for user, count in groups}
