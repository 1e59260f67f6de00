#!/usr/bin/env bash
# The release package on a real system: what a clerk's Linux machine sees.
#
#   1. the .deb of `make dist` (version N, the workspace version) installs with dpkg;
#   2. the installed app opens its window (追溯通) under Xvfb; a screenshot is kept;
#   3. the installed `tracedesk --version` is N; the installed CLI writes data into the user's
#      data directory (a temporary HOME, so no real user data is touched);
#   4. removing and purging the package leaves that data directory byte for byte as it was;
#   5. upgrade: N installed with data, then N+1 installed over it. N+1 is a build of this tree with
#      the version bumped (tauri `--config` overlay for the app, TRACEDESK_DRILL_VERSION for the CLI)
#      and the store's `upgrade-drill` feature (one extra, harmless migration). Its CLI opens the
#      database: the data is there, the schema is N+1's, and backups/ holds the pre-migration copy.
#      Its window opens on the migrated data; removing it keeps the data.
#
# Run by `make dist-test` (after `make dist`). `dist-test.sh --build-next` only builds the N+1
# package (into target/dist-test/; with another CARGO_TARGET_DIR it can run beside `make dist`), and
# DIST_TEST_NEXT_DEB=<file> makes a run take that package instead of building it. Needs root or sudo, Xvfb, xdotool, ImageMagick and
# python3. Each check prints PASS or FAIL; the last line counts them. Everything (log, screenshots,
# the N+1 package) goes to target/dist-test/. The system package `tracedesk` is removed again at the
# end, also when a check fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/dist-test"
WINDOW_TITLE='追溯通'

# ---------------------------------------------------------------------------------------------
# Window mode: run inside xvfb-run by `open_window` below. Starts the installed app, waits for its
# window, captures it, and stops the app.
if [ "${1:-}" = "--window" ]; then
    shot="$2" applog="$3"
    /usr/bin/tracedesk-desktop >"$applog" 2>&1 &
    app=$!
    wid=""
    for _ in $(seq 1 90); do
        wid="$(xdotool search --onlyvisible --name "^${WINDOW_TITLE}\$" 2>/dev/null | tail -n 1 || true)"
        [ -n "$wid" ] && break
        kill -0 "$app" 2>/dev/null || { echo "the app exited before its window appeared"; exit 1; }
        sleep 1
    done
    [ -n "$wid" ] || { echo "no window named ${WINDOW_TITLE} within 90 s"; kill "$app"; exit 1; }
    echo "window $wid: $(xdotool getwindowname "$wid")"
    # The window paints a moment after it maps: retry a blank capture for up to 20 s.
    for _ in $(seq 1 40); do
        import -window root "$shot"
        deviation="$(identify -format '%[fx:standard_deviation]' "$shot")"
        if python3 -c "import sys; sys.exit(0 if float('$deviation') >= 0.002 else 1)"; then break; fi
        sleep 0.5
    done
    # The first paint is the "opening the database" screen with a spinner; the page has settled
    # when two captures 2 s apart are the same (up to 60 s).
    settled=no
    for _ in $(seq 1 30); do
        sleep 2
        import -window root "$shot.next.png"
        if [ "$(compare -metric AE "$shot" "$shot.next.png" null: 2>&1 || true)" = 0 ]; then settled=yes; break; fi
        mv "$shot.next.png" "$shot"
    done
    rm -f "$shot.next.png"
    deviation="$(identify -format '%[fx:standard_deviation]' "$shot")"
    echo "screenshot $shot (standard deviation $deviation, settled: $settled)"
    kill "$app"
    wait "$app" || true
    python3 -c "import sys; sys.exit(0 if float('$deviation') >= 0.002 else 1)" \
        || { echo "the screen stayed blank"; exit 1; }
    exit 0
fi

# ---------------------------------------------------------------------------------------------
mkdir -p "$OUT"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml")"
# N+1: the next patch version.
NEXT="$(echo "$VERSION" | awk -F. '{ printf "%d.%d.%d", $1, $2, $3 + 1 }')"
ARCH="$(dpkg --print-architecture)"
DEB_N="$TARGET/release/bundle/deb/tracedesk_${VERSION}_${ARCH}.deb"
DEB_NEXT="$OUT/tracedesk_${NEXT}_${ARCH}.deb"

# N+1: this tree with the version bumped and the store's `upgrade-drill` migration, app and CLI in
# one cargo run as in `make dist`. Its CLI goes into the package through the same overlay as the
# version (not through the shared stage link, which stays N's).
build_next() {
    (
        cd "$ROOT"
        overlay="{\"version\":\"$NEXT\",\"bundle\":{\"linux\":{\"deb\":{\"files\":{\"/usr/bin/tracedesk\":\"$TARGET/release/tracedesk\"}}}}}"
        TRACEDESK_DRILL_VERSION="$NEXT" ui/node_modules/.bin/tauri build --ci --bundles deb \
            --features upgrade-drill --config "$overlay" -- --locked -p desktop -p cli
    )
    # The drill package must never be mistaken for a release: it leaves the bundle folder.
    mkdir -p "$OUT"
    mv "$TARGET/release/bundle/deb/tracedesk_${NEXT}_${ARCH}.deb" "$DEB_NEXT"
    echo "N+1 package: $DEB_NEXT"
}
# `--build-next`: only build the N+1 package (e.g. in another CARGO_TARGET_DIR while N is being
# built); a later run takes it with DIST_TEST_NEXT_DEB=<that file>.
if [ "${1:-}" = "--build-next" ]; then
    build_next
    exit 0
fi
exec > >(tee "$OUT/dist-test.log") 2>&1

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
# check "what" command...: PASS when the command succeeds.
check() {
    local what="$1"; shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
started=$SECONDS phase_started=$SECONDS
timings=()
phase() {
    if [ -n "${phase_name:-}" ]; then timings+=("$(printf '%-44s %4d s' "$phase_name" $((SECONDS - phase_started)))"); fi
    phase_name="$1" phase_started=$SECONDS
    echo; echo "== $1"
}

for tool in dpkg dpkg-deb xvfb-run xdotool import identify python3; do
    command -v "$tool" >/dev/null || { echo "FAIL $tool is missing: run make deps"; exit 1; }
done
[ -f "$DEB_N" ] || { echo "FAIL $DEB_N is missing: run make dist first"; exit 1; }
if dpkg-query -W -f='${Status}' tracedesk 2>/dev/null | grep -q "ok installed"; then
    echo "FAIL the package tracedesk is already installed on this machine; remove it first (dpkg -r tracedesk)"
    exit 1
fi

# A throw-away user home: the data directory is the real default one of that home
# (XDG_DATA_HOME/tracedesk), not a TRACEDESK_DATA_DIR override.
SANDBOX="$(mktemp -d)"
HOME_DIR="$SANDBOX/home"
mkdir -p "$HOME_DIR/.local/share" "$HOME_DIR/.config" "$HOME_DIR/.cache" "$SANDBOX/run"
chmod 700 "$SANDBOX/run"
DATA_DIR="$HOME_DIR/.local/share/tracedesk"
as_user() {
    env -u TRACEDESK_DATA_DIR -u WAYLAND_DISPLAY HOME="$HOME_DIR" USER=clerk \
        XDG_DATA_HOME="$HOME_DIR/.local/share" XDG_CONFIG_HOME="$HOME_DIR/.config" \
        XDG_CACHE_HOME="$HOME_DIR/.cache" XDG_RUNTIME_DIR="$SANDBOX/run" GDK_BACKEND=x11 \
        DBUS_SESSION_BUS_ADDRESS="unix:path=$SANDBOX/no-bus" "$@"
}
cleanup() {
    if dpkg-query -W -f='${Status}' tracedesk 2>/dev/null | grep -q "installed"; then
        $SUDO dpkg --purge tracedesk >/dev/null || true
    fi
    rm -rf "$SANDBOX"
}
trap cleanup EXIT

install_deb() {
    if ! $SUDO env DEBIAN_FRONTEND=noninteractive dpkg -i "$1"; then
        # Missing dependencies leave the package unconfigured; apt brings them and finishes it.
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -f install -y --no-install-recommends
    fi
}
installed_version() { dpkg-query -W -f='${Version}' tracedesk 2>/dev/null || true; }
# One checksum over every file of the data directory (names and contents).
data_sum() { (cd "$DATA_DIR" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1; }
cli_version_is() { [ "$(as_user /usr/bin/tracedesk --version)" = "tracedesk $1" ]; }
schema_version() { as_user /usr/bin/tracedesk --json db check | python3 -c 'import json,sys; print(json.load(sys.stdin)["schemaVersion"])'; }
open_window() { # label
    as_user xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
        bash "${BASH_SOURCE[0]}" --window "$OUT/window-$1.png" "$OUT/app-$1.log"
}
sqlite_value() { # file sql
    python3 -c 'import sqlite3,sys; c=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True); print(c.execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}

echo "dist-test: tracedesk $VERSION (N) and $NEXT (N+1) on $ARCH; data directory $DATA_DIR"

# ---------------------------------------------------------------------------------------------
phase "package contents of N"
# Member names as dpkg-deb lists them, without a leading "./".
contents="$(dpkg-deb -c "$DEB_N" | awk '{ print $NF }' | sed 's#^\./##')"
check "the .deb's version is the workspace version $VERSION" [ "$(dpkg-deb -f "$DEB_N" Version)" = "$VERSION" ]
for path in usr/bin/tracedesk-desktop usr/bin/tracedesk usr/share/applications/tracedesk.desktop \
    usr/share/icons/hicolor/32x32/apps/tracedesk-desktop.png usr/share/icons/hicolor/512x512/apps/tracedesk-desktop.png; do
    check "the .deb holds /$path" grep -qx "$path" <<<"$contents"
done
desktop_entry="$(dpkg-deb --fsys-tarfile "$DEB_N" | tar -xO --wildcards '*usr/share/applications/tracedesk.desktop')"
echo "$desktop_entry"
check "the desktop entry is named 追溯通 in Chinese" grep -qx 'Name\[zh_CN\]=追溯通' <<<"$desktop_entry"
comments_in_both() { grep -q '^Comment=' <<<"$desktop_entry" && grep -q '^Comment\[zh_CN\]=' <<<"$desktop_entry"; }
check "the desktop entry has an English and a Chinese comment" comments_in_both
check "the desktop entry starts tracedesk-desktop" grep -qx 'Exec=tracedesk-desktop' <<<"$desktop_entry"

phase "install N"
install_deb "$DEB_N"
check "dpkg has tracedesk $VERSION installed" [ "$(installed_version)" = "$VERSION" ]
check "the installed tracedesk --version is $VERSION" cli_version_is "$VERSION"

phase "data written by the installed CLI"
as_user /usr/bin/tracedesk init --name 宁波示例电器有限公司 --uscc 91310115MA1K3BTP2B
as_user /usr/bin/tracedesk product add --name 电热水壶 --model DK-1
check "the database is in the user's data directory" [ -f "$DATA_DIR/tracedesk.sqlite3" ]
schema_n="$(schema_version)"
shipped="$(find "$ROOT/src-tauri/crates/store/migrations" -name '*.sql' | wc -l)"
check "its schema version ($schema_n) is N's: one per shipped migration ($shipped)" [ "$schema_n" = "$shipped" ]

phase "window of N under Xvfb"
check "the installed app opens a window titled 追溯通 (screenshot window-n.png)" open_window n

phase "remove and purge N"
before="$(data_sum)"
find "$DATA_DIR" -type f | sort
$SUDO dpkg -r tracedesk
check "after dpkg -r the data directory is unchanged" [ "$(data_sum)" = "$before" ]
$SUDO dpkg --purge tracedesk
check "after dpkg --purge the data directory is unchanged" [ "$(data_sum)" = "$before" ]
check "the package is gone (no /usr/bin/tracedesk)" [ ! -e /usr/bin/tracedesk ]

if [ -n "${DIST_TEST_NEXT_DEB:-}" ]; then
    phase "take N+1 ($NEXT) from $DIST_TEST_NEXT_DEB"
    [ "$DIST_TEST_NEXT_DEB" -ef "$DEB_NEXT" ] || cp "$DIST_TEST_NEXT_DEB" "$DEB_NEXT"
else
    phase "build N+1 ($NEXT, upgrade-drill)"
    build_next
fi
check "the N+1 .deb's version is $NEXT" [ "$(dpkg-deb -f "$DEB_NEXT" Version)" = "$NEXT" ]

phase "upgrade N -> N+1"
install_deb "$DEB_N"
as_user /usr/bin/tracedesk product add --name 电饭煲 --model RC-3
products_n="$(as_user /usr/bin/tracedesk --json product list | python3 -c 'import json,sys; print(sorted(p["name"] for p in json.load(sys.stdin)))')"
install_deb "$DEB_NEXT"
check "dpkg has tracedesk $NEXT installed over $VERSION" [ "$(installed_version)" = "$NEXT" ]
check "the installed tracedesk --version is $NEXT" cli_version_is "$NEXT"
check "installing N+1 alone did not touch the database (still schema $schema_n)" \
    [ "$(sqlite_value "$DATA_DIR/tracedesk.sqlite3" 'PRAGMA user_version')" = "$schema_n" ]
schema_next="$(schema_version)"
echo "schema version after N+1's CLI opened the database: $schema_next"
check "N+1's CLI migrated the database to schema $((schema_n + 1))" [ "$schema_next" = "$((schema_n + 1))" ]
check "the drill migration ran (table upgrade_drill has its row)" \
    [ "$(sqlite_value "$DATA_DIR/tracedesk.sqlite3" 'SELECT count(*) FROM upgrade_drill')" = 1 ]
products_next="$(as_user /usr/bin/tracedesk --json product list | python3 -c 'import json,sys; print(sorted(p["name"] for p in json.load(sys.stdin)))')"
echo "products before: $products_n; after: $products_next"
check "the products written by N are all there after the upgrade" [ "$products_next" = "$products_n" ]
check "the enterprise profile written by N is there after the upgrade" \
    [ "$(sqlite_value "$DATA_DIR/tracedesk.sqlite3" 'SELECT name FROM enterprise')" = 宁波示例电器有限公司 ]
shopt -s nullglob
prefix="pre-migration-v${schema_n}-to-v$((schema_n + 1))-"
backups=("$DATA_DIR/backups/$prefix"*.sqlite3)
shopt -u nullglob
ls -l "$DATA_DIR/backups" || true
check "backups/ holds exactly one pre-migration-v$schema_n-to-v$((schema_n + 1)) copy" [ "${#backups[@]}" = 1 ]
copy_is_n() {
    [ "$(sqlite_value "${backups[0]}" 'PRAGMA user_version')" = "$schema_n" ] &&
        [ "$(sqlite_value "${backups[0]}" 'SELECT count(*) FROM product')" = 2 ]
}
if [ "${#backups[@]}" = 1 ]; then
    check "the pre-migration copy is schema $schema_n with N's two products" copy_is_n
fi
check "N+1's app opens its window on the migrated data (screenshot window-n1.png)" open_window n1

phase "remove and purge N+1"
before="$(data_sum)"
$SUDO dpkg --purge tracedesk
check "after removing N+1 the data directory is unchanged" [ "$(data_sum)" = "$before" ]

phase "done"
echo
echo "Timings:"
printf '  %s\n' "${timings[@]}"
echo "  total $((SECONDS - started)) s"
echo "Log and screenshots: $OUT"
echo "dist-test: $passed passed, $failed failed"
[ "$failed" = 0 ]
