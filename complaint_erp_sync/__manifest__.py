# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Complaints: ERP Exchange",
    "summary": "Exchange customers, products, serials and invoices with an external ERP "
    "and send case results back, on OCA queue_job",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-suite/complaint-suite",
    "author": "Complaint Suite contributors",
    "maintainers": ["complaint-suite"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": [
        "complaint_base",
        "queue_job",
    ],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/complaint_erp_security.xml",
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "views/complaint_erp_backend_views.xml",
        "views/complaint_erp_binding_views.xml",
        "views/complaint_erp_exchange_views.xml",
        "views/complaint_case_views.xml",
        "views/complaint_erp_menus.xml",
    ],
    "demo": [
        "demo/complaint_erp_demo.xml",
    ],
}
