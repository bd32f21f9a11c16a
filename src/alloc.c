// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy allocation API: gfp flags to zone and migratetype, the zonelist
 * walk with watermark checks, rmqueue, prep_new_page and the free side
 * (__free_pages, put_page, split_page), plus alloc_pages_bulk and memory
 * policies.  Mirrors Linux 6.1's page allocator and memory policies.
 */
#define pr_fmt(fmt) "sbuddy: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/string.h>

#include "sb_internal.h"
#include "sb_trace.h"

/*
 * gfp_zone(): the highest zone a request may use.  __GFP_HIGHMEM means
 * Normal (x86_64 has no highmem) unless __GFP_MOVABLE is also set.
 * Return: the zone index or -EINVAL for a contradictory zone modifier.
 */
int sb_gfp_zone(gfp_t gfp)
{
	unsigned long z = (__force unsigned long)
			  (gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM));

	if (z && (z & (z - 1)))
		return -EINVAL;
	if (gfp & __GFP_DMA)
		return SB_ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return SB_ZONE_DMA32;
	if ((gfp & __GFP_HIGHMEM) && (gfp & __GFP_MOVABLE))
		return SB_ZONE_MOVABLE;
	return SB_ZONE_NORMAL;
}

/* gfp_migratetype() */
int sb_gfp_migratetype(struct sb_machine *m, gfp_t gfp)
{
	if (unlikely(READ_ONCE(m->page_group_by_mobility_disabled)))
		return SB_MIGRATE_UNMOVABLE;
	if (gfp & __GFP_MOVABLE)
		return SB_MIGRATE_MOVABLE;
	if (gfp & __GFP_RECLAIMABLE)
		return SB_MIGRATE_RECLAIMABLE;
	return SB_MIGRATE_UNMOVABLE;
}

/**
 * sb_set_page_group_by_mobility_disabled - sbuddy's switch for grouping
 * by mobility, which the kernel only decides at boot
 * @m:		the machine
 * @val:	1: every request takes the Unmovable lists, as on a machine
 *		too small for grouping; 0: grouping on
 *
 * Blocks already allocated keep their pageblocks.  Return: 0 or -EINVAL.
 */
int sb_set_page_group_by_mobility_disabled(struct sb_machine *m, int val)
{
	if (val != 0 && val != 1)
		return -EINVAL;
	WRITE_ONCE(m->page_group_by_mobility_disabled, val);
	return 0;
}

/**
 * sb_nodemask_populated - does @nodemask name a node of @m with memory?
 * @m:		the machine
 * @nodemask:	bit n for node n
 */
bool sb_nodemask_populated(struct sb_machine *m, const unsigned long *nodemask)
{
	int nid;

	for (nid = 0; nid < m->nr_nodes; nid++)
		if ((*nodemask & BIT(nid)) && m->nodes[nid]->node_present_pages)
			return true;
	return false;
}

/**
 * sb_alloc_check_args - what sb_alloc_pages() refuses
 * @m:		the machine
 * @gfp:	gfp flags
 * @order:	0..SB_MAX_ORDER-1
 * @preferred_nid: a node of @m or NUMA_NO_NODE
 * @nodemask:	NULL or a mask with a populated node of @m
 *
 * Return: 0 or -EINVAL.
 */
int sb_alloc_check_args(struct sb_machine *m, gfp_t gfp, unsigned int order,
			int preferred_nid, const unsigned long *nodemask)
{
	if (order >= SB_MAX_ORDER)
		return -EINVAL;
	if (sb_gfp_zone(gfp) < 0)
		return -EINVAL;
	if ((gfp & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) ==
	    (__GFP_MOVABLE | __GFP_RECLAIMABLE))
		return -EINVAL;
	if (preferred_nid != NUMA_NO_NODE &&
	    (preferred_nid < 0 || preferred_nid >= m->nr_nodes))
		return -EINVAL;
	if (nodemask && !sb_nodemask_populated(m, nodemask))
		return -EINVAL;
	return 0;
}

/* ALLOC_KSWAPD from __GFP_KSWAPD_RECLAIM; the bit values are not assumed */
static unsigned int sb_gfp_kswapd_flag(gfp_t gfp)
{
	return (gfp & __GFP_KSWAPD_RECLAIM) ? SB_ALLOC_KSWAPD : 0;
}

/* gfp_to_alloc_flags_cma() */
static unsigned int sb_gfp_to_alloc_flags_cma(struct sb_machine *m, gfp_t gfp,
					      unsigned int alloc_flags)
{
	if (sb_gfp_migratetype(m, gfp) == SB_MIGRATE_MOVABLE)
		alloc_flags |= SB_ALLOC_CMA;
	return alloc_flags;
}

/*
 * alloc_flags_nofragment(): a Normal-zone request avoids fragmenting
 * fallbacks on the first pass while DMA32 can still serve it.
 */
static unsigned int sb_alloc_flags_nofragment(struct sb_machine *m,
					      struct sb_zone *zone, gfp_t gfp)
{
	unsigned int alloc_flags = sb_gfp_kswapd_flag(gfp);

	if (!zone || zone->idx != SB_ZONE_NORMAL)
		return alloc_flags;
	if (m->nr_nodes > 1 &&
	    !sb_populated_zone(&zone->zone_pgdat->node_zones[SB_ZONE_DMA32]))
		return alloc_flags;
	return alloc_flags | SB_ALLOC_NOFRAGMENT;
}

/* gfp_to_alloc_flags() of 6.1.192: the slow path's reserve rights */
static unsigned int sb_gfp_to_alloc_flags(struct sb_machine *m, gfp_t gfp,
					  unsigned int order)
{
	unsigned int alloc_flags = SB_ALLOC_WMARK_MIN | SB_ALLOC_CPUSET;

	if (gfp & __GFP_HIGH)
		alloc_flags |= SB_ALLOC_MIN_RESERVE;
	alloc_flags |= sb_gfp_kswapd_flag(gfp);

	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		if (!(gfp & __GFP_NOMEMALLOC)) {
			alloc_flags |= SB_ALLOC_NON_BLOCK;
			if (order > 0 && (alloc_flags & SB_ALLOC_MIN_RESERVE))
				alloc_flags |= SB_ALLOC_HIGHATOMIC;
		}
		if (alloc_flags & SB_ALLOC_MIN_RESERVE)
			alloc_flags &= ~SB_ALLOC_CPUSET;
	}
	return sb_gfp_to_alloc_flags_cma(m, gfp, alloc_flags);
}

/* __gfp_pfmemalloc_flags(): __GFP_MEMALLOC ignores the watermarks */
static unsigned int sb_gfp_pfmemalloc_flags(gfp_t gfp)
{
	if (unlikely(gfp & __GFP_NOMEMALLOC))
		return 0;
	if (gfp & __GFP_MEMALLOC)
		return SB_ALLOC_NO_WATERMARKS;
	return 0;
}

void sb_bad_page(struct sb_machine *m, struct sb_page *page,
		 unsigned int order, const char *reason)
{
	sb_warn("bad page state: pfn %#lx order %u flags %#x count %d: %s\n",
		sb_page_to_pfn(m, page), order, page->flags,
		sb_page_count(page), reason);
	sb_count_vm_events(m, SB_EV_BAD_PAGE, 1);
	/* the block is lost to the allocator, as the kernel loses it */
	page->flags = SB_PG_LEAKED;
	page->order = order;
}

/* check_new_pages(): every page of a block about to be handed out */
bool sb_check_new_pages(struct sb_machine *m, struct sb_page *page,
			unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++) {
		struct sb_page *p = page + i;

		if (unlikely((p->flags & SB_PG_CHECK_AT_PREP) ||
			     sb_page_count(p))) {
			sb_bad_page(m, page, order,
				    sb_page_count(p) ? "nonzero _refcount" :
						       "PAGE_FLAGS_CHECK_AT_PREP flag(s) set");
			return true;
		}
	}
	return false;
}

/*
 * rmqueue_buddy(): under zone->lock take from the highatomic reserve
 * (ALLOC_HIGHATOMIC), the migratetype's lists with fallback, or the
 * reserve again for OOM and non-blocking requests; retry when the block
 * fails the new-page checks.
 */
static struct sb_page *sb_rmqueue_buddy(struct sb_zone *preferred_zone,
					struct sb_zone *zone,
					unsigned int order,
					unsigned int alloc_flags,
					int migratetype)
{
	struct sb_machine *m = zone->machine;
	struct sb_page *page;
	unsigned long flags;

	do {
		page = NULL;
		spin_lock_irqsave(&zone->lock, flags);
		if (alloc_flags & SB_ALLOC_HIGHATOMIC)
			page = sb_rmqueue_smallest(zone, order,
						   SB_MIGRATE_HIGHATOMIC);
		if (!page) {
			page = sb_rmqueue(zone, order, migratetype, alloc_flags);
			if (!page &&
			    (alloc_flags & (SB_ALLOC_OOM | SB_ALLOC_NON_BLOCK)))
				page = sb_rmqueue_smallest(zone, order,
							   SB_MIGRATE_HIGHATOMIC);
			if (!page) {
				spin_unlock_irqrestore(&zone->lock, flags);
				return NULL;
			}
		}
		sb_mod_zone_freepage_state(zone, -(1L << order),
					   page->migratetype);
		spin_unlock_irqrestore(&zone->lock, flags);
	} while (sb_check_new_pages(m, page, order));

	sb_count_vm_events(m, SB_PGALLOC_DMA + zone->idx, 1L << order);
	sb_zone_statistics(preferred_zone, zone, 1);
	return page;
}

/*
 * rmqueue(): pcp_allowed_order() requests go to this CPU's lists first
 * (movable ones only when CMA is allowed, as the Movable list may hold
 * CMA pages), then to the buddy lists under zone->lock.
 */
static struct sb_page *sb_rmqueue_zone(struct sb_zone *preferred_zone,
				       struct sb_zone *zone,
				       unsigned int order, gfp_t gfp,
				       unsigned int alloc_flags,
				       int migratetype)
{
	struct sb_machine *m = zone->machine;
	struct sb_page *page;

	if ((gfp & __GFP_NOFAIL) && order > 1)
		sb_warn("__GFP_NOFAIL allocation of order %u\n", order);

	if (likely(sb_pcp_allowed_order(m, order))) {
		if ((alloc_flags & SB_ALLOC_CMA) ||
		    migratetype != SB_MIGRATE_MOVABLE) {
			bool cold = unlikely(gfp & SB_GFP_COLD) &&
				    READ_ONCE(m->legacy_cold_pages);

			page = sb_rmqueue_pcplist(preferred_zone, zone, order,
						  migratetype, alloc_flags,
						  cold);
			if (likely(page))
				goto out;
		}
	}
	page = sb_rmqueue_buddy(preferred_zone, zone, order, alloc_flags,
				migratetype);
out:
	/* kswapd would be woken here; there is none yet */
	if (unlikely(test_bit(SB_ZONE_BOOSTED_WATERMARK, &zone->flags)))
		clear_bit(SB_ZONE_BOOSTED_WATERMARK, &zone->flags);
	return page;
}

/*
 * prep_new_page(): refcount 1, __GFP_ZERO clears the real memory,
 * __GFP_COMP makes a compound page.  sbuddy also records the allocation
 * (SB_PG_ALLOC and its order on the first page, the requested
 * migratetype on every page) so frees can be checked and movable pages
 * counted.
 */
static void sb_prep_new_page(struct sb_machine *m, struct sb_page *page,
			     unsigned int order, gfp_t gfp, int migratetype)
{
	unsigned long i, nr = 1UL << order;

	atomic_set(&page->_refcount, 1);
	page->flags |= SB_PG_ALLOC;
	page->order = order;
	for (i = 0; i < nr; i++)
		page[i].migratetype = migratetype;
	if (gfp & __GFP_ZERO)
		memset(sb_page_address(m, page), 0, nr * PAGE_SIZE);
	if (order && (gfp & __GFP_COMP)) {
		page->flags |= SB_PG_HEAD;
		for (i = 1; i < nr; i++) {
			page[i].flags |= SB_PG_TAIL;
			page[i].private = i;
		}
	}
}

/*
 * get_page_from_freelist(): walk the zonelist from the preferred zone;
 * take the first zone that passes its watermark.  ALLOC_NOFRAGMENT is
 * dropped before leaving the local node, and after a full pass.
 * node_reclaim is off (node_reclaim_mode 0, the default).
 */
static struct sb_page *sb_get_page_from_freelist(struct sb_machine *m,
						 gfp_t gfp, unsigned int order,
						 unsigned int alloc_flags,
						 const struct sb_alloc_context *ac)
{
	struct sb_zoneref *z;
	struct sb_zone *zone;
	bool no_fallback;

retry:
	no_fallback = alloc_flags & SB_ALLOC_NOFRAGMENT;
	z = ac->preferred_zoneref;
	for (; z->zone;
	     z = sb_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					ac->nodemask)) {
		struct sb_page *page;
		unsigned long mark;

		zone = z->zone;

		if (no_fallback && m->nr_nodes > 1 &&
		    zone != ac->preferred_zoneref->zone) {
			if (zone->node != ac->preferred_zoneref->zone->node) {
				alloc_flags &= ~SB_ALLOC_NOFRAGMENT;
				goto retry;
			}
		}

		mark = sb_wmark_pages(zone, alloc_flags & SB_ALLOC_WMARK_MASK);
		if (!sb_zone_watermark_fast(zone, order, mark,
					    ac->highest_zoneidx, alloc_flags,
					    gfp)) {
			if (!(alloc_flags & SB_ALLOC_NO_WATERMARKS))
				continue;
		}

		page = sb_rmqueue_zone(ac->preferred_zoneref->zone, zone, order,
				       gfp, alloc_flags, ac->migratetype);
		if (page) {
			sb_prep_new_page(m, page, order, gfp, ac->migratetype);
			if (unlikely(alloc_flags & SB_ALLOC_HIGHATOMIC))
				sb_reserve_highatomic_pageblock(page, zone,
								order);
			return page;
		}
	}

	if (no_fallback) {
		alloc_flags &= ~SB_ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

/**
 * sb_alloc_pages_slowpath - the hook for __alloc_pages_slowpath()
 * @m:		the machine
 * @gfp:	gfp flags
 * @order:	order
 * @ac:		the allocation context of the fast path
 *
 * Not the slow path yet (no kswapd, reclaim or compaction): it does what
 * the 6.1 slow path does that needs none of them.  It retries with
 * gfp_to_alloc_flags() (min watermark, __GFP_HIGH and non-blocking
 * reserves, the highatomic reserve for high-order atomic requests), then
 * with ALLOC_NO_WATERMARKS for __GFP_MEMALLOC.  Requests that may direct
 * reclaim then release highatomic reserves and drain every CPU's per-cpu
 * lists, as a failed __alloc_pages_direct_reclaim() does, and retry; then
 * force the reserves out, as the last should_reclaim_retry() does.
 * __GFP_NOFAIL gets one ALLOC_MIN_RESERVE attempt instead of the endless
 * loop.
 *
 * Return: a page or NULL.
 */
static struct sb_page *sb_alloc_pages_slowpath(struct sb_machine *m,
					       gfp_t gfp, unsigned int order,
					       struct sb_alloc_context *ac)
{
	unsigned int alloc_flags, reserve_flags;
	struct sb_page *page;

	alloc_flags = sb_gfp_to_alloc_flags(m, gfp, order);
	page = sb_get_page_from_freelist(m, gfp, order, alloc_flags, ac);
	if (page)
		return page;

	reserve_flags = sb_gfp_pfmemalloc_flags(gfp);
	if (reserve_flags) {
		alloc_flags = sb_gfp_to_alloc_flags_cma(m, gfp, reserve_flags) |
			      (alloc_flags & SB_ALLOC_KSWAPD);
		page = sb_get_page_from_freelist(m, gfp, order, alloc_flags,
						 ac);
		if (page)
			return page;
	}

	if (gfp & __GFP_DIRECT_RECLAIM) {
		/*
		 * __alloc_pages_direct_reclaim() after a failed attempt:
		 * pages may sit on per-cpu lists or in highatomic reserves.
		 */
		sb_unreserve_highatomic_pageblock(m, ac, false);
		sb_drain_all_pages(m, NULL);
		page = sb_get_page_from_freelist(m, gfp, order, alloc_flags, ac);
		if (page)
			return page;
		if (sb_unreserve_highatomic_pageblock(m, ac, true)) {
			page = sb_get_page_from_freelist(m, gfp, order,
							 alloc_flags, ac);
			if (page)
				return page;
		}
	}

	if (gfp & __GFP_NOFAIL)
		page = sb_get_page_from_freelist(m, gfp, order,
						 SB_ALLOC_MIN_RESERVE, ac);
	return page;
}

/* prepare_alloc_pages() */
static bool sb_prepare_alloc_pages(struct sb_machine *m, gfp_t gfp,
				   int preferred_nid,
				   const unsigned long *nodemask,
				   struct sb_alloc_context *ac,
				   unsigned int *alloc_flags)
{
	int zl = (gfp & __GFP_THISNODE) ? SB_ZONELIST_NOFALLBACK :
					  SB_ZONELIST_FALLBACK;

	ac->highest_zoneidx = sb_gfp_zone(gfp);
	ac->zonelist = &m->nodes[preferred_nid]->node_zonelists[zl];
	ac->nodemask = nodemask;
	ac->migratetype = sb_gfp_migratetype(m, gfp);
	*alloc_flags = sb_gfp_to_alloc_flags_cma(m, gfp, *alloc_flags);
	ac->preferred_zoneref = sb_next_zones_zonelist(ac->zonelist->_zonerefs,
						       ac->highest_zoneidx,
						       ac->nodemask);
	return !!ac->preferred_zoneref->zone;
}

/**
 * sb_alloc_pages - __alloc_pages(): allocate 2^@order pages
 * @m:		the machine
 * @gfp:	real gfp flags (zone modifiers, mobility, __GFP_ZERO,
 *		__GFP_COMP, __GFP_HIGH, __GFP_MEMALLOC, __GFP_THISNODE, ...)
 * @order:	0..10
 * @preferred_nid: node whose zonelist is walked; NUMA_NO_NODE for the
 *		emulated CPU's node
 * @nodemask:	NULL or a bitmask of allowed nodes
 *
 * Bad arguments are refused with a ratelimited warning.
 * Return: the first page descriptor of the block, or NULL.
 */
struct sb_page *sb_alloc_pages(struct sb_machine *m, gfp_t gfp,
			       unsigned int order, int preferred_nid,
			       const unsigned long *nodemask)
{
	unsigned int alloc_flags = SB_ALLOC_WMARK_LOW;
	struct sb_alloc_context ac = { };
	struct sb_page *page = NULL;

	if (sb_alloc_check_args(m, gfp, order, preferred_nid, nodemask)) {
		sb_warn("refused: order %u gfp %#x node %d nodemask %#lx\n",
			order, (__force unsigned int)gfp, preferred_nid,
			nodemask ? *nodemask : ~0UL);
		return NULL;
	}
	if (preferred_nid == NUMA_NO_NODE)
		preferred_nid = sb_numa_node_id(m);

	if (!sb_prepare_alloc_pages(m, gfp, preferred_nid, nodemask, &ac,
				    &alloc_flags))
		goto out;

	alloc_flags |= sb_alloc_flags_nofragment(m, ac.preferred_zoneref->zone,
						 gfp);
	page = sb_get_page_from_freelist(m, gfp, order, alloc_flags, &ac);
	if (likely(page))
		goto out;

	ac.nodemask = nodemask;
	page = sb_alloc_pages_slowpath(m, gfp, order, &ac);
out:
	trace_mm_page_alloc(page, page ? sb_page_to_pfn(m, page) : 0, order,
			    gfp, ac.migratetype);
	if (!page) {
		sb_count_vm_events(m, SB_EV_ALLOC_FAIL, 1);
		if (!(gfp & __GFP_NOWARN))
			sb_warn("page allocation failure: order:%u, mode:%#x, node %d\n",
				order, (__force unsigned int)gfp,
				preferred_nid);
	}
	return page;
}

/* next_node_in() over a bitmask */
static int sb_next_node_in(int node, unsigned long nodes, int nr_nodes)
{
	int i;

	for (i = 1; i <= nr_nodes; i++) {
		int n = (node + i) % nr_nodes;

		if (n >= 0 && (nodes & BIT(n)))
			return n;
	}
	return NUMA_NO_NODE;
}

/**
 * sb_alloc_pages_policy - alloc_pages() under a memory policy
 * @m:		the machine
 * @gfp:	gfp flags
 * @order:	order
 * @pol:	SB_MPOL_DEFAULT/PREFERRED (pol->nid), BIND (pol->nodes as
 *		nodemask, walk from the local node) or INTERLEAVE (the node
 *		after pol->il_prev in pol->nodes; a page on that node counts
 *		numa_interleave, as alloc_page_interleave() does)
 *
 * Return: the first page descriptor or NULL.
 */
struct sb_page *sb_alloc_pages_policy(struct sb_machine *m, gfp_t gfp,
				      unsigned int order,
				      struct sb_mempolicy *pol)
{
	struct sb_page *page;
	int nid;

	if (!pol)
		return sb_alloc_pages(m, gfp, order, NUMA_NO_NODE, NULL);

	switch (pol->mode) {
	case SB_MPOL_DEFAULT:
		return sb_alloc_pages(m, gfp, order, NUMA_NO_NODE, NULL);
	case SB_MPOL_PREFERRED:
		return sb_alloc_pages(m, gfp, order, pol->nid, NULL);
	case SB_MPOL_BIND:
		return sb_alloc_pages(m, gfp, order, NUMA_NO_NODE, &pol->nodes);
	case SB_MPOL_INTERLEAVE:
		if (!sb_nodemask_populated(m, &pol->nodes))
			break;
		nid = sb_next_node_in(pol->il_prev, pol->nodes, m->nr_nodes);
		if (nid == NUMA_NO_NODE)
			break;
		pol->il_prev = nid;
		page = sb_alloc_pages(m, gfp, order, nid, NULL);
		if (page && page->nid == nid)
			sb_count_numa_events(sb_page_zone(m, page),
					     SB_NUMA_INTERLEAVE_HIT, 1);
		return page;
	default:
		break;
	}
	sb_warn("refused: memory policy mode %d nodes %#lx\n", pol->mode,
		pol->nodes);
	return NULL;
}

/**
 * sb_alloc_pages_bulk - __alloc_pages_bulk(): up to @nr_pages order-0
 * pages from the first local zone meeting low + nr_pages
 * @m:		the machine
 * @gfp:	gfp flags
 * @preferred_nid: node or NUMA_NO_NODE
 * @nodemask:	NULL or allowed nodes
 * @nr_pages:	pages wanted (list) or array size (array)
 * @page_list:	pages go here (linked by buddy_list) if not NULL
 * @page_array:	else into the NULL slots of this array
 *
 * The pages come from this CPU's order-0 list of the zone, refilled in
 * batches, under one hold of its pcp lock.  Return: the number of pages
 * on the list or in the array.
 */
unsigned long sb_alloc_pages_bulk(struct sb_machine *m, gfp_t gfp,
				  int preferred_nid,
				  const unsigned long *nodemask, int nr_pages,
				  struct list_head *page_list,
				  struct sb_page **page_array)
{
	unsigned int alloc_flags = SB_ALLOC_WMARK_LOW;
	unsigned long __maybe_unused up_flags;
	struct sb_alloc_context ac = { };
	struct sb_per_cpu_pages *pcp;
	struct list_head *pcp_list;
	int nr_populated = 0, nr_account = 0;
	struct sb_zoneref *z;
	struct sb_zone *zone;
	struct sb_page *page;

	while (page_array && nr_populated < nr_pages &&
	       page_array[nr_populated])
		nr_populated++;
	if (unlikely(nr_pages <= 0))
		goto out;
	if (unlikely(page_array && nr_pages - nr_populated == 0))
		goto out;
	if (!page_list && !page_array)
		goto out;
	if (sb_alloc_check_args(m, gfp, 0, preferred_nid, nodemask)) {
		sb_warn("refused bulk: gfp %#x node %d\n",
			(__force unsigned int)gfp, preferred_nid);
		goto out;
	}
	if (nr_pages - nr_populated == 1)
		goto failed;
	if (preferred_nid == NUMA_NO_NODE)
		preferred_nid = sb_numa_node_id(m);
	if (!sb_prepare_alloc_pages(m, gfp, preferred_nid, nodemask, &ac,
				    &alloc_flags))
		goto out;

	z = ac.preferred_zoneref;
	for (; z->zone;
	     z = sb_next_zones_zonelist(z + 1, ac.highest_zoneidx, ac.nodemask)) {
		unsigned long mark;

		zone = z->zone;
		if (m->nr_nodes > 1 && zone != ac.preferred_zoneref->zone &&
		    zone->node != ac.preferred_zoneref->zone->node)
			goto failed;
		mark = sb_wmark_pages(zone, alloc_flags & SB_ALLOC_WMARK_MASK) +
		       nr_pages;
		if (sb_zone_watermark_fast(zone, 0, mark,
					   ac.preferred_zoneref->zone_idx,
					   alloc_flags, gfp))
			break;
	}
	if (unlikely(!z->zone))
		goto failed;

	/* a busy pcp lock falls back to one page through the slow path */
	sb_pcp_trylock_prepare(up_flags);
	pcp = sb_pcp_pin(zone->per_cpu_pageset);
	if (!spin_trylock(&pcp->lock)) {
		sb_pcp_unpin();
		sb_pcp_trylock_finish(up_flags);
		goto failed;
	}
	pcp_list = &pcp->lists[sb_order_to_pindex(m, ac.migratetype, 0)];
	while (nr_populated < nr_pages) {
		if (page_array && page_array[nr_populated]) {
			nr_populated++;
			continue;
		}
		page = sb___rmqueue_pcplist(zone, 0, ac.migratetype,
					    alloc_flags, pcp, pcp_list, false);
		if (unlikely(!page)) {
			/* try for at least one page */
			if (!nr_account) {
				spin_unlock(&pcp->lock);
				sb_pcp_unpin();
				sb_pcp_trylock_finish(up_flags);
				goto failed;
			}
			break;
		}
		nr_account++;
		sb_prep_new_page(m, page, 0, gfp, ac.migratetype);
		if (page_list)
			list_add(&page->buddy_list, page_list);
		else
			page_array[nr_populated] = page;
		nr_populated++;
	}
	spin_unlock(&pcp->lock);
	sb_pcp_unpin();
	sb_pcp_trylock_finish(up_flags);
	sb_count_vm_events(m, SB_PGALLOC_DMA + zone->idx, nr_account);
	sb_zone_statistics(ac.preferred_zoneref->zone, zone, nr_account);
out:
	return nr_populated;

failed:
	page = sb_alloc_pages(m, gfp, 0, preferred_nid, nodemask);
	if (page) {
		if (page_list)
			list_add(&page->buddy_list, page_list);
		else
			page_array[nr_populated] = page;
		nr_populated++;
	}
	goto out;
}

/* ---- the free side ---- */

static bool sb_valid_page_ptr(struct sb_machine *m, const struct sb_page *page)
{
	unsigned long off = (unsigned long)page - (unsigned long)m->pages;

	return page >= m->pages && off % sizeof(*page) == 0 &&
	       off / sizeof(*page) < m->end_pfn - m->base_pfn;
}

struct sb_page *sb_compound_head(struct sb_machine *m, struct sb_page *page)
{
	if (page->flags & SB_PG_TAIL)
		return page - page->private;
	return page;
}

unsigned int sb_compound_order(const struct sb_page *page)
{
	return (page->flags & SB_PG_HEAD) ? page->order : 0;
}

/*
 * free_pages_prepare(): undo the compound page and the allocation record,
 * then every page must look free (no state flag, no reference).
 */
static bool sb_free_pages_prepare(struct sb_machine *m, struct sb_page *page,
				  unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	trace_mm_page_free(page, sb_page_to_pfn(m, page), order);
	if (page->flags & SB_PG_HEAD) {
		for (i = 1; i < nr; i++) {
			if (page[i].flags & SB_PG_TAIL &&
			    page[i].private == i) {
				page[i].flags &= ~SB_PG_TAIL;
				page[i].private = 0;
			}
		}
	}
	page->flags &= ~(SB_PG_HEAD | SB_PG_ALLOC);
	page->order = 0;
	for (i = 0; i < nr; i++) {
		if ((page[i].flags & SB_PG_CHECK_AT_PREP) ||
		    sb_page_count(&page[i])) {
			sb_bad_page(m, page, order, "freeing a page in use");
			return false;
		}
	}
	return true;
}

/*
 * free_the_page(): pcp_allowed_order() blocks go to this CPU's lists
 * (free_unref_page()), others through __free_pages_ok() to free_one_page().
 */
static void sb_free_the_page(struct sb_machine *m, struct sb_page *page,
			     unsigned int order)
{
	unsigned long pfn = sb_page_to_pfn(m, page), flags;
	struct sb_zone *zone = sb_page_zone(m, page);
	int migratetype;

	if (!sb_free_pages_prepare(m, page, order))
		return;
	if (sb_pcp_allowed_order(m, order)) {
		sb_free_unref_page(m, page, order);
		return;
	}
	migratetype = sb_get_pfnblock_migratetype(m, pfn);
	spin_lock_irqsave(&zone->lock, flags);
	if (unlikely(sb_is_migrate_isolate(migratetype) ||
		     migratetype != sb_get_pfnblock_migratetype(m, pfn)))
		migratetype = sb_get_pfnblock_migratetype(m, pfn);
	sb_free_one_page(zone, page, pfn, order, migratetype, SB_FPI_NONE);
	spin_unlock_irqrestore(&zone->lock, flags);
	sb_count_vm_events(m, SB_PGFREE, 1L << order);
}

/* an allocation's first page, with the order it was allocated at */
static int sb_check_alloc_head(struct sb_machine *m, struct sb_page *page,
			       unsigned int order, const char *what)
{
	if (!sb_valid_page_ptr(m, page)) {
		sb_warn("%s: %p is not a page of this machine\n", what, page);
		return -EINVAL;
	}
	if (!(page->flags & SB_PG_ALLOC) || !sb_page_count(page)) {
		sb_warn("%s: pfn %#lx is not allocated\n", what,
			sb_page_to_pfn(m, page));
		return -EINVAL;
	}
	if (page->order != order) {
		sb_warn("%s: pfn %#lx was allocated at order %u, not %u\n",
			what, sb_page_to_pfn(m, page), page->order, order);
		return -EINVAL;
	}
	return 0;
}

/**
 * sb_free_pages - __free_pages(): drop a reference to an allocation
 * @m:		the machine
 * @page:	the page sb_alloc_pages() returned
 * @order:	the order it was allocated at
 *
 * When the last reference goes the block is freed.  When a reference
 * remains on a non-compound multi-page allocation, the first page stays
 * (as an order-0 allocation) and the rest is freed now in chunks of
 * decreasing order, as 6.1 does.
 * Return: 0, or -EINVAL (nothing changed) when @page is not an
 * allocation of @order.
 */
int sb_free_pages(struct sb_machine *m, struct sb_page *page,
		  unsigned int order)
{
	bool head;
	int ret;

	ret = sb_check_alloc_head(m, page, order, "free_pages");
	if (ret)
		return ret;
	head = page->flags & SB_PG_HEAD;
	if (atomic_dec_and_test(&page->_refcount)) {
		sb_free_the_page(m, page, order);
	} else if (!head) {
		page->order = 0;
		while (order-- > 0)
			sb_free_the_page(m, page + (1 << order), order);
	}
	return 0;
}

/**
 * sb_free_pages_list - release_pages() for order-0 allocations: drop one
 * reference of each page on @list and free those that reach zero through
 * free_unref_page_list()
 * @m:		the machine
 * @list:	order-0 allocations linked by buddy_list (as
 *		sb_alloc_pages_bulk() returns them); emptied
 *
 * Pages that are not order-0 allocations of @m are taken off the list
 * with a warning and left alone.  Return: nothing.
 */
void sb_free_pages_list(struct sb_machine *m, struct list_head *list)
{
	struct sb_page *page, *next;

	list_for_each_entry_safe(page, next, list, buddy_list) {
		if (sb_check_alloc_head(m, page, 0, "free_pages_list") ||
		    (page->flags & SB_PG_HEAD)) {
			list_del_init(&page->buddy_list);
			continue;
		}
		if (!atomic_dec_and_test(&page->_refcount) ||
		    !sb_free_pages_prepare(m, page, 0))
			list_del_init(&page->buddy_list);
	}
	sb_free_unref_page_list(m, list);
}

/**
 * sb_get_page - get_page(): one more reference (on the compound head)
 * @m:	the machine
 * @page: any page of an allocation holding a reference
 *
 * Return: 0 or -EINVAL.
 */
int sb_get_page(struct sb_machine *m, struct sb_page *page)
{
	if (!sb_valid_page_ptr(m, page))
		goto bad;
	page = sb_compound_head(m, page);
	if (!(page->flags & SB_PG_ALLOC) || sb_page_count(page) <= 0)
		goto bad;
	atomic_inc(&page->_refcount);
	return 0;
bad:
	sb_warn("get_page: %p holds no reference\n", page);
	return -EINVAL;
}

/**
 * sb_put_page - put_page(): drop a reference; the last one frees a
 * compound page whole, a non-compound page at order 0 only
 * @m:	the machine
 * @page: any page of an allocation holding a reference
 *
 * As in the kernel, the last put_page() of a non-compound multi-page
 * allocation frees only the first page: the others are leaked (marked
 * so, with a warning).  Return: 0 or -EINVAL.
 */
int sb_put_page(struct sb_machine *m, struct sb_page *page)
{
	unsigned int order;
	unsigned long i;

	if (!sb_valid_page_ptr(m, page))
		goto bad;
	page = sb_compound_head(m, page);
	if (!(page->flags & SB_PG_ALLOC) || sb_page_count(page) <= 0)
		goto bad;
	if (!atomic_dec_and_test(&page->_refcount))
		return 0;
	if (page->flags & SB_PG_HEAD) {
		sb_free_the_page(m, page, page->order);
		return 0;
	}
	order = page->order;
	if (order) {
		sb_warn("put_page: last reference of order-%u pfn %#lx frees one page, leaks %lu\n",
			order, sb_page_to_pfn(m, page), (1UL << order) - 1);
		for (i = 1; i < (1UL << order); i++)
			page[i].flags |= SB_PG_LEAKED;
	}
	page->order = 0;
	sb_free_the_page(m, page, 0);
	return 0;
bad:
	sb_warn("put_page: %p holds no reference\n", page);
	return -EINVAL;
}

/**
 * sb_split_page - split_page(): a non-compound order-@order allocation
 * becomes 2^@order order-0 allocations, each with one reference
 * @m:	the machine
 * @page: the allocation's first page
 * @order: its order
 *
 * Return: 0 or -EINVAL.
 */
int sb_split_page(struct sb_machine *m, struct sb_page *page,
		  unsigned int order)
{
	unsigned long i;
	int ret;

	ret = sb_check_alloc_head(m, page, order, "split_page");
	if (ret)
		return ret;
	if (page->flags & SB_PG_HEAD) {
		sb_warn("split_page: pfn %#lx is compound\n",
			sb_page_to_pfn(m, page));
		return -EINVAL;
	}
	page->order = 0;
	for (i = 1; i < (1UL << order); i++) {
		page[i].flags |= SB_PG_ALLOC;
		page[i].order = 0;
		atomic_set(&page[i]._refcount, 1);
	}
	return 0;
}
