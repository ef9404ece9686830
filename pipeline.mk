# pipeline.mk - the data DAG, included by the Makefile.
#
# Each layer depends on its input, on the program that writes it and on a
# stamp of every config block that program reads. A stamp is rewritten only
# when `fc-config show BLOCK` prints different text, so a comment or a
# re-formatted config.yaml rebuilds nothing, and editing `clean:` never
# reruns fc-load.

CONFIG ?= config.yaml
STAMPS := build/stamps

DATA_GOALS := forecast raw cleansed clobber

.PHONY: $(DATA_GOALS)

ifneq ($(filter $(DATA_GOALS),$(MAKECMDGOALS)),)
# Layer paths come from the config: generated, then make restarts.
include build/pipeline.vars.mk

build/pipeline.vars.mk: $(CONFIG) bin/fc-config
	@mkdir -p $(@D)
	@{ echo "NAME := $$(bin/fc-config -c $(CONFIG) get project.name)"; \
	   echo "SOURCE := $$(bin/fc-config -c $(CONFIG) get load.source)"; \
	   echo "RAW_DIR := $$(bin/fc-config -c $(CONFIG) get paths.raw)"; \
	   echo "CLEANSED_DIR := $$(bin/fc-config -c $(CONFIG) get paths.cleansed)"; \
	   echo "OUT_DIR := $$(bin/fc-config -c $(CONFIG) get paths.outputs)"; \
	 } > $@.tmp && mv $@.tmp $@

# One stamp per block: rewritten only when the canonical text changes.
$(STAMPS)/%.yaml: FORCE bin/fc-config
	@mkdir -p $(@D)
	@bin/fc-config -c $(CONFIG) show $* > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

RAW      = $(RAW_DIR)/$(NAME).csv
CLEANSED = $(CLEANSED_DIR)/$(NAME).csv

forecast: cleansed
raw: $(RAW)
cleansed: $(CLEANSED)

# fc-load leaves an unchanged snapshot alone (mtime included), so the raw
# file is remade through a stamp: a touched but identical source reruns
# fc-load once and nothing after it.
$(STAMPS)/raw.done: $(SOURCE) bin/fc-load $(STAMPS)/load.yaml \
		$(STAMPS)/schema.yaml
	@mkdir -p $(RAW_DIR) $(@D)
	bin/fc-load -c $(CONFIG) -o $(RAW) $(SOURCE)
	@touch $@

$(RAW): $(STAMPS)/raw.done ;

$(CLEANSED): $(RAW) bin/fc-clean $(STAMPS)/load.yaml $(STAMPS)/schema.yaml \
		$(STAMPS)/clean.yaml
	@mkdir -p $(@D)
	bin/fc-clean -c $(CONFIG) -o $@ $(RAW)

# Remove every generated layer but the raw snapshots.
clobber:
	rm -rf $(CLEANSED_DIR) data/03_features data/04_processed $(OUT_DIR) \
		$(STAMPS)
endif
