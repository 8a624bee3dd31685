from odoo import fields, models, tools
from odoo.tools import SQL


class ComplaintStageReport(models.Model):
    """Time spent in each stage, from the stage history: a live view (the
    history is stored and indexed by case), with the case's dimensions."""

    _name = "complaint.stage.report"
    _description = "Time per Stage Analysis"
    _auto = False
    _order = "date_start desc, id desc"
    _rec_name = "stage_id"

    log_id = fields.Many2one(comodel_name="complaint.stage.log", readonly=True)
    case_id = fields.Many2one(comodel_name="complaint.case", string="Case", readonly=True)
    stage_id = fields.Many2one(comodel_name="complaint.stage", string="Stage", readonly=True)
    stage_state = fields.Selection(
        selection=lambda self: (
            self.env["complaint.case"]._fields["state"]._description_selection(self.env)
        ),
        string="Lifecycle Status",
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Handler",
        readonly=True,
        help="Who had the case in this stage.",
    )
    team_id = fields.Many2one(comodel_name="complaint.team", string="Team", readonly=True)
    type_id = fields.Many2one(comodel_name="complaint.type", string="Type", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    reason_id = fields.Many2one(comodel_name="complaint.reason", string="Reason", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    date_received = fields.Datetime(string="Case Received On", readonly=True)
    date_start = fields.Datetime(string="Entered On", readonly=True)
    date_end = fields.Datetime(string="Left On", readonly=True)
    is_current = fields.Boolean(string="Current Stage", readonly=True)
    nbr = fields.Integer(string="# Passages", readonly=True)
    duration_hours = fields.Float(
        string="Hours in Stage",
        aggregator="avg",
        readonly=True,
        help="Time in the stage; for the current stage, up to now.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                SELECT
                    sl.id AS id,
                    sl.id AS log_id,
                    sl.case_id AS case_id,
                    sl.stage_id AS stage_id,
                    stage.state AS stage_state,
                    COALESCE(sl.user_id, c.user_id) AS user_id,
                    c.team_id AS team_id,
                    c.type_id AS type_id,
                    c.commercial_partner_id AS partner_id,
                    c.reason_id AS reason_id,
                    c.company_id AS company_id,
                    c.date_received AS date_received,
                    sl.date_start AS date_start,
                    sl.date_end AS date_end,
                    sl.date_end IS NULL AS is_current,
                    1 AS nbr,
                    EXTRACT(EPOCH FROM COALESCE(sl.date_end, NOW() AT TIME ZONE 'UTC')
                        - sl.date_start) / 3600 AS duration_hours
                FROM complaint_stage_log sl
                JOIN complaint_case c ON c.id = sl.case_id
                JOIN complaint_stage stage ON stage.id = sl.stage_id
                )
                """,
                SQL.identifier(self._table),
            )
        )
