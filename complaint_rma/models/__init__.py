# the case's concerns, each in its own mixin file, joined in complaint_case.py
from . import complaint_case_return
from . import complaint_case_discrepancy
from . import complaint_case_settlement
from . import complaint_case_supplier
from . import complaint_case
from . import complaint_case_line_return
from . import complaint_case_line_settlement
from . import complaint_case_line_discrepancy
from . import complaint_case_line
from . import stock_picking
from . import account_move
from . import stock_move
from . import res_company
from . import res_config_settings
from . import res_partner
from . import account_move_line
from . import complaint_cost_line
