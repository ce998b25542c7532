# ekipgraph: two entry points for a fresh machine.
#   make run   set up .venv, check the ontology and vocabularies, write dist/
#   make test  set up .venv, run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint java clean

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

run: $(STAMP) java
	$(BIN)/ekipgraph run

test: $(STAMP) java
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check ekipgraph tests
	$(BIN)/ruff format --check ekipgraph tests

clean:
	rm -rf $(VENV) dist .pytest_cache
