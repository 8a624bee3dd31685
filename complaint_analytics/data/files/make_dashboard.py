"""Writes complaints_dashboard.json, the spreadsheet of the Complaints dashboard
(run it again after changing this script: python make_dashboard.py)."""

import json
import uuid
from pathlib import Path

NS = uuid.UUID("6d1f8a52-8f2c-4a55-9a7e-2f3c1a0b5e11")


def uid(name):
    return str(uuid.uuid5(NS, name))


PERIOD, TEAM, COMPANY = uid("filter-period"), uid("filter-team"), uid("filter-company")
CASES = "complaint.case.report"
ITEMS = "complaint.case.line.report"


def matching(date_field="date_received", offset=0):
    return {
        PERIOD: {"chain": date_field, "type": "datetime", "offset": offset},
        TEAM: {"chain": "team_id", "type": "many2one"},
        COMPANY: {"chain": "company_id", "type": "many2one"},
    }


KPI_MEASURES = [
    "nbr",
    "open_count",
    "overdue_count",
    "hours_to_close",
    "sla_compliance",
    "cost_total",
    "online_share",
]


def pivot(pid, name, model, measures, rows=(), offset=0, sort=None):
    return {
        "type": "ODOO",
        "fieldMatching": matching(offset=offset),
        "context": {},
        "domain": [],
        "id": pid,
        "measures": [{"id": m, "fieldName": m} for m in measures],
        "model": model,
        "name": name,
        "sortedColumn": sort and {"groupId": [[], []], "measure": sort, "order": "desc"},
        "formulaId": pid,
        "columns": [],
        "rows": [{"fieldName": r} for r in rows],
    }


pivots = {
    "1": pivot("1", "KPIs - current period", CASES, KPI_MEASURES),
    "2": pivot("2", "KPIs - previous period", CASES, KPI_MEASURES, offset=-1),
    "3": pivot(
        "3", "Top products", ITEMS, ["case_share", "cost_share"], ["product_id"], sort="case_share"
    ),
    "4": pivot("4", "Top reasons", CASES, ["nbr", "cost_total"], ["reason_id"], sort="nbr"),
}

# Data sheet: label, current, previous, shown value, shown baseline
kpis = [
    ("Open cases", "open_count", "0"),
    ("Overdue", "overdue_count", "0"),
    ("Avg. hours to close", "hours_to_close", "0.0"),
    ("SLA compliance (%)", "sla_compliance", "0.0"),
    ("Cost of claims", "cost_total", "#,##0"),
    ("Filed online (%)", "online_share", "0.0"),
]
data_cells = {
    "A1": {"content": '=_t("KPI")'},
    "B1": {"content": '=_t("Current")'},
    "C1": {"content": '=_t("Previous")'},
}
for row, (label, measure, _fmt) in enumerate(kpis, start=2):
    data_cells[f"A{row}"] = {"content": f'=_t("{label}")'}
    data_cells[f"B{row}"] = {"content": f'=ROUND(PIVOT.VALUE(1,"{measure}"),1)'}
    data_cells[f"C{row}"] = {"content": f'=ROUND(PIVOT.VALUE(2,"{measure}"),1)'}


def odoo_link(title, view, model, context):
    action = {
        "viewType": view,
        "action": {
            "domain": [],
            "context": context,
            "modelName": model,
            "views": [[False, "graph"], [False, "pivot"], [False, "list"], [False, "search"]],
        },
        "threshold": 0,
        "name": title,
    }
    return f"[{title}](odoo://view/{json.dumps(action, separators=(',', ':'))})"


cells = {
    "A1": {
        "content": odoo_link(
            "Cases by Month",
            "graph",
            CASES,
            {
                "group_by": ["date_received:month"],
                "graph_measure": "nbr",
                "graph_mode": "bar",
                "graph_groupbys": ["date_received:month"],
            },
        )
    },
    "D1": {
        "content": odoo_link(
            "Cost by Month",
            "graph",
            CASES,
            {
                "group_by": ["date_received:month"],
                "graph_measure": "cost_total",
                "graph_mode": "line",
                "graph_groupbys": ["date_received:month"],
            },
        )
    },
    "A20": {
        "content": odoo_link(
            "Top Products",
            "pivot",
            ITEMS,
            {
                "group_by": [],
                "pivot_measures": ["case_share", "cost_share"],
                "pivot_row_groupby": ["product_id"],
            },
        )
    },
    "D20": {
        "content": odoo_link(
            "Top Reasons",
            "pivot",
            CASES,
            {
                "group_by": [],
                "pivot_measures": ["nbr", "cost_total"],
                "pivot_row_groupby": ["reason_id"],
            },
        )
    },
    "A21": {"content": '=_t("Product")', "style": 2},
    "B21": {"content": '=_t("Cases")', "style": 2},
    "C21": {"content": '=_t("Cost")', "style": 2},
    "D21": {"content": '=_t("Reason")', "style": 2},
    "E21": {"content": '=_t("Cases")', "style": 2},
    "F21": {"content": '=_t("Cost")', "style": 2},
    "A32": {
        "content": odoo_link(
            "Cases by Channel",
            "graph",
            CASES,
            {
                "group_by": ["channel"],
                "graph_measure": "nbr",
                "graph_mode": "pie",
                "graph_groupbys": ["channel"],
            },
        )
    },
    "D32": {
        "content": odoo_link(
            "Hours to Close by Team",
            "graph",
            CASES,
            {
                "group_by": ["team_id"],
                "graph_measure": "hours_to_close",
                "graph_mode": "bar",
                "graph_groupbys": ["team_id"],
            },
        )
    },
}
for i in range(1, 11):
    row = 21 + i
    cells[f"A{row}"] = {"content": f'=PIVOT.HEADER(3,"#product_id",{i})'}
    cells[f"B{row}"] = {"content": f'=PIVOT.VALUE(3,"case_share","#product_id",{i})', "format": 1}
    cells[f"C{row}"] = {"content": f'=PIVOT.VALUE(3,"cost_share","#product_id",{i})', "format": 2}
    cells[f"D{row}"] = {"content": f'=PIVOT.HEADER(4,"#reason_id",{i})'}
    cells[f"E{row}"] = {"content": f'=PIVOT.VALUE(4,"nbr","#reason_id",{i})', "format": 1}
    cells[f"F{row}"] = {"content": f'=PIVOT.VALUE(4,"cost_total","#reason_id",{i})', "format": 2}
for ref in ("A1", "D1", "A20", "D20", "A32", "D32"):
    cells[ref]["style"] = 1

figures = []
colors = ["#EFF6FF", "#FEF2F2", "#FEF2F2", "#EFF6FF", "#FEF2F2", "#EFF6FF"]
for index, (label, _measure, _fmt) in enumerate(kpis):
    row = index + 2
    figures.append(
        {
            "id": uid(f"scorecard-{index}"),
            "x": (index % 3) * 340,
            "y": 30 + (index // 3) * 112,
            "width": 330,
            "height": 102,
            "tag": "chart",
            "data": {
                "baselineColorDown": "#DC6965",
                "baselineColorUp": "#00A04A",
                "baselineMode": "difference",
                "title": {"text": label, "bold": True, "color": "#434343"},
                "type": "scorecard",
                "background": colors[index],
                "baseline": f"Data!C{row}",
                "baselineDescr": "since last period",
                "keyValue": f"Data!B{row}",
                "humanize": False,
            },
        }
    )


def odoo_chart(name, kind, x, y, width, model, group_by, measure, **extra):
    data = {
        "title": {"text": ""},
        "background": "#FFFFFF",
        "legendPosition": "top" if kind == "odoo_pie" else "none",
        "metaData": {
            "groupBy": group_by,
            "measure": measure,
            "order": None,
            "resModel": model,
            "mode": kind.removeprefix("odoo_"),
        },
        "searchParams": {
            "comparison": None,
            "context": {},
            "domain": [],
            "groupBy": group_by,
            "orderBy": [],
        },
        "type": kind,
        "fieldMatching": matching(),
        **extra,
    }
    if kind != "odoo_pie":
        data.update(verticalAxisPosition="left", stacked=False)
    return {
        "id": uid(name),
        "x": x,
        "y": y,
        "width": width,
        "height": 300,
        "tag": "chart",
        "data": data,
    }


figures += [
    odoo_chart("cases-by-month", "odoo_bar", 0, 290, 500, CASES, ["date_received:month"], "nbr"),
    odoo_chart(
        "cost-by-month",
        "odoo_line",
        510,
        290,
        500,
        CASES,
        ["date_received:month"],
        "cost_total",
        fillArea=True,
    ),
    odoo_chart("cases-by-channel", "odoo_pie", 0, 940, 500, CASES, ["channel"], "nbr"),
    odoo_chart("hours-by-team", "odoo_bar", 510, 940, 500, CASES, ["team_id"], "hours_to_close"),
]
# the figures sit over rows whose height makes room for them
rows = {"0": {"size": 30}}
for r in range(1, 19):
    rows[str(r)] = {"size": 28 if r > 8 else 40}
rows["19"] = {"size": 40}
rows["31"] = {"size": 40}
for r in range(32, 44):
    rows[str(r)] = {"size": 28}


def sheet(sid, name, cells, figures, cols, rows, visible_grid=False):
    return {
        "id": sid,
        "name": name,
        "colNumber": 8,
        "rowNumber": 60,
        "rows": rows,
        "cols": cols,
        "merges": [],
        "cells": cells,
        "styles": {},
        "formats": {},
        "borders": {},
        "conditionalFormats": [],
        "figures": figures,
        "tables": [],
        "areGridLinesVisible": visible_grid,
        "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []},
        "dataValidationRules": [],
        "comments": {},
    }


spreadsheet = {
    "version": 21,
    "sheets": [
        sheet(
            "dashboard",
            "Dashboard",
            cells,
            figures,
            {
                "0": {"size": 260},
                "1": {"size": 90},
                "2": {"size": 120},
                "3": {"size": 260},
                "4": {"size": 90},
                "5": {"size": 120},
            },
            rows,
        ),
        sheet(
            "data",
            "Data",
            data_cells,
            [],
            {"0": {"size": 200}, "1": {"size": 110}, "2": {"size": 110}},
            {},
            True,
        ),
    ],
    "styles": {
        "1": {"textColor": "#01666b", "bold": True, "fontSize": 16},
        "2": {"textColor": "#434343", "bold": True, "fontSize": 11},
    },
    "formats": {"1": "0.0", "2": "#,##0"},
    "borders": {},
    "revisionId": "START_REVISION",
    "uniqueFigureIds": True,
    "settings": {
        "locale": {
            "name": "English (US)",
            "code": "en_US",
            "thousandsSeparator": ",",
            "decimalSeparator": ".",
            "dateFormat": "mm/dd/yyyy",
            "timeFormat": "hh:mm:ss",
            "formulaArgSeparator": ",",
            "weekStart": 7,
        }
    },
    "pivots": pivots,
    "pivotNextId": 5,
    "customTableStyles": {},
    "odooVersion": 12,
    "globalFilters": [
        {
            "id": PERIOD,
            "type": "date",
            "label": "Period",
            "defaultValue": "last_year",
            "rangeType": "relative",
        },
        {
            "id": TEAM,
            "type": "relation",
            "label": "Team",
            "modelName": "complaint.team",
            "defaultValue": [],
            "defaultValueDisplayNames": [],
            "rangeType": "year",
        },
        {
            "id": COMPANY,
            "type": "relation",
            "label": "Company",
            "modelName": "res.company",
            "defaultValue": [],
            "defaultValueDisplayNames": [],
            "rangeType": "year",
        },
    ],
    "lists": {},
    "listNextId": 1,
    "chartOdooMenusReferences": {
        figure["id"]: "complaint_analytics.complaint_case_report_menu_manager" for figure in figures
    },
}
Path(__file__).with_name("complaints_dashboard.json").write_text(
    json.dumps(spreadsheet, indent=1, ensure_ascii=False) + "\n"
)
