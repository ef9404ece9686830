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
STAMPS ?= build/stamps
SHELL  := /bin/bash
.SHELLFLAGS := -o pipefail -ec

DATA_GOALS := forecast raw cleansed features processed models status clobber \
	      simulations monitoring
DATA_GOALS += report figures report-diff

.PHONY: $(DATA_GOALS)

ifneq ($(filter $(DATA_GOALS),$(MAKECMDGOALS)),)
# Layer paths come from the config: generated, then make restarts.
# `make lab` points PIPELINE_VARS and STAMPS at its own folder.
PIPELINE_VARS ?= build/pipeline.vars.mk
include $(PIPELINE_VARS)

$(PIPELINE_VARS): $(CONFIG) bin/fc-config
	@mkdir -p $(@D)
	@get() { bin/fc-config -c $(CONFIG) get "$$1"; }; \
	 exog=$$(get features.exogenous | { grep -o "path: [^,}]*" || true; } | \
		sed "s/^path: //; s/^'//; s/'$$//" | tr '\n' ' '); \
	 for v in NAME=project.name SOURCE=load.source RAW_DIR=paths.raw \
		  CLEANSED_DIR=paths.cleansed FEATURES_DIR=paths.features \
		  PROCESSED_DIR=paths.processed OUT_DIR=paths.outputs; do \
		val=$$(get $${v#*=}); echo "$${v%%=*} := $$val"; \
	 done > $@.tmp; \
	 echo "EXOGENOUS := $$exog" >> $@.tmp
	@mv $@.tmp $@

# build/stamps/LAYER/BLOCK.yaml: rewritten only when the text changes.
$(STAMPS)/%.yaml: FORCE bin/fc-config
	@mkdir -p $(@D)
	@bin/fc-config -c $(CONFIG) show $(notdir $*) > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

ifneq ($(NAME),)
RAW       = $(RAW_DIR)/$(NAME).csv
CLEANSED  = $(CLEANSED_DIR)/$(NAME).csv
FEATURES  = $(FEATURES_DIR)/$(NAME).csv
PROCESSED = $(PROCESSED_DIR)/$(NAME).csv
MODEL     = $(OUT_DIR)/models/$(NAME).json
FORECAST  = $(OUT_DIR)/forecast/$(NAME).csv

# Which blocks each layer's program reads.
RAW_BLOCKS       = load schema
CLEANSED_BLOCKS  = load schema clean
# A stamp may hold one key of a block: fc-feat reads predict.horizon, so
# a change of predict.levels reruns fc-predict alone.
FEATURES_BLOCKS  = schema features predict.horizon
PROCESSED_BLOCKS = schema processed
# runtime.threads is left out: the output is the same whatever its value.
MODEL_BLOCKS     = schema train predict.horizon
FORECAST_BLOCKS  = schema predict
stamps = $(foreach b,$(2),$(STAMPS)/$(1)/$(b).yaml)

forecast: $(FORECAST)
raw: $(RAW)
cleansed: $(CLEANSED)
features: $(FEATURES)
processed: $(PROCESSED)
models: $(MODEL)

# fc-load leaves an unchanged snapshot alone (mtime included), so the raw
# file is remade through a stamp: a touched but identical source reruns
# fc-load once and nothing after it.
$(STAMPS)/01_raw.done: $(SOURCE) bin/fc-load \
		$(call stamps,01_raw,$(RAW_BLOCKS))
	@mkdir -p $(RAW_DIR)
	bin/fc-load -c $(CONFIG) -o $(RAW) $(SOURCE)
	@touch $@

$(RAW): $(STAMPS)/01_raw.done ;

# Each program writes its layer and the sidecar beside it: grouped targets.
$(CLEANSED) $(CLEANSED).meta.json &: $(RAW) bin/fc-clean $(call stamps,02_cleansed,$(CLEANSED_BLOCKS))
	@mkdir -p $(@D)
	bin/fc-clean -c $(CONFIG) -o $(CLEANSED) $(RAW)

$(FEATURES) $(FEATURES).meta.json &: $(CLEANSED) $(EXOGENOUS) bin/fc-feat \
		$(call stamps,03_features,$(FEATURES_BLOCKS))
	@mkdir -p $(@D)
	bin/fc-feat -c $(CONFIG) -o $(FEATURES) $(CLEANSED)

$(PROCESSED) $(PROCESSED).meta.json &: $(FEATURES) bin/fc-feat \
		$(call stamps,04_processed,$(PROCESSED_BLOCKS))
	@mkdir -p $(@D)
	bin/fc-feat -p -c $(CONFIG) -o $(PROCESSED) $(FEATURES)

$(MODEL) $(MODEL).meta.json &: $(PROCESSED) bin/fc-train \
		$(call stamps,models,$(MODEL_BLOCKS))
	@mkdir -p $(@D)
	bin/fc-train -c $(CONFIG) -o $(MODEL) $(PROCESSED)

# The processed layer's horizon rows are the times forecast.
$(FORECAST) $(FORECAST).meta.json &: $(MODEL) $(PROCESSED) bin/fc-predict \
		$(call stamps,forecast,$(FORECAST_BLOCKS))
	@mkdir -p $(@D)
	bin/fc-predict -c $(CONFIG) -m $(MODEL) -o $(FORECAST) $(PROCESSED)

# ---- monitoring: the latest data against the training window ----
# fc-drift -S splits the processed layer's history per series: the last
# monitor.current_periods periods (0: predict.horizon) are the current
# data, the periods before them the reference; fc-drift compares the two.
# It exits 1 when the status reaches monitor.fail_on (none by default):
# the report stays, the stamp is not touched, so make stops here and
# compares again next time.
MONITOR        = $(OUT_DIR)/monitoring/$(NAME).json
MONITOR_REF    = $(OUT_DIR)/monitoring/$(NAME).reference.csv
MONITOR_CUR    = $(OUT_DIR)/monitoring/$(NAME).current.csv
MONITOR_BLOCKS = schema monitor predict.horizon

forecast: $(MONITOR)
monitoring: $(MONITOR)

$(STAMPS)/monitoring.done: $(PROCESSED) bin/fc-drift \
		$(call stamps,monitoring,$(MONITOR_BLOCKS))
	@mkdir -p $(OUT_DIR)/monitoring
	bin/fc-drift -S -c $(CONFIG) -r $(MONITOR_REF) -o $(MONITOR_CUR) $(PROCESSED)
	bin/fc-drift -c $(CONFIG) -r $(MONITOR_REF) -o $(MONITOR) $(MONITOR_CUR)
	@touch $@

$(MONITOR): $(STAMPS)/monitoring.done ;

# The block stamps are inputs too: after a run that stopped on drift they
# are newer than the done stamp.
STATUS_MONITORING = "monitoring|$(STAMPS)/monitoring.done|bin/fc-drift|$(MONITOR_BLOCKS)|$(PROCESSED) $(call stamps,monitoring,$(MONITOR_BLOCKS))|04_processed"

clobber: clobber-monitoring
clobber-monitoring:
	rm -rf $(STAMPS)/monitoring $(STAMPS)/monitoring.done
.PHONY: clobber-monitoring
# ---- end of monitoring ----

# Every layer, up to date or stale and why; runs no program.
status: bin/fc-config
	@tools/status.sh $(CONFIG) $(STAMPS) bin/fc-config \
		"01_raw|$(STAMPS)/01_raw.done|bin/fc-load|$(RAW_BLOCKS)|$(SOURCE)|" \
		"02_cleansed|$(CLEANSED)|bin/fc-clean|$(CLEANSED_BLOCKS)|$(RAW)|01_raw" \
		"03_features|$(FEATURES)|bin/fc-feat|$(FEATURES_BLOCKS)|$(CLEANSED) $(EXOGENOUS)|02_cleansed" \
		"04_processed|$(PROCESSED)|bin/fc-feat|$(PROCESSED_BLOCKS)|$(FEATURES)|03_features" \
		"models|$(MODEL)|bin/fc-train|$(MODEL_BLOCKS)|$(PROCESSED)|04_processed" \
		"forecast|$(FORECAST)|bin/fc-predict|$(FORECAST_BLOCKS)|$(MODEL) $(PROCESSED)|models" \
		$(STATUS_MONITORING) \
		$(STATUS_EXTRA)

# ---- simulations: fc-sim's scenarios of the model on the horizon rows ----
SIMULATION = $(OUT_DIR)/simulations/$(NAME).csv
SIMSUMMARY = $(OUT_DIR)/simulations/$(NAME).json
# fc-sim reads the schema, the levels and horizon, the simulate block and
# the seed.
SIMULATION_BLOCKS = schema predict simulate project.seed

forecast: $(SIMULATION)
simulations: $(SIMULATION)

$(SIMULATION) $(SIMULATION).meta.json $(SIMSUMMARY) &: $(MODEL) \
		$(PROCESSED) bin/fc-sim \
		$(call stamps,simulations,$(SIMULATION_BLOCKS))
	@mkdir -p $(@D)
	bin/fc-sim -c $(CONFIG) -m $(MODEL) -o $(SIMULATION) \
		--summary $(SIMSUMMARY) $(PROCESSED)

STATUS_EXTRA += "simulations|$(SIMULATION)|bin/fc-sim|$(SIMULATION_BLOCKS)|$(MODEL) $(PROCESSED)|models"
endif

# ---- report: the run report and its figures ----
# After each `make forecast` that ran something: the report
# (OUT_DIR/reports/latest.json and a copy in reports/history/) and the
# figures (FIGURES_DIR, index.html last). REPORT_INPUTS lists every file
# the report reads; a stage that writes one more output adds it here, so
# the report reruns when it changes and never otherwise.
REPORT_INPUTS = $(RAW) $(CLEANSED).meta.json $(FEATURES).meta.json \
	$(PROCESSED).meta.json $(MODEL).meta.json $(FORECAST).meta.json \
	$(SIMULATION).meta.json $(SIMSUMMARY) $(MONITOR)
REPORT       = $(OUT_DIR)/reports/latest.json
FIGURES_DIR ?= $(OUT_DIR)/figures
FIGURES      = $(FIGURES_DIR)/index.html

forecast: $(REPORT) $(FIGURES)
report: $(REPORT)
figures: $(FIGURES)

$(REPORT): $(REPORT_INPUTS) bin/fc-report $(call stamps,report,report.history)
	@mkdir -p $(@D)
	bin/fc-report -c $(CONFIG) -o $@ run

$(FIGURES): $(REPORT) bin/fc-report $(call stamps,figures,report.figures)
	@mkdir -p $(@D)
	bin/fc-report -c $(CONFIG) -o $(@D) figures $(REPORT)

# What changed between the last run and AGAINST (default: the run before
# it, from reports/history/).
AGAINST ?= $(lastword $(filter-out $(lastword $(HISTORY)),$(HISTORY)))
HISTORY  = $(sort $(wildcard $(OUT_DIR)/reports/history/*.json))
report-diff: bin/fc-report
	@if [ -z "$(AGAINST)" ]; then \
		echo "make report-diff: no earlier report in $(OUT_DIR)/reports/history; give AGAINST=FILE" >&2; \
		exit 1; \
	fi
	@bin/fc-report diff $(AGAINST) $(REPORT)

# Remove every generated layer but the raw snapshots.
clobber:
	rm -rf $(CLEANSED_DIR) $(FEATURES_DIR) $(PROCESSED_DIR) $(OUT_DIR) \
		$(STAMPS)/02_cleansed $(STAMPS)/03_features $(STAMPS)/04_processed \
		$(STAMPS)/models $(STAMPS)/forecast $(STAMPS)/simulations
endif

# ---- lab: the same DAG under experiments/PHASE/ ----
# `make lab PHASE=phase_01_name [CONFIG=FILE]` runs `make forecast` with
# CONFIG whose paths.* point under experiments/PHASE/ (the effective
# config is kept there as config.yaml), its own stamps and its own
# generated variables: data/ layers and outputs/ are never touched. The
# one recursive make of the project: a second, independent DAG.
LAB = experiments/$(PHASE)
lab: bin/fc-config
	@case "$(PHASE)" in \
	phase_[0-9][0-9]_*) ;; \
	*) echo "make lab: PHASE must be phase_NN_name, not '$(PHASE)'" >&2; exit 2 ;; \
	esac; \
	case "$(PHASE)" in *[!a-z0-9_]*) \
		echo "make lab: PHASE may hold a-z, 0-9 and _ only, not '$(PHASE)'" >&2; exit 2 ;; \
	esac
	@mkdir -p $(LAB)/artifacts $(LAB)/figures
	@a=$(LAB)/artifacts; bin/fc-config -c $(CONFIG) \
		-s paths.raw=$$a/01_raw -s paths.cleansed=$$a/02_cleansed \
		-s paths.features=$$a/03_features \
		-s paths.processed=$$a/04_processed -s paths.outputs=$$a \
		show > $(LAB)/config.yaml.tmp
	@if cmp -s $(LAB)/config.yaml.tmp $(LAB)/config.yaml; then \
		rm -f $(LAB)/config.yaml.tmp; \
	else mv $(LAB)/config.yaml.tmp $(LAB)/config.yaml; fi
	@$(MAKE) --no-print-directory forecast CONFIG=$(LAB)/config.yaml \
		STAMPS=$(LAB)/stamps PIPELINE_VARS=$(LAB)/pipeline.vars.mk \
		FIGURES_DIR=$(LAB)/figures

.PHONY: lab
