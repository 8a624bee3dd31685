from . import test_return_window
from . import test_return_picking
from . import test_discrepancy
from . import test_rma_http
from . import test_return_concurrency
