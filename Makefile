# fc - build the library, the tools, the man pages; run the tests.
# Data targets (make forecast, make status ...) live in pipeline.mk.
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:
.DEFAULT_GOAL := all

VERSION    = 0.1.0
PREFIX    ?= /usr/local
MANDIR    ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
CC        ?= cc
CFLAGS    ?= -O2 -g
PKGS       = yaml-0.1 libcjson gsl nettle sqlite3 libpq libcurl

# -ftree-vectorize: at -O2 the compiler vectorizes only loops it needs no
# runtime alias check for, which leaves out the Kalman filter's covariance
# update (with it a seasonal arima fit of 52 takes a quarter less time).
# It never reorders a sum, so results are the same to the bit.
FC_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	     -Wall -Wextra -Werror -Ilib -DFC_VERSION='"$(VERSION)"' \
	     -ftree-vectorize \
	     $(shell $(PKG_CONFIG) --cflags $(PKGS)) -MMD -MP
FC_LDLIBS  = $(shell $(PKG_CONFIG) --libs $(PKGS)) -lcsv -lm -lpthread

ifeq ($(SANITIZE),1)
FC_CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all
FC_LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC   = $(wildcard lib/*.c lib/models/*.c)
LIB_OBJ   = $(LIB_SRC:%.c=build/%.o)
TOOL_SRC  = $(wildcard tools/fc-*.c)
TOOLS     = $(TOOL_SRC:tools/%.c=bin/%)
COMMON_OBJ = build/tools/common.o
CTEST_SRC = $(wildcard tests/unit/c/*_test.c)
CTESTS    = $(CTEST_SRC:tests/unit/c/%.c=build/tests/%)
MAN       = $(wildcard man/man1/*.1 man/man5/*.5 man/man7/*.7)

all: $(TOOLS) $(CTESTS)

# Objects depend on the flags they were built with, so `make SANITIZE=1`
# after `make` rebuilds everything instead of mixing the two.
build/FLAGS: FORCE
	@mkdir -p build
	@echo '$(CC) $(CFLAGS) $(FC_CFLAGS) $(FC_LDFLAGS)' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

build/%.o: %.c build/FLAGS
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(FC_CFLAGS) -c -o $@ $<

build/libfc.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

lib/libfc.a: build/libfc.a
	cp $< $@

bin/%: build/tools/%.o $(COMMON_OBJ) build/libfc.a
	@mkdir -p bin
	$(CC) $(CFLAGS) $(FC_LDFLAGS) -o $@ $< $(COMMON_OBJ) build/libfc.a $(FC_LDLIBS)

build/tests/%_test: build/tests/unit/c/%_test.o build/libfc.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(FC_LDFLAGS) -o $@ $< build/libfc.a $(FC_LDLIBS)

# The README's test command. Writes tests/reports/latest.json.
test: all
	tests/run

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(wildcard man/man1/*.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(wildcard man/man5/*.5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(wildcard man/man7/*.7) $(DESTDIR)$(MANDIR)/man7

# Installs the Debian packages of the build and test groups of deps.txt.
deps:
	apt-get update
	apt-get install -y $$(awk '$$1 == "build" || $$1 == "test" {print $$2}' deps.txt)

deps-bench:
	apt-get update
	apt-get install -y $$(awk '$$1 == "bench" {print $$2}' deps.txt)

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--std=c11 -Ilib --suppress=missingIncludeSystem lib tools
	clang-tidy --quiet $(LIB_SRC) $(TOOL_SRC) tools/common.c -- \
		$(filter-out -MMD -MP -Werror,$(FC_CFLAGS)) 2>/dev/null
	shellcheck -x tests/run .ci/run tools/status.sh $(wildcard bench/*.sh) \
		tests/test_helper/common-setup.bash tests/test_helper/pg.bash
	@for m in $(MAN); do \
		w=$$(groff -mandoc -ww -z $$m 2>&1); \
		if [ -n "$$w" ]; then echo "$$m: $$w"; exit 1; fi; \
	done

clean:
	rm -rf build bin lib/libfc.a

.PHONY: all test install deps deps-bench lint clean FORCE

-include $(LIB_OBJ:.o=.d) $(TOOL_SRC:tools/%.c=build/tools/%.d) \
	$(COMMON_OBJ:.o=.d) $(CTEST_SRC:%.c=build/%.d)
-include pipeline.mk
-include bench/bench.mk
