from . import test_completion
from . import test_crons
from . import test_deadline_time
from . import test_decisions
from . import test_deputies
from . import test_routing
from . import test_sla
from . import test_stages
