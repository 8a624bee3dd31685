"""Daily rollups of the analysis tables: what answers a pivot, a graph or the
dashboard over a million cases in milliseconds.

A rollup is a plain table with one row per local day (in each time zone the
analysts work in), per combination of a few dimensions (``_rollups`` of the
analysis), holding for every measure its sum and its count of non-empty
values, so that sums, counts and averages of any set of days add up exactly.
``_read_group`` reads a rollup instead of the analysis when every field the
request groups, filters or orders by (record rules included) is a dimension
of the rollup and its date filters fall on day boundaries, as the search
view's and the dashboard's periods do; anything else reads the analysis.

The rows of a rollup are refreshed with the analysis (``_refresh``): the rows
of the changed cases are counted out before the change and in after it, and
the net change is added to the rollup's rows.
"""

import datetime

import pytz

from odoo import fields
from odoo.models import (
    READ_GROUP_NUMBER_GRANULARITY,
    READ_GROUP_TIME_GRANULARITY,
    parse_read_group_spec,
)
from odoo.osv import expression
from odoo.tools import SQL

ROLLUP_DATE = "date_received"
ROLLUP_AGGREGATES = ("sum", "avg", "count")
# granularities that a local day determines
ROLLUP_GRANULARITIES = (set(READ_GROUP_TIME_GRANULARITY) | set(READ_GROUP_NUMBER_GRANULARITY)) - {
    "hour",
    "hour_number",
    "minute_number",
    "second_number",
}
# the analysis's date filter operators and the local time of day at which
# each one falls on a day boundary
DAY_BOUNDARY = {">=": (0, 0, 0), "<": (0, 0, 0), "<=": (23, 59, 59), ">": (23, 59, 59)}


def rollup_table(model, name):
    return f"{model._table}__{name}"


def rollup_measures(model):
    """The stored numeric fields of ``model`` that are not dimensions."""
    return [
        name
        for name, field in model._fields.items()
        if field.store and field.type in ("integer", "float", "monetary") and name != "id"
    ]


def create_rollup_tables(model):
    cr = model.env.cr
    for name, dims in model._rollups.items():
        table = SQL.identifier(rollup_table(model, name))
        columns = [SQL("tz varchar NOT NULL"), SQL("%s timestamp", SQL.identifier(ROLLUP_DATE))]
        columns += [
            SQL("%s %s", SQL.identifier(dim), SQL(model._fields[dim].column_type[1]))
            for dim in dims
        ]
        columns.append(SQL("row_count integer"))
        for measure in rollup_measures(model):
            # integers stay integers, so that their sums read as in the analysis
            column_type = "integer" if model._fields[measure].type == "integer" else "float"
            columns.append(SQL("%s %s", SQL.identifier(measure), SQL(column_type)))
            columns.append(SQL("%s integer", SQL.identifier(f"{measure}__n")))
        cr.execute(SQL("DROP TABLE IF EXISTS %s", table))
        cr.execute(SQL("CREATE TABLE %s (%s)", table, SQL(", ").join(columns)))
        # one row per key, even when two transactions add the same new key
        # (a second row would take every later net change twice); an empty
        # dimension is 0 or '', which no id and no selection value is
        keys = [SQL("tz"), SQL.identifier(ROLLUP_DATE)] + [
            SQL(
                "COALESCE(%s, %s)",
                SQL.identifier(dim),
                0 if model._fields[dim].column_type[1] == "int4" else "",
            )
            for dim in dims
        ]
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON %s (%s)",
                SQL.identifier(f"{rollup_table(model, name)}_key_index"),
                table,
                SQL(", ").join(keys),
            )
        )


def _local_day(tz, column):
    """UTC start of the local day of ``column`` in time zone ``tz`` (SQL)."""
    return SQL(
        "timezone('UTC', timezone(%(tz)s, date_trunc('day', timezone(%(tz)s, "
        "timezone('UTC', %(column)s)))))",
        tz=tz,
        column=column,
    )


def _rollup_select(model, dims, tz, source, join=None, sign=1):
    """SELECT of the rollup rows of ``source`` (an alias of the analysis
    table, read in ``tz``), counted ``sign`` times."""
    column = SQL.identifier(source, ROLLUP_DATE)
    keys = [tz, _local_day(tz, column), *(SQL.identifier(source, dim) for dim in dims)]
    values = [SQL("%s * COUNT(*)", sign)]
    for measure in rollup_measures(model):
        value = SQL.identifier(source, measure)
        values += [SQL("%s * SUM(%s)", sign, value), SQL("%s * COUNT(%s)", sign, value)]
    return SQL(
        "SELECT %s, %s FROM %s %s %s GROUP BY %s",
        SQL(", ").join(keys),
        SQL(", ").join(values),
        SQL.identifier(model._table),
        SQL.identifier(source),
        join or SQL(),
        SQL(", ").join(SQL(str(position)) for position in range(1, len(keys) + 1)),
    )


def _rollup_columns(model, dims):
    names = ["tz", ROLLUP_DATE, *dims, "row_count"]
    for measure in rollup_measures(model):
        names += [measure, f"{measure}__n"]
    return SQL(", ").join(map(SQL.identifier, names))


def rebuild_rollups(model, timezones):
    """Every row of every rollup of ``model``, in each of ``timezones``."""
    cr = model.env.cr
    for name, dims in model._rollups.items():
        table = SQL.identifier(rollup_table(model, name))
        cr.execute(SQL("TRUNCATE %s", table))
        for tz in timezones:
            cr.execute(
                SQL(
                    "INSERT INTO %s (%s) %s",
                    table,
                    _rollup_columns(model, dims),
                    _rollup_select(model, dims, SQL("%s::varchar", tz), "row"),
                )
            )
        cr.execute(SQL("ANALYZE %s", table))


def _delta_table(model, name):
    return SQL.identifier(f"{rollup_table(model, name)}__delta")


def collect_rollup_delta(model, case_ids, timezones, sign):
    """Add the rows of ``case_ids`` to the pending change of the rollups of
    ``model``: counted out (``sign`` -1) before their rows change, in (+1)
    after; ``apply_rollup_delta`` applies the net change."""
    cr = model.env.cr
    for name, dims in model._rollups.items():
        delta = _delta_table(model, name)
        cr.execute(
            SQL(
                "CREATE TEMP TABLE IF NOT EXISTS %s (LIKE %s) ON COMMIT DROP",
                delta,
                SQL.identifier(rollup_table(model, name)),
            )
        )
        select = _rollup_select(
            model,
            dims,
            SQL("zone.tz"),
            "row",
            SQL(
                ", unnest(%s::varchar[]) zone(tz) WHERE row.case_id = ANY(%s)",
                list(timezones),
                list(case_ids),
            ),
            sign=sign,
        )
        cr.execute(SQL("INSERT INTO %s (%s) %s", delta, _rollup_columns(model, dims), select))


def apply_rollup_delta(model):
    """Add the net pending change to the rollups' rows: a few rows per
    changed case, whatever the size of the analysis."""
    cr = model.env.cr
    measures = rollup_measures(model)
    for name, dims in model._rollups.items():
        delta = _delta_table(model, name)
        cr.execute("SELECT to_regclass(%s)", [f"pg_temp.{rollup_table(model, name)}__delta"])
        if not cr.fetchone()[0]:
            continue
        table = SQL.identifier(rollup_table(model, name))
        keys = ["tz", ROLLUP_DATE, *dims]
        counts = ["row_count", *(f"{measure}__n" for measure in measures)]

        def same_key(left, right, keys=keys):
            return SQL(" AND ").join(
                SQL(
                    "%s IS NOT DISTINCT FROM %s",
                    SQL.identifier(left, key),
                    SQL.identifier(right, key),
                )
                for key in keys
            )

        updates = [
            SQL("%s = rollup.%s + net.%s", *[SQL.identifier(column)] * 3) for column in counts
        ]
        # a measure without any value left is empty, not 0
        updates += [
            SQL(
                "%(m)s = CASE WHEN rollup.%(n)s + net.%(n)s = 0 THEN NULL "
                "ELSE COALESCE(rollup.%(m)s, 0) + COALESCE(net.%(m)s, 0) END",
                m=SQL.identifier(measure),
                n=SQL.identifier(f"{measure}__n"),
            )
            for measure in measures
        ]
        cr.execute(
            SQL(
                """WITH net AS (SELECT %(keys)s, %(sums)s FROM %(delta)s GROUP BY %(keys)s),
                        updated AS (UPDATE %(table)s rollup SET %(updates)s FROM net
                                     WHERE rollup.tz = net.tz AND rollup.%(date)s = net.%(date)s
                                       AND %(same_net)s
                                 RETURNING rollup.*)
                   INSERT INTO %(table)s (%(columns)s)
                   SELECT %(columns)s FROM net
                    WHERE net.row_count > 0
                      AND NOT EXISTS (SELECT 1 FROM updated WHERE %(same_updated)s)""",
                keys=SQL(", ").join(map(SQL.identifier, keys)),
                sums=SQL(", ").join(
                    SQL("SUM(%s) AS %s", *[SQL.identifier(column)] * 2)
                    for column in [*counts, *measures]
                ),
                delta=delta,
                table=table,
                updates=SQL(", ").join(updates),
                date=SQL.identifier(ROLLUP_DATE),
                same_net=same_key("rollup", "net", keys=dims),
                columns=_rollup_columns(model, dims),
                same_updated=same_key("updated", "net"),
            )
        )
        cr.execute(
            SQL(
                """DELETE FROM %s rollup USING (SELECT DISTINCT tz, %s AS day FROM %s) changed
                    WHERE rollup.tz = changed.tz AND rollup.%s = changed.day
                      AND rollup.row_count = 0""",
                table,
                SQL.identifier(ROLLUP_DATE),
                delta,
                SQL.identifier(ROLLUP_DATE),
            )
        )
        cr.execute(SQL("TRUNCATE %s", delta))


# ---------------------------------------------------------------- planning
def _domain_tree(domain):
    """(operator, children) or a leaf, of a normalized prefix domain."""
    items = list(expression.normalize_domain(domain))

    def parse():
        item = items.pop(0)
        if item == expression.NOT_OPERATOR:
            return ("!", [parse()])
        if item in (expression.AND_OPERATOR, expression.OR_OPERATOR):
            return (item, [parse(), parse()])
        return tuple(item)

    return parse()


def _simplify(node):
    """``node`` without the branches that always hold (the ``(1, '=', 1)``
    of a manager's record rule OR-ed with a user's): True when it always
    holds."""
    if node in (expression.TRUE_LEAF, tuple(expression.TRUE_LEAF)):
        return True
    if len(node) != 2 or node[0] not in ("!", "&", "|"):
        return node
    operator, children = node
    children = [_simplify(child) for child in children]
    if operator == "|" and True in children:
        return True
    children = [child for child in children if child is not True]
    if not children:
        return True
    return (operator, children)


def _leaves(node):
    if node is True:
        return
    if len(node) == 2 and node[0] in ("!", "&", "|"):
        for child in node[1]:
            yield from _leaves(child)
    else:
        yield node


def _on_day_boundary(operator, value, tz):
    """Whether the date filter ``operator value`` keeps whole local days."""
    # a date (not a datetime) is compared at midnight UTC, whatever the zone
    if operator not in DAY_BOUNDARY or not isinstance(value, str | datetime.datetime):
        return False
    try:
        moment = fields.Datetime.to_datetime(value)
    except ValueError:
        return False
    local = pytz.utc.localize(moment).astimezone(pytz.timezone(tz))
    return (local.hour, local.minute, local.second) == DAY_BOUNDARY[operator]


def _domain_fields(domain, tz):
    """The fields a domain filters on, or None when a date filter does not
    fall on a local day boundary. A path (``team_id.member_ids``) filters on
    its first field: Odoo reads the rest in a subquery on that column."""
    names = set()
    for leaf in _leaves(_simplify(_domain_tree(domain))):
        if not isinstance(leaf, tuple) or len(leaf) != 3:
            return None
        name, operator, value = leaf
        if leaf == tuple(expression.FALSE_LEAF):
            continue
        if not isinstance(name, str):
            return None
        name = name.split(".", 1)[0]
        if name == ROLLUP_DATE:
            if not _on_day_boundary(operator, value, tz):
                return None
            continue
        names.add(name)
    return names


def plan_rollup(model, domain, groupby, aggregates, having, order, timezones):
    """(table, tz) of the smallest rollup of ``model`` that answers the
    request exactly, or None."""
    tz = model.env.context.get("tz") or "UTC"
    if having or tz not in timezones or model.env.context.get("complaint_no_rollup"):
        return None
    measures = set(rollup_measures(model))
    needed = set()
    for spec in groupby:
        name, property_name, granularity = parse_read_group_spec(spec)
        if property_name:
            return None
        if name == ROLLUP_DATE:
            if granularity not in ROLLUP_GRANULARITIES:
                return None
        else:
            needed.add(name)
    for spec in aggregates:
        if spec == "__count":
            continue
        name, __, function = parse_read_group_spec(spec)
        if name not in measures or function not in ROLLUP_AGGREGATES:
            return None
    for term in (order or "").split(","):
        words = term.split()
        if words and words[0] not in groupby and words[0] not in aggregates:
            return None
    filtered = _domain_fields(domain, tz)
    rules = _domain_fields(
        [] if model.env.su else model.env["ir.rule"]._compute_domain(model._name, "read"), tz
    )
    if filtered is None or rules is None:
        return None
    needed |= filtered | rules
    tables = [
        rollup_table(model, name) for name, dims in model._rollups.items() if needed <= set(dims)
    ]
    if not tables:
        return None
    # the smallest, as PostgreSQL last counted them, of those that exist (the
    # tables of a rollup added by newer code appear with the add-on's upgrade)
    model.env.cr.execute(
        "SELECT relname FROM pg_class WHERE relname IN %s AND relkind = 'r' "
        "ORDER BY reltuples LIMIT 1",
        [tuple(tables)],
    )
    row = model.env.cr.fetchone()
    return (row[0], tz) if row else None


def rollup_aggregate(table_alias, spec):
    """The SQL of the aggregate ``spec`` over rollup rows."""
    if spec == "__count":
        return SQL("SUM(%s)", SQL.identifier(table_alias, "row_count"))
    name, __, function = parse_read_group_spec(spec)
    total = SQL("SUM(%s)", SQL.identifier(table_alias, name))
    count = SQL("SUM(%s)", SQL.identifier(table_alias, f"{name}__n"))
    if function == "sum":
        return total
    if function == "count":
        return SQL("COALESCE(%s, 0)", count)
    return SQL("%s::float / NULLIF(%s, 0)", total, count)
