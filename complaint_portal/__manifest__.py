# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Complaints: Customer Portal",
    "summary": "Customers file, complete and follow their claims in the portal; "
    "public e-form and JSON endpoint for the company's website",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-suite/complaint-suite",
    "author": "Complaint Suite contributors",
    "maintainers": ["complaint-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "complaint_workflow",
        "portal",
        "account",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/complaint_portal_security.xml",
        "data/complaint_type_data.xml",
        "data/mail_template_data.xml",
        "views/complaint_type_views.xml",
        "views/complaint_form_attempt_views.xml",
        "views/complaint_portal_templates.xml",
        "views/complaint_public_templates.xml",
        "views/complaint_confirm_templates.xml",
        "report/complaint_case_report.xml",
        "report/complaint_case_report_templates.xml",
    ],
    "demo": [
        "demo/complaint_portal_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "complaint_portal/static/src/js/complaint_portal_form.js",
        ],
        "web.assets_tests": [
            "complaint_portal/static/tests/tours/*.js",
        ],
    },
}
