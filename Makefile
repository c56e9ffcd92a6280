# Wegweiser — the two commands a newcomer needs are `make run` and `make test`.
# Everything else here is what those two are made of.

SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $$($(PYTHON) -m site --user-base)/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Debian packages the test suite needs (msgfmt for catalogues).
TEST_DEBIAN_PACKAGES := gettext

.PHONY: run test install uv build-deps system-deps lint format migrate demo admin \
        compile-messages messages check-deploy clean bench

## run: install, migrate the embedded SQLite database, load the demo, start web +
## worker + the reference webhook receiver
run: install migrate demo admin
	@$(PY) -m cms.devserver

## test: install and run the whole suite (lint included)
test: install system-deps compile-messages lint
	$(PY) -m pytest

install: uv build-deps
	@$(UV) sync --frozen --quiet
	@echo "Python environment ready ($(VENV))"

# uv comes from PyPI, installed for this user if the machine lacks it.
uv:
	@test -x "$(UV)" || command -v uv >/dev/null 2>&1 || \
	  $(PYTHON) -m pip install --user --quiet uv

# PyICU (the glossary's alphabetical order per language in print) is built from
# source against the system's ICU: it needs libicu-dev, pkg-config and a C++ compiler.
build-deps:
	@missing=""; \
	pkg-config --exists icu-i18n 2>/dev/null || missing="$$missing libicu-dev pkg-config"; \
	command -v g++ >/dev/null 2>&1 || missing="$$missing g++"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing — install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# Installs the Debian packages the suite needs when one is missing (CI runs as root):
# gettext (msgfmt) for the catalogues, chromium for the browser tests, poppler-utils
# (pdftoppm) to render PDF pages the print tests keep for a person to look at,
# epubcheck (with a Java runtime) to validate the EPUBs,
# espeak-ng (offline speech, voices inside the package) and opus-tools (opusenc)
# for the audio channel, lame for the read-along EPUBs' MP3 (EPUB 3.2 Media
# Overlays take no Opus).
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	test -f /usr/share/java/epubcheck.jar || missing="$$missing epubcheck"; \
	command -v espeak-ng >/dev/null 2>&1 || missing="$$missing espeak-ng"; \
	command -v opusenc >/dev/null 2>&1 || missing="$$missing opus-tools"; \
	command -v lame >/dev/null 2>&1 || missing="$$missing lame"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing — install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

## lint: ruff, mypy on the typed parts ([tool.mypy] files: cms/api, exports), and
## the layer contracts of DESIGN.md ([tool.importlinter] in pyproject.toml)
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate:
	@$(MANAGE) migrate --noinput -v0
	@echo "Database migrated"

demo:
	@$(MANAGE) load_demo

admin:
	@$(MANAGE) ensure_dev_admin

## messages: extract UI strings into locales/*/LC_MESSAGES/django.po
messages:
	$(MANAGE) makemessages --all --ignore=.venv --ignore=var --ignore=tests --no-obsolete

## compile-messages: build the .mo files from the catalogues
compile-messages:
	@$(MANAGE) compilemessages --ignore=.venv -v0

## check-deploy: Django's deployment checklist against the production settings
check-deploy:
	DJANGO_SETTINGS_MODULE=cms.settings.production \
	SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-handbuch.example.org} \
	$(MANAGE) check --deploy --fail-level WARNING

## bench: measure the API, audio, pipeline, print and simple parts; JSON in bench/results/
bench: install
	@$(UV) sync --frozen --quiet --group bench
	$(PY) -m bench $(PARTS)

clean:
	rm -rf var
