# Barometre — two commands do everything on a fresh machine:
#   make run    install what is missing, build, run the main job on the shipped example
#   make test   install what is missing, build, run every test
# Other targets: build, schema, fixtures (regenerate the R reference values), bench, coverage,
# tsan (concurrency tests under ThreadSanitizer), fuzz (libFuzzer targets), clean.

SWIFT    ?= swift
BIN      := .build/release/barometre
RESULTS  := results
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT      := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: all deps build test run schema fixtures bench coverage tsan fuzz clean

all: build

# System packages the build needs: GNU GSL for every statistic, SQLite for the ledger
# (GRDB links the system library), COIN-OR CBC for the report card's grades (an open
# mixed-integer solver), all found through pkg-config.
deps:
	@command -v $(SWIFT) >/dev/null || { echo "error: the Swift toolchain (swift 6) is not on PATH; install it first" >&2; exit 69; }
	@if ! pkg-config --exists gsl sqlite3 cbc 2>/dev/null; then \
		echo "Installing GNU GSL (libgsl-dev), SQLite (libsqlite3-dev), COIN-OR CBC (coinor-libcbc-dev) and pkg-config…"; \
		$(APT) update -qq && $(APT) install -y -qq libgsl-dev libsqlite3-dev coinor-libcbc-dev pkg-config >/dev/null; \
	fi
	@pkg-config --exists gsl || { echo "error: GNU GSL is still missing: install libgsl-dev" >&2; exit 69; }
	@pkg-config --exists sqlite3 || { echo "error: SQLite is still missing: install libsqlite3-dev" >&2; exit 69; }
	@pkg-config --exists cbc || { echo "error: COIN-OR CBC is still missing: install coinor-libcbc-dev" >&2; exit 69; }
	@# Reports: PDF engines (WeasyPrint, Chromium), pdftotext and a real browser for the tests.
	@if ! command -v weasyprint >/dev/null || ! command -v pdftotext >/dev/null || ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "Installing WeasyPrint, poppler-utils, Chromium and chromedriver…"; \
		$(APT) update -qq && $(APT) install -y -qq weasyprint poppler-utils chromium chromium-driver >/dev/null; \
	fi
	@python3 -c "import selenium" 2>/dev/null || { echo "Installing selenium (PyPI)…"; python3 -m pip install -q selenium; }
	@python3 -c "import selenium_axe_python" 2>/dev/null || { echo "Installing selenium-axe-python (PyPI, ships axe-core)…"; python3 -m pip install -q selenium-axe-python; }

build: deps
	$(SWIFT) build -c release --product barometre

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --disable-xctest

# The main job: validate the three example campaigns (housing, employment, internship),
# draw their plans and documents into results/<campaign id>/ and register them in the
# ledger, record SIMULATED outcomes for them (flagged and watermarked), import a real
# published study (TEPP inter1, Petit et al. 2013), show the ledger's status, analyse
# inter1, write French HTML and PDF reports for the four, and run the calculator.
EXAMPLES := $(filter-out campaigns/barometre-%.json,$(wildcard campaigns/*.json))

run: build
	@mkdir -p $(RESULTS)
	$(BIN) validate $(EXAMPLES)
	@for f in $(EXAMPLES); do $(BIN) plan $$f || exit $$?; done
	@# Simulated outcomes (flagged and watermarked everywhere) so that the examples can be analysed.
	$(BIN) simulate emploi-origine-lille-2026 --scenario campaigns/scenarios/employment-origin-lille-2026.scenario.json --seed 2026
	$(BIN) simulate logement-origine-residence-lille-2026 --scenario campaigns/scenarios/housing-origin-residence-lille-2026.scenario.json --seed 2026
	$(BIN) simulate stage-3e-residence-origine-lille-2026 --scenario campaigns/scenarios/internship-residence-origin-lille-2026.scenario.json --seed 2026
	@# 30 agencies × 16 tests whose discrimination differs (simulated): the organizations' report card.
	$(BIN) simulate logement-agences-lille-2026 --scenario campaigns/scenarios/housing-agencies-lille-2026.scenario.json --seed 2026
	$(BIN) stats paired --both 15 --reference-only 71 --tested-only 11 --neither 213 --format json > $(RESULTS)/inter1-man-f-vs-woman-s.json
	$(BIN) import-study ../shared/data/tepp/inter1.csv --id inter1 --target offer --arm gender,origin --reference Man,F \
		--outcome callback --positive TRUE --slice paris --order sentorder \
		--label "Man.F=Homme, origine française" --label "Man.M=Homme, origine marocaine" --label "Man.S=Homme, origine sénégalaise" \
		--label "Man.V=Homme, origine vietnamienne" --label "Woman.F=Femme, origine française" --label "Woman.M=Femme, origine marocaine" \
		--label "Woman.S=Femme, origine sénégalaise" --label "Woman.V=Femme, origine vietnamienne"
	$(BIN) status
	$(BIN) analyze --study inter1
	$(BIN) analyze --study inter1 --format json > $(RESULTS)/inter1-findings.json
	$(BIN) report --study inter1 --format html --lang fr --out $(RESULTS)/inter1/rapport.fr.html
	$(BIN) report --study inter1 --format pdf --lang fr --out $(RESULTS)/inter1/rapport.fr.pdf
	$(BIN) report --barometer campaigns/barometre-lille.json --format html --lang fr --out $(RESULTS)/barometre-lille/barometre.fr.html \
		--publish --by "make run"
	$(BIN) report --barometer campaigns/barometre-lille.json --format pdf --lang fr --out $(RESULTS)/barometre-lille/barometre.fr.pdf
	$(BIN) analyze --campaign logement-agences-lille-2026
	$(BIN) report --campaign logement-agences-lille-2026 --audience staff --format html --lang fr --out $(RESULTS)/logement-agences-lille-2026/rapport-equipe.fr.html
	$(BIN) evidence --campaign logement-agences-lille-2026 --organization "Agence fictive 07" --out $(RESULTS)/logement-agences-lille-2026/dossiers
	@for id in emploi-origine-lille-2026 logement-origine-residence-lille-2026 stage-3e-residence-origine-lille-2026 logement-agences-lille-2026; do \
		$(BIN) report --campaign $$id --format html --lang fr --out $(RESULTS)/$$id/rapport.fr.html || exit $$?; \
		$(BIN) report --campaign $$id --format pdf --lang fr --out $(RESULTS)/$$id/rapport.fr.pdf || exit $$?; \
	done
	$(BIN) stats power --p10 0.10 --p01 0.05
	@echo
	@echo "Ledger: $(RESULTS)/barometre.sqlite (or \$$BAROMETRE_DB)"
	@echo "Plans: $(RESULTS)/<campaign id>/plan.csv, plan.json, documents/"
	@echo "Findings: $(RESULTS)/inter1-findings.json"
	@echo "Barometer (the four together, French): $(RESULTS)/barometre-lille/barometre.fr.html and .pdf"
	@echo "Reports (French, HTML and PDF): $(RESULTS)/<campaign id>/rapport.fr.html|pdf (simulated, watermarked) and $(RESULTS)/inter1/rapport.fr.html|pdf (real study)"
	@echo "Calculator: $(RESULTS)/inter1-man-f-vs-woman-s.json"
	@echo "Web app: $(BIN) staff add NAME (prints a sign-in link), then $(BIN) serve; testers: $(BIN) testers add NAME --campaign ID"

# Rewrite campaigns/schema/campaign.schema.json from the schema compiled into barometre.
schema: build
	$(BIN) schema > campaigns/schema/campaign.schema.json
	$(BIN) schema --barometer > campaigns/schema/barometer.schema.json

# Regenerate the R reference values (not needed by the tests): Stats and analyze fixtures.
fixtures:
	@command -v Rscript >/dev/null || { $(APT) update -qq && $(APT) install -y -qq r-base-core r-cran-sandwich >/dev/null; }
	Rscript Tests/StatsTests/Fixtures/generate.R
	Rscript Tests/BarometerTests/Fixtures/generate-analysis.R

# Benchmarks: print timings (not part of make test). compare.sh needs R + sandwich and
# pandas + statsmodels: installed here when missing. About 10 minutes on 2 cores.
bench: build
	@command -v Rscript >/dev/null && Rscript -e 'library(sandwich)' >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq r-base-core r-cran-sandwich >/dev/null; }
	@python3 -c "import pandas, statsmodels, scipy" 2>/dev/null || python3 -m pip install -q pandas statsmodels scipy
	@python3 -c "import polars, pyfixest" 2>/dev/null || python3 -m pip install -q polars pyfixest || echo "polars + pyfixest could not be installed: the bench goes on without them"
	@Rscript -e 'library(data.table)' >/dev/null 2>&1 || $(APT) install -y -qq r-cran-data.table >/dev/null || echo "data.table could not be installed: the bench goes on without the data.table + fixest peer"
	bench/compare.sh 10000 100000 1000000
	bench/slow-paths.sh 1000000 10000
	bench/report-card.sh
	bench/web-load.py --posts 200

# Coverage study of every interval family (not part of make test): writes bench/coverage.md.
coverage: deps
	bench/coverage.sh 10000

# The concurrent code (the CSV reader's two halves, the analyzer's pairs on the cores, the
# likelihood's two ranges, imports, a plan's documents, mapped files) under ThreadSanitizer:
# any data race fails the run. About 10 minutes (its own build folder).
tsan: deps
	$(SWIFT) test --disable-xctest --sanitize=thread --scratch-path .build/tsan \
		--filter "CSVConcurrency|StudyColumns|Analyzer|FamilyTests|TEPPAnalysis|PairPatterns|LikelihoodKernel|Planner|FileContents"

# libFuzzer on the CSV reader, campaign validation and the web form decoder (Sources/BarometreFuzz),
# FUZZ_SECONDS each (default 600); crashes go to bench/fuzz/findings/. See bench/fuzz/README.md.
FUZZ_SECONDS ?= 600
fuzz: deps
	bench/fuzz/run.sh $(FUZZ_SECONDS)

clean:
	$(SWIFT) package clean
