from . import test_form_attempt
from . import test_portal_http
from . import test_portal_security
from . import test_portal_tours
from . import test_public_form
from . import test_status_lookup
from . import test_photo_instructions
