// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy contiguous ranges and CMA: alloc_contig_range(),
 * __alloc_contig_migrate_range(), free_contig_range() and
 * alloc_contig_pages() of Linux 6.1's mm/page_alloc.c, the strict
 * isolate_freepages_range() of mm/compaction.c, and cma_alloc() /
 * cma_release() of mm/cma.c over the emulated CMA area.
 *
 * A range is taken in 6.1's steps: isolate its pageblocks, drain the
 * per-cpu lists, migrate the movable owner blocks in it to pages outside
 * it, check that every page is free, take the free blocks, give back the
 * parts outside the range, undo the isolation.  The pages come out as
 * order-0 allocations with one reference each, as split_map_pages()
 * leaves them, and go back one by one.
 *
 * Differences: the movable pages are owner blocks (owner.c) rather than
 * LRU folios, and reclaimable owner blocks stand for clean page cache,
 * which reclaim_clean_pages_from_list() drops; the first pfn that could
 * not be freed is handed back instead of traced; a failed isolation does
 * not undo pageblocks it did not isolate.
 */
#define pr_fmt(fmt) "sbuddy: " fmt

#include <linux/bitmap.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "sb_internal.h"

/* does [pfn, pfn + nr) touch an isolated pageblock? */
static bool sb_range_touches_isolated(struct sb_machine *m, unsigned long pfn,
				      unsigned long nr)
{
	unsigned long end = pfn + nr;

	for (pfn = sb_pageblock_start_pfn(m, pfn); pfn < end;
	     pfn += m->pb_nr_pages)
		if (sb_is_migrate_isolate(sb_get_pfnblock_migratetype(m, pfn)))
			return true;
	return false;
}

/**
 * sb_contig_migrate_block - alloc_migration_target() + migrate_pages()
 * (MIGRATE_SYNC, MR_CONTIG_RANGE) for the owner block at @page
 * @m:		the machine
 * @page:	the block's first page
 * @nid:	preferred node of the target, NUMA_NO_NODE for the block's
 *
 * The target never lies in an isolated pageblock: a page that comes from
 * one (a per-cpu list not drained yet) is held aside and freed after.
 * Return: 0, -ENOMEM (no target) or sb_isolate_block()'s errors.
 */
int sb_contig_migrate_block(struct sb_machine *m, struct sb_page *page,
			    int nid)
{
	gfp_t gfp = GFP_USER | __GFP_MOVABLE | __GFP_RETRY_MAYFAIL |
		    __GFP_NOWARN;
	struct sb_page *dst, *held[SB_CONTIG_TRIES];
	struct sb_block *blk;
	int i, nr_held = 0;

	blk = sb_isolate_block(m, page, SB_MIGRATE_SYNC);
	if (IS_ERR(blk))
		return PTR_ERR(blk);
	if (page->flags & SB_PG_HEAD)
		gfp |= __GFP_COMP;
	for (;;) {
		dst = sb_alloc_pages(m, gfp, blk->order,
				     nid == NUMA_NO_NODE ? page->nid : nid, NULL);
		if (!dst || !sb_range_touches_isolated(m, sb_page_to_pfn(m, dst),
						       1UL << blk->order))
			break;
		if (nr_held == ARRAY_SIZE(held)) {
			sb_free_pages(m, dst, blk->order);
			dst = NULL;
			break;
		}
		held[nr_held++] = dst;
	}
	for (i = 0; i < nr_held; i++)
		sb_free_pages(m, held[i], blk->order);
	if (!dst) {
		sb_putback_block(blk);
		sb_count_vm_events(m, SB_PGMIGRATE_FAIL, 1L << blk->order);
		return -ENOMEM;
	}
	sb_migrate_isolated(m, blk, dst);
	return 0;
}

/*
 * __alloc_contig_migrate_range(): migrate every movable owner block that
 * overlaps [start, end) out of it, reclaim every reclaimable one.  A
 * busy block is retried 5 times, then the range is -EBUSY; pinned,
 * unmovable or unowned pages are left for test_pages_isolated() to find.
 * Return: 0, -EBUSY, -ENOMEM, -EINTR.
 */
static int sb___alloc_contig_migrate_range(struct sb_machine *m,
					   struct sb_zone *zone,
					   unsigned long start,
					   unsigned long end)
{
	unsigned long pfn = max(sb_pageblock_start_pfn(m, start),
				zone->zone_start_pfn);
	int ret, tries;

	while (pfn < end) {
		struct sb_page *page = sb_pfn_to_page(m, pfn);
		u32 flags = READ_ONCE(page->flags);
		unsigned long nr = 1UL << min_t(unsigned int,
						READ_ONCE(page->order),
						SB_MAX_ORDER - 1);

		if (fatal_signal_pending(current))
			return -EINTR;
		if (!(flags & (SB_PG_ALLOC | SB_PG_BUDDY))) {
			pfn++;
			continue;
		}
		if ((flags & SB_PG_BUDDY) || pfn + nr <= start) {
			pfn += nr;
			continue;
		}
		/* reclaim_clean_pages_from_list(): page cache is dropped */
		if (sb_reclaim_block(m, page)) {
			pfn += nr;
			continue;
		}
		tries = 0;
		do {
			ret = sb_contig_migrate_block(m, page, zone->node);
		} while (ret == -EAGAIN && ++tries < SB_CONTIG_TRIES);
		if (ret == -EAGAIN)
			return -EBUSY;
		if (ret == -ENOMEM)
			return ret;
		pfn += nr;
		cond_resched();
	}
	return 0;
}

/*
 * isolate_freepages_range() with isolate_freepages_block() in strict
 * mode, then split_map_pages(): every block of [start_pfn, end_pfn) must
 * be free; each becomes order-0 pages with one reference.  Return: the
 * pfn after the last block taken, or 0 (nothing taken, *failed_pfn set).
 */
static unsigned long sb_isolate_freepages_range(struct sb_machine *m,
						struct sb_zone *zone,
						unsigned long start_pfn,
						unsigned long end_pfn,
						unsigned long *failed_pfn)
{
	unsigned long pfn = start_pfn, p, flags;
	struct sb_page *page;
	unsigned int order;

	spin_lock_irqsave(&zone->lock, flags);
	while (pfn < end_pfn) {
		page = sb_pfn_to_page(m, pfn);
		if (!(page->flags & SB_PG_BUDDY))
			break;
		order = page->order;
		if (!sb___isolate_free_page(m, page, order))
			break;
		/* the order stays on the bare head until the split below */
		page->order = order;
		pfn += 1UL << order;
	}
	if (pfn < end_pfn) {
		/* release_freepages(): back where they were */
		if (failed_pfn)
			*failed_pfn = pfn;
		for (p = start_pfn; p < pfn; p += 1UL << order) {
			page = sb_pfn_to_page(m, p);
			order = page->order;
			page->order = 0;
			sb___putback_isolated_page(m, page, order,
						   sb_get_pfnblock_migratetype(m, p));
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		return 0;
	}
	/* post_alloc_hook() + split_page() */
	for (p = start_pfn; p < pfn; p++) {
		page = sb_pfn_to_page(m, p);
		page->flags = SB_PG_ALLOC;
		page->order = 0;
		page->migratetype = SB_MIGRATE_UNMOVABLE;
		atomic_set(&page->_refcount, 1);
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return pfn;
}

/* the arguments of alloc_contig_range(), which 6.1 leaves to its callers */
static int sb_contig_check_range(struct sb_machine *m, unsigned long start,
				 unsigned long end, int migratetype)
{
	struct sb_page *page = sb_pfn_to_page(m, start);
	struct sb_zone *zone;

	if (start >= end || !page || !sb_pfn_to_page(m, end - 1)) {
		sb_warn("contig: range [%#lx, %#lx) is not inside the machine\n",
			start, end);
		return -EINVAL;
	}
	zone = sb_page_zone(m, page);
	if (!sb_zone_spans_pfn(zone, start) || !sb_zone_spans_pfn(zone, end - 1)) {
		sb_warn("contig: range [%#lx, %#lx) is not inside one zone\n",
			start, end);
		return -EINVAL;
	}
	if (migratetype == SB_MIGRATE_MOVABLE)
		return 0;
	if (migratetype == SB_MIGRATE_CMA && m->cma.count &&
	    start >= m->cma.base_pfn && end <= m->cma.base_pfn + m->cma.count)
		return 0;
	sb_warn("contig: migratetype %d for [%#lx, %#lx): not movable nor inside the CMA area\n",
		migratetype, start, end);
	return -EINVAL;
}

/**
 * sb_alloc_contig_range - alloc_contig_range(): take [@start, @end)
 * @m:		the machine
 * @start:	first pfn (no alignment needed)
 * @end:	one past the last; the range lies in one zone
 * @migratetype: SB_MIGRATE_MOVABLE, or SB_MIGRATE_CMA inside the CMA area:
 *		the type its pageblocks have again afterwards
 * @gfp:	for the migration targets' context (GFP_KERNEL)
 * @failed_pfn:	out (may be NULL): on -EBUSY, the first pfn that could not
 *		be freed
 *
 * On success every page of the range is an order-0 allocation with one
 * reference; free them with sb_free_contig_range().  On failure nothing
 * is taken and the pageblocks are @migratetype again.
 * Return: 0, -EINVAL (bad range, nothing changed), -EBUSY, -ENOMEM
 * (no migration target) or -EINTR.
 */
int sb_alloc_contig_range(struct sb_machine *m, unsigned long start,
			  unsigned long end, int migratetype, gfp_t gfp,
			  unsigned long *failed_pfn)
{
	unsigned long outer_start, outer_end;
	struct sb_zone *zone;
	struct sb_page *page;
	int order, ret;

	ret = sb_contig_check_range(m, start, end, migratetype);
	if (ret)
		return ret;
	zone = sb_page_zone(m, sb_pfn_to_page(m, start));

	ret = sb_start_isolate_page_range(m, start, end, migratetype,
					  failed_pfn);
	if (ret)
		return ret;
	sb_drain_all_pages(m, zone);

	ret = sb___alloc_contig_migrate_range(m, zone, start, end);
	if (ret && ret != -EBUSY)
		goto done;
	ret = 0;

	/* the free block holding @start may begin below it */
	order = 0;
	outer_start = start;
	for (;;) {
		page = sb_pfn_to_page(m, outer_start);
		if (page && (READ_ONCE(page->flags) & SB_PG_BUDDY))
			break;
		if (++order >= SB_MAX_ORDER) {
			outer_start = start;
			break;
		}
		outer_start &= ~0UL << order;
	}
	if (outer_start != start) {
		order = READ_ONCE(sb_pfn_to_page(m, outer_start)->order);
		if (outer_start + (1UL << order) <= start)
			outer_start = start;
	}

	if (sb_test_pages_isolated(m, outer_start, end, failed_pfn)) {
		ret = -EBUSY;
		goto done;
	}
	outer_end = sb_isolate_freepages_range(m, zone, outer_start, end,
					       failed_pfn);
	if (!outer_end) {
		ret = -EBUSY;
		goto done;
	}
	if (start != outer_start)
		sb_free_contig_range(m, outer_start, start - outer_start);
	if (end != outer_end)
		sb_free_contig_range(m, end, outer_end - end);
done:
	sb_undo_isolate_page_range(m, start, end, migratetype);
	return ret;
}

/**
 * sb_free_contig_range - free_contig_range(): drop one reference to each
 * page of [@pfn, @pfn + @nr_pages)
 * @m:		the machine
 * @pfn:	first pfn
 * @nr_pages:	pages
 *
 * Return: the pages that were not order-0 allocations with exactly one
 * reference (6.1 warns "pages are still in use"); 0 normally.
 */
unsigned long sb_free_contig_range(struct sb_machine *m, unsigned long pfn,
				   unsigned long nr_pages)
{
	unsigned long count = 0;

	for (; nr_pages--; pfn++) {
		struct sb_page *page = sb_pfn_to_page(m, pfn);

		if (!page) {
			count++;
			continue;
		}
		count += sb_page_count(page) != 1;
		sb_free_pages(m, page, 0);
	}
	if (count)
		sb_warn("free_contig_range: %lu pages are still in use\n",
			count);
	return count;
}

/* pfn_range_valid_contig(): present pages of @z, none reserved */
static bool sb_pfn_range_valid_contig(struct sb_machine *m, struct sb_zone *z,
				      unsigned long start_pfn,
				      unsigned long nr_pages)
{
	unsigned long i;

	for (i = start_pfn; i < start_pfn + nr_pages; i++) {
		struct sb_page *page = sb_pfn_to_page(m, i);

		if (!page || (page->flags & (SB_PG_HOLE | SB_PG_LEAKED)))
			return false;
		if (sb_page_zone(m, page) != z)
			return false;
	}
	return true;
}

/* zone_spans_last_pfn() */
static bool sb_zone_spans_last_pfn(const struct sb_zone *zone,
				   unsigned long start_pfn,
				   unsigned long nr_pages)
{
	return sb_zone_spans_pfn(zone, start_pfn + nr_pages - 1);
}

/**
 * sb_alloc_contig_pages - alloc_contig_pages(): find and take @nr_pages
 * contiguous pages, aligned to @nr_pages
 * @m:		the machine
 * @nr_pages:	pages wanted (a power of two keeps the alignment exact)
 * @gfp:	zone modifiers, __GFP_THISNODE; the migration context
 * @nid:	the node whose zonelist is walked, NUMA_NO_NODE for local
 * @nodemask:	NULL or the allowed nodes
 *
 * Each zone of the zonelist is scanned from its start for a range of
 * present pages that sb_alloc_contig_range() can take.
 * Return: the first page (order-0 allocations, as sb_alloc_contig_range()
 * leaves them) or NULL.
 */
struct sb_page *sb_alloc_contig_pages(struct sb_machine *m,
				      unsigned long nr_pages, gfp_t gfp,
				      int nid, const unsigned long *nodemask)
{
	int zoneidx = sb_gfp_zone(gfp);
	struct sb_zonelist *zonelist;
	unsigned long pfn, flags;
	struct sb_zoneref *z;

	if (!nr_pages || zoneidx < 0)
		return NULL;
	if (nid == NUMA_NO_NODE)
		nid = sb_numa_node_id(m);
	if (nid < 0 || nid >= m->nr_nodes)
		return NULL;
	zonelist = &m->nodes[nid]->node_zonelists[(gfp & __GFP_THISNODE) ?
						  SB_ZONELIST_NOFALLBACK :
						  SB_ZONELIST_FALLBACK];
	for (z = sb_next_zones_zonelist(zonelist->_zonerefs, zoneidx, nodemask);
	     z->zone;
	     z = sb_next_zones_zonelist(z + 1, zoneidx, nodemask)) {
		struct sb_zone *zone = z->zone;

		spin_lock_irqsave(&zone->lock, flags);
		pfn = ALIGN(zone->zone_start_pfn, nr_pages);
		while (sb_zone_spans_last_pfn(zone, pfn, nr_pages)) {
			if (sb_pfn_range_valid_contig(m, zone, pfn, nr_pages)) {
				spin_unlock_irqrestore(&zone->lock, flags);
				if (!sb_alloc_contig_range(m, pfn, pfn + nr_pages,
							   SB_MIGRATE_MOVABLE,
							   gfp, NULL))
					return sb_pfn_to_page(m, pfn);
				spin_lock_irqsave(&zone->lock, flags);
			}
			pfn += nr_pages;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return NULL;
}

/* ---- CMA: mm/cma.c over the emulated area ---- */

/**
 * sb_cma_init - cma_init_reserved_mem() + cma_activate_area(): the
 * bitmap of the machine's CMA area, when it has one
 * @m:		the machine, its CMA pageblocks already set
 *
 * Return: 0 or -ENOMEM.
 */
int sb_cma_init(struct sb_machine *m)
{
	struct sb_cma *cma = &m->cma;

	spin_lock_init(&cma->lock);
	mutex_init(&cma->mutex);
	if (!m->cma_nr_pages)
		return 0;
	cma->bitmap = bitmap_zalloc(m->cma_nr_pages, GFP_KERNEL);
	if (!cma->bitmap)
		return -ENOMEM;
	cma->base_pfn = m->cma_start_pfn;
	cma->count = m->cma_nr_pages;
	return 0;
}

/* cma_clear_bitmap() */
static void sb_cma_clear_bitmap(struct sb_cma *cma, unsigned long pfn,
				unsigned long count)
{
	unsigned long flags;

	spin_lock_irqsave(&cma->lock, flags);
	bitmap_clear(cma->bitmap, pfn - cma->base_pfn, count);
	spin_unlock_irqrestore(&cma->lock, flags);
}

/**
 * sb_cma_alloc - cma_alloc(): @count pages of the CMA area, the first
 * one aligned to 2^@align pages
 * @m:		the machine
 * @count:	pages
 * @align:	alignment order, at most SB_MAX_ORDER - 1
 * @no_warn:	no message on failure
 *
 * Candidate ranges come from the bitmap, lowest first; a range that
 * alloc_contig_range() finds busy is skipped (the next one starts an
 * alignment step later).  Movable pages in the range are migrated out.
 * Return: the first page, or ERR_PTR: -ENODEV (no CMA area), -EINVAL
 * (@count 0 or larger than the area, @align too big), -ENOMEM (no free
 * range in the bitmap), -EBUSY (every candidate was busy), -EINTR.
 */
struct sb_page *sb_cma_alloc(struct sb_machine *m, unsigned long count,
			     unsigned int align, bool no_warn)
{
	struct sb_cma *cma = &m->cma;
	unsigned long mask, offset, start = 0, bitmap_no, pfn, flags;
	int ret = -ENOMEM;

	if (!cma->count)
		return ERR_PTR(-ENODEV);
	if (!count || count > cma->count || align >= SB_MAX_ORDER)
		return ERR_PTR(-EINVAL);
	/* cma_bitmap_aligned_mask() and _offset() with order_per_bit 0 */
	mask = (1UL << align) - 1;
	offset = (ALIGN(cma->base_pfn, 1UL << align) - cma->base_pfn) & mask;

	for (;;) {
		spin_lock_irqsave(&cma->lock, flags);
		bitmap_no = bitmap_find_next_zero_area_off(cma->bitmap,
							   cma->count, start,
							   count, mask, offset);
		if (bitmap_no >= cma->count) {
			spin_unlock_irqrestore(&cma->lock, flags);
			break;
		}
		bitmap_set(cma->bitmap, bitmap_no, count);
		spin_unlock_irqrestore(&cma->lock, flags);

		pfn = cma->base_pfn + bitmap_no;
		mutex_lock(&cma->mutex);
		ret = sb_alloc_contig_range(m, pfn, pfn + count, SB_MIGRATE_CMA,
					    GFP_KERNEL |
					    (no_warn ? __GFP_NOWARN : 0), NULL);
		mutex_unlock(&cma->mutex);
		if (!ret)
			break;
		sb_cma_clear_bitmap(cma, pfn, count);
		if (ret != -EBUSY)
			break;
		start = bitmap_no + mask + 1;
	}
	spin_lock_irqsave(&cma->lock, flags);
	if (ret)
		cma->nr_fail_pages += count;
	else
		cma->nr_alloc_pages += count;
	spin_unlock_irqrestore(&cma->lock, flags);
	if (ret) {
		if (!no_warn)
			sb_warn("cma_alloc: %lu pages failed: %d\n", count, ret);
		return ERR_PTR(ret);
	}
	return sb_pfn_to_page(m, pfn);
}

/**
 * sb_cma_release - cma_release(): give back pages sb_cma_alloc() gave
 * @m:		the machine
 * @pages:	the first page
 * @count:	pages
 *
 * Return: false (nothing done) when the pages are not in the CMA area.
 */
bool sb_cma_release(struct sb_machine *m, struct sb_page *pages,
		    unsigned long count)
{
	struct sb_cma *cma = &m->cma;
	unsigned long pfn;

	if (!cma->count || !pages || !count)
		return false;
	pfn = sb_page_to_pfn(m, pages);
	if (pfn < cma->base_pfn || pfn + count > cma->base_pfn + cma->count ||
	    pfn + count < pfn)
		return false;
	sb_free_contig_range(m, pfn, count);
	sb_cma_clear_bitmap(cma, pfn, count);
	return true;
}

/**
 * sb_show_cma - the CMA area's state, as the files of the kernel's
 * /sys/kernel/debug/cma/<name>/ (one "name: value" a line)
 * @s:		the file
 * @m:		the machine
 *
 * Return: 0.
 */
int sb_show_cma(struct seq_file *s, struct sb_machine *m)
{
	struct sb_cma *cma = &m->cma;
	unsigned long used = 0, maxchunk = 0, free_cma = 0, flags;
	unsigned long start, end = 0;
	struct sb_zone *zone;

	if (cma->count) {
		spin_lock_irqsave(&cma->lock, flags);
		used = bitmap_weight(cma->bitmap, cma->count);
		for (;;) {
			start = find_next_zero_bit(cma->bitmap, cma->count, end);
			if (start >= cma->count)
				break;
			end = find_next_bit(cma->bitmap, cma->count, start);
			maxchunk = max(end - start, maxchunk);
		}
		spin_unlock_irqrestore(&cma->lock, flags);
	}
	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
		free_cma += sb_zone_page_state(zone, SB_NR_FREE_CMA_PAGES);
	seq_printf(s, "base_pfn: %#lx\n", cma->base_pfn);
	seq_printf(s, "count: %lu\n", cma->count);
	seq_puts(s, "order_per_bit: 0\n");
	seq_printf(s, "used: %lu\n", used);
	seq_printf(s, "maxchunk: %lu\n", maxchunk);
	seq_printf(s, "nr_free_cma: %lu\n", free_cma);
	seq_printf(s, "alloc_pages_success: %lu\n", cma->nr_alloc_pages);
	seq_printf(s, "alloc_pages_fail: %lu\n", cma->nr_fail_pages);
	return 0;
}

/* ---- owners ---- */

/**
 * sb_owner_alloc_contig - a contiguous allocation of 2^@order pages as a
 * block of @o
 * @o:		the owner
 * @pfn:	the first pfn, or ULONG_MAX to let alloc_contig_pages() find
 *		a range aligned to its size
 * @order:	0..SB_MAX_ORDER - 1
 * @nid:	for a search: the node, NUMA_NO_NODE for local
 * @failed_pfn:	out (may be NULL): for a given range that was busy, the
 *		first pfn that could not be freed
 *
 * The block does not move; freeing it frees the pages one by one.
 * Return: the block, or ERR_PTR: -EINVAL (bad range, order or node;
 * nothing changed), -EBUSY, -ENOMEM, -EINTR.
 */
struct sb_block *sb_owner_alloc_contig(struct sb_owner *o, unsigned long pfn,
				       unsigned int order, int nid,
				       unsigned long *failed_pfn)
{
	struct sb_machine *m = o->machine;
	unsigned long nr = 1UL << order;
	struct sb_block *blk;
	struct sb_page *page;
	int ret;

	if (order >= SB_MAX_ORDER ||
	    (nid != NUMA_NO_NODE && (nid < 0 || nid >= m->nr_nodes))) {
		sb_warn("contig: order %u node %d refused\n", order, nid);
		return ERR_PTR(-EINVAL);
	}
	if (pfn == ULONG_MAX) {
		page = sb_alloc_contig_pages(m, nr, GFP_KERNEL |
					     (nid != NUMA_NO_NODE ?
					      __GFP_THISNODE : 0), nid, NULL);
		if (!page)
			return ERR_PTR(-ENOMEM);
	} else {
		if (pfn + nr < pfn)
			return ERR_PTR(-EINVAL);
		ret = sb_alloc_contig_range(m, pfn, pfn + nr,
					    SB_MIGRATE_MOVABLE, GFP_KERNEL,
					    failed_pfn);
		if (ret)
			return ERR_PTR(ret);
		page = sb_pfn_to_page(m, pfn);
	}
	blk = sb_owner_add_block(o, page, order, SB_BLK_CONTIG);
	if (IS_ERR(blk))
		sb_free_contig_range(m, sb_page_to_pfn(m, page), nr);
	return blk;
}

/**
 * sb_owner_cma_alloc - sb_cma_alloc() of 2^@order pages as a block of @o
 * @o:		the owner
 * @order:	0..SB_MAX_ORDER - 1
 * @align:	alignment order
 *
 * Return: the block or sb_cma_alloc()'s ERR_PTR.
 */
struct sb_block *sb_owner_cma_alloc(struct sb_owner *o, unsigned int order,
				    unsigned int align)
{
	struct sb_machine *m = o->machine;
	struct sb_block *blk;
	struct sb_page *page;

	if (order >= SB_MAX_ORDER)
		return ERR_PTR(-EINVAL);
	page = sb_cma_alloc(m, 1UL << order, align, true);
	if (IS_ERR(page))
		return ERR_CAST(page);
	blk = sb_owner_add_block(o, page, order, SB_BLK_CONTIG | SB_BLK_CMA);
	if (IS_ERR(blk))
		sb_cma_release(m, page, 1UL << order);
	return blk;
}
