// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the ABI's flag translation: each SBUDDY_ALLOC_* bit
 * becomes the gfp bit it names, the zone and migratetype a reader of
 * gfp_zone()/gfp_migratetype() expects follow, and the combinations the
 * kernel calls bugs are refused.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/sbuddy.h>

#include "abi.h"
#include "sb_core.h"

static void sb_abi_gfp_base_masks(struct kunit *test)
{
	gfp_t g;

	KUNIT_ASSERT_EQ(test, sb_abi_gfp(0, &g), 0);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)g, (__force unsigned long)GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, sb_abi_gfp(SBUDDY_ALLOC_ATOMIC, &g), 0);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)g, (__force unsigned long)GFP_ATOMIC);
	KUNIT_ASSERT_EQ(test, sb_abi_gfp(SBUDDY_ALLOC_NOWAIT, &g), 0);
	KUNIT_EXPECT_EQ(test, (__force unsigned long)g, (__force unsigned long)GFP_NOWAIT);
}

static void sb_abi_gfp_zones_and_types(struct kunit *test)
{
	gfp_t g;

	/* GFP_HIGHUSER_MOVABLE's zone bits: movable + highmem -> ZONE_MOVABLE */
	KUNIT_ASSERT_EQ(test, sb_abi_gfp(SBUDDY_ALLOC_MOVABLE | SBUDDY_ALLOC_HIGHMEM, &g), 0);
	KUNIT_EXPECT_EQ(test, sb_gfp_zone(g), SB_ZONE_MOVABLE);
	/* movable alone stays in ZONE_NORMAL, as GFP_ZONE_TABLE says */
	KUNIT_ASSERT_EQ(test, sb_abi_gfp(SBUDDY_ALLOC_MOVABLE, &g), 0);
	KUNIT_EXPECT_EQ(test, sb_gfp_zone(g), SB_ZONE_NORMAL);
	KUNIT_ASSERT_EQ(test, sb_abi_gfp(SBUDDY_ALLOC_DMA32, &g), 0);
	KUNIT_EXPECT_EQ(test, sb_gfp_zone(g), SB_ZONE_DMA32);
	KUNIT_ASSERT_EQ(test, sb_abi_gfp(SBUDDY_ALLOC_DMA | SBUDDY_ALLOC_MOVABLE, &g), 0);
	KUNIT_EXPECT_EQ(test, sb_gfp_zone(g), SB_ZONE_DMA);
	KUNIT_ASSERT_EQ(test, sb_abi_gfp(SBUDDY_ALLOC_RECLAIMABLE, &g), 0);
	KUNIT_EXPECT_TRUE(test, !!(g & __GFP_RECLAIMABLE));
	KUNIT_EXPECT_FALSE(test, !!(g & __GFP_MOVABLE));
}

static void sb_abi_gfp_modifiers(struct kunit *test)
{
	static const struct {
		u32 abi;
		gfp_t gfp;
	} one[] = {
		{ SBUDDY_ALLOC_HIGH, __GFP_HIGH },
		{ SBUDDY_ALLOC_MEMALLOC, __GFP_MEMALLOC },
		{ SBUDDY_ALLOC_ZERO, __GFP_ZERO },
		{ SBUDDY_ALLOC_COMP, __GFP_COMP },
		{ SBUDDY_ALLOC_NOWARN, __GFP_NOWARN },
		{ SBUDDY_ALLOC_NORETRY, __GFP_NORETRY },
		{ SBUDDY_ALLOC_RETRY_MAYFAIL, __GFP_RETRY_MAYFAIL },
		{ SBUDDY_ALLOC_NOFAIL, __GFP_NOFAIL },
		{ SBUDDY_ALLOC_THISNODE, __GFP_THISNODE },
	};
	gfp_t g;
	int i;

	for (i = 0; i < ARRAY_SIZE(one); i++) {
		KUNIT_ASSERT_EQ(test, sb_abi_gfp(one[i].abi, &g), 0);
		/* exactly GFP_KERNEL plus that one bit */
		KUNIT_EXPECT_EQ(test, (__force unsigned long)g,
				(__force unsigned long)(GFP_KERNEL | one[i].gfp));
	}
}

static void sb_abi_gfp_refusals(struct kunit *test)
{
	static const u32 bad[] = {
		1U << 17, 1U << 31, ~0U,
		SBUDDY_ALLOC_MOVABLE | SBUDDY_ALLOC_RECLAIMABLE,
		SBUDDY_ALLOC_ATOMIC | SBUDDY_ALLOC_NOWAIT,
		SBUDDY_ALLOC_NOFAIL | SBUDDY_ALLOC_NORETRY,
		SBUDDY_ALLOC_DMA | SBUDDY_ALLOC_DMA32,
		SBUDDY_ALLOC_DMA | SBUDDY_ALLOC_HIGHMEM,
		SBUDDY_ALLOC_DMA32 | SBUDDY_ALLOC_HIGHMEM,
	};
	gfp_t g = GFP_NOIO;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, sb_abi_gfp(bad[i], &g), -EINVAL, "flags %#x", bad[i]);
	/* a refusal leaves the output alone */
	KUNIT_EXPECT_EQ(test, (__force unsigned long)g, (__force unsigned long)GFP_NOIO);
}

static struct kunit_case sb_abi_cases[] = {
	KUNIT_CASE(sb_abi_gfp_base_masks),
	KUNIT_CASE(sb_abi_gfp_zones_and_types),
	KUNIT_CASE(sb_abi_gfp_modifiers),
	KUNIT_CASE(sb_abi_gfp_refusals),
	{}
};

static struct kunit_suite sb_abi_suite = {
	.name = "sbuddy-abi",
	.test_cases = sb_abi_cases,
};

kunit_test_suite(sb_abi_suite);
