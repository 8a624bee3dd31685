from . import complaint_portal_readable_mixin
from . import complaint_case
from . import complaint_case_line
from . import complaint_case_portal_fields
from . import complaint_form_attempt
from . import complaint_intake
from . import complaint_type
from . import ir_config_parameter
