// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy pageblock isolation: mm/page_isolation.c of Linux 6.1.  A
 * pageblock turned MIGRATE_ISOLATE keeps its free pages on the Isolate
 * lists, where no allocation finds them and where the zone's free
 * counters do not count them; frees into it go straight to those lists.
 * alloc_contig_range() isolates its range this way before it migrates
 * the movable pages out and takes the free ones.
 *
 * Differences: the "unmovable page" dump_page() becomes the pfn handed
 * back through @failed_pfn; a long-term pinned owner block counts as
 * unmovable here already (6.1 finds it only when migration fails).
 * Reclaimable owner blocks stand for clean page cache: LRU pages, which
 * contiguous allocation reclaims.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>

#include "sb_internal.h"

/* pfn_to_online_page(): a page of the machine that is not a hole */
static struct sb_page *sb_pfn_to_online_page(struct sb_machine *m,
					     unsigned long pfn)
{
	struct sb_page *page = sb_pfn_to_page(m, pfn);

	return page && !(page->flags & SB_PG_HOLE) ? page : NULL;
}

/* __first_valid_page() */
static struct sb_page *sb_first_valid_page(struct sb_machine *m,
					   unsigned long pfn,
					   unsigned long nr_pages)
{
	unsigned long i;

	for (i = 0; i < nr_pages; i++) {
		struct sb_page *page = sb_pfn_to_online_page(m, pfn + i);

		if (page)
			return page;
	}
	return NULL;
}

static bool sb_is_migrate_isolate_page(struct sb_machine *m,
				       struct sb_page *page)
{
	return sb_is_migrate_isolate(sb_get_pageblock_migratetype(m, page));
}

/*
 * PageLRU() || __PageMovable() for an allocation: a movable owner block
 * or a reclaimable one (clean page cache, on the LRU), not pinned.
 */
static bool sb_alloc_is_movable(struct sb_machine *m, struct sb_page *page)
{
	struct sb_block *blk;
	bool movable;

	rcu_read_lock();
	blk = sb_page_block(m, page);
	movable = blk && (blk->migratetype == SB_MIGRATE_MOVABLE ||
			  blk->migratetype == SB_MIGRATE_RECLAIMABLE) &&
		  !READ_ONCE(blk->pins) &&
		  !(READ_ONCE(blk->flags) & SB_BLK_CONTIG);
	rcu_read_unlock();
	return movable;
}

/*
 * has_unmovable_pages(): the first page of [start_pfn, end_pfn) (one
 * pageblock) that can neither be freed nor migrated, or NULL.  A CMA
 * pageblock passes only for a CMA request.  Runs under zone->lock.
 */
static struct sb_page *sb_has_unmovable_pages(struct sb_machine *m,
					      unsigned long start_pfn,
					      unsigned long end_pfn,
					      int migratetype)
{
	struct sb_page *page = sb_pfn_to_page(m, start_pfn);
	struct sb_zone *zone = sb_page_zone(m, page);
	unsigned long pfn;

	if (sb_is_migrate_cma(sb_get_pageblock_migratetype(m, page)))
		return sb_is_migrate_cma(migratetype) ? NULL : page;

	for (pfn = start_pfn; pfn < end_pfn; pfn++) {
		page = sb_pfn_to_page(m, pfn);
		/* holes and leaked pages are PageReserved() */
		if (page->flags & (SB_PG_HOLE | SB_PG_LEAKED))
			return page;
		if (zone->idx == SB_ZONE_MOVABLE)
			continue;
		if (!sb_page_count(page)) {
			if (page->flags & SB_PG_BUDDY)
				pfn += (1UL << page->order) - 1;
			continue;
		}
		if ((page->flags & SB_PG_ALLOC) && sb_alloc_is_movable(m, page)) {
			pfn += (1UL << page->order) - 1;
			continue;
		}
		return page;
	}
	return NULL;
}

/*
 * set_migratetype_isolate(): isolate the pageblock of @page unless
 * [start_pfn, end_pfn) of it holds an unmovable page.  Its free pages
 * move to the Isolate lists and stop counting as free.
 */
static int sb_set_migratetype_isolate(struct sb_machine *m,
				      struct sb_page *page, int migratetype,
				      unsigned long start_pfn,
				      unsigned long end_pfn,
				      unsigned long *failed_pfn)
{
	struct sb_zone *zone = sb_page_zone(m, page);
	unsigned long pfn = sb_page_to_pfn(m, page);
	unsigned long check_start, check_end, flags;
	struct sb_page *unmovable;

	spin_lock_irqsave(&zone->lock, flags);
	if (sb_is_migrate_isolate_page(m, page)) {
		spin_unlock_irqrestore(&zone->lock, flags);
		if (failed_pfn)
			*failed_pfn = pfn;
		return -EBUSY;
	}
	check_start = max(pfn, start_pfn);
	check_end = min(sb_pageblock_start_pfn(m, pfn) + m->pb_nr_pages,
			end_pfn);
	unmovable = sb_has_unmovable_pages(m, check_start, check_end,
					   migratetype);
	if (!unmovable) {
		int mt = sb_get_pageblock_migratetype(m, page);
		long nr_pages;

		sb_set_pageblock_migratetype(m, pfn, SB_MIGRATE_ISOLATE);
		nr_pages = sb_move_freepages_block(zone, page,
						   SB_MIGRATE_ISOLATE, NULL);
		sb_mod_zone_freepage_state(zone, -nr_pages, mt);
		spin_unlock_irqrestore(&zone->lock, flags);
		return 0;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	if (failed_pfn)
		*failed_pfn = sb_page_to_pfn(m, unmovable);
	return -EBUSY;
}

/*
 * unset_migratetype_isolate(): the pageblock becomes @migratetype again
 * and its free pages count again.  A free block of at least a pageblock
 * whose buddy is not isolated is taken out and freed back, so that it
 * merges (move_freepages_block() does not merge).
 */
static void sb_unset_migratetype_isolate(struct sb_machine *m,
					 struct sb_page *page, int migratetype)
{
	struct sb_zone *zone = sb_page_zone(m, page);
	unsigned long pfn = sb_page_to_pfn(m, page), flags;
	bool isolated_page = false;
	unsigned int order = 0;

	spin_lock_irqsave(&zone->lock, flags);
	if (!sb_is_migrate_isolate_page(m, page))
		goto out;
	if (page->flags & SB_PG_BUDDY) {
		order = page->order;
		if (order >= m->pb_order && order < SB_MAX_ORDER - 1) {
			unsigned long bpfn = pfn ^ (1UL << order);
			struct sb_page *buddy = sb_pfn_to_page(m, bpfn);

			if (buddy && (buddy->flags & SB_PG_BUDDY) &&
			    buddy->order == order &&
			    buddy->zone_idx == page->zone_idx &&
			    buddy->nid == page->nid &&
			    !sb_is_migrate_isolate_page(m, buddy)) {
				isolated_page = !!sb___isolate_free_page(m, page,
									 order);
				/* no watermark applies in an isolated block */
				WARN_ON_ONCE(!isolated_page);
			}
		}
	}
	if (!isolated_page) {
		long nr_pages = sb_move_freepages_block(zone, page, migratetype,
							NULL);

		sb_mod_zone_freepage_state(zone, nr_pages, migratetype);
	}
	sb_set_pageblock_migratetype(m, pfn, migratetype);
	if (isolated_page)
		sb___putback_isolated_page(m, page, order, migratetype);
out:
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * isolate_single_pageblock(): isolate the pageblock at one edge of the
 * range, then make sure no free block or allocation crosses the
 * boundary: a free one is split there, a movable allocation migrated.
 */
static int sb_isolate_single_pageblock(struct sb_machine *m,
				       unsigned long boundary_pfn,
				       bool isolate_before,
				       bool skip_isolation, int migratetype,
				       unsigned long *failed_pfn)
{
	unsigned long isolate_pageblock, start_pfn, pfn;
	struct sb_zone *zone;
	int ret, tries = 0;

	isolate_pageblock = isolate_before ? boundary_pfn - m->pb_nr_pages :
					     boundary_pfn;
	/* free blocks and allocations start MAX_ORDER_NR_PAGES aligned */
	zone = sb_page_zone(m, sb_pfn_to_page(m, isolate_pageblock));
	start_pfn = max(ALIGN_DOWN(isolate_pageblock, 1UL << (SB_MAX_ORDER - 1)),
			zone->zone_start_pfn);

	if (!skip_isolation) {
		ret = sb_set_migratetype_isolate(m,
						 sb_pfn_to_page(m, isolate_pageblock),
						 migratetype, isolate_pageblock,
						 isolate_pageblock + m->pb_nr_pages,
						 failed_pfn);
		if (ret)
			return ret;
	}

	/* nothing crosses the boundary when the other side is not memory */
	if (isolate_before) {
		if (!sb_pfn_to_online_page(m, boundary_pfn))
			return 0;
	} else {
		if (!sb_pfn_to_online_page(m, boundary_pfn - 1))
			return 0;
	}

	for (pfn = start_pfn; pfn < boundary_pfn;) {
		struct sb_page *page = sb_first_valid_page(m, pfn,
							   boundary_pfn - pfn);
		unsigned long nr;

		if (!page)
			break;
		pfn = sb_page_to_pfn(m, page);
		if (page->flags & SB_PG_BUDDY) {
			unsigned int order = page->order;

			/* a block that changed before the split: look again */
			if (pfn + (1UL << order) > boundary_pfn &&
			    sb_split_free_page(m, page, order,
					       boundary_pfn - pfn))
				continue;
			pfn += 1UL << order;
			continue;
		}
		nr = (page->flags & SB_PG_ALLOC) ? 1UL << page->order : 1;
		if (nr > 1 && pfn + nr > boundary_pfn) {
			/* an allocation across the boundary: move it away */
			if (++tries > SB_CONTIG_TRIES ||
			    !sb_alloc_is_movable(m, page) ||
			    (!sb_reclaim_block(m, page) &&
			     sb_contig_migrate_block(m, page, NUMA_NO_NODE))) {
				if (failed_pfn)
					*failed_pfn = pfn;
				goto failed;
			}
			/* its pages are free now: split them as above */
			continue;
		}
		pfn += nr;
	}
	return 0;

failed:
	if (!skip_isolation)
		sb_unset_migratetype_isolate(m, sb_pfn_to_page(m, isolate_pageblock),
					     migratetype);
	return -EBUSY;
}

/**
 * sb_start_isolate_page_range - start_isolate_page_range(): make every
 * pageblock that [@start_pfn, @end_pfn) touches MIGRATE_ISOLATE
 * @m:		the machine
 * @start_pfn:	first pfn; the range must lie in one zone
 * @end_pfn:	one past the last
 * @migratetype: the type the pageblocks return to (MOVABLE or CMA)
 * @failed_pfn:	out (may be NULL): on -EBUSY, the page that refused
 *
 * Free blocks across the range's edges are split there.  On failure
 * nothing stays isolated.  Return: 0 or -EBUSY.
 */
int sb_start_isolate_page_range(struct sb_machine *m, unsigned long start_pfn,
				unsigned long end_pfn, int migratetype,
				unsigned long *failed_pfn)
{
	unsigned long isolate_start = sb_pageblock_start_pfn(m, start_pfn);
	unsigned long isolate_end = ALIGN(end_pfn, m->pb_nr_pages);
	bool skip_isolation = false;
	unsigned long pfn;
	int ret;

	ret = sb_isolate_single_pageblock(m, isolate_start, false,
					  skip_isolation, migratetype,
					  failed_pfn);
	if (ret)
		return ret;
	if (isolate_start == isolate_end - m->pb_nr_pages)
		skip_isolation = true;
	ret = sb_isolate_single_pageblock(m, isolate_end, true, skip_isolation,
					  migratetype, failed_pfn);
	if (ret) {
		sb_unset_migratetype_isolate(m, sb_pfn_to_page(m, isolate_start),
					     migratetype);
		return ret;
	}

	for (pfn = isolate_start + m->pb_nr_pages;
	     pfn < isolate_end - m->pb_nr_pages; pfn += m->pb_nr_pages) {
		struct sb_page *page = sb_first_valid_page(m, pfn,
							   m->pb_nr_pages);

		if (page && sb_set_migratetype_isolate(m, page, migratetype,
						       start_pfn, end_pfn,
						       failed_pfn)) {
			sb_undo_isolate_page_range(m, isolate_start, pfn,
						   migratetype);
			page = sb_pfn_to_page(m, isolate_end - m->pb_nr_pages);
			sb_unset_migratetype_isolate(m, page, migratetype);
			return -EBUSY;
		}
	}
	return 0;
}

/**
 * sb_undo_isolate_page_range - undo_isolate_page_range(): every isolated
 * pageblock of the range becomes @migratetype again
 * @m:		the machine
 * @start_pfn:	as given to sb_start_isolate_page_range()
 * @end_pfn:	likewise
 * @migratetype: likewise
 */
void sb_undo_isolate_page_range(struct sb_machine *m, unsigned long start_pfn,
				unsigned long end_pfn, int migratetype)
{
	unsigned long isolate_start = sb_pageblock_start_pfn(m, start_pfn);
	unsigned long isolate_end = ALIGN(end_pfn, m->pb_nr_pages);
	unsigned long pfn;

	for (pfn = isolate_start; pfn < isolate_end; pfn += m->pb_nr_pages) {
		struct sb_page *page = sb_first_valid_page(m, pfn,
							   m->pb_nr_pages);

		if (!page || !sb_is_migrate_isolate_page(m, page))
			continue;
		sb_unset_migratetype_isolate(m, page, migratetype);
	}
}

/*
 * __test_page_isolated_in_pageblock(): the first pfn from @pfn that is
 * not free (on the Isolate lists), or @end_pfn.  zone->lock held.
 */
static unsigned long sb_test_page_isolated_in_pageblock(struct sb_machine *m,
							unsigned long pfn,
							unsigned long end_pfn)
{
	while (pfn < end_pfn) {
		struct sb_page *page = sb_pfn_to_page(m, pfn);

		if (!(page->flags & SB_PG_BUDDY))
			break;
		pfn += 1UL << page->order;
	}
	return pfn;
}

/**
 * sb_test_pages_isolated - test_pages_isolated(): is every page of the
 * range isolated and free?
 * @m:		the machine
 * @start_pfn:	first pfn
 * @end_pfn:	one past the last
 * @failed_pfn:	out (may be NULL): on -EBUSY the first pfn that is not
 *		(the trace event's fin_pfn)
 *
 * Return: 0 or -EBUSY.
 */
int sb_test_pages_isolated(struct sb_machine *m, unsigned long start_pfn,
			   unsigned long end_pfn, unsigned long *failed_pfn)
{
	struct sb_page *page;
	struct sb_zone *zone;
	unsigned long pfn, flags;

	/* pageblocks first: free blocks need not be pageblock aligned */
	for (pfn = start_pfn; pfn < end_pfn;
	     pfn = sb_pageblock_start_pfn(m, pfn) + m->pb_nr_pages) {
		page = sb_first_valid_page(m, pfn, min(end_pfn - pfn,
						       m->pb_nr_pages));
		if (page && !sb_is_migrate_isolate_page(m, page))
			break;
	}
	page = sb_first_valid_page(m, start_pfn, end_pfn - start_pfn);
	if (!page)
		pfn = start_pfn;
	if (pfn < end_pfn)
		goto out;

	zone = sb_page_zone(m, page);
	spin_lock_irqsave(&zone->lock, flags);
	pfn = sb_test_page_isolated_in_pageblock(m, start_pfn, end_pfn);
	spin_unlock_irqrestore(&zone->lock, flags);
out:
	if (pfn < end_pfn && failed_pfn)
		*failed_pfn = pfn;
	return pfn < end_pfn ? -EBUSY : 0;
}
