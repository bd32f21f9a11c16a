// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy compaction: mm/compaction.c of Linux 6.1 over the machine.
 * (Placeholder entry points; the compaction work replaces this file.)
 */
#include <linux/kernel.h>

#include "sb_internal.h"

void sb_defer_compaction(struct sb_zone *zone, int order)
{
}

bool sb_compaction_deferred(struct sb_zone *zone, int order)
{
	return false;
}

void sb_compaction_defer_reset(struct sb_zone *zone, int order,
			       bool alloc_success)
{
}

bool sb_compaction_restarting(struct sb_zone *zone, int order)
{
	return false;
}

enum sb_compact_result sb_compaction_suitable(struct sb_zone *zone, int order,
					      unsigned int alloc_flags,
					      int highest_zoneidx)
{
	return SB_COMPACT_SKIPPED;
}

void sb_wakeup_kcompactd(struct sb_node *pgdat, int order, int highest_zoneidx)
{
}

int sb_compact_nodes(struct sb_machine *m, int nid)
{
	return -EOPNOTSUPP;
}

int sb_kcompactd_run(struct sb_machine *m, int nid)
{
	return 0;
}

void sb_kcompactd_stop(struct sb_machine *m, int nid)
{
}

enum sb_compact_result
sb_try_to_compact_pages(struct sb_machine *m, gfp_t gfp, unsigned int order,
			unsigned int alloc_flags,
			const struct sb_alloc_context *ac,
			enum sb_compact_priority prio,
			struct sb_page **capture)
{
	return SB_COMPACT_SKIPPED;
}

bool sb_compaction_zonelist_suitable(struct sb_machine *m,
				     const struct sb_alloc_context *ac,
				     int order, int alloc_flags)
{
	return false;
}
