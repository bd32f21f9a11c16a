// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: size parsing and alignment arithmetic for the borrowed region.
 * Pure functions, so that KUnit can test them without host memory.
 */
#include <linux/align.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "region.h"

/**
 * sb_region_parse_size - parse a size= value into a page count
 * @str:		memparse syntax ("128M", "1G", "0x8000000")
 * @pageblock_pages:	pages per pageblock; the size must be a multiple
 * @nr_pages:		out: the size in pages
 *
 * Return: 0, or -EINVAL for an empty, non-numeric, zero, trailing-garbage
 * or unaligned size.
 */
int sb_region_parse_size(const char *str, unsigned long pageblock_pages,
			 unsigned long *nr_pages)
{
	unsigned long long bytes;
	char *end;

	if (!str || !*str || !pageblock_pages)
		return -EINVAL;
	bytes = memparse(str, &end);
	if (end == str)
		return -EINVAL;
	/* module parameters written through sysfs may end in a newline */
	if (*end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	if (!bytes || bytes & (PAGE_SIZE - 1))
		return -EINVAL;
	if ((bytes >> PAGE_SHIFT) > ULONG_MAX)
		return -EINVAL;
	if ((bytes >> PAGE_SHIFT) % pageblock_pages)
		return -EINVAL;
	*nr_pages = bytes >> PAGE_SHIFT;
	return 0;
}

/**
 * sb_region_align - the start alignment to look for
 * @nr_pages:		region size in pages
 * @pageblock_pages:	pages per pageblock
 * @max_order_pages:	pages in a block of the largest buddy order
 *
 * A MAX_ORDER-aligned start lets the shadow allocator form top-order blocks
 * at the same pfns the host would; a region smaller than one such block
 * only needs pageblock alignment.
 */
unsigned long sb_region_align(unsigned long nr_pages,
			      unsigned long pageblock_pages,
			      unsigned long max_order_pages)
{
	unsigned long align = max(pageblock_pages, max_order_pages);

	return nr_pages >= align ? align : pageblock_pages;
}

/**
 * sb_region_first_candidate - first aligned start of a range in a zone
 * @zone_start:	first pfn of the zone
 * @zone_end:	pfn after the last pfn of the zone
 * @nr_pages:	range size
 * @align:	start alignment in pages (a power of two)
 * @pfn:	out: the candidate start
 *
 * Return: true when [*@pfn, *@pfn + @nr_pages) lies inside the zone.
 */
bool sb_region_first_candidate(unsigned long zone_start, unsigned long zone_end,
			       unsigned long nr_pages, unsigned long align,
			       unsigned long *pfn)
{
	unsigned long start;

	if (!nr_pages || !align || zone_start >= zone_end)
		return false;
	if (zone_start > ULONG_MAX - (align - 1))
		return false;
	start = ALIGN(zone_start, align);
	if (start >= zone_end || zone_end - start < nr_pages)
		return false;
	*pfn = start;
	return true;
}

/**
 * sb_region_next_candidate - the next aligned start after a busy pfn
 * @zone_end:	pfn after the last pfn of the zone
 * @nr_pages:	range size
 * @align:	start alignment in pages (a power of two)
 * @pfn:	in: a pfn that cannot be part of the range; out: next start
 *
 * The next start is the first aligned pfn above the busy one, so a scan
 * skips a whole unusable stretch at once instead of one alignment step.
 *
 * Return: true when a further candidate fits inside the zone.
 */
bool sb_region_next_candidate(unsigned long zone_end, unsigned long nr_pages,
			      unsigned long align, unsigned long *pfn)
{
	unsigned long next;

	if (!nr_pages || !align || *pfn >= ULONG_MAX - align)
		return false;
	next = ALIGN(*pfn + 1, align);
	if (next >= zone_end || zone_end - next < nr_pages)
		return false;
	*pfn = next;
	return true;
}
