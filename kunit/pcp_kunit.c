// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of sbuddy's per-cpu lists (pcp.c) against Linux 6.1.192:
 * rmqueue_bulk() refill sizes, the high-mark free-back of
 * free_unref_page_commit() with nr_pcp_free()'s free_factor, drains,
 * the migratetype of pcp pages in HighAtomic and Isolate pageblocks,
 * zone_batchsize()/zone_highsize()/calculate_normal_threshold() and the
 * legacy cold-page policy.
 */
#include <linux/sizes.h>

#include "sb_kunit.h"

#define NR	1024UL

static struct sb_machine *sbt_pcp_machine(struct kunit *test)
{
	return sbt_simple(test, "Normal=4M", NR, 4);
}

/* pageset_update() on every pageset of every zone */
static void sbt_pagesets(struct sb_machine *m, int high, int batch)
{
	struct sb_zone *zone;
	int cpu;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
		for_each_possible_cpu(cpu) {
			struct sb_per_cpu_pages *pcp =
				per_cpu_ptr(zone->per_cpu_pageset, cpu);

			pcp->high = high;
			pcp->batch = batch;
		}
}

/* this CPU's pageset of the Normal zone */
static struct sb_per_cpu_pages *sbt_pcp(struct sb_machine *m)
{
	return per_cpu_ptr(sbt_zone(m, 0, SB_ZONE_NORMAL)->per_cpu_pageset,
			   raw_smp_processor_id());
}

static unsigned long sbt_list_len(struct sb_per_cpu_pages *pcp, int pindex)
{
	struct list_head *pos;
	unsigned long n = 0;

	list_for_each(pos, &pcp->lists[pindex])
		n++;
	return n;
}

static unsigned long sbt_free(struct sb_machine *m)
{
	return sb_zone_page_state_snapshot(sbt_zone(m, 0, SB_ZONE_NORMAL),
					   SB_NR_FREE_PAGES);
}

/*
 * __rmqueue_pcplist(): an empty list takes batch blocks for order 0 and
 * max(batch >> order, 2) for higher orders; pages come out in the
 * physical order expand() split them; the buddy counter drops by the
 * whole refill.
 */
static void sb_pcp_refill_size(struct kunit *test)
{
	struct sb_machine *m = sbt_pcp_machine(test);
	struct sb_per_cpu_pages *pcp = sbt_pcp(m);
	int mpi0 = sb_order_to_pindex(m, SB_MIGRATE_MOVABLE, 0);
	int mpi3 = sb_order_to_pindex(m, SB_MIGRATE_MOVABLE, 3);
	struct sb_page *p0, *p3;

	sbt_pagesets(m, 200, 15);
	p0 = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, p0);
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, p0), 0UL);
	KUNIT_EXPECT_EQ(test, pcp->count, 14);
	KUNIT_EXPECT_EQ(test, sbt_list_len(pcp, mpi0), 14UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_PCP_REFILL_PAGES), 15UL);
	KUNIT_EXPECT_EQ(test, sbt_free(m), NR - 15);
	/* head is the next page up, tail the last of the refill */
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, list_first_entry(&pcp->lists[mpi0],
							  struct sb_page,
							  buddy_list)), 1UL);
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, list_last_entry(&pcp->lists[mpi0],
							 struct sb_page,
							 buddy_list)), 14UL);

	/* order 3: 15 >> 3 = 1, raised to 2 blocks */
	p3 = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 3, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, p3);
	KUNIT_EXPECT_EQ(test, sbt_list_len(pcp, mpi3), 1UL);
	KUNIT_EXPECT_EQ(test, pcp->count, 14 + 8);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_PCP_REFILL_PAGES), 15UL + 16);
	KUNIT_EXPECT_EQ(test, sbt_free(m), NR - 15 - 16);
	SBT_VERIFY(test, m);

	/* a boot pageset (batch 1) refills one block at a time */
	sb_drain_all_pages(m, NULL);
	sbt_pagesets(m, 0, 1);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, p0, 0), 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	p0 = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, p0);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, p0, 0), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, p3, 3), 0);
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sbt_free(m), NR);
}

/*
 * free_unref_page_commit(): count reaching high frees nr_pcp_free()
 * pages, batch << free_factor clamped to [batch, high - batch], the
 * factor growing while frees run without allocations; an allocation
 * halves it.  The pages freed are the oldest (the list's tail).
 */
static void sb_pcp_free_back(struct kunit *test)
{
	struct sb_machine *m = sbt_pcp_machine(test);
	struct sb_per_cpu_pages *pcp = sbt_pcp(m);
	struct sb_page *pages[24];
	static const struct {
		int frees, count, factor;
		unsigned long freed;
	} steps[] = {
		{ 11, 11, 0, 0 },	/* below high */
		{ 1, 9, 1, 3 },		/* 12: batch 3 back, factor 1 */
		{ 3, 6, 2, 9 },		/* 12: 3 << 1 = 6 back */
		{ 6, 3, 2, 18 },	/* 12: 3 << 2 = 12, clamped to 9 */
		{ 3, 6, 2, 18 },
	};
	int i, s, n = 0;

	sbt_pagesets(m, 12, 3);
	for (i = 0; i < 24; i++) {
		pages[i] = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	/* eight refills of 3, all handed out */
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_PCP_REFILL), 8UL);

	for (s = 0; s < ARRAY_SIZE(steps); s++) {
		for (i = 0; i < steps[s].frees; i++, n++)
			KUNIT_ASSERT_EQ(test, sb_free_pages(m, pages[n], 0), 0);
		KUNIT_EXPECT_EQ_MSG(test, pcp->count, steps[s].count,
				    "step %d", s);
		KUNIT_EXPECT_EQ_MSG(test, (int)pcp->free_factor,
				    steps[s].factor, "step %d", s);
		KUNIT_EXPECT_EQ_MSG(test,
				    sb_vm_event(m, SB_EV_PCP_FREE_BULK_PAGES),
				    steps[s].freed, "step %d", s);
	}
	/* the oldest frees went back: the first pages freed are buddies */
	KUNIT_EXPECT_EQ(test, pages[0]->flags & SB_PG_PCP, 0U);
	KUNIT_EXPECT_EQ(test, pages[23]->flags, (u32)SB_PG_PCP);

	/* an allocation halves the factor */
	pages[0] = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, pages[0]);
	KUNIT_EXPECT_EQ(test, (int)pcp->free_factor, 1);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, pages[0], 0), 0);
	SBT_VERIFY(test, m);
}

/*
 * Costly-order frees while the factor is up (free_high): high reads 0
 * and the whole list goes back.
 */
static void sb_pcp_free_high(struct kunit *test)
{
	struct sb_machine *m = sbt_pcp_machine(test);
	struct sb_per_cpu_pages *pcp = sbt_pcp(m);
	struct sb_page *p1, *p0[16];
	int i;

	sbt_pagesets(m, 12, 3);
	p1 = sb_alloc_pages(m, GFP_KERNEL, 1, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, p1);
	for (i = 0; i < 16; i++) {
		p0[i] = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
		KUNIT_ASSERT_NOT_NULL(test, p0[i]);
	}
	for (i = 0; i < 12; i++)
		KUNIT_ASSERT_EQ(test, sb_free_pages(m, p0[i], 0), 0);
	/* two free-backs without an allocation: factor 2, 7 pages left */
	KUNIT_EXPECT_EQ(test, (int)pcp->free_factor, 2);
	KUNIT_EXPECT_EQ(test, pcp->count, 7);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, p1, 1), 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	for (i = 12; i < 16; i++)
		KUNIT_ASSERT_EQ(test, sb_free_pages(m, p0[i], 0), 0);
	SBT_VERIFY(test, m);
}

/* drain_local_pages() and drain_all_pages() leave every count at 0 */
static void sb_pcp_drains(struct kunit *test)
{
	struct sb_machine *m = sbt_pcp_machine(test);
	struct sb_per_cpu_pages *pcp = sbt_pcp(m);
	struct sb_page *pages[3][8];
	int i, t;

	sbt_pagesets(m, 500, 31);
	for (t = 0; t < 3; t++) {
		gfp_t gfp = t == 0 ? GFP_KERNEL : t == 1 ? GFP_HIGHUSER_MOVABLE :
			    GFP_KERNEL | __GFP_RECLAIMABLE;

		for (i = 0; i < 8; i++) {
			pages[t][i] = sb_alloc_pages(m, gfp, i % 4,
						     NUMA_NO_NODE, NULL);
			KUNIT_ASSERT_NOT_NULL(test, pages[t][i]);
		}
	}
	for (t = 0; t < 3; t++)
		for (i = 0; i < 8; i++)
			KUNIT_ASSERT_EQ(test, sb_free_pages(m, pages[t][i], i % 4), 0);
	KUNIT_EXPECT_GT(test, pcp->count, 0);
	SBT_VERIFY(test, m);
	sb_drain_local_pages(m, sbt_zone(m, 0, SB_ZONE_NORMAL));
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	for (i = 0; i < SB_NR_PCP_LISTS; i++)
		KUNIT_EXPECT_EQ(test, sbt_list_len(pcp, i), 0UL);
	KUNIT_EXPECT_EQ(test, sbt_free(m), NR);
	KUNIT_EXPECT_GE(test, sb_vm_event(m, SB_EV_PCP_DRAIN), 1UL);

	pages[0][0] = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, pages[0][0]);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, pages[0][0], 0), 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 31);
	sb_drain_all_pages(m, NULL);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, sbt_free(m), NR);
	/* everything merged back into one order-10 block */
	KUNIT_EXPECT_EQ(test, sbt_zone(m, 0, SB_ZONE_NORMAL)->free_area[10].nr_free,
			1UL);
	SBT_VERIFY(test, m);
}

/*
 * free_unref_page(): a page of a HighAtomic pageblock goes on the
 * Movable list keeping its real type, and back to the HighAtomic free
 * list on a drain; a page of an Isolate pageblock skips the lists.
 */
static void sb_pcp_migratetypes(struct kunit *test)
{
	struct sb_machine *m = sbt_pcp_machine(test);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	struct sb_per_cpu_pages *pcp = sbt_pcp(m);
	int mpi0 = sb_order_to_pindex(m, SB_MIGRATE_MOVABLE, 0);
	struct sb_page *ha, *iso;
	unsigned long flags, pfn;

	sbt_pagesets(m, 100, 1);
	ha = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	iso = sb_alloc_pages(m, GFP_KERNEL, 4, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ha);
	KUNIT_ASSERT_NOT_NULL(test, iso);
	KUNIT_ASSERT_NE(test, sbt_pfn(m, ha) >> 4, sbt_pfn(m, iso) >> 4);

	pfn = sb_page_to_pfn(m, ha);
	spin_lock_irqsave(&z->lock, flags);
	sb_set_pageblock_migratetype(m, pfn, SB_MIGRATE_HIGHATOMIC);
	z->nr_reserved_highatomic += m->pb_nr_pages;
	sb_move_freepages_block(z, ha, SB_MIGRATE_HIGHATOMIC, NULL);
	spin_unlock_irqrestore(&z->lock, flags);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, ha, 0), 0);
	KUNIT_EXPECT_EQ(test, ha->flags, (u32)SB_PG_PCP);
	KUNIT_EXPECT_EQ(test, (int)ha->migratetype, SB_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&pcp->lists[mpi0],
						   struct sb_page, buddy_list),
			    ha);
	SBT_VERIFY(test, m);
	sb_drain_all_pages(m, NULL);
	KUNIT_EXPECT_FALSE(test, sb_free_area_empty(&z->free_area[4],
						    SB_MIGRATE_HIGHATOMIC));

	/* order 4 is the pageblock order here: a pcp order */
	pfn = sb_page_to_pfn(m, iso);
	spin_lock_irqsave(&z->lock, flags);
	sb_set_pageblock_migratetype(m, pfn, SB_MIGRATE_ISOLATE);
	spin_unlock_irqrestore(&z->lock, flags);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, iso, 4), 0);
	KUNIT_EXPECT_EQ(test, pcp->count, 0);
	KUNIT_EXPECT_EQ(test, iso->flags, (u32)SB_PG_BUDDY);
	KUNIT_EXPECT_EQ(test, (int)iso->migratetype, SB_MIGRATE_ISOLATE);
	SBT_VERIFY(test, m);
}

/* zone_batchsize() for zone sizes from 4 MiB to 16 GiB */
static void sb_pcp_batch_formula(struct kunit *test)
{
	static const struct {
		unsigned long managed;
		int batch;
	} t[] = {
		{ 1024, 0 }, { 4096, 0 }, { 8192, 1 }, { 16384, 3 },
		{ 65536, 15 }, { 262144, 63 }, { 1UL << 22, 63 },
	};
	struct sb_machine *m = sbt_pcp_machine(test);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		atomic_long_set(&z->managed_pages, t[i].managed);
		KUNIT_EXPECT_EQ_MSG(test, sb_zone_batchsize(z), t[i].batch,
				    "managed %lu", t[i].managed);
	}
}

/*
 * zone_highsize(): the low watermark (or managed / fraction) over the
 * CPUs sharing the zone, at least 4 * batch; the fraction refuses 1..7.
 */
static void sb_pcp_high_formula(struct kunit *test)
{
	struct sb_machine *m = sbt_pcp_machine(test);
	struct sb_zone *z = sbt_zone(m, 0, SB_ZONE_NORMAL);
	unsigned long low = sb_wmark_pages(z, SB_WMARK_LOW);
	int cpus;

	for (cpus = 1; cpus <= 64; cpus *= 2)
		KUNIT_EXPECT_EQ_MSG(test, sb_zone_highsize_split(z, 1, cpus),
				    max_t(int, low / cpus, 4), "%d cpus", cpus);
	KUNIT_EXPECT_EQ(test, sb_zone_highsize_split(z, 63, 1), 252);

	KUNIT_EXPECT_EQ(test, sb_set_percpu_pagelist_high_fraction(m, 7),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sb_set_percpu_pagelist_high_fraction(m, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sb_set_percpu_pagelist_high_fraction(m, -1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sb_set_percpu_pagelist_high_fraction(m, 8), 0);
	KUNIT_EXPECT_EQ(test, sb_zone_highsize_split(z, 1, 4), (int)(NR / 8 / 4));
	/* the zone's pagesets follow: one CPU here */
	KUNIT_EXPECT_EQ(test, sbt_pcp(m)->high,
			sb_zone_highsize(z, sbt_pcp(m)->batch, 0));
	KUNIT_EXPECT_EQ(test, sb_set_percpu_pagelist_high_fraction(m, 0), 0);
	KUNIT_EXPECT_EQ(test, sbt_pcp(m)->high,
			max_t(int, low / num_online_cpus(), 4));
}

/*
 * calculate_normal_threshold(): rows of the sample table in mm/vmstat.c
 * (its zone-size column is loose; the fls() columns are what count)
 */
static void sb_pcp_stat_threshold(struct kunit *test)
{
	static const struct {
		int cpus;
		unsigned long mib;
		int threshold;
	} t[] = {
		{ 1, 960, 8 }, { 2, 960, 16 }, { 2, 1536, 20 }, { 2, 3072, 24 },
		{ 2, 100, 4 }, { 4, 1536, 30 }, { 16, 100, 10 },
		{ 64, 1536, 70 }, { 64, 3072, 84 }, { 1024, 12288, 125 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    sb_normal_threshold(t[i].mib << (20 - PAGE_SHIFT),
							t[i].cpus),
				    t[i].threshold, "%d cpus %lu MiB",
				    t[i].cpus, t[i].mib);
}

/* the 2.6-era policy: a cold request takes the list's tail */
static void sb_pcp_cold_policy(struct kunit *test)
{
	struct sb_machine *m = sbt_pcp_machine(test);
	struct sb_page *first, *cold, *hot;

	sbt_pagesets(m, 200, 15);
	first = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, first);
	/* off (the default): SB_GFP_COLD changes nothing */
	hot = sb_alloc_pages(m, GFP_KERNEL | SB_GFP_COLD, 0, NUMA_NO_NODE,
			     NULL);
	KUNIT_ASSERT_NOT_NULL(test, hot);
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, hot), sbt_pfn(m, first) + 1);

	KUNIT_EXPECT_EQ(test, sb_set_legacy_cold_pages(m, 2), -EINVAL);
	KUNIT_ASSERT_EQ(test, sb_set_legacy_cold_pages(m, 1), 0);
	cold = sb_alloc_pages(m, GFP_KERNEL | SB_GFP_COLD, 0, NUMA_NO_NODE,
			      NULL);
	KUNIT_ASSERT_NOT_NULL(test, cold);
	KUNIT_EXPECT_EQ(test, sbt_pfn(m, cold), sbt_pfn(m, first) + 14);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, cold, 0), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, hot, 0), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, first, 0), 0);
	SBT_VERIFY(test, m);
}

/* alloc_pages_bulk() from the list; release through free_unref_page_list */
static void sb_pcp_bulk_and_list_free(struct kunit *test)
{
	struct sb_machine *m = sbt_pcp_machine(test);
	struct sb_per_cpu_pages *pcp = sbt_pcp(m);
	LIST_HEAD(list);

	sbt_pagesets(m, 400, 7);
	KUNIT_EXPECT_EQ(test, sb_alloc_pages_bulk(m, GFP_KERNEL, NUMA_NO_NODE,
						  NULL, 100, &list, NULL),
			100UL);
	/* ceil(100 / 7) refills, the rest of the last one listed */
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_PCP_REFILL), 15UL);
	KUNIT_EXPECT_EQ(test, pcp->count, 15 * 7 - 100);
	sb_free_pages_list(m, &list);
	KUNIT_EXPECT_TRUE(test, list_empty(&list));
	KUNIT_EXPECT_EQ(test, pcp->count, 105);
	KUNIT_EXPECT_EQ(test, sbt_free(m) + pcp->count, NR);
	SBT_VERIFY(test, m);
}

static struct kunit_case sb_pcp_cases[] = {
	KUNIT_CASE(sb_pcp_refill_size),
	KUNIT_CASE(sb_pcp_free_back),
	KUNIT_CASE(sb_pcp_free_high),
	KUNIT_CASE(sb_pcp_drains),
	KUNIT_CASE(sb_pcp_migratetypes),
	KUNIT_CASE(sb_pcp_batch_formula),
	KUNIT_CASE(sb_pcp_high_formula),
	KUNIT_CASE(sb_pcp_stat_threshold),
	KUNIT_CASE(sb_pcp_cold_policy),
	KUNIT_CASE(sb_pcp_bulk_and_list_free),
	{}
};

static struct kunit_suite sb_pcp_suite = {
	.name = "sbuddy-pcp",
	.exit = sbt_exit,
	.test_cases = sb_pcp_cases,
};

kunit_test_suite(sb_pcp_suite);
