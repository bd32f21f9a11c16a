// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sbuddy's watermarks: __setup_per_zone_wmarks(),
 * setup_per_zone_lowmem_reserve(), calculate_min_free_kbytes(), the
 * sysctl setters and __zone_watermark_ok() edge cases, plus the CMA rules.
 */
#include "sb_kunit.h"

/*
 * 32 MiB: DMA 4M (1024 pages), DMA32 12M (3072), Normal 16M (4096).
 *
 * calculate_min_free_kbytes: lowmem = 8192 pages = 32768 KiB,
 * sqrt(32768 * 16) = 724 KiB -> pages_min = 724 >> 2 = 181.
 * min = 181 * managed / 8192: DMA 22, DMA32 67, Normal 90.
 * distance = max(min >> 2, managed * 10 / 10000):
 *   DMA max(5, 1) = 5 -> low 27, high 32
 *   DMA32 max(16, 3) = 16 -> low 83, high 99
 *   Normal max(22, 4) = 22 -> low 112, high 134
 * lowmem_reserve (ratios 256, 256, 32):
 *   DMA: DMA32 3072/256 = 12, Normal 7168/256 = 28, Movable 28
 *   DMA32: Normal 4096/256 = 16, Movable 16;  Normal: Movable 0
 */
static struct sb_machine *sbt_three_zones(struct kunit *test)
{
	return sbt_simple(test, "DMA=4M,DMA32=12M,Normal=16M", 8192, 9);
}

static void sb_wmark_defaults(struct kunit *test)
{
	struct sb_machine *m = sbt_three_zones(test);
	struct sb_zone *dma = sbt_zone(m, 0, SB_ZONE_DMA);
	struct sb_zone *dma32 = sbt_zone(m, 0, SB_ZONE_DMA32);
	struct sb_zone *normal = sbt_zone(m, 0, SB_ZONE_NORMAL);

	KUNIT_EXPECT_EQ(test, m->min_free_kbytes, 724);
	KUNIT_EXPECT_EQ(test, dma->_watermark[SB_WMARK_MIN], 22UL);
	KUNIT_EXPECT_EQ(test, dma->_watermark[SB_WMARK_LOW], 27UL);
	KUNIT_EXPECT_EQ(test, dma->_watermark[SB_WMARK_HIGH], 32UL);
	KUNIT_EXPECT_EQ(test, dma32->_watermark[SB_WMARK_MIN], 67UL);
	KUNIT_EXPECT_EQ(test, dma32->_watermark[SB_WMARK_LOW], 83UL);
	KUNIT_EXPECT_EQ(test, dma32->_watermark[SB_WMARK_HIGH], 99UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[SB_WMARK_MIN], 90UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[SB_WMARK_LOW], 112UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[SB_WMARK_HIGH], 134UL);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[SB_ZONE_DMA], 0L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[SB_ZONE_DMA32], 12L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[SB_ZONE_NORMAL], 28L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[SB_ZONE_MOVABLE], 28L);
	KUNIT_EXPECT_EQ(test, dma32->lowmem_reserve[SB_ZONE_NORMAL], 16L);
	KUNIT_EXPECT_EQ(test, normal->lowmem_reserve[SB_ZONE_MOVABLE], 0L);
	KUNIT_EXPECT_FALSE(test, m->page_group_by_mobility_disabled);
	SBT_VERIFY(test, m);
}

/*
 * min_free_kbytes 2048 -> pages_min 512: DMA 64, DMA32 192, Normal 256;
 * scale factor 1000 (10%): DMA distance max(16, 102) = 102 -> low 166,
 * high 268; Normal max(64, 409) = 409 -> low 665, high 1074.
 */
static void sb_wmark_setters(struct kunit *test)
{
	struct sb_machine *m = sbt_three_zones(test);
	struct sb_zone *dma = sbt_zone(m, 0, SB_ZONE_DMA);
	struct sb_zone *normal = sbt_zone(m, 0, SB_ZONE_NORMAL);
	int ratio[SB_MAX_NR_ZONES] = { 128, 0, 32, 0 };

	KUNIT_EXPECT_EQ(test, sb_set_min_free_kbytes(m, 2048), 0);
	KUNIT_EXPECT_EQ(test, sb_set_watermark_scale_factor(m, 1000), 0);
	KUNIT_EXPECT_EQ(test, dma->_watermark[SB_WMARK_MIN], 64UL);
	KUNIT_EXPECT_EQ(test, dma->_watermark[SB_WMARK_LOW], 166UL);
	KUNIT_EXPECT_EQ(test, dma->_watermark[SB_WMARK_HIGH], 268UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[SB_WMARK_MIN], 256UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[SB_WMARK_LOW], 665UL);
	KUNIT_EXPECT_EQ(test, normal->_watermark[SB_WMARK_HIGH], 1074UL);

	/* out of the sysctl ranges: refused, nothing changes */
	KUNIT_EXPECT_EQ(test, sb_set_min_free_kbytes(m, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_set_watermark_scale_factor(m, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_set_watermark_scale_factor(m, 3001), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_set_watermark_boost_factor(m, -5), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_set_lowmem_reserve_ratio(m, ratio, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma->_watermark[SB_WMARK_LOW], 166UL);
	KUNIT_EXPECT_EQ(test, m->watermark_boost_factor, 15000);

	/* DMA ratio 128: 3072/128 = 24, 7168/128 = 56; DMA32 ratio 0: none */
	KUNIT_EXPECT_EQ(test, sb_set_lowmem_reserve_ratio(m, ratio,
							  SB_MAX_NR_ZONES), 0);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[SB_ZONE_DMA32], 24L);
	KUNIT_EXPECT_EQ(test, dma->lowmem_reserve[SB_ZONE_NORMAL], 56L);
	KUNIT_EXPECT_EQ(test,
			sbt_zone(m, 0, SB_ZONE_DMA32)->lowmem_reserve[SB_ZONE_NORMAL],
			0L);
	SBT_VERIFY(test, m);
}

/* __zone_watermark_ok() with explicit free counts */
static void sb_wmark_ok_edges(struct kunit *test)
{
	struct sb_machine *m = sbt_three_zones(test);
	struct sb_zone *dma = sbt_zone(m, 0, SB_ZONE_DMA);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);

	/* free must be strictly above the mark */
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL, 0, 101));
	KUNIT_EXPECT_FALSE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL, 0, 100));
	/* lowmem_reserve of DMA against a Normal request: 28 */
	KUNIT_EXPECT_FALSE(test, sb_zone_watermark_ok(dma, 0, 100, SB_ZONE_NORMAL, 0, 128));
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(dma, 0, 100, SB_ZONE_NORMAL, 0, 129));
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(dma, 0, 100, SB_ZONE_DMA, 0, 101));
	/* __GFP_HIGH: half of min; + non-blocking: a further quarter */
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL,
						     SB_ALLOC_MIN_RESERVE, 51));
	KUNIT_EXPECT_FALSE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL,
						      SB_ALLOC_MIN_RESERVE, 50));
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL,
						     SB_ALLOC_MIN_RESERVE |
						     SB_ALLOC_NON_BLOCK, 39));
	KUNIT_EXPECT_FALSE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL,
						      SB_ALLOC_MIN_RESERVE |
						      SB_ALLOC_NON_BLOCK, 38));
	/* non-blocking alone gets nothing below min */
	KUNIT_EXPECT_FALSE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL,
						      SB_ALLOC_NON_BLOCK, 100));
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL,
						     SB_ALLOC_OOM, 51));
	/* the highatomic reserve does not count without reserve rights */
	z->nr_reserved_highatomic = 20;
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL, 0, 121));
	KUNIT_EXPECT_FALSE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL, 0, 120));
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(z, 0, 100, SB_ZONE_NORMAL,
						     SB_ALLOC_NON_BLOCK, 101));
	z->nr_reserved_highatomic = 0;
	/* order > 0: (1 << order) - 1 pages are unusable */
	KUNIT_EXPECT_FALSE(test, sb_zone_watermark_ok(z, 3, 100, SB_ZONE_NORMAL, 0, 107));
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(z, 3, 100, SB_ZONE_NORMAL, 0, 108));
	SBT_VERIFY(test, m);
}

/*
 * 8 MiB Normal, the upper 4 MiB CMA: the order>0 check needs a free
 * block of a type the request may use, and the CMA balance rule.
 */
static void sb_wmark_cma(struct kunit *test)
{
	/* 256-page pageblocks keep mobility grouping on (2048 > 256 * 6) */
	struct sb_machine_params p = { .layout = "Normal=8M", .cma = "4M",
				       .pb_order = 8 };
	struct sb_machine *m = sbt_machine(test, 2048, &p);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	struct sb_page *big, *page;

	KUNIT_EXPECT_EQ(test, z->cma_pages, 1024UL);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(z, SB_NR_FREE_CMA_PAGES), 1024UL);
	KUNIT_EXPECT_EQ(test, sb_get_pfnblock_migratetype(m, SBT_BASE_PFN + 1024),
			SB_MIGRATE_CMA);
	/* cma 1024 is not above free 2048 / 2: the movable block is used */
	big = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 10, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, big), 0UL);
	/* only CMA blocks are left at order 10 */
	KUNIT_EXPECT_TRUE(test, sb_zone_watermark_ok(z, 10, 0, SB_ZONE_NORMAL,
						     SB_ALLOC_CMA, 1024));
	KUNIT_EXPECT_FALSE(test, sb_zone_watermark_ok(z, 10, 0, SB_ZONE_NORMAL,
						      0, 5000));
	/* unmovable requests cannot use CMA; movable ones can */
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 0,
					       NUMA_NO_NODE, NULL));
	page = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_GE(test, sbt_pfn(m, page), 1024UL);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(z, SB_NR_FREE_CMA_PAGES), 1023UL);
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, big, 10), 0);
	/* the CMA page waits on the Movable pcp list until a drain */
	sb_drain_all_pages(m, NULL);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(z, SB_NR_FREE_CMA_PAGES), 1024UL);
	SBT_VERIFY(test, m);
}

static struct kunit_case sb_wmark_cases[] = {
	KUNIT_CASE(sb_wmark_defaults),
	KUNIT_CASE(sb_wmark_setters),
	KUNIT_CASE(sb_wmark_ok_edges),
	KUNIT_CASE(sb_wmark_cma),
	{}
};

static struct kunit_suite sb_wmark_suite = {
	.name = "sbuddy-watermark",
	.exit = sbt_exit,
	.test_cases = sb_wmark_cases,
};

kunit_test_suite(sb_wmark_suite);
