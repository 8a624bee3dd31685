#!/usr/bin/env bash
# Shared helpers of tools/start.sh and tools/test.sh: find Odoo 18, make sure
# PostgreSQL answers, install the suite's Python requirements, write a config.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$REPO_ROOT/.local"
mkdir -p "$LOCAL_DIR"

say() { printf '\033[1m[complaint-suite]\033[0m %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 2; }
is_root() { [ "$(id -u)" = 0 ]; }

APT_UPDATED=""
apt_install() {
    # apt_install PKG...: install the Debian packages that are missing (root only)
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
        say "missing system packages: ${missing[*]} (install them with apt-get as root)"
        return 1
    fi
    if [ -z "$APT_UPDATED" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        APT_UPDATED=1
    fi
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

odoo18_python() {
    # print the first Python that imports Odoo 18, or nothing
    local candidates=()
    [ -n "${ODOO_PYTHON:-}" ] && candidates+=("$ODOO_PYTHON")
    candidates+=("$REPO_ROOT/.venv/bin/python")
    local odoo_bin
    for odoo_bin in odoo odoo-bin; do
        if command -v "$odoo_bin" >/dev/null 2>&1; then
            local shebang
            shebang="$(head -n1 "$(command -v "$odoo_bin")" | sed -n 's/^#! *//p' | awk '{print $1}')"
            [ -n "$shebang" ] && candidates+=("$shebang")
        fi
    done
    candidates+=(python3.12 python3)
    if command -v pyenv >/dev/null 2>&1; then
        candidates+=("$(pyenv root)"/versions/*/bin/python)
    fi
    candidates+=(/opt/*/bin/python /opt/*/*/bin/python /usr/local/*/bin/python /usr/bin/python3)
    local py
    for py in "${candidates[@]}"; do
        [ -x "$py" ] || command -v "$py" >/dev/null 2>&1 || continue
        if "$py" -c 'import odoo.tools, odoo.release as r, sys; sys.exit(r.version_info[0] != 18)' >/dev/null 2>&1; then
            command -v "$py"
            return 0
        fi
    done
    return 0
}

best_python() {
    # the newest Python >= 3.10, preferring 3.12 (Odoo's pins build from wheels there)
    local py
    for py in python3.12 "$(command -v pyenv >/dev/null 2>&1 && echo "$(pyenv root)/versions/3.12.1/bin/python")" python3.11 python3.10 python3; do
        [ -n "$py" ] || continue
        command -v "$py" >/dev/null 2>&1 || continue
        if "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
            command -v "$py"
            return 0
        fi
    done
    return 1
}

install_odoo_from_source() {
    local src="$1"
    [ -f "$src/odoo-bin" ] && [ -f "$src/requirements.txt" ] || die "ODOO_SRC=$src is not an Odoo source tree (no odoo-bin/requirements.txt)"
    apt_install libpq-dev libldap2-dev libsasl2-dev build-essential python3-dev || true
    local py
    py="$(best_python)" || die "no Python >= 3.10 found to build a virtual environment"
    say "creating .venv with $py and installing Odoo from $src"
    "$py" -m venv "$REPO_ROOT/.venv"
    "$REPO_ROOT/.venv/bin/pip" install -q --upgrade pip wheel setuptools
    "$REPO_ROOT/.venv/bin/pip" install -q -r "$src/requirements.txt"
    # a path-based editable install: OCA add-on wheels add a site-packages/odoo
    # folder that hides Odoo from setuptools' default editable finder
    "$REPO_ROOT/.venv/bin/pip" install -q -e "$src" --config-settings editable_mode=compat
}

find_odoo() {
    # sets ODOO_PY: the Python running Odoo 18, with the suite's requirements
    ODOO_PY="$(odoo18_python)"
    if [ -z "$ODOO_PY" ] && [ -n "${ODOO_SRC:-}" ]; then
        install_odoo_from_source "$ODOO_SRC"
        ODOO_PY="$(odoo18_python)"
    fi
    if [ -z "$ODOO_PY" ]; then
        cat >&2 <<'MSG'
[complaint-suite] ERROR: Odoo 18.0 was not found on this machine.
No Python here imports `odoo` (version 18). Provide it in one of these ways:
  - install Odoo 18.0 Community (Odoo's packages or a source install), then re-run;
  - ODOO_SRC=/path/to/odoo-18.0 bash tools/start.sh   (an Odoo 18.0 source tree:
    this creates .venv and installs Odoo and its requirements into it);
  - ODOO_PYTHON=/path/to/python bash tools/start.sh   (a Python that imports odoo 18).
MSG
        exit 2
    fi
    say "Odoo 18 found: $ODOO_PY"
    ensure_requirements
}

ensure_requirements() {
    local target="$ODOO_PY"
    if ! "$target" -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)' 2>/dev/null \
        && [ ! -w "$("$target" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" ]; then
        # a system Python (e.g. Debian's odoo package): keep it clean, use a venv on top
        if [ ! -x "$REPO_ROOT/.venv/bin/python" ]; then
            "$target" -m venv --system-site-packages "$REPO_ROOT/.venv"
        fi
        target="$REPO_ROOT/.venv/bin/python"
        ODOO_PY="$target"
    fi
    local stamp="$LOCAL_DIR/requirements.$(echo "$target" | md5sum | cut -c1-8).sha"
    local wanted
    wanted="$(sha256sum "$REPO_ROOT/requirements.txt" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        say "installing requirements.txt into $target"
        apt_install libpq-dev >/dev/null 2>&1 || true
        # OCA add-on wheels (odoo-addon-*) declare `odoo==18.0.*`: install them
        # without dependencies after the rest, so that an Odoo without pip
        # metadata (a source tree on the path, Debian's package) is kept as is
        local plain addons
        plain="$LOCAL_DIR/requirements-plain.txt"
        addons="$LOCAL_DIR/requirements-addons.txt"
        grep -viE '^[[:space:]]*odoo-addon-' "$REPO_ROOT/requirements.txt" >"$plain" || true
        grep -iE '^[[:space:]]*odoo-addon-' "$REPO_ROOT/requirements.txt" | sed 's/[[:space:]]*#.*//' >"$addons" || true
        "$target" -m pip install -q -r "$plain"
        [ -s "$addons" ] && "$target" -m pip install -q --no-deps -r "$addons"
        echo "$wanted" >"$stamp"
    fi
}

ensure_postgres() {
    if psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
        return 0
    fi
    if ! is_root; then
        die "PostgreSQL does not answer. Start it and give your user a role: sudo -u postgres createuser -s $USER"
    fi
    apt_install postgresql postgresql-client || die "could not install PostgreSQL"
    if command -v pg_lsclusters >/dev/null 2>&1; then
        local version cluster
        read -r version cluster _ < <(pg_lsclusters -h | head -n1)
        [ -n "${version:-}" ] && pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
    else
        service postgresql start >/dev/null 2>&1 || true
    fi
    local i
    for i in $(seq 1 30); do
        su postgres -c "psql -Atc 'select 1'" >/dev/null 2>&1 && break
        sleep 1
    done
    su postgres -c "psql -Atc \"select 1 from pg_roles where rolname='$(id -un)'\"" | grep -q 1 \
        || su postgres -c "createuser -s $(id -un)"
    psql -d postgres -Atc 'select 1' >/dev/null 2>&1 || die "PostgreSQL still does not answer"
    say "PostgreSQL is running"
}

suite_modules() {
    # every installable add-on at the repository root, comma-separated
    "$ODOO_PY" - "$REPO_ROOT" <<'PY'
import ast, pathlib, sys
root = pathlib.Path(sys.argv[1])
names = []
for manifest in sorted(root.glob("*/__manifest__.py")):
    data = ast.literal_eval(manifest.read_text())
    if data.get("installable", True):
        names.append(manifest.parent.name)
print(",".join(names))
PY
}

write_config() {
    # write_config FILE: an Odoo config whose addons_path is Odoo's plus this repository
    local conf="$1"
    local addons
    addons="$("$ODOO_PY" - <<'PY'
import glob, os, odoo, odoo.addons
source_addons = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons")
paths = []
for path in [*odoo.addons.__path__, source_addons]:
    path = os.path.realpath(path)
    if path not in paths and glob.glob(os.path.join(path, "*", "__manifest__.py")):
        paths.append(path)
print(",".join(paths))
PY
)"
    cat >"$conf" <<CONF
[options]
addons_path = $addons,$REPO_ROOT
data_dir = $LOCAL_DIR/data
db_host = False
db_port = False
admin_passwd = admin
list_db = True
CONF
}
