# ekipgraph: two entry points for a fresh machine.
#   make run   set up .venv, check the ontology, build and validate the graph, write dist/
#              (release, dataset, cross-city patterns)
#   make test  set up .venv and the test tools (Java, Chromium, nginx, Apache, Virtuoso), check
#              the types (mypy), run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench eval fuzz java browser stores owlapi clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# HermiT (the OWL reasoner) runs on Java; install a headless JRE when missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Java not found: installing default-jre-headless"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "not root: reasoner checks will be skipped"; fi; }

# Browser test: Debian's Chromium. Release test: the published folder behind nginx and Apache.
browser:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	[ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	[ -x /usr/sbin/apache2 ] || missing="$$missing apache2"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "not root: the tests that need$$missing will be skipped"; fi; fi

# Remote-store tests: Virtuoso open source (Debian). The package's own service is never
# started (policy-rc.d); the tests start their own on 127.0.0.1 in a temporary folder.
stores:
	@if [ ! -x /usr/bin/virtuoso-t ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing virtuoso-opensource"; \
	    added=""; if [ ! -e /usr/sbin/policy-rc.d ]; then \
	      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; added=1; fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends virtuoso-opensource >/dev/null; status=$$?; \
	    [ -n "$$added" ] && rm -f /usr/sbin/policy-rc.d; exit $$status; \
	  else echo "not root: the Virtuoso tests will be skipped"; fi; fi

# OWL 2 DL profile check: the OWL API (Debian libowlapi-java), driven by a small Java
# program compiled with javac (a JDK).
owlapi:
	@missing=""; \
	command -v javac >/dev/null 2>&1 || missing="$$missing default-jdk-headless"; \
	[ -e /usr/share/java/owlapi-distribution.jar ] || missing="$$missing libowlapi-java"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $$missing >/dev/null; \
	  else echo "not root: the OWL 2 DL profile check will be skipped"; fi; fi

run: $(STAMP) java
	$(BIN)/ekipgraph run

test: $(STAMP) java browser stores owlapi
	$(BIN)/mypy ekipgraph
	$(BIN)/python -m pytest -q

# Speeds with ratios against baselines measured in the same run (benchmarks/README.md):
# stores on the query library, the library at 10k/100k quads against raw pyoxigraph and
# rdflib, the server against Oxigraph's, the build at 20/300/1,000 cases; BENCH_LARGE=1 adds 1M
# quads (queries, patterns, build).
bench: $(STAMP)
	$(BIN)/python benchmarks/stores.py --copies 10
	nice $(BIN)/python benchmarks/queries.py $(if $(BENCH_LARGE),--large)
	nice $(BIN)/python benchmarks/patterns.py $(if $(BENCH_LARGE),--large)
	nice $(BIN)/python benchmarks/server.py --size 100k
	nice $(BIN)/python benchmarks/soak.py --clients 32 --seconds 60
	nice $(BIN)/python benchmarks/build.py --cases 20 300 1000 $(if $(BENCH_LARGE),--million)
	nice $(BIN)/python benchmarks/inference.py --cases 400

# Precision and recall of `ekipgraph extract` on the annotated texts in benchmarks/extract/.
eval: $(STAMP)
	$(BIN)/python benchmarks/extract_eval.py

# Long fuzzing, kill -9 and whole-library rdflib runs (make test runs a bounded, seeded
# sample of each).
fuzz: $(STAMP)
	EKIPGRAPH_FUZZ_EXAMPLES=$${EKIPGRAPH_FUZZ_EXAMPLES:-50000} EKIPGRAPH_KILL_TRIALS=$${EKIPGRAPH_KILL_TRIALS:-60} \
	  EKIPGRAPH_RDFLIB_QUERIES=all \
	  $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz_authoring.py \
	  tests/regressions/test_kill_during_build_loses_the_dataset.py tests/test_rdflib_engine_cli.py \
	  tests/test_query_library_data.py

lint: $(STAMP)
	$(BIN)/ruff check ekipgraph tests
	$(BIN)/ruff format --check ekipgraph tests
	$(BIN)/mypy ekipgraph

clean:
	rm -rf $(VENV) dist .pytest_cache .mypy_cache
