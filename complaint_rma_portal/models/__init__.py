from . import complaint_case
from . import complaint_case_line
