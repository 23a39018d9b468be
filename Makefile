# custsync — build, run, test, bench, fuzz, install.
# `make run` and `make test` install missing Debian packages with apt-get themselves.

SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)
SWIFT ?= swift
PREFIX ?= /usr
DESTDIR ?=
VERSION := $(shell sed -n 's/.*static let string = "\(.*\)"/\1/p' Sources/custsyncd/Version.swift)

# Debian packages the build, the demo and the tests need.
BUILD_PACKAGES := libcurl4-openssl-dev libsqlite3-dev pkg-config
TEST_PACKAGES := sqlite3 python3 openssl procps bc dovecot-imapd util-linux e2fsprogs libfaketime

.PHONY: all build release deps test-deps run test bench clean

all: build

deps:
	@bash .ci/install-packages $(BUILD_PACKAGES)

test-deps:
	@bash .ci/install-packages $(BUILD_PACKAGES) $(TEST_PACKAGES)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## run: the daemon in the foreground on the embedded default (store, socket and spool under ./var/)
run: build
	@bash .ci/install-packages python3
	@mkdir -p var/lib var/run var/spool/callcenter/incoming
	@# The bundled call-center export, renamed into place the way upstreams should do it.
	@cp connectors/sample/calls.csv var/spool/callcenter/incoming/.calls.csv.tmp \
	  && mv var/spool/callcenter/incoming/.calls.csv.tmp var/spool/callcenter/incoming/calls.csv
	@# The demo order feed on 127.0.0.1:8181 (etc/connectors.d/orders.conf polls it); Ctrl-C stops both.
	@python3 Tests/Fixtures/feed-server.py --port 8181 --orders 500 --page-size 50 > var/run/feed-server.log 2>&1 & \
	  echo $$! > var/run/feed-server.pid; \
	  trap 'kill $$(cat var/run/feed-server.pid) 2>/dev/null' EXIT; \
	  echo "custsyncd is starting on etc/custsyncd.conf (Ctrl-C stops it). In another terminal:"; \
	  echo "    $$($(SWIFT) build --show-bin-path)/syncctl --socket var/run/control.sock status"; \
	  "$$($(SWIFT) build --show-bin-path)/custsyncd" --config etc/custsyncd.conf

## test: unit and integration tests (real binaries, real sockets, real kill -9), then the crash
## matrix in its reduced form (5 kills, small inputs; Tests/Load/crash_matrix.py)
test: test-deps
	$(SWIFT) build --build-tests
	CUSTSYNC_BIN_DIR="$$($(SWIFT) build --show-bin-path)" $(SWIFT) test --skip-build
	python3 Tests/Load/crash_matrix.py "$$($(SWIFT) build --show-bin-path)"
	$(MAKE) --no-print-directory test-systemd-if-possible

## bench: the benchmarks, printed and written to bench/results.md
bench: test-deps
	$(SWIFT) build -c release
	@bash bench/run "$$($(SWIFT) build -c release --show-bin-path)"

clean:
	rm -rf .build .build-fuzz var

# --- packaging ---
# make install / uninstall / deb / test-systemd (issue 9). The files are in systemd/,
# packaging/, contrib/ and Tests/systemd/; README "Install on a server" explains them.
# Release binaries link the Swift runtime statically, so they need only Debian's libc,
# libstdc++, libcurl4 and libsqlite3 (checked with ldd by `make deb`).

PKG_SCRATCH ?= .build-pkg
PKG_SWIFT := $(SWIFT) build -c release --static-swift-stdlib --scratch-path $(PKG_SCRATCH) \
    -Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now
PKG_BIN := $(PKG_SCRATCH)/release
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/custsync
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
CONFDIR = $(SYSCONFDIR)/custsync
DEB_ARCH = $(shell dpkg --print-architecture)
DEB_MAINTAINER ?= custsync maintainers <custsync@example.org>
DEB_DIR ?= dist
DEB_FILE = $(DEB_DIR)/custsync_$(VERSION)_$(DEB_ARCH).deb
DEB_ROOT = $(PKG_SCRATCH)/deb-root
# xz makes the smallest package (about 30 MB) but takes a minute or more; test-systemd uses
# gzip (a few seconds; lintian refuses zstd).
DEB_COMPRESS ?= xz
DEB_PACKAGES := dpkg-dev binutils lintian
SYSTEMD_TEST_PACKAGES := debootstrap systemd-container util-linux

# Connector templates installed for copying into connectors.d/ (the exec sample needs the checkout).
CONNECTOR_TEMPLATES := connectors/callcenter-csv.conf connectors/order-feed.conf

.PHONY: pkg-build install install-files uninstall deb test-systemd test-systemd-if-possible clean-pkg

## pkg-build: release binaries with the Swift runtime linked in ($(PKG_BIN)/custsyncd, syncctl)
pkg-build: deps
	$(PKG_SWIFT) --product custsyncd
	$(PKG_SWIFT) --product syncctl

# The installed main configuration: etc/custsyncd.conf with /var/lib/custsync, /run/custsync
# and /var/spool/custsync (packaging/custsyncd.conf.sed).
$(PKG_SCRATCH)/custsyncd.conf: etc/custsyncd.conf packaging/custsyncd.conf.sed
	@mkdir -p $(PKG_SCRATCH)
	sed -f packaging/custsyncd.conf.sed etc/custsyncd.conf > $@.tmp
	@for line in '[Daemon]' StateDirectory=/var/lib/custsync RuntimeDirectory=/run/custsync \
	        SpoolDirectory=/var/spool/custsync ReaderGroup=custsync-read; do \
	    grep -qxF "$$line" $@.tmp || { echo "packaging: '$$line' missing from the installed custsyncd.conf: etc/custsyncd.conf changed, adapt packaging/custsyncd.conf.sed" >&2; rm -f $@.tmp; exit 1; }; \
	done
	@mv $@.tmp $@

## install: binaries, unit, sysusers, tmpfiles, configuration (never overwritten), man pages,
## bash completion; honours DESTDIR and PREFIX. Without DESTDIR it also creates the user, the
## groups and the spool and reloads systemd (enable with `systemctl enable --now custsyncd`).
install: pkg-build
	@$(MAKE) --no-print-directory install-files
	@if [ -z "$(DESTDIR)" ]; then \
	    if command -v systemd-sysusers >/dev/null; then systemd-sysusers custsync.conf; fi; \
	    if command -v systemd-tmpfiles >/dev/null; then systemd-tmpfiles --create custsync.conf; fi; \
	    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
	    echo "installed; edit $(CONFDIR)/, then: systemctl enable --now custsyncd"; \
	fi

install-files: $(PKG_SCRATCH)/custsyncd.conf
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(CONFDIR)/connectors.d $(DESTDIR)$(DATADIR)/custsync/connectors \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(DOCDIR)
	install -m 0755 $(PKG_BIN)/custsyncd $(DESTDIR)$(SBINDIR)/custsyncd
	install -m 0755 $(PKG_BIN)/syncctl $(DESTDIR)$(BINDIR)/syncctl
	sed -e 's|/usr/sbin/custsyncd|$(SBINDIR)/custsyncd|g' -e 's|/etc/custsync/|$(CONFDIR)/|g' \
	    systemd/custsyncd.service > $(DESTDIR)$(UNITDIR)/custsyncd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/custsyncd.service
	install -m 0644 systemd/custsync.sysusers $(DESTDIR)$(SYSUSERSDIR)/custsync.conf
	install -m 0644 systemd/custsync.tmpfiles $(DESTDIR)$(TMPFILESDIR)/custsync.conf
	@if [ -e $(DESTDIR)$(CONFDIR)/custsyncd.conf ]; then \
	    install -m 0644 $(PKG_SCRATCH)/custsyncd.conf $(DESTDIR)$(CONFDIR)/custsyncd.conf.dist; \
	    echo "kept $(DESTDIR)$(CONFDIR)/custsyncd.conf; the new default is custsyncd.conf.dist beside it"; \
	else \
	    echo "install -m 0644 $(PKG_SCRATCH)/custsyncd.conf $(DESTDIR)$(CONFDIR)/custsyncd.conf"; \
	    install -m 0644 $(PKG_SCRATCH)/custsyncd.conf $(DESTDIR)$(CONFDIR)/custsyncd.conf; \
	fi
	install -m 0644 $(CONNECTOR_TEMPLATES) $(DESTDIR)$(DATADIR)/custsync/connectors/
	install -m 0644 docs/man/syncctl.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 docs/man/custsyncd.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 docs/man/custsyncd.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 contrib/bash-completion/syncctl $(DESTDIR)$(BASHCOMPDIR)/syncctl
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m 0644 connectors/README.md $(DESTDIR)$(DOCDIR)/connectors.md

## uninstall: removes what install put in place; keeps the configuration, the store, the
## spool, the user and the groups (say so).
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/custsyncd $(DESTDIR)$(BINDIR)/syncctl \
	    $(DESTDIR)$(UNITDIR)/custsyncd.service $(DESTDIR)$(SYSUSERSDIR)/custsync.conf \
	    $(DESTDIR)$(TMPFILESDIR)/custsync.conf $(DESTDIR)$(BASHCOMPDIR)/syncctl \
	    $(DESTDIR)$(MANDIR)/man1/syncctl.1 $(DESTDIR)$(MANDIR)/man5/custsyncd.conf.5 \
	    $(DESTDIR)$(MANDIR)/man8/custsyncd.8 $(DESTDIR)$(DOCDIR)/README.md $(DESTDIR)$(DOCDIR)/connectors.md \
	    $(addprefix $(DESTDIR)$(DATADIR)/custsync/connectors/,$(notdir $(CONNECTOR_TEMPLATES)))
	-rmdir $(DESTDIR)$(DATADIR)/custsync/connectors $(DESTDIR)$(DATADIR)/custsync $(DESTDIR)$(DOCDIR) 2>/dev/null
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "kept: $(DESTDIR)$(CONFDIR)/ (configuration), /var/lib/custsync (store), /var/spool/custsync,"
	@echo "      the user custsync and the groups custsync-*; remove them yourself when no longer needed."

## deb: $(DEB_FILE), built with dpkg-deb and checked with lintian (errors fail the build)
deb: pkg-build $(PKG_SCRATCH)/custsyncd.conf
	@bash .ci/install-packages $(DEB_PACKAGES)
	@bash packaging/build-deb "$(VERSION)" "$(DEB_ARCH)" "$(DEB_MAINTAINER)" "$(DEB_ROOT)" "$(DEB_FILE)" \
	    "$(MAKE) --no-print-directory install-files DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr" "$(DEB_COMPRESS)"

## test-systemd: builds the .deb, installs it in a Debian 12 container booted with systemd
## (systemd-nspawn) and checks the service there (Tests/systemd/run.sh)
test-systemd:
	@$(MAKE) --no-print-directory deb DEB_COMPRESS=gzip
	@bash .ci/install-packages $(SYSTEMD_TEST_PACKAGES)
	bash Tests/systemd/run.sh "$(DEB_FILE)"

# For `make test`: test-systemd when this machine can boot a container, else a clear skip.
test-systemd-if-possible:
	@if reason=$$(bash Tests/systemd/run.sh --probe); then \
	    $(MAKE) --no-print-directory test-systemd; \
	else \
	    echo "test-systemd: SKIPPED: $$reason"; \
	fi

clean-pkg:
	rm -rf $(PKG_SCRATCH) $(DEB_DIR)

# --- eval ---
# make eval (issue 6): identity resolution measured on a seeded, generated multi-source population
# with ground truth (pairwise precision/recall/F1, wrong-merge examples), then the cost of matching
# against 10,000 vs 1,000,000 customers. Figures are printed, never asserted. Knobs (EVAL_PERSONS,
# EVAL_SEED, EVAL_SCALE_BIG, EVAL_FILL, …) are listed in Sources/custsync-eval/main.swift.
.PHONY: eval
## eval: identity-resolution quality (P/R/F1) and matching cost at 10k vs 1M customers, printed
eval: deps
	$(SWIFT) build -c release --product custsync-eval
	@"$$($(SWIFT) build -c release --show-bin-path)/custsync-eval" all

# --- crash matrix and soak ---
# make test-crash / soak (issue 10): one release daemon with a csv-drop, an order-feed, an imap
# (dovecot on loopback) and an exec connector under load at once; Tests/Load/ explains both.
CRASH_KILLS ?= 50
CRASH_SCALE ?= 4
SOAK_SECONDS ?= 600
.PHONY: test-crash soak
## test-crash: kill -9 at CRASH_KILLS (50) seeded random moments under the mixed load, then every
## record checked exactly once against the ground truth; the seed is printed: replay a run with
## CRASH_SEED=… make test-crash (CRASH_SCALE multiplies the input sizes)
test-crash: test-deps
	$(SWIFT) build -c release
	CRASH_KILLS=$(CRASH_KILLS) CRASH_SCALE=$(CRASH_SCALE) \
	    python3 Tests/Load/crash_matrix.py "$$($(SWIFT) build -c release --show-bin-path)"
## soak: the release daemon under a steady mixed load for SOAK_SECONDS (600); prints RSS, open
## descriptors and CPU time at intervals (SOAK_INTERVAL), then whether RSS and descriptors stayed flat
soak: test-deps
	$(SWIFT) build -c release
	SOAK_SECONDS=$(SOAK_SECONDS) python3 Tests/Load/soak.py "$$($(SWIFT) build -c release --show-bin-path)"

# --- fuzz ---
# make fuzz (issue 10): libFuzzer targets for the CSV reader (with charset decoding), the
# RFC 5322/MIME/RFC 2047 mail parser, the INI and configuration parser, the exec connector's
# NDJSON lines and order-feed pages (Tests/Fuzz/targets/), built by Tests/Fuzz/build with
# swiftc -sanitize=fuzzer,address into .build-fuzz/ (outside `swift build` and `make test`).
# Each runs FUZZ_SECONDS (default 600), one after the other, from the seeds in Tests/Fuzz/corpus/
# and the past crashes in Tests/Fuzz/regressions/; a summary gives runs and crashes per target.
# FUZZ_TARGETS picks some (e.g. FUZZ_TARGETS="csv mail"); Tests/Fuzz/run lists the other knobs.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?=
.PHONY: fuzz
## fuzz: each fuzz target for FUZZ_SECONDS (default 600 = 10 minutes), then runs and crashes per target
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash Tests/Fuzz/run $(FUZZ_TARGETS)
