from . import complaint_analytics_kpi
from . import complaint_case_line_report
from . import complaint_case_report
