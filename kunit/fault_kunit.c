// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of sbuddy's fault-injection points (fault.c): each point
 * that fails makes its caller fail cleanly, leaving the machine as it was.
 * They need the kernel's fault_attr framework (the sbuddy_kunit.ko that
 * tools/debug-kernel.sh's kernel builds); elsewhere every case skips.
 */
#include <linux/crc32.h>
#include <linux/fault-inject.h>

#include "fault.h"
#include "sb_kunit.h"

#define NR	1024UL

#ifdef SB_HAVE_FAULT_INJECTION
/* the next @times calls of point @f fail, after @space - 1 that pass */
static void sbt_fault_on(enum sb_fault f, int times, unsigned long space)
{
	struct fault_attr *a = sb_fault_attr(f);

	a->verbose = 0;
	a->interval = 1;
	atomic_set(&a->space, space);
	atomic_set(&a->times, times);
	a->probability = 100;
}

static void sbt_fault_off(enum sb_fault f)
{
	sb_fault_attr(f)->probability = 0;
}

static unsigned long sbt_free(struct sb_machine *m)
{
	sb_drain_all_pages(m, NULL);
	return sb_zone_page_state_snapshot(sbt_zone(m, 0, SB_ZONE_NORMAL),
					   SB_NR_FREE_PAGES);
}

/* a failed block record: ERR_PTR(-ENOMEM), no page taken */
static void sb_fault_owner_record(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test, "Normal=4M", NR, 4);
	struct sb_owner o;
	struct sb_block *blk;

	sb_owner_init(&o, m, NULL, "t");
	sbt_fault_on(SB_FAULT_OWNER, 1, 0);
	blk = sb_owner_alloc(&o, GFP_HIGHUSER_MOVABLE, 2, NULL);
	sbt_fault_off(SB_FAULT_OWNER);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(blk), -ENOMEM);
	KUNIT_EXPECT_EQ(test, o.nr_pages, 0UL);
	KUNIT_EXPECT_EQ(test, sbt_free(m), NR);
	/* and the next one works */
	blk = sb_owner_alloc(&o, GFP_HIGHUSER_MOVABLE, 2, NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR(blk));
	SBT_VERIFY(test, m);
	sb_owner_release(&o);
	KUNIT_EXPECT_EQ(test, sbt_free(m), NR);
	SBT_VERIFY(test, m);
}

/*
 * No migration target: -ENOMEM counted as pgmigrate_fail, the block
 * stays where it was with its contents, and can migrate afterwards.
 */
static void sb_fault_migrate_target(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test, "Normal=4M", NR, 4);
	struct sb_page *old;
	struct sb_block *blk;
	struct sb_owner o;
	u32 crc;

	sb_owner_init(&o, m, NULL, "t");
	blk = sb_owner_alloc(&o, GFP_HIGHUSER_MOVABLE, 2, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(blk));
	memset(sb_page_address(m, blk->page), 0x5a, PAGE_SIZE << 2);
	crc = crc32(0, sb_page_address(m, blk->page), PAGE_SIZE << 2);
	old = blk->page;

	sbt_fault_on(SB_FAULT_MIGRATE, 1, 0);
	KUNIT_EXPECT_EQ(test, sb_migrate_block_to(m, old, SB_MIGRATE_SYNC,
						  GFP_HIGHUSER_MOVABLE,
						  NUMA_NO_NODE), -ENOMEM);
	sbt_fault_off(SB_FAULT_MIGRATE);
	KUNIT_EXPECT_PTR_EQ(test, blk->page, old);
	KUNIT_EXPECT_EQ(test, blk->nr_migrated, 0U);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PGMIGRATE_FAIL), 4UL);
	KUNIT_EXPECT_EQ(test, crc32(0, sb_page_address(m, blk->page), PAGE_SIZE << 2), crc);
	SBT_VERIFY(test, m);

	KUNIT_EXPECT_EQ(test, sb_migrate_block_to(m, old, SB_MIGRATE_SYNC,
						  GFP_HIGHUSER_MOVABLE,
						  NUMA_NO_NODE), 0);
	KUNIT_EXPECT_EQ(test, crc32(0, sb_page_address(m, blk->page), PAGE_SIZE << 2), crc);
	sb_owner_release(&o);
	KUNIT_EXPECT_EQ(test, sbt_free(m), NR);
	SBT_VERIFY(test, m);
}

/* machine creation that fails at the memmap or at the k-th pageset */
static void sb_fault_machine_create(struct kunit *test)
{
	struct sb_machine_params p = {
		.layout = "DMA=1M,DMA32=1M,Normal=2M", .pb_order = 4,
	};
	struct sb_backing b = { .base_pfn = SBT_BASE_PFN, .nr_pages = NR };
	struct sb_machine *m;
	void *mem = vmalloc(NR * PAGE_SIZE);
	unsigned long k;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	b.base = mem;
	sbt_fault_on(SB_FAULT_MEMMAP, 1, 0);
	m = sb_machine_create(&b, &p);
	sbt_fault_off(SB_FAULT_MEMMAP);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(m), -ENOMEM);
	if (!IS_ERR(m))
		sb_machine_destroy(m);
	/* the first, second ... pageset allocation fails */
	for (k = 1; k <= SB_MAX_NR_ZONES; k++) {
		sbt_fault_on(SB_FAULT_PCP, 1, k);
		m = sb_machine_create(&b, &p);
		sbt_fault_off(SB_FAULT_PCP);
		KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(m), -ENOMEM);
		if (!IS_ERR(m))
			sb_machine_destroy(m);
	}
	/* with no fault, it works */
	m = sb_machine_create(&b, &p);
	KUNIT_EXPECT_FALSE(test, IS_ERR(m));
	if (!IS_ERR(m)) {
		SBT_VERIFY(test, m);
		sb_machine_destroy(m);
	}
	vfree(mem);
}
#else
static void sbt_no_fault_injection(struct kunit *test)
{
	kunit_skip(test, "the kernel has no CONFIG_FAULT_INJECTION");
}

#define sb_fault_owner_record	sbt_no_fault_injection
#define sb_fault_migrate_target	sbt_no_fault_injection
#define sb_fault_machine_create	sbt_no_fault_injection
#endif

static struct kunit_case sb_fault_cases[] = {
	KUNIT_CASE(sb_fault_owner_record),
	KUNIT_CASE(sb_fault_migrate_target),
	KUNIT_CASE(sb_fault_machine_create),
	{}
};

static struct kunit_suite sb_fault_suite = {
	.name = "sbuddy-fault",
	.exit = sbt_exit,
	.test_cases = sb_fault_cases,
};

kunit_test_suite(sb_fault_suite);
