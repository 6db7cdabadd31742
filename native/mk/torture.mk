# SPDX-License-Identifier: Apache-2.0
# rcutorture-style runs of tests/torture.c (what it checks is at the top of that file; one run's
# options: $(BUILD)/torture/torture --help). Included by the Makefile; uses its BUILD, BASE,
# SRCS, HEADER, INTERNAL and LIB.
#
#   torture        DURATION seconds in all (default 120): every flavor x every scenario below,
#                  then the ThreadSanitizer runs; ends with "torture: N passed, N failed"
#   torture-short  about 30 s: each flavor at least once, migration, signals, oversubscription;
#                  a prerequisite of `check`, so `mvn verify` and `make test` run it
#   torture-tsan   the sources and the test built together under ThreadSanitizer, run on the
#                  library's atomic path (TSan sees neither rseq sequences nor asm fences);
#                  DURATION/6 seconds; part of `torture`, not of `check`

DURATION ?= 120

TORTURE      := $(BUILD)/torture/torture
TORTURE_TSAN := $(BUILD)/tsan/torture
# Sources compiled in with the delay-injection points active (S4J_INJECT in include/srcu4j/static/compiler.h).
TORTURE_INJECT := $(BUILD)/inject/torture
TSANFLAGS    := $(BASE) -fno-omit-frame-pointer -fsanitize=thread $(CFLAGS)
# glibc registers no rseq, and SRCU4J_RSEQ=off keeps the library from registering its own (it
# would otherwise, see README.md): every counter update is then an atomic TSan can see.
TSAN_ENV     := GLIBC_TUNABLES=glibc.pthread.rseq=0 SRCU4J_RSEQ=off \
                TSAN_OPTIONS="second_deadlock_stack=1 $(TSAN_OPTIONS)"

# Reader flavors (for down-up, also the domain flavor the sections run on).
TORTURE_FLAVORS := classic fast signal-safe down-up down-up-fast
TORTURE_FLAVOR_classic      := --flavor=classic
TORTURE_FLAVOR_fast         := --flavor=fast
TORTURE_FLAVOR_signal-safe  := --flavor=signal-safe
TORTURE_FLAVOR_down-up      := --flavor=down-up --domain=classic
TORTURE_FLAVOR_down-up-fast := --flavor=down-up --domain=fast

# Scenarios. Every run has one synchronize, one call_srcu and one polling updater.
TORTURE_SCENARIOS := plain migrate oversub signals all
TORTURE_SCENARIO_plain   := --gp=normal
TORTURE_SCENARIO_migrate := --migrate --gp=expedited
TORTURE_SCENARIO_oversub := --threads-per-cpu=4 --gp=mix
TORTURE_SCENARIO_signals := --signals --gp=mix
TORTURE_SCENARIO_all     := --migrate --signals --threads-per-cpu=2 --gp=mix

TORTURE_MATRIX := $(foreach f,$(TORTURE_FLAVORS),$(foreach s,$(TORTURE_SCENARIOS),$(f)/$(s)))
TORTURE_SHORT  := classic/migrate fast/signals signal-safe/signals down-up/oversub \
                  down-up-fast/all fast/oversub
TORTURE_TSAN_RUNS := classic/all signal-safe/all down-up-fast/all
TORTURE_INJECT_RUNS := classic/oversub fast/all down-up/migrate

# DURATION in 33 slices: one per matrix run (25) and delay-injection run (3), five for TSan.
TORTURE_SLICE      = $(shell awk 'BEGIN { printf "%.2f", $(DURATION) / 33 }')
TORTURE_TSAN_SLICE = $(shell awk 'BEGIN { printf "%.2f", $(DURATION) / 6 / $(words $(TORTURE_TSAN_RUNS)) }')
TORTURE_SHORT_SLICE := 4

# $(call torture_runs,command,seconds,flavor/scenario list): one run per entry; the shell
# variables pass and fail count the outcomes.
torture_runs = $(foreach c,$(3),\
  if $(1) $(TORTURE_FLAVOR_$(firstword $(subst /, ,$(c)))) \
       $(TORTURE_SCENARIO_$(lastword $(subst /, ,$(c)))) --duration=$(2); \
  then pass=$$((pass + 1)); else fail=$$((fail + 1)); echo "torture: failed: $(c)"; fi;)
torture_tally = echo "torture: $$pass passed, $$fail failed"; test $$fail -eq 0

.PHONY: torture torture-short torture-tsan

$(TORTURE): tests/torture.c $(HEADER) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CFLAGS) -o $@ $< -L$(BUILD) -lsrcu4j -Wl,-rpath,'$$ORIGIN/..'

$(TORTURE_INJECT): tests/torture.c $(SRCS) $(INTERNAL) $(HEADER)
	@mkdir -p $(@D)
	$(CC) $(BASE) -DS4J_TEST_DELAY_INJECT $(CFLAGS) -o $@ $< $(SRCS)

# As the ASan build: sources and test in one binary, so TSan instruments the library too.
$(TORTURE_TSAN): tests/torture.c $(SRCS) $(INTERNAL) $(HEADER)
	@mkdir -p $(@D)
	$(CC) $(TSANFLAGS) -o $@ $< $(SRCS)

torture: $(TORTURE) $(TORTURE_TSAN) $(TORTURE_INJECT)
	@pass=0; fail=0; \
	$(call torture_runs,$(TORTURE),$(TORTURE_SLICE),$(TORTURE_MATRIX)) \
	$(call torture_runs,$(TORTURE_INJECT),$(TORTURE_SLICE),$(TORTURE_INJECT_RUNS)) \
	$(call torture_runs,$(TSAN_ENV) $(TORTURE_TSAN),$(TORTURE_TSAN_SLICE),$(TORTURE_TSAN_RUNS)) \
	$(torture_tally)

torture-short: $(TORTURE) $(TORTURE_INJECT)
	@pass=0; fail=0; \
	$(call torture_runs,$(TORTURE),$(TORTURE_SHORT_SLICE),$(TORTURE_SHORT)) \
	$(call torture_runs,$(TORTURE_INJECT),$(TORTURE_SHORT_SLICE),classic/oversub) \
	$(torture_tally)

torture-tsan: $(TORTURE_TSAN)
	@pass=0; fail=0; \
	$(call torture_runs,$(TSAN_ENV) $(TORTURE_TSAN),$(TORTURE_TSAN_SLICE),$(TORTURE_TSAN_RUNS)) \
	$(torture_tally)

check: torture-short
