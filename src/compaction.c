// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy compaction: mm/compaction.c of Linux 6.1 over the machine.
 *
 * The migration scanner walks a zone up from its start and isolates
 * movable owner blocks (owner.c stands for the LRU and migrate_pages()),
 * the free scanner walks down from its end and takes free blocks out of
 * the buddy lists with __isolate_free_page(); each isolated block's
 * contents are copied to an isolated free page and the owner repointed.
 * Each function mirrors the 6.1 function without the sb_ prefix.
 *
 * What sbuddy maps how:
 *  - PageLRU: the first page of an owned allocation whose owner block is
 *    movable (or reclaimable: on the node's LRU).  Unowned allocations and
 *    unmovable blocks are neither LRU nor __PageMovable: never isolated.
 *  - Large folios: an owned block of order > 0 (compound or not) is what
 *    a THP is to 6.1's compaction: skipped whole, unless alloc_contig.
 *  - A pinned block fails isolation (6.1's racy "page_count > mapcount"
 *    check); a busy one fails it in MIGRATE_ASYNC and is waited for a
 *    bounded time in the sync modes (sb_isolate_block()), where 6.1 would
 *    fail a locked or writeback page in migrate_pages().
 *  - There are no LRU pagevecs, NR_ISOLATED_* counters or memcgs:
 *    lru_add_drain() and too_many_isolated() have nothing to do.
 *  - current->capture_control is a list of capture controls on the zone.
 */
#define pr_fmt(fmt) "sbuddy: " fmt

#include <linux/freezer.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/sched/signal.h>

#include "fault.h"
#include "sb_compaction.h"
#include "sb_trace.h"

#define sb_block_start_pfn(pfn, order)	round_down(pfn, 1UL << (order))
#define sb_block_end_pfn(pfn, order)	ALIGN((pfn) + 1, 1UL << (order))

static inline unsigned long sb_pb_end_pfn(struct sb_machine *m,
					  unsigned long pfn)
{
	return sb_block_end_pfn(pfn, m->pb_order);
}

static inline bool sb_pageblock_aligned(struct sb_machine *m,
					unsigned long pfn)
{
	return IS_ALIGNED(pfn, m->pb_nr_pages);
}

/*
 * COMPACTION_HPAGE_ORDER: HPAGE_PMD_ORDER, which is pageblock_order on
 * x86-64 with THP; sbuddy takes its emulated pageblock order.
 */
static inline unsigned int sb_compaction_hpage_order(struct sb_machine *m)
{
	return m->pb_order;
}

/* pfn_to_online_page(): NULL outside the machine and in holes */
static struct sb_page *sb_pfn_to_online_page(struct sb_machine *m,
					     unsigned long pfn)
{
	struct sb_page *page = sb_pfn_to_page(m, pfn);

	if (!page || (READ_ONCE(page->flags) & SB_PG_HOLE))
		return NULL;
	return page;
}

/*
 * pageblock_pfn_to_page(): the first page of [start_pfn, end_pfn) when
 * the range lies in @zone without holes (holes are whole pageblocks, so
 * the two ends tell).
 */
static struct sb_page *sb_pageblock_pfn_to_page(unsigned long start_pfn,
						unsigned long end_pfn,
						struct sb_zone *zone)
{
	struct sb_machine *m = zone->machine;
	struct sb_page *start, *end;

	end_pfn--;
	if (!sb_zone_spans_pfn(zone, start_pfn) ||
	    !sb_zone_spans_pfn(zone, end_pfn))
		return NULL;
	start = sb_pfn_to_online_page(m, start_pfn);
	end = sb_pfn_to_online_page(m, end_pfn);
	if (!start || !end)
		return NULL;
	if (start->nid != zone->node || start->zone_idx != zone->idx)
		return NULL;
	return start;
}

/* is_migrate_movable() */
static inline bool sb_is_migrate_movable(int mt)
{
	return mt == SB_MIGRATE_MOVABLE || mt == SB_MIGRATE_CMA;
}

/* PageLRU() for sbuddy: an owned movable or reclaimable allocation */
static bool sb_page_lru(struct sb_machine *m, struct sb_page *page)
{
	struct sb_block *blk;
	bool lru = false;

	if (!(READ_ONCE(page->flags) & SB_PG_ALLOC))
		return false;
	rcu_read_lock();
	blk = sb_page_block(m, page);
	if (blk)
		lru = READ_ONCE(blk->migratetype) != SB_MIGRATE_UNMOVABLE;
	rcu_read_unlock();
	return lru;
}

/* release_freepages(): back to the allocator; the highest pfn freed */
static unsigned long sb_release_freepages(struct sb_machine *m,
					  struct list_head *freelist)
{
	struct sb_page *page, *next;
	unsigned long high_pfn = 0;

	list_for_each_entry_safe(page, next, freelist, buddy_list) {
		unsigned long pfn = sb_page_to_pfn(m, page);

		list_del(&page->buddy_list);
		sb_free_pages(m, page, 0);
		if (pfn > high_pfn)
			high_pfn = pfn;
	}
	return high_pfn;
}

/*
 * split_map_pages(): post_alloc_hook() + split_page(): every isolated
 * free block becomes order-0 allocations, migration targets.
 */
static void sb_split_map_pages(struct list_head *list)
{
	struct sb_page *page, *next;
	LIST_HEAD(tmp_list);

	list_for_each_entry_safe(page, next, list, buddy_list) {
		unsigned int i, order = page->order, nr_pages = 1U << order;

		list_del(&page->buddy_list);
		for (i = 0; i < nr_pages; i++, page++) {
			page->flags = SB_PG_ALLOC;
			page->order = 0;
			page->migratetype = SB_MIGRATE_MOVABLE;
			atomic_set(&page->_refcount, 1);
			list_add(&page->buddy_list, &tmp_list);
		}
	}
	list_splice(&tmp_list, list);
}

/**
 * sb_putback_movable_pages - putback_movable_pages(): isolated blocks
 * go back to their owners
 * @l:		blocks linked by sb_block.lru; emptied
 */
void sb_putback_movable_pages(struct list_head *l)
{
	struct sb_block *blk, *next;

	list_for_each_entry_safe(blk, next, l, lru) {
		list_del_init(&blk->lru);
		sb_putback_block(blk);
	}
}

/**
 * sb_migrate_pages - migrate_pages() for isolated owner blocks
 * @m:		the machine
 * @from:	isolated blocks linked by sb_block.lru; what is left on it
 *		was not migrated and is the caller's to put back
 * @get_new_page: the target of a block (compaction_alloc())
 * @put_new_page: takes back a target that was not used (compaction_free())
 * @private:	for the callbacks
 * @mode:	migrate mode (the isolation already applied it)
 * @ret_succeeded: out: pages migrated
 *
 * An isolated block is neither pinned nor busy (sb_isolate_block()), so
 * a move only fails for want of a target, which ends the call with
 * -ENOMEM as in 6.1; that block's pages count as pgmigrate_fail.
 * Return: 0 or -ENOMEM.
 */
int sb_migrate_pages(struct sb_machine *m, struct list_head *from,
		     sb_new_page_t get_new_page, sb_free_page_t put_new_page,
		     unsigned long private, enum sb_migrate_mode mode,
		     unsigned int *ret_succeeded)
{
	unsigned long nr_succeeded = 0, nr_failed_pages = 0;
	struct sb_block *blk, *next;
	int rc = 0;

	list_for_each_entry_safe(blk, next, from, lru) {
		unsigned long nr_pages = 1UL << blk->order;
		struct sb_page *dst;

		cond_resched();
		dst = get_new_page(blk, private);
		if (dst && dst->order != blk->order) {
			if (put_new_page)
				put_new_page(dst, private);
			dst = NULL;
		}
		if (!dst) {
			nr_failed_pages += nr_pages;
			rc = -ENOMEM;
			break;
		}
		list_del_init(&blk->lru);
		/* counts pgmigrate_success */
		sb_migrate_isolated(m, blk, dst);
		nr_succeeded += nr_pages;
	}
	if (nr_failed_pages)
		sb_count_vm_events(m, SB_PGMIGRATE_FAIL, nr_failed_pages);
	if (ret_succeeded)
		*ret_succeeded = nr_succeeded;
	return rc;
}

/* ---- deferred compaction ---- */

/**
 * sb_defer_compaction - defer_compaction(): compaction of @order failed
 * to produce an allocation; skip the next 1 << compact_defer_shift tries
 * @zone:	the zone
 * @order:	the order that failed
 */
void sb_defer_compaction(struct sb_zone *zone, int order)
{
	zone->compact_considered = 0;
	zone->compact_defer_shift++;

	if (order < zone->compact_order_failed)
		zone->compact_order_failed = order;

	if (zone->compact_defer_shift > SB_COMPACT_MAX_DEFER_SHIFT)
		zone->compact_defer_shift = SB_COMPACT_MAX_DEFER_SHIFT;

	trace_mm_compaction_defer_compaction(zone, order);
}

/**
 * sb_compaction_deferred - compaction_deferred(): skip compaction now?
 * @zone:	the zone
 * @order:	the order wanted
 */
bool sb_compaction_deferred(struct sb_zone *zone, int order)
{
	unsigned long defer_limit = 1UL << zone->compact_defer_shift;

	if (order < zone->compact_order_failed)
		return false;

	/* Avoid possible overflow */
	if (++zone->compact_considered >= defer_limit) {
		zone->compact_considered = defer_limit;
		return false;
	}

	trace_mm_compaction_deferred(zone, order);
	return true;
}

/**
 * sb_compaction_defer_reset - compaction_defer_reset(): compaction of
 * @order succeeded, or is expected to
 * @zone:	the zone
 * @order:	the order
 * @alloc_success: an allocation did succeed: forget the deferral
 */
void sb_compaction_defer_reset(struct sb_zone *zone, int order,
			       bool alloc_success)
{
	if (alloc_success) {
		zone->compact_considered = 0;
		zone->compact_defer_shift = 0;
	}
	if (order >= zone->compact_order_failed)
		zone->compact_order_failed = order + 1;

	trace_mm_compaction_defer_reset(zone, order);
}

/**
 * sb_compaction_restarting - compaction_restarting(): restarting after
 * the longest deferral?
 * @zone:	the zone
 * @order:	the order
 */
bool sb_compaction_restarting(struct sb_zone *zone, int order)
{
	if (order < zone->compact_order_failed)
		return false;

	return zone->compact_defer_shift == SB_COMPACT_MAX_DEFER_SHIFT &&
	       zone->compact_considered >= 1UL << zone->compact_defer_shift;
}

/* ---- pageblock skip hints ---- */

/* isolation_suitable(): should the pageblock be scanned? */
static inline bool sb_isolation_suitable(struct sb_compact_control *cc,
					 struct sb_page *page)
{
	struct sb_machine *m = cc->zone->machine;

	if (cc->ignore_skip_hint)
		return true;
	return !sb_get_pageblock_skip(m, sb_page_to_pfn(m, page));
}

static void sb_reset_cached_positions(struct sb_zone *zone)
{
	struct sb_machine *m = zone->machine;

	zone->compact_cached_migrate_pfn[0] = zone->zone_start_pfn;
	zone->compact_cached_migrate_pfn[1] = zone->zone_start_pfn;
	zone->compact_cached_free_pfn =
		sb_pageblock_start_pfn(m, sb_zone_end_pfn(zone) - 1);
}

/*
 * pageblock_skip_persistent(): a large folio of at least a pageblock
 * stays skipped until freed.
 */
static bool sb_pageblock_skip_persistent(struct sb_machine *m,
					 struct sb_page *page)
{
	u32 flags;

	page = sb_compound_head(m, page);
	flags = READ_ONCE(page->flags);
	return (flags & SB_PG_ALLOC) && READ_ONCE(page->order) >= m->pb_order;
}

/* __reset_isolation_pfn() */
static bool sb___reset_isolation_pfn(struct sb_zone *zone, unsigned long pfn,
				     bool check_source, bool check_target)
{
	struct sb_machine *m = zone->machine;
	struct sb_page *page = sb_pfn_to_online_page(m, pfn);
	struct sb_page *block_page, *end_page;
	unsigned long block_pfn;

	if (!page)
		return false;
	if (page->nid != zone->node || page->zone_idx != zone->idx)
		return false;
	if (sb_pageblock_skip_persistent(m, page))
		return false;

	/* skip already clear: nothing more once the restart points are set */
	if (check_source && check_target && !sb_get_pageblock_skip(m, pfn))
		return true;

	/* the free scanner's restart point must be a movable pageblock */
	if (!check_source && check_target &&
	    sb_get_pfnblock_migratetype(m, pfn) != SB_MIGRATE_MOVABLE)
		return false;

	block_pfn = max(sb_pageblock_start_pfn(m, pfn), zone->zone_start_pfn);
	block_page = sb_pfn_to_online_page(m, block_pfn);
	if (block_page) {
		page = block_page;
		pfn = block_pfn;
	}
	block_pfn = min(sb_pb_end_pfn(m, pfn) - 1, sb_zone_end_pfn(zone) - 1);
	end_page = sb_pfn_to_online_page(m, block_pfn);
	if (!end_page)
		return false;

	/* clear the hint only if a sample finds an LRU or a free page */
	do {
		if (check_source && sb_page_lru(m, page)) {
			sb_set_pageblock_skip(m, pfn, false);
			return true;
		}
		if (check_target && (READ_ONCE(page->flags) & SB_PG_BUDDY)) {
			sb_set_pageblock_skip(m, pfn, false);
			return true;
		}
		page += 1 << SB_PAGE_ALLOC_COSTLY_ORDER;
		pfn += 1 << SB_PAGE_ALLOC_COSTLY_ORDER;
	} while (page <= end_page);

	return false;
}

/**
 * sb___reset_isolation_suitable - __reset_isolation_suitable(): clear
 * the skip hints of a zone after a full compaction, and set the restart
 * points of both scanners
 * @zone:	the zone
 */
void sb___reset_isolation_suitable(struct sb_zone *zone)
{
	struct sb_machine *m = zone->machine;
	unsigned long migrate_pfn = zone->zone_start_pfn;
	unsigned long free_pfn = sb_zone_end_pfn(zone) - 1;
	unsigned long reset_migrate = free_pfn;
	unsigned long reset_free = migrate_pfn;
	bool source_set = false;
	bool free_set = false;

	if (!zone->compact_blockskip_flush)
		return;

	zone->compact_blockskip_flush = false;

	for (; migrate_pfn < free_pfn;
	     migrate_pfn += m->pb_nr_pages, free_pfn -= m->pb_nr_pages) {
		cond_resched();

		if (sb___reset_isolation_pfn(zone, migrate_pfn, true,
					     source_set) &&
		    migrate_pfn < reset_migrate) {
			source_set = true;
			reset_migrate = migrate_pfn;
			zone->compact_init_migrate_pfn = reset_migrate;
			zone->compact_cached_migrate_pfn[0] = reset_migrate;
			zone->compact_cached_migrate_pfn[1] = reset_migrate;
		}

		if (sb___reset_isolation_pfn(zone, free_pfn, free_set, true) &&
		    free_pfn > reset_free) {
			free_set = true;
			reset_free = free_pfn;
			zone->compact_init_free_pfn = reset_free;
			zone->compact_cached_free_pfn = reset_free;
		}
	}

	/* Leave no distance if no suitable block was reset */
	if (reset_migrate >= reset_free) {
		zone->compact_cached_migrate_pfn[0] = migrate_pfn;
		zone->compact_cached_migrate_pfn[1] = migrate_pfn;
		zone->compact_cached_free_pfn = free_pfn;
	}
}

/**
 * sb_reset_isolation_suitable - reset_isolation_suitable(): kswapd going
 * to sleep flushes the skip hints a full direct compaction left
 * @pgdat:	the node
 */
void sb_reset_isolation_suitable(struct sb_node *pgdat)
{
	int zoneid;

	for (zoneid = 0; zoneid < SB_MAX_NR_ZONES; zoneid++) {
		struct sb_zone *zone = &pgdat->node_zones[zoneid];

		if (!sb_populated_zone(zone))
			continue;
		if (zone->compact_blockskip_flush)
			sb___reset_isolation_suitable(zone);
	}
}

/* test_and_set_skip(): true if the skip bit was already set */
static bool sb_test_and_set_skip(struct sb_compact_control *cc,
				 unsigned long pfn)
{
	struct sb_machine *m = cc->zone->machine;
	bool skip;

	if (cc->ignore_skip_hint)
		return false;
	if (!sb_pageblock_aligned(m, pfn))
		return false;
	skip = sb_get_pageblock_skip(m, pfn);
	if (!skip && !cc->no_set_skip_hint)
		sb_set_pageblock_skip(m, pfn, true);
	return skip;
}

static void sb_update_cached_migrate(struct sb_compact_control *cc,
				     unsigned long pfn)
{
	struct sb_zone *zone = cc->zone;

	pfn = sb_pb_end_pfn(zone->machine, pfn);

	/* Set for isolation rather than compaction */
	if (cc->no_set_skip_hint)
		return;

	if (pfn > zone->compact_cached_migrate_pfn[0])
		zone->compact_cached_migrate_pfn[0] = pfn;
	if (cc->mode != SB_MIGRATE_ASYNC &&
	    pfn > zone->compact_cached_migrate_pfn[1])
		zone->compact_cached_migrate_pfn[1] = pfn;
}

/* update_pageblock_skip(): no free page isolated: skip it next time */
static void sb_update_pageblock_skip(struct sb_compact_control *cc,
				     struct sb_page *page, unsigned long pfn)
{
	struct sb_zone *zone = cc->zone;

	if (cc->no_set_skip_hint)
		return;
	if (!page)
		return;

	sb_set_pageblock_skip(zone->machine, pfn, true);

	/* Update where async and sync compaction should restart */
	if (pfn < zone->compact_cached_free_pfn)
		zone->compact_cached_free_pfn = pfn;
}

/*
 * compact_lock_irqsave(): async compaction notes a contended zone lock
 * (and then waits for it all the same).
 */
static void sb_compact_lock_irqsave(spinlock_t *lock, unsigned long *flags,
				    struct sb_compact_control *cc)
	__acquires(lock)
{
	if (cc->mode == SB_MIGRATE_ASYNC && !cc->contended) {
		if (spin_trylock_irqsave(lock, *flags))
			return;
		cc->contended = true;
	}
	spin_lock_irqsave(lock, *flags);
}

/*
 * compact_unlock_should_abort() without a lock to drop: sbuddy takes
 * zone->lock per free block, not across the scan.
 */
static bool sb_compact_should_abort(struct sb_compact_control *cc)
{
	if (fatal_signal_pending(current)) {
		cc->contended = true;
		return true;
	}
	cond_resched();
	return false;
}

/* ---- the free scanner ---- */

/*
 * isolate_freepages_block(): isolate the free blocks of [*start_pfn,
 * end_pfn) onto @freelist.  @strict (contiguous allocation) fails on
 * the first page that is not free.
 */
static unsigned long sb_isolate_freepages_block(struct sb_compact_control *cc,
						unsigned long *start_pfn,
						unsigned long end_pfn,
						struct list_head *freelist,
						unsigned int stride,
						bool strict)
{
	struct sb_zone *zone = cc->zone;
	struct sb_machine *m = zone->machine;
	unsigned long nr_scanned = 0, total_isolated = 0;
	unsigned long blockpfn = *start_pfn;
	unsigned long flags;

	/* Strict mode is for isolation, speed is secondary */
	if (strict)
		stride = 1;

	for (; blockpfn < end_pfn; blockpfn += stride) {
		struct sb_page *page = sb_pfn_to_page(m, blockpfn);
		unsigned long isolated = 0;
		unsigned int order;
		bool buddy;
		u32 pflags;

		if (!(blockpfn % SB_COMPACT_CLUSTER_MAX) &&
		    sb_compact_should_abort(cc))
			break;

		nr_scanned++;

		pflags = READ_ONCE(page->flags);
		/* skip compound pages at once */
		if (pflags & SB_PG_HEAD) {
			order = READ_ONCE(page->order);
			if (likely(order < SB_MAX_ORDER))
				blockpfn += (1UL << order) - 1;
			goto isolate_fail;
		}

		if (!(pflags & SB_PG_BUDDY))
			goto isolate_fail;

		sb_compact_lock_irqsave(&zone->lock, &flags, cc);
		/* Recheck this is a buddy page under lock */
		buddy = page->flags & SB_PG_BUDDY;
		if (buddy) {
			order = page->order;
			isolated = sb___isolate_free_page(m, page, order);
			/* set_page_private(page, order) */
			if (isolated)
				page->order = order;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		if (!buddy)
			goto isolate_fail;
		/* the min watermark refused */
		if (!isolated)
			break;

		nr_scanned += isolated - 1;
		total_isolated += isolated;
		cc->nr_freepages += isolated;
		list_add_tail(&page->buddy_list, freelist);

		if (!strict && cc->nr_migratepages <= cc->nr_freepages) {
			blockpfn += isolated;
			break;
		}
		/* Advance to the end of split page */
		blockpfn += isolated - 1;
		continue;

isolate_fail:
		if (strict)
			break;
	}

	/* a bogus order read may have taken us past the pageblock */
	if (unlikely(blockpfn > end_pfn))
		blockpfn = end_pfn;

	trace_mm_compaction_isolate_freepages(*start_pfn, blockpfn,
					      nr_scanned, total_isolated);

	/* Record how far we have got within the block */
	*start_pfn = blockpfn;

	/* strict: all or nothing */
	if (strict && blockpfn < end_pfn)
		total_isolated = 0;

	cc->total_free_scanned += nr_scanned;
	if (total_isolated)
		sb_count_vm_events(m, SB_COMPACTISOLATED, total_isolated);
	return total_isolated;
}

/**
 * sb_isolate_freepages_range - isolate_freepages_range(): take every page
 * of [start_pfn, end_pfn) off the free lists, as order-0 allocations
 * @cc:		compaction control (zone set)
 * @start_pfn:	the first pfn
 * @end_pfn:	one past the last
 *
 * Return: one past the last pfn isolated (may be past @end_pfn when a
 * free block straddles it), or 0 when a page in the range was not free;
 * then nothing stays isolated.
 */
unsigned long sb_isolate_freepages_range(struct sb_compact_control *cc,
					 unsigned long start_pfn,
					 unsigned long end_pfn)
{
	struct sb_machine *m = cc->zone->machine;
	unsigned long isolated, pfn, block_start_pfn, block_end_pfn;
	LIST_HEAD(freelist);

	pfn = start_pfn;
	block_start_pfn = sb_pageblock_start_pfn(m, pfn);
	if (block_start_pfn < cc->zone->zone_start_pfn)
		block_start_pfn = cc->zone->zone_start_pfn;
	block_end_pfn = sb_pb_end_pfn(m, pfn);

	for (; pfn < end_pfn; pfn += isolated,
	     block_start_pfn = block_end_pfn,
	     block_end_pfn += m->pb_nr_pages) {
		unsigned long isolate_start_pfn = pfn;

		block_end_pfn = min(block_end_pfn, end_pfn);
		/* a free block above pageblock order took us past it */
		if (pfn >= block_end_pfn) {
			block_start_pfn = sb_pageblock_start_pfn(m, pfn);
			block_end_pfn = sb_pb_end_pfn(m, pfn);
			block_end_pfn = min(block_end_pfn, end_pfn);
		}
		if (!sb_pageblock_pfn_to_page(block_start_pfn, block_end_pfn,
					      cc->zone))
			break;
		isolated = sb_isolate_freepages_block(cc, &isolate_start_pfn,
						      block_end_pfn, &freelist,
						      0, true);
		if (!isolated)
			break;
	}

	sb_split_map_pages(&freelist);

	if (pfn < end_pfn) {
		/* Loop terminated early, cleanup. */
		sb_release_freepages(m, &freelist);
		return 0;
	}
	return pfn;
}

/* ---- the migration scanner ---- */

/*
 * isolate_migratepages_block(): isolate the movable blocks of [low_pfn,
 * end_pfn), one pageblock at most, onto cc->migratepages.
 * Return: 0, or -EINTR on a fatal signal; cc->migrate_pfn is where the
 * scan stopped.
 */
static int sb_isolate_migratepages_block(struct sb_compact_control *cc,
					 unsigned long low_pfn,
					 unsigned long end_pfn)
{
	struct sb_machine *m = cc->zone->machine;
	unsigned long nr_scanned = 0, nr_isolated = 0;
	struct sb_page *page = NULL, *valid_page = NULL;
	unsigned long start_pfn = low_pfn;
	bool skip_on_failure = false;
	unsigned long next_skip_pfn = 0;
	bool skip_updated = false;
	int ret = 0;

	cc->migrate_pfn = low_pfn;

	cond_resched();

	if (cc->direct_compaction && cc->mode == SB_MIGRATE_ASYNC) {
		skip_on_failure = true;
		next_skip_pfn = sb_block_end_pfn(low_pfn, cc->order);
	}

	for (; low_pfn < end_pfn; low_pfn++) {
		struct sb_block *blk;
		unsigned int order;
		u32 pflags;

		if (skip_on_failure && low_pfn >= next_skip_pfn) {
			/* the previous cc->order block is all isolated */
			if (nr_isolated)
				break;
			next_skip_pfn = sb_block_end_pfn(low_pfn, cc->order);
		}

		if (!(low_pfn % SB_COMPACT_CLUSTER_MAX)) {
			if (fatal_signal_pending(current)) {
				cc->contended = true;
				ret = -EINTR;
				goto fatal_pending;
			}
			cond_resched();
		}

		nr_scanned++;

		page = sb_pfn_to_page(m, low_pfn);

		/* only the aligned pfn checks the skip bit */
		if (!valid_page && sb_pageblock_aligned(m, low_pfn)) {
			if (!sb_isolation_suitable(cc, page)) {
				low_pfn = end_pfn;
				page = NULL;
				goto isolate_abort;
			}
			valid_page = page;
		}

		pflags = READ_ONCE(page->flags);
		order = READ_ONCE(page->order);

		/* Skip if free; the order is read without zone->lock */
		if (pflags & SB_PG_BUDDY) {
			if (order > 0 && order < SB_MAX_ORDER)
				low_pfn += (1UL << order) - 1;
			continue;
		}

		/* large folios are not compacted, only taken by alloc_contig */
		if ((pflags & SB_PG_ALLOC) && order && !cc->alloc_contig) {
			if (likely(order < SB_MAX_ORDER))
				low_pfn += (1UL << order) - 1;
			goto isolate_fail;
		}

		if (!sb_page_lru(m, page))
			goto isolate_fail;

		/* the first isolation claims the pageblock */
		if (!skip_updated) {
			skip_updated = true;
			if (sb_test_and_set_skip(cc, low_pfn)) {
				page = NULL;
				goto isolate_abort;
			}
		}

		/* refuses unmovable, pinned and (async) busy blocks */
		blk = sb_isolate_block(m, page, cc->mode);
		if (IS_ERR(blk))
			goto isolate_fail;
		if (blk->order && !cc->alloc_contig) {
			/* grew since the unlocked check */
			sb_putback_block(blk);
			goto isolate_fail;
		}
		order = blk->order;
		low_pfn += (1UL << order) - 1;

		list_add(&blk->lru, &cc->migratepages);
		cc->nr_migratepages += 1U << order;
		nr_isolated += 1UL << order;
		nr_scanned += (1UL << order) - 1;

		/* do not isolate too much, unless rescanning or contended */
		if (cc->nr_migratepages >= SB_COMPACT_CLUSTER_MAX &&
		    !cc->rescan && !cc->contended) {
			++low_pfn;
			break;
		}
		continue;

isolate_fail:
		if (!skip_on_failure)
			continue;

		/* the cc->order block cannot be formed: give back its pages */
		if (nr_isolated) {
			sb_putback_movable_pages(&cc->migratepages);
			cc->nr_migratepages = 0;
			nr_isolated = 0;
		}

		if (low_pfn < next_skip_pfn) {
			low_pfn = next_skip_pfn - 1;
			next_skip_pfn += 1UL << cc->order;
		}
	}

	/* a free block may have taken us past the range */
	if (unlikely(low_pfn > end_pfn))
		low_pfn = end_pfn;

isolate_abort:
	/*
	 * A fully scanned pageblock that gave nothing (or was rescanned) is
	 * skipped from now on, and the cached scanner position moves past it.
	 */
	if (low_pfn == end_pfn && (!nr_isolated || cc->rescan)) {
		if (valid_page && !skip_updated)
			sb_set_pageblock_skip(m, sb_page_to_pfn(m, valid_page),
					      true);
		sb_update_cached_migrate(cc, low_pfn);
	}

	trace_mm_compaction_isolate_migratepages(start_pfn, low_pfn,
						 nr_scanned, nr_isolated);

fatal_pending:
	cc->total_migrate_scanned += nr_scanned;
	if (nr_isolated)
		sb_count_vm_events(m, SB_COMPACTISOLATED, nr_isolated);

	cc->migrate_pfn = low_pfn;

	return ret;
}

/**
 * sb_isolate_migratepages_range - isolate_migratepages_range(): isolate
 * the movable blocks of [start_pfn, end_pfn), COMPACT_CLUSTER_MAX pages
 * at a time
 * @cc:		compaction control (zone, mode, alloc_contig set)
 * @start_pfn:	the first pfn
 * @end_pfn:	one past the last
 *
 * Return: 0 or -EINTR; cc->migrate_pfn is where to continue.
 */
int sb_isolate_migratepages_range(struct sb_compact_control *cc,
				  unsigned long start_pfn,
				  unsigned long end_pfn)
{
	struct sb_machine *m = cc->zone->machine;
	unsigned long pfn, block_start_pfn, block_end_pfn;
	int ret = 0;

	pfn = start_pfn;
	block_start_pfn = sb_pageblock_start_pfn(m, pfn);
	if (block_start_pfn < cc->zone->zone_start_pfn)
		block_start_pfn = cc->zone->zone_start_pfn;
	block_end_pfn = sb_pb_end_pfn(m, pfn);

	for (; pfn < end_pfn; pfn = block_end_pfn,
	     block_start_pfn = block_end_pfn,
	     block_end_pfn += m->pb_nr_pages) {
		block_end_pfn = min(block_end_pfn, end_pfn);

		if (!sb_pageblock_pfn_to_page(block_start_pfn, block_end_pfn,
					      cc->zone))
			continue;

		ret = sb_isolate_migratepages_block(cc, pfn, block_end_pfn);
		if (ret)
			break;
		if (cc->nr_migratepages >= SB_COMPACT_CLUSTER_MAX)
			break;
	}
	return ret;
}

/* suitable_migration_source() */
static bool sb_suitable_migration_source(struct sb_compact_control *cc,
					 struct sb_page *page)
{
	struct sb_machine *m = cc->zone->machine;
	int block_mt;

	if (sb_pageblock_skip_persistent(m, page))
		return false;

	if (cc->mode != SB_MIGRATE_ASYNC || !cc->direct_compaction)
		return true;

	block_mt = sb_get_pageblock_migratetype(m, page);
	if (cc->migratetype == SB_MIGRATE_MOVABLE)
		return sb_is_migrate_movable(block_mt);
	return block_mt == cc->migratetype;
}

/* suitable_migration_target(): a movable or CMA block, not a free one */
static bool sb_suitable_migration_target(struct sb_compact_control *cc,
					 struct sb_page *page)
{
	struct sb_machine *m = cc->zone->machine;

	/* a free block of a pageblock or more: do not split it */
	if ((READ_ONCE(page->flags) & SB_PG_BUDDY) &&
	    READ_ONCE(page->order) >= m->pb_order)
		return false;

	if (cc->ignore_block_suitable)
		return true;

	return sb_is_migrate_movable(sb_get_pageblock_migratetype(m, page));
}

static inline unsigned int
sb_freelist_scan_limit(struct sb_compact_control *cc)
{
	unsigned short shift = BITS_PER_LONG - 1;

	return (SB_COMPACT_CLUSTER_MAX >> min(shift, cc->fast_search_fail)) + 1;
}

/**
 * sb_compact_scanners_met - compact_scanners_met(): has the free scanner
 * reached the pageblock of the migration scanner?
 * @cc:		compaction control
 */
bool sb_compact_scanners_met(struct sb_compact_control *cc)
{
	unsigned int pbo = cc->zone->machine->pb_order;

	return (cc->free_pfn >> pbo) <= (cc->migrate_pfn >> pbo);
}

/*
 * move_freelist_head(): the free scanner searched the list backwards;
 * what it saw goes to the front so the next search starts elsewhere.
 */
static void sb_move_freelist_head(struct list_head *freelist,
				  struct sb_page *freepage)
{
	LIST_HEAD(sublist);

	if (!list_is_last(&freepage->buddy_list, freelist)) {
		list_cut_before(&sublist, freelist, &freepage->buddy_list);
		list_splice_tail(&sublist, freelist);
	}
}

/* move_freelist_tail(): the same for the forward search */
static void sb_move_freelist_tail(struct list_head *freelist,
				  struct sb_page *freepage)
{
	LIST_HEAD(sublist);

	if (!list_is_first(&freepage->buddy_list, freelist)) {
		list_cut_position(&sublist, freelist, &freepage->buddy_list);
		list_splice_tail(&sublist, freelist);
	}
}

/* fast_isolate_around(): the rest of the pageblock a fast search hit */
static void sb_fast_isolate_around(struct sb_compact_control *cc,
				   unsigned long pfn)
{
	struct sb_zone *zone = cc->zone;
	struct sb_machine *m = zone->machine;
	unsigned long start_pfn, end_pfn;
	struct sb_page *page;

	/* Do not search around if there are enough pages already */
	if (cc->nr_freepages >= cc->nr_migratepages)
		return;

	/* Minimise scanning during async compaction */
	if (cc->direct_compaction && cc->mode == SB_MIGRATE_ASYNC)
		return;

	start_pfn = max(sb_pageblock_start_pfn(m, pfn), zone->zone_start_pfn);
	end_pfn = min(sb_pb_end_pfn(m, pfn), sb_zone_end_pfn(zone));

	page = sb_pageblock_pfn_to_page(start_pfn, end_pfn, zone);
	if (!page)
		return;

	sb_isolate_freepages_block(cc, &start_pfn, end_pfn, &cc->freepages, 1,
				   false);

	/* Skip this pageblock in the future as it's full or nearly full */
	if (cc->nr_freepages < cc->nr_migratepages)
		sb_set_pageblock_skip(m, sb_page_to_pfn(m, page), true);
}

/* next_search_order(): search orders round robin */
static int sb_next_search_order(struct sb_compact_control *cc, int order)
{
	order--;
	if (order < 0)
		order = cc->order - 1;

	/* Search wrapped around? */
	if (order == cc->search_order) {
		cc->search_order--;
		if (cc->search_order < 0)
			cc->search_order = cc->order - 1;
		return -1;
	}
	return order;
}

/*
 * fast_isolate_freepages(): search the movable free lists below cc->order
 * for a block in the top quarter (at worst half) of the scan space.
 */
static unsigned long sb_fast_isolate_freepages(struct sb_compact_control *cc)
{
	struct sb_zone *zone = cc->zone;
	struct sb_machine *m = zone->machine;
	unsigned int limit = max(1U, sb_freelist_scan_limit(cc) >> 1);
	unsigned int nr_scanned = 0;
	unsigned long low_pfn, min_pfn, highest = 0;
	unsigned long nr_isolated = 0;
	unsigned long distance;
	struct sb_page *page = NULL;
	bool scan_start = false;
	int order;

	/* Full compaction passes in a negative order */
	if (cc->order <= 0)
		return cc->free_pfn;

	/* a deeper search when starting; then the highest pfn found */
	if (cc->free_pfn >= zone->compact_init_free_pfn) {
		limit = m->pb_nr_pages >> 1;
		scan_start = true;
	}

	distance = cc->free_pfn - cc->migrate_pfn;
	low_pfn = sb_pageblock_start_pfn(m, cc->free_pfn - (distance >> 2));
	min_pfn = sb_pageblock_start_pfn(m, cc->free_pfn - (distance >> 1));

	if (WARN_ON_ONCE(min_pfn > low_pfn))
		low_pfn = min_pfn;

	/* from the last successful order, or the next after a failure */
	cc->search_order = min_t(unsigned int, cc->order - 1, cc->search_order);

	for (order = cc->search_order; !page && order >= 0;
	     order = sb_next_search_order(cc, order)) {
		struct sb_free_area *area = &zone->free_area[order];
		struct sb_page *freepage = NULL, *it;
		struct list_head *freelist;
		unsigned int order_scanned = 0;
		unsigned long high_pfn = 0;
		unsigned long flags;

		/* unlocked: an empty order is skipped, a stale count is harmless */
		if (!data_race(area->nr_free))
			continue;

		spin_lock_irqsave(&zone->lock, flags);
		freelist = &area->free_list[SB_MIGRATE_MOVABLE];
		list_for_each_entry_reverse(it, freelist, buddy_list) {
			unsigned long pfn;

			order_scanned++;
			nr_scanned++;
			pfn = sb_page_to_pfn(m, it);

			if (pfn >= highest)
				highest = max(sb_pageblock_start_pfn(m, pfn),
					      zone->zone_start_pfn);

			if (pfn >= low_pfn) {
				cc->fast_search_fail = 0;
				cc->search_order = order;
				page = it;
				freepage = it;
				break;
			}

			if (pfn >= min_pfn && pfn > high_pfn) {
				high_pfn = pfn;
				/* Shorten the scan if a candidate is found */
				limit >>= 1;
			}

			if (order_scanned >= limit) {
				freepage = it;
				break;
			}
		}

		/* Use a minimum pfn if a preferred one was not found */
		if (!page && high_pfn) {
			page = sb_pfn_to_page(m, high_pfn);
			freepage = page;
		}

		/* Reorder so a future search skips recent pages */
		if (freepage)
			sb_move_freelist_head(freelist, freepage);

		/* Isolate the page if available */
		if (page) {
			if (sb___isolate_free_page(m, page, order)) {
				page->order = order;
				nr_isolated = 1UL << order;
				nr_scanned += nr_isolated - 1;
				cc->nr_freepages += nr_isolated;
				list_add_tail(&page->buddy_list,
					      &cc->freepages);
				sb_count_vm_events(m, SB_COMPACTISOLATED,
						   nr_isolated);
			} else {
				/* If isolation fails, abort the search */
				order = cc->search_order + 1;
				page = NULL;
			}
		}

		spin_unlock_irqrestore(&zone->lock, flags);

		/* a smaller scan on the next order */
		if (order_scanned >= limit)
			limit = max(1U, limit >> 1);
	}

	if (!page) {
		cc->fast_search_fail++;
		if (scan_start) {
			/*
			 * The highest pfn found above min; else, for direct
			 * compaction, pessimistically the min mark.
			 */
			if (highest >= min_pfn) {
				page = sb_pfn_to_page(m, highest);
				cc->free_pfn = highest;
			} else if (cc->direct_compaction &&
				   sb_pfn_to_online_page(m, min_pfn)) {
				unsigned long end = min(sb_pb_end_pfn(m, min_pfn),
							sb_zone_end_pfn(zone));

				page = sb_pageblock_pfn_to_page(min_pfn, end,
								zone);
				cc->free_pfn = min_pfn;
			}
		}
	}

	if (highest && highest >= zone->compact_cached_free_pfn) {
		highest -= m->pb_nr_pages;
		zone->compact_cached_free_pfn = highest;
	}

	cc->total_free_scanned += nr_scanned;
	if (!page)
		return cc->free_pfn;

	low_pfn = sb_page_to_pfn(m, page);
	sb_fast_isolate_around(cc, low_pfn);
	return low_pfn;
}

/* isolate_freepages(): fill cc->freepages from pageblocks below free_pfn */
static void sb_isolate_freepages(struct sb_compact_control *cc)
{
	struct sb_zone *zone = cc->zone;
	struct sb_machine *m = zone->machine;
	struct list_head *freelist = &cc->freepages;
	unsigned long block_start_pfn, isolate_start_pfn, block_end_pfn;
	unsigned long low_pfn;
	struct sb_page *page;
	unsigned int stride;

	/* Try a small search of the free lists for a candidate */
	sb_fast_isolate_freepages(cc);
	if (cc->nr_freepages)
		goto splitmap;

	/*
	 * Start where the last isolation stopped; down to the end of the
	 * migration scanner's pageblock.
	 */
	isolate_start_pfn = cc->free_pfn;
	block_start_pfn = sb_pageblock_start_pfn(m, isolate_start_pfn);
	block_end_pfn = min(block_start_pfn + m->pb_nr_pages,
			    sb_zone_end_pfn(zone));
	low_pfn = sb_pb_end_pfn(m, cc->migrate_pfn);
	stride = cc->mode == SB_MIGRATE_ASYNC ? SB_COMPACT_CLUSTER_MAX : 1;

	for (; block_start_pfn >= low_pfn;
	     block_end_pfn = block_start_pfn,
	     block_start_pfn -= m->pb_nr_pages,
	     isolate_start_pfn = block_start_pfn) {
		unsigned long nr_isolated;

		if (!(block_start_pfn % (SB_COMPACT_CLUSTER_MAX *
					 m->pb_nr_pages)))
			cond_resched();

		page = sb_pageblock_pfn_to_page(block_start_pfn, block_end_pfn,
						zone);
		if (!page)
			continue;

		/* Check the block is suitable for migration */
		if (!sb_suitable_migration_target(cc, page))
			continue;

		/* If isolation recently failed, do not retry */
		if (!sb_isolation_suitable(cc, page))
			continue;

		nr_isolated = sb_isolate_freepages_block(cc, &isolate_start_pfn,
							 block_end_pfn,
							 freelist, stride,
							 false);

		/* Update the skip hint if the full pageblock was scanned */
		if (isolate_start_pfn == block_end_pfn)
			sb_update_pageblock_skip(cc, page, block_start_pfn);

		/* Are enough freepages isolated? */
		if (cc->nr_freepages >= cc->nr_migratepages) {
			if (isolate_start_pfn >= block_end_pfn) {
				/* restart at the previous pageblock */
				isolate_start_pfn =
					block_start_pfn - m->pb_nr_pages;
			}
			break;
		} else if (isolate_start_pfn < block_end_pfn) {
			/* isolation failed early: do not go on */
			break;
		}

		/* Adjust stride depending on isolation */
		if (nr_isolated) {
			stride = 1;
			continue;
		}
		stride = min_t(unsigned int, SB_COMPACT_CLUSTER_MAX,
			       stride << 1);
	}

	/* where the free scanner restarts next time */
	cc->free_pfn = isolate_start_pfn;

splitmap:
	sb_split_map_pages(freelist);
}

/*
 * compaction_alloc(): the migration target is an isolated free page of
 * the zone being compacted (compaction only moves single pages).
 */
static struct sb_page *sb_compaction_alloc(struct sb_block *blk,
					   unsigned long data)
{
	struct sb_compact_control *cc = (struct sb_compact_control *)data;
	struct sb_page *freepage;

	/* fail_migrate covers compaction's targets too: none, as when full */
	if (sb_should_fail(SB_FAULT_MIGRATE))
		return NULL;
	if (list_empty(&cc->freepages)) {
		sb_isolate_freepages(cc);
		if (list_empty(&cc->freepages))
			return NULL;
	}

	freepage = list_first_entry(&cc->freepages, struct sb_page,
				    buddy_list);
	list_del(&freepage->buddy_list);
	cc->nr_freepages--;
	return freepage;
}

/* compaction_free(): an unused target goes back to the isolated list */
static void sb_compaction_free(struct sb_page *page, unsigned long data)
{
	struct sb_compact_control *cc = (struct sb_compact_control *)data;

	list_add(&page->buddy_list, &cc->freepages);
	cc->nr_freepages++;
}

/* possible outcome of isolate_migratepages */
enum sb_isolate_migrate {
	SB_ISOLATE_ABORT,	/* Abort compaction now */
	SB_ISOLATE_NONE,	/* No pages isolated, continue scanning */
	SB_ISOLATE_SUCCESS,	/* Pages isolated, migrate */
};

static inline void sb_update_fast_start_pfn(struct sb_compact_control *cc,
					    unsigned long pfn)
{
	if (cc->fast_start_pfn == ULONG_MAX)
		return;
	if (!cc->fast_start_pfn)
		cc->fast_start_pfn = pfn;
	cc->fast_start_pfn = min(cc->fast_start_pfn, pfn);
}

static inline unsigned long sb_reinit_migrate_pfn(struct sb_compact_control *cc)
{
	if (!cc->fast_start_pfn || cc->fast_start_pfn == ULONG_MAX)
		return cc->migrate_pfn;

	cc->migrate_pfn = cc->fast_start_pfn;
	cc->fast_start_pfn = ULONG_MAX;
	return cc->migrate_pfn;
}

/*
 * fast_find_migrateblock(): for costly orders, start the migration
 * scanner at a movable pageblock that already has free pages, found on
 * the free lists, so fewer pages need moving.
 */
static unsigned long sb_fast_find_migrateblock(struct sb_compact_control *cc)
{
	struct sb_zone *zone = cc->zone;
	struct sb_machine *m = zone->machine;
	unsigned int limit = sb_freelist_scan_limit(cc);
	unsigned int nr_scanned = 0;
	unsigned long distance;
	unsigned long pfn = cc->migrate_pfn;
	unsigned long high_pfn;
	bool found_block = false;
	int order;

	/* Skip hints are relied on to avoid repeats on the fast search */
	if (cc->ignore_skip_hint)
		return pfn;

	/* a continuation of a scan restarted at COMPACT_CLUSTER_MAX */
	if (pfn != zone->zone_start_pfn &&
	    pfn != sb_pageblock_start_pfn(m, pfn))
		return pfn;

	/* small orders scan linearly */
	if (cc->order <= SB_PAGE_ALLOC_COSTLY_ORDER)
		return pfn;

	/* only free a movable pageblock for a movable request */
	if (cc->direct_compaction && cc->migratetype != SB_MIGRATE_MOVABLE)
		return pfn;

	/* the first half of the scan space at start, else the first eighth */
	distance = (cc->free_pfn - cc->migrate_pfn) >> 1;
	if (cc->migrate_pfn != zone->zone_start_pfn)
		distance >>= 2;
	high_pfn = sb_pageblock_start_pfn(m, cc->migrate_pfn + distance);

	for (order = cc->order - 1;
	     order >= SB_PAGE_ALLOC_COSTLY_ORDER && !found_block &&
	     nr_scanned < limit;
	     order--) {
		struct sb_free_area *area = &zone->free_area[order];
		struct list_head *freelist;
		struct sb_page *freepage;
		unsigned long flags;

		/* unlocked: an empty order is skipped, a stale count is harmless */
		if (!data_race(area->nr_free))
			continue;

		spin_lock_irqsave(&zone->lock, flags);
		freelist = &area->free_list[SB_MIGRATE_MOVABLE];
		list_for_each_entry(freepage, freelist, buddy_list) {
			unsigned long free_pfn;

			if (nr_scanned++ >= limit) {
				sb_move_freelist_tail(freelist, freepage);
				break;
			}

			free_pfn = sb_page_to_pfn(m, freepage);
			if (free_pfn < high_pfn) {
				/* Avoid if skipped recently */
				if (sb_get_pageblock_skip(m, free_pfn))
					continue;

				/* Reorder so a future search skips it */
				sb_move_freelist_tail(freelist, freepage);

				sb_update_fast_start_pfn(cc, free_pfn);
				pfn = sb_pageblock_start_pfn(m, free_pfn);
				if (pfn < zone->zone_start_pfn)
					pfn = zone->zone_start_pfn;
				cc->fast_search_fail = 0;
				found_block = true;
				sb_set_pageblock_skip(m, free_pfn, true);
				break;
			}
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}

	cc->total_migrate_scanned += nr_scanned;

	/* failed: a pageblock that had free pages starts a linear scan */
	if (!found_block) {
		cc->fast_search_fail++;
		pfn = sb_reinit_migrate_pfn(cc);
	}
	return pfn;
}

/*
 * isolate_migratepages(): isolate from the first suitable pageblock at
 * or after the migration scanner, never crossing the free scanner.
 */
static enum sb_isolate_migrate
sb_isolate_migratepages(struct sb_compact_control *cc)
{
	struct sb_zone *zone = cc->zone;
	struct sb_machine *m = zone->machine;
	unsigned long block_start_pfn, block_end_pfn, low_pfn;
	struct sb_page *page;
	bool fast_find_block;

	low_pfn = sb_fast_find_migrateblock(cc);
	block_start_pfn = sb_pageblock_start_pfn(m, low_pfn);
	if (block_start_pfn < zone->zone_start_pfn)
		block_start_pfn = zone->zone_start_pfn;

	/* the fast search marked its block skipped: do not test that */
	fast_find_block = low_pfn != cc->migrate_pfn && !cc->fast_search_fail;

	/* Only scan within a pageblock boundary */
	block_end_pfn = sb_pb_end_pfn(m, low_pfn);

	for (; block_end_pfn <= cc->free_pfn;
	     fast_find_block = false,
	     low_pfn = block_end_pfn, cc->migrate_pfn = low_pfn,
	     block_start_pfn = block_end_pfn,
	     block_end_pfn += m->pb_nr_pages) {
		if (!(low_pfn % (SB_COMPACT_CLUSTER_MAX * m->pb_nr_pages)))
			cond_resched();

		page = sb_pageblock_pfn_to_page(block_start_pfn, block_end_pfn,
						zone);
		if (!page)
			continue;

		/* If isolation recently failed, do not retry */
		if (sb_pageblock_aligned(m, low_pfn) &&
		    !fast_find_block && !sb_isolation_suitable(cc, page))
			continue;

		/* async direct compaction: its own migratetype only */
		if (!sb_suitable_migration_source(cc, page)) {
			sb_update_cached_migrate(cc, block_end_pfn);
			continue;
		}

		/* Perform the isolation */
		if (sb_isolate_migratepages_block(cc, low_pfn, block_end_pfn))
			return SB_ISOLATE_ABORT;

		/* isolated something, or compact_zone() decides what next */
		break;
	}

	return cc->nr_migratepages ? SB_ISOLATE_SUCCESS : SB_ISOLATE_NONE;
}

/* order -1: /proc/sys/vm/compact_memory */
static inline bool sb_is_via_compact_memory(int order)
{
	return order == -1;
}

/*
 * kswapd_is_running(): kswapd of the node awake.  Only kcompactd of the
 * same node asks, and the node's kswapd stops after it.
 */
static bool sb_kswapd_is_running(struct sb_node *pgdat)
{
	struct task_struct *kswapd = READ_ONCE(pgdat->kswapd);

	return kswapd && task_is_running(kswapd);
}

/**
 * sb_fragmentation_score_zone - fragmentation_score_zone(): external
 * fragmentation for COMPACTION_HPAGE_ORDER, 0..100
 * @zone:	the zone
 */
unsigned int sb_fragmentation_score_zone(struct sb_zone *zone)
{
	return sb_extfrag_for_order(zone,
				    sb_compaction_hpage_order(zone->machine));
}

/* fragmentation_score_zone_weighted(): scaled by the zone's share */
static unsigned int sb_fragmentation_score_zone_weighted(struct sb_zone *zone)
{
	unsigned long score;

	score = zone->present_pages * sb_fragmentation_score_zone(zone);
	return div64_ul(score, zone->zone_pgdat->node_present_pages + 1);
}

/**
 * sb_fragmentation_score_node - fragmentation_score_node(): the sum of
 * the weighted zone scores, 0..100
 * @pgdat:	the node
 */
unsigned int sb_fragmentation_score_node(struct sb_node *pgdat)
{
	unsigned int score = 0;
	int zoneid;

	for (zoneid = 0; zoneid < SB_MAX_NR_ZONES; zoneid++)
		score += sb_fragmentation_score_zone_weighted(&pgdat->node_zones[zoneid]);
	return score;
}

/**
 * sb_fragmentation_score_wmark - fragmentation_score_wmark(): proactive
 * compaction starts above the high mark and stops below the low one
 * @pgdat:	the node
 * @low:	the low mark, else the high one
 */
unsigned int sb_fragmentation_score_wmark(struct sb_node *pgdat, bool low)
{
	struct sb_machine *m = pgdat->node_zones[0].machine;
	unsigned int wmark_low;

	/* capped so a proactiveness near 100 does not compact endlessly */
	wmark_low = max(100U - READ_ONCE(m->compaction_proactiveness), 5U);
	return low ? wmark_low : min(wmark_low + 10, 100U);
}

/**
 * sb_should_proactive_compact_node - should_proactive_compact_node()
 * @pgdat:	the node
 */
bool sb_should_proactive_compact_node(struct sb_node *pgdat)
{
	struct sb_machine *m = pgdat->node_zones[0].machine;
	int wmark_high;

	if (!READ_ONCE(m->compaction_proactiveness) ||
	    !READ_ONCE(m->compaction_enabled) ||
	    sb_kswapd_is_running(pgdat))
		return false;

	wmark_high = sb_fragmentation_score_wmark(pgdat, false);
	return sb_fragmentation_score_node(pgdat) > wmark_high;
}

/* __compact_finished() */
static enum sb_compact_result sb___compact_finished(struct sb_compact_control *cc)
{
	struct sb_zone *zone = cc->zone;
	struct sb_machine *m = zone->machine;
	const int migratetype = cc->migratetype;
	enum sb_compact_result ret;
	unsigned int order;

	/* Compaction run completes if the migrate and free scanner meet */
	if (sb_compact_scanners_met(cc)) {
		/* Let the next compaction start anew. */
		sb_reset_cached_positions(zone);

		/*
		 * kswapd clears the skip hints when it sleeps after a
		 * direct compaction; kcompactd leaves the decision to an
		 * allocation request.
		 */
		if (cc->direct_compaction)
			zone->compact_blockskip_flush = true;

		if (cc->whole_zone)
			return SB_COMPACT_COMPLETE;
		return SB_COMPACT_PARTIAL_SKIPPED;
	}

	if (cc->proactive_compaction) {
		struct sb_node *pgdat = zone->zone_pgdat;
		unsigned int score, wmark_low;

		if (sb_kswapd_is_running(pgdat))
			return SB_COMPACT_PARTIAL_SKIPPED;

		score = sb_fragmentation_score_zone(zone);
		wmark_low = sb_fragmentation_score_wmark(pgdat, true);

		if (score > wmark_low)
			ret = SB_COMPACT_CONTINUE;
		else
			ret = SB_COMPACT_SUCCESS;
		goto out;
	}

	if (sb_is_via_compact_memory(cc->order))
		return SB_COMPACT_CONTINUE;

	/* always finish a pageblock: fewer fallbacks later */
	if (!sb_pageblock_aligned(m, cc->migrate_pfn))
		return SB_COMPACT_CONTINUE;

	/* Direct compactor: Is a suitable page free? */
	ret = SB_COMPACT_NO_SUITABLE_PAGE;
	for (order = cc->order; order < SB_MAX_ORDER; order++) {
		struct sb_free_area *area = &zone->free_area[order];
		bool can_steal;

		/* Job done if page is free of the right migratetype */
		if (!sb_free_area_empty(area, migratetype))
			return SB_COMPACT_SUCCESS;

		/* MIGRATE_MOVABLE can fall back on MIGRATE_CMA (CONFIG_CMA) */
		if (migratetype == SB_MIGRATE_MOVABLE &&
		    !sb_free_area_empty(area, SB_MIGRATE_CMA))
			return SB_COMPACT_SUCCESS;

		/* or if the allocation would steal from another type */
		if (sb_find_suitable_fallback(m, area, order, migratetype,
					      true, &can_steal) != -1)
			return SB_COMPACT_SUCCESS;
	}

out:
	if (cc->contended || fatal_signal_pending(current))
		ret = SB_COMPACT_CONTENDED;

	return ret;
}

/* compact_finished() */
static enum sb_compact_result sb_compact_finished(struct sb_compact_control *cc)
{
	enum sb_compact_result ret;

	ret = sb___compact_finished(cc);
	trace_mm_compaction_finished(cc->zone, cc->order, ret);
	if (ret == SB_COMPACT_NO_SUITABLE_PAGE)
		ret = SB_COMPACT_CONTINUE;

	return ret;
}

/* compact_gap(): room for the free scanner's isolations */
static inline unsigned long sb_compact_gap(unsigned int order)
{
	return 2UL << order;
}

/* __compaction_suitable() */
static enum sb_compact_result
sb___compaction_suitable(struct sb_zone *zone, int order,
			 unsigned int alloc_flags, int highest_zoneidx,
			 unsigned long wmark_target)
{
	unsigned long watermark;

	if (sb_is_via_compact_memory(order))
		return SB_COMPACT_CONTINUE;

	watermark = sb_wmark_pages(zone, alloc_flags & SB_ALLOC_WMARK_MASK);
	/* the high-order watermark already holds: no need to compact */
	if (sb_zone_watermark_ok(zone, order, watermark, highest_zoneidx,
				 alloc_flags,
				 sb_zone_page_state(zone, SB_NR_FREE_PAGES)))
		return SB_COMPACT_SUCCESS;

	/*
	 * Order-0 watermarks (low for costly orders) plus the gap must hold
	 * for the free scanner to isolate targets; ALLOC_CMA as CMA
	 * pageblocks are suitable targets.
	 */
	watermark = (order > SB_PAGE_ALLOC_COSTLY_ORDER) ?
		    sb_wmark_pages(zone, SB_WMARK_LOW) :
		    sb_wmark_pages(zone, SB_WMARK_MIN);
	watermark += sb_compact_gap(order);
	if (!sb_zone_watermark_ok(zone, 0, watermark, highest_zoneidx,
				  SB_ALLOC_CMA, wmark_target))
		return SB_COMPACT_SKIPPED;

	return SB_COMPACT_CONTINUE;
}

/**
 * sb_compaction_suitable - compaction_suitable(): compact @zone now?
 * @zone:	the zone
 * @order:	the order wanted, -1 for a full compaction
 * @alloc_flags: the request's alloc_flags (its watermark)
 * @highest_zoneidx: the request's highest zone
 *
 * For costly orders the fragmentation index must say a failure would be
 * due to fragmentation: above the machine's extfrag_threshold.
 * Return: SB_COMPACT_SKIPPED (too little free memory, or not a
 * fragmentation problem), SB_COMPACT_SUCCESS (the allocation would
 * succeed now) or SB_COMPACT_CONTINUE.
 */
enum sb_compact_result sb_compaction_suitable(struct sb_zone *zone, int order,
					      unsigned int alloc_flags,
					      int highest_zoneidx)
{
	enum sb_compact_result ret;
	int fragindex;

	ret = sb___compaction_suitable(zone, order, alloc_flags,
				       highest_zoneidx,
				       sb_zone_page_state(zone,
							  SB_NR_FREE_PAGES));
	/*
	 * Towards 0 a failure is for lack of memory, towards 1000 for
	 * fragmentation; non-costly orders ignore it (the alternative is
	 * OOM).
	 */
	if (ret == SB_COMPACT_CONTINUE && order > SB_PAGE_ALLOC_COSTLY_ORDER) {
		fragindex = sb_fragmentation_index(zone, order);
		if (fragindex >= 0 &&
		    fragindex <= READ_ONCE(zone->machine->extfrag_threshold))
			ret = SB_COMPACT_NOT_SUITABLE_ZONE;
	}

	trace_mm_compaction_suitable(zone, order, ret);
	if (ret == SB_COMPACT_NOT_SUITABLE_ZONE)
		ret = SB_COMPACT_SKIPPED;

	return ret;
}

/*
 * zone_reclaimable_pages(): the reclaimable blocks of the node's LRU that
 * lie in @zone (sbuddy's LRU is per node, with no anon/file split).
 */
static unsigned long sb_compact_zone_reclaimable(struct sb_zone *zone)
{
	struct sb_node *node = zone->zone_pgdat;
	unsigned long nr = 0;
	struct sb_block *blk;

	spin_lock(&node->lru_lock);
	list_for_each_entry(blk, &node->lru, lru)
		if (blk->page && blk->page->zone_idx == zone->idx)
			nr += 1UL << blk->order;
	spin_unlock(&node->lru_lock);
	return nr;
}

/**
 * sb_compaction_zonelist_suitable - compaction_zonelist_suitable(): would
 * a zone pass __compaction_suitable() if reclaim went on?
 * @m:		the machine
 * @ac:		the allocation context
 * @order:	the order wanted
 * @alloc_flags: its alloc_flags
 */
bool sb_compaction_zonelist_suitable(struct sb_machine *m,
				     const struct sb_alloc_context *ac,
				     int order, int alloc_flags)
{
	struct sb_zoneref *z;

	for (z = sb_next_zones_zonelist(ac->zonelist->_zonerefs,
					ac->highest_zoneidx, ac->nodemask);
	     z->zone;
	     z = sb_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					ac->nodemask)) {
		struct sb_zone *zone = z->zone;
		unsigned long available;

		/* not all the reclaimable memory: just for one allocation */
		available = order > 0 ?
			    sb_compact_zone_reclaimable(zone) / order : 0;
		available += sb_zone_page_state_snapshot(zone,
							 SB_NR_FREE_PAGES);
		if (sb___compaction_suitable(zone, order, alloc_flags,
					     ac->highest_zoneidx,
					     available) == SB_COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/**
 * sb_compact_zone - compact_zone(): run the two scanners over cc->zone
 * until they meet or compact_finished() says the job is done
 * @cc:		compaction control: zone, order, mode, gfp_mask and the
 *		hints set; the counters are (re)initialised here
 * @capc:	capture control of a direct compactor, or NULL
 *
 * Return: the compact_result: SKIPPED, SUCCESS, COMPLETE,
 * PARTIAL_SKIPPED or CONTENDED.
 */
enum sb_compact_result sb_compact_zone(struct sb_compact_control *cc,
				       struct sb_capture_control *capc)
{
	struct sb_zone *zone = cc->zone;
	struct sb_machine *m = zone->machine;
	unsigned long start_pfn = zone->zone_start_pfn;
	unsigned long end_pfn = sb_zone_end_pfn(zone);
	const bool sync = cc->mode != SB_MIGRATE_ASYNC;
	unsigned long last_migrated_pfn;
	unsigned int nr_succeeded = 0;
	enum sb_compact_result ret;
	bool update_cached;

	cc->total_migrate_scanned = 0;
	cc->total_free_scanned = 0;
	cc->nr_migratepages = 0;
	cc->nr_freepages = 0;
	INIT_LIST_HEAD(&cc->freepages);
	INIT_LIST_HEAD(&cc->migratepages);

	cc->migratetype = sb_gfp_migratetype(m, cc->gfp_mask);
	ret = sb_compaction_suitable(zone, cc->order, cc->alloc_flags,
				     cc->highest_zoneidx);
	/* Compaction is likely to fail */
	if (ret == SB_COMPACT_SUCCESS || ret == SB_COMPACT_SKIPPED)
		return ret;

	/* clear the skip hints when retrying after the longest deferral */
	if (sb_compaction_restarting(zone, cc->order))
		sb___reset_isolation_suitable(zone);

	/*
	 * The scanners start at the cached positions unless the whole zone
	 * is wanted; positions outside the zone are reset.
	 */
	cc->fast_start_pfn = 0;
	if (cc->whole_zone) {
		cc->migrate_pfn = start_pfn;
		cc->free_pfn = sb_pageblock_start_pfn(m, end_pfn - 1);
	} else {
		cc->migrate_pfn = zone->compact_cached_migrate_pfn[sync];
		cc->free_pfn = zone->compact_cached_free_pfn;
		if (cc->free_pfn < start_pfn || cc->free_pfn >= end_pfn) {
			cc->free_pfn = sb_pageblock_start_pfn(m, end_pfn - 1);
			zone->compact_cached_free_pfn = cc->free_pfn;
		}
		if (cc->migrate_pfn < start_pfn || cc->migrate_pfn >= end_pfn) {
			cc->migrate_pfn = start_pfn;
			zone->compact_cached_migrate_pfn[0] = cc->migrate_pfn;
			zone->compact_cached_migrate_pfn[1] = cc->migrate_pfn;
		}

		if (cc->migrate_pfn <= zone->compact_init_migrate_pfn)
			cc->whole_zone = true;
	}

	last_migrated_pfn = 0;

	/* keep the async and sync cached pfns together until a hit */
	update_cached = !sync &&
		zone->compact_cached_migrate_pfn[0] ==
		zone->compact_cached_migrate_pfn[1];

	trace_mm_compaction_begin(start_pfn, cc->migrate_pfn, cc->free_pfn,
				  end_pfn, sync);

	while ((ret = sb_compact_finished(cc)) == SB_COMPACT_CONTINUE) {
		unsigned long iteration_start_pfn = cc->migrate_pfn;
		int err;

		/* a pageblock rescanned at once is taken whole, then skipped */
		cc->rescan = false;
		if (sb_pageblock_start_pfn(m, last_migrated_pfn) ==
		    sb_pageblock_start_pfn(m, iteration_start_pfn))
			cc->rescan = true;

		switch (sb_isolate_migratepages(cc)) {
		case SB_ISOLATE_ABORT:
			ret = SB_COMPACT_CONTENDED;
			sb_putback_movable_pages(&cc->migratepages);
			cc->nr_migratepages = 0;
			goto out;
		case SB_ISOLATE_NONE:
			if (update_cached)
				zone->compact_cached_migrate_pfn[1] =
					zone->compact_cached_migrate_pfn[0];
			/* earlier migrations may still want a drain */
			goto check_drain;
		case SB_ISOLATE_SUCCESS:
			update_cached = false;
			last_migrated_pfn = iteration_start_pfn;
		}

		err = sb_migrate_pages(m, &cc->migratepages,
				       sb_compaction_alloc, sb_compaction_free,
				       (unsigned long)cc, cc->mode,
				       &nr_succeeded);

		trace_mm_compaction_migratepages(cc->nr_migratepages,
						 nr_succeeded);

		/* All pages were either migrated or will be released */
		cc->nr_migratepages = 0;
		if (err) {
			sb_putback_movable_pages(&cc->migratepages);
			/* -ENOMEM when the scanners met is compact_finished()'s */
			if (err == -ENOMEM && !sb_compact_scanners_met(cc)) {
				ret = SB_COMPACT_CONTENDED;
				goto out;
			}
			/* skip the rest of the failed cc->order block */
			if (cc->direct_compaction &&
			    cc->mode == SB_MIGRATE_ASYNC) {
				cc->migrate_pfn = sb_block_end_pfn(cc->migrate_pfn - 1,
								   cc->order);
				last_migrated_pfn = 0;
			}
		}

check_drain:
		/*
		 * Left the cc->order block migrated from: drain this CPU's
		 * lists so the freed pages merge (lru_add_drain_cpu_zone()).
		 */
		if (cc->order > 0 && last_migrated_pfn) {
			unsigned long current_block_start =
				sb_block_start_pfn(cc->migrate_pfn, cc->order);

			if (last_migrated_pfn < current_block_start) {
				migrate_disable();
				sb_drain_local_pages(m, zone);
				migrate_enable();
				last_migrated_pfn = 0;
			}
		}

		/* Stop if a page has been captured */
		if (capc && capc->page) {
			ret = SB_COMPACT_SUCCESS;
			break;
		}
	}

out:
	/* free what is left; the free scanner restarts no higher than it */
	if (cc->nr_freepages > 0) {
		unsigned long free_pfn = sb_release_freepages(m, &cc->freepages);

		cc->nr_freepages = 0;
		WARN_ON_ONCE(free_pfn == 0);
		free_pfn = sb_pageblock_start_pfn(m, free_pfn);
		/* only back, the cached pfn may already be at the zone end */
		if (free_pfn > zone->compact_cached_free_pfn)
			zone->compact_cached_free_pfn = free_pfn;
	}

	sb_count_vm_events(m, SB_COMPACTMIGRATE_SCANNED,
			   cc->total_migrate_scanned);
	sb_count_vm_events(m, SB_COMPACTFREE_SCANNED, cc->total_free_scanned);

	trace_mm_compaction_end(start_pfn, cc->migrate_pfn, cc->free_pfn,
				end_pfn, sync, ret);

	return ret;
}

/* compact_zone_order(): one zone for a direct compactor */
static enum sb_compact_result
sb_compact_zone_order(struct sb_zone *zone, int order, gfp_t gfp_mask,
		      enum sb_compact_priority prio, unsigned int alloc_flags,
		      int highest_zoneidx, struct sb_page **capture)
{
	struct sb_compact_control cc = {
		.order = order,
		.search_order = order,
		.gfp_mask = gfp_mask,
		.zone = zone,
		.mode = (prio == SB_COMPACT_PRIO_ASYNC) ?
			SB_MIGRATE_ASYNC : SB_MIGRATE_SYNC_LIGHT,
		.alloc_flags = alloc_flags,
		.highest_zoneidx = highest_zoneidx,
		.direct_compaction = true,
		.whole_zone = (prio == SB_MIN_COMPACT_PRIORITY),
		.ignore_skip_hint = (prio == SB_MIN_COMPACT_PRIORITY),
		.ignore_block_suitable = (prio == SB_MIN_COMPACT_PRIORITY)
	};
	struct sb_capture_control capc = {
		.cc = &cc,
		.page = NULL,
		.task = current,
	};
	enum sb_compact_result ret;
	unsigned long flags;

	/* current->capture_control = &capc */
	spin_lock_irqsave(&zone->lock, flags);
	list_add(&capc.node, &zone->compact_captures);
	spin_unlock_irqrestore(&zone->lock, flags);

	ret = sb_compact_zone(&cc, &capc);

	WARN_ON_ONCE(!list_empty(&cc.freepages));
	WARN_ON_ONCE(!list_empty(&cc.migratepages));

	/* hide the capture control before reading the captured page */
	spin_lock_irqsave(&zone->lock, flags);
	list_del(&capc.node);
	spin_unlock_irqrestore(&zone->lock, flags);
	*capture = READ_ONCE(capc.page);
	/* a page captured by luck still counts as a success */
	if (*capture)
		ret = SB_COMPACT_SUCCESS;

	return ret;
}

/* gfp_compaction_allowed(): compaction may do I/O */
static inline bool sb_gfp_compaction_allowed(gfp_t gfp_mask)
{
	return gfp_mask & __GFP_IO;
}

/**
 * sb_try_to_compact_pages - try_to_compact_pages(): direct compaction for
 * a high-order allocation, zone by zone of its zonelist
 * @m:		the machine
 * @gfp:	the allocation's gfp mask
 * @order:	its order
 * @alloc_flags: its alloc_flags
 * @ac:		its allocation context
 * @prio:	how hard to try (SB_COMPACT_PRIO_*)
 * @capture:	out: a block of @order compaction freed and took for the
 *		caller (not yet prepared as an allocation), or NULL
 *
 * Return: the best compact_result of the zones tried.
 */
enum sb_compact_result
sb_try_to_compact_pages(struct sb_machine *m, gfp_t gfp, unsigned int order,
			unsigned int alloc_flags,
			const struct sb_alloc_context *ac,
			enum sb_compact_priority prio,
			struct sb_page **capture)
{
	enum sb_compact_result rc = SB_COMPACT_SKIPPED;
	struct sb_page *dummy = NULL;
	struct sb_zoneref *z;

	if (!capture)
		capture = &dummy;
	*capture = NULL;
	/* compaction_enabled 0 is a kernel without CONFIG_COMPACTION */
	if (!sb_gfp_compaction_allowed(gfp) ||
	    !READ_ONCE(m->compaction_enabled))
		return SB_COMPACT_SKIPPED;

	trace_mm_compaction_try_to_compact_pages(order, gfp, prio);

	for (z = sb_next_zones_zonelist(ac->zonelist->_zonerefs,
					ac->highest_zoneidx, ac->nodemask);
	     z->zone;
	     z = sb_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					ac->nodemask)) {
		struct sb_zone *zone = z->zone;
		enum sb_compact_result status;

		if (prio > SB_MIN_COMPACT_PRIORITY &&
		    sb_compaction_deferred(zone, order)) {
			rc = max_t(enum sb_compact_result, SB_COMPACT_DEFERRED,
				   rc);
			continue;
		}

		status = sb_compact_zone_order(zone, order, gfp, prio,
					       alloc_flags, ac->highest_zoneidx,
					       capture);
		rc = max(status, rc);

		/* The allocation should succeed, stop compacting */
		if (status == SB_COMPACT_SUCCESS) {
			/* not certain: the caller resets with true if it was */
			sb_compaction_defer_reset(zone, order, false);
			break;
		}

		/* it will not succeed here: defer (reset if it does) */
		if (prio != SB_COMPACT_PRIO_ASYNC &&
		    (status == SB_COMPACT_COMPLETE ||
		     status == SB_COMPACT_PARTIAL_SKIPPED))
			sb_defer_compaction(zone, order);

		/* need_resched() in async, or a fatal signal: stop here */
		if ((prio == SB_COMPACT_PRIO_ASYNC && need_resched()) ||
		    fatal_signal_pending(current))
			break;
	}

	return rc;
}

/**
 * sb_proactive_compact_node - proactive_compact_node(): compact every
 * zone of the node towards the proactiveness thresholds
 * @pgdat:	the node
 */
void sb_proactive_compact_node(struct sb_node *pgdat)
{
	struct sb_compact_control cc = {
		.order = -1,
		.mode = SB_MIGRATE_SYNC_LIGHT,
		.ignore_skip_hint = true,
		.whole_zone = true,
		.gfp_mask = GFP_KERNEL,
		.proactive_compaction = true,
	};
	int zoneid;

	for (zoneid = 0; zoneid < SB_MAX_NR_ZONES; zoneid++) {
		struct sb_zone *zone = &pgdat->node_zones[zoneid];

		if (!sb_populated_zone(zone))
			continue;
		cc.zone = zone;
		sb_compact_zone(&cc, NULL);
		WARN_ON_ONCE(!list_empty(&cc.freepages));
		WARN_ON_ONCE(!list_empty(&cc.migratepages));
	}
}

/* compact_node(): every zone of a node, whole, synchronously */
static void sb_compact_node(struct sb_node *pgdat)
{
	struct sb_compact_control cc = {
		.order = -1,
		.mode = SB_MIGRATE_SYNC,
		.ignore_skip_hint = true,
		.whole_zone = true,
		.gfp_mask = GFP_KERNEL,
	};
	int zoneid;

	for (zoneid = 0; zoneid < SB_MAX_NR_ZONES; zoneid++) {
		struct sb_zone *zone = &pgdat->node_zones[zoneid];

		if (!sb_populated_zone(zone))
			continue;
		cc.zone = zone;
		sb_compact_zone(&cc, NULL);
		WARN_ON_ONCE(!list_empty(&cc.freepages));
		WARN_ON_ONCE(!list_empty(&cc.migratepages));
	}
}

/**
 * sb_compact_nodes - compact_nodes() / compact_node(): the compact_memory
 * trigger, for the machine or one node
 * @m:		the machine
 * @nid:	a node of @m, or NUMA_NO_NODE for every node
 *
 * Return: 0, or -EINVAL (nothing done) for a node @m does not have.
 */
int sb_compact_nodes(struct sb_machine *m, int nid)
{
	int n;

	if (nid != NUMA_NO_NODE && (nid < 0 || nid >= m->nr_nodes))
		return -EINVAL;
	/* lru_add_drain_all(): sbuddy has no LRU pagevecs */
	for (n = 0; n < m->nr_nodes; n++)
		if (nid == NUMA_NO_NODE || n == nid)
			sb_compact_node(m->nodes[n]);
	return 0;
}

/**
 * sb_set_compaction_proactiveness - the vm.compaction_proactiveness
 * sysctl: 0..100; a nonzero write wakes every kcompactd to check now
 * @m:		the machine
 * @val:	the new value
 *
 * Return: 0 or -EINVAL (nothing changed).
 */
int sb_set_compaction_proactiveness(struct sb_machine *m, int val)
{
	int nid;

	if (val < 0 || val > 100)
		return -EINVAL;
	WRITE_ONCE(m->compaction_proactiveness, val);
	if (!val)
		return 0;
	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct sb_node *pgdat = m->nodes[nid];

		if (READ_ONCE(pgdat->proactive_compact_trigger))
			continue;
		WRITE_ONCE(pgdat->proactive_compact_trigger, true);
		wake_up_interruptible(&pgdat->kcompactd_wait);
	}
	return 0;
}

/**
 * sb_set_extfrag_threshold - the vm.extfrag_threshold sysctl: 0..1000
 * @m:		the machine
 * @val:	the new value
 *
 * Return: 0 or -EINVAL (nothing changed).
 */
int sb_set_extfrag_threshold(struct sb_machine *m, int val)
{
	if (val < 0 || val > 1000)
		return -EINVAL;
	WRITE_ONCE(m->extfrag_threshold, val);
	return 0;
}

/* ---- kcompactd ---- */

/* pgdat->nr_zones: one past the highest populated zone */
static int sb_node_nr_zones(struct sb_node *pgdat)
{
	int zid;

	for (zid = SB_MAX_NR_ZONES - 1; zid > 0; zid--)
		if (sb_populated_zone(&pgdat->node_zones[zid]))
			break;
	return zid + 1;
}

static inline bool sb_kcompactd_work_requested(struct sb_node *pgdat)
{
	return READ_ONCE(pgdat->kcompactd_max_order) > 0 ||
	       kthread_should_stop() ||
	       READ_ONCE(pgdat->proactive_compact_trigger);
}

/* kcompactd_node_suitable(): a zone where compaction would run */
static bool sb_kcompactd_node_suitable(struct sb_node *pgdat)
{
	int highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx);
	int zoneid;

	for (zoneid = 0; zoneid <= highest_zoneidx; zoneid++) {
		struct sb_zone *zone = &pgdat->node_zones[zoneid];

		if (!sb_populated_zone(zone))
			continue;
		if (sb_compaction_suitable(zone,
					   READ_ONCE(pgdat->kcompactd_max_order),
					   0, highest_zoneidx) ==
		    SB_COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/**
 * sb_kcompactd_do_work - kcompactd_do_work(): compact the node's zones so
 * that a block of the order kcompactd was woken for can be allocated
 * @pgdat:	the node
 */
void sb_kcompactd_do_work(struct sb_node *pgdat)
{
	struct sb_machine *m = pgdat->node_zones[0].machine;
	struct sb_compact_control cc = {
		.order = READ_ONCE(pgdat->kcompactd_max_order),
		.search_order = READ_ONCE(pgdat->kcompactd_max_order),
		.highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx),
		.mode = SB_MIGRATE_SYNC_LIGHT,
		.ignore_skip_hint = false,
		.gfp_mask = GFP_KERNEL,
	};
	int zoneid;

	trace_mm_compaction_kcompactd_wake(pgdat->node_id, cc.order,
					   cc.highest_zoneidx);
	sb_count_vm_events(m, SB_KCOMPACTD_WAKE, 1);

	for (zoneid = 0; zoneid <= cc.highest_zoneidx; zoneid++) {
		struct sb_zone *zone = &pgdat->node_zones[zoneid];
		enum sb_compact_result status;

		if (!sb_populated_zone(zone))
			continue;

		if (sb_compaction_deferred(zone, cc.order))
			continue;

		if (sb_compaction_suitable(zone, cc.order, 0, zoneid) !=
		    SB_COMPACT_CONTINUE)
			continue;

		if (kthread_should_stop())
			return;

		cc.zone = zone;
		status = sb_compact_zone(&cc, NULL);

		if (status == SB_COMPACT_SUCCESS) {
			sb_compaction_defer_reset(zone, cc.order, false);
		} else if (status == SB_COMPACT_PARTIAL_SKIPPED ||
			   status == SB_COMPACT_COMPLETE) {
			/*
			 * Freed pages may sit on the per-cpu lists instead
			 * of merging; the deferral below limits how often.
			 */
			sb_drain_all_pages(m, zone);
			/* sync migration: defer as sync direct compaction */
			sb_defer_compaction(zone, cc.order);
		}

		sb_count_vm_events(m, SB_KCOMPACTD_MIGRATE_SCANNED,
				   cc.total_migrate_scanned);
		sb_count_vm_events(m, SB_KCOMPACTD_FREE_SCANNED,
				   cc.total_free_scanned);

		WARN_ON_ONCE(!list_empty(&cc.freepages));
		WARN_ON_ONCE(!list_empty(&cc.migratepages));
	}

	/* done until woken; keep a higher order or tighter zone asked since */
	if (READ_ONCE(pgdat->kcompactd_max_order) <= cc.order)
		WRITE_ONCE(pgdat->kcompactd_max_order, 0);
	if (READ_ONCE(pgdat->kcompactd_highest_zoneidx) >= cc.highest_zoneidx)
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx,
			   sb_node_nr_zones(pgdat) - 1);
}

/**
 * sb_wakeup_kcompactd - wakeup_kcompactd(): ask the node's kcompactd for
 * a block of @order in zones up to @highest_zoneidx
 * @pgdat:	the node
 * @order:	the order (0 asks nothing)
 * @highest_zoneidx: the highest zone index
 */
void sb_wakeup_kcompactd(struct sb_node *pgdat, int order, int highest_zoneidx)
{
	if (!order || !READ_ONCE(pgdat->node_zones[0].machine->compaction_enabled))
		return;

	if (READ_ONCE(pgdat->kcompactd_max_order) < order)
		WRITE_ONCE(pgdat->kcompactd_max_order, order);

	if (READ_ONCE(pgdat->kcompactd_highest_zoneidx) > highest_zoneidx)
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, highest_zoneidx);

	/* pairs with the barrier in wait_event_freezable() */
	if (!wq_has_sleeper(&pgdat->kcompactd_wait))
		return;

	if (!sb_kcompactd_node_suitable(pgdat))
		return;

	trace_mm_compaction_wakeup_kcompactd(pgdat->node_id, order,
					     highest_zoneidx);
	wake_up_interruptible(&pgdat->kcompactd_wait);
}

/*
 * kcompactd(): sleeps until woken for an order or a proactive trigger;
 * every HPAGE_FRAG_CHECK_INTERVAL_MSEC it checks the node's
 * fragmentation score and compacts proactively above the high mark.
 * Not bound to the node's emulated CPUs (they are every nr_nodes-th CPU
 * and may go offline).
 */
static int sb_kcompactd(void *p)
{
	struct sb_node *pgdat = p;
	struct sb_machine *m = pgdat->node_zones[0].machine;
	long default_timeout =
		msecs_to_jiffies(SB_HPAGE_FRAG_CHECK_INTERVAL_MSEC);
	long timeout = default_timeout;

	set_freezable();

	WRITE_ONCE(pgdat->kcompactd_max_order, 0);
	WRITE_ONCE(pgdat->kcompactd_highest_zoneidx,
		   sb_node_nr_zones(pgdat) - 1);

	while (!kthread_should_stop()) {
		/* no periodic wakeups while proactive compaction is off */
		if (!READ_ONCE(m->compaction_proactiveness))
			timeout = MAX_SCHEDULE_TIMEOUT;
		trace_mm_compaction_kcompactd_sleep(pgdat->node_id);
		if (wait_event_freezable_timeout(pgdat->kcompactd_wait,
						 sb_kcompactd_work_requested(pgdat),
						 timeout) &&
		    !READ_ONCE(pgdat->proactive_compact_trigger)) {
			if (kthread_should_stop())
				break;
			sb_kcompactd_do_work(pgdat);
			timeout = default_timeout;
			continue;
		}
		if (kthread_should_stop())
			break;

		timeout = default_timeout;
		if (sb_should_proactive_compact_node(pgdat)) {
			unsigned int prev_score, score;

			prev_score = sb_fragmentation_score_node(pgdat);
			sb_proactive_compact_node(pgdat);
			score = sb_fragmentation_score_node(pgdat);
			/* no progress: back off */
			if (unlikely(score >= prev_score))
				timeout = default_timeout <<
					  SB_COMPACT_MAX_DEFER_SHIFT;
		}
		if (unlikely(READ_ONCE(pgdat->proactive_compact_trigger)))
			WRITE_ONCE(pgdat->proactive_compact_trigger, false);
	}
	return 0;
}

/**
 * sb_kcompactd_run - kcompactd_run(): start the node's kcompactd
 * @m:		the machine
 * @nid:	the node
 *
 * Return: 0 or the kthread_run() error.
 */
int sb_kcompactd_run(struct sb_machine *m, int nid)
{
	struct sb_node *pgdat = m->nodes[nid];
	struct task_struct *t;

	if (pgdat->kcompactd)
		return 0;
	t = kthread_run(sb_kcompactd, pgdat, "sb_kcompactd%d", nid);
	if (IS_ERR(t)) {
		pr_err("failed to start kcompactd on node %d\n", nid);
		return PTR_ERR(t);
	}
	pgdat->kcompactd = t;
	return 0;
}

/**
 * sb_kcompactd_stop - kcompactd_stop(): stop the node's kcompactd
 * @m:		the machine
 * @nid:	the node
 */
void sb_kcompactd_stop(struct sb_machine *m, int nid)
{
	struct sb_node *pgdat = m->nodes[nid];

	if (pgdat->kcompactd) {
		kthread_stop(pgdat->kcompactd);
		pgdat->kcompactd = NULL;
	}
}
