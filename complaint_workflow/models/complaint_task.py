from odoo import api, fields, models


class ComplaintTask(models.Model):
    _name = "complaint.task"
    _description = "Complaint Task"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "done, date_deadline, id"

    name = fields.Char(required=True, tracking=True)
    case_id = fields.Many2one(
        comodel_name="complaint.case",
        string="Case",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Assignee",
        tracking=True,
        domain="[('share', '=', False)]",
        compute="_compute_user_id",
        store=True,
        readonly=False,
    )
    date_deadline = fields.Date(string="Deadline", tracking=True)
    done = fields.Boolean(tracking=True)
    date_done = fields.Datetime(readonly=True)
    description = fields.Html()
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    color = fields.Integer()

    @api.depends("case_id")
    def _compute_user_id(self):
        for task in self:
            if not task.user_id:
                task.user_id = task.case_id.user_id

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.is_overdue = not task.done and task.date_deadline and task.date_deadline < today

    def _search_is_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [("done", "=", False), ("date_deadline", "<", today)]
        positive = (operator == "=") == bool(value)
        return domain if positive else ["!", "&", *domain]

    def write(self, vals):
        if "done" in vals:
            vals["date_done"] = fields.Datetime.now() if vals["done"] else False
        return super().write(vals)

    def action_done(self):
        self.write({"done": True})
        return True
