from . import complaint_case_call
from . import complaint_integration_key
