// SPDX-License-Identifier: Apache-2.0
/* membarrier(2) wrappers for the fast flavor's grace periods. Internal. */
#ifndef S4J_MEMBARRIER_H
#define S4J_MEMBARRIER_H

/* Registers the process for MEMBARRIER_CMD_PRIVATE_EXPEDITED once; 0, or -errno when refused. */
int s4j_membarrier_register(void);

/* A full barrier on every CPU running a thread of this process. Requires the registration. */
void s4j_membarrier(void);

#endif
