from . import complaint_approval_answer
from . import complaint_case_decide
from . import complaint_case_request_completion
