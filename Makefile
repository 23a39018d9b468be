# custsync — build, run, test, bench, install.
# `make run` and `make test` install missing Debian packages with apt-get themselves.

SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)
SWIFT ?= swift
PREFIX ?= /usr
DESTDIR ?=
VERSION := $(shell sed -n 's/.*static let string = "\(.*\)"/\1/p' Sources/custsyncd/Version.swift)

# Debian packages the build, the demo and the tests need.
BUILD_PACKAGES := libcurl4-openssl-dev libsqlite3-dev pkg-config
TEST_PACKAGES := sqlite3 python3 openssl procps

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
	@mkdir -p var/lib var/run var/spool
	@echo "custsyncd is starting on etc/custsyncd.conf (Ctrl-C stops it). In another terminal:"
	@echo "    $$($(SWIFT) build --show-bin-path)/syncctl --socket var/run/control.sock status"
	@exec "$$($(SWIFT) build --show-bin-path)/custsyncd" --config etc/custsyncd.conf

## test: unit and integration tests (real binaries, real sockets, real kill -9)
test: test-deps
	$(SWIFT) build --build-tests
	CUSTSYNC_BIN_DIR="$$($(SWIFT) build --show-bin-path)" $(SWIFT) test --skip-build

## bench: the benchmarks, printed and written to bench/results.md
bench: test-deps
	$(SWIFT) build -c release
	@bash bench/run "$$($(SWIFT) build -c release --show-bin-path)"

clean:
	rm -rf .build var
