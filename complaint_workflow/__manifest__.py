# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Complaints: Workflow, Deadlines and SLA",
    "summary": "Stages with deadlines and owners, deputies, SLA policies, statutory clock, "
    "routing, approvals, decisions, reminders and escalation",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-suite/complaint-suite",
    "author": "Complaint Suite contributors",
    "maintainers": ["complaint-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "complaint_base",
        "resource",
        "sms",
    ],
    "data": [
        "security/complaint_workflow_security.xml",
        "security/ir.model.access.csv",
        "data/mail_data.xml",
        "data/mail_template_data.xml",
        "data/complaint_stage_data.xml",
        "data/complaint_sla_policy_data.xml",
        "data/ir_cron_data.xml",
        "wizard/complaint_case_decide_views.xml",
        "wizard/complaint_case_request_completion_views.xml",
        "wizard/complaint_approval_answer_views.xml",
        "views/complaint_stage_views.xml",
        "views/complaint_sla_policy_views.xml",
        "views/complaint_routing_rule_views.xml",
        "views/complaint_approval_rule_views.xml",
        "views/complaint_task_views.xml",
        "views/complaint_case_views.xml",
        "views/complaint_team_views.xml",
        "views/res_users_views.xml",
        "views/mail_template_views.xml",
        "views/complaint_workflow_menus.xml",
    ],
    "post_init_hook": "post_init_hook",
    "demo": [
        "demo/complaint_workflow_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "complaint_workflow/static/src/js/mail_composer_template_selector.js",
        ],
        "web.assets_tests": [
            "complaint_workflow/static/tests/tours/*.js",
        ],
    },
}
