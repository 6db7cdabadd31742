# SPDX-License-Identifier: Apache-2.0
# rseq-count: how the per-CPU increments went (tests/rseq_count.c): rseq commits, kernel aborts
# and increments of the slow (atomic) path, counted by a test-only build of the sources
# (-DS4J_TEST_RSEQ_STATS; the library has the hook compiled out). Part of `check`: with glibc's
# rseq registration, with srcu4j's own (glibc told not to register), and with SRCU4J_RSEQ=off
# (the atomic path, no commit); make test-arm64 runs the aarch64 build the same ways in the VM.
# Included by the Makefile; uses its BUILD, BASE, SRCS, HEADER and INTERNAL.

RSEQ_COUNT := $(BUILD)/rseq-count/rseq_count

.PHONY: rseq-count

$(RSEQ_COUNT): tests/rseq_count.c tests/tap.h $(SRCS) $(INTERNAL) $(HEADER)
	@mkdir -p $(@D)
	$(CC) $(BASE) -DS4J_TEST_RSEQ_STATS $(CFLAGS) -o $@ $< $(SRCS)

rseq-count: $(RSEQ_COUNT)
	@echo "# $(RSEQ_COUNT)"; $(RSEQ_COUNT) 5000
	@echo "# $(RSEQ_COUNT) (own registration)"; GLIBC_TUNABLES=glibc.pthread.rseq=0 $(RSEQ_COUNT) 5000
	@echo "# $(RSEQ_COUNT) (SRCU4J_RSEQ=off)"; SRCU4J_RSEQ=off $(RSEQ_COUNT) 5000

check: rseq-count
