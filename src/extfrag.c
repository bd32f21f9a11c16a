// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy fragmentation indices: the contig_page_info arithmetic of
 * mm/vmstat.c (Linux 6.1), used by compaction (fragmentation_index,
 * extfrag_for_order) and by the extfrag_index / unusable_index views.
 */
#include <linux/kernel.h>
#include <linux/math64.h>

#include "sb_internal.h"

/*
 * fill_contig_page_info(); nr_free is read without zone->lock, as there.
 * An order the zone cannot have is -EINVAL with @info untouched, where
 * the kernel's callers would WARN.
 */
int sb_fill_contig_page_info(struct sb_zone *zone, unsigned int suitable_order,
			     struct sb_contig_page_info *info)
{
	unsigned int order;

	if (suitable_order >= SB_MAX_ORDER)
		return -EINVAL;
	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;

	for (order = 0; order < SB_MAX_ORDER; order++) {
		unsigned long blocks;

		/* nr_free is only diagnostic here: a racy read is fine */
		blocks = data_race(zone->free_area[order].nr_free);

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks <<
						      (order - suitable_order);
	}
	return 0;
}

/*
 * __fragmentation_index(): only meaningful when a request would fail;
 * towards 0 it fails for lack of memory, towards 1000 for fragmentation.
 */
int sb___fragmentation_index(unsigned int order,
			     const struct sb_contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (WARN_ON_ONCE(order >= SB_MAX_ORDER))
		return 0;
	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - div_u64(1000 + div_u64(info->free_pages * 1000ULL,
					     requested),
			      info->free_blocks_total);
}

/* fragmentation_index() */
int sb_fragmentation_index(struct sb_zone *zone, unsigned int order)
{
	struct sb_contig_page_info info;

	if (sb_fill_contig_page_info(zone, order, &info))
		return 0;
	return sb___fragmentation_index(order, &info);
}

/* extfrag_for_order(): percent of free pages in blocks below @order */
unsigned int sb_extfrag_for_order(struct sb_zone *zone, unsigned int order)
{
	struct sb_contig_page_info info;

	if (sb_fill_contig_page_info(zone, order, &info) ||
	    info.free_pages == 0)
		return 0;
	return div_u64((info.free_pages -
			(info.free_blocks_suitable << order)) * 100,
		       info.free_pages);
}

/* unusable_free_index(): no free memory counts as all of it unusable */
int sb_unusable_free_index(unsigned int order,
			   const struct sb_contig_page_info *info)
{
	if (info->free_pages == 0)
		return 1000;
	return div_u64((info->free_pages -
			(info->free_blocks_suitable << order)) * 1000ULL,
		       info->free_pages);
}
