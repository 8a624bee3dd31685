#!/usr/bin/env bash
# README command 2: install every add-on of the suite into a fresh database
# (no demo data), check the install log, run all tests with pytest-odoo,
# drop the database. Usage: bash tools/test.sh [addon ...] [-- pytest args]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

addons=()
pytest_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --) shift; pytest_args=("$@"); break ;;
        *) addons+=("$1"); shift ;;
    esac
done

ensure_postgres
find_odoo
# Odoo's browser tours need Debian's Chromium
command -v chromium >/dev/null 2>&1 || apt_install chromium || say "chromium missing: browser tours will fail"

modules="$(suite_modules)"
[ ${#addons[@]} -gt 0 ] && modules="$(IFS=,; echo "${addons[*]}")"
[ -n "$modules" ] || die "no add-on found at $REPO_ROOT"
# optional Odoo add-ons whose integrations the suite tests (repair orders in
# the serial-number history)
install_modules="$modules,${COMPLAINT_TEST_EXTRA_MODULES-repair}"
install_modules="${install_modules%,}"

db="complaint_test_$(date +%Y%m%d_%H%M%S)_$$"
conf="$LOCAL_DIR/test-$$.conf"
log="$LOCAL_DIR/install-$db.log"
write_config "$conf"
cleanup() {
    if [ -z "${COMPLAINT_KEEP_DB:-}" ]; then
        dropdb --if-exists "$db" >/dev/null 2>&1 || true
        rm -rf "$LOCAL_DIR/data/filestore/$db"
    else
        say "keeping database $db (config $conf)"
    fi
    [ -n "${COMPLAINT_KEEP_DB:-}" ] || rm -f "$conf"
}
trap cleanup EXIT

say "installing $install_modules into $db (without demo data)"
start=$(date +%s)
"$ODOO_PY" -m odoo -c "$conf" -d "$db" -i "$install_modules" --without-demo=all \
    --stop-after-init --log-level=info --max-cron-threads=0 >"$log" 2>&1 || {
    tail -n 60 "$log" >&2
    die "installation failed (full log: $log)"
}
say "installed in $(( $(date +%s) - start )) s"
# any ERROR/CRITICAL, or a WARNING raised from our add-ons, fails the run
if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" \
    || grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ WARNING [^ ]+ odoo\.addons\.complaint_' "$log"; then
    die "the install log has errors or warnings from the suite (full log: $log)"
fi

test_paths=()
IFS=, read -r -a module_list <<<"$modules"
for module in "${module_list[@]}"; do
    [ -d "$REPO_ROOT/$module/tests" ] && test_paths+=("$REPO_ROOT/$module/tests")
done
if [ ${#addons[@]} -eq 0 ] && ls "$REPO_ROOT"/tests/test_*.py >/dev/null 2>&1; then
    test_paths+=("$REPO_ROOT/tests")
fi

say "running pytest on ${test_paths[*]}"
cd "$REPO_ROOT"
set +e
"$ODOO_PY" -m pytest --odoo-config="$conf" --odoo-database="$db" --odoo-http \
    -p no:cacheprovider -W ignore::DeprecationWarning -q -rfEs \
    "${test_paths[@]}" "${pytest_args[@]}"
status=$?
set -e
# pytest's 5 means no test ran: that is a failure here, never a pass
[ $status -eq 5 ] && { say "no test was collected"; status=1; }
exit $status
