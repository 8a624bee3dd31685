# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Complaints: Analytics of Returns and Settlements",
    "summary": "Settled amounts, settlement status, returned and credited quantities "
    "and inspection results in the complaint analyses and KPIs",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-suite/complaint-suite",
    "author": "Complaint Suite contributors",
    "maintainers": ["complaint-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "complaint_analytics",
        "complaint_rma",
    ],
    "data": [
        "views/complaint_case_report_views.xml",
        "views/complaint_case_line_report_views.xml",
    ],
    "auto_install": True,
}
