from odoo import fields, models

SLA_STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("breached", "Breached"),
]


class ComplaintSlaLine(models.Model):
    _name = "complaint.sla.line"
    _description = "Complaint SLA Status"
    _order = "date_deadline, id"

    case_id = fields.Many2one(
        comodel_name="complaint.case",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    policy_id = fields.Many2one(
        comodel_name="complaint.sla.policy", required=True, ondelete="cascade"
    )
    state = fields.Selection(selection=SLA_STATES, required=True, default="running", index=True)
    date_start = fields.Datetime(required=True, default=fields.Datetime.now)
    date_deadline = fields.Datetime(string="Deadline", index=True)
    date_reached = fields.Datetime(string="Reached On")
    date_paused = fields.Datetime(string="Paused Since")
    paused_hours = fields.Float(help="Total time the clock was stopped, in hours.")
    consumed_hours = fields.Float(
        string="Time Consumed (hours)",
        compute="_compute_consumed_hours",
        help="Elapsed time since the start, without the paused periods.",
    )

    def _compute_consumed_hours(self):
        now = fields.Datetime.now()
        for line in self:
            end = line.date_reached or line.date_paused or now
            line.consumed_hours = max(
                (end - line.date_start).total_seconds() / 3600 - line.paused_hours, 0.0
            )

    def _follow_case_states(self, previous_states, now):
        """Pause, resume or close the clocks of cases whose status changed from
        ``previous_states`` (case id -> status)."""
        for case in self.case_id:
            before, after = previous_states.get(case.id), case.state
            if before == after:
                continue
            lines = self.filtered(lambda line, case=case: line.case_id == case)
            pausable = lines.filtered("policy_id.pause_when_waiting")
            if after == "waiting":
                pausable._pause(now)
            elif before == "waiting":
                pausable._resume(now)
            if after in ("decided", "closed"):
                lines.filtered(lambda line: line.policy_id.target_state == "decided")._reach(now)
            if after == "closed":
                lines._reach(now)

    def _pause(self, at):
        self.filtered(lambda line: line.state == "running").write(
            {"state": "paused", "date_paused": at}
        )

    def _resume(self, at):
        for line in self.filtered(lambda line: line.state == "paused"):
            paused = at - line.date_paused
            policy = line.policy_id
            case = line.case_id
            deadline = False
            if policy.target_unit == "calendar_days":
                deadline = line.date_deadline + paused
            elif policy.target_unit == "working_days":
                # re-plan the working days that were left when the clock stopped
                days = case._work_days_between(line.date_paused, line.date_deadline)
                deadline = days and case._add_duration(at, days, "working_days")
            if not deadline:
                # working hours, or the last working day: re-plan the hours left
                remaining = case._work_hours_between(line.date_paused, line.date_deadline)
                deadline = case._add_duration(at, remaining, "working_hours") or at
            line.write(
                {
                    "state": "running",
                    "date_paused": False,
                    "date_deadline": deadline,
                    "paused_hours": line.paused_hours + paused.total_seconds() / 3600,
                }
            )

    def _replan(self, previous_plans):
        """Move the deadlines to the policy's current target, keeping the time
        the clock was stopped; ``previous_plans`` maps a line id to its deadline
        under the previous target, before any pause."""
        for line in self:
            policy = line.policy_id
            case = line.case_id
            deadline = case._add_duration(line.date_start, policy.target_amount, policy.target_unit)
            previous = previous_plans.get(line.id)
            if deadline and previous and line.date_deadline:
                deadline += line.date_deadline - previous
            line.date_deadline = deadline

    def _reach(self, at):
        for line in self.filtered(lambda line: line.state in ("running", "paused")):
            met = not line.date_deadline or at <= line.date_deadline
            line.write({"state": "met" if met else "breached", "date_reached": at})
