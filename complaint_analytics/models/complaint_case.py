from odoo import models


class ComplaintCase(models.Model):
    _inherit = "complaint.case"

    def action_open_stage_timeline(self):
        """The case's stages on a timeline, from its stage history."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_analytics.complaint_stage_log_action_timeline"
        )
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {"default_case_id": self.id, "create": False}
        action["display_name"] = self.env._("Stages of %s", self.name)
        return action

    def unlink(self):
        # the analyses' rows go with the cases (ON DELETE CASCADE): they are
        # counted out of the rollups
        reports = [self.env["complaint.case.report"], self.env["complaint.case.line.report"]]
        timezones = reports[0]._rollup_built_timezones()
        if timezones:
            for report in reports:
                report._rollup_before_change(self.ids, timezones)
        result = super().unlink()
        if timezones:
            for report in reports:
                report._rollup_apply_pending()
        return result
