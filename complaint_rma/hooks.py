from odoo.tools.sql import column_exists, create_column


def pre_init_hook(env):
    """Create the invoice lines' credited quantity column (empty reads as 0)
    before the ORM sees it: computing it for every journal item of a large
    database at install would take long, and no complaint credit note exists
    yet."""
    if not column_exists(env.cr, "account_move_line", "complaint_qty_credited"):
        create_column(env.cr, "account_move_line", "complaint_qty_credited", "numeric")
