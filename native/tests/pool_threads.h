// SPDX-License-Identifier: Apache-2.0
/*
 * Threads of the calling process, for the pool tests: all of them, or those whose name
 * (/proc/self/task/<tid>/comm) starts with a prefix. Header-only.
 */
#ifndef S4J_POOL_THREADS_H
#define S4J_POOL_THREADS_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* prefix NULL: every thread. */
static int count_threads(const char *prefix)
{
    DIR *dir = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;

    if (!dir)
        return -1;
    while ((e = readdir(dir))) {
        char path[300], comm[32] = "";
        FILE *f;

        if (e->d_name[0] == '.')
            continue;
        if (!prefix) {
            n++;
            continue;
        }
        snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
        if ((f = fopen(path, "r"))) {
            if (!fgets(comm, sizeof(comm), f))
                comm[0] = 0;
            fclose(f);
        }
        n += !strncmp(comm, prefix, strlen(prefix));
    }
    closedir(dir);
    return n;
}

#endif
