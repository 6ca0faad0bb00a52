# interviewops.platform — every entry point of the project.
#   make demo   set up this machine and run site.yml on the local environment
#   make test   set up this machine and run every test
SHELL := /bin/bash
.DEFAULT_GOAL := help
TOOLS := $(CURDIR)/.tools
VENV := $(TOOLS)/venv
BIN := $(VENV)/bin
export PATH := $(BIN):$(TOOLS)/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export ANSIBLE_FORCE_COLOR := 0
ENV ?= local

.PHONY: help setup demo deploy down test lint sanity units molecule integration build changelog bench clean

help:
	@echo "make demo       set up and run site.yml on inventories/local (stack on 127.0.0.1)"
	@echo "make test       set up and run every test (lint, sanity, units, molecule, integration)"
	@echo "make deploy ENV=<env>   run site.yml on inventories/<env>"
	@echo "make down       stop the local stack (volumes are kept)"
	@echo "make build      build the collection tarball"
	@echo "make bench      run the benchmarks"

setup:
	@bash scripts/venv.sh
	@bash scripts/collections.sh
	@bash scripts/engine.sh
	@bash scripts/base_image.sh
	@bash scripts/tofu.sh

demo: setup
	$(BIN)/ansible-playbook site.yml -i inventories/local

deploy: setup
	$(BIN)/ansible-playbook site.yml -i inventories/$(ENV)

down:
	docker compose --project-directory .tools/run/local down

test: setup
	@bash scripts/test.sh

lint: setup
	@bash scripts/test.sh lint

sanity: setup
	@bash scripts/test.sh sanity

units: setup
	@bash scripts/test.sh units

molecule: setup
	@bash scripts/test.sh molecule

integration: setup
	@bash scripts/test.sh integration

build: setup
	$(BIN)/ansible-galaxy collection build --force --output-path $(TOOLS)/dist

changelog: setup
	$(BIN)/antsibull-changelog lint

bench: setup
	@for b in benchmarks/*/run.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	-docker compose --project-directory .tools/run/local down --volumes
	rm -rf $(TOOLS)/ansible-test $(TOOLS)/dist
