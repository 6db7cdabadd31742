# SPDX-License-Identifier: Apache-2.0
# srcu4j: the commands a newcomer needs.
#   make run       build what is missing, print what the machine offers, run the read-side
#                  benchmarks, the workloads and the C side-by-side, print the tables; writes
#                  build/report/: report.md, summary.json, jmh.json, native.json, PNG charts
#   make test      every source file's license line (scripts/spdx.sh), then `mvn verify`: C tests
#                  (plain, then ASan+UBSan), bindings and Java tests; then what the published jars
#                  hold (scripts/check-jars.sh: module io.srcu4j's exports, LICENSE and NOTICE)
#   make bench     the benchmark at full length (same outputs as run)
#   make torture   rcutorture-style runs of the C library, then of the Java API on every path
#                  and reader flavor (DURATION=<seconds> each, default 120)
#   make bench-native  C benchmarks side by side with liburcu; build/report/native.json
#   make study     a study of this machine from C and Java: core-to-core latency, fences and atomics,
#                  rseq aborts, membarrier, SRCU reader/updater placement; writes build/study/:
#                  study.md, study.json, PNG charts. About 30 s of measuring on 2 CPUs once built;
#                  STUDY=full about 3 minutes (native/study/README.md)
#   make test-arm64    an aarch64 Linux VM (qemu-system-aarch64, Debian arm64 kernel and OpenJDK 25):
#                  C tests, ASan, torture, rseq counts, the Java contract suite on every path,
#                  Java torture, jcstress PairB_AF, the JMH report; ARM64_STAGES picks stages
#                  (scripts/arm64-vm/README.md); about 18 min on 2 cores
#   make test-arm64-user  the C tests cross-built for aarch64 under qemu-user (quick; no rseq)
#   make stress    jcstress tests of the reader/updater ordering, once per path in STRESS_PATHS;
#                  fails on a FORBIDDEN outcome. STRESS_MODE=quick (about 10 min a path) | default | tough;
#                  STRESS_ARGS passes jcstress options (e.g. -t PairB). build/stress/<path>/
#   make bindings  regenerate bindings/ with jextract (JEXTRACT=... or jextract on PATH)
#   make reproducible  build the jars twice from clean and compare them byte for byte
#   make clean
# A JDK 25+ is found by scripts/find-jdk.sh (JAVA_HOME when suitable, else the usual places).

SHELL   := /bin/bash
REPORT  := build/report
JDK     := $(shell scripts/find-jdk.sh 2>/dev/null)
JAVA    := $(JDK)/bin/java
# Maven 3.8's bundled Guava touches sun.misc.Unsafe, which JDK 25 warns about on every run.
MVN     := JAVA_HOME=$(JDK) MAVEN_OPTS="$(MAVEN_OPTS) --sun-misc-unsafe-memory-access=allow" \
           mvn -B $(if $(CI),,-q)
JAVA_RUN := $(JAVA) --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
BENCH_JAR := bench/target/benchmarks.jar
STRESS_JAR := stress/target/jcstress.jar
# The srcu4j.path values to run the stress suite under; a new path is one more word here.
STRESS_PATHS ?= native-direct java native-downcall jna
STRESS_MODE ?= quick
SOURCES := $(shell find native/src native/include native/tests java/src bindings/src bench/src stress/src \
             -type f 2>/dev/null) $(wildcard pom.xml */pom.xml native/Makefile)

.PHONY: run test bench stress bindings clean tools jdk native torture bench-native test-arm64 \
        test-arm64-user reproducible study

tools:
	@scripts/ensure-tools.sh

jdk:
	@scripts/find-jdk.sh >/dev/null

$(BENCH_JAR): $(SOURCES) | tools jdk
	$(MVN) -DskipTests package

# The C side-by-side runs first and leaves native.txt and native.json for the report to include;
# when it fails its output is shown and the report says the C rows are missing.
# $(1): the length, for the message; $(2): bench_native's arguments.
NATIVE_REPORT = @echo "== C benchmarks (libsrcu4j and liburcu, $(1)): $(REPORT)/native.txt"; \
  $(MAKE) --no-print-directory -C native bench-native BENCH_ARGS="$(2)" REPORT=$(abspath $(REPORT)) \
  > $(REPORT)/native.txt 2>&1 || { cat $(REPORT)/native.txt; rm -f $(REPORT)/native.json; }

run: $(BENCH_JAR)
	@mkdir -p $(REPORT)
	$(call NATIVE_REPORT,quick mode,--quick)
	$(JAVA_RUN) -cp $(BENCH_JAR) io.srcu4j.bench.RunReport $(REPORT)

bench: $(BENCH_JAR)
	@mkdir -p $(REPORT)
	$(call NATIVE_REPORT,full length,)
	$(JAVA_RUN) -Dsrcu4j.bench.full=true -cp $(BENCH_JAR) io.srcu4j.bench.RunReport $(REPORT)

$(STRESS_JAR): $(SOURCES) | tools jdk
	$(MVN) -pl stress -am -DskipTests package

# `make test` only compiles and packages the stress tests; this runs them (scripts/run-stress.sh).
stress: $(STRESS_JAR)
	@scripts/run-stress.sh $(JAVA) $(STRESS_JAR) $(STRESS_MODE) build/stress $(STRESS_PATHS)

# The native module's test phase runs the C tests (make -C native check) before the Java ones;
# the study's C helpers are checked after, against the library that run built.
test: tools jdk
	@scripts/spdx.sh check
	$(MVN) verify
	@JAVA_HOME=$(JDK) scripts/check-jars.sh
	@$(MAKE) --no-print-directory -C native/study check

# The C probes are built against the library the benchmarks jar carries; the Java side runs them.
STUDY ?= default
study: $(BENCH_JAR)
	@$(MAKE) --no-print-directory -C native/study probe
	$(JAVA_RUN) -cp $(BENCH_JAR) io.srcu4j.bench.study.Study build/study native/target/study/s4j_study $(STUDY)

# The C-only targets need the library Maven builds; `native` builds just that module.
native: tools jdk
	$(MVN) -pl native -DskipTests package

bench-native: native
	@$(MAKE) --no-print-directory -C native $@ REPORT=$(abspath $(REPORT))

DURATION ?= 120
# The Java torture is a JUnit test that make test runs briefly; here it runs DURATION seconds
# (the C tests of the native module are skipped: the C torture has just run).
torture: native
	@$(MAKE) --no-print-directory -C native $@ DURATION=$(DURATION)
	$(MVN) -pl java -am test -Dtest=JavaTortureTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dsrcu4j.skipCTests=true -Dsrcu4j.torture.seconds=$(DURATION)

# Not part of test: it boots a VM under emulation (scripts/arm64-vm/test.sh times every step).
ARM64_STAGES ?=
test-arm64: tools jdk
	@JAVA_HOME=$(JDK) MVN='$(MVN)' scripts/arm64-vm/test.sh $(ARM64_STAGES)

# The library is Maven's (native module); the C tests are cross-built and run under qemu-user.
test-arm64-user: native
	@$(MAKE) --no-print-directory -C native test-arm64-user

reproducible: tools jdk
	JAVA_HOME=$(JDK) MAVEN_OPTS="$(MAVEN_OPTS) --sun-misc-unsafe-memory-access=allow" scripts/check-reproducible.sh

bindings:
	bindings/jextract/extract.sh
	@git --no-pager diff --stat -- bindings/src/main/java
	@git ls-files --others --exclude-standard -- bindings/src/main/java | sed "s/^/ new: /"

clean:
	@$(MAKE) --no-print-directory -C native clean
	-$(if $(JDK),$(MVN) clean)
	rm -rf build
