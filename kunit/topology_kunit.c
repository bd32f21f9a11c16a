// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for sbuddy's topology: layout parsing (holes, refusals),
 * build_zonelists() node order on a 3-node distance table, NUMA counters,
 * memory policies (bind, interleave) and the mobility grouping decision.
 */
#include "sb_kunit.h"

static void sb_layout_bad(struct kunit *test)
{
	static const char * const bad[] = {
		"Normal=3M",		/* not a multiple of the 2M pageblock */
		"Foo=4M",		/* no such zone */
		"Normal=4M,DMA=2M",	/* zones out of order */
		"hole=2M,Normal=2M",	/* a node starting with a hole */
		"Normal=64M",		/* more than the backing */
		"Normal=*,DMA32=*",	/* two stars */
		"Normal",		/* no size */
		"Normal=2M;;Normal=2M",	/* an empty node */
	};
	struct sb_backing b = { .base_pfn = SBT_BASE_PFN, .nr_pages = 2048 };
	struct sb_machine_params p = { .pb_order = 9 };
	void *mem = vmalloc(2048 * PAGE_SIZE);
	struct sb_machine *m;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	b.base = mem;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		p.layout = bad[i];
		m = sb_machine_create(&b, &p);
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(m), -EINVAL, "%s", bad[i]);
	}
	p.layout = "Normal=8M";
	p.cma = "3M";		/* not a pageblock multiple */
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(sb_machine_create(&b, &p)), -EINVAL);
	p.cma = "16M";		/* larger than the zone */
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(sb_machine_create(&b, &p)), -EINVAL);
	p.cma = NULL;
	p.pb_order = 11;
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(sb_machine_create(&b, &p)), -EINVAL);
	p.pb_order = 9;
	m = sb_machine_create(&b, &p);
	KUNIT_ASSERT_FALSE(test, IS_ERR(m));
	SBT_VERIFY(test, m);
	sb_machine_destroy(m);
	vfree(mem);
}

/* holes: spanned > present = managed; hole pages never reach the lists */
static void sb_layout_holes(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test,
					  "DMA=2M,DMA32=2M,hole=2M,DMA32=2M",
					  2048, 9);
	struct sb_zone *dma32 = sbt_zone(m, 0, SB_ZONE_DMA32);
	struct sb_page *p[3];
	int i;

	KUNIT_EXPECT_EQ(test, dma32->zone_start_pfn, SBT_BASE_PFN + 512);
	KUNIT_EXPECT_EQ(test, dma32->spanned_pages, 1536UL);
	KUNIT_EXPECT_EQ(test, dma32->present_pages, 1024UL);
	KUNIT_EXPECT_EQ(test, sb_zone_managed_pages(dma32), 1024UL);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(dma32, SB_NR_FREE_PAGES), 1024UL);
	KUNIT_EXPECT_EQ(test, sbt_page(m, 1100)->flags, (u32)SB_PG_HOLE);
	/* two order-9 blocks either side of the hole never merge */
	KUNIT_EXPECT_EQ(test, dma32->free_area[9].nr_free, 2UL);
	KUNIT_EXPECT_EQ(test, dma32->free_area[10].nr_free, 0UL);
	/* small: 2048 - holes < 512 * MIGRATE_TYPES, grouping is off */
	KUNIT_EXPECT_TRUE(test, m->page_group_by_mobility_disabled);
	for (i = 0; i < 3; i++) {
		p[i] = sb_alloc_pages(m, GFP_DMA32, 8, NUMA_NO_NODE, NULL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		KUNIT_EXPECT_EQ(test, p[i]->zone_idx, SB_ZONE_DMA32);
	}
	SBT_VERIFY(test, m);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, sb_free_pages(m, p[i], 8), 0);
	SBT_VERIFY(test, m);
}

/*
 * build_zonelists() with distances
 *	10 20 30
 *	20 10 20
 *	30 20 10
 * find_next_best_node(): val = (distance + (n < node) + 1) * 1024 +
 * node_load[n]; node_load[n]++ when n opens a new distance group.
 *   node 0: 0, 1 (21504 < 31744), 2          load = {0, 1, 1}
 *   node 1: 1, 2 (21505 < 22528), 0          load = {0, 1, 2}
 *   node 2: 2, 1 (22529 < 32768), 0
 * Node 0 also has DMA32: its zones go highest first.
 */
static void sb_zonelist_order(struct kunit *test)
{
	static const u8 dist[9] = { 10, 20, 30, 20, 10, 20, 30, 20, 10 };
	static const int expect[3][4] = {
		{ 0, 0, 1, 2 }, { 1, 2, 0, 0 }, { 2, 1, 0, 0 },
	};
	struct sb_machine_params p = {
		.layout = "DMA32=2M,Normal=2M;Normal=2M;Normal=2M",
		.pb_order = 9, .distance = dist, .nr_distance = 9,
	};
	struct sb_machine *m = sbt_machine(test, 2048, &p);
	int nid, i;

	for (nid = 0; nid < 3; nid++) {
		struct sb_zoneref *z =
			m->nodes[nid]->node_zonelists[SB_ZONELIST_FALLBACK]._zonerefs;

		for (i = 0; i < 4; i++) {
			KUNIT_ASSERT_NOT_NULL(test, z[i].zone);
			KUNIT_EXPECT_EQ_MSG(test, z[i].zone->node, expect[nid][i],
					    "node %d entry %d", nid, i);
		}
		KUNIT_EXPECT_NULL(test, z[i].zone);
		z = m->nodes[nid]->node_zonelists[SB_ZONELIST_NOFALLBACK]._zonerefs;
		KUNIT_EXPECT_EQ(test, z[0].zone->node, nid);
		KUNIT_EXPECT_NULL(test, z[nid ? 1 : 2].zone);
	}
	/* node 0: Normal before DMA32 */
	KUNIT_EXPECT_EQ(test,
			m->nodes[0]->node_zonelists[0]._zonerefs[0].zone_idx,
			SB_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test,
			m->nodes[0]->node_zonelists[0]._zonerefs[1].zone_idx,
			SB_ZONE_DMA32);
	/* a bad distance is refused and changes nothing */
	KUNIT_EXPECT_EQ(test, sb_machine_set_distance(m, 0, 1, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, m->distance[0][1], 20);
	/* node 2 at 40 from node 1: node 1 now falls back to node 0 first */
	KUNIT_EXPECT_EQ(test, sb_machine_set_distance(m, 1, 2, 40), 0);
	KUNIT_EXPECT_EQ(test, m->nodes[1]->node_order[1], 0);
	SBT_VERIFY(test, m);
}

/* a full node spills to the next one: numa_miss there, foreign here */
static void sb_numa_counters(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test, "Normal=4M;Normal=4M", 2048, 9);
	struct sb_zone *z0 = sbt_zone(m, 0, SB_ZONE_NORMAL);
	struct sb_zone *z1 = sbt_zone(m, 1, SB_ZONE_NORMAL);
	struct sb_page *big, *page;

	KUNIT_ASSERT_EQ(test, sb_set_min_free_kbytes(m, 0), 0);
	big = sb_alloc_pages(m, GFP_KERNEL | __GFP_THISNODE, 10, 1, NULL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_EQ(test, big->nid, 1);
	KUNIT_EXPECT_EQ(test, sb_zone_numa_event_state(z1, SB_NUMA_HIT), 1UL);
	/* the emulated CPU 0 is on node 0: node 1 is "other" */
	KUNIT_EXPECT_EQ(test, sb_zone_numa_event_state(z1, SB_NUMA_OTHER), 1UL);
	/* __GFP_THISNODE does not fall back */
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL | __GFP_THISNODE |
					       __GFP_NOWARN, 0, 1, NULL));
	page = sb_alloc_pages(m, GFP_KERNEL, 0, 1, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, page->nid, 0);
	KUNIT_EXPECT_EQ(test, sb_zone_numa_event_state(z0, SB_NUMA_MISS), 1UL);
	KUNIT_EXPECT_EQ(test, sb_zone_numa_event_state(z1, SB_NUMA_FOREIGN), 1UL);
	KUNIT_EXPECT_EQ(test, sb_zone_numa_event_state(z0, SB_NUMA_LOCAL), 1UL);
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, big, 10), 0);
	SBT_VERIFY(test, m);
}

/* MPOL_INTERLEAVE round robin and MPOL_BIND */
static void sb_policies(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test, "Normal=2M;Normal=2M;Normal=2M",
					  1536, 9);
	struct sb_mempolicy il = { .mode = SB_MPOL_INTERLEAVE, .nodes = 0x7,
				   .il_prev = -1 };
	struct sb_mempolicy bind = { .mode = SB_MPOL_BIND, .nodes = BIT(2) };
	struct sb_mempolicy none = { .mode = SB_MPOL_BIND, .nodes = BIT(6) };
	struct sb_page *p[6], *b;
	int i, nid;

	for (i = 0; i < 6; i++) {
		p[i] = sb_alloc_pages_policy(m, GFP_KERNEL, 0, &il);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		KUNIT_EXPECT_EQ(test, p[i]->nid, i % 3);
	}
	for (nid = 0; nid < 3; nid++)
		KUNIT_EXPECT_EQ(test,
				sb_zone_numa_event_state(sbt_zone(m, nid, SB_ZONE_NORMAL),
							 SB_NUMA_INTERLEAVE_HIT),
				2UL);
	b = sb_alloc_pages_policy(m, GFP_KERNEL, 0, &bind);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->nid, 2);
	KUNIT_EXPECT_NULL(test, sb_alloc_pages_policy(m, GFP_KERNEL, 0, &none));
	SBT_VERIFY(test, m);
	for (i = 0; i < 6; i++)
		KUNIT_EXPECT_EQ(test, sb_free_pages(m, p[i], 0), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, b, 0), 0);
	SBT_VERIFY(test, m);
}

static struct kunit_case sb_topology_cases[] = {
	KUNIT_CASE(sb_layout_bad),
	KUNIT_CASE(sb_layout_holes),
	KUNIT_CASE(sb_zonelist_order),
	KUNIT_CASE(sb_numa_counters),
	KUNIT_CASE(sb_policies),
	{}
};

static struct kunit_suite sb_topology_suite = {
	.name = "sbuddy-topology",
	.exit = sbt_exit,
	.test_cases = sb_topology_cases,
};

kunit_test_suite(sb_topology_suite);
