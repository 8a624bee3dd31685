#!/usr/bin/env bash
# OCA-style lint, offline: ruff (lint + format check) and pylint-odoo's mandatory checks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
find_odoo
cd "$REPO_ROOT"
IFS=, read -r -a modules <<<"$(suite_modules)"
"$ODOO_PY" -m ruff check .
"$ODOO_PY" -m ruff format --check .
"$ODOO_PY" -m pylint --rcfile=.pylintrc-mandatory "${modules[@]}"
say "lint passed"
