// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy reclaim: the kswapd and direct reclaim shape of mm/vmscan.c of
 * Linux 6.1 over the owners' LRU.
 * (Placeholder entry points; the reclaim work replaces this file.)
 */
#include <linux/kernel.h>

#include "sb_internal.h"

void sb_wakeup_kswapd(struct sb_zone *zone, gfp_t gfp, int order,
		      int highest_zoneidx)
{
}

int sb_kswapd_run(struct sb_machine *m, int nid)
{
	return 0;
}

void sb_kswapd_stop(struct sb_machine *m, int nid)
{
}

unsigned long sb_try_to_free_pages(struct sb_machine *m,
				   struct sb_zonelist *zonelist, int order,
				   gfp_t gfp, const unsigned long *nodemask)
{
	return 0;
}
