// SPDX-License-Identifier: GPL-2.0
/* SB_HAVE_ALLOC_CONTIG_RANGE_NOPROF: 6.10+ name with memory profiling. */
#include <linux/gfp.h>

int sb_probe(void);
int sb_probe(void)
{
	return alloc_contig_range_noprof(0, 0, MIGRATE_MOVABLE, GFP_KERNEL);
}
