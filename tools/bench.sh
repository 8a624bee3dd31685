#!/usr/bin/env bash
# Runs a benchmark script of tests/ with the machine's Odoo and a config that
# also sees the benchmark-only add-ons. Usage: bash tools/bench.sh tests/bench_x.py [args]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -ge 1 ] || die "usage: bash tools/bench.sh tests/bench_<name>.py [args]"
ensure_postgres
find_odoo
conf="$LOCAL_DIR/bench-$$.conf"
write_config "$conf"
sed -i "s|^addons_path = \(.*\)$|addons_path = \1,$REPO_ROOT/tests/bench_addons|" "$conf"
trap 'rm -f "$conf"' EXIT
script="$1"; shift
"$ODOO_PY" "$script" --config "$conf" "$@"
