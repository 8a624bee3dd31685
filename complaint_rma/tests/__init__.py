from . import test_settlement
from . import test_settlement_concurrency
from . import test_settlement_rpc
from . import test_supplier_claim
