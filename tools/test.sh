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
demo_db="${db/complaint_test_/complaint_demo_}"
demo_log="$LOCAL_DIR/install-$demo_db.log"
demo_pid=""
cleanup() {
    [ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null
    if [ -z "${COMPLAINT_KEEP_DB:-}" ]; then
        dropdb --if-exists "$db" >/dev/null 2>&1 || true
        dropdb --if-exists "$demo_db" >/dev/null 2>&1 || true
        rm -rf "$LOCAL_DIR/data/filestore/$db" "$LOCAL_DIR/data/filestore/$demo_db"
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

# the screens are also walked, and the demo story checked, on the demo
# database: install it beside the tests
screens="$REPO_ROOT/tests/test_screens.py"
if [ ${#addons[@]} -eq 0 ] && [ -f "$screens" ]; then
    say "installing $install_modules with demo data into $demo_db (in the background)"
    "$ODOO_PY" -m odoo -c "$conf" -d "$demo_db" -i "$install_modules" \
        --stop-after-init --log-level=info --max-cron-threads=0 >"$demo_log" 2>&1 &
    demo_pid=$!
fi

test_paths=()
IFS=, read -r -a module_list <<<"$modules"
for module in "${module_list[@]}"; do
    [ -d "$REPO_ROOT/$module/tests" ] && test_paths+=("$REPO_ROOT/$module/tests")
done
if [ ${#addons[@]} -eq 0 ] && ls "$REPO_ROOT"/tests/test_*.py >/dev/null 2>&1; then
    test_paths+=("$REPO_ROOT/tests")
fi

run_pytest() {
    # run_pytest DB OUTPUT PATH...: pytest-odoo on DB, its output kept in OUTPUT
    local database="$1" output="$2"
    shift 2
    set +e
    "$ODOO_PY" -m pytest --odoo-config="$conf" --odoo-database="$database" --odoo-http \
        -p no:cacheprovider -W ignore::DeprecationWarning -q -rfEs "$@" 2>&1 | tee "$output"
    local rc=${PIPESTATUS[0]}
    set -e
    # pytest's 5 means no test ran: that is a failure here, never a pass
    [ "$rc" -eq 5 ] && { say "no test was collected"; rc=1; }
    return "$rc"
}
count() {
    # count WORD FILE...: how many tests pytest's closing lines report as WORD(s)
    awk -v word="$1" '/ in [0-9.]+s/ {
        for (i = 2; i <= NF; i++) { w = $i; gsub(/[,=]/, "", w); if (w == word || w == word "s") n += $(i - 1) }
    } END { print n + 0 }' "${@:2}"
}

say "running pytest on ${test_paths[*]}"
cd "$REPO_ROOT"
outputs=("$LOCAL_DIR/pytest-$$.out")
status=0
# tests/demo checks the story of the demo data: only on the demo database
run_pytest "$db" "${outputs[0]}" "${test_paths[@]}" --ignore="$REPO_ROOT/tests/demo" \
    "${pytest_args[@]}" || status=1

if [ -n "$demo_pid" ]; then
    wait "$demo_pid" || { tail -n 60 "$demo_log" >&2; die "installation with demo data failed (full log: $demo_log)"; }
    demo_pid=""
    if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$demo_log" \
        || grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ WARNING [^ ]+ odoo\.addons\.complaint_' "$demo_log"; then
        die "the demo install log has errors or warnings from the suite (full log: $demo_log)"
    fi
    say "walking the screens and checking the demo story on the demo database $demo_db"
    outputs+=("$LOCAL_DIR/pytest-demo-$$.out")
    demo_paths=("$screens")
    [ -d "$REPO_ROOT/tests/demo" ] && demo_paths+=("$REPO_ROOT/tests/demo")
    run_pytest "$demo_db" "${outputs[1]}" "${demo_paths[@]}" || status=1
fi
failed=$(( $(count failed "${outputs[@]}") + $(count error "${outputs[@]}") ))
[ $status -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "total: $(count passed "${outputs[@]}") passed, $failed failed, $(count skipped "${outputs[@]}") skipped"
rm -f "${outputs[@]}"
exit $status
