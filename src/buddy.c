// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy free areas: splitting and merging blocks, migratetype fallback,
 * pageblock stealing and the high-order atomic reserve.  Each function
 * mirrors the mm/page_alloc.c (Linux 6.1) function with the same name
 * without the sb_ prefix; all of them run under zone->lock unless said.
 */
#include <linux/kernel.h>
#include <linux/mm.h>

#include "sb_compaction.h"
#include "sb_internal.h"
#include "sb_trace.h"

static inline void sb_set_buddy_order(struct sb_page *page, unsigned int order)
{
	page->order = order;
	page->flags |= SB_PG_BUDDY;
}

static inline void sb_add_to_free_list(struct sb_page *page,
				       struct sb_zone *zone,
				       unsigned int order, int migratetype)
{
	struct sb_free_area *area = &zone->free_area[order];

	list_add(&page->buddy_list, &area->free_list[migratetype]);
	page->migratetype = migratetype;
	area->nr_free++;
}

static inline void sb_add_to_free_list_tail(struct sb_page *page,
					    struct sb_zone *zone,
					    unsigned int order,
					    int migratetype)
{
	struct sb_free_area *area = &zone->free_area[order];

	list_add_tail(&page->buddy_list, &area->free_list[migratetype]);
	page->migratetype = migratetype;
	area->nr_free++;
}

/* move_to_free_list(): to the tail, as 6.1 does for moved blocks */
static inline void sb_move_to_free_list(struct sb_page *page,
					struct sb_zone *zone,
					unsigned int order, int migratetype)
{
	struct sb_free_area *area = &zone->free_area[order];

	list_move_tail(&page->buddy_list, &area->free_list[migratetype]);
	page->migratetype = migratetype;
}

static inline void sb_del_page_from_free_list(struct sb_page *page,
					      struct sb_zone *zone,
					      unsigned int order)
{
	list_del(&page->buddy_list);
	page->flags &= ~SB_PG_BUDDY;
	page->order = 0;
	zone->free_area[order].nr_free--;
}

/*
 * page_is_buddy() + find_buddy_page_pfn(): the buddy must be inside the
 * machine, free, of the same order and in the same zone.
 */
static struct sb_page *sb_find_buddy_page_pfn(struct sb_machine *m,
					      struct sb_page *page,
					      unsigned long pfn,
					      unsigned int order,
					      unsigned long *buddy_pfn)
{
	unsigned long __buddy_pfn = pfn ^ (1UL << order);
	struct sb_page *buddy = sb_pfn_to_page(m, __buddy_pfn);

	if (buddy_pfn)
		*buddy_pfn = __buddy_pfn;
	if (!buddy || !(buddy->flags & SB_PG_BUDDY) || buddy->order != order)
		return NULL;
	if (buddy->nid != page->nid || buddy->zone_idx != page->zone_idx)
		return NULL;
	return buddy;
}

/*
 * buddy_merge_likely(): if the buddy of the next order up is free, the
 * block will probably merge soon, so it goes to the list tail.
 */
static bool sb_buddy_merge_likely(struct sb_machine *m, unsigned long pfn,
				  unsigned long buddy_pfn,
				  struct sb_page *page, unsigned int order)
{
	unsigned long higher_page_pfn;
	struct sb_page *higher_page;

	if (order >= SB_MAX_ORDER - 2)
		return false;
	higher_page_pfn = buddy_pfn & pfn;
	higher_page = page + (higher_page_pfn - pfn);
	return sb_find_buddy_page_pfn(m, higher_page, higher_page_pfn,
				      order + 1, NULL) != NULL;
}

/**
 * sb_free_one_page - __free_one_page(): merge with free buddies, then list
 * @zone:	the zone, lock held
 * @page:	first page of the block
 * @pfn:	its shadow pfn
 * @order:	block order
 * @migratetype: the pageblock's migratetype
 * @fpi_flags:	SB_FPI_TO_TAIL to force tail placement
 *
 * No merging across a pageblock boundary at or above pageblock_order when
 * either block's type is not mergeable (isolate, CMA, highatomic).  There
 * is no shuffling (CONFIG_SHUFFLE_PAGE_ALLOCATOR's random tail placement):
 * sbuddy is deterministic.
 */
void sb_free_one_page(struct sb_zone *zone, struct sb_page *page,
		      unsigned long pfn, unsigned int order, int migratetype,
		      int fpi_flags)
{
	struct sb_capture_control *capc = sb_task_capc(zone);
	struct sb_machine *m = zone->machine;
	unsigned long buddy_pfn = 0, combined_pfn;
	struct sb_page *buddy;
	bool to_tail;

	lockdep_assert_held(&zone->lock);
	if (likely(!sb_is_migrate_isolate(migratetype)))
		sb_mod_zone_freepage_state(zone, 1L << order, migratetype);

	while (order < SB_MAX_ORDER - 1) {
		if (sb_compaction_capture(m, capc, page, order, migratetype)) {
			sb_mod_zone_freepage_state(zone, -(1L << order),
						   migratetype);
			return;
		}
		buddy = sb_find_buddy_page_pfn(m, page, pfn, order, &buddy_pfn);
		if (!buddy)
			goto done_merging;

		if (unlikely(order >= m->pb_order)) {
			int buddy_mt = sb_get_pfnblock_migratetype(m, buddy_pfn);

			if (migratetype != buddy_mt &&
			    (!sb_migratetype_is_mergeable(migratetype) ||
			     !sb_migratetype_is_mergeable(buddy_mt)))
				goto done_merging;
		}
		sb_del_page_from_free_list(buddy, zone, order);
		combined_pfn = buddy_pfn & pfn;
		page = page + (combined_pfn - pfn);
		pfn = combined_pfn;
		order++;
	}

done_merging:
	sb_set_buddy_order(page, order);

	if (fpi_flags & SB_FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = sb_buddy_merge_likely(m, pfn, buddy_pfn, page, order);

	if (to_tail)
		sb_add_to_free_list_tail(page, zone, order, migratetype);
	else
		sb_add_to_free_list(page, zone, order, migratetype);
}

/*
 * expand(): split a block of order @high down to @low; each upper half
 * goes to the free list of its order.
 */
static void sb_expand(struct sb_zone *zone, struct sb_page *page, int low,
		      int high, int migratetype)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		sb_add_to_free_list(&page[size], zone, high, migratetype);
		sb_set_buddy_order(&page[size], high);
	}
}

/**
 * sb_rmqueue_smallest - __rmqueue_smallest(): the smallest free block
 * @zone:	the zone, lock held
 * @order:	order wanted
 * @migratetype: the free lists to search, from @order up
 *
 * The block found is split down to @order by sb_expand().
 * Return: its first page, or NULL.
 */
struct sb_page *sb_rmqueue_smallest(struct sb_zone *zone, unsigned int order,
				    int migratetype)
{
	struct sb_machine *m = zone->machine;
	unsigned int current_order;
	struct sb_free_area *area;
	struct sb_page *page;

	for (current_order = order; current_order < SB_MAX_ORDER;
	     ++current_order) {
		area = &zone->free_area[current_order];
		page = sb_get_page_from_free_area(area, migratetype);
		if (!page)
			continue;
		sb_del_page_from_free_list(page, zone, current_order);
		sb_expand(zone, page, order, current_order, migratetype);
		/* set_pcppage_migratetype() */
		page->migratetype = migratetype;
		trace_mm_page_alloc_zone_locked(page, sb_page_to_pfn(m, page),
						order, migratetype,
						sb_pcp_allowed_order(m, order) &&
						migratetype < SB_MIGRATE_PCPTYPES);
		return page;
	}
	return NULL;
}

/**
 * sb___isolate_free_page - __isolate_free_page(): take a free block out
 * @m:		the machine
 * @page:	first page of a free block of @order, zone->lock held
 * @order:	its order
 *
 * For compaction's free scanner and for contiguous allocation.  Outside
 * an isolated pageblock the min watermark must still hold with the block
 * gone, as if it were allocated.  A block of at least half a pageblock
 * turns its mergeable pageblocks movable, as 6.1 does.
 * Return: the number of pages taken, 0 if the watermark refused.
 */
unsigned long sb___isolate_free_page(struct sb_machine *m, struct sb_page *page,
				     unsigned int order)
{
	struct sb_zone *zone = sb_page_zone(m, page);
	unsigned long pfn = sb_page_to_pfn(m, page);
	int mt = sb_get_pfnblock_migratetype(m, pfn);

	lockdep_assert_held(&zone->lock);
	if (!sb_is_migrate_isolate(mt)) {
		unsigned long watermark;

		/* a raised order-0 check stands for the high-order one */
		watermark = zone->_watermark[SB_WMARK_MIN] + (1UL << order);
		if (!sb_zone_watermark_ok(zone, 0, watermark, 0, SB_ALLOC_CMA,
					  sb_zone_page_state(zone,
							     SB_NR_FREE_PAGES)))
			return 0;
		sb_mod_zone_freepage_state(zone, -(1L << order), mt);
	}

	sb_del_page_from_free_list(page, zone, order);

	if (order >= m->pb_order - 1) {
		unsigned long end = pfn + (1UL << order);

		for (; pfn < end; pfn += m->pb_nr_pages) {
			if (sb_migratetype_is_mergeable(sb_get_pfnblock_migratetype(m, pfn)))
				sb_set_pageblock_migratetype(m, pfn,
							     SB_MIGRATE_MOVABLE);
		}
	}
	return 1UL << order;
}

/*
 * __putback_isolated_page(): give back a block taken by
 * sb___isolate_free_page(), to the tail of the free list.
 */
void sb___putback_isolated_page(struct sb_machine *m, struct sb_page *page,
				unsigned int order, int mt)
{
	struct sb_zone *zone = sb_page_zone(m, page);

	lockdep_assert_held(&zone->lock);
	sb_free_one_page(zone, page, sb_page_to_pfn(m, page), order, mt,
			 SB_FPI_TO_TAIL);
}

/* fallbacks[] of 6.1: the other migratetypes have none */
const int sb_fallbacks[SB_MIGRATE_TYPES][3] = {
	[SB_MIGRATE_UNMOVABLE]	 = { SB_MIGRATE_RECLAIMABLE, SB_MIGRATE_MOVABLE,
				     SB_MIGRATE_TYPES },
	[SB_MIGRATE_MOVABLE]	 = { SB_MIGRATE_RECLAIMABLE, SB_MIGRATE_UNMOVABLE,
				     SB_MIGRATE_TYPES },
	[SB_MIGRATE_RECLAIMABLE] = { SB_MIGRATE_UNMOVABLE, SB_MIGRATE_MOVABLE,
				     SB_MIGRATE_TYPES },
	[SB_MIGRATE_HIGHATOMIC]	 = { SB_MIGRATE_TYPES },
	[SB_MIGRATE_CMA]	 = { SB_MIGRATE_TYPES },
	[SB_MIGRATE_ISOLATE]	 = { SB_MIGRATE_TYPES },
};

/*
 * move_freepages(): free blocks in [start_pfn, end_pfn] go to the tail of
 * @migratetype's lists.  Allocated pages whose allocation was movable
 * count as movable (sbuddy has no LRU: a movable allocation stands for
 * PageLRU/__PageMovable).
 */
static int sb_move_freepages(struct sb_zone *zone, unsigned long start_pfn,
			     unsigned long end_pfn, int migratetype,
			     int *num_movable)
{
	struct sb_machine *m = zone->machine;
	int pages_moved = 0;
	unsigned long pfn;

	for (pfn = start_pfn; pfn <= end_pfn;) {
		struct sb_page *page = sb_pfn_to_page(m, pfn);
		unsigned int order;

		if (!(page->flags & SB_PG_BUDDY)) {
			if (num_movable && !(page->flags & SB_PG_HOLE) &&
			    sb_page_count(sb_compound_head(m, page)) &&
			    page->migratetype == SB_MIGRATE_MOVABLE)
				(*num_movable)++;
			pfn++;
			continue;
		}
		order = page->order;
		sb_move_to_free_list(page, zone, order, migratetype);
		pfn += 1UL << order;
		pages_moved += 1 << order;
	}
	return pages_moved;
}

/* move_freepages_block(): the whole pageblock of @page, inside the zone */
int sb_move_freepages_block(struct sb_zone *zone, struct sb_page *page,
			    int migratetype, int *num_movable)
{
	struct sb_machine *m = zone->machine;
	unsigned long start_pfn, end_pfn, pfn;

	if (num_movable)
		*num_movable = 0;
	pfn = sb_page_to_pfn(m, page);
	start_pfn = sb_pageblock_start_pfn(m, pfn);
	end_pfn = start_pfn + m->pb_nr_pages - 1;
	if (!sb_zone_spans_pfn(zone, start_pfn))
		start_pfn = pfn;
	if (!sb_zone_spans_pfn(zone, end_pfn))
		return 0;
	return sb_move_freepages(zone, start_pfn, end_pfn, migratetype,
				 num_movable);
}

static void sb_change_pageblock_range(struct sb_machine *m,
				      unsigned long pfn, int start_order,
				      int migratetype)
{
	int nr_pageblocks = 1 << (start_order - m->pb_order);

	while (nr_pageblocks--) {
		sb_set_pageblock_migratetype(m, pfn, migratetype);
		pfn += m->pb_nr_pages;
	}
}

/* can_steal_fallback() */
bool sb_can_steal_fallback(struct sb_machine *m, unsigned int order,
			   int start_mt)
{
	if (order >= m->pb_order)
		return true;
	if (order >= m->pb_order / 2 ||
	    start_mt == SB_MIGRATE_RECLAIMABLE ||
	    start_mt == SB_MIGRATE_UNMOVABLE ||
	    m->page_group_by_mobility_disabled)
		return true;
	return false;
}

/*
 * boost_watermark(): on a fragmenting fallback, raise the zone's
 * watermarks by a pageblock, up to watermark_boost_factor of high.
 */
bool sb_boost_watermark(struct sb_zone *zone)
{
	struct sb_machine *m = zone->machine;
	unsigned long max_boost;

	if (!m->watermark_boost_factor)
		return false;
	if ((m->pb_nr_pages * 4) > sb_zone_managed_pages(zone))
		return false;
	max_boost = mult_frac(zone->_watermark[SB_WMARK_HIGH],
			      m->watermark_boost_factor, 10000);
	if (!max_boost)
		return false;
	max_boost = max(m->pb_nr_pages, max_boost);
	zone->watermark_boost = min(zone->watermark_boost +
				    m->pb_nr_pages, max_boost);
	return true;
}

/*
 * steal_suitable_fallback(): take the whole pageblock when @page is at
 * least a pageblock; otherwise move the block's free pages to @start_type
 * and claim the block when at least half of it is free or compatible.
 */
static void sb_steal_suitable_fallback(struct sb_zone *zone,
				       struct sb_page *page,
				       unsigned int alloc_flags,
				       int start_type, bool whole_block)
{
	struct sb_machine *m = zone->machine;
	unsigned int current_order = page->order;
	unsigned long pfn = sb_page_to_pfn(m, page);
	int free_pages, movable_pages, alike_pages;
	int old_block_type;

	old_block_type = sb_get_pfnblock_migratetype(m, pfn);
	if (sb_is_migrate_highatomic(old_block_type))
		goto single_page;

	if (current_order >= m->pb_order) {
		sb_change_pageblock_range(m, pfn, current_order, start_type);
		sb_count_vm_events(m, SB_EV_STEAL_BLOCK,
				   1 << (current_order - m->pb_order));
		goto single_page;
	}

	if (sb_boost_watermark(zone) && (alloc_flags & SB_ALLOC_KSWAPD))
		set_bit(SB_ZONE_BOOSTED_WATERMARK, &zone->flags);

	if (!whole_block)
		goto single_page;

	free_pages = sb_move_freepages_block(zone, page, start_type,
					     &movable_pages);
	if (start_type == SB_MIGRATE_MOVABLE) {
		alike_pages = movable_pages;
	} else {
		if (old_block_type == SB_MIGRATE_MOVABLE)
			alike_pages = m->pb_nr_pages -
				      (free_pages + movable_pages);
		else
			alike_pages = 0;
	}
	if (!free_pages)
		goto single_page;

	if (free_pages + alike_pages >= (1 << (m->pb_order - 1)) ||
	    m->page_group_by_mobility_disabled) {
		sb_set_pageblock_migratetype(m, pfn, start_type);
		sb_count_vm_events(m, SB_EV_STEAL_BLOCK, 1);
	}
	return;

single_page:
	sb_move_to_free_list(page, zone, current_order, start_type);
}

/* find_suitable_fallback() */
int sb_find_suitable_fallback(struct sb_machine *m, struct sb_free_area *area,
			      unsigned int order, int migratetype,
			      bool only_stealable, bool *can_steal)
{
	int i, fallback_mt;

	if (area->nr_free == 0)
		return -1;

	*can_steal = false;
	for (i = 0;; i++) {
		fallback_mt = sb_fallbacks[migratetype][i];
		if (fallback_mt == SB_MIGRATE_TYPES)
			break;
		if (sb_free_area_empty(area, fallback_mt))
			continue;
		if (sb_can_steal_fallback(m, order, migratetype))
			*can_steal = true;
		if (!only_stealable)
			return fallback_mt;
		if (*can_steal)
			return fallback_mt;
	}
	return -1;
}

/**
 * sb_reserve_highatomic_pageblock - reserve_highatomic_pageblock()
 * @page:	the page a high-order atomic allocation just got
 * @zone:	its zone (lock NOT held)
 * @alloc_order: the allocation's order
 *
 * Up to 1% of the zone plus one pageblock becomes MIGRATE_HIGHATOMIC.
 */
void sb_reserve_highatomic_pageblock(struct sb_page *page,
				     struct sb_zone *zone,
				     unsigned int alloc_order)
{
	struct sb_machine *m = zone->machine;
	unsigned long max_managed, flags;
	int mt;

	max_managed = (sb_zone_managed_pages(zone) / 100) +
		      m->pb_nr_pages;
	if (zone->nr_reserved_highatomic >= max_managed)
		return;

	spin_lock_irqsave(&zone->lock, flags);
	if (zone->nr_reserved_highatomic >= max_managed)
		goto out_unlock;

	mt = sb_get_pageblock_migratetype(m, page);
	if (sb_migratetype_is_mergeable(mt)) {
		zone->nr_reserved_highatomic += m->pb_nr_pages;
		sb_set_pageblock_migratetype(m, sb_page_to_pfn(m, page),
					     SB_MIGRATE_HIGHATOMIC);
		sb_move_freepages_block(zone, page, SB_MIGRATE_HIGHATOMIC, NULL);
		sb_count_vm_events(m, SB_EV_HIGHATOMIC_RESERVE, 1);
	}
out_unlock:
	spin_unlock_irqrestore(&zone->lock, flags);
}

/**
 * sb_unreserve_highatomic_pageblock - unreserve_highatomic_pageblock()
 * @m:		the machine
 * @ac:		the failing allocation's context
 * @force:	release even the last reserved pageblock
 *
 * Called before an allocation fails: a highatomic pageblock with free
 * pages goes back to ac->migratetype.  Return: true if pages moved.
 */
bool sb_unreserve_highatomic_pageblock(struct sb_machine *m,
				       const struct sb_alloc_context *ac,
				       bool force)
{
	struct sb_zoneref *z = ac->preferred_zoneref;
	struct sb_zone *zone;
	unsigned long flags;
	int order;

	/* for_each_zone_zonelist_nodemask() walks the whole zonelist */
	z = sb_next_zones_zonelist(ac->zonelist->_zonerefs,
				   ac->highest_zoneidx, ac->nodemask);
	for (; z->zone;
	     z = sb_next_zones_zonelist(z + 1, ac->highest_zoneidx,
					ac->nodemask)) {
		zone = z->zone;
		if (!force && zone->nr_reserved_highatomic <=
			      m->pb_nr_pages)
			continue;

		spin_lock_irqsave(&zone->lock, flags);
		for (order = 0; order < SB_MAX_ORDER; order++) {
			struct sb_free_area *area = &zone->free_area[order];
			struct sb_page *page;
			unsigned long pfn;
			int ret;

			page = sb_get_page_from_free_area(area,
							  SB_MIGRATE_HIGHATOMIC);
			if (!page)
				continue;
			pfn = sb_page_to_pfn(m, page);
			if (sb_is_migrate_highatomic(sb_get_pfnblock_migratetype(m, pfn)))
				zone->nr_reserved_highatomic -=
					min(m->pb_nr_pages,
					    zone->nr_reserved_highatomic);
			sb_set_pageblock_migratetype(m, pfn, ac->migratetype);
			ret = sb_move_freepages_block(zone, page,
						      ac->migratetype, NULL);
			if (ret) {
				spin_unlock_irqrestore(&zone->lock, flags);
				sb_count_vm_events(m, SB_EV_HIGHATOMIC_UNRESERVE,
						   1);
				return ret;
			}
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return false;
}

/*
 * __rmqueue_fallback(): steal the largest block of a fallback type (or
 * the smallest, for movable requests that cannot take a whole block),
 * move it to @start_migratetype's lists and let the caller retry.
 */
static bool sb_rmqueue_fallback(struct sb_zone *zone, int order,
				int start_migratetype,
				unsigned int alloc_flags)
{
	struct sb_machine *m = zone->machine;
	struct sb_free_area *area;
	int current_order, min_order = order;
	struct sb_page *page;
	int fallback_mt;
	bool can_steal;

	if (order < (int)m->pb_order &&
	    (alloc_flags & SB_ALLOC_NOFRAGMENT))
		min_order = m->pb_order;

	for (current_order = SB_MAX_ORDER - 1; current_order >= min_order;
	     --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = sb_find_suitable_fallback(m, area, current_order,
							start_migratetype,
							false, &can_steal);
		if (fallback_mt == -1)
			continue;
		if (!can_steal && start_migratetype == SB_MIGRATE_MOVABLE &&
		    current_order > order)
			goto find_smallest;
		goto do_steal;
	}
	return false;

find_smallest:
	for (current_order = order; current_order < SB_MAX_ORDER;
	     current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = sb_find_suitable_fallback(m, area, current_order,
							start_migratetype,
							false, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	/* VM_BUG_ON in the kernel: a suitable fallback was just found */
	if (unlikely(current_order == SB_MAX_ORDER)) {
		sb_warn("fallback for order %d vanished\n", order);
		return false;
	}

do_steal:
	page = sb_get_page_from_free_area(area, fallback_mt);
	sb_steal_suitable_fallback(zone, page, alloc_flags, start_migratetype,
				   can_steal);
	sb_count_vm_events(m, SB_EV_EXTFRAG, 1);
	if (current_order < (int)m->pb_order)
		sb_count_vm_events(m, SB_EV_EXTFRAG_FRAGMENTING, 1);
	trace_mm_page_alloc_extfrag(page, sb_page_to_pfn(m, page), order,
				    current_order, m->pb_order,
				    start_migratetype, fallback_mt,
				    start_migratetype ==
				    sb_get_pageblock_migratetype(m, page));
	return true;
}

/**
 * sb_rmqueue - __rmqueue(): take a block, falling back to other types
 * @zone:	the zone, lock held
 * @order:	order wanted
 * @migratetype: the request's migratetype
 * @alloc_flags: SB_ALLOC_* (ALLOC_CMA, ALLOC_NOFRAGMENT matter here)
 *
 * Movable requests go to CMA first when more than half the zone's free
 * memory is CMA (the CMA balance rule).  Return: a page or NULL.
 */
struct sb_page *sb_rmqueue(struct sb_zone *zone, unsigned int order,
			   int migratetype, unsigned int alloc_flags)
{
	struct sb_page *page;

	if ((alloc_flags & SB_ALLOC_CMA) &&
	    sb_zone_page_state(zone, SB_NR_FREE_CMA_PAGES) >
	    sb_zone_page_state(zone, SB_NR_FREE_PAGES) / 2) {
		page = sb_rmqueue_smallest(zone, order, SB_MIGRATE_CMA);
		if (page)
			return page;
	}
retry:
	page = sb_rmqueue_smallest(zone, order, migratetype);
	if (unlikely(!page)) {
		if (alloc_flags & SB_ALLOC_CMA)
			page = sb_rmqueue_smallest(zone, order, SB_MIGRATE_CMA);
		if (!page && sb_rmqueue_fallback(zone, order, migratetype,
						 alloc_flags))
			goto retry;
	}
	return page;
}

/**
 * sb_split_free_page - split_free_page(): split a free block at an offset
 * @m:		the machine
 * @free_page:	the head of a free block of @order (zone->lock NOT held)
 * @order:	its order
 * @split_pfn_offset: where to split, in pages from @free_page
 *
 * Both parts go back to the free lists in the largest aligned pieces, each
 * on its own pageblock's list: isolation uses it for free blocks that
 * straddle the edge of the range.  Return: 0, or -ENOENT when the block
 * changed before the zone lock was taken.
 */
int sb_split_free_page(struct sb_machine *m, struct sb_page *free_page,
		       unsigned int order, unsigned long split_pfn_offset)
{
	struct sb_zone *zone = sb_page_zone(m, free_page);
	unsigned long free_page_pfn = sb_page_to_pfn(m, free_page);
	unsigned long pfn, flags;
	unsigned int free_page_order;
	int mt, ret = 0;

	if (!split_pfn_offset)
		return 0;
	spin_lock_irqsave(&zone->lock, flags);
	if (!(free_page->flags & SB_PG_BUDDY) || free_page->order != order) {
		ret = -ENOENT;
		goto out;
	}
	mt = sb_get_pfnblock_migratetype(m, free_page_pfn);
	if (likely(!sb_is_migrate_isolate(mt)))
		sb_mod_zone_freepage_state(zone, -(1L << order), mt);
	sb_del_page_from_free_list(free_page, zone, order);
	for (pfn = free_page_pfn; pfn < free_page_pfn + (1UL << order);) {
		mt = sb_get_pfnblock_migratetype(m, pfn);
		free_page_order = min_t(unsigned int, pfn ? __ffs(pfn) : order,
					__fls(split_pfn_offset));
		sb_free_one_page(zone, sb_pfn_to_page(m, pfn), pfn,
				 free_page_order, mt, SB_FPI_NONE);
		pfn += 1UL << free_page_order;
		split_pfn_offset -= 1UL << free_page_order;
		/* the first part is done: now the second */
		if (!split_pfn_offset)
			split_pfn_offset = (1UL << order) - (pfn - free_page_pfn);
	}
out:
	spin_unlock_irqrestore(&zone->lock, flags);
	return ret;
}
