# queue_job 18.0.4.x's test helpers register themselves in a table of Odoo's
# test framework that Odoo 18.0 sources older than mid-2025 lack
from odoo.tests import common as odoo_common

if not hasattr(odoo_common, "SETATTR_SOURCES"):
    odoo_common.SETATTR_SOURCES = {}
