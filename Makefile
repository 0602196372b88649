# Two commands: `make demo` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := DJANGO_DEBUG=True
# The demo's web port: `make demo PORT=8010`.
PORT ?= 8000

.PHONY: demo test install install-test lint migrate reference-data demo-data run browser-test bench bench-tickets bench-reports clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input

reference-data: migrate
	$(DEMO_ENV) $(PY) manage.py load_reference_data

demo-data: reference-data
	$(DEMO_ENV) $(PY) manage.py create_demo_accounts
	$(DEMO_ENV) $(PY) manage.py generate_demo_tickets --count 5000 --if-empty
	@# The first scan of the demo's overdue tickets: its emails go to var/mail/, not the terminal.
	DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend $(DEMO_ENV) $(PY) manage.py scan_overdue
	@# Disputes raised from the demo's returned tickets, last quarter's meeting held, this one's drafted.
	DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend $(DEMO_ENV) $(PY) manage.py generate_demo_disputes --if-empty
	@# Last month's and last quarter's reports, by the same code as Celery Beat's runs.
	DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend $(DEMO_ENV) $(PY) manage.py catch_up_reports --produce

run:
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(DEMO_ENV) $(VENV)/bin/honcho -f Procfile start --port $(PORT)

demo: demo-data run

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: lint
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

browser-test: install-test
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

bench: install
	$(DEMO_ENV) $(PY) bench/diversion_lookup.py
	$(DEMO_ENV) $(PY) bench/lookup_learning.py
	$(DEMO_ENV) $(PY) bench/diversion_import.py
	$(DEMO_ENV) $(PY) bench/units_admin.py

# PostgreSQL: set DATABASE_URL. The first run generates 1,000,000 tickets (about 5 minutes).
bench-tickets: install
	$(DEMO_ENV) $(PY) bench/tickets_scan.py
	$(DEMO_ENV) $(PY) bench/tickets_admin.py
	$(DEMO_ENV) $(PY) bench/tickets_ingest.py

# PostgreSQL, after bench-tickets made the million tickets; compares with django-import-export.
bench-reports: install
	$(PY) -m pip install --quiet -e '.[bench]'
	$(DEMO_ENV) $(PY) bench/reports.py

clean:
	rm -rf var staticfiles
