from . import test_crons
from . import test_sla
from . import test_stages
