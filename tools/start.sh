#!/usr/bin/env bash
# README command 1: install what is missing, create a database with every
# add-on of the suite and demo data, and start Odoo on http://localhost:8069.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

db="${COMPLAINT_DB:-complaint_demo}"
port="${COMPLAINT_PORT:-8069}"

ensure_postgres
find_odoo
# PDF reports (the claim summary customers download from the portal)
command -v wkhtmltopdf >/dev/null 2>&1 || apt_install wkhtmltopdf ||
    say "wkhtmltopdf missing: PDF downloads will not work"
conf="$LOCAL_DIR/odoo.conf"
write_config "$conf"
# OCA queue_job (complaint_erp_sync): its job runner starts with the server
# when queue_job is a server-wide module, and needs worker processes
cat >>"$conf" <<CONF
server_wide_modules = web,queue_job
workers = ${COMPLAINT_WORKERS:-2}
max_cron_threads = 1

[queue_job]
channels = root:${COMPLAINT_JOB_CHANNELS:-2}
CONF
modules="$(suite_modules)"
# the first language becomes the default of the new database (Odoo sets it for
# partners and the company): English, with the customers' languages beside it
languages="en_US,fi_FI,pl_PL,sl_SI"

if psql -d postgres -Atc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    say "updating $modules in the existing database $db"
    "$ODOO_PY" -m odoo -c "$conf" -d "$db" -u "$modules" --stop-after-init --log-level=warn
else
    say "creating $db with $modules and demo data (a few minutes)"
    "$ODOO_PY" -m odoo -c "$conf" -d "$db" -i "$modules" --load-language="$languages" \
        --stop-after-init --log-level=warn
fi

say "Odoo runs on http://localhost:$port  -  log in as admin / admin  (Ctrl+C stops it)"
exec "$ODOO_PY" -m odoo -c "$conf" -d "$db" --db-filter="^$db\$" --http-port="$port"
