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

The rows of a rollup are refreshed with the analysis (``_refresh``): the days
the changed cases fall in, before and after the change, are aggregated again.
"""

import datetime

import pytz

from odoo import fields
from odoo.models import READ_GROUP_NUMBER_GRANULARITY, READ_GROUP_TIME_GRANULARITY
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
        cr.execute(
            SQL(
                "CREATE INDEX %s ON %s (tz, %s)",
                SQL.identifier(f"{rollup_table(model, name)}_day_index"),
                table,
                SQL.identifier(ROLLUP_DATE),
            )
        )


def _local_day(tz, column, days=0):
    """UTC start of the local day of ``column`` in time zone ``tz`` (SQL),
    ``days`` later."""
    return SQL(
        "timezone('UTC', timezone(%(tz)s, date_trunc('day', timezone(%(tz)s, "
        "timezone('UTC', %(column)s))) + %(days)s * interval '1 day'))",
        tz=tz,
        column=column,
        days=days,
    )


def _rollup_select(model, dims, tz, source, join=None):
    """SELECT of the rollup rows of ``source`` (an alias of the analysis
    table, read in ``tz``)."""
    column = SQL.identifier(source, ROLLUP_DATE)
    keys = [tz, _local_day(tz, column), *(SQL.identifier(source, dim) for dim in dims)]
    values = [SQL("COUNT(*)")]
    for measure in rollup_measures(model):
        value = SQL.identifier(source, measure)
        values += [SQL("SUM(%s)", value), SQL("COUNT(%s)", value)]
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


def collect_rollup_days(model, case_ids, timezones):
    """Remember the local days of the rows of ``case_ids`` (called before
    and after their rows change): their rollup rows are aggregated again."""
    cr = model.env.cr
    cr.execute(
        "CREATE TEMP TABLE IF NOT EXISTS complaint_rollup_day "
        "(model varchar, tz varchar, day timestamp, day_end timestamp) ON COMMIT DROP"
    )
    column = SQL.identifier("row", ROLLUP_DATE)
    cr.execute(
        SQL(
            """INSERT INTO complaint_rollup_day
               SELECT DISTINCT %(model)s, zone.tz, %(day)s, %(day_end)s
                 FROM %(table)s row, unnest(%(timezones)s::varchar[]) zone(tz)
                WHERE row.case_id = ANY(%(case_ids)s)""",
            model=model._name,
            day=_local_day(SQL("zone.tz"), column),
            day_end=_local_day(SQL("zone.tz"), column, days=1),
            table=SQL.identifier(model._table),
            timezones=list(timezones),
            case_ids=list(case_ids),
        )
    )


def refresh_rollup_days(model):
    """Aggregate again the rollup rows of the days collected for ``model``."""
    cr = model.env.cr
    cr.execute("SELECT to_regclass('pg_temp.complaint_rollup_day')")
    if not cr.fetchone()[0]:
        return
    days = SQL(
        "(SELECT DISTINCT tz, day, day_end FROM complaint_rollup_day WHERE model = %s)",
        model._name,
    )
    for name, dims in model._rollups.items():
        table = SQL.identifier(rollup_table(model, name))
        cr.execute(
            SQL(
                """DELETE FROM %s rollup USING %s touched
                    WHERE rollup.tz = touched.tz
                      AND rollup.%s IS NOT DISTINCT FROM touched.day""",
                table,
                days,
                SQL.identifier(ROLLUP_DATE),
            )
        )
        join = SQL(
            """JOIN %s touched ON (row.%s >= touched.day AND row.%s < touched.day_end)
                               OR (row.%s IS NULL AND touched.day IS NULL)""",
            days,
            *[SQL.identifier(ROLLUP_DATE)] * 3,
        )
        cr.execute(
            SQL(
                "INSERT INTO %s (%s) %s",
                table,
                _rollup_columns(model, dims),
                _rollup_select(model, dims, SQL("touched.tz"), "row", join),
            )
        )
    cr.execute(SQL("DELETE FROM complaint_rollup_day WHERE model = %s", model._name))


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
    fall on a local day boundary or a leaf follows a relation."""
    names = set()
    for leaf in _leaves(_simplify(_domain_tree(domain))):
        if not isinstance(leaf, tuple) or len(leaf) != 3:
            return None
        name, operator, value = leaf
        if leaf == tuple(expression.FALSE_LEAF):
            continue
        if not isinstance(name, str) or "." in name:
            return None
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
        name, __, granularity = _parse_spec(spec)
        if name == ROLLUP_DATE:
            if granularity not in ROLLUP_GRANULARITIES:
                return None
        else:
            needed.add(name)
    for spec in aggregates:
        if spec == "__count":
            continue
        name, __, function = _parse_spec(spec)
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
    for name, dims in model._rollups.items():
        if needed <= set(dims):
            return rollup_table(model, name), tz
    return None


def _parse_spec(spec):
    name, __, rest = spec.partition(":")
    property_name = None
    if "." in name:
        name, __, property_name = name.partition(".")
    return name, property_name, rest or None


def rollup_aggregate(table_alias, spec):
    """The SQL of the aggregate ``spec`` over rollup rows."""
    if spec == "__count":
        return SQL("SUM(%s)", SQL.identifier(table_alias, "row_count"))
    name, __, function = _parse_spec(spec)
    total = SQL("SUM(%s)", SQL.identifier(table_alias, name))
    count = SQL("SUM(%s)", SQL.identifier(table_alias, f"{name}__n"))
    if function == "sum":
        return total
    if function == "count":
        return SQL("COALESCE(%s, 0)", count)
    return SQL("%s::float / NULLIF(%s, 0)", total, count)
