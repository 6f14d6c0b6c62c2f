# Two entry points: `make run` (the site with demo content on SQLite) and
# `make test` (the whole suite). Everything else here serves those two.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
NGINX ?= /usr/sbin/nginx

.PHONY: run test lint browser clean bench soak

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The end-to-end tests drive Debian's Chromium, and the proxy tests run the
# shipped nginx site (tests/operations/test_proxy.py); install what is missing.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi
	@if [ ! -x $(NGINX) ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
	fi
	@# npm installs the page checkers; Java runs the Nu HTML checker.
	@if ! command -v npm >/dev/null || ! command -v java >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			$$(command -v npm >/dev/null || echo nodejs npm) $$(command -v java >/dev/null || echo default-jre-headless); \
	fi

# The page checkers the tests run (axe-core, the Nu HTML checker), pinned in
# package-lock.json. --ignore-scripts: vnu-jar's postinstall would download a
# Java build of its own; the machine's Java 17 runs vnu.jar.
node_modules/.installed: package.json package-lock.json | browser
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

test: $(BIN)/.installed browser node_modules/.installed
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/pytest $(PYTEST_ARGS)

# The benchmark (bench/run.py): BENCH_ARGS="--articles 100000 --comments 1000000".
BENCH_ARGS ?= --articles 100
bench: $(BIN)/.installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The load and soak test (bench/soak.py): SOAK_ARGS="--duration 600 --connections 16".
SOAK_ARGS ?=
soak: $(BIN)/.installed
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles test-output
