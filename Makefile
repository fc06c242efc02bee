# Two commands set everything up on a fresh machine with Python 3.11+:
#   make run   - create .venv, install, migrate the SQLite database, serve on 127.0.0.1:8000
#                (with the background worker that delivers webhooks)
#   make test  - install and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Development defaults; production sets its own environment (see README).
export DEBUG ?= 1

.PHONY: run test install migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The task worker (webhook deliveries) and its sweep run in the background beside the server and stop with it.
run: migrate
	$(BIN)/python manage.py ensure_admin
	@$(BIN)/python manage.py db_worker & worker=$$!; \
	$(BIN)/python manage.py deliver_due_webhooks --loop & sweeper=$$!; \
	trap 'kill $$worker $$sweeper 2>/dev/null; wait' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
