// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of sbuddy's contiguous ranges (contig.c) and pageblock
 * isolation (page_isolation.c): alloc_contig_range() over movable owner
 * blocks (migrated, contents unchanged) and over a pinned one (-EBUSY at
 * its pfn, everything restored), the free-page accounting of isolated
 * pageblocks, CMA (movable allocations use it, unmovable ones never,
 * cma_alloc() migrates them out) and refused ranges.
 */
#include <linux/crc32.h>

#include "sb_kunit.h"

#define NR	1024UL		/* 4 MiB */
#define PBO	4		/* 16-page pageblocks */
#define PB	BIT(PBO)
#define NR_PB	(NR / PB)

struct sbt_snap {
	u8 mt[NR_PB];
	unsigned long free, free_cma;
};

static struct sb_machine *sbt_contig_machine(struct kunit *test,
					     const char *layout,
					     const char *cma)
{
	struct sb_machine_params p = { .layout = layout, .cma = cma,
				       .pb_order = PBO };
	struct sb_machine *m = sbt_machine(test, NR, &p);

	sbt_boot_pagesets(m);
	return m;
}

static void sbt_snapshot(struct sb_machine *m, struct sbt_snap *s)
{
	struct sb_zone *zone;
	unsigned long i;

	sb_drain_all_pages(m, NULL);
	for (i = 0; i < NR_PB; i++)
		s->mt[i] = sb_get_pfnblock_migratetype(m, SBT_BASE_PFN + i * PB);
	s->free = 0;
	s->free_cma = 0;
	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		s->free += sb_zone_page_state_snapshot(zone, SB_NR_FREE_PAGES);
		s->free_cma += sb_zone_page_state_snapshot(zone,
							   SB_NR_FREE_CMA_PAGES);
	}
}

static void sbt_expect_same(struct kunit *test, struct sb_machine *m,
			    const struct sbt_snap *before)
{
	struct sbt_snap now;
	unsigned long i;

	sbt_snapshot(m, &now);
	for (i = 0; i < NR_PB; i++)
		KUNIT_EXPECT_EQ_MSG(test, now.mt[i], before->mt[i],
				    "pageblock %lu", i);
	KUNIT_EXPECT_EQ(test, now.free, before->free);
	KUNIT_EXPECT_EQ(test, now.free_cma, before->free_cma);
}

static void sbt_fill(struct sb_machine *m, struct sb_block *blk, u8 seed)
{
	u8 *p = sb_page_address(m, blk->page);
	size_t i;

	for (i = 0; i < (PAGE_SIZE << blk->order); i++)
		p[i] = seed + i * 13;
}

static u32 sbt_crc(struct sb_machine *m, struct sb_block *blk)
{
	return crc32(0, sb_page_address(m, blk->page),
		     PAGE_SIZE << blk->order);
}

static unsigned long sbt_blk_pfn(struct sb_machine *m, struct sb_block *blk)
{
	return sb_page_to_pfn(m, blk->page);
}

/* does block @blk overlap [start, end)? */
static bool sbt_overlaps(struct sb_machine *m, struct sb_block *blk,
			 unsigned long start, unsigned long end)
{
	unsigned long pfn = sbt_blk_pfn(m, blk);

	return pfn < end && pfn + (1UL << blk->order) > start;
}

/* every page of [start, end) an order-0 allocation with one reference */
static void sbt_expect_taken(struct kunit *test, struct sb_machine *m,
			     unsigned long start, unsigned long end)
{
	unsigned long pfn;

	for (pfn = start; pfn < end; pfn++) {
		struct sb_page *page = sb_pfn_to_page(m, pfn);

		KUNIT_EXPECT_EQ_MSG(test, page->flags, (u32)SB_PG_ALLOC,
				    "pfn %#lx", pfn);
		KUNIT_EXPECT_EQ(test, sb_page_count(page), 1);
	}
}

#define NBLK	48

/* movable blocks in the range move out; their contents stay the same */
static void sb_contig_migrates_movable(struct kunit *test)
{
	struct sb_machine *m = sbt_contig_machine(test, "Normal=4M", NULL);
	struct sb_block *blk[NBLK];
	unsigned long start, end;
	unsigned int moved = 0, i;
	struct sbt_snap before;
	struct sb_owner o;
	u32 crc[NBLK];

	sb_owner_init(&o, m, NULL, "t");
	for (i = 0; i < NBLK; i++) {
		blk[i] = sb_owner_alloc(&o, GFP_HIGHUSER_MOVABLE, i % 3, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(blk[i]));
		sbt_fill(m, blk[i], i);
		crc[i] = sbt_crc(m, blk[i]);
	}
	/* not pageblock aligned at either end, across three pageblocks */
	start = sb_pageblock_start_pfn(m, sbt_blk_pfn(m, blk[NBLK / 2])) + 3;
	end = start + 2 * PB + 5;
	sbt_snapshot(m, &before);

	KUNIT_ASSERT_EQ(test, sb_alloc_contig_range(m, start, end,
						    SB_MIGRATE_MOVABLE,
						    GFP_KERNEL, NULL), 0);
	sbt_expect_taken(test, m, start, end);
	for (i = 0; i < NBLK; i++) {
		KUNIT_EXPECT_FALSE(test, sbt_overlaps(m, blk[i], start, end));
		KUNIT_EXPECT_EQ_MSG(test, sbt_crc(m, blk[i]), crc[i],
				    "block %u", i);
		moved += blk[i]->nr_migrated;
	}
	KUNIT_EXPECT_GT(test, moved, 0U);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PGMIGRATE_FAIL), 0UL);
	SBT_VERIFY(test, m);

	KUNIT_EXPECT_EQ(test, sb_free_contig_range(m, start, end - start), 0UL);
	SBT_VERIFY(test, m);
	sb_owner_release(&o);
	sbt_snapshot(m, &before);
	KUNIT_EXPECT_EQ(test, before.free, NR);
	for (i = 0; i < NR_PB; i++)
		KUNIT_EXPECT_EQ(test, before.mt[i], (u8)SB_MIGRATE_MOVABLE);
	SBT_VERIFY(test, m);
}

/* a pinned block makes the range -EBUSY at its pfn; nothing changes */
static void sb_contig_pinned_ebusy(struct kunit *test)
{
	struct sb_machine *m = sbt_contig_machine(test, "Normal=4M", NULL);
	struct sb_block *blk[NBLK], *pinned;
	unsigned long start, end, failed = 0;
	struct sbt_snap before;
	struct sb_owner o;
	u32 crc[NBLK];
	unsigned int i;

	sb_owner_init(&o, m, NULL, "t");
	for (i = 0; i < NBLK; i++) {
		blk[i] = sb_owner_alloc(&o, GFP_HIGHUSER_MOVABLE, 0, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(blk[i]));
		sbt_fill(m, blk[i], i);
		crc[i] = sbt_crc(m, blk[i]);
	}
	/* the pin sits in the range's second pageblock */
	pinned = blk[NBLK / 2];
	KUNIT_ASSERT_EQ(test, sb_block_pin(pinned), 0);
	start = sb_pageblock_start_pfn(m, sbt_blk_pfn(m, pinned)) - PB;
	end = start + 3 * PB;
	sbt_snapshot(m, &before);

	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, start, end,
						    SB_MIGRATE_MOVABLE,
						    GFP_KERNEL, &failed),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, failed, sbt_blk_pfn(m, pinned));
	sbt_expect_same(test, m, &before);
	for (i = 0; i < NBLK; i++) {
		KUNIT_EXPECT_EQ(test, blk[i]->nr_migrated, 0U);
		KUNIT_EXPECT_EQ(test, sbt_crc(m, blk[i]), crc[i]);
	}
	SBT_VERIFY(test, m);

	/* unpinned, the same range succeeds */
	KUNIT_ASSERT_EQ(test, sb_block_unpin(pinned), 0);
	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, start, end,
						    SB_MIGRATE_MOVABLE,
						    GFP_KERNEL, NULL), 0);
	KUNIT_EXPECT_EQ(test, sbt_crc(m, pinned), crc[NBLK / 2]);
	KUNIT_EXPECT_EQ(test, sb_free_contig_range(m, start, end - start), 0UL);
	sb_owner_release(&o);
	SBT_VERIFY(test, m);
}

static int sbt_reclaims;

static void sbt_reclaimed(struct sb_block *blk)
{
	sbt_reclaims++;
}

static const struct sb_owner_ops sbt_reclaim_ops = {
	.reclaimed = sbt_reclaimed,
};

/* reclaimable blocks (clean page cache) in the range are reclaimed */
static void sb_contig_reclaims_page_cache(struct kunit *test)
{
	struct sb_machine *m = sbt_contig_machine(test, "Normal=4M", NULL);
	unsigned long start, end, dropped = 0;
	struct sb_block *blk[NBLK];
	struct sb_owner o;
	unsigned int i;

	sbt_reclaims = 0;
	sb_owner_init(&o, m, &sbt_reclaim_ops, "t");
	for (i = 0; i < NBLK; i++) {
		blk[i] = sb_owner_alloc(&o, GFP_KERNEL | __GFP_RECLAIMABLE, 0,
					NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(blk[i]));
	}
	start = sb_pageblock_start_pfn(m, sbt_blk_pfn(m, blk[NBLK / 2]));
	end = start + PB;
	for (i = 0; i < NBLK; i++)
		dropped += sbt_overlaps(m, blk[i], start, end);
	KUNIT_ASSERT_GT(test, dropped, 0UL);

	KUNIT_ASSERT_EQ(test, sb_alloc_contig_range(m, start, end,
						    SB_MIGRATE_MOVABLE,
						    GFP_KERNEL, NULL), 0);
	sbt_expect_taken(test, m, start, end);
	KUNIT_EXPECT_EQ(test, (unsigned long)sbt_reclaims, dropped);
	KUNIT_EXPECT_EQ(test, o.nr_pages, NBLK - dropped);
	for (i = 0; i < NBLK; i++)
		KUNIT_EXPECT_EQ(test, !blk[i]->page,
				!!(blk[i]->flags & SB_BLK_RECLAIMED));
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PGMIGRATE_SUCCESS), 0UL);
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sb_free_contig_range(m, start, end - start), 0UL);
	sb_owner_release(&o);
	SBT_VERIFY(test, m);
}

/* pages on the Isolate lists of a zone */
static unsigned long sbt_isolate_listed(struct sb_zone *zone)
{
	unsigned long n = 0, flags;
	struct sb_page *page;
	int order;

	spin_lock_irqsave(&zone->lock, flags);
	for (order = 0; order < SB_MAX_ORDER; order++)
		list_for_each_entry(page,
				    &zone->free_area[order].free_list[SB_MIGRATE_ISOLATE],
				    buddy_list)
			n += 1UL << order;
	spin_unlock_irqrestore(&zone->lock, flags);
	return n;
}

/* free pages of isolated pageblocks are not free; undo counts them again */
static void sb_contig_isolation_rules(struct kunit *test)
{
	struct sb_machine *m = sbt_contig_machine(test, "Normal=4M", NULL);
	struct sb_zone *zone = sbt_zone(m, 0, SB_ZONE_NORMAL);
	unsigned long start, failed = 0, pfn;
	struct sbt_snap before, now;
	struct sb_page *page;
	unsigned long i;

	/*
	 * The first pageblock holds the head of the free order-10 block: it
	 * moves to the Isolate lists whole, is split at the pageblock's end,
	 * and only the pageblock's own pages stop counting.
	 */
	sbt_snapshot(m, &before);
	KUNIT_ASSERT_EQ(test, sb_start_isolate_page_range(m, SBT_BASE_PFN,
							  SBT_BASE_PFN + PB,
							  SB_MIGRATE_MOVABLE,
							  NULL), 0);
	sbt_snapshot(m, &now);
	KUNIT_EXPECT_EQ(test, now.free, before.free - PB);
	KUNIT_EXPECT_EQ(test, sbt_isolate_listed(zone), PB);
	SBT_VERIFY(test, m);
	sb_undo_isolate_page_range(m, SBT_BASE_PFN, SBT_BASE_PFN + PB,
				   SB_MIGRATE_MOVABLE);
	sbt_snapshot(m, &now);
	KUNIT_EXPECT_EQ(test, now.free, before.free);
	KUNIT_EXPECT_EQ(test, sbt_isolate_listed(zone), 0UL);
	/* and merges back into one order-10 block */
	KUNIT_EXPECT_EQ(test, zone->free_area[SB_MAX_ORDER - 1].nr_free, 1UL);
	SBT_VERIFY(test, m);

	/* one pageblock inside a free order-10 block: the block is split */
	start = SBT_BASE_PFN + 5 * PB;
	sbt_snapshot(m, &before);
	KUNIT_ASSERT_EQ(test, sb_start_isolate_page_range(m, start, start + PB,
							  SB_MIGRATE_MOVABLE,
							  &failed), 0);
	sbt_snapshot(m, &now);
	KUNIT_EXPECT_EQ(test, now.free, before.free - PB);
	KUNIT_EXPECT_EQ(test, sbt_isolate_listed(zone), PB);
	KUNIT_EXPECT_EQ(test, now.mt[5], (u8)SB_MIGRATE_ISOLATE);
	KUNIT_EXPECT_EQ(test, sb_test_pages_isolated(m, start, start + PB,
						     NULL), 0);
	/* a range reaching past it is not isolated */
	KUNIT_EXPECT_EQ(test, sb_test_pages_isolated(m, start, start + PB + 1,
						     &failed), -EBUSY);
	KUNIT_EXPECT_EQ(test, failed, start + PB);
	SBT_VERIFY(test, m);

	/* no allocation takes a page of it */
	for (i = 0; i < NR; i++) {
		page = sb_alloc_pages(m, GFP_NOWAIT | __GFP_NOWARN, 0,
				      NUMA_NO_NODE, NULL);
		if (!page)
			break;
		pfn = sb_page_to_pfn(m, page);
		KUNIT_EXPECT_FALSE(test, pfn >= start && pfn < start + PB);
	}
	KUNIT_EXPECT_LT(test, i, NR - PB + 1);

	/* isolating it again is -EBUSY at its first pfn */
	KUNIT_EXPECT_EQ(test, sb_start_isolate_page_range(m, start, start + 1,
							  SB_MIGRATE_MOVABLE,
							  &failed), -EBUSY);
	KUNIT_EXPECT_EQ(test, failed, start);

	sb_undo_isolate_page_range(m, start, start + PB, SB_MIGRATE_MOVABLE);
	sbt_snapshot(m, &now);
	KUNIT_EXPECT_EQ(test, now.mt[5], (u8)SB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, sbt_isolate_listed(zone), 0UL);
	KUNIT_EXPECT_GE(test, now.free, PB);
	SBT_VERIFY(test, m);

	/* now its free pages are blocks of its own: they move, and count */
	before = now;
	KUNIT_ASSERT_EQ(test, sb_start_isolate_page_range(m, start, start + PB,
							  SB_MIGRATE_MOVABLE,
							  NULL), 0);
	sbt_snapshot(m, &now);
	KUNIT_EXPECT_EQ(test, now.free, before.free - PB);
	KUNIT_EXPECT_EQ(test, sbt_isolate_listed(zone), PB);
	SBT_VERIFY(test, m);
	sb_undo_isolate_page_range(m, start, start + PB, SB_MIGRATE_MOVABLE);
	sbt_snapshot(m, &now);
	KUNIT_EXPECT_EQ(test, now.free, before.free);
	SBT_VERIFY(test, m);
}

/* movable requests use CMA (the balance rule), unmovable ones never */
static void sb_contig_cma_placement(struct kunit *test)
{
	struct sb_machine *m = sbt_contig_machine(test, "Normal=4M", "3M");
	struct sb_page *page;
	unsigned long i, n = 0;
	LIST_HEAD(pages);

	KUNIT_ASSERT_EQ(test, m->cma.count, 768UL);
	/* 768 of 1024 free pages are CMA: more than half */
	page = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, sb_get_pageblock_migratetype(m, page),
			SB_MIGRATE_CMA);
	sb_free_pages(m, page, 0);

	for (i = 0; i < NR; i++) {
		page = sb_alloc_pages(m, GFP_NOWAIT | __GFP_NOWARN, 0,
				      NUMA_NO_NODE, NULL);
		if (!page)
			break;
		KUNIT_EXPECT_NE(test, sb_get_pageblock_migratetype(m, page),
				SB_MIGRATE_CMA);
		list_add(&page->buddy_list, &pages);
		n++;
	}
	/* unmovable requests ran out with CMA still free */
	KUNIT_EXPECT_LE(test, n, NR - m->cma.count);
	KUNIT_EXPECT_GT(test, sb_zone_page_state_snapshot(sbt_zone(m, 0, SB_ZONE_NORMAL),
							  SB_NR_FREE_CMA_PAGES),
			m->cma.count / 2);
	/* yet movable ones still succeed, from CMA */
	page = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, sb_get_pageblock_migratetype(m, page),
			SB_MIGRATE_CMA);
	sb_free_pages(m, page, 0);
	sb_free_pages_list(m, &pages);
	SBT_VERIFY(test, m);
}

/* cma_alloc() migrates the movable blocks out of the range it takes */
static void sb_contig_cma_alloc(struct kunit *test)
{
	struct sb_machine *m = sbt_contig_machine(test, "Normal=4M", "3M");
	struct sb_block *blk[NBLK], *pinned;
	unsigned long pfn, failed = 0, in_cma = 0, cmaend;
	struct sb_page *page;
	struct sbt_snap before;
	struct sb_owner o;
	u32 crc[NBLK];
	unsigned int i, pi;

	cmaend = m->cma.base_pfn + m->cma.count;
	sb_owner_init(&o, m, NULL, "t");
	for (i = 0; i < NBLK; i++) {
		blk[i] = sb_owner_alloc(&o, GFP_HIGHUSER_MOVABLE, i % 2, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(blk[i]));
		sbt_fill(m, blk[i], i);
		crc[i] = sbt_crc(m, blk[i]);
		pfn = sbt_blk_pfn(m, blk[i]);
		in_cma += pfn >= m->cma.base_pfn && pfn < cmaend;
	}
	KUNIT_EXPECT_EQ(test, in_cma, (unsigned long)NBLK);

	/* 64 pages aligned to 64: the first such range holds movable blocks */
	page = sb_cma_alloc(m, 64, 6, false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(page));
	pfn = sb_page_to_pfn(m, page);
	KUNIT_EXPECT_EQ(test, pfn, ALIGN(m->cma.base_pfn, 64));
	sbt_expect_taken(test, m, pfn, pfn + 64);
	for (i = 0; i < NBLK; i++) {
		KUNIT_EXPECT_FALSE(test, sbt_overlaps(m, blk[i], pfn, pfn + 64));
		KUNIT_EXPECT_EQ_MSG(test, sbt_crc(m, blk[i]), crc[i],
				    "block %u", i);
	}
	KUNIT_EXPECT_GT(test, sb_vm_event(m, SB_PGMIGRATE_SUCCESS), 0UL);
	KUNIT_EXPECT_EQ(test, m->cma.nr_alloc_pages, 64UL);
	SBT_VERIFY(test, m);
	/* the range is the bitmap's: releasing outside it is refused */
	KUNIT_EXPECT_FALSE(test, sb_cma_release(m, sbt_page(m, 0), 1));
	KUNIT_EXPECT_TRUE(test, sb_cma_release(m, page, 64));
	SBT_VERIFY(test, m);

	/* a pinned block in a CMA range: -EBUSY at it, the types stay CMA */
	pi = 0;
	pinned = blk[pi];
	KUNIT_ASSERT_EQ(test, pinned->order, 0U);
	KUNIT_ASSERT_EQ(test, sb_block_pin(pinned), 0);
	pfn = sb_pageblock_start_pfn(m, sbt_blk_pfn(m, pinned));
	sbt_snapshot(m, &before);
	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, pfn, pfn + PB,
						    SB_MIGRATE_CMA, GFP_KERNEL,
						    &failed), -EBUSY);
	KUNIT_EXPECT_EQ(test, failed, sbt_blk_pfn(m, pinned));
	KUNIT_EXPECT_EQ(test, sb_get_pfnblock_migratetype(m, pfn),
			SB_MIGRATE_CMA);
	KUNIT_EXPECT_EQ(test, sbt_crc(m, pinned), crc[pi]);
	SBT_VERIFY(test, m);
	sb_block_unpin(pinned);
	sb_owner_release(&o);
	sbt_snapshot(m, &before);
	KUNIT_EXPECT_EQ(test, before.free, NR);
	KUNIT_EXPECT_EQ(test, before.free_cma, m->cma.count);
	SBT_VERIFY(test, m);
}

/* bad ranges are -EINVAL and change nothing */
static void sb_contig_bad_ranges(struct kunit *test)
{
	struct sb_machine *m = sbt_contig_machine(test, "DMA32=2M,Normal=2M",
						  "1M");
	unsigned long base = SBT_BASE_PFN;
	struct sbt_snap before;
	struct sb_owner o;

	sb_owner_init(&o, m, NULL, "t");
	sbt_snapshot(m, &before);
	/* empty, reversed, outside the machine, across two zones */
	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, base + 8, base + 8,
						    SB_MIGRATE_MOVABLE,
						    GFP_KERNEL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, base + 9, base + 8,
						    SB_MIGRATE_MOVABLE,
						    GFP_KERNEL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, base - 16, base + 16,
						    SB_MIGRATE_MOVABLE,
						    GFP_KERNEL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, base + NR - 16,
						    base + NR + 16,
						    SB_MIGRATE_MOVABLE,
						    GFP_KERNEL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, base + NR / 2 - 16,
						    base + NR / 2 + 16,
						    SB_MIGRATE_MOVABLE,
						    GFP_KERNEL, NULL), -EINVAL);
	/* CMA outside the CMA area, and types that are neither */
	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, base, base + 16,
						    SB_MIGRATE_CMA,
						    GFP_KERNEL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_alloc_contig_range(m, base, base + 16,
						    SB_MIGRATE_UNMOVABLE,
						    GFP_KERNEL, NULL), -EINVAL);
	/* orders, nodes, counts */
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_owner_alloc_contig(&o, base, SB_MAX_ORDER,
							    NUMA_NO_NODE, NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_owner_alloc_contig(&o, ULONG_MAX, 2, 1,
							    NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_owner_alloc_contig(&o, ULONG_MAX - 1, 2,
							    NUMA_NO_NODE, NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_cma_alloc(m, 0, 0, true)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_cma_alloc(m, m->cma.count + 1, 0, true)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_cma_alloc(m, 1, SB_MAX_ORDER, true)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, o.nr_pages, 0UL);
	sbt_expect_same(test, m, &before);
	SBT_VERIFY(test, m);
	sb_owner_release(&o);
}

/* a machine without a CMA area has no cma_alloc() */
static void sb_contig_no_cma(struct kunit *test)
{
	struct sb_machine *m = sbt_contig_machine(test, "Normal=4M", NULL);

	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_cma_alloc(m, 1, 0, true)), -ENODEV);
	SBT_VERIFY(test, m);
}

/* alloc_contig_pages() finds an aligned range; owners free it all */
static void sb_contig_pages_and_owners(struct kunit *test)
{
	struct sb_machine *m = sbt_contig_machine(test, "Normal=4M", "1M");
	struct sb_block *unmov[8], *c, *cma;
	unsigned long pfn, i;
	struct sb_owner o;

	sb_owner_init(&o, m, NULL, "t");
	/* unmovable blocks in the first pageblocks: the search skips them */
	for (i = 0; i < ARRAY_SIZE(unmov); i++) {
		unmov[i] = sb_owner_alloc(&o, GFP_KERNEL, 2, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(unmov[i]));
	}
	c = sb_owner_alloc_contig(&o, ULONG_MAX, 6, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	pfn = sbt_blk_pfn(m, c);
	KUNIT_EXPECT_EQ(test, pfn % 64, 0UL);
	sbt_expect_taken(test, m, pfn, pfn + 64);
	for (i = 0; i < ARRAY_SIZE(unmov); i++)
		KUNIT_EXPECT_FALSE(test, sbt_overlaps(m, unmov[i], pfn, pfn + 64));
	KUNIT_EXPECT_TRUE(test, c->flags & SB_BLK_CONTIG);
	/* it does not migrate */
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_isolate_block(m, c->page,
						       SB_MIGRATE_SYNC)),
			-EINVAL);

	cma = sb_owner_cma_alloc(&o, 3, 3);
	KUNIT_ASSERT_FALSE(test, IS_ERR(cma));
	pfn = sbt_blk_pfn(m, cma);
	KUNIT_EXPECT_GE(test, pfn, m->cma.base_pfn);
	KUNIT_EXPECT_LT(test, pfn, m->cma.base_pfn + m->cma.count);
	KUNIT_EXPECT_EQ(test, o.nr_pages, 8 * 4 + 64 + 8UL);
	SBT_VERIFY(test, m);

	/* a given range over the owner's own contiguous block is busy */
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_owner_alloc_contig(&o, sbt_blk_pfn(m, c),
							    2, NUMA_NO_NODE,
							    &pfn)), -EBUSY);
	KUNIT_EXPECT_EQ(test, pfn, sbt_blk_pfn(m, c));

	KUNIT_EXPECT_EQ(test, sb_owner_free(&o, cma), 0);
	KUNIT_EXPECT_EQ(test, bitmap_weight(m->cma.bitmap, m->cma.count), 0U);
	sb_owner_release(&o);
	sb_drain_all_pages(m, NULL);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(sbt_zone(m, 0, SB_ZONE_NORMAL),
							  SB_NR_FREE_PAGES), NR);
	SBT_VERIFY(test, m);
}

static struct kunit_case sb_contig_cases[] = {
	KUNIT_CASE(sb_contig_migrates_movable),
	KUNIT_CASE(sb_contig_pinned_ebusy),
	KUNIT_CASE(sb_contig_reclaims_page_cache),
	KUNIT_CASE(sb_contig_isolation_rules),
	KUNIT_CASE(sb_contig_cma_placement),
	KUNIT_CASE(sb_contig_cma_alloc),
	KUNIT_CASE(sb_contig_bad_ranges),
	KUNIT_CASE(sb_contig_no_cma),
	KUNIT_CASE(sb_contig_pages_and_owners),
	{}
};

static struct kunit_suite sb_contig_suite = {
	.name = "sbuddy-contig",
	.exit = sbt_exit,
	.test_cases = sb_contig_cases,
};

kunit_test_suite(sb_contig_suite);
