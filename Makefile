# Two commands on a fresh machine (Python 3.11+, git, make):
#   make demo   install, build the demo county in var/ (SQLite), serve http://127.0.0.1:8000
#   make test   install the test dependencies and run the whole suite
#              (SQLite; PostgreSQL when DATABASE_URL names one)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test install browser bench lint clean

$(STAMP): pyproject.toml package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# ECharts for the dashboards, from the npm registry; without npm the dashboards show tables.
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	  else echo "!!! npm not found: dashboards will show tables without charts"; fi
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/gongwei demo

# The browser test needs Debian's Chromium; as root we install it, otherwise the test
# skips with a loud message (see src/gongwei/web/tests/test_browser.py).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "!!! could not install chromium: the browser test will be skipped"; \
	  else echo "!!! /usr/bin/chromium missing and not root: the browser test will be skipped"; fi; \
	fi

test: $(STAMP) browser
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/gongwei bench search

clean:
	rm -rf $(VENV) var
