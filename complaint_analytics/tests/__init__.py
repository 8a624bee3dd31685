from . import test_kpis
from . import test_reports
from . import test_exports
