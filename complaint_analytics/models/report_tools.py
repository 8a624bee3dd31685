"""Storage of the analysis tables: plain tables that the reports refresh
incrementally (see ``complaint.case.report._refresh``), so that a pivot over a
million cases reads one narrow table instead of joining and aggregating the
cases, their items, costs, messages and stage history on every click."""

from odoo.tools import SQL

REPORT_INDEXES = ("company_id", "date_received", "team_id", "user_id")


def create_report_table(model, references, indexes=REPORT_INDEXES, covering=()):
    """(Re)create the table of ``model`` from its stored fields. ``references``
    maps a column to the table whose deletion deletes the row."""
    cr = model.env.cr
    table = model._table
    columns = []
    for name, field in model._fields.items():
        if not field.store or not field.column_type or name == "id":
            continue
        column = SQL("%s %s", SQL.identifier(name), SQL(field.column_type[1]))
        if name in references:
            column = SQL(
                "%s NOT NULL REFERENCES %s(id) ON DELETE CASCADE",
                column,
                SQL.identifier(references[name]),
            )
        columns.append(column)
    cr.execute("SELECT relkind FROM pg_class WHERE relname = %s", [table])
    kind = cr.fetchone()
    if kind:
        drop = "DROP VIEW %s" if kind[0] == "v" else "DROP TABLE %s"
        cr.execute(SQL(drop, SQL.identifier(table)))
    cr.execute(
        SQL(
            "CREATE TABLE %s (id integer PRIMARY KEY, %s)",
            SQL.identifier(table),
            SQL(", ").join(columns),
        )
    )
    if covering:
        # the pivot by month reads these columns only: an index-only scan
        cr.execute(
            SQL(
                "CREATE INDEX %s ON %s (date_received) INCLUDE (%s)",
                SQL.identifier(f"{table}_pivot_index"),
                SQL.identifier(table),
                SQL(", ").join(map(SQL.identifier, covering)),
            )
        )
    for column in (*references, *indexes):
        cr.execute(
            SQL(
                "CREATE INDEX %s ON %s (%s)",
                SQL.identifier(f"{table}_{column}_index"),
                SQL.identifier(table),
                SQL.identifier(column),
            )
        )


def stored_columns(model):
    return [
        name
        for name, field in model._fields.items()
        if field.store and field.column_type and name != "id"
    ]
