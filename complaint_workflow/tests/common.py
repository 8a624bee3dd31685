import json

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


class JsonRpcMixin:
    """Calls as the web client sends them, in the session of an HttpCase: an
    error rolls the whole request back, as in production."""

    def _jsonrpc(self, route, params):
        """(result, error message) of a JSON-RPC call in the current session."""
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        self.env.invalidate_all()
        return body.get("result"), body.get("error", {}).get("data", {}).get("message")

    def _call_kw(self, model, method, args, **kwargs):
        return self._jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def _call_button(self, model, method, record_id):
        return self._jsonrpc(
            "/web/dataset/call_button",
            {"model": model, "method": method, "args": [[record_id]], "kwargs": {}},
        )
