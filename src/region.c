// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: borrow a contiguous range of host memory and give it back.
 *
 * alloc_contig_pages() is not exported, so sb_region_borrow() does what it
 * does: walk the node's populated zones, pre-check each aligned candidate
 * range cheaply (pfn_range_valid_contig()), then try alloc_contig_range()
 * and move on to the next aligned start when it reports the range busy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/sched/signal.h>

#include "fault.h"
#include "region.h"
#include "sb_config.h"

/* Host API drift, settled by the build's compile-time probes. */
static int sb_host_alloc_contig_range(unsigned long start, unsigned long end)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;

#if defined(SB_HAVE_ACR_FLAGS)
	return alloc_contig_range_noprof(start, end, ACR_FLAGS_NONE, gfp);
#elif defined(SB_HAVE_ALLOC_CONTIG_RANGE_NOPROF)
	return alloc_contig_range_noprof(start, end, MIGRATE_MOVABLE, gfp);
#else
	return alloc_contig_range(start, end, MIGRATE_MOVABLE, gfp);
#endif
}

/*
 * Mirrors pfn_range_valid_contig(): a range with a hole, a page of another
 * zone or a reserved page can never be isolated, so do not try.  Returns
 * the first pfn that rules the range out, or end when there is none.
 */
static unsigned long sb_range_first_bad_pfn(struct zone *z, unsigned long start,
					    unsigned long end)
{
	unsigned long pfn;

	for (pfn = start; pfn < end; pfn++) {
		struct page *page;

		if (!pfn_valid(pfn))
			return pfn;
		page = pfn_to_page(pfn);
		if (page_zone(page) != z || PageReserved(page))
			return pfn;
		if (!(pfn & 1023))
			cond_resched();
	}
	return end;
}

static int sb_borrow_from_zone(struct sb_region *r, struct zone *z,
			       unsigned long nr_pages, unsigned long align)
{
	unsigned long zone_end = zone_end_pfn(z);
	unsigned long pfn, bad;
	bool more;
	int ret;

	more = sb_region_first_candidate(z->zone_start_pfn, zone_end, nr_pages,
					 align, &pfn);
	while (more) {
		if (fatal_signal_pending(current))
			return -EINTR;
		bad = sb_range_first_bad_pfn(z, pfn, pfn + nr_pages);
		if (bad == pfn + nr_pages) {
			r->attempts++;
			/* an injected failure looks like a busy range */
			ret = sb_should_fail(SB_FAULT_REGION) ? -EBUSY :
			      sb_host_alloc_contig_range(pfn, pfn + nr_pages);
			if (!ret) {
				r->start_pfn = pfn;
				r->nr_pages = nr_pages;
				r->nid = zone_to_nid(z);
				r->zone_name = z->name;
				return 0;
			}
			if (ret != -EBUSY && ret != -EAGAIN)
				return ret;
			/* which pfn was busy is not reported: step once */
			bad = pfn;
		}
		pfn = bad;
		more = sb_region_next_candidate(zone_end, nr_pages, align, &pfn);
		cond_resched();
	}
	return -ENOMEM;
}

/**
 * sb_region_borrow - take @nr_pages contiguous host pages from node @nid
 * @r:		filled in on success
 * @nid:	host node
 * @nr_pages:	a multiple of pageblock_nr_pages
 *
 * Zones are tried from the highest to the lowest, as the zonelist of a
 * GFP_KERNEL allocation orders them.
 *
 * Return: 0; -EINVAL when the node cannot hold the size at all; -ENOMEM
 * when no free range was found; -EINTR on a fatal signal.
 */
int sb_region_borrow(struct sb_region *r, int nid, unsigned long nr_pages)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long align;
	int zid, ret = -ENOMEM;

	memset(r, 0, sizeof(*r));
	if (nr_pages > pgdat->node_present_pages) {
		pr_err("size=%lu MiB is larger than node %d (%lu MiB)\n",
		       nr_pages >> (20 - PAGE_SHIFT), nid,
		       pgdat->node_present_pages >> (20 - PAGE_SHIFT));
		return -EINVAL;
	}
	align = sb_region_align(nr_pages, pageblock_nr_pages, MAX_ORDER_NR_PAGES);
	for (zid = MAX_NR_ZONES - 1; zid >= 0; zid--) {
		struct zone *z = &pgdat->node_zones[zid];

		if (!populated_zone(z) || zone_is_zone_device(z))
			continue;
		ret = sb_borrow_from_zone(r, z, nr_pages, align);
		if (ret != -ENOMEM)
			break;
	}
	if (ret == -ENOMEM)
		pr_err("no free %lu MiB range on node %d after %u attempts\n",
		       nr_pages >> (20 - PAGE_SHIFT), nid, r->attempts);
	return ret;
}

/**
 * sb_region_return - give every page of @r back to the host
 * @r:	a region sb_region_borrow() filled in
 */
void sb_region_return(struct sb_region *r)
{
	if (!r->nr_pages)
		return;
	free_contig_range(r->start_pfn, r->nr_pages);
	r->nr_pages = 0;
}
