from . import test_erp_sync_rma
