# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Complaints: ERP Exchange of Returns and Settlement",
    "summary": "Send the credit notes and supplier claims of complaint cases to the external ERP",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-suite/complaint-suite",
    "author": "Complaint Suite contributors",
    "maintainers": ["complaint-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": [
        "complaint_erp_sync",
        "complaint_rma",
    ],
    "data": [
        "views/complaint_erp_exchange_views.xml",
    ],
    "auto_install": True,
}
