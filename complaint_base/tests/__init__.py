from . import test_complaint_case
from . import test_complaint_invoice
from . import test_mail_gateway
from . import test_performance
from . import test_phone
from . import test_security
from . import test_serial_history
