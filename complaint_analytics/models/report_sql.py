"""The SELECTs that fill the analysis tables. Set-based (one aggregate per
source table, joined on the case) so that a full refresh scans each table
once; ``case_ids`` narrows every source to the changed cases for the
incremental refresh."""

from odoo.tools import SQL

from odoo.addons.complaint_base.models.complaint_cost_line import COST_TYPES

ONLINE_CHANNELS = ("portal", "web_form", "api")
# what the analyses read of a case (not its description or chatter fields)
CASE_COLUMNS = SQL(", ").join(
    SQL.identifier("c", name)
    for name in (
        "id",
        "name",
        "company_id",
        "commercial_partner_id",
        "user_id",
        "team_id",
        "type_id",
        "reason_id",
        "root_cause_id",
        "severity",
        "priority",
        "channel",
        "state",
        "stage_id",
        "decision",
        "warehouse_id",
        "department_id",
        "date_received",
        "date_decision",
        "date_closed",
        "date_deadline",
        "cost_total",
        "effective_hours",
        "sla_status",
        "deemed_accepted",
    )
)


def _only(column, case_ids):
    return SQL("TRUE") if case_ids is None else SQL("%s = ANY(%s)", column, list(case_ids))


def _repeat_serial(line_alias, case_alias):
    """The item's serial was claimed in an earlier case."""
    return SQL(
        """(%(line)s.lot_id IS NOT NULL AND EXISTS(
               SELECT 1
                 FROM complaint_case_line earlier
                 JOIN complaint_case ec ON ec.id = earlier.case_id
                WHERE earlier.lot_id = %(line)s.lot_id
                  AND ec.id != %(case)s.id
                  AND (ec.date_received, ec.id) < (%(case)s.date_received, %(case)s.id)))""",
        line=SQL.identifier(line_alias),
        case=SQL.identifier(case_alias),
    )


def _extra(columns):
    """``, col AS name, ...`` of the columns a glue add-on adds (or nothing)."""
    return SQL("").join(SQL(", %s", column) for column in columns or ())


def case_report_select(env, now, case_ids=None, extra_columns=None):
    cost_columns = SQL(", ").join(
        SQL(
            "SUM(cost.amount_company) FILTER (WHERE cost.cost_type = %s) AS %s",
            cost_type,
            SQL.identifier(f"cost_{cost_type}"),
        )
        for cost_type, _label in COST_TYPES
    )
    cost_values = SQL(", ").join(
        SQL("COALESCE(costs.%s, 0) AS %s", *[SQL.identifier(f"cost_{cost_type}")] * 2)
        for cost_type, _label in COST_TYPES
    )

    def waiting(until):
        # hours of a waiting stay between the receipt and ``until``
        return SQL(
            """GREATEST(0, EXTRACT(EPOCH FROM
                 LEAST(COALESCE(sl.date_end, %s), %s)
                 - GREATEST(sl.date_start, c.date_received)) / 3600)""",
            now,
            until,
        )

    return SQL(
        """
        WITH cases AS (
            SELECT %(case_columns)s FROM complaint_case c WHERE %(only_case)s
        ), main AS (
            SELECT DISTINCT ON (line.case_id) line.case_id, line.product_id, template.categ_id
              FROM complaint_case_line line
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE %(only_line)s
          ORDER BY line.case_id, line.sequence, line.id
        ), items AS (
            SELECT line.case_id, COUNT(*) AS line_count, SUM(line.quantity) AS quantity,
                   BOOL_OR(%(repeat)s) AS repeat_serial
              FROM complaint_case_line line
              JOIN cases c ON c.id = line.case_id
             WHERE %(only_line)s
          GROUP BY line.case_id
        ), costs AS (
            SELECT cost.case_id, %(cost_columns)s
              FROM complaint_cost_line cost
             WHERE %(only_cost)s
          GROUP BY cost.case_id
        ), message AS (
            SELECT message.res_id AS case_id, MIN(message.date) AS date_message
              FROM mail_message message
              JOIN res_users author ON author.partner_id = message.author_id
             WHERE message.model = 'complaint.case'
               AND message.message_type = 'comment'
               AND message.subtype_id = %(comment_subtype)s
               AND NOT author.share
               AND %(only_message)s
          GROUP BY message.res_id
        ), answer AS (
            SELECT c.id AS case_id,
                   LEAST(message.date_message, c.date_decision) AS date_first_answer
              FROM cases c
              LEFT JOIN message ON message.case_id = c.id
        ), waiting AS (
            SELECT sl.case_id,
                   SUM(%(waiting_total)s) AS total,
                   SUM(%(waiting_answer)s) AS to_answer,
                   SUM(%(waiting_decision)s) AS to_decision,
                   SUM(%(waiting_close)s) AS to_close
              FROM complaint_stage_log sl
              JOIN complaint_stage stage ON stage.id = sl.stage_id AND stage.state = 'waiting'
              JOIN cases c ON c.id = sl.case_id
              JOIN answer ON answer.case_id = c.id
             WHERE %(only_log)s
          GROUP BY sl.case_id
        ), reopen AS (
            SELECT DISTINCT done.case_id
              FROM complaint_stage_log done
              JOIN complaint_stage done_stage ON done_stage.id = done.stage_id
              JOIN complaint_stage_log again ON again.case_id = done.case_id
                   AND again.date_start >= done.date_start AND again.id > done.id
              JOIN complaint_stage again_stage ON again_stage.id = again.stage_id
             WHERE done_stage.state IN ('decided', 'closed')
               AND again_stage.state NOT IN ('decided', 'closed', 'cancelled')
               AND %(only_reopen)s
        )
        SELECT
            c.id AS id,
            c.id AS case_id,
            c.name AS name,
            c.company_id AS company_id,
            c.commercial_partner_id AS partner_id,
            c.user_id AS user_id,
            c.team_id AS team_id,
            c.type_id AS type_id,
            c.reason_id AS reason_id,
            c.root_cause_id AS root_cause_id,
            c.severity AS severity,
            c.priority AS priority,
            c.channel AS channel,
            c.state AS state,
            c.stage_id AS stage_id,
            c.decision AS decision,
            c.warehouse_id AS warehouse_id,
            c.department_id AS department_id,
            main.product_id AS product_id,
            main.categ_id AS product_categ_id,
            c.date_received AS date_received,
            answer.date_first_answer AS date_first_answer,
            c.date_decision AS date_decision,
            c.date_closed AS date_closed,
            c.date_deadline AS date_deadline,
            1 AS nbr,
            CASE WHEN c.state IN ('closed', 'cancelled') THEN 0 ELSE 1 END AS open_count,
            CASE WHEN c.state NOT IN ('closed', 'cancelled') AND c.date_deadline < %(now)s
                 THEN 1 ELSE 0 END AS overdue_count,
            COALESCE(items.line_count, 0) AS line_count,
            COALESCE(items.quantity, 0) AS quantity,
            COALESCE(c.cost_total, 0) AS cost_total,
            %(cost_values)s,
            COALESCE(c.effective_hours, 0) AS effective_hours,
            EXTRACT(EPOCH FROM answer.date_first_answer - c.date_received) / 3600
                - COALESCE(waiting.to_answer, 0) AS hours_to_first_answer,
            EXTRACT(EPOCH FROM c.date_decision - c.date_received) / 3600
                - COALESCE(waiting.to_decision, 0) AS hours_to_decision,
            EXTRACT(EPOCH FROM c.date_closed - c.date_received) / 3600
                - COALESCE(waiting.to_close, 0) AS hours_to_close,
            COALESCE(waiting.total, 0) AS waiting_hours,
            TRUE AS work_hours_pending,
            NULL::float AS work_hours_to_first_answer,
            NULL::float AS work_hours_to_decision,
            NULL::float AS work_hours_to_close,
            NULL::float AS work_waiting_hours,
            COALESCE(c.sla_status, 'none') AS sla_status,
            CASE WHEN c.sla_status = 'met' THEN 1 ELSE 0 END AS sla_met,
            CASE WHEN c.sla_status = 'breached' THEN 1 ELSE 0 END AS sla_breached,
            CASE c.sla_status WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0 END
                AS sla_compliance,
            CASE WHEN c.deemed_accepted THEN 1 ELSE 0 END AS deemed_accepted,
            CASE WHEN reopen.case_id IS NOT NULL THEN 1 ELSE 0 END AS reopened,
            CASE WHEN reopen.case_id IS NOT NULL THEN 100.0 ELSE 0.0 END AS reopen_rate,
            CASE WHEN items.repeat_serial THEN 1 ELSE 0 END AS repeat_serial,
            CASE WHEN c.channel IN %(online)s THEN 100.0 ELSE 0.0 END AS online_share
            %(extra)s
        FROM cases c
        LEFT JOIN main ON main.case_id = c.id
        LEFT JOIN items ON items.case_id = c.id
        LEFT JOIN costs ON costs.case_id = c.id
        JOIN answer ON answer.case_id = c.id
        LEFT JOIN waiting ON waiting.case_id = c.id
        LEFT JOIN reopen ON reopen.case_id = c.id
        """,
        now=now,
        online=ONLINE_CHANNELS,
        extra=_extra(extra_columns),
        case_columns=CASE_COLUMNS,
        only_case=_only(SQL("c.id"), case_ids),
        only_line=_only(SQL("line.case_id"), case_ids),
        only_cost=_only(SQL("cost.case_id"), case_ids),
        only_message=_only(SQL("message.res_id"), case_ids),
        only_reopen=_only(SQL("done.case_id"), case_ids),
        only_log=_only(SQL("sl.case_id"), case_ids),
        repeat=_repeat_serial("line", "c"),
        cost_columns=cost_columns,
        cost_values=cost_values,
        comment_subtype=env.ref("mail.mt_comment").id,
        waiting_total=waiting(now),
        waiting_answer=waiting(SQL("answer.date_first_answer")),
        waiting_decision=waiting(SQL("c.date_decision")),
        waiting_close=waiting(SQL("c.date_closed")),
    )


def line_report_select(case_ids=None, extra_columns=None):
    return SQL(
        """
        WITH cases AS (
            SELECT %(case_columns)s FROM complaint_case c WHERE %(only_case)s
        ), counts AS (
            SELECT line.case_id, COUNT(*) AS line_count
              FROM complaint_case_line line
             WHERE %(only_line)s
          GROUP BY line.case_id
        )
        SELECT
            line.id AS id,
            line.id AS line_id,
            line.case_id AS case_id,
            c.company_id AS company_id,
            line.product_id AS product_id,
            template.categ_id AS product_categ_id,
            line.lot_id AS lot_id,
            c.commercial_partner_id AS partner_id,
            c.user_id AS user_id,
            c.team_id AS team_id,
            c.type_id AS type_id,
            c.reason_id AS reason_id,
            c.root_cause_id AS root_cause_id,
            c.severity AS severity,
            c.channel AS channel,
            c.state AS state,
            c.warehouse_id AS warehouse_id,
            c.department_id AS department_id,
            c.date_received AS date_received,
            1 AS nbr,
            line.quantity AS quantity,
            1.0 / counts.line_count AS case_share,
            COALESCE(c.cost_total, 0) / counts.line_count AS cost_share,
            CASE WHEN %(repeat)s THEN 1 ELSE 0 END AS repeat_serial
            %(extra)s
        FROM complaint_case_line line
        JOIN cases c ON c.id = line.case_id
        JOIN counts ON counts.case_id = line.case_id
        LEFT JOIN product_product product ON product.id = line.product_id
        LEFT JOIN product_template template ON template.id = product.product_tmpl_id
        WHERE %(only_line)s
        """,
        case_columns=CASE_COLUMNS,
        only_case=_only(SQL("c.id"), case_ids),
        only_line=_only(SQL("line.case_id"), case_ids),
        repeat=_repeat_serial("line", "c"),
        extra=_extra(extra_columns),
    )
