# test-arm64: the library and the C unit tests cross-built for aarch64 and run under qemu-user.
#
# Everything is written under $(A64_BUILD). The library is built from the same sources with the
# same flags as the Maven build (the top pom's srcu4j.cflags, the plugin's link options); the
# tests as `make check` builds them ($(BASE)). Missing tools are installed with apt-get when
# running as root (Debian/Ubuntu: gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, qemu-user).
#
# Inputs: A64_CROSS (toolchain prefix), A64_CC, A64_SYSROOT (the target's /, for qemu -L),
# A64_QEMU (default: qemu-aarch64 or qemu-aarch64-static on PATH), A64_TORTURE_ARGS (the
# option that selects a short run of tests/torture.c, when that program exists and accepts it).
#
# qemu-user usually refuses the rseq system call: then glibc registers no rseq area, srcu4j's
# own registration fails too, and the tests run the atomic counter path (rseq=unavailable).
# The rseq sequence of arch/aarch64.h is still compiled into every binary, and the build checks
# that its descriptors and abort handlers are in the library.

A64_BUILD   := $(BUILD)/arm64
A64_CROSS   ?= aarch64-linux-gnu-
A64_CC      ?= $(A64_CROSS)gcc
A64_SYSROOT ?= /usr/aarch64-linux-gnu
A64_QEMU    ?=
A64_TORTURE_ARGS ?= --short
A64_PACKAGES := gcc-aarch64-linux-gnu libc6-dev-arm64-cross

# The library's compile flags, read from the top pom so the two builds cannot drift apart.
A64_POM_CFLAGS := $(shell sed -n 's:.*<srcu4j.cflags>\(.*\)</srcu4j.cflags>.*:\1:p' ../pom.xml 2>/dev/null)
A64_LIB_CFLAGS := $(or $(A64_POM_CFLAGS),$(BASE) -fvisibility=hidden) -Iinclude -Isrc
A64_LIB_LDFLAGS := -shared -pthread -Wl,-soname,libsrcu4j.so -Wl,-z,noexecstack

A64_LIB     := $(A64_BUILD)/libsrcu4j.so
A64_TESTS   := $(addprefix $(A64_BUILD)/tests/,$(TESTS))
# Built but not run: the hazard harness forks, execs itself and storms a thread with signals,
# and test_fork forks a process whose callback workers are running; both trip internal assertions
# of qemu-user (its vCPU bookkeeping across fork of a threaded process), not ours.
A64_NOT_RUN := test_defer_hazard test_fork
A64_TORTURE := $(if $(wildcard tests/torture.c),$(A64_BUILD)/torture)

.PHONY: test-arm64 arm64-tools arm64-build

# Installs the cross compiler, the target's C library and qemu-user when one is missing.
arm64-tools:
	@if command -v $(A64_CC) >/dev/null 2>&1 && [ -e $(A64_SYSROOT)/include/stdio.h ] \
	    && { [ -n "$(A64_QEMU)" ] || command -v qemu-aarch64 >/dev/null 2>&1 \
	         || command -v qemu-aarch64-static >/dev/null 2>&1; }; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
	  echo "test-arm64 needs an aarch64 cross compiler ($(A64_CC)), the aarch64 C library in" \
	       "$(A64_SYSROOT) and qemu-aarch64. On Debian/Ubuntu, as root: apt-get install" \
	       "$(A64_PACKAGES) qemu-user. Elsewhere set A64_CROSS, A64_SYSROOT and A64_QEMU." >&2; \
	  exit 1; \
	fi; \
	echo "# installing $(A64_PACKAGES) and qemu-user"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -qq || exit 1; \
	qemu=; for p in qemu-user qemu-user-static; do \
	  if apt-cache show $$p >/dev/null 2>&1; then qemu=$$p; break; fi; done; \
	[ -n "$$qemu" ] || { echo "test-arm64: apt has neither qemu-user nor qemu-user-static" >&2; exit 1; }; \
	apt-get install -y -qq --no-install-recommends $(A64_PACKAGES) $$qemu >/dev/null || exit 1

$(A64_LIB): $(SRCS) $(INTERNAL) $(HEADER) | arm64-tools
	@mkdir -p $(@D)
	$(A64_CC) $(A64_LIB_CFLAGS) $(A64_LIB_LDFLAGS) -o $@ $(SRCS)

$(A64_BUILD)/tests/%: tests/%.c $(wildcard tests/*.h) $(A64_LIB) | arm64-tools
	@mkdir -p $(@D)
	$(A64_CC) $(BASE) -o $@ $< -L$(A64_BUILD) -lsrcu4j -Wl,-rpath,'$$ORIGIN/..'

# The torture program is compiled together with the sources, so it may use internal headers.
$(A64_BUILD)/torture: tests/torture.c $(SRCS) $(INTERNAL) $(HEADER) | arm64-tools
	@mkdir -p $(@D)
	$(A64_CC) $(BASE) -o $@ $< $(SRCS)

arm64-build: $(A64_LIB) $(A64_TESTS) $(A64_TORTURE)
	@set -e; cs=$$($(A64_CROSS)objdump -h $(A64_LIB) | awk '$$2 == "__rseq_cs" { print $$3 }'); \
	fail=$$($(A64_CROSS)objdump -h $(A64_LIB) | awk '$$2 == "__rseq_failure" { print $$3 }'); \
	if [ -z "$$cs" ] || [ -z "$$fail" ]; then \
	  echo "test-arm64: $(A64_LIB) has no rseq sequence (__rseq_cs/__rseq_failure missing)" >&2; \
	  exit 1; fi; \
	echo "# arm64: $(A64_LIB) holds $$(( 0x$$cs / 32 )) rseq descriptors (__rseq_cs)," \
	     "abort handlers in __rseq_failure"

# Runs every test, then fails if any failed. qemu -L makes the target's loader and libraries
# those of the sysroot; LD_LIBRARY_PATH points the tests at the arm64 library.
test-arm64: arm64-build
	@q="$(A64_QEMU)"; [ -n "$$q" ] || q=$$(command -v qemu-aarch64 || command -v qemu-aarch64-static); \
	log=$(A64_BUILD)/test-arm64.log; : > $$log; failed=; \
	for t in $(A64_TESTS); do \
	  case " $(A64_NOT_RUN) " in *" $${t##*/} "*) \
	    echo "# $$t built, not run under qemu-user (see A64_NOT_RUN in mk/arm64.mk)" | tee -a $$log; \
	    continue;; esac; \
	  echo "# $$t (qemu-aarch64)" | tee -a $$log; \
	  LD_LIBRARY_PATH=$(A64_BUILD) $$q -L $(A64_SYSROOT) $$t > $$log.one 2>&1; rc=$$?; \
	  cat $$log.one | tee -a $$log; \
	  [ $$rc = 0 ] || failed="$$failed $${t##*/}"; \
	done; \
	if [ -n "$(A64_TORTURE)" ]; then \
	  if grep -q -e '$(A64_TORTURE_ARGS)' tests/torture.c; then \
	    echo "# $(A64_TORTURE) $(A64_TORTURE_ARGS) (qemu-aarch64)" | tee -a $$log; \
	    $$q -L $(A64_SYSROOT) $(A64_TORTURE) $(A64_TORTURE_ARGS) > $$log.one 2>&1; rc=$$?; \
	    cat $$log.one | tee -a $$log; \
	    [ $$rc = 0 ] || failed="$$failed torture"; \
	  else \
	    echo "# $(A64_TORTURE) built; not run (no $(A64_TORTURE_ARGS) mode)"; \
	  fi; \
	fi; \
	rm -f $$log.one; \
	mode=$$(sed -n 's/.* rseq=\([a-z0-9]*\).*/\1/p' $$log | head -n 1); \
	mb=$$(sed -n 's/.* membarrier=\([0-9]*\).*/\1/p' $$log | head -n 1); \
	case "$$mode" in \
	  glibc|srcu4j) path="rseq critical sections (arch/aarch64.h), rseq registered by $$mode";; \
	  unavailable) path="atomic fallback: qemu-user refused rseq, so the rseq sequence was built but not run";; \
	  *) path="unknown (test_platform printed no rseq= line)";; \
	esac; \
	echo "# arm64 counter path: $$path; membarrier=$${mb:-?}"; \
	if [ -n "$$failed" ]; then echo "test-arm64: FAILED:$$failed (log: $$log)" >&2; exit 1; fi; \
	echo "# test-arm64: all passed (log: $$log)"
