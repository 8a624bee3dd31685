from odoo import fields, models
from odoo.exceptions import AccessError


class DigestDigest(models.Model):
    _inherit = "digest.digest"

    kpi_complaint_received = fields.Boolean(string="Complaints Received")
    kpi_complaint_received_value = fields.Integer(
        compute="_compute_kpi_complaint_received_value", export_string_translation=False
    )
    kpi_complaint_closed = fields.Boolean(string="Complaints Closed")
    kpi_complaint_closed_value = fields.Integer(
        compute="_compute_kpi_complaint_closed_value", export_string_translation=False
    )
    kpi_complaint_cost = fields.Boolean(string="Cost of Complaints")
    kpi_complaint_cost_value = fields.Monetary(
        compute="_compute_kpi_complaint_cost_value", export_string_translation=False
    )
    kpi_complaint_sla_breached = fields.Boolean(string="Complaints Past their SLA")
    kpi_complaint_sla_breached_value = fields.Integer(
        compute="_compute_kpi_complaint_sla_breached_value", export_string_translation=False
    )

    def _check_complaint_access(self):
        if not self.env.user.has_group("complaint_base.group_complaint_manager"):
            raise AccessError(
                self.env._("Do not have access, skip this data for user's digest email")
            )

    def _compute_kpi_complaint_received_value(self):
        self._check_complaint_access()
        self._calculate_company_based_kpi(
            "complaint.case", "kpi_complaint_received_value", date_field="date_received"
        )

    def _compute_kpi_complaint_closed_value(self):
        self._check_complaint_access()
        self._calculate_company_based_kpi(
            "complaint.case",
            "kpi_complaint_closed_value",
            date_field="date_closed",
            additional_domain=[("state", "=", "closed")],
        )

    def _compute_kpi_complaint_cost_value(self):
        self._check_complaint_access()
        self._calculate_company_based_kpi(
            "complaint.cost.line",
            "kpi_complaint_cost_value",
            date_field="date",
            sum_field="amount_company",
        )

    def _compute_kpi_complaint_sla_breached_value(self):
        self._check_complaint_access()
        self._calculate_company_based_kpi(
            "complaint.sla.line",
            "kpi_complaint_sla_breached_value",
            date_field="date_reached",
            additional_domain=[("state", "=", "breached")],
        )

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("complaint_base.complaint_menu_root").id
        res["kpi_complaint_received"] = f"complaint_base.complaint_case_action?menu_id={menu}"
        res["kpi_complaint_closed"] = f"complaint_base.complaint_case_action?menu_id={menu}"
        res["kpi_complaint_cost"] = f"complaint_base.complaint_cost_line_action?menu_id={menu}"
        res["kpi_complaint_sla_breached"] = f"complaint_base.complaint_case_action?menu_id={menu}"
        return res
