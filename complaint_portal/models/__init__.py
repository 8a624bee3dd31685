from . import complaint_case
from . import complaint_form_attempt
from . import complaint_intake
from . import complaint_type
from . import ir_config_parameter
