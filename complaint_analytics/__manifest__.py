# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Complaints: Analytics, Dashboard and KPIs",
    "summary": "Case and item reports with costs and handling times, time per stage, "
    "KPIs, a dashboard, a stage timeline, a monthly KPI workbook and a weekly digest",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-suite/complaint-suite",
    "author": "Complaint Suite contributors",
    "maintainers": ["complaint-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "complaint_workflow",
        "digest",
        "spreadsheet_dashboard",
        "web_timeline",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/complaint_analytics_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/digest_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        "views/complaint_case_report_views.xml",
        "views/complaint_case_line_report_views.xml",
        "views/complaint_stage_report_views.xml",
        "views/complaint_stage_log_views.xml",
        "views/complaint_case_views.xml",
        "views/digest_digest_views.xml",
        "views/complaint_analytics_menus.xml",
    ],
    "demo": [
        "demo/complaint_analytics_demo.xml",
    ],
}
