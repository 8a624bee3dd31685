# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Complaints: Returns to Repair",
    "summary": "Repair orders for returned items inspected as 'repair'",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-suite/complaint-suite",
    "author": "Complaint Suite contributors",
    "maintainers": ["complaint-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "complaint_rma",
        "repair",
    ],
    "data": [
        "views/complaint_case_views.xml",
    ],
    "auto_install": True,
}
