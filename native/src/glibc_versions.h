// SPDX-License-Identifier: Apache-2.0
/*
 * The oldest glibc the library loads on: 2.17, on x86-64 and aarch64 (aarch64's first glibc).
 *
 * A reference to a glibc function is bound, at link time, to the newest version of that symbol
 * the build machine's glibc defines; glibc gives a function a new version when it moves (2.34
 * moved libpthread and libdl into libc: pthread_create@GLIBC_2.34) or gains a variant, and keeps
 * the old version as an alias of the same code. The library would then need that glibc. Each
 * function below that got a version newer than 2.17 is bound instead to the oldest version it has
 * on the architecture, which is the same function where the build machine has both (one address),
 * and on an older glibc is the one in libpthread or libdl. Those are loaded in every process that
 * runs threads or dlopen (a JVM, a C program linked with -pthread); dlsym is referenced weakly (see
 * platform.c), so its absence only means glibc registered no rseq area.
 *
 * What glibc added after 2.17 is not used: pthread_attr_setsigmask_np (2.32; pool.c sets a
 * worker's mask itself) and __rseq_offset/__rseq_size (2.35; platform.c looks them up at run time).
 * tests/glibc_floor.sh fails the build on any version need above 2.17, naming the symbol.
 *
 * Include in every source file that calls one of these functions (a .symver names a reference of
 * its own object file only), after the system headers.
 */
#ifndef SRCU4J_GLIBC_VERSIONS_H
#define SRCU4J_GLIBC_VERSIONS_H

#include <features.h>

#if defined(__GLIBC__) && defined(__x86_64__)
#define S4J_GLIBC_FIRST "GLIBC_2.2.5"
#define S4J_GLIBC_SETAFFINITY "GLIBC_2.3.4"
#define S4J_GLIBC_SETNAME "GLIBC_2.12"
#elif defined(__GLIBC__) && defined(__aarch64__)
#define S4J_GLIBC_FIRST "GLIBC_2.17"
#define S4J_GLIBC_SETAFFINITY "GLIBC_2.17"
#define S4J_GLIBC_SETNAME "GLIBC_2.17"
#endif

#ifdef S4J_GLIBC_FIRST
/* References to sym in this object file become references to sym@version. */
#define S4J_GLIBC_BIND(sym, version) __asm__(".symver " #sym "," #sym "@" version)

S4J_GLIBC_BIND(pthread_create, S4J_GLIBC_FIRST);
S4J_GLIBC_BIND(pthread_once, S4J_GLIBC_FIRST);
S4J_GLIBC_BIND(pthread_mutex_trylock, S4J_GLIBC_FIRST);
S4J_GLIBC_BIND(pthread_key_create, S4J_GLIBC_FIRST);
S4J_GLIBC_BIND(pthread_setspecific, S4J_GLIBC_FIRST);
S4J_GLIBC_BIND(pthread_sigmask, S4J_GLIBC_FIRST);
S4J_GLIBC_BIND(dlsym, S4J_GLIBC_FIRST);
S4J_GLIBC_BIND(pthread_attr_setaffinity_np, S4J_GLIBC_SETAFFINITY);
S4J_GLIBC_BIND(pthread_setname_np, S4J_GLIBC_SETNAME);
#endif

#endif /* SRCU4J_GLIBC_VERSIONS_H */
