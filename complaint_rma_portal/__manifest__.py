# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Complaints: Returns and Settlement in the Portal",
    "summary": "Customers follow the receipt of their returns and the credit notes "
    "of their claims on the claim page",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-suite/complaint-suite",
    "author": "Complaint Suite contributors",
    "maintainers": ["complaint-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "complaint_rma",
        "complaint_portal",
    ],
    "data": [
        "views/complaint_portal_templates.xml",
    ],
    "auto_install": True,
}
