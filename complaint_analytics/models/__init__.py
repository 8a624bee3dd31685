from . import complaint_report_table
from . import complaint_case_line_report
from . import complaint_case_report
from . import complaint_stage_report
from . import complaint_analytics_kpi
from . import complaint_case
from . import digest_digest
from . import complaint_kpi_workbook
