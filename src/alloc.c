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
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
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
	} else if (unlikely(rt_task(current)) && in_task()) {
		alloc_flags |= SB_ALLOC_MIN_RESERVE;
	}
	return sb_gfp_to_alloc_flags_cma(m, gfp, alloc_flags);
}

/*
 * __gfp_pfmemalloc_flags(): __GFP_MEMALLOC and reclaim itself
 * (PF_MEMALLOC) ignore the watermarks.  sbuddy's OOM victims are owners,
 * not tasks, so there is no ALLOC_OOM for the caller.
 */
static unsigned int sb_gfp_pfmemalloc_flags(gfp_t gfp)
{
	if (unlikely(gfp & __GFP_NOMEMALLOC))
		return 0;
	if (gfp & __GFP_MEMALLOC)
		return SB_ALLOC_NO_WATERMARKS;
	if (in_serving_softirq() && (current->flags & PF_MEMALLOC))
		return SB_ALLOC_NO_WATERMARKS;
	if (!in_interrupt() && (current->flags & PF_MEMALLOC))
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
	/* a fallback boosted the watermark: kswapd reclaims the boost */
	if ((alloc_flags & SB_ALLOC_KSWAPD) &&
	    unlikely(test_bit(SB_ZONE_BOOSTED_WATERMARK, &zone->flags))) {
		clear_bit(SB_ZONE_BOOSTED_WATERMARK, &zone->flags);
		sb_wakeup_kswapd(zone, 0, 0, zone->idx);
	}
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

#define SB_MAX_COMPACT_RETRIES	16	/* MAX_COMPACT_RETRIES */

#if IS_ENABLED(CONFIG_KUNIT)
/* record a slow path step while a KUnit case listens (sb_machine.sp_log) */
static void sb_slowpath_log(struct sb_machine *m, int step, int arg)
{
	if (!READ_ONCE(m->sp_log_on) || m->sp_log_nr >= ARRAY_SIZE(m->sp_log))
		return;
	m->sp_log[m->sp_log_nr++] = SB_SP_LOG(step, clamp(arg, 0, 255));
}
#else
static inline void sb_slowpath_log(struct sb_machine *m, int step, int arg)
{
}
#endif

/* compaction_made_progress() and compaction_needs_reclaim() */
static bool sb_sp_compaction_made_progress(enum sb_compact_result result)
{
	return result == SB_COMPACT_SUCCESS;
}

static bool sb_sp_compaction_needs_reclaim(enum sb_compact_result result)
{
	return result == SB_COMPACT_SKIPPED;
}

/* gfp_compaction_allowed(): compaction may do I/O-like work (CONFIG_COMPACTION=y) */
static bool sb_gfp_compaction_allowed(gfp_t gfp)
{
	return gfp & __GFP_IO;
}

/* gfp_pfmemalloc_allowed() */
static bool sb_gfp_pfmemalloc_allowed(gfp_t gfp)
{
	return !!sb_gfp_pfmemalloc_flags(gfp);
}

/*
 * __alloc_pages_cpuset_fallback(): sbuddy has no cpusets, every node is
 * in the "cpuset", so both attempts see the same zones; the shape stays
 * (with ALLOC_CPUSET first, then without) and ac->nodemask, the memory
 * policy, holds in both, as in the kernel.
 */
static struct sb_page *sb_alloc_pages_cpuset_fallback(struct sb_machine *m,
						      gfp_t gfp,
						      unsigned int order,
						      unsigned int alloc_flags,
						      const struct sb_alloc_context *ac)
{
	struct sb_page *page;

	page = sb_get_page_from_freelist(m, gfp, order,
					 alloc_flags | SB_ALLOC_CPUSET, ac);
	if (!page)
		page = sb_get_page_from_freelist(m, gfp, order, alloc_flags,
						 ac);
	return page;
}

/*
 * out_of_memory(): select_bad_process() ranks owners as oom_badness()
 * does (pages held) and oom_kill_process() takes all of the victim's.
 * A GFP_NOFS request kills nothing but claims progress, as in 6.1.
 * With nothing to kill the kernel panics; sbuddy fails the request.
 * Called with m->owners_mutex (oom_lock) held.  Return: true when it
 * killed (or claims progress).
 */
static bool sb_out_of_memory(struct sb_machine *m, gfp_t gfp, bool *killed)
{
	struct sb_owner *victim;

	*killed = false;
	if (!(gfp & __GFP_FS))
		return true;
	victim = sb_oom_select(m);
	if (!victim)
		return false;
	sb_oom_kill_owner(m, victim);
	*killed = true;
	return true;
}

/*
 * __alloc_pages_may_oom(): one last try at the high watermark (another
 * OOM kill may have just freed memory), then kill unless the request is
 * costly, may fail, is bound to one node or to the lower zones.
 * __GFP_NOFAIL then gets the reserves without watermarks.
 */
static struct sb_page *sb_alloc_pages_may_oom(struct sb_machine *m, gfp_t gfp,
					      unsigned int order,
					      const struct sb_alloc_context *ac,
					      unsigned long *did_some_progress,
					      bool *killed)
{
	struct sb_page *page;

	*did_some_progress = 0;
	*killed = false;
	/* oom_lock: another context killing makes progress for us */
	if (!mutex_trylock(&m->owners_mutex)) {
		*did_some_progress = 1;
		schedule_timeout_uninterruptible(1);
		return NULL;
	}
	page = sb_get_page_from_freelist(m, (gfp | __GFP_HARDWALL) &
					 ~__GFP_DIRECT_RECLAIM, order,
					 SB_ALLOC_WMARK_HIGH | SB_ALLOC_CPUSET,
					 ac);
	if (page)
		goto out;
	if (order > SB_PAGE_ALLOC_COSTLY_ORDER)
		goto out;
	if (gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		goto out;
	if (ac->highest_zoneidx < SB_ZONE_NORMAL)
		goto out;

	sb_slowpath_log(m, SB_SP_OOM, 0);
	if (sb_out_of_memory(m, gfp, killed) || (gfp & __GFP_NOFAIL)) {
		*did_some_progress = 1;
		if (gfp & __GFP_NOFAIL)
			page = sb_alloc_pages_cpuset_fallback(m, gfp, order,
							      SB_ALLOC_NO_WATERMARKS,
							      ac);
	}
out:
	mutex_unlock(&m->owners_mutex);
	return page;
}

/*
 * __alloc_pages_direct_compact(): compaction at @prio; a captured page
 * or a free list retry ends the stall; compact_stall, compact_success
 * and compact_fail count as in 6.1 (not when compaction was skipped).
 */
static struct sb_page *
sb_alloc_pages_direct_compact(struct sb_machine *m, gfp_t gfp,
			      unsigned int order, unsigned int alloc_flags,
			      const struct sb_alloc_context *ac,
			      enum sb_compact_priority prio,
			      enum sb_compact_result *compact_result)
{
	struct sb_page *page = NULL;
	unsigned int noreclaim_flag;

	if (!order)
		return NULL;
	sb_slowpath_log(m, SB_SP_COMPACT, prio);
	noreclaim_flag = memalloc_noreclaim_save();
	*compact_result = sb_try_to_compact_pages(m, gfp, order, alloc_flags,
						  ac, prio, &page);
	memalloc_noreclaim_restore(noreclaim_flag);

	if (*compact_result == SB_COMPACT_SKIPPED)
		return NULL;
	sb_count_vm_events(m, SB_COMPACTSTALL, 1);

	if (page)
		sb_prep_new_page(m, page, order, gfp, ac->migratetype);
	else
		page = sb_get_page_from_freelist(m, gfp, order, alloc_flags,
						 ac);
	if (page) {
		struct sb_zone *zone = sb_page_zone(m, page);

		zone->compact_blockskip_flush = false;
		sb_compaction_defer_reset(zone, order, true);
		sb_count_vm_events(m, SB_COMPACTSUCCESS, 1);
		return page;
	}
	sb_count_vm_events(m, SB_COMPACTFAIL, 1);
	cond_resched();
	return NULL;
}

/*
 * should_compact_retry(): retry compaction while it makes progress (a
 * quarter of the retries for costly orders), and raise its priority
 * (down to MIN_COMPACT_PRIORITY, MIN_COMPACT_COSTLY_PRIORITY for costly
 * orders) when it failed, was deferred or withdrew.
 */
static bool sb_should_compact_retry(struct sb_machine *m,
				    const struct sb_alloc_context *ac,
				    int order, int alloc_flags,
				    enum sb_compact_result compact_result,
				    enum sb_compact_priority *compact_priority,
				    int *compaction_retries)
{
	int max_retries = SB_MAX_COMPACT_RETRIES;
	int min_priority;
	struct sb_zoneref *z;

	if (!order)
		return false;
	if (fatal_signal_pending(current))
		return false;
	/*
	 * compaction_enabled 0 is a kernel without CONFIG_COMPACTION, whose
	 * should_compact_retry() never retries a costly order and retries
	 * the others while an order-0 min watermark holds.
	 */
	if (!READ_ONCE(m->compaction_enabled)) {
		if (order > SB_PAGE_ALLOC_COSTLY_ORDER)
			return false;
		for (z = sb_next_zones_zonelist(ac->zonelist->_zonerefs,
						ac->highest_zoneidx, ac->nodemask);
		     z->zone;
		     z = sb_next_zones_zonelist(z + 1, ac->highest_zoneidx,
						ac->nodemask))
			if (sb_zone_watermark_ok(z->zone, 0,
						 sb_wmark_pages(z->zone, SB_WMARK_MIN),
						 ac->highest_zoneidx, alloc_flags,
						 sb_zone_page_state(z->zone,
								    SB_NR_FREE_PAGES)))
				return true;
		return false;
	}
	if (sb_sp_compaction_made_progress(compact_result))
		(*compaction_retries)++;
	if (sb_compaction_failed(compact_result))
		goto check_priority;
	/* too few order-0 pages to compact: retry if reclaim can help */
	if (sb_sp_compaction_needs_reclaim(compact_result))
		return sb_compaction_zonelist_suitable(m, ac, order,
						       alloc_flags);
	if (sb_compaction_withdrawn(compact_result))
		goto check_priority;
	if (order > SB_PAGE_ALLOC_COSTLY_ORDER)
		max_retries /= 4;
	if (*compaction_retries <= max_retries)
		return true;

check_priority:
	min_priority = order > SB_PAGE_ALLOC_COSTLY_ORDER ?
		       SB_MIN_COMPACT_COSTLY_PRIORITY : SB_MIN_COMPACT_PRIORITY;
	if (*compact_priority > min_priority) {
		(*compact_priority)--;
		*compaction_retries = 0;
		return true;
	}
	return false;
}

/* __perform_reclaim(): try_to_free_pages() with PF_MEMALLOC set */
static unsigned long sb_perform_reclaim(struct sb_machine *m, gfp_t gfp,
					unsigned int order,
					const struct sb_alloc_context *ac)
{
	unsigned int noreclaim_flag;
	unsigned long progress;

	cond_resched();
	noreclaim_flag = memalloc_noreclaim_save();
	progress = sb_try_to_free_pages(m, ac->zonelist, order, gfp,
					ac->nodemask);
	memalloc_noreclaim_restore(noreclaim_flag);
	cond_resched();
	return progress;
}

/*
 * __alloc_pages_direct_reclaim(): reclaim a batch, then retry; a failed
 * retry releases highatomic reserves and drains every CPU's lists, and
 * retries once more.  Deliberate difference: sbuddy drains even when
 * reclaim freed nothing, as its reclaim has no slab or page cache of its
 * own to make the progress that lets the kernel reach the drain.
 */
static struct sb_page *
sb_alloc_pages_direct_reclaim(struct sb_machine *m, gfp_t gfp,
			      unsigned int order, unsigned int alloc_flags,
			      const struct sb_alloc_context *ac,
			      unsigned long *did_some_progress)
{
	struct sb_page *page;
	bool drained = false;

	*did_some_progress = sb_perform_reclaim(m, gfp, order, ac);
	sb_slowpath_log(m, SB_SP_RECLAIM, *did_some_progress);
retry:
	page = sb_get_page_from_freelist(m, gfp, order, alloc_flags, ac);
	if (!page && !drained) {
		sb_unreserve_highatomic_pageblock(m, ac, false);
		sb_drain_all_pages(m, NULL);
		drained = true;
		goto retry;
	}
	return page;
}

/* wake_all_kswapds(): each node of the zonelist once */
static void sb_wake_all_kswapds(struct sb_machine *m, unsigned int order,
				gfp_t gfp, const struct sb_alloc_context *ac)
{
	struct sb_node *last_pgdat = NULL;
	struct sb_zoneref *z;

	sb_slowpath_log(m, SB_SP_WAKE_KSWAPD, order);
	for (z = sb_next_zones_zonelist(ac->zonelist->_zonerefs,
					ac->highest_zoneidx, ac->nodemask);
	     z->zone;
	     z = sb_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					ac->nodemask)) {
		if (!sb_zone_managed_pages(z->zone))
			continue;
		if (last_pgdat != z->zone->zone_pgdat) {
			sb_wakeup_kswapd(z->zone, gfp, order,
					 ac->highest_zoneidx);
			last_pgdat = z->zone->zone_pgdat;
		}
	}
}

/*
 * should_reclaim_retry(): go on reclaiming while a zone would meet its
 * min watermark with every reclaimable page freed, and fewer than
 * MAX_RECLAIM_RETRIES rounds in a row made no progress (costly orders
 * always count as no progress).  Before giving up, the highatomic
 * reserves go.
 */
static bool sb_should_reclaim_retry(struct sb_machine *m, gfp_t gfp,
				    unsigned int order,
				    const struct sb_alloc_context *ac,
				    int alloc_flags, bool did_some_progress,
				    int *no_progress_loops)
{
	struct sb_zoneref *z;
	bool ret = false;

	if (did_some_progress && order <= SB_PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > SB_MAX_RECLAIM_RETRIES)
		goto out;

	for (z = sb_next_zones_zonelist(ac->zonelist->_zonerefs,
					ac->highest_zoneidx, ac->nodemask);
	     z->zone;
	     z = sb_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					ac->nodemask)) {
		struct sb_zone *zone = z->zone;
		unsigned long available;

		/* zone_reclaimable_pages(): the zone's share of the LRU */
		available = sb_zone_page_state_snapshot(zone, SB_NR_FREE_PAGES);
		available += sb_zone_page_state_snapshot(zone, SB_NR_ZONE_INACTIVE_FILE);
		if (sb_zone_watermark_ok(zone, order,
					 sb_wmark_pages(zone, SB_WMARK_MIN),
					 ac->highest_zoneidx, alloc_flags,
					 available)) {
			ret = true;
			break;
		}
	}
	cond_resched();
out:
	if (!ret)
		return sb_unreserve_highatomic_pageblock(m, ac, true);
	return ret;
}

/**
 * sb_alloc_pages_slowpath - __alloc_pages_slowpath() of Linux 6.1
 * @m:		the machine
 * @gfp:	gfp flags
 * @order:	order
 * @ac:		the allocation context of the fast path
 *
 * The 6.1 steps in their order: wake kswapd, retry with the slow path's
 * alloc_flags, async compaction first for costly (and non-movable high
 * order) requests, with the __GFP_NORETRY costly exits; then the retry
 * loop: wake kswapd again, ALLOC_NO_WATERMARKS for __GFP_MEMALLOC,
 * direct reclaim, direct compaction at the current priority, the
 * __GFP_NORETRY and costly exits, should_reclaim_retry(),
 * should_compact_retry() (raising the priority), OOM.
 *
 * Deliberate differences: no cpusets or zonelist rebuilds to restart
 * for; an OOM victim is an owner, not the caller (sb_owner_alloc()
 * refuses a killed owner); __GFP_NOFAIL fails once a whole round freed
 * nothing (no reclaim progress, no OOM kill) and the reserves gave
 * nothing, or on a fatal signal, where 6.1 loops for ever.
 *
 * Return: a page or NULL.
 */
static struct sb_page *sb_alloc_pages_slowpath(struct sb_machine *m,
					       gfp_t gfp, unsigned int order,
					       struct sb_alloc_context *ac)
{
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool can_compact = sb_gfp_compaction_allowed(gfp);
	const bool costly_order = order > SB_PAGE_ALLOC_COSTLY_ORDER;
	enum sb_compact_result compact_result;
	enum sb_compact_priority compact_priority;
	unsigned long did_some_progress = 0, reclaimed = 0;
	unsigned int alloc_flags;
	struct sb_page *page = NULL;
	int compaction_retries;
	int no_progress_loops;
	int reserve_flags;
	bool killed = false;

	compaction_retries = 0;
	no_progress_loops = 0;
	compact_result = SB_COMPACT_SKIPPED;
	compact_priority = SB_DEF_COMPACT_PRIORITY;

	/* the fast path's flags were conservative: now the real ones */
	alloc_flags = sb_gfp_to_alloc_flags(m, gfp, order);

	/* the fast path may have used another nodemask */
	ac->preferred_zoneref = sb_next_zones_zonelist(ac->zonelist->_zonerefs,
						       ac->highest_zoneidx,
						       ac->nodemask);
	if (!ac->preferred_zoneref->zone)
		goto nopage;

	if (alloc_flags & SB_ALLOC_KSWAPD)
		sb_wake_all_kswapds(m, order, gfp, ac);

	sb_slowpath_log(m, SB_SP_GET_PAGE, 0);
	page = sb_get_page_from_freelist(m, gfp, order, alloc_flags, ac);
	if (page)
		goto got_pg;

	/*
	 * Costly requests compact first (there may be enough base pages);
	 * so do non-movable high-order ones, to keep pageblocks pure.  Not
	 * for requests that may ignore watermarks: they have not tried yet.
	 */
	if (can_direct_reclaim && can_compact &&
	    (costly_order ||
	     (order > 0 && ac->migratetype != SB_MIGRATE_MOVABLE)) &&
	    !sb_gfp_pfmemalloc_allowed(gfp)) {
		page = sb_alloc_pages_direct_compact(m, gfp, order,
						     alloc_flags, ac,
						     SB_INIT_COMPACT_PRIORITY,
						     &compact_result);
		if (page)
			goto got_pg;

		if (costly_order && (gfp & __GFP_NORETRY)) {
			/* compaction cannot run or recently failed: give up */
			if (compact_result == SB_COMPACT_SKIPPED ||
			    compact_result == SB_COMPACT_DEFERRED)
				goto nopage;
			/* a node-bound request must not reclaim one node */
			if (gfp & __GFP_THISNODE)
				goto nopage;
			/* reclaim may help; sync compaction costs too much */
			compact_priority = SB_INIT_COMPACT_PRIORITY;
		}
	}

retry:
	reclaimed = 0;
	killed = false;
	/* keep kswapd awake as long as we loop */
	if (alloc_flags & SB_ALLOC_KSWAPD)
		sb_wake_all_kswapds(m, order, gfp, ac);

	reserve_flags = sb_gfp_pfmemalloc_flags(gfp);
	if (reserve_flags) {
		alloc_flags = sb_gfp_to_alloc_flags_cma(m, gfp, reserve_flags) |
			      (alloc_flags & SB_ALLOC_KSWAPD);
		sb_slowpath_log(m, SB_SP_NO_WATERMARKS, 0);
	}

	/* reserves and no-cpuset requests ignore the memory policy */
	if (!(alloc_flags & SB_ALLOC_CPUSET) || reserve_flags) {
		ac->nodemask = NULL;
		ac->preferred_zoneref =
			sb_next_zones_zonelist(ac->zonelist->_zonerefs,
					       ac->highest_zoneidx, NULL);
	}

	sb_slowpath_log(m, SB_SP_GET_PAGE, 0);
	page = sb_get_page_from_freelist(m, gfp, order, alloc_flags, ac);
	if (page)
		goto got_pg;

	if (!can_direct_reclaim)
		goto nopage;
	/* no direct reclaim from inside reclaim */
	if (current->flags & PF_MEMALLOC)
		goto nopage;

	page = sb_alloc_pages_direct_reclaim(m, gfp, order, alloc_flags, ac,
					     &did_some_progress);
	reclaimed = did_some_progress;
	if (page)
		goto got_pg;

	page = sb_alloc_pages_direct_compact(m, gfp, order, alloc_flags, ac,
					     compact_priority,
					     &compact_result);
	if (page)
		goto got_pg;

	if (gfp & __GFP_NORETRY)
		goto nopage;

	/* costly requests retry only with __GFP_RETRY_MAYFAIL */
	if (costly_order && (!can_compact || !(gfp & __GFP_RETRY_MAYFAIL)))
		goto nopage;

	if (sb_should_reclaim_retry(m, gfp, order, ac, alloc_flags,
				    did_some_progress > 0,
				    &no_progress_loops))
		goto retry;

	/* compaction needs free order-0 pages: only after reclaim progress */
	if (did_some_progress > 0 && can_compact &&
	    sb_should_compact_retry(m, ac, order, alloc_flags,
				    compact_result, &compact_priority,
				    &compaction_retries))
		goto retry;

	page = sb_alloc_pages_may_oom(m, gfp, order, ac, &did_some_progress,
				      &killed);
	if (page)
		goto got_pg;

	/* retry as long as the OOM killer makes progress */
	if (did_some_progress && (killed || !(gfp & __GFP_NOFAIL))) {
		no_progress_loops = 0;
		goto retry;
	}

nopage:
	if (gfp & __GFP_NOFAIL) {
		/*
		 * every __GFP_NOFAIL user should block; 6.1 WARNs, sbuddy
		 * only says so (userspace can ask for this)
		 */
		if (!can_direct_reclaim) {
			sb_warn("__GFP_NOFAIL without direct reclaim fails: order %u\n",
				order);
			goto fail;
		}
		sb_slowpath_log(m, SB_SP_NOFAIL, 0);
		/* some reserves, not all of them (ALLOC_NO_WATERMARKS) */
		page = sb_alloc_pages_cpuset_fallback(m, gfp, order,
						      SB_ALLOC_MIN_RESERVE, ac);
		if (page)
			goto got_pg;
		/*
		 * sbuddy: fail once this round freed nothing (no reclaim
		 * progress, no OOM kill), from inside reclaim (it cannot
		 * reclaim) or on a fatal signal; 6.1 loops for ever.
		 */
		if (!reclaimed && !killed) {
			sb_warn("__GFP_NOFAIL order-%u request fails: nothing left to reclaim or kill\n",
				order);
			goto fail;
		}
		if ((current->flags & PF_MEMALLOC) ||
		    fatal_signal_pending(current))
			goto fail;
		cond_resched();
		goto retry;
	}
fail:
	sb_slowpath_log(m, SB_SP_NOPAGE, 0);
got_pg:
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
