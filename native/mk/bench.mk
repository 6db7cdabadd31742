# SPDX-License-Identifier: Apache-2.0
# make bench-native: C benchmarks of libsrcu4j.so side by side with liburcu (memb and mb
# flavors), one process, one table; the figures also go to $(REPORT)/native.json.
#
# Inputs: REPORT (the top Makefile passes an absolute path), BENCH_ARGS (e.g. --quick).
# liburcu comes from Debian's liburcu-dev: installed with apt-get when its headers are missing
# and we are root; otherwise the urcu rows are left out and the srcu4j rows still run.
# The inline rows need include/srcu4j/inline.h; they are left out while it is missing.

REPORT      ?= ../build/report
BENCH_OUT   := $(BUILD)/bench
BENCH_SRC   := bench/bench_native.c bench/bench_defer.c bench/bench_expedited.c
BENCH_URCU_SRCS := bench/bench_urcu_memb.c bench/bench_urcu_memb_calls.c bench/bench_urcu_mb.c
BENCH_DEPS  := $(BENCH_SRC) bench/bench.h bench/bench_readpair.c $(HEADER) $(INTERNAL) \
               $(wildcard include/srcu4j/inline.h) $(LIB)
# bench_readpair.c's -fPIE build: an executable's code, as liburcu's benchmark programs are built.
BENCH_PIE   := $(filter-out -fPIC,$(BASE)) -fPIE
# Its two builds, linked in with the inline rows only ($(1): the binary, $(2): -DBENCH_URCU or not).
BENCH_READPAIR = $(CC) $(BENCH_PIE) $(2) -DREADPAIR_BUILD=pie -c -o $(1)-pie.o bench/bench_readpair.c && \
  $(CC) $(BASE) $(2) -DREADPAIR_BUILD=pic -c -o $(1)-pic.o bench/bench_readpair.c
BENCH_LINK  := -L$(BUILD) -lsrcu4j -Wl,-rpath,'$$ORIGIN/..'
URCU_LIBS   := -lurcu-memb -lurcu-mb -lurcu-common
URCU_VERSION = $(shell dpkg-query -W -f='$${Version}' liburcu-dev 2>/dev/null)

# Probes, run in recipes (after a possible install): 0 exit status when the part is usable.
BENCH_PROBE_URCU   = $(CC) $(BASE) -o /dev/null bench/probe_urcu.c $(URCU_LIBS) >/dev/null 2>&1
BENCH_PROBE_INLINE = $(CC) $(BASE) -o /dev/null bench/probe_inline.c $(BENCH_LINK) >/dev/null 2>&1

# Which binary: with/without urcu (u1/u0), with/without inline rows (i1/i0).
BENCH_BIN = $(BENCH_OUT)/bench_native-u$(BENCH_URCU)-i$(BENCH_INLINE)

.PHONY: bench-native bench-native-run

bench-native: $(LIB)
	@why=""; \
	if ! $(BENCH_PROBE_URCU); then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "bench-native: liburcu headers missing: apt-get install liburcu-dev"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq liburcu-dev; } >/dev/null || why="apt-get install failed"; \
	  else \
	    why="liburcu-dev is not installed, and installing it needs root and apt-get"; \
	  fi; \
	fi; \
	if $(BENCH_PROBE_URCU); then urcu=1; else urcu=0; \
	  echo "bench-native: liburcu is unavailable ($${why:-bench/probe_urcu.c does not build}):" \
	       "running the srcu4j rows only"; \
	fi; \
	if $(BENCH_PROBE_INLINE); then inl=1; else inl=0; \
	  if [ -f include/srcu4j/inline.h ]; then \
	    echo "bench-native: include/srcu4j/inline.h does not build with bench/probe_inline.c:" \
	         "inline rows left out"; \
	  fi; \
	fi; \
	$(MAKE) --no-print-directory bench-native-run BENCH_URCU=$$urcu BENCH_INLINE=$$inl

bench-native-run: $(BENCH_BIN)
	@mkdir -p $(REPORT)
	$(BENCH_BIN) --json $(REPORT)/native.json $(BENCH_ARGS)

$(BENCH_OUT)/bench_native-u1-i%: $(BENCH_DEPS) $(BENCH_URCU_SRCS)
	@mkdir -p $(@D)
	$(if $(filter 1,$*),$(call BENCH_READPAIR,$@,-DBENCH_URCU))
	$(CC) $(BASE) -DBENCH_URCU -DBENCH_INLINE=$* -DBENCH_URCU_VERSION='"$(URCU_VERSION)"' \
	  -o $@ $(BENCH_SRC) $(BENCH_URCU_SRCS) $(if $(filter 1,$*),$@-pie.o $@-pic.o) \
	  $(BENCH_LINK) $(URCU_LIBS)

$(BENCH_OUT)/bench_native-u0-i%: $(BENCH_DEPS)
	@mkdir -p $(@D)
	$(if $(filter 1,$*),$(call BENCH_READPAIR,$@,))
	$(CC) $(BASE) -DBENCH_INLINE=$* -o $@ $(BENCH_SRC) $(if $(filter 1,$*),$@-pie.o $@-pic.o) \
	  $(BENCH_LINK)
