import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv.expression import AND, OR

from odoo.addons.complaint_base.models.complaint_case import CLOSED_STATES

_logger = logging.getLogger(__name__)

# How close to the deadline a card turns orange in the kanban.
DEADLINE_SOON = timedelta(days=1)
# Days ahead (after today, in the user's time zone) that the "Due This Week" filter covers.
DUE_THIS_WEEK_DAYS = 7
# A case whose deadline check fails this many runs in a row is reported to the managers.
CRON_FAILURE_REPORT = 3
# Cases that are decided or closed keep the statutory deadline they had.
FROZEN_STATES = (*CLOSED_STATES, "decided")


class ComplaintCaseDeadline(models.AbstractModel):
    """Deadlines of a case: the binding deadline, SLA and statutory clocks,
    working time, and the cron that reminds, escalates and deems accepted.
    Mixed into ``complaint.case`` only."""

    _name = "complaint.case.deadline"
    _description = "Complaint Case Deadlines"

    date_deadline = fields.Datetime(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        index=True,
        tracking=True,
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
        failed before last: on the whole batch at once, and case by case only
        when the batch fails, so that a failing case is found, logged and
        skipped; it does not use up the batch, but the job stops after
        ``batch_size`` failures. Return (cases done, cases failed)."""
        succeeded = failed = self.browse()
        while len(succeeded) < batch_size and len(failed) < batch_size:
            cases = self.search(
                [*domain, ("id", "not in", (succeeded | failed).ids)],
                limit=batch_size - len(succeeded),
                order="date_cron_failed asc nulls first, date_deadline, id",
            )
            if not cases:
                break
            try:
                with self.env.cr.savepoint():
                    getattr(cases, method)(now)
                succeeded |= cases
                continue
            except Exception:
                _logger.info("Complaint cron: %s failed for a batch; case by case", method)
                self.env.invalidate_all()
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
        return self._get_responsible_partners(at)[self.id]

    def _get_responsible_partners(self, at):
        """``{case id: partners}`` of ``_responsible_partners`` for a batch; the
        deputies and the managers are looked up once."""
        acting = {}

        def available(user):
            if user not in acting:
                acting[user] = user._complaint_available_user(at).partner_id
            return acting[user]

        managers = None
        result = {}
        for case in self:
            partners = self.env["res.partner"]
            if case.user_id:
                partners |= available(case.user_id)
            leader = case.team_id.user_id
            if leader:
                partners |= available(leader)
            else:
                if managers is None:
                    managers = self._complaint_manager_users().partner_id
                partners |= managers
            result[case.id] = partners
        return result

    @api.model
    def _complaint_manager_users(self):
        """The complaint managers who can be told: internal users, not the superuser."""
        managers = self.env.ref("complaint_base.group_complaint_manager").users
        return managers.filtered(lambda user: not user.share and not user._is_superuser())

    def _send_stage_reminder(self, now):
        """A to-do for the handler (or deputy) of each case; each of them is
        told once about all their reminders of the batch."""
        acting = {}
        activities = []
        summary = self.env._("Stage deadline approaching")
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        for case in self:
            user = case.user_id
            if user and user not in acting:
                acting[user] = user._complaint_available_user(now)
            user = user and acting[user]
            if user:
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": case.id,
                        "activity_type_id": activity_type.id,
                        "summary": summary,
                        "date_deadline": fields.Date.to_date(case.date_stage_deadline),
                        "user_id": user.id,
                    }
                )
        if activities:
            created = (
                self.env["mail.activity"]
                .with_context(mail_activity_quick_update=True)
                .create(activities)
            )
            for user, user_activities in created.grouped("user_id").items():
                if user != self.env.user:
                    self.browse(user_activities.mapped("res_id"))._complaint_notify_list(
                        user.partner_id,
                        lambda env, count: (
                            env._("Stage deadlines approaching on %s complaint cases", count),
                            env._("A stage deadline is approaching on these cases:"),
                        ),
                    )
        self.write({"stage_reminder_sent": True})

    def _escalate_overdue_stage(self, now):
        """A note on each case for its responsible people, who are each told once
        about all the overdue cases of the batch."""
        responsible = self._get_responsible_partners(now)
        by_partners = defaultdict(lambda: self.browse())
        bodies = {}
        for case in self:
            bodies[case.id] = self.env._(
                "Stage %(stage)s was due on %(deadline)s and is overdue.",
                stage=case.stage_id.name,
                deadline=fields.Datetime.to_string(case.date_stage_deadline),
            )
            by_partners[responsible[case.id]] |= case
        for partners, cases in by_partners.items():
            cases._message_log_batch(bodies=bodies, partner_ids=partners.ids)
        self._complaint_notify_by_partner(
            responsible,
            lambda env, count: (
                env._("%s complaint cases are overdue", count),
                env._("These cases are overdue in their stage:"),
            ),
        )
        later_stages = {}
        by_end = defaultdict(lambda: self.browse())
        for case in self:
            key = (case.stage_id, case.type_id)
            if key not in later_stages:
                later_stages[key] = case._get_later_stages()
            by_end[case._project_end(now, None, later_stages[key])] |= case
        for end, cases in by_end.items():
            cases.write({"stage_escalated": True, "date_expected_end": end})

    def _deem_accepted(self, now):
        """Claims deemed accepted: a note on each case for its responsible people,
        who are each told once about all the claims of the batch."""
        self.write({"deemed_accepted": True})
        responsible = self._get_responsible_partners(now)
        by_partners = defaultdict(lambda: self.browse())
        bodies = {}
        for case in self:
            bodies[case.id] = self.env._(
                "The statutory deadline of %s passed without a decision sent to the customer: "
                "the claim is deemed accepted.",
                fields.Datetime.to_string(case.date_statutory_deadline),
            )
            by_partners[responsible[case.id]] |= case
        for partners, cases in by_partners.items():
            cases._message_log_batch(bodies=bodies, partner_ids=partners.ids)
        self._complaint_notify_by_partner(
            responsible,
            lambda env, count: (
                env._("%s statutory claims are deemed accepted", count),
                env._(
                    "The statutory deadline of these claims passed without a decision "
                    "sent to the customer:"
                ),
            ),
        )

    def _complaint_notify_by_partner(self, responsible, texts):
        """Tell each partner of ``responsible`` (``{case id: partners}``) once
        about all their cases."""
        cases_of = defaultdict(list)
        for case_id, partners in responsible.items():
            for partner in partners:
                cases_of[partner].append(case_id)
        for partner, case_ids in cases_of.items():
            self.browse(case_ids)._complaint_notify_list(partner, texts)
