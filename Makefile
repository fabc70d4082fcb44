# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wijkbv_bench

.PHONY: install run test lint bench messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py demo
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench

messages: install
	$(PY) manage.py makemessages --locale nl --locale en --no-obsolete --add-location file --ignore ".venv/*" --ignore "bench/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
