# Parcours AM — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The address the site gives of itself (QR codes, emails, xAPI ids): the one `make run` serves on, unless set.
LMS_BASE_URL ?= http://$(HOST):$(PORT)
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

LRS_STAMP := .venv-lrs/.installed
$(LRS_STAMP):  # a real xAPI LRS (Ralph) for the forwarding tests, in its own venv
	test -x .venv-lrs/bin/python || $(PYTHON) -m venv .venv-lrs
	.venv-lrs/bin/python -m pip install --quiet "ralph-malph[cli,lrs]==5.1.0" requests
	touch $(LRS_STAMP)

install: $(STAMP) ## Create .venv and install the project (quick when nothing changed)

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the curriculum and the demo accounts (idempotent)
	LMS_BASE_URL=$(LMS_BASE_URL) $(PY) manage.py seed_demo

run: demo ## Install, migrate, load demo data and serve on http://127.0.0.1:8000 (HOST=, PORT= to change)
	@echo "Parcours AM: http://$(HOST):$(PORT)/ — demo accounts in README.md"
	LMS_BASE_URL=$(LMS_BASE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

# tests/cluster/test_two_nodes.py starts gunicorn nodes that share the test database with pytest: PostgreSQL only.
# On SQLite `make test` leaves it out and says so; CI (.ci/run sets DATABASE_URL to PostgreSQL) always runs it.
test: install $(LRS_STAMP) ## Install and run the whole test suite (browser tests, a real LRS, two gunicorn nodes)
	case "$${DATABASE_URL%%:*}" in postgres|postgresql|pgsql|postgis) nodes="";; \
	  *) if [ -n "$$CI" ]; then nodes=""; else nodes="--ignore=tests/cluster/test_two_nodes.py"; \
	     echo "make test: tests/cluster/test_two_nodes.py needs PostgreSQL (DATABASE_URL=postgres://…): left out"; fi;; esac; \
	CHROMIUM="$$(bash .ci/ensure-chromium)" $(PY) -m pytest $$nodes $(PYTEST_ARGS)
	@# On another engine (CI: PostgreSQL), the hostile-input test once more on SQLite, whose failures differ
	if [ -n "$$DATABASE_URL" ] && [ "$${DATABASE_URL%%:*}" != "sqlite" ]; then \
	  env -u DATABASE_URL $(PY) -m pytest tests/security/test_hostile_input.py -q; fi

test-cluster: install ## Two gunicorn nodes on one PostgreSQL (DATABASE_URL), one Redis, one S3 server (tests/cluster)
	$(PY) -m pytest tests/cluster -v -s $(PYTEST_ARGS)

messages: install ## Extract and compile the translation catalogues
	$(PY) manage.py makemessages -l fr -l en --no-obsolete --ignore ".venv" --ignore ".venv-lrs" --ignore "node_modules" --ignore "content" --ignore "static"
	$(PY) manage.py compilemessages --ignore ".venv" --ignore ".venv-lrs" --ignore "node_modules"

check-deploy: install ## Run Django's deployment checks with production settings
	$(PY) manage.py pdf_signing_certificate >/dev/null  # the development pair stands in for the production key
	$(PY) manage.py shell -c "from lms.certificates.badge_keys import key_pem; key_pem()"  # and the development Open Badges key
	DJANGO_SETTINGS_MODULE=lms.settings.production SECRET_KEY=$${SECRET_KEY:-check-deploy-$$RANDOM-0123456789abcdefghijklmnopqrstuvwxyz0123456789} ALLOWED_HOSTS=parcours-am.example.org LMS_BASE_URL=https://parcours-am.example.org PDF_SIGNING_KEY=$${PDF_SIGNING_KEY:-var/pdf-signing-dev.pem} PDF_SIGNING_CERT=$${PDF_SIGNING_CERT:-var/pdf-signing-dev.pem} $(PY) manage.py check --deploy --fail-level WARNING

clean: ## Remove the venvs and the SQLite database (and a node_modules left by older checkouts)
	rm -rf $(VENV) .venv-lrs node_modules db.sqlite3 db.sqlite3-*

.PHONY: help install migrate demo run test test-cluster messages check-deploy clean bench bench-class bench-reminders bench-pages bench-certificates bench-xapi bench-employer bench-cms

bench: install ## Large dataset, every main page in process, then HTTP load with gunicorn + wrk; writes bench/results.json
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || true
	cd bench && ../$(PY) run.py

bench-pages: install ## Time the trainee's pages on the shipped curriculum (median/p95, queries)
	cd bench && ../$(PY) trainee_pages.py

bench-cms: install ## Time the Wagtail pages authors use most (explorer, lesson, module quiz and final assessment editors), in process and in Chromium
	cd bench && ../$(PY) cms_pages.py

bench-certificates: install ## Time certificate rendering and issuance (median/p95)
	cd bench && ../$(PY) certificates.py

bench-xapi: install $(LRS_STAMP) ## Time xAPI recording and forwarding to a real Ralph LRS
	cd bench && ../$(PY) xapi.py

bench-reminders: install ## Time the daily reminders job on 100,000 employments
	cd bench && ../$(PY) reminders.py

bench-employer: install ## Time the employer table (1,000 assistants), the at-risk report and the learners list
	cd bench && ../$(PY) employer_table.py

bench-class: install ## A class of 300 trainees for 5 min and a storm of 600 logins, gunicorn on PostgreSQL (CLASS_*, STORM_*)
	$(PY) -m pip install --quiet -e ".[bench]"
	cd bench && ../$(PY) class_load.py
