import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv.expression import AND, OR
from odoo.tools import email_normalize

from odoo.addons.complaint_base.models.complaint_case import CLOSED_STATES

_logger = logging.getLogger(__name__)

# How close to the deadline a card turns orange in the kanban.
DEADLINE_SOON = timedelta(days=1)
# Statuses a case reaches only with a decision sent and its approvals given.
DECISION_STATES = ("decided", "closed")
# Written by the Decide wizard only (as superuser).
DECISION_FIELDS = ("decision", "resolution", "decision_note", "date_decision")
# A write of any of these goes through the stage, gate and SLA logic.
LIFECYCLE_FIELDS = {
    "stage_id",
    "state",
    "type_id",
    "priority",
    "partner_id",
    "line_ids",
    *DECISION_FIELDS,
}
# Days ahead (after today, in the user's time zone) that the "Due This Week" filter covers.
DUE_THIS_WEEK_DAYS = 7
# A case whose deadline check fails this many runs in a row is reported to the managers.
CRON_FAILURE_REPORT = 3
# Cases that are decided or closed keep the statutory deadline they had.
FROZEN_STATES = (*CLOSED_STATES, "decided")


class ComplaintCase(models.Model):
    _inherit = "complaint.case"

    stage_id = fields.Many2one(
        comodel_name="complaint.stage",
        string="Stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="['|', ('type_ids', '=', False), ('type_ids', 'in', type_id)]",
    )
    date_stage_start = fields.Datetime(string="In Stage Since", copy=False, readonly=True)
    # indexed for the deadline cron, which reads only the due cases
    date_stage_deadline = fields.Datetime(
        string="Stage Deadline", copy=False, tracking=True, index="btree_not_null"
    )
    date_stage_reminder = fields.Datetime(copy=False, readonly=True, index="btree_not_null")
    stage_reminder_sent = fields.Boolean(copy=False, readonly=True)
    stage_escalated = fields.Boolean(copy=False, readonly=True)
    date_expected_end = fields.Datetime(
        string="Expected End",
        copy=False,
        readonly=True,
        help="When the case should end if the current and the later stages keep their deadlines.",
    )
    date_deadline = fields.Datetime(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        index=True,
        help="The binding deadline now: the earliest of the stage deadline, the running SLA "
        "deadlines and, while no decision was sent, the statutory deadline.",
    )
    deadline_status = fields.Selection(
        selection=[
            ("none", "No Deadline"),
            ("ok", "On Time"),
            ("soon", "Due Soon"),
            ("overdue", "Overdue"),
        ],
        compute="_compute_deadline_status",
        search="_search_deadline_status",
    )
    due_this_week = fields.Boolean(
        compute="_compute_due_this_week",
        search="_search_due_this_week",
        help="The deadline falls between now and the end of the seventh day from today, "
        "in the user's time zone.",
    )
    sla_line_ids = fields.One2many(
        comodel_name="complaint.sla.line",
        inverse_name="case_id",
        string="SLA",
        copy=False,
    )
    sla_status = fields.Selection(
        selection=[
            ("none", "No SLA"),
            ("running", "Running"),
            ("met", "Met"),
            ("breached", "Breached"),
        ],
        string="SLA Status",
        compute="_compute_sla_status",
        store=True,
    )
    date_statutory_deadline = fields.Datetime(
        string="Statutory Deadline",
        compute="_compute_date_statutory_deadline",
        store=True,
        index="btree_not_null",
        help="For statutory warranty claims: the date by which the customer must have the "
        "company's answer, otherwise the claim is deemed accepted.",
    )
    deemed_accepted = fields.Boolean(
        copy=False,
        readonly=True,
        tracking=True,
        help="The statutory deadline passed without a decision sent to the customer: "
        "the law treats the claim as accepted.",
    )
    decision = fields.Selection(
        selection=[
            ("accepted", "Accepted"),
            ("partly_accepted", "Partly Accepted"),
            ("rejected", "Rejected"),
        ],
        copy=False,
        tracking=True,
    )
    resolution = fields.Selection(
        selection=[
            ("refund", "Refund"),
            ("replacement", "Replacement"),
            ("repair", "Repair"),
            ("return", "Return"),
            ("discount", "Discount"),
            ("none", "None"),
        ],
        copy=False,
        tracking=True,
    )
    decision_note = fields.Html(string="Decision Reason", copy=False)
    date_decision = fields.Datetime(
        string="Decision Sent On",
        copy=False,
        readonly=True,
        tracking=True,
    )
    approval_ids = fields.One2many(
        comodel_name="complaint.approval",
        inverse_name="case_id",
        string="Approvals",
        copy=False,
    )
    approval_state = fields.Selection(
        selection=[
            ("none", "Not Required"),
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        compute="_compute_approval_state",
        store=True,
    )
    task_ids = fields.One2many(
        comodel_name="complaint.task",
        inverse_name="case_id",
        string="Tasks",
        copy=False,
    )
    task_open_count = fields.Integer(compute="_compute_task_open_count")
    timesheet_ids = fields.One2many(
        comodel_name="complaint.timesheet",
        inverse_name="case_id",
        string="Time Spent",
        copy=False,
    )
    effective_hours = fields.Float(
        string="Hours Spent",
        compute="_compute_effective_hours",
        store=True,
    )
    stage_log_ids = fields.One2many(
        comodel_name="complaint.stage.log",
        inverse_name="case_id",
        string="Stage History",
        copy=False,
    )
    completion_request = fields.Html(
        string="Missing Information",
        copy=False,
        help="What the customer was asked to complete.",
    )
    completion_stage_id = fields.Many2one(
        comodel_name="complaint.stage",
        string="Return to Stage",
        copy=False,
        help="Stage the case goes back to when the customer completes it.",
    )
    date_completion_requested = fields.Datetime(copy=False, readonly=True)
    warehouse_id = fields.Many2one(
        comodel_name="stock.warehouse",
        string="Site",
        check_company=True,
        help="Warehouse or site the claim concerns; used by routing rules.",
    )
    department_id = fields.Many2one(
        comodel_name="res.partner",
        string="Department",
        help="For internal complaints: the department that raised it; used by routing rules.",
    )
    cron_failure_count = fields.Integer(
        string="Failed Deadline Checks",
        copy=False,
        readonly=True,
        help="Runs in a row in which the deadline check failed for this case.",
    )
    date_cron_failed = fields.Datetime(
        string="Deadline Check Failed On",
        copy=False,
        readonly=True,
        help="Last failed deadline check; failed cases wait behind the others in the next runs.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        type_id = self.env.context.get("default_type_id")
        if not type_id:
            return stages.search([])
        return stages.search(["|", ("type_ids", "=", False), ("type_ids", "in", [type_id])])

    @api.depends(
        "date_stage_deadline",
        "sla_line_ids.date_deadline",
        "sla_line_ids.state",
        "date_statutory_deadline",
        "date_decision",
        "state",
    )
    def _compute_date_deadline(self):
        for case in self:
            if case.state in CLOSED_STATES:
                case.date_deadline = False
                continue
            candidates = [case.date_stage_deadline]
            candidates += case.sla_line_ids.filtered(lambda line: line.state == "running").mapped(
                "date_deadline"
            )
            if not case.date_decision:
                candidates.append(case.date_statutory_deadline)
            candidates = [date for date in candidates if date]
            case.date_deadline = min(candidates) if candidates else False

    @api.depends("date_deadline")
    def _compute_deadline_status(self):
        now = fields.Datetime.now()
        for case in self:
            if not case.date_deadline:
                case.deadline_status = "none"
            elif case.date_deadline < now:
                case.deadline_status = "overdue"
            elif case.date_deadline < now + DEADLINE_SOON:
                case.deadline_status = "soon"
            else:
                case.deadline_status = "ok"

    @api.model
    def _deadline_status_domains(self):
        """The domain of each deadline status, on the same clock as the compute."""
        now = fields.Datetime.now()
        soon = now + DEADLINE_SOON
        return {
            "none": [("date_deadline", "=", False)],
            "overdue": [("date_deadline", "<", now)],
            "soon": [("date_deadline", ">=", now), ("date_deadline", "<", soon)],
            "ok": [("date_deadline", ">=", soon)],
        }

    @api.model
    def _search_deadline_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the deadline status: %s", operator))
        values = [value] if isinstance(value, str) or not value else list(value)
        domain = OR(self._deadline_status_domains().get(v, [(0, "=", 1)]) for v in values)
        return ["!", *domain] if operator in ("!=", "not in") else domain

    @api.model
    def read_progress_bar(self, domain, group_by, progress_bar):
        """The deadline status depends on the time of reading, so it is not
        stored: count each status per column with its own domain."""
        if progress_bar.get("field") != "deadline_status":
            return super().read_progress_bar(domain, group_by, progress_bar)
        result = {}
        for status, status_domain in self._deadline_status_domains().items():
            if status not in progress_bar["colors"]:
                continue
            groups = self.read_group(
                AND([domain, status_domain]), ["__count"], [group_by], lazy=False
            )
            for group in groups:
                value = group[group_by]
                key = str(value[0] if isinstance(value, tuple) else value)
                result.setdefault(key, dict.fromkeys(progress_bar["colors"], 0))[status] = group[
                    "__count"
                ]
        return result

    @api.depends("sla_line_ids.state")
    def _compute_sla_status(self):
        for case in self:
            states = set(case.sla_line_ids.mapped("state"))
            if not states:
                case.sla_status = "none"
            elif "breached" in states:
                case.sla_status = "breached"
            elif states & {"running", "paused"}:
                case.sla_status = "running"
            else:
                case.sla_status = "met"

    @api.depends("type_id.code", "type_id.deadline_days", "date_received", "company_id")
    def _compute_date_statutory_deadline(self):
        """Calendar days counted from the day after receipt, in the company's time
        zone; the deadline ends with the last day. Decided and closed cases keep
        the deadline they had when a type's days change."""
        for case in self:
            if (
                case.id
                and (case.state in FROZEN_STATES or case.date_decision)
                and case.date_statutory_deadline
            ):
                # the old value, read back from the database: nothing to change
                case.date_statutory_deadline = case.date_statutory_deadline
            elif case.type_id.code == "statutory_warranty" and case.date_received:
                tz = case._complaint_tz()
                received = pytz.utc.localize(case.date_received).astimezone(tz).date()
                case.date_statutory_deadline = self._end_of_day(
                    received + timedelta(days=case.type_id.deadline_days), tz
                )
            else:
                case.date_statutory_deadline = False

    @api.depends("date_deadline")
    def _compute_due_this_week(self):
        start, end = self._due_this_week_bounds()
        for case in self:
            case.due_this_week = bool(case.date_deadline and start <= case.date_deadline <= end)

    @api.model
    def _search_due_this_week(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the due date: %s", operator))
        start, end = self._due_this_week_bounds()
        if (operator == "=") == value:
            return [("date_deadline", ">=", start), ("date_deadline", "<=", end)]
        return [
            "|",
            "|",
            ("date_deadline", "=", False),
            ("date_deadline", "<", start),
            ("date_deadline", ">", end),
        ]

    @api.depends("approval_ids.state")
    def _compute_approval_state(self):
        for case in self:
            states = set(case.approval_ids.mapped("state"))
            if not states:
                case.approval_state = "none"
            elif "rejected" in states:
                case.approval_state = "rejected"
            elif "pending" in states:
                case.approval_state = "pending"
            else:
                case.approval_state = "approved"

    @api.depends("task_ids.done")
    def _compute_task_open_count(self):
        counts = dict(
            self.env["complaint.task"]._read_group(
                [("case_id", "in", self.ids), ("done", "=", False)], ["case_id"], ["__count"]
            )
        )
        for case in self:
            case.task_open_count = counts.get(case, 0)

    @api.depends("timesheet_ids.hours")
    def _compute_effective_hours(self):
        for case in self:
            case.effective_hours = sum(case.timesheet_ids.mapped("hours"))

    # ------------------------------------------------------------------
    # Time zones and working time
    # ------------------------------------------------------------------

    def _complaint_tz(self):
        """Time zone in which the company counts legal days: its partner's, else
        its working calendar's, else UTC."""
        company = self.company_id[:1] or self.env.company
        tz_name = company.partner_id.tz or company.resource_calendar_id.tz
        try:
            return pytz.timezone(tz_name or "UTC")
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    @api.model
    def _end_of_day(self, day, tz):
        """The last second of ``day`` in ``tz``, as a naive UTC datetime."""
        end = tz.localize(datetime.combine(day, time(23, 59, 59)))
        return end.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _due_this_week_bounds(self):
        """(now, end of the seventh day after today in the user's time zone), in UTC:
        the clock of the "Due This Week" filter, the same as the deadline status."""
        now = fields.Datetime.now()
        tz_name = self.env.context.get("tz") or self.env.user.tz
        try:
            tz = pytz.timezone(tz_name) if tz_name else self._complaint_tz()
        except pytz.UnknownTimeZoneError:
            tz = self._complaint_tz()
        today = pytz.utc.localize(now).astimezone(tz).date()
        return now, self._end_of_day(today + timedelta(days=DUE_THIS_WEEK_DAYS), tz)

    def _get_working_calendar(self):
        """Calendar for working-time deadlines: the handler's, else the team's,
        else the company's; None when none is set."""
        self.ensure_one()
        return (
            self.user_id.resource_calendar_id
            or self.team_id.resource_calendar_id
            or self.company_id.resource_calendar_id
            or None
        )

    def _add_duration(self, start, amount, unit):
        """``start`` plus ``amount`` in ``unit`` (calendar days, working days or
        working hours). Working days are counted from the day after ``start`` in
        the calendar's time zone and end with the last working day. Without a
        usable calendar, working time falls back to calendar time so that a
        deadline is always set."""
        self.ensure_one()
        if not amount:
            return False
        if unit != "calendar_days":
            calendar = self._get_working_calendar()
            if calendar:
                if unit == "working_days":
                    deadline = calendar._complaint_plan_working_days(start, amount)
                else:
                    deadline = calendar.plan_hours(amount, start, compute_leaves=True)
                if deadline:
                    return deadline
            _logger.warning(
                "Complaint %s: no working calendar for %s %s; using calendar time",
                self.name,
                amount,
                unit,
            )
            amount = amount / 8.0 if unit == "working_hours" else amount
        return start + timedelta(days=amount)

    def _work_hours_between(self, start, end):
        self.ensure_one()
        if not start or not end or end <= start:
            return 0.0
        calendar = self._get_working_calendar()
        if calendar:
            return calendar.get_work_hours_count(start, end, compute_leaves=True)
        # same fallback as _add_duration: a calendar day counts as 8 working hours
        return (end - start).total_seconds() / 3600 * 8 / 24

    def _work_days_between(self, start, end):
        """Working days after the day of ``start`` up to ``end``, counted as
        ``_add_duration`` counts them."""
        self.ensure_one()
        if not start or not end or end <= start:
            return 0
        calendar = self._get_working_calendar()
        if not calendar:
            return (end - start).days
        return calendar._complaint_work_days_between(start, end)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Stage = self.env["complaint.stage"]
        default_type = None
        to_route = []
        for index, vals in enumerate(vals_list):
            self._check_decision_write({name: value for name, value in vals.items() if value})
            if not vals.get("user_id"):
                to_route.append(index)
            if vals.get("stage_id"):
                vals["state"] = Stage.browse(vals["stage_id"]).state
                continue
            if "type_id" in vals:
                case_type = self.env["complaint.type"].browse(vals["type_id"])
            else:
                if default_type is None:
                    default_type = self._default_type_id()
                case_type = default_type
            stage = Stage._get_first_for(case_type, vals.get("state", "new"))
            if stage:
                vals["stage_id"] = stage.id
        cases = super().create(vals_list)
        cases.filtered(lambda case: case.state in DECISION_STATES)._check_stage_gates()
        now = fields.Datetime.now()
        cases._on_stage_entered(now)
        self.env["complaint.sla.policy"]._apply_to_cases(cases)
        routed = self.browse([cases[index].id for index in to_route])
        if routed:
            routed._apply_routing()
        return cases

    def write(self, vals):
        self._check_decision_write(vals)
        if not (LIFECYCLE_FIELDS & vals.keys()):
            # bookkeeping (deadlines, reminders, handler...): no stage, SLA or gate
            return super().write(vals)
        if self and not vals.get("stage_id") and ("state" in vals or "type_id" in vals):
            # a status set directly (base buttons, RPC, import) moves to its stage
            groups = self._get_following_stages(vals)
            if len(groups) > 1:
                for stage, cases in groups.items():
                    cases.write(dict(vals, stage_id=stage.id) if stage else vals)
                return True
            stage = next(iter(groups))
            if stage:
                vals = dict(vals, stage_id=stage.id)
        if vals.get("stage_id"):
            vals = dict(vals, state=self.env["complaint.stage"].browse(vals["stage_id"]).state)
        previous_stages = {case.id: case.stage_id for case in self}
        previous_states = {case.id: case.state for case in self}
        res = super().write(vals)
        now = fields.Datetime.now()
        entered = self.filtered(lambda case: case.stage_id != previous_stages[case.id])
        self._check_reopening(previous_states)
        # every door (statusbar, RPC, import, buttons, wizards) passes the same gates
        gated = entered | self.filtered(
            lambda case: (
                case.state in DECISION_STATES
                and (case.state != previous_states[case.id] or vals.keys() & set(DECISION_FIELDS))
            )
        )
        gated._check_stage_gates()
        if entered:
            entered._close_stage_logs(now)
            entered._on_stage_entered(now)
        if "state" in vals:
            self.sla_line_ids._follow_case_states(previous_states, now)
        if {"type_id", "priority", "partner_id", "line_ids"} & vals.keys():
            self.env["complaint.sla.policy"]._apply_to_cases(self)
        return res

    def _check_decision_write(self, vals):
        """Decisions are recorded by the Decide wizard, which writes them as
        superuser once the approvals are given; nobody writes them directly."""
        if self.env.su:
            return
        written = [name for name in DECISION_FIELDS if name in vals]
        if written:
            raise AccessError(
                self.env._(
                    "%s can only be set with the Decide button of the case.",
                    ", ".join(self._fields[name]._description_string(self.env) for name in written),
                )
            )

    def _check_reopening(self, previous_states):
        """Only managers take a decided or closed case back into handling."""
        reopened = self.filtered(
            lambda case: (
                previous_states[case.id] in DECISION_STATES
                and case.state not in (*DECISION_STATES, "cancelled")
            )
        )
        if (
            reopened
            and not self.env.su
            and not self.env.user.has_group("complaint_base.group_complaint_manager")
        ):
            raise UserError(
                self.env._(
                    "Only complaint managers can reopen decided or closed cases (%s).",
                    ", ".join(reopened.mapped("name")),
                )
            )

    def _get_following_stages(self, vals):
        """{stage: cases} for a write of ``vals`` without a stage: the first
        stage of the (new) type mapped to the (new) status, or no stage for the
        cases whose stage already fits or that have no stage mapped."""
        Stage = self.env["complaint.stage"]
        groups = defaultdict(lambda: self.browse())
        found = {}
        for case in self:
            case_type = (
                self.env["complaint.type"].browse(vals["type_id"])
                if "type_id" in vals
                else case.type_id
            )
            state = vals.get("state", case.state)
            stage = case.stage_id
            if not (
                stage
                and stage.state == state
                and (not stage.type_ids or case_type in stage.type_ids)
            ):
                key = (case_type, state)
                if key not in found:
                    found[key] = Stage._get_first_for(case_type, state)
                stage = found[key]
            groups[stage if stage != case.stage_id else Stage] |= case
        return groups

    def _attach_stage(self, stage):
        """Give the cases without a stage ``stage``, mapped to the status they
        already have, without entering it (no log, deadline or notification):
        for the cases that existed before the add-on was installed."""
        cases = self.filtered(lambda case: not case.stage_id and case.state == stage.state)
        return super(ComplaintCase, cases).write({"stage_id": stage.id})

    def _move_to_state(self, state):
        """Move the cases to the first stage of their type mapped to ``state``."""
        for case in self:
            stage = self.env["complaint.stage"]._get_first_for(case.type_id, state)
            case.write({"stage_id": stage.id} if stage else {"state": state})
        return True

    # ------------------------------------------------------------------
    # Stage entry
    # ------------------------------------------------------------------

    def _check_stage_gates(self):
        """What a case needs to be in its stage: the fields the stage requires
        and, for decided and closed stages, a decision sent with every approval
        the rules ask for."""
        errors = []
        for case in self:
            missing = case._get_empty_field_labels(case.stage_id.required_field_ids)
            if missing:
                errors.append(
                    self.env._(
                        "Case %(case)s cannot enter stage %(stage)s before %(fields)s "
                        "is filled in.",
                        case=case.name,
                        stage=case.stage_id.name,
                        fields=", ".join(missing),
                    )
                )
            if case.state in DECISION_STATES:
                errors += case._get_decision_gate_errors()
        if errors:
            raise UserError("\n".join(errors))

    def _get_decision_gate_errors(self):
        self.ensure_one()
        status = dict(self._fields["state"]._description_selection(self.env))[self.state]
        if not (self.decision and self.date_decision):
            return [
                self.env._(
                    "Case %(case)s cannot be %(status)s before its decision is sent with "
                    "the Decide button.",
                    case=self.name,
                    status=status,
                )
            ]
        missing = self.env["complaint.approval.rule"]._get_missing_steps(self)
        if self.approval_state not in ("none", "approved") or missing:
            return [
                self.env._(
                    "Case %(case)s cannot be %(status)s before its approvals are given.",
                    case=self.name,
                    status=status,
                )
            ]
        return []

    def _close_stage_logs(self, now):
        self.env["complaint.stage.log"].search(
            [("case_id", "in", self.ids), ("date_end", "=", False)]
        ).write({"date_end": now})

    def _on_stage_entered(self, now):
        """Everything that happens when cases enter their current stage: time
        log, deadline, responsible, customer notification and tasks. Cases that
        get the same values are written together."""
        cases = self.filtered("stage_id")
        if not cases:
            return
        self.env["complaint.stage.log"].create(
            [
                {
                    "case_id": case.id,
                    "stage_id": case.stage_id.id,
                    "user_id": case.user_id.id,
                    "date_start": now,
                }
                for case in cases
            ]
        )
        groups = defaultdict(lambda: self.browse())
        later_stages = {}
        for case in cases:
            stage = case.stage_id
            if stage.user_id or stage.team_id:
                case._assign_from_stage(stage)
            deadline = case._add_duration(now, stage.deadline_amount, stage.deadline_unit)
            key = (stage.id, case.type_id.id)
            if key not in later_stages:
                later_stages[key] = case._get_later_stages()
            values = {
                "date_stage_start": now,
                "date_stage_deadline": deadline,
                "date_stage_reminder": deadline
                and deadline - timedelta(hours=stage.reminder_hours),
                "stage_reminder_sent": False,
                "stage_escalated": False,
                "date_expected_end": case._project_end(now, deadline, later_stages[key]),
            }
            groups[tuple(values.items())] |= case
        for values, group in groups.items():
            group.write(dict(values))
        for case in cases:
            stage = case.stage_id
            if stage.mail_template_id:
                case._notify_customer(stage.mail_template_id)
            if stage.sms_template_id:
                case._notify_customer_sms(stage.sms_template_id)
            if stage.task_template_ids:
                stage.task_template_ids._create_tasks(case)

    def _assign_from_stage(self, stage):
        self.ensure_one()
        values = {}
        if stage.team_id:
            values["team_id"] = stage.team_id.id
        user = stage.user_id
        if not user and stage.team_id and self.user_id not in stage.team_id.member_ids:
            user = stage.team_id._complaint_pick_member()
        if user:
            self._assign_user(user, values, reason=self.env._("stage %s", stage.name))
        elif values:
            self.write(values)

    def _assign_user(self, user, values=None, reason=""):
        """Assign ``user`` (or their deputy when absent) and say so in the chatter."""
        self.ensure_one()
        acting = user._complaint_available_user()
        values = dict(values or {}, user_id=acting.id)
        self.write(values)
        if acting != user:
            self._message_log(
                body=self.env._(
                    "%(user)s is absent: assigned to the deputy %(deputy)s (%(reason)s).",
                    user=user.name,
                    deputy=acting.name,
                    reason=reason,
                )
            )
        return acting

    def _get_later_stages(self):
        """Open stages of the case type that come after the current one."""
        self.ensure_one()
        return self.env["complaint.stage"].search(
            [
                ("sequence", ">", self.stage_id.sequence),
                ("state", "not in", CLOSED_STATES),
                "|",
                ("type_ids", "=", False),
                ("type_ids", "in", self.type_id.ids),
            ]
        )

    def _project_end(self, now, stage_deadline, later_stages=None):
        """Expected end: the current stage deadline (or now, when overrun) plus
        the deadlines of the later stages of the same type."""
        self.ensure_one()
        if later_stages is None:
            later_stages = self._get_later_stages()
        end = max(stage_deadline or now, now)
        for stage in later_stages:
            end = self._add_duration(end, stage.deadline_amount, stage.deadline_unit) or end
        return end

    # ------------------------------------------------------------------
    # Customer notifications
    # ------------------------------------------------------------------

    def _notify_customer(self, template):
        """Send ``template`` to the customer; a template that fails to render is
        logged and noted in the chatter instead of blocking the case."""
        for case in self:
            if not (case.partner_id.email or case.partner_email):
                case._message_log(
                    body=self.env._(
                        "The customer was not notified (%s): no e-mail address.", template.name
                    )
                )
                continue
            try:
                with self.env.cr.savepoint():
                    case.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
            except Exception as error:
                _logger.exception("Complaint %s: template %s failed", case.name, template.name)
                case._message_log(
                    body=self.env._(
                        "The customer could not be notified with %(template)s: %(error)s",
                        template=template.name,
                        error=str(error),
                    )
                )

    def _notify_customer_sms(self, template):
        for case in self:
            number = case.partner_id.mobile or case.partner_phone
            if not number:
                continue
            try:
                with self.env.cr.savepoint():
                    case._message_sms_with_template(
                        template=template, partner_ids=case.partner_id.ids
                    )
            except Exception as error:
                _logger.exception("Complaint %s: SMS template %s failed", case.name, template.name)
                case._message_log(
                    body=self.env._(
                        "The SMS %(template)s could not be sent: %(error)s",
                        template=template.name,
                        error=str(error),
                    )
                )

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------

    def _apply_routing(self):
        """Give the cases the team and handler of the first matching routing
        rule; cases routed alike are written together and the chatter notes
        are logged in one batch."""
        assignments = self.env["complaint.routing.rule"]._get_assignments(self)
        groups = defaultdict(lambda: self.browse())
        bodies = {}
        for case in self:
            assignment = assignments.get(case.id)
            if not assignment:
                continue
            values = {}
            if assignment.get("team_id"):
                values["team_id"] = assignment["team_id"].id
            if assignment.get("user_id"):
                values["user_id"] = assignment["user_id"].id
            if not values:
                continue
            groups[tuple(values.items())] |= case
            absent = assignment.get("absent_user_id")
            if absent:
                bodies[case.id] = self.env._(
                    "Routed by rule %(rule)s; %(user)s is absent: "
                    "assigned to the deputy %(deputy)s.",
                    rule=assignment["rule"].name,
                    user=absent.name,
                    deputy=assignment["user_id"].name,
                )
            else:
                bodies[case.id] = self.env._("Routed by rule %s.", assignment["rule"].name)
        for values, group in groups.items():
            group.write(dict(values))
        routed = self.browse(list(bodies))
        if routed:
            routed._message_log_batch(bodies=bodies)

    def action_apply_routing(self):
        self._apply_routing()
        return True

    # ------------------------------------------------------------------
    # Completion by the customer
    # ------------------------------------------------------------------

    def _complaint_completion_received(self):
        """The customer answered a completion request: back to the stage the case
        was in, and the handler is told."""
        for case in self.filtered(lambda c: c.state == "waiting" and c.completion_stage_id):
            stage = case.completion_stage_id
            case.write({"stage_id": stage.id, "completion_stage_id": False})
            if case.user_id:
                case.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=case.user_id.id,
                    summary=self.env._("The customer completed the case"),
                )
        return True

    def _complaint_customer_message(self, msg_dict):
        res = super()._complaint_customer_message(msg_dict)
        sender = email_normalize(msg_dict.get("email_from") or "")
        for case in self.filtered(lambda c: c.state == "waiting" and c.completion_stage_id):
            if sender and sender in case._get_customer_emails():
                case._complaint_completion_received()
        return res

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_open_decide_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_workflow.complaint_case_decide_action"
        )
        action["context"] = {"default_case_id": self.id}
        return action

    def action_restart_approvals(self):
        """A new approval round after a rejection, asked by the handler."""
        self.ensure_one()
        if self.approval_state != "rejected":
            raise UserError(
                self.env._("Only rejected approvals of case %s can be restarted.", self.name)
            )
        self.check_access("write")
        self.env["complaint.approval.rule"]._restart_approvals(self)
        self.message_post(
            body=self.env._("Approvals restarted by %s.", self.env.user.name),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_open_completion_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_workflow.complaint_case_request_completion_action"
        )
        action["context"] = {"default_case_id": self.id}
        return action

    def action_view_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_workflow.complaint_task_action"
        )
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {"default_case_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------

    @api.model
    def _cron_check_deadlines(self, batch_size=500):
        """Reminders, escalations, SLA breaches and the statutory clock. Each
        part only reads the cases that are due, in batches. A failing case is
        logged, skipped and put behind the others in the next runs, so that
        cases that keep failing cannot starve the healthy ones."""
        # notifications go through the mail queue: the cron must not wait on SMTP
        self = self.with_context(mail_notify_force_send=False)
        now = fields.Datetime.now()
        self._cron_breach_sla(now)
        done = 0
        succeeded = failed = self.browse()
        for method, domain in self._cron_deadline_jobs(now):
            job_succeeded, job_failed = self._cron_run_job(method, domain, now, batch_size)
            done += len(job_succeeded)
            succeeded |= job_succeeded
            failed |= job_failed
        failed._cron_record_failure(now)
        (succeeded - failed).filtered("cron_failure_count").write(
            {"cron_failure_count": 0, "date_cron_failed": False}
        )
        # cases that failed wait for the next run instead of looping on them now
        remaining = sum(
            self.search_count([*domain, ("date_cron_failed", "=", False)])
            for _method, domain in self._cron_deadline_jobs(now)
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _cron_run_job(self, method, domain, now, batch_size):
        """Call ``method`` on up to ``batch_size`` due cases, the cases that
        failed before last; a case that fails does not use up the batch, but
        the job stops after ``batch_size`` failures. Return (cases done, cases failed)."""
        succeeded = failed = self.browse()
        while len(succeeded) < batch_size and len(failed) < batch_size:
            cases = self.search(
                [*domain, ("id", "not in", (succeeded | failed).ids)],
                limit=batch_size - len(succeeded),
                order="date_cron_failed asc nulls first, date_deadline, id",
            )
            if not cases:
                break
            for case in cases:
                try:
                    with self.env.cr.savepoint():
                        getattr(case, method)(now)
                    succeeded |= case
                except Exception:
                    failed |= case
                    _logger.exception("Complaint cron: %s failed for case %s", method, case.name)
                    if len(failed) >= batch_size:
                        break
        return succeeded, failed

    def _cron_record_failure(self, now):
        """Count a failed run on the cases (in its own savepoint, after the failed
        work was rolled back) and report the cases that reach the threshold."""
        if not self:
            return
        by_count = defaultdict(lambda: self.browse())
        for case in self:
            by_count[case.cron_failure_count + 1] |= case
        try:
            with self.env.cr.savepoint():
                for count, cases in by_count.items():
                    cases.write({"cron_failure_count": count, "date_cron_failed": now})
        except Exception:
            _logger.exception("Complaint cron: could not record the failures of %s", self.ids)
            return
        by_count.get(CRON_FAILURE_REPORT, self.browse())._cron_report_failure()

    def _cron_report_failure(self):
        """Tell the complaint managers, once, that the deadline check keeps failing."""
        managers = self._complaint_manager_users()
        for case in self:
            _logger.error(
                "Complaint cron: the deadline check failed %s times in a row for case %s",
                case.cron_failure_count,
                case.name,
            )
            try:
                with self.env.cr.savepoint():
                    case.message_post(
                        body=self.env._(
                            "The deadline check (reminders, escalation, statutory clock) "
                            "failed %s times in a row for this case: see the server log.",
                            case.cron_failure_count,
                        ),
                        partner_ids=managers.partner_id.ids,
                        subtype_xmlid="mail.mt_note",
                    )
            except Exception:
                _logger.exception("Complaint cron: could not report the failures of %s", case.name)

    @api.model
    def _cron_deadline_jobs(self, now):
        open_domain = [("state", "not in", CLOSED_STATES)]
        return [
            (
                "_send_stage_reminder",
                [
                    *open_domain,
                    ("stage_reminder_sent", "=", False),
                    ("date_stage_reminder", "<=", now),
                    ("date_stage_deadline", ">", now),
                ],
            ),
            (
                "_escalate_overdue_stage",
                [*open_domain, ("stage_escalated", "=", False), ("date_stage_deadline", "<=", now)],
            ),
            (
                "_deem_accepted",
                [
                    *open_domain,
                    ("deemed_accepted", "=", False),
                    ("date_decision", "=", False),
                    # the clock of deadline_status: overdue once the deadline is past
                    ("date_statutory_deadline", "<", now),
                ],
            ),
        ]

    @api.model
    def _cron_breach_sla(self, now):
        overdue = self.env["complaint.sla.line"].search(
            [("state", "=", "running"), ("date_deadline", "<", now)]
        )
        overdue.write({"state": "breached"})
        return overdue

    def _responsible_partners(self, at):
        """Who hears about a deadline: the handler (or deputy) and the team leader,
        else the complaint managers."""
        self.ensure_one()
        partners = self.env["res.partner"]
        if self.user_id:
            partners |= self.user_id._complaint_available_user(at).partner_id
        leader = self.team_id.user_id
        if leader:
            partners |= leader._complaint_available_user(at).partner_id
        else:
            partners |= self._complaint_manager_users().partner_id
        return partners

    @api.model
    def _complaint_manager_users(self):
        """The complaint managers who can be told: internal users, not the superuser."""
        managers = self.env.ref("complaint_base.group_complaint_manager").users
        return managers.filtered(lambda user: not user.share and not user._is_superuser())

    def _send_stage_reminder(self, now):
        self.ensure_one()
        user = self.user_id and self.user_id._complaint_available_user(now)
        if user:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.to_date(self.date_stage_deadline),
                user_id=user.id,
                summary=self.env._("Stage deadline approaching"),
            )
        self.write({"stage_reminder_sent": True})

    def _escalate_overdue_stage(self, now):
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "Stage %(stage)s was due on %(deadline)s and is overdue.",
                stage=self.stage_id.name,
                deadline=fields.Datetime.to_string(self.date_stage_deadline),
            ),
            partner_ids=self._responsible_partners(now).ids,
            subtype_xmlid="mail.mt_note",
        )
        self.write({"stage_escalated": True, "date_expected_end": self._project_end(now, None)})

    def _deem_accepted(self, now):
        self.ensure_one()
        self.write({"deemed_accepted": True})
        self.message_post(
            body=self.env._(
                "The statutory deadline of %s passed without a decision sent to the customer: "
                "the claim is deemed accepted.",
                fields.Datetime.to_string(self.date_statutory_deadline),
            ),
            partner_ids=self._responsible_partners(now).ids,
            subtype_xmlid="mail.mt_note",
        )
