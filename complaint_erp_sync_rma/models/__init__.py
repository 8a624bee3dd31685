from . import complaint_erp_exchange
from . import complaint_case
from . import account_move
