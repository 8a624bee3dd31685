from odoo import api, fields, models


class ComplaintBenchBare(models.Model):
    _name = "complaint.bench.bare"
    _description = "Bare mail.thread record (benchmark baseline)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _primary_email = "email_from"

    name = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", tracking=True)
    email_from = fields.Char()
    description = fields.Html()


class ComplaintBenchBareFollowed(models.Model):
    """The bare model doing the mail work a case's intake does besides its own
    fields: a contact for an unknown sender, the customer and the team's
    followers subscribed, the followers notified of each message. Information:
    what Odoo's mail machinery costs for that work, whatever the model."""

    _name = "complaint.bench.bare.followed"
    _inherit = "complaint.bench.bare"
    _description = "Bare mail.thread record with a case's followers (benchmark)"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        if not msg_dict.get("author_id") and msg_dict.get("email_from"):
            msg_dict["author_id"] = self._mail_find_partner_from_emails(
                [msg_dict["email_from"]], force_create=True
            )[0].id
        record = super().message_new(
            msg_dict, {**(custom_values or {}), "partner_id": msg_dict.get("author_id")}
        )
        team = self.env["ir.config_parameter"].sudo().get_param("complaint_bench.team_partner_ids")
        partner_ids = [int(pid) for pid in (team or "").split(",") if pid]
        record.message_subscribe(partner_ids=[*partner_ids, msg_dict["author_id"]])
        return record
