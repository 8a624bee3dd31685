from . import complaint_case_settle
from . import complaint_case_settle_line
