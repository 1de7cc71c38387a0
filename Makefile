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

# The browser test needs Debian's Chromium, the PDF test poppler (pdftoppm, with the data
# for CJK fonts); as root we install them, otherwise those tests skip with a loud message.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftoppm ] || [ ! -d /usr/share/poppler/cMap ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils poppler-data >/dev/null) \
	      || echo "!!! could not install chromium/poppler: browser and PDF tests will be skipped"; \
	  else echo "!!! chromium or poppler missing and not root: browser and PDF tests will be skipped"; fi; \
	fi

test: $(STAMP) browser
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/gongwei bench search

clean:
	rm -rf $(VENV) var
