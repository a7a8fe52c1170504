# Two commands: `make run` serves the seeded service, `make test` lints and runs every test.
# Each creates the virtual environment and installs what it needs on first use.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT
# Local runs and tests are development setups; production sets DJANGO_DEBUG=0 and a secret key.
export DJANGO_DEBUG ?= 1
PIP_FLAGS := --disable-pip-version-check --quiet

.PHONY: run test lint install install-dev clean bench superuser curator token ingest backup restore

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install $(PIP_FLAGS) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install $(PIP_FLAGS) -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed --if-empty
	@echo
	@echo "Timeline is starting on http://127.0.0.1:$(PORT)/ (API: /api/v1/)."
	@echo "The curation admin is at http://127.0.0.1:$(PORT)/admin/. In another terminal, in this folder:"
	@echo "    make superuser            an administrator account (asks for a name and a password)"
	@echo "    make curator NAME=alice   a curator, with a password for the admin and an API token"
	@echo "    make ingest FILE=article.txt   drafts events from an article, for review in the admin"
	@echo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# pytest exits 5 when it collected no test: that is a failure here, and make says so.
# The tests run in TEST_WORKERS processes (pytest-xdist; default: one per CPU; 0 runs them in make's own process).
TEST_WORKERS ?= auto
test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn >/dev/null
	@$(VENV)/bin/pytest -n $(TEST_WORKERS) || { status=$$?; \
		if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests." >&2; fi; exit $$status; }

# The API under gunicorn and wrk beside the limit (one SQL statement per request), on a throwaway
# PostgreSQL database on BENCH_DATABASE_URL's server (bench/http_bench.py --help; BENCH_ARGS="--events
# 1000000"). Installs wrk with apt when root; otherwise says how.
bench: install
	@command -v wrk >/dev/null || { if [ "$$(id -u)" -eq 0 ]; then apt-get install -y -qq wrk >/dev/null; \
		else echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; fi; }
	$(PY) bench/http_bench.py $(BENCH_ARGS)

# Accounts: these run migrate first, so they work on a new database too.
# EMAIL is optional (an administrator needs none); DJANGO_SUPERUSER_USERNAME and _PASSWORD skip the questions.
superuser: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py createsuperuser --email "$(EMAIL)" $(if $(DJANGO_SUPERUSER_PASSWORD),--noinput)

curator: install
	@test -n "$(NAME)" || { echo "Name the curator: make curator NAME=alice" >&2; exit 2; }
	$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py create_curator "$(NAME)"

# The API token of an existing user (made if it has none): `make token NAME=alice`.
token: install
	@test -n "$(NAME)" || { echo "Name the user: make token NAME=alice" >&2; exit 2; }
	@$(PY) manage.py drf_create_token "$(NAME)"

# Ingest articles as the manage.py command does (README, Ingesting articles): `make ingest
# FILE=article.txt`, with its options in ARGS="--published 2025-07-26 --user alice".
ingest: install
	@test -n "$(FILE)" || { echo "Name the article: make ingest FILE=article.txt" >&2; exit 2; }
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py ingest $(FILE) $(ARGS)

# Backup and restore (events/backups.py): `make backup [FILE=x.json.gz]`, then `make restore FILE=...`
# into a new database (a new DATABASE_URL, or db.sqlite3 removed). Production: pg_dump (README).
backup: install
	$(PY) manage.py backup $(FILE)

restore: install
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=timeline-backup-....json.gz" >&2; exit 2; }
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache .hypothesis
