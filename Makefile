# Consentry's build. GOOS=js GOARCH=wasm is set on each command that builds for the
# browser, never for the whole file: the tools and the tests run natively.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

GO ?= go
PORT ?= 8080
FUZZTIME ?= 30s
# The end-to-end suite takes a few minutes on an idle 2-core machine, and over ten (go
# test's default limit) when the machine is shared.
TEST_TIMEOUT ?= 30m

# Flags of every wasm build, the widget's and the size baselines', so they compare fairly.
WASM_BUILDFLAGS := -trimpath -ldflags='-s -w'
# The widget alone is also built without inlining, the runtime's included: inlined copies
# of small functions cost more bytes on the wire than the calls they save cost time
# (measured in docs/performance.md). `make size` shows a baseline built both ways.
WASM_GCFLAGS := -gcflags=all=-l

# What the widget's wasm is built from: its Go packages and the files they embed.
WASM_SOURCES := $(shell find wasm widget third_party/safejs -type f -not -name '*_test.go' -not -path '*/testdata/*' 2>/dev/null) \
	$(wildcard web/*.go web/*.css) go.mod go.sum
# What the dist step is built from.
DIST_TOOL_SOURCES := $(filter-out %_test.go,$(wildcard cmd/consentry/*.go internal/distbuild/*.go))

.PHONY: help
help: ## list the targets
	@echo "usage: make <target> [GO=go] [PORT=$(PORT)] [FUZZTIME=$(FUZZTIME)]"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  %-8s %s\n", $$1, $$2 }'

.PHONY: build
build: build/consentry.wasm ## build the widget: build/consentry.wasm

build/consentry.wasm: $(WASM_SOURCES)
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build $(WASM_BUILDFLAGS) $(WASM_GCFLAGS) -o $@ ./wasm

.PHONY: dist
dist: dist/consentry.js ## write dist/: consentry.js, consentry.<hash>.wasm, policy.json, .br and .gz, consentry.d.ts, package.json

# consentry.js stands for the whole folder: the dist step writes all of it at once.
dist/consentry.js: build/consentry.wasm wasm_exec.js web/loader.js web/consentry.d.ts policy.json $(DIST_TOOL_SOURCES)
	$(GO) run ./cmd/consentry dist -o dist -wasm build/consentry.wasm

.PHONY: run
run: dist ## serve the demo at http://localhost:PORT/
	$(GO) run ./cmd/consentry serve -addr :$(PORT) -dist dist -demo web/demo

# The baselines are rebuilt on every `make size`, with the toolchain of that run: the
# minimal programs with the standard flags (the floor every Go wasm pays), the safejs one
# also with the widget's flags, and two builds that keep their function names for the
# table of what each package adds.
.PHONY: size
SIZE_IMPORTS := encoding/json=json regexp=regexp crypto/sha256=sha256 crypto/rand=cryptorand time.Parse+Format=timelayout
size: ## ablation tables: dist against minimal wasm programs, imports avoided, code by package
size: dist build/floor.wasm build/safejs.wasm build/safejs-noinline.wasm build/names/consentry.wasm build/names/safejs.wasm \
		$(foreach i,$(SIZE_IMPORTS),build/with/$(lastword $(subst =, ,$(i))).wasm)
	$(GO) run ./cmd/consentry size -dist dist \
		-baseline build/floor.wasm -baseline build/safejs.wasm -baseline build/safejs-noinline.wasm \
		-import-base build/safejs.wasm $(foreach i,$(SIZE_IMPORTS),-import $(firstword $(subst =, ,$(i)))=build/with/$(lastword $(subst =, ,$(i))).wasm) \
		-code build/names/consentry.wasm -code-baseline build/names/safejs.wasm

build/with/%.wasm: FORCE
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build $(WASM_BUILDFLAGS) -o $@ ./internal/sizebaseline/with/$*

build/floor.wasm build/safejs.wasm: build/%.wasm: FORCE
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build $(WASM_BUILDFLAGS) -o $@ ./internal/sizebaseline/$*

build/safejs-noinline.wasm: FORCE
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build $(WASM_BUILDFLAGS) $(WASM_GCFLAGS) -o $@ ./internal/sizebaseline/safejs

build/names/consentry.wasm: FORCE
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build -trimpath $(WASM_GCFLAGS) -o $@ ./wasm

build/names/safejs.wasm: FORCE
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build -trimpath $(WASM_GCFLAGS) -o $@ ./internal/sizebaseline/safejs

.PHONY: FORCE
FORCE:

# The page-load benchmark (cmd/bench): Consentry against a static HTML banner, the floor of a
# safejs banner (build/banner.wasm, rebuilt on every run like the size baselines),
# vanilla-cookieconsent and klaro (npm devDependencies), in headless Chromium. Extra flags
# go in BENCH_FLAGS, e.g. BENCH_FLAGS='-o docs/performance.md' or '-runs 3 -throttled-runs 1'.
BENCH_FLAGS ?=
.PHONY: bench
bench: chromium dist build/banner.wasm node_modules/.package-lock.json ## page-load benchmark in Chromium (BENCH_FLAGS=...)
	$(GO) run ./cmd/bench -dist dist -floor build/banner.wasm $(BENCH_FLAGS)

build/banner.wasm: FORCE
	@mkdir -p $(@D)
	GOOS=js GOARCH=wasm $(GO) build $(WASM_BUILDFLAGS) -o $@ ./internal/sizebaseline/banner

# npm writes node_modules/.package-lock.json on every install: older than the lock means stale.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci

# What the tests need from Debian, by the file that shows it is installed:
#   Chromium: the end-to-end tests, the scanner's tests and the benchmark;
#   Firefox ESR, WebKitGTK's WebDriver (MiniBrowser) and Xvfb: the cross-engine journeys;
#   PostgreSQL: the receipts store's conformance suite (internal/pgtest starts a throwaway
#   server from these binaries).
# CI runs as root on a fresh machine: what is missing is installed in one apt-get run.
# Anywhere else installing is left to the developer; tests of a missing part are skipped
# locally and fail under CI=true.
SYSTEM_PACKAGES := /usr/bin/chromium=chromium /usr/bin/firefox-esr=firefox-esr \
	/usr/bin/WebKitWebDriver=webkit2gtk-driver /usr/bin/Xvfb=xvfb \
	/usr/lib/postgresql/*/bin/initdb=postgresql
.PHONY: deps system-packages chromium postgresql browsers
deps: system-packages ## install what the tests need (Chromium, Firefox, WebKit, PostgreSQL; npm packages)
	@if [ -f package.json ]; then npm ci; fi

# chromium, browsers and postgresql stay as names for the targets that need only theirs.
chromium browsers postgresql: system-packages

system-packages:
	@missing=""; \
	for pair in $(SYSTEM_PACKAGES); do \
		if ! ls $${pair%%=*} >/dev/null 2>&1; then missing="$$missing $${pair##*=}"; fi; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "make: installing from Debian:$$missing"; \
			apt-get -o DPkg::Lock::Timeout=600 update && \
			DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y $$missing; \
		else \
			echo "make: missing Debian packages:$$missing" >&2; \
			echo "  Install them as root, then run make again:  sudo apt-get install$$missing" >&2; \
			case "$$missing" in *chromium*) exit 1;; esac; \
		fi; \
	fi

# The cross-engine journeys: each journey of journeys/journeys.mjs in Chromium (puppeteer-core
# over CDP), Firefox (puppeteer-core over WebDriver BiDi) and WebKit (WebKitWebDriver), two
# engines at a time, against dist/ served by internal/journeyserver; prints the journey ×
# engine table and fails when any cell fails. Nothing is downloaded: Debian's browsers only.
JOURNEYS_CONCURRENCY ?= 2
.PHONY: engines
engines: chromium browsers dist node_modules/.package-lock.json build/journeyserver ## the core journeys in Chromium, Firefox and WebKit: a journey × engine table
	@mkdir -p build
	PUPPETEER_SKIP_DOWNLOAD=1 JOURNEYS_CONCURRENCY=$(JOURNEYS_CONCURRENCY) node journeys/run.mjs 2>&1 | tee build/engines.log

build/journeyserver: FORCE
	@mkdir -p $(@D)
	$(GO) build -o $@ ./internal/journeyserver

# Receipts a second through the receipts endpoint on loopback, for each store (SQLite, and
# PostgreSQL started from Debian's binaries), p50/p99 latency, median of RUNS runs of
# RECEIPTS receipts each. Figures in docs/performance.md.
RECEIPTS ?= 20000
RUNS ?= 3
.PHONY: bench-receipts
bench-receipts: postgresql ## receipts/s and p50/p99 of the receipts endpoint, SQLite and PostgreSQL
	$(GO) run ./cmd/bench-receipts -n $(RECEIPTS) -runs $(RUNS)

# Prints, for each package, the top-level tests that passed, failed and were skipped (the
# end-to-end tests are those of the root package), then the totals on the last line, and
# fails if anything failed or if no test ran at all.
.PHONY: test
test: deps dist node_modules/.package-lock.json build/journeyserver ## vet, every test (unit, fuzz seeds, end-to-end), then the cross-engine journeys
	@mkdir -p build
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/... ./internal/sizebaseline/...
	@status=0; \
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) -v ./... 2>&1 | tee build/test.log || status=$$?; \
	echo; echo "== test summary (full log: build/test.log)"; \
	awk ' \
		/^--- PASS: TestE2E/ { ep++ } /^--- FAIL: TestE2E/ { ef++ } /^--- SKIP: TestE2E/ { es++ } \
		/^--- PASS/ { p++ } /^--- FAIL/ { f++ } /^--- SKIP/ { s++ } \
		/^ +--- PASS/ { sp++ } /^ +--- FAIL/ { sf++ } \
		/^(ok|FAIL) *\t/ { \
			printf "%-4s %-55s %3d passed, %d failed, %d skipped (subtests: %d passed, %d failed)\n", $$1, $$2, p, f, s, sp, sf; \
			P += p; F += f; S += s } \
		/^(ok|FAIL|\?) *\t/ { p = f = s = sp = sf = 0 } \
		END { printf "end-to-end in Chromium (TestE2E*): %d passed, %d failed, %d skipped\n", ep, ef, es; \
			printf "total: %d passed, %d failed, %d skipped\n", P, F, S; exit (F > 0 || P == 0) } \
	' build/test.log || { [ $$status -ne 0 ] || status=1; }; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (exit status $$status); see build/test.log" >&2; fi; \
	exit $$status
	PUPPETEER_SKIP_DOWNLOAD=1 JOURNEYS_CONCURRENCY=$(JOURNEYS_CONCURRENCY) node journeys/run.mjs 2>&1 | tee build/engines.log

# Screenshots of both layers (1280x800 and 360x740) for people to look at; not a test.
.PHONY: screenshots
screenshots: deps dist node_modules/.package-lock.json build/journeyserver ## save screenshots of both layers to build/screenshots/ (release evidence: build/screenshots/<build id>/)
	$(GO) test -tags screenshots -count=1 -run '^TestScreenshots' -v . | grep -E '^(---|ok|FAIL)|\.png'
	CONSENTRY_SCREENSHOTS=1 PUPPETEER_SKIP_DOWNLOAD=1 node journeys/run.mjs | grep -E '^wrote|✖|FAIL'

# go test -fuzz takes one target at a time.
.PHONY: fuzz
# Every package whose tests parse untrusted input: the widget (policy, cookie), the receipts
# endpoint (receipt bodies), the scanner (JSON pointers into a site's policy) and the
# policy warnings of consentry validate.
FUZZ_PACKAGES := ./widget/ ./receipts/ ./internal/scan/ ./cmd/consentry/
fuzz: ## run each fuzz target (widget/, receipts/, internal/scan/, cmd/consentry/) for FUZZTIME (default 30s)
	@for pkg in $(FUZZ_PACKAGES); do \
	targets="$$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true)"; \
	if [ -z "$$targets" ]; then echo "make fuzz: no fuzz targets in $$pkg"; continue; fi; \
	for t in $$targets; do \
		echo "== $$pkg $$t for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg; \
	done; \
	done

.PHONY: clean
clean: ## remove build/ and dist/
	rm -rf build dist

# The policy linter for site owners: every problem of policy.json with its line, column
# and place, checked by the widget's own parser (POLICY=path/to/policy.json for another).
POLICY ?= policy.json
.PHONY: lint-policy
lint-policy: ## check policy.json (or POLICY=file) as the widget would; print every problem
	$(GO) run ./cmd/consentry validate $(POLICY)

# The compliance scanner (CONTRACT.md §12) on the demo as `make run` serves it, on a free
# loopback port: four phases, two pages each; prints the progress lines and the summary.
# The report goes to build/scan-demo.html (SCAN_FORMAT=json|sarif|junit|html).
SCAN_FORMAT ?= html
.PHONY: scan-demo
scan-demo: chromium dist ## scan the demo with consentry scan and print the summary
	@mkdir -p build
	@$(GO) build -o build/consentry ./cmd/consentry
	@build/consentry serve -addr 127.0.0.1:0 -dist dist -demo web/demo > build/scan-demo-serve.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 100); do url=$$(sed -n 's/^Consentry demo: //p' build/scan-demo-serve.log); [ -n "$$url" ] && break; sleep 0.1; done; \
	[ -n "$$url" ] || { cat build/scan-demo-serve.log; exit 2; }; \
	start=$$(date +%s%3N); status=0; \
	build/consentry scan "$$url" -pages 1 -format $(SCAN_FORMAT) -o build/scan-demo.$(SCAN_FORMAT) -draft-policy build/scan-demo-policy.json || status=$$?; \
	ms=$$(( $$(date +%s%3N) - start )); \
	echo "make scan-demo: $$((ms / 1000)).$$(printf %03d $$((ms % 1000))) s wall clock; report: build/scan-demo.$(SCAN_FORMAT) (exit status $$status)"; \
	exit $$status
