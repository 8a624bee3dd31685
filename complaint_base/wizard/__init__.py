from . import complaint_case_call
