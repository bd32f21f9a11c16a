// SPDX-License-Identifier: GPL-2.0
/* SB_HAVE_ACR_FLAGS: alloc_contig_range() takes acr_flags_t (6.16+). */
#include <linux/gfp.h>

int sb_probe(void);
int sb_probe(void)
{
	acr_flags_t flags = ACR_FLAGS_NONE;

	return alloc_contig_range_noprof(0, 0, flags, GFP_KERNEL);
}
