import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from odoo.addons.complaint_base.models.complaint_case import CLOSED_STATES

_logger = logging.getLogger(__name__)

# How close to the deadline a card turns orange in the kanban.
DEADLINE_SOON = timedelta(days=1)


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

    @api.depends("type_id.code", "type_id.deadline_days", "date_received")
    def _compute_date_statutory_deadline(self):
        for case in self:
            if case.type_id.code == "statutory_warranty" and case.date_received:
                case.date_statutory_deadline = case.date_received + timedelta(
                    days=case.type_id.deadline_days
                )
            else:
                case.date_statutory_deadline = False

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
    # Working time
    # ------------------------------------------------------------------

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
        working hours). Without a usable calendar, working time falls back to
        calendar time so that a deadline is always set."""
        self.ensure_one()
        if not amount:
            return False
        if unit != "calendar_days":
            calendar = self._get_working_calendar()
            if calendar:
                hours = (
                    amount * (calendar.hours_per_day or 8.0) if unit == "working_days" else amount
                )
                deadline = calendar.plan_hours(hours, start, compute_leaves=True)
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

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Stage = self.env["complaint.stage"]
        default_type = None
        to_route = []
        for index, vals in enumerate(vals_list):
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
        now = fields.Datetime.now()
        cases._on_stage_entered(now)
        self.env["complaint.sla.policy"]._apply_to_cases(cases)
        routed = self.browse([cases[index].id for index in to_route])
        if routed:
            routed._apply_routing()
        return cases

    def write(self, vals):
        if self.env.context.get("complaint_stage_sync"):
            return super().write(vals)
        if vals.get("stage_id"):
            vals["state"] = self.env["complaint.stage"].browse(vals["stage_id"]).state
        previous_stages = {case.id: case.stage_id for case in self}
        previous_states = {case.id: case.state for case in self}
        res = super().write(vals)
        now = fields.Datetime.now()
        if "stage_id" not in vals and ("state" in vals or "type_id" in vals):
            self._sync_stage_with_state()
        entered = self.filtered(lambda case: case.stage_id != previous_stages[case.id])
        if entered:
            entered._check_stage_gates()
            entered._close_stage_logs(now)
            entered._on_stage_entered(now)
        if "state" in vals:
            self.sla_line_ids._follow_case_states(previous_states, now)
        if {"type_id", "priority", "partner_id", "line_ids"} & vals.keys():
            self.env["complaint.sla.policy"]._apply_to_cases(self)
        return res

    def _sync_stage_with_state(self):
        """Follow a status set directly (by the base buttons) with the first
        stage of the case type mapped to it."""
        Stage = self.env["complaint.stage"]
        for case in self:
            stage_ok = case.stage_id and (
                not case.stage_id.type_ids or case.type_id in case.stage_id.type_ids
            )
            if stage_ok and case.stage_id.state == case.state:
                continue
            stage = Stage._get_first_for(case.type_id, case.state)
            if stage and stage != case.stage_id:
                case.with_context(complaint_stage_sync=True).write({"stage_id": stage.id})

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
        if errors:
            raise UserError("\n".join(errors))

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
            group.with_context(complaint_stage_sync=True).write(dict(values))
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
            self.with_context(complaint_stage_sync=True).write(values)

    def _assign_user(self, user, values=None, reason=""):
        """Assign ``user`` (or their deputy when absent) and say so in the chatter."""
        self.ensure_one()
        acting = user._complaint_available_user()
        values = dict(values or {}, user_id=acting.id)
        self.with_context(complaint_stage_sync=True).write(values)
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
            group.with_context(complaint_stage_sync=True).write(dict(values))
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
        part only reads the cases that are due, in batches; a failing case is
        logged and skipped so that the others are still handled."""
        # notifications go through the mail queue: the cron must not wait on SMTP
        self = self.with_context(mail_notify_force_send=False)
        now = fields.Datetime.now()
        self._cron_breach_sla(now)
        done = failed = 0
        for method, domain in self._cron_deadline_jobs(now):
            cases = self.search(domain, limit=batch_size, order="date_deadline, id")
            for case in cases:
                try:
                    with self.env.cr.savepoint():
                        getattr(case, method)(now)
                    done += 1
                except Exception:
                    failed += 1
                    _logger.exception("Complaint cron: %s failed for case %s", method, case.name)
        # failed cases stay due: leave them to the next run instead of looping on them
        remaining = sum(
            self.search_count(domain) for _method, domain in self._cron_deadline_jobs(now)
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=max(remaining - failed, 0))
        return done

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
                    ("date_statutory_deadline", "<=", now),
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
            managers = self.env.ref("complaint_base.group_complaint_manager").users
            partners |= managers.filtered(lambda u: not u.share and u.id != 1).partner_id
        return partners

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
        self.with_context(complaint_stage_sync=True).write({"stage_reminder_sent": True})

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
        self.with_context(complaint_stage_sync=True).write(
            {"stage_escalated": True, "date_expected_end": self._project_end(now, None)}
        )

    def _deem_accepted(self, now):
        self.ensure_one()
        self.with_context(complaint_stage_sync=True).write({"deemed_accepted": True})
        self.message_post(
            body=self.env._(
                "The statutory deadline of %s passed without a decision sent to the customer: "
                "the claim is deemed accepted.",
                fields.Datetime.to_string(self.date_statutory_deadline),
            ),
            partner_ids=self._responsible_partners(now).ids,
            subtype_xmlid="mail.mt_note",
        )
