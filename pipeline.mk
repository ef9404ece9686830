# pipeline.mk - the data DAG, included by the Makefile.
#
# Each layer depends on its input, on the program that writes it and on a
# stamp of every config block that program reads, kept per layer:
# build/stamps/LAYER/BLOCK.yaml holds the block's canonical text
# (`fc-config show BLOCK`) and is rewritten only when that text changes.
# So a comment or a re-formatted config.yaml rebuilds nothing, editing
# `clean:` never reruns fc-load, and `make status` can say which key
# changed.

CONFIG ?= config.yaml
STAMPS := build/stamps
SHELL  := /bin/bash
.SHELLFLAGS := -o pipefail -ec

DATA_GOALS := forecast raw cleansed status clobber

.PHONY: $(DATA_GOALS)

ifneq ($(filter $(DATA_GOALS),$(MAKECMDGOALS)),)
# Layer paths come from the config: generated, then make restarts.
include build/pipeline.vars.mk

build/pipeline.vars.mk: $(CONFIG) bin/fc-config
	@mkdir -p $(@D)
	@get() { bin/fc-config -c $(CONFIG) get "$$1"; }; \
	 name=$$(get project.name); source=$$(get load.source); \
	 raw=$$(get paths.raw); cleansed=$$(get paths.cleansed); \
	 out=$$(get paths.outputs); \
	 printf 'NAME := %s\nSOURCE := %s\nRAW_DIR := %s\nCLEANSED_DIR := %s\nOUT_DIR := %s\n' \
		"$$name" "$$source" "$$raw" "$$cleansed" "$$out" > $@.tmp
	@mv $@.tmp $@

# build/stamps/LAYER/BLOCK.yaml: rewritten only when the text changes.
$(STAMPS)/%.yaml: FORCE bin/fc-config
	@mkdir -p $(@D)
	@bin/fc-config -c $(CONFIG) show $(notdir $*) > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

ifneq ($(NAME),)
RAW      = $(RAW_DIR)/$(NAME).csv
CLEANSED = $(CLEANSED_DIR)/$(NAME).csv

# Which blocks each layer's program reads.
RAW_BLOCKS      = load schema
CLEANSED_BLOCKS = load schema clean
stamps = $(foreach b,$(2),$(STAMPS)/$(1)/$(b).yaml)

forecast: cleansed
raw: $(RAW)
cleansed: $(CLEANSED)

# fc-load leaves an unchanged snapshot alone (mtime included), so the raw
# file is remade through a stamp: a touched but identical source reruns
# fc-load once and nothing after it.
$(STAMPS)/01_raw.done: $(SOURCE) bin/fc-load \
		$(call stamps,01_raw,$(RAW_BLOCKS))
	@mkdir -p $(RAW_DIR)
	bin/fc-load -c $(CONFIG) -o $(RAW) $(SOURCE)
	@touch $@

$(RAW): $(STAMPS)/01_raw.done ;

$(CLEANSED): $(RAW) bin/fc-clean $(call stamps,02_cleansed,$(CLEANSED_BLOCKS))
	@mkdir -p $(@D)
	bin/fc-clean -c $(CONFIG) -o $@ $(RAW)

# Every layer, up to date or stale and why; runs no program.
status: bin/fc-config
	@tools/status.sh $(CONFIG) $(STAMPS) bin/fc-config \
		"01_raw|$(STAMPS)/01_raw.done|bin/fc-load|$(RAW_BLOCKS)|$(SOURCE)|" \
		"02_cleansed|$(CLEANSED)|bin/fc-clean|$(CLEANSED_BLOCKS)|$(RAW)|01_raw"
endif

# Remove every generated layer but the raw snapshots.
clobber:
	rm -rf $(CLEANSED_DIR) data/03_features data/04_processed $(OUT_DIR) \
		$(STAMPS)/02_cleansed $(STAMPS)/03_features $(STAMPS)/04_processed
endif
