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
