/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy backing: the block of host memory the shadow allocator runs on.
 */
#ifndef _SBUDDY_REGION_H
#define _SBUDDY_REGION_H

#include <linux/types.h>

/**
 * struct sb_region - a contiguous range of host pages lent to sbuddy
 * @start_pfn:	first host pfn of the range.
 * @nr_pages:	number of pages.
 * @nid:	host node the range came from.
 * @zone_name:	name of the host zone the range came from.
 * @attempts:	alloc_contig_range() calls it took to find the range.
 */
struct sb_region {
	unsigned long start_pfn;
	unsigned long nr_pages;
	int nid;
	const char *zone_name;
	unsigned int attempts;
};

/* Pure helpers (region_util.c), KUnit-tested. */
int sb_region_parse_size(const char *str, unsigned long pageblock_pages,
			 unsigned long *nr_pages);
unsigned long sb_region_align(unsigned long nr_pages,
			      unsigned long pageblock_pages,
			      unsigned long max_order_pages);
bool sb_region_first_candidate(unsigned long zone_start, unsigned long zone_end,
			       unsigned long nr_pages, unsigned long align,
			       unsigned long *pfn);
bool sb_region_next_candidate(unsigned long zone_end, unsigned long nr_pages,
			      unsigned long align, unsigned long *pfn);

/* Host borrowing (region.c). */
int sb_region_borrow(struct sb_region *r, int nid, unsigned long nr_pages);
void sb_region_return(struct sb_region *r);

#endif /* _SBUDDY_REGION_H */
