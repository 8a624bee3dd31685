from . import complaint_case_line
from . import complaint_case
