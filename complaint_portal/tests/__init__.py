from . import test_portal_doors_matrix
from . import test_portal_field_access
from . import test_portal_http
from . import test_portal_security
from . import test_portal_tours
from . import test_public_form
