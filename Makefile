# Loupe: the two commands everyone uses, and the stages they are made of.
#
#   make run    install what is missing, build the UI and the app (release), open the app on
#               your book (~/.local/share/app.loupe.desktop/loupe.sqlite3, or $LOUPE_DB)
#   make test   install what is missing, then every check: rustfmt, UI tests and type check,
#               the Rust tests, clippy, and the end-to-end tests in a real window under Xvfb
#   make demo   like `make run`, on a separate demo book of 200 customers (never your own)
#   make package  the Debian (and RPM) packages of a release, in target/release/bundle/
#   make bench-window  the window's start and memory on a demo book (not part of `make test`)
#
# Every stage prints its name and time; the first failure stops the run with a non-zero exit.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:
.DELETE_ON_ERROR:

# cargo install puts tauri-driver here; a fresh shell may not have it on PATH yet.
export PATH := $(HOME)/.cargo/bin:$(PATH)
export DEBIAN_FRONTEND := noninteractive
# CI builds from scratch once: incremental compilation would only cost time and disk.
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
export CARGO_TERM_COLOR := never
endif

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(ROOT)/target)
STAGE := $(ROOT)/.ci/stage
export STAGE_TIMES := $(TARGET_DIR)/stage-times.txt

# `make run PROFILE=debug` reuses the debug build of `make test`.
PROFILE ?= release
CARGO_PROFILE_FLAG := $(if $(filter release,$(PROFILE)),--release,)
DEMO_BOOK ?= $(TARGET_DIR)/demo/loupe-demo.sqlite3
# The test build: the window reads the LOUPE_*_FILE / LOUPE_*_DIR variables that stand in for
# its native dialogs. The build, the Rust tests and clippy pass the same features so they share
# one debug build; `make run` and `make demo` never turn it on.
TEST_FEATURES := --features loupe-desktop/e2e-hooks

.PHONY: help run demo test package deps-run deps-test ui-deps e2e-deps packaging-deps ui-build \
        fmt ui-test ui-check build rust-test clippy e2e package-test clean-stage-times stage-summary \
        bench-window

help:
	@echo "make run    build and open Loupe on your book (installs what is missing)"
	@echo "make test   run every check and test, end-to-end included (installs what is missing)"
	@echo "make demo   open Loupe on a separate demo book of 200 customers"
	@echo "make package  build the .deb (and .rpm) to install Loupe: target/release/bundle/"
	@echo "make bench-window  time the window's start and measure its memory on a demo book"

# ---------------------------------------------------------------------------------------------
# Installing

deps-run:
	@$(STAGE) "system packages (run)" .ci/install-deps run

deps-test:
	@$(STAGE) "system packages, rustfmt/clippy, tauri-driver" .ci/install-deps test

ui/package.json ui/package-lock.json:
	@echo "*** $@ is missing: the UI package (with its lock file) is required to build Loupe" >&2; exit 1

# npm ci only when the lock file changed since the last install (npm writes this file).
ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	@$(STAGE) "npm ci (ui)" npm --prefix ui ci --no-audit --no-fund

tests/e2e/node_modules/.package-lock.json: tests/e2e/package.json tests/e2e/package-lock.json
	@$(STAGE) "npm ci (tests/e2e)" npm --prefix tests/e2e ci --no-audit --no-fund

packaging/node_modules/.package-lock.json: packaging/package.json packaging/package-lock.json
	@$(STAGE) "npm ci (packaging: the Tauri CLI)" npm --prefix packaging ci --no-audit --no-fund

ui-deps: ui/node_modules/.package-lock.json
e2e-deps: tests/e2e/node_modules/.package-lock.json
packaging-deps: packaging/node_modules/.package-lock.json

# ---------------------------------------------------------------------------------------------
# Building

# The desktop binary embeds ui/dist at compile time, so the UI is built before any cargo step.
ui-build: ui-deps
	@$(STAGE) "build the UI (ui/dist)" npm --prefix ui run build

# ---------------------------------------------------------------------------------------------
# Running

run: deps-run ui-build
	@$(STAGE) "build the app and the CLI ($(PROFILE))" cargo build $(CARGO_PROFILE_FLAG) -p loupe-desktop -p loupe-cli
	@echo "==> opening Loupe on $${LOUPE_DB:-your book in ~/.local/share/app.loupe.desktop}"
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "*** no DISPLAY or WAYLAND_DISPLAY: Loupe needs a graphical session" >&2; exit 1; fi
	cargo run $(CARGO_PROFILE_FLAG) -p loupe-desktop

demo: deps-run ui-build
	@$(STAGE) "build the app and the CLI ($(PROFILE))" cargo build $(CARGO_PROFILE_FLAG) -p loupe-desktop -p loupe-cli
	@mkdir -p $(dir $(DEMO_BOOK))
	@if [ ! -e "$(DEMO_BOOK)" ]; then \
	  $(STAGE) "fill the demo book" $(TARGET_DIR)/$(PROFILE)/loupe --db "$(DEMO_BOOK)" demo --customers 200 --seed 1; fi
	LOUPE_DB="$(DEMO_BOOK)" cargo run $(CARGO_PROFILE_FLAG) -p loupe-desktop

# ---------------------------------------------------------------------------------------------
# The window's bench (tests/e2e/bench/window.mjs): launch → first rows of the list, and the PSS of
# the window's process tree on the list, beside the same window on an empty book. A release
# build, as a dealer runs it; the demo book is made once per size (delete it after changing the
# demo generator). `make bench-window BENCH_CUSTOMERS=1000000` for the start target.

BENCH_CUSTOMERS ?= 100000
BENCH_BOOK ?= $(TARGET_DIR)/bench/window-$(BENCH_CUSTOMERS)-customers-seed-42.sqlite3

bench-window: deps-test e2e-deps ui-build
	@$(STAGE) "build the app and the CLI (release)" cargo build --release -p loupe-desktop -p loupe-cli
	@mkdir -p $(dir $(BENCH_BOOK))
	@if [ ! -e "$(BENCH_BOOK)" ]; then \
	  $(STAGE) "fill the bench book ($(BENCH_CUSTOMERS) customers)" \
	    $(TARGET_DIR)/release/loupe --db "$(BENCH_BOOK)" demo --customers $(BENCH_CUSTOMERS) --seed 42; fi
	node tests/e2e/bench/window.mjs --app $(TARGET_DIR)/release/loupe-desktop --db "$(BENCH_BOOK)"

# ---------------------------------------------------------------------------------------------
# Packaging: the Tauri bundler, through the prebuilt Tauri CLI from npm, builds the packages
# with no download. `tauri build` runs `cargo build --bins` (the window and the `loupe` CLI, in
# the same profile, without the test hooks) and then bundles; tauri.conf.json lists what goes in.
# The CLI's path depends on the profile and the target directory, so it is given here.

TAURI := $(ROOT)/packaging/node_modules/.bin/tauri
PACKAGE_BUNDLES ?= deb,rpm
cli_in_packages = '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/loupe":"$(TARGET_DIR)/$(1)/loupe"}},"rpm":{"files":{"/usr/bin/loupe":"$(TARGET_DIR)/$(1)/loupe"}}}}}'

package: deps-run packaging-deps ui-build
	@rm -rf $(TARGET_DIR)/release/bundle/deb $(TARGET_DIR)/release/bundle/rpm
	@$(STAGE) "build the packages (release: $(PACKAGE_BUNDLES))" $(TAURI) build --bundles $(PACKAGE_BUNDLES) --config $(call cli_in_packages,release)
	@echo "==> install with: sudo apt install $$(ls $(TARGET_DIR)/release/bundle/deb/*.deb)"; \
	  ls -l $(TARGET_DIR)/release/bundle/*/*.deb $(TARGET_DIR)/release/bundle/*/*.rpm 2>/dev/null || true

# ---------------------------------------------------------------------------------------------
# Testing: cheap checks first, then one debug build shared by the Rust tests and the e2e
# tests, then clippy (it re-checks the dependencies in check mode, so it reuses only the
# build scripts and proc-macros of the build), then the real window.

test: clean-stage-times deps-test fmt ui-deps e2e-deps packaging-deps ui-build ui-test ui-check build rust-test clippy e2e \
      package-test stage-summary

clean-stage-times:
	@rm -f "$(STAGE_TIMES)"

fmt:
	@$(STAGE) "cargo fmt --check" cargo fmt --all --check

ui-test: ui-deps
	@$(STAGE) "UI unit tests (vitest)" npm --prefix ui test

ui-check: ui-deps
	@$(STAGE) "UI type check (svelte-check)" npm --prefix ui run check

build: ui-build
	@$(STAGE) "cargo build (debug: app + CLI for e2e)" cargo build --workspace $(TEST_FEATURES)

rust-test: ui-build
	@$(STAGE) "cargo test" cargo test --workspace $(TEST_FEATURES)

# The second run checks the window as a release has it, without the test hooks (the shell's
# crate only: its dependencies are already checked).
clippy: ui-build
	@$(STAGE) "cargo clippy -D warnings" cargo clippy --workspace --all-targets $(TEST_FEATURES) -- -D warnings
	@$(STAGE) "cargo clippy -D warnings (the window without test hooks)" cargo clippy -p loupe-desktop --all-targets -- -D warnings

# The e2e harness checks for tauri-driver, WebKitWebDriver, Xvfb and the binaries and fails,
# never skips, when one is missing.
e2e: e2e-deps build
	@$(STAGE) "end-to-end tests (tauri-driver + WebKitWebDriver under Xvfb)" node tests/e2e/run.mjs

# The .deb of the debug build (only the window's crate rebuilds, without the test hooks: so this
# comes after `e2e`, whose binary it replaces), installed as root with apt-get, started, upgraded
# and removed again (tests/e2e/package). Its screenshots go to tests/e2e/artifacts/package.
package-test: deps-test packaging-deps e2e-deps ui-build
	@rm -rf $(TARGET_DIR)/debug/bundle/deb
	@$(STAGE) "build the .deb (debug, without the test hooks)" $(TAURI) build --debug --bundles deb --config $(call cli_in_packages,debug)
	@$(STAGE) "build the maker of older-schema books (an example of the core)" \
	  cargo build --workspace $(TEST_FEATURES) --example book_at_schema
	@$(STAGE) "install, start, upgrade and remove the .deb (under Xvfb)" \
	  env LOUPE_E2E_DEB="$$(ls $(TARGET_DIR)/debug/bundle/deb/*.deb)" LOUPE_E2E_ARTIFACTS=$(ROOT)/tests/e2e/artifacts/package \
	  LOUPE_E2E_BOOK_AT_SCHEMA=$(TARGET_DIR)/debug/examples/book_at_schema \
	  node tests/e2e/run.mjs tests/e2e/package/install-upgrade.test.mjs

stage-summary:
	@echo; if grep -q FAILED "$(STAGE_TIMES)"; then \
	  echo "*** make test FAILED. Stage times:"; cat "$(STAGE_TIMES)"; exit 1; fi; \
	echo "==> make test: every stage passed. Stage times:"; cat "$(STAGE_TIMES)"
