from odoo.addons.complaint_base.tests.common import ComplaintCommon


class WorkflowCommon(ComplaintCommon):
    """complaint_base's fixtures plus the shipped stages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.stage_new = ref("complaint_workflow.complaint_stage_new")
        cls.stage_analysis = ref("complaint_workflow.complaint_stage_analysis")
        cls.stage_waiting = ref("complaint_workflow.complaint_stage_waiting")
        cls.stage_decided = ref("complaint_workflow.complaint_stage_decided")
        cls.stage_closed = ref("complaint_workflow.complaint_stage_closed")
        cls.stage_cancelled = ref("complaint_workflow.complaint_stage_cancelled")
        cls.type_statutory = ref("complaint_base.complaint_type_statutory_warranty")
        cls.sla_statutory = ref("complaint_workflow.complaint_sla_policy_statutory")
        cls.sla_vip = ref("complaint_workflow.complaint_sla_policy_vip")
        # calendar-day deadlines keep the expected dates independent of the calendar
        cls.stage_new.deadline_unit = "calendar_days"
        cls.stage_decided.deadline_unit = "calendar_days"

    def _send_decision(self, case, decision="accepted", resolution="refund"):
        """Decide ``case`` with the Decide wizard, the only way to a decided case."""
        wizard = self.env["complaint.case.decide"].create(
            {"case_id": case.id, "decision": decision, "resolution": resolution}
        )
        return wizard.action_confirm()
