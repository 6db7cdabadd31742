// SPDX-License-Identifier: Apache-2.0
/* make bench-native: compiles and links only when liburcu's memb and mb flavors are installed. */
#include <urcu/urcu-memb.h>
#include <urcu/urcu-mb.h>

int main(void)
{
    urcu_memb_register_thread();
    urcu_memb_unregister_thread();
    urcu_mb_register_thread();
    urcu_mb_unregister_thread();
    return 0;
}
