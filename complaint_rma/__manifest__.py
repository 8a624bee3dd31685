# Copyright 2026 Complaint Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Complaints: Returns and Settlement",
    "summary": "Returns within a window, delivery discrepancies verified by the "
    "warehouse, return pickings, replacements and credit notes per claimed line",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-suite/complaint-suite",
    "author": "Complaint Suite contributors",
    "maintainers": ["complaint-suite"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "complaint_workflow",
        "stock",
        "account",
        "sale_stock",
    ],
    "data": [
        "security/complaint_rma_security.xml",
        "security/ir.model.access.csv",
        "views/complaint_rma_menus.xml",
        "data/complaint_stage_data.xml",
        "views/complaint_case_return_views.xml",
        "views/complaint_case_discrepancy_views.xml",
        "views/stock_picking_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/complaint_case_settlement_views.xml",
        "views/complaint_case_supplier_views.xml",
        "views/account_move_views.xml",
        "wizard/complaint_case_settle_views.xml",
    ],
    "pre_init_hook": "pre_init_hook",
    "demo": [
        "demo/complaint_rma_demo.xml",
        "demo/complaint_rma_settlement_demo.xml",
    ],
}
