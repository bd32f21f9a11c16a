// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sbuddy's fragmentation indices (mm/vmstat.c's
 * fill_contig_page_info, __fragmentation_index, unusable_free_index)
 * and pagetypeinfo's "Number of mixed blocks" (page_owner's rule).
 */
#include <linux/seq_file.h>

#include "sb_kunit.h"

/* Normal 16M, pageblock order 9: four free order-10 blocks */
static struct sb_machine *sbt_views_machine(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test, "Normal=16M", 4096, 9);

	sbt_boot_pagesets(m);
	return m;
}

/* worked examples of the two formulas */
static void sb_frag_formulas(struct kunit *test)
{
	struct sb_contig_page_info info = {
		.free_pages = 1000, .free_blocks_total = 1000,
		.free_blocks_suitable = 0,
	};

	/* 1000 - (1000 + 1000 * 1000 / 8) / 1000 = 1000 - 126 */
	KUNIT_EXPECT_EQ(test, sb___fragmentation_index(3, &info), 874);
	/* a request that would succeed has no fragmentation index */
	info.free_blocks_suitable = 1;
	KUNIT_EXPECT_EQ(test, sb___fragmentation_index(3, &info), -1000);
	/* nothing free: the failure is lack of memory, index 0 */
	info.free_blocks_total = 0;
	KUNIT_EXPECT_EQ(test, sb___fragmentation_index(3, &info), 0);

	/* (1024 - 200 * 4) * 1000 / 1024 = 218 (.75 truncated) */
	info.free_pages = 1024;
	info.free_blocks_suitable = 200;
	KUNIT_EXPECT_EQ(test, sb_unusable_free_index(2, &info), 218);
	/* no free memory counts as all of it unusable */
	info.free_pages = 0;
	KUNIT_EXPECT_EQ(test, sb_unusable_free_index(2, &info), 1000);
}

/*
 * One order-0 page out of four order-10 blocks leaves 3 order-10 blocks
 * and one block of each order 0..9: 13 blocks, 4095 pages; 3 * 128 +
 * (1 + 2 + ... + 64) = 511 of them fit order 3.
 */
static void sb_frag_of_a_zone(struct kunit *test)
{
	struct sb_machine *m = sbt_views_machine(test);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	struct sb_contig_page_info info;
	struct sb_page *page;

	sb_fill_contig_page_info(z, 3, &info);
	KUNIT_EXPECT_EQ(test, info.free_pages, 4096UL);
	KUNIT_EXPECT_EQ(test, info.free_blocks_total, 4UL);
	KUNIT_EXPECT_EQ(test, info.free_blocks_suitable, 4UL * 128);

	page = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	sb_fill_contig_page_info(z, 3, &info);
	KUNIT_EXPECT_EQ(test, info.free_pages, 4095UL);
	KUNIT_EXPECT_EQ(test, info.free_blocks_total, 13UL);
	KUNIT_EXPECT_EQ(test, info.free_blocks_suitable, 511UL);
	/* (4095 - 511 * 8) * 1000 / 4095 = 1 */
	KUNIT_EXPECT_EQ(test, sb_unusable_free_index(3, &info), 1);
	KUNIT_EXPECT_EQ(test, sb_fragmentation_index(z, 3), -1000);
	/* order 10 still fits: 3 blocks; 1 page of 4095 is below it */
	KUNIT_EXPECT_EQ(test, sb_extfrag_for_order(z, 10),
			(4095U - 3 * 1024) * 100 / 4095);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);

	/* an order above 10 is refused, nothing written */
	info.free_pages = 7;
	KUNIT_EXPECT_EQ(test, sb_fill_contig_page_info(z, SB_MAX_ORDER, &info),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, info.free_pages, 7UL);
	KUNIT_EXPECT_EQ(test, sb_fragmentation_index(z, SB_MAX_ORDER), 0);
	KUNIT_EXPECT_EQ(test, sb_extfrag_for_order(z, SB_MAX_ORDER), 0U);
	SBT_VERIFY(test, m);
}

/* The counts of the "Number of mixed blocks" row of zone Normal. */
static void sbt_mixed_row(struct kunit *test, struct sb_machine *m,
			  unsigned long *count)
{
	struct seq_file s = { .size = 16384 };
	char *p;
	int mt;

	s.buf = kunit_kzalloc(test, s.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s.buf);
	KUNIT_ASSERT_EQ(test, sb_show_pagetypeinfo(&s, m), 0);
	KUNIT_ASSERT_LT(test, s.count, s.size);
	p = strstr(s.buf, "Number of mixed blocks ");
	KUNIT_ASSERT_NOT_NULL(test, p);
	p = strstr(p, "Node 0, zone   Normal ");
	KUNIT_ASSERT_NOT_NULL(test, p);
	p += strlen("Node 0, zone   Normal ");
	for (mt = 0; mt < SB_MIGRATE_TYPES; mt++) {
		int n, ret;

		ret = sscanf(p, "%lu%n", &count[mt], &n);
		KUNIT_ASSERT_EQ(test, ret, 1);
		p += n;
	}
}

/*
 * A pageblock is mixed when an allocation in it asked for another type
 * than the block's; free blocks never make it mixed, and a CMA block
 * counts as movable.
 */
static void sb_mixed_blocks(struct kunit *test)
{
	struct sb_machine *m = sbt_views_machine(test);
	unsigned long count[SB_MIGRATE_TYPES];
	struct sb_page *mov, *unmov;
	int mt;

	sbt_mixed_row(test, m, count);
	for (mt = 0; mt < SB_MIGRATE_TYPES; mt++)
		KUNIT_EXPECT_EQ(test, count[mt], 0UL);

	mov = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	unmov = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mov);
	KUNIT_ASSERT_NOT_NULL(test, unmov);
	/* each in a block of its own type: nothing mixed */
	sbt_mixed_row(test, m, count);
	for (mt = 0; mt < SB_MIGRATE_TYPES; mt++)
		KUNIT_EXPECT_EQ(test, count[mt], 0UL);

	/* a free block relabelled: still not mixed */
	sb_set_pageblock_migratetype(m, SBT_BASE_PFN + 3 * 512,
				     SB_MIGRATE_RECLAIMABLE);
	/* the movable page's block claimed by an unmovable steal */
	sb_set_pageblock_migratetype(m, sb_page_to_pfn(m, mov),
				     SB_MIGRATE_UNMOVABLE);
	sbt_mixed_row(test, m, count);
	KUNIT_EXPECT_EQ(test, count[SB_MIGRATE_UNMOVABLE], 1UL);
	KUNIT_EXPECT_EQ(test, count[SB_MIGRATE_RECLAIMABLE], 0UL);

	/* the unmovable page's block turned CMA counts as movable */
	sb_set_pageblock_migratetype(m, sb_page_to_pfn(m, unmov),
				     SB_MIGRATE_CMA);
	sbt_mixed_row(test, m, count);
	KUNIT_EXPECT_EQ(test, count[SB_MIGRATE_MOVABLE], 1UL);
	KUNIT_EXPECT_EQ(test, count[SB_MIGRATE_CMA], 0UL);

	sb_set_pageblock_migratetype(m, sb_page_to_pfn(m, unmov),
				     SB_MIGRATE_UNMOVABLE);
	sb_set_pageblock_migratetype(m, sb_page_to_pfn(m, mov),
				     SB_MIGRATE_MOVABLE);
	sb_set_pageblock_migratetype(m, SBT_BASE_PFN + 3 * 512,
				     SB_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, mov, 0), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, unmov, 0), 0);
	SBT_VERIFY(test, m);
}

static struct kunit_case sb_views_cases[] = {
	KUNIT_CASE(sb_frag_formulas),
	KUNIT_CASE(sb_frag_of_a_zone),
	KUNIT_CASE(sb_mixed_blocks),
	{}
};

static struct kunit_suite sb_views_suite = {
	.name = "sbuddy-views",
	.exit = sbt_exit,
	.test_cases = sb_views_cases,
};

kunit_test_suite(sb_views_suite);
