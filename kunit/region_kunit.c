// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the region size parsing and alignment arithmetic that
 * decide which host range sbuddy asks alloc_contig_range() for.
 */
#include <kunit/test.h>
#include <linux/mm.h>

#include "region.h"

#define PB	512UL	/* pages per pageblock with 4K pages, order 9 */
#define MO	1024UL	/* pages per MAX_ORDER block, order 10 */

static void sb_region_parse_size_ok(struct kunit *test)
{
	unsigned long nr = 0;

	KUNIT_EXPECT_EQ(test, sb_region_parse_size("128M", PB, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, (128UL << 20) >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("1G", PB, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, (1UL << 30) >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("2048k", PB, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, PB);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("0x400000", PB, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2 * PB);
	/* a value written through sysfs ends in a newline */
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("4M\n", PB, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 2 * PB);
}

static void sb_region_parse_size_bad(struct kunit *test)
{
	unsigned long nr = 12345;

	KUNIT_EXPECT_EQ(test, sb_region_parse_size("0", PB, &nr), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("", PB, &nr), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size(NULL, PB, &nr), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("abc", PB, &nr), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("12Mx", PB, &nr), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("M", PB, &nr), -EINVAL);
	/* not a multiple of the 2 MiB pageblock */
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("3M", PB, &nr), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("4097k", PB, &nr), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_region_parse_size("1000", PB, &nr), -EINVAL);
	/* a failed parse leaves the output alone */
	KUNIT_EXPECT_EQ(test, nr, 12345UL);
}

static void sb_region_align_choice(struct kunit *test)
{
	/* big enough for a top-order block: MAX_ORDER alignment */
	KUNIT_EXPECT_EQ(test, sb_region_align(32768, PB, MO), MO);
	KUNIT_EXPECT_EQ(test, sb_region_align(MO, PB, MO), MO);
	/* a single pageblock only needs pageblock alignment */
	KUNIT_EXPECT_EQ(test, sb_region_align(PB, PB, MO), PB);
}

static void sb_region_candidates_walk(struct kunit *test)
{
	unsigned long pfn = 0, n = 0;
	bool more;

	/* DMA32 of a 1 GiB guest: pfn 0x1000..0x3ffe0 */
	more = sb_region_first_candidate(0x1000, 0x3ffe0, 32768, MO, &pfn);
	KUNIT_ASSERT_TRUE(test, more);
	KUNIT_EXPECT_EQ(test, pfn, 0x1000UL);
	/* a busy range steps to the next aligned start */
	KUNIT_EXPECT_TRUE(test, sb_region_next_candidate(0x3ffe0, 32768, MO, &pfn));
	KUNIT_EXPECT_EQ(test, pfn, 0x1400UL);
	/* a busy pfn deep inside skips everything up to it */
	pfn = 0x2a35;
	KUNIT_EXPECT_TRUE(test, sb_region_next_candidate(0x3ffe0, 32768, MO, &pfn));
	KUNIT_EXPECT_EQ(test, pfn, 0x2c00UL);
	/* the walk ends once the range no longer fits below the zone end */
	more = sb_region_first_candidate(0x1000, 0x3ffe0, 32768, MO, &pfn);
	while (more) {
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(pfn, MO));
		KUNIT_EXPECT_LE(test, pfn + 32768, 0x3ffe0UL);
		n++;
		more = sb_region_next_candidate(0x3ffe0, 32768, MO, &pfn);
	}
	/* starts 0x1000, 0x1400, ... 0x37c00: (0x37c00 - 0x1000) / 0x400 + 1 */
	KUNIT_EXPECT_EQ(test, n, 220UL);
	KUNIT_EXPECT_EQ(test, pfn, 0x37c00UL);
}

static void sb_region_candidates_none(struct kunit *test)
{
	unsigned long pfn = 77;

	/* the 16 MiB DMA zone cannot hold 128 MiB */
	KUNIT_EXPECT_FALSE(test, sb_region_first_candidate(1, 0x1000, 32768, MO, &pfn));
	/* aligning up moves the range past the end */
	KUNIT_EXPECT_FALSE(test, sb_region_first_candidate(0x1001, 0x17ff, MO, MO, &pfn));
	KUNIT_EXPECT_FALSE(test, sb_region_first_candidate(0x2000, 0x1000, 1, MO, &pfn));
	KUNIT_EXPECT_EQ(test, pfn, 77UL);
	/* no wrap-around at the top of the pfn space */
	pfn = ULONG_MAX - 3;
	KUNIT_EXPECT_FALSE(test, sb_region_next_candidate(ULONG_MAX, 1, MO, &pfn));
	/* an exact fit is a fit */
	KUNIT_EXPECT_TRUE(test, sb_region_first_candidate(0x400, 0x800, MO, MO, &pfn));
	KUNIT_EXPECT_EQ(test, pfn, 0x400UL);
	KUNIT_EXPECT_FALSE(test, sb_region_next_candidate(0x800, MO, MO, &pfn));
}

static struct kunit_case sb_region_cases[] = {
	KUNIT_CASE(sb_region_parse_size_ok),
	KUNIT_CASE(sb_region_parse_size_bad),
	KUNIT_CASE(sb_region_align_choice),
	KUNIT_CASE(sb_region_candidates_walk),
	KUNIT_CASE(sb_region_candidates_none),
	{}
};

static struct kunit_suite sb_region_suite = {
	.name = "sbuddy-region",
	.test_cases = sb_region_cases,
};

kunit_test_suite(sb_region_suite);
