from . import complaint_case_criteria  # abstract: before the models inheriting it
from . import complaint_approval
from . import complaint_approval_rule
from . import complaint_approval_rule_step
from . import complaint_case_deadline  # mixins: before complaint_case
from . import complaint_case_decision
from . import complaint_case
from . import complaint_routing_rule
from . import complaint_sla_line
from . import complaint_sla_policy
from . import complaint_stage
from . import complaint_stage_log
from . import complaint_task
from . import complaint_task_template
from . import complaint_team
from . import complaint_timesheet
from . import res_users
from . import resource_calendar
from . import mail_template
