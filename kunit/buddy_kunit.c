// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sbuddy's buddy core: expand() and __free_one_page()
 * shapes, the fallbacks[] order, pageblock stealing, the highatomic
 * reserve, __free_pages()/compound/__GFP_ZERO semantics and refusals.
 *
 * Most tests use a 4 MiB single-zone machine (1024 pages, one order-10
 * block) with 16-page pageblocks (order 4), so mobility grouping is on
 * (1024 > 16 * MIGRATE_TYPES) and pageblock effects show at small scale.
 */
#include "sb_kunit.h"

#define NR	1024UL

/* the buddy lists alone: boot pagesets pass every block through */
static struct sb_machine *sbt_small(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test, "Normal=4M", NR, 4);

	sbt_boot_pagesets(m);
	return m;
}

static unsigned long sbt_nr_free(struct sb_machine *m, int order)
{
	return sbt_zone(m, 0, SB_ZONE_NORMAL)->free_area[order].nr_free;
}

/* expand(): an order-0 request splits the order-10 block into 0..9 */
static void sb_split_shape(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	struct sb_page *page;
	int order;

	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 1UL);
	page = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, page), 0UL);
	KUNIT_EXPECT_EQ(test, sb_page_count(page), 1);
	for (order = 0; order < 10; order++) {
		struct sb_page *blk = sbt_page(m, 1UL << order);

		KUNIT_EXPECT_EQ(test, sbt_nr_free(m, order), 1UL);
		/* the upper half of each split, on the movable list */
		KUNIT_EXPECT_EQ(test, blk->flags, (u32)SB_PG_BUDDY);
		KUNIT_EXPECT_EQ(test, (int)blk->order, order);
		KUNIT_EXPECT_PTR_EQ(test, sb_get_page_from_free_area(&z->free_area[order],
								     SB_MIGRATE_MOVABLE),
				    blk);
	}
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 0UL);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(z, SB_NR_FREE_PAGES), NR - 1);
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	SBT_VERIFY(test, m);
}

/* __free_one_page(): freeing in any order merges back to one block */
static void sb_merge_back(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_page *p[8];
	int i, order;

	for (i = 0; i < 8; i++) {
		p[i] = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, i % 3,
				      NUMA_NO_NODE, NULL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	SBT_VERIFY(test, m);
	for (i = 7; i >= 0; i -= 2)
		KUNIT_EXPECT_EQ(test, sb_free_pages(m, p[i], i % 3), 0);
	SBT_VERIFY(test, m);
	for (i = 0; i < 8; i += 2)
		KUNIT_EXPECT_EQ(test, sb_free_pages(m, p[i], i % 3), 0);
	for (order = 0; order < 10; order++)
		KUNIT_EXPECT_EQ(test, sbt_nr_free(m, order), 0UL);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 1UL);
	KUNIT_EXPECT_EQ(test,
			sb_zone_page_state_snapshot(sbt_zone(m, 0, SB_ZONE_NORMAL),
						    SB_NR_FREE_PAGES), NR);
	SBT_VERIFY(test, m);
}

/* fallbacks[] of 6.1 through find_suitable_fallback() */
static void sb_fallback_order(struct kunit *test)
{
	static const int expect[3][2] = {
		[SB_MIGRATE_UNMOVABLE] = { SB_MIGRATE_RECLAIMABLE, SB_MIGRATE_MOVABLE },
		[SB_MIGRATE_MOVABLE] = { SB_MIGRATE_RECLAIMABLE, SB_MIGRATE_UNMOVABLE },
		[SB_MIGRATE_RECLAIMABLE] = { SB_MIGRATE_UNMOVABLE, SB_MIGRATE_MOVABLE },
	};
	struct sb_machine *m = sbt_small(test);
	struct sb_page dummy[SB_MIGRATE_TYPES];
	struct sb_free_area area;
	bool can_steal;
	int mt, t;

	for (mt = 0; mt < SB_MIGRATE_PCPTYPES; mt++) {
		for (t = 0; t < SB_MIGRATE_TYPES; t++) {
			INIT_LIST_HEAD(&area.free_list[t]);
			list_add(&dummy[t].buddy_list, &area.free_list[t]);
		}
		area.nr_free = SB_MIGRATE_TYPES;
		/* all lists full: the first fallback; never HighAtomic/CMA */
		KUNIT_EXPECT_EQ(test, sb_find_suitable_fallback(m, &area, 0, mt,
								false, &can_steal),
				expect[mt][0]);
		list_del(&dummy[expect[mt][0]].buddy_list);
		KUNIT_EXPECT_EQ(test, sb_find_suitable_fallback(m, &area, 0, mt,
								false, &can_steal),
				expect[mt][1]);
		list_del(&dummy[expect[mt][1]].buddy_list);
		KUNIT_EXPECT_EQ(test, sb_find_suitable_fallback(m, &area, 0, mt,
								false, &can_steal), -1);
	}
	/* a small movable request may not steal a whole block */
	KUNIT_EXPECT_FALSE(test, sb_can_steal_fallback(m, 1, SB_MIGRATE_MOVABLE));
	KUNIT_EXPECT_TRUE(test, sb_can_steal_fallback(m, 2, SB_MIGRATE_MOVABLE));
	KUNIT_EXPECT_TRUE(test, sb_can_steal_fallback(m, 0, SB_MIGRATE_UNMOVABLE));

	/* on a fresh machine an unmovable request steals the movable block */
	KUNIT_ASSERT_NOT_NULL(test, sb_alloc_pages(m, GFP_KERNEL, 0,
						   NUMA_NO_NODE, NULL));
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_EXTFRAG), 1UL);
	KUNIT_EXPECT_EQ(test, sb_get_pfnblock_migratetype(m, SBT_BASE_PFN),
			SB_MIGRATE_UNMOVABLE);
	SBT_VERIFY(test, m);
}

/* fill the machine with movable order-0 pages; watermarks at zero */
static struct sb_page **sbt_fill_movable(struct kunit *test,
					 struct sb_machine *m)
{
	struct sb_page **pages = kunit_kcalloc(test, NR, sizeof(*pages),
					       GFP_KERNEL);
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_EQ(test, sb_set_min_free_kbytes(m, 0), 0);
	/* the watermark change resized the pagesets: back to boot ones */
	sbt_boot_pagesets(m);
	for (i = 0; i < NR; i++) {
		pages[i] = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE | __GFP_NOWARN,
					  0, NUMA_NO_NODE, NULL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		KUNIT_ASSERT_EQ(test, sbt_pfn(m, pages[i]), i);
	}
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE |
					       __GFP_NOWARN, 0, NUMA_NO_NODE,
					       NULL));
	return pages;
}

static void sbt_free_all(struct kunit *test, struct sb_machine *m,
			 struct sb_page **pages)
{
	unsigned long i;

	for (i = 0; i < NR; i++)
		if (pages[i] && (pages[i]->flags & SB_PG_ALLOC))
			KUNIT_EXPECT_EQ(test, sb_free_pages(m, pages[i], 0), 0);
}

/*
 * steal_suitable_fallback(): 10 of a block's 16 pages free (>= half):
 * the unmovable request claims the pageblock and boosts the watermark.
 */
static void sb_steal_whole_block(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_page **pages = sbt_fill_movable(test, m);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	struct sb_page *page;
	unsigned long i;

	for (i = 16; i < 26; i++) {
		KUNIT_EXPECT_EQ(test, sb_free_pages(m, pages[i], 0), 0);
		pages[i] = NULL;
	}
	/* 16..23 merged to order 3, 24..25 to order 1 */
	KUNIT_EXPECT_EQ(test, sbt_page(m, 16)->order, 3);
	KUNIT_EXPECT_EQ(test, sbt_page(m, 24)->order, 1);
	page = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* all free pages moved to Unmovable; the smallest (order 1) split */
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, page), 24UL);
	KUNIT_EXPECT_EQ(test, sb_get_pfnblock_migratetype(m, SBT_BASE_PFN + 16),
			SB_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_STEAL_BLOCK), 1UL);
	KUNIT_EXPECT_FALSE(test, sb_free_area_empty(&z->free_area[3],
						    SB_MIGRATE_UNMOVABLE));
	/* boost_watermark(): max(pageblock, high * 150%) = 16 pages */
	KUNIT_EXPECT_EQ(test, z->watermark_boost, 16UL);
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	sbt_free_all(test, m, pages);
	/* Unmovable and Movable blocks are mergeable types: one block */
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 1UL);
	SBT_VERIFY(test, m);
}

/* 4 free pages and 12 movable ones: no claim, the block stays movable */
static void sb_steal_single(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_page **pages = sbt_fill_movable(test, m);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	struct sb_page *page;
	unsigned long i;

	for (i = 32; i < 36; i++) {
		KUNIT_EXPECT_EQ(test, sb_free_pages(m, pages[i], 0), 0);
		pages[i] = NULL;
	}
	page = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, page), 32UL);
	KUNIT_EXPECT_EQ(test, sb_get_pfnblock_migratetype(m, SBT_BASE_PFN + 32),
			SB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_STEAL_BLOCK), 0UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_EXTFRAG_FRAGMENTING), 1UL);
	/* the rest of the split sits on the unmovable lists */
	KUNIT_EXPECT_PTR_EQ(test, sb_get_page_from_free_area(&z->free_area[0],
							     SB_MIGRATE_UNMOVABLE),
			    sbt_page(m, 33));
	KUNIT_EXPECT_PTR_EQ(test, sb_get_page_from_free_area(&z->free_area[1],
							     SB_MIGRATE_UNMOVABLE),
			    sbt_page(m, 34));
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	sbt_free_all(test, m, pages);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 1UL);
	SBT_VERIFY(test, m);
}

/*
 * reserve_highatomic_pageblock(): a high-order GFP_ATOMIC request that
 * needs the slow path reserves its pageblock; a GFP_KERNEL request about
 * to fail gets it back (unreserve_highatomic_pageblock).
 */
static void sb_highatomic(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	struct sb_page *atomic, *page;
	unsigned long n = 0;
	LIST_HEAD(list);

	/*
	 * min 1024 pages, low 1280: the fast path always fails, and so does
	 * GFP_NOWAIT at min; GFP_ATOMIC may go down to 1024/2 - 512/4 = 384.
	 */
	KUNIT_ASSERT_EQ(test, sb_set_min_free_kbytes(m, 4096), 0);
	KUNIT_EXPECT_EQ(test, z->_watermark[SB_WMARK_LOW], 1280UL);
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_NOWAIT | __GFP_NOWARN,
					       1, NUMA_NO_NODE, NULL));
	atomic = sb_alloc_pages(m, GFP_ATOMIC, 1, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, atomic);
	KUNIT_EXPECT_EQ(test, sb_get_pfnblock_migratetype(m, SBT_BASE_PFN),
			SB_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_EQ(test, z->nr_reserved_highatomic, 16UL);
	KUNIT_EXPECT_FALSE(test, sb_free_area_empty(&z->free_area[3],
						    SB_MIGRATE_HIGHATOMIC));
	SBT_VERIFY(test, m);

	/* ordinary requests use everything else, then the reserve */
	KUNIT_ASSERT_EQ(test, sb_set_min_free_kbytes(m, 0), 0);
	while ((page = sb_alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 0,
				      NUMA_NO_NODE, NULL))) {
		list_add(&page->buddy_list, &list);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, NR - 2);
	KUNIT_EXPECT_EQ(test, z->nr_reserved_highatomic, 0UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_HIGHATOMIC_UNRESERVE), 1UL);
	KUNIT_EXPECT_EQ(test, sb_get_pfnblock_migratetype(m, SBT_BASE_PFN),
			SB_MIGRATE_UNMOVABLE);
	SBT_VERIFY(test, m);
	while (!list_empty(&list)) {
		page = list_first_entry(&list, struct sb_page, buddy_list);
		list_del_init(&page->buddy_list);
		KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	}
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, atomic, 1), 0);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 1UL);
	SBT_VERIFY(test, m);
}

/* __free_pages() with a reference left on a non-compound order-3 block */
static void sb_free_pages_extra_ref(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_page *page;

	page = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 3, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, page), 0UL);
	KUNIT_EXPECT_EQ(test, sb_get_page(m, page), 0);
	KUNIT_EXPECT_EQ(test, sb_page_count(page), 2);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 3), 0);
	/* page 0 stays; 4..7 (order 2), 2..3 (order 1), 1 (order 0) freed */
	KUNIT_EXPECT_EQ(test, sb_page_count(page), 1);
	KUNIT_EXPECT_EQ(test, sbt_page(m, 4)->flags, (u32)SB_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, sbt_page(m, 4)->order, 2);
	KUNIT_EXPECT_EQ(test, sbt_page(m, 2)->flags, (u32)SB_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, sbt_page(m, 2)->order, 1);
	KUNIT_EXPECT_EQ(test, sbt_page(m, 1)->flags, (u32)SB_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, sbt_page(m, 1)->order, 0);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 0), 1UL);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 1), 1UL);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 2), 1UL);
	SBT_VERIFY(test, m);
	/* what is left is an order-0 page: freeing it at order 3 is refused */
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_put_page(m, page), 0);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 1UL);
	SBT_VERIFY(test, m);
}

/* prep_compound_page(): head and tails; references live on the head */
static void sb_compound(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_page *page;
	int i;

	page = sb_alloc_pages(m, GFP_KERNEL | __GFP_COMP, 2, NUMA_NO_NODE,
			      NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_TRUE(test, page->flags & SB_PG_HEAD);
	KUNIT_EXPECT_EQ(test, sb_compound_order(page), 2U);
	for (i = 1; i < 4; i++) {
		KUNIT_EXPECT_TRUE(test, page[i].flags & SB_PG_TAIL);
		KUNIT_EXPECT_PTR_EQ(test, sb_compound_head(m, &page[i]), page);
		KUNIT_EXPECT_EQ(test, sb_page_count(&page[i]), 0);
	}
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sb_get_page(m, &page[3]), 0);
	KUNIT_EXPECT_EQ(test, sb_page_count(page), 2);
	/* a compound page is freed whole by its last put_page() */
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 2), 0);
	KUNIT_EXPECT_TRUE(test, page->flags & SB_PG_HEAD);
	KUNIT_EXPECT_EQ(test, sb_put_page(m, &page[2]), 0);
	KUNIT_EXPECT_FALSE(test, page[1].flags & SB_PG_TAIL);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 1UL);
	SBT_VERIFY(test, m);
}

/* __GFP_ZERO clears the real memory; without it the old bytes stay */
static void sb_gfp_zero(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_page *page;
	u8 *mem;
	size_t i, bad = 0;

	page = sb_alloc_pages(m, GFP_KERNEL, 1, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	mem = sb_page_address(m, page);
	memset(mem, 0xaa, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 1), 0);

	page = sb_alloc_pages(m, GFP_KERNEL, 1, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_PTR_EQ(test, (u8 *)sb_page_address(m, page), mem);
	KUNIT_EXPECT_EQ(test, mem[PAGE_SIZE + 7], 0xaa);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 1), 0);

	page = sb_alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 1, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_PTR_EQ(test, (u8 *)sb_page_address(m, page), mem);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		bad += mem[i] != 0;
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 1), 0);
	SBT_VERIFY(test, m);
}

/* check_new_page(): a corrupt free page is dropped and the next used */
static void sb_bad_new_page(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_page *first, *page;

	first = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, first);
	/* the order-0 buddy at 1 is next; give it a stray reference */
	atomic_set(&sbt_page(m, 1)->_refcount, 5);
	page = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, page), 2UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_BAD_PAGE), 1UL);
	KUNIT_EXPECT_TRUE(test, sbt_page(m, 1)->flags & SB_PG_LEAKED);
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, first, 0), 0);
	SBT_VERIFY(test, m);
}

/* split_page() and alloc_pages_bulk() */
static void sb_split_and_bulk(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_page *arr[10] = { };
	struct sb_page *page;
	unsigned long n;
	int i;

	page = sb_alloc_pages(m, GFP_KERNEL, 2, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, sb_split_page(m, page, 2), 0);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, sb_page_count(&page[i]), 1);
	SBT_VERIFY(test, m);
	for (i = 3; i >= 0; i--)
		KUNIT_EXPECT_EQ(test, sb_free_pages(m, &page[i], 0), 0);

	n = sb_alloc_pages_bulk(m, GFP_KERNEL, NUMA_NO_NODE, NULL, 10, NULL,
				arr);
	KUNIT_EXPECT_EQ(test, n, 10UL);
	for (i = 0; i < 10; i++) {
		KUNIT_ASSERT_NOT_NULL(test, arr[i]);
		KUNIT_EXPECT_EQ(test, sb_page_count(arr[i]), 1);
		if (i)
			KUNIT_EXPECT_PTR_NE(test, arr[i], arr[i - 1]);
	}
	SBT_VERIFY(test, m);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, sb_free_pages(m, arr[i], 0), 0);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 1UL);
	SBT_VERIFY(test, m);
}

/* refused requests and frees change nothing */
static void sb_bad_input(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	unsigned long none = 0, ghost = BIT(5), before;
	struct sb_page *page, *other;

	page = sb_alloc_pages(m, GFP_KERNEL, 2, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	before = sb_zone_page_state_snapshot(z, SB_NR_FREE_PAGES);

	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL, 11,
					       NUMA_NO_NODE, NULL));
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL, 0,
					       NUMA_NO_NODE, &none));
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL, 0,
					       NUMA_NO_NODE, &ghost));
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL, 0, 3, NULL));
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL | __GFP_DMA |
					       __GFP_DMA32, 0, NUMA_NO_NODE,
					       NULL));
	KUNIT_EXPECT_EQ(test, sb_alloc_check_args(m, GFP_KERNEL, 11, 0, NULL),
			-EINVAL);

	/* wrong order, a free page, a tail, a page of no machine, twice */
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, sbt_page(m, 512), 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, &page[1], 0), -EINVAL);
	other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, other);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, other, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_put_page(m, sbt_page(m, 512)), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_split_page(m, page, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(z, SB_NR_FREE_PAGES), before);
	SBT_VERIFY(test, m);

	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 2), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, sbt_nr_free(m, 10), 1UL);
	SBT_VERIFY(test, m);
}

/* sb_verify() notices a broken machine (so a clean verify means much) */
static void sb_verify_catches(struct kunit *test)
{
	struct sb_machine *m = sbt_small(test);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	char buf[128];

	z->free_area[3].nr_free++;
	KUNIT_EXPECT_EQ(test, sb_verify(m, buf, sizeof(buf)), -EUCLEAN);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "nr_free"));
	z->free_area[3].nr_free--;
	sbt_page(m, 17)->flags = SB_PG_ALLOC;
	KUNIT_EXPECT_EQ(test, sb_verify(m, buf, sizeof(buf)), -EUCLEAN);
	sbt_page(m, 17)->flags = 0;
	SBT_VERIFY(test, m);
}

static struct kunit_case sb_buddy_cases[] = {
	KUNIT_CASE(sb_split_shape),
	KUNIT_CASE(sb_merge_back),
	KUNIT_CASE(sb_fallback_order),
	KUNIT_CASE(sb_steal_whole_block),
	KUNIT_CASE(sb_steal_single),
	KUNIT_CASE(sb_highatomic),
	KUNIT_CASE(sb_free_pages_extra_ref),
	KUNIT_CASE(sb_compound),
	KUNIT_CASE(sb_gfp_zero),
	KUNIT_CASE(sb_bad_new_page),
	KUNIT_CASE(sb_split_and_bulk),
	KUNIT_CASE(sb_bad_input),
	KUNIT_CASE(sb_verify_catches),
	{}
};

static struct kunit_suite sb_buddy_suite = {
	.name = "sbuddy-buddy",
	.exit = sbt_exit,
	.test_cases = sb_buddy_cases,
};

kunit_test_suite(sb_buddy_suite);
