import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from odoo.addons.complaint_base.models.complaint_case import CLOSED_STATES

from .complaint_case_decision import DECISION_FIELDS, DECISION_STATES

_logger = logging.getLogger(__name__)

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


class ComplaintCase(models.Model):
    """Stages of a case: entering them (gates, deadlines, owners, customer
    notifications, tasks), routing, the completion loop and tasks; its
    deadlines and its decisions come from the two mixins."""

    _name = "complaint.case"
    _inherit = ["complaint.case", "complaint.case.deadline", "complaint.case.decision"]

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
        tracking=True,
        help="When the case should end if the current and the later stages keep their deadlines.",
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

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        type_id = self.env.context.get("default_type_id")
        if not type_id:
            return stages.search([])
        return stages.search(["|", ("type_ids", "=", False), ("type_ids", "in", [type_id])])

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
                if case_type:
                    # found once: complaint_base numbers with it
                    vals["type_id"] = case_type.id
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
        previous_deadlines = {case.id: case._deadline_values() for case in self}
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
        for case in self:
            if case._deadline_values() != previous_deadlines[case.id]:
                case._track_set_log_message(
                    case._deadline_move_reason(
                        previous_stages[case.id], previous_states[case.id], vals
                    )
                )
        return res

    def _deadline_values(self):
        self.ensure_one()
        return (self.date_deadline, self.date_stage_deadline, self.date_expected_end)

    def _track_get_default_log_message(self, tracked_fields):
        if not {"date_deadline", "date_stage_deadline", "date_expected_end"} & set(tracked_fields):
            return super()._track_get_default_log_message(tracked_fields)
        if self.stage_escalated and "date_expected_end" in tracked_fields:
            return self.env._(
                "Deadlines moved: the stage is overdue, the expected end now counts from today."
            )
        return self.env._("Deadlines moved: the SLA clock of the case changed.")

    def _deadline_move_reason(self, previous_stage, previous_state, vals):
        """Why a write moved the deadlines of the case: logged in the chatter
        with the tracked old and new dates."""
        self.ensure_one()
        if self.state == "waiting" and previous_state != "waiting" and self.completion_request:
            return self.env._(
                "Deadlines moved: the customer was asked to complete the claim; "
                "the SLA clock is paused until they answer."
            )
        if previous_state == "waiting" and self.state != "waiting":
            return self.env._(
                "Deadlines moved: the case no longer waits; the SLA clock runs again "
                "and the stage deadline counts from now."
            )
        if self.stage_id != previous_stage:
            return self.env._(
                "Deadlines moved: the case entered the stage %(stage)s (time allowed: %(time)s).",
                stage=self.stage_id.name,
                time=self.stage_id.deadline_display,
            )
        if self.state != previous_state:
            return self.env._("Deadlines moved: the status of the case changed.")
        if vals.keys() & set(DECISION_FIELDS):
            return self.env._(
                "Deadlines moved: a decision was recorded, the statutory deadline no longer binds."
            )
        return self.env._(
            "Deadlines moved: the SLA policies were applied again after a change of type, "
            "priority, customer or claimed items."
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
        # cases of the same stage, type and working calendar get the same dates:
        # computed once for them, written together
        groups = defaultdict(lambda: self.browse())
        later_stages = {}
        computed = {}
        for case in cases:
            stage = case.stage_id
            if stage.user_id or stage.team_id:
                case._assign_from_stage(stage)
            key = (stage.id, case.type_id.id)
            if key not in later_stages:
                later_stages[key] = case._get_later_stages()
            calendar_key = (*key, case._get_working_calendar())
            if calendar_key not in computed:
                deadline = case._add_duration(now, stage.deadline_amount, stage.deadline_unit)
                computed[calendar_key] = {
                    "date_stage_start": now,
                    "date_stage_deadline": deadline,
                    "date_stage_reminder": deadline
                    and deadline - timedelta(hours=stage.reminder_hours),
                    "stage_reminder_sent": False,
                    "stage_escalated": False,
                    "date_expected_end": case._project_end(now, deadline, later_stages[key]),
                }
            groups[calendar_key] |= case
        for calendar_key, group in groups.items():
            group.write(computed[calendar_key])
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
