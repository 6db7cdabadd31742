# SPDX-License-Identifier: Apache-2.0
# aarch64: the library the jar carries for linux-aarch64, and the C tests cross-built to run on
# aarch64 (under qemu-user here; in an aarch64 VM by make test-arm64 at the top, see
# scripts/arm64-vm/README.md).
#
#   arm64-lib        $(A64_BUILD)/libsrcu4j.so, cross-built from the same sources with the same
#                    flags as the x86-64 one; the native module's compile phase (mvn package)
#                    runs it, and the java module puts it in the jar as linux-aarch64
#   arm64-tests      the unit tests against that library, their ASan+UBSan and injection builds,
#                    the torture program, tests/rseq_count.c's counting build, and the test-only
#                    library of the Java tests: what the VM runs
#   test-arm64-user  the unit tests under qemu-user (quick; no rseq: see below)
#
# Everything is written under $(A64_BUILD). The cross compiler (Debian: gcc-aarch64-linux-gnu,
# libc6-dev-arm64-cross) is installed by ../scripts/ensure-tools.sh when missing, qemu-user by
# `ensure-tools.sh arm64-user`.
#
# Inputs: A64_CROSS (toolchain prefix), A64_CC, A64_CFLAGS (the library's flags: Maven passes the
# top pom's srcu4j.cflags; a direct make reads the same property from ../pom.xml), A64_SYSROOT
# (the target's /, for qemu -L), A64_QEMU (default: qemu-aarch64 or qemu-aarch64-static).
#
# qemu-user refuses the rseq system call: glibc registers no rseq area, srcu4j's own registration
# fails too, and the tests run the atomic counter path (rseq=unavailable). The rseq sequence of
# arch/aarch64.h is still compiled into every binary, and the build checks that its descriptors
# and abort handlers are in the library; the VM of make test-arm64 runs it.

A64_BUILD   := $(BUILD)/arm64
A64_CROSS   ?= aarch64-linux-gnu-
A64_CC      ?= $(A64_CROSS)gcc
A64_SYSROOT ?= /usr/aarch64-linux-gnu
A64_QEMU    ?=

A64_CFLAGS  ?= $(shell sed -n 's:.*<srcu4j.cflags>\(.*\)</srcu4j.cflags>.*:\1:p' ../pom.xml 2>/dev/null)
A64_LIB_CFLAGS := $(or $(strip $(A64_CFLAGS)),$(BASE) -fvisibility=hidden) -Iinclude -Isrc
A64_LIB_LDFLAGS := -shared -pthread -Wl,-soname,libsrcu4j.so -Wl,-z,noexecstack

A64_LIB     := $(A64_BUILD)/libsrcu4j.so
A64_TESTS   := $(addprefix $(A64_BUILD)/tests/,$(TESTS))
A64_ASAN    := $(addprefix $(A64_BUILD)/asan/,$(ASAN_TESTS))
A64_INJECT  := $(addprefix $(A64_BUILD)/inject-tests/,$(INJECT_TESTS))
A64_TORTURE := $(A64_BUILD)/torture
A64_RSEQ_COUNT := $(A64_BUILD)/rseq_count
A64_TESTLIB := $(A64_BUILD)/libs4jtest_signal_handoff.so
# Built but not run under qemu-user: the hazard harness forks, execs itself and storms a thread
# with signals, and test_fork and test_track_fork fork a process whose callback workers (and a
# reader) are running; they trip internal assertions of qemu-user (its vCPU bookkeeping across
# fork of a threaded process), not ours. The VM runs them.
A64_NOT_RUN := test_defer_hazard test_fork test_track_fork

.PHONY: arm64-lib arm64-tests arm64-cc test-arm64-user

arm64-cc:
	@command -v $(A64_CC) >/dev/null 2>&1 && [ -e $(A64_SYSROOT)/include/stdio.h ] \
	  || ../scripts/ensure-tools.sh

$(A64_LIB): $(SRCS) $(INTERNAL) $(HEADER) | arm64-cc
	@mkdir -p $(@D)
	$(A64_CC) $(A64_LIB_CFLAGS) $(A64_LIB_LDFLAGS) -o $@ $(SRCS)

# The library must hold the rseq sequence: its descriptors (__rseq_cs) and abort handlers.
arm64-lib: $(A64_LIB)
	@cs=$$($(A64_CROSS)objdump -h $(A64_LIB) | awk '$$2 == "__rseq_cs" { print $$3 }'); \
	fail=$$($(A64_CROSS)objdump -h $(A64_LIB) | awk '$$2 == "__rseq_failure" { print $$3 }'); \
	if [ -z "$$cs" ] || [ -z "$$fail" ]; then \
	  echo "arm64: $(A64_LIB) has no rseq sequence (__rseq_cs/__rseq_failure missing)" >&2; \
	  rm -f $(A64_LIB); exit 1; fi; \
	echo "# arm64: $(A64_LIB) holds $$(( 0x$$cs / 32 )) rseq descriptors (__rseq_cs)," \
	     "abort handlers in __rseq_failure"

$(A64_BUILD)/tests/%: tests/%.c $(wildcard tests/*.h) $(A64_LIB) | arm64-cc
	@mkdir -p $(@D)
	$(A64_CC) $(BASE) -o $@ $< -L$(A64_BUILD) -lsrcu4j -Wl,-rpath,'$$ORIGIN/..'

$(A64_BUILD)/asan/%: tests/%.c $(wildcard tests/*.h) $(SRCS) $(INTERNAL) $(HEADER) | arm64-cc
	@mkdir -p $(@D)
	$(A64_CC) $(SANFLAGS) -o $@ $< $(SRCS)

$(A64_BUILD)/inject-tests/%: tests/%.c $(wildcard tests/*.h) $(SRCS) $(INTERNAL) $(HEADER) | arm64-cc
	@mkdir -p $(@D)
	$(A64_CC) $(SANFLAGS) -DS4J_TEST_DELAY_INJECT -o $@ $< $(SRCS)

$(A64_TORTURE): tests/torture.c $(HEADER) $(A64_LIB) | arm64-cc
	$(A64_CC) $(BASE) -o $@ $< -L$(A64_BUILD) -lsrcu4j -Wl,-rpath,'$$ORIGIN'

$(A64_RSEQ_COUNT): tests/rseq_count.c tests/tap.h $(SRCS) $(INTERNAL) $(HEADER) | arm64-cc
	$(A64_CC) $(BASE) -DS4J_TEST_RSEQ_STATS -o $@ $< $(SRCS)

$(A64_TESTLIB): tests/signal_handoff.c $(HEADER) | arm64-cc
	@mkdir -p $(@D)
	$(A64_CC) $(BASE) -shared -fvisibility=hidden -Wl,-z,noexecstack -o $@ $<

arm64-tests: arm64-lib $(A64_TESTS) $(A64_ASAN) $(A64_INJECT) $(A64_TORTURE) $(A64_RSEQ_COUNT) $(A64_TESTLIB)

# Runs every unit test that qemu-user can run, then fails if any failed. qemu -L makes the
# target's loader and libraries those of the sysroot; LD_LIBRARY_PATH points the tests at the
# arm64 library.
test-arm64-user: arm64-lib $(A64_TESTS) $(A64_RSEQ_COUNT)
	@../scripts/ensure-tools.sh arm64-user
	@q="$(A64_QEMU)"; [ -n "$$q" ] || q=$$(command -v qemu-aarch64 || command -v qemu-aarch64-static); \
	log=$(A64_BUILD)/test-arm64-user.log; : > $$log; failed=; \
	for t in $(A64_TESTS) $(A64_RSEQ_COUNT); do \
	  case " $(A64_NOT_RUN) " in *" $${t##*/} "*) \
	    echo "# $$t built, not run under qemu-user (see A64_NOT_RUN in mk/arm64.mk)" | tee -a $$log; \
	    continue;; esac; \
	  echo "# $$t (qemu-aarch64)" | tee -a $$log; \
	  LD_LIBRARY_PATH=$(A64_BUILD) $$q -L $(A64_SYSROOT) $$t > $$log.one 2>&1; rc=$$?; \
	  cat $$log.one | tee -a $$log; \
	  [ $$rc = 0 ] || failed="$$failed $${t##*/}"; \
	done; \
	rm -f $$log.one; \
	mode=$$(sed -n 's/.* rseq=\([a-z0-9]*\).*/\1/p' $$log | head -n 1); \
	mb=$$(sed -n 's/.* membarrier=\([0-9]*\).*/\1/p' $$log | head -n 1); \
	case "$$mode" in \
	  glibc|srcu4j) path="rseq critical sections (arch/aarch64.h), rseq registered by $$mode";; \
	  unavailable) path="atomic fallback: qemu-user refused rseq, so the rseq sequence was built but not run (make test-arm64 runs it in a VM)";; \
	  *) path="unknown (test_platform printed no rseq= line)";; \
	esac; \
	echo "# arm64 counter path: $$path; membarrier=$${mb:-?}"; \
	if [ -n "$$failed" ]; then echo "test-arm64-user: FAILED:$$failed (log: $$log)" >&2; exit 1; fi; \
	echo "# test-arm64-user: all passed (log: $$log)"
