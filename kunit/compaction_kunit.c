// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of sbuddy's compaction (compaction.c): a fragmented zone
 * compacts into free pageblocks with every moved block's contents intact,
 * unmovable and pinned blocks stay, the scanners meet and stop, deferred
 * compaction backs off and resets as 6.1's does, compaction_suitable()
 * answers as 6.1's for crafted free lists, and kcompactd compacts when
 * woken and proactively.
 *
 * The machine is one 16 MiB Normal zone (4096 pages, eight order-9
 * pageblocks) with boot pagesets, so frees reach the buddy lists at once.
 */
#include <linux/crc32.h>
#include <linux/delay.h>
#include <linux/slab.h>

#include "sb_compaction.h"
#include "sb_kunit.h"

#define NR		4096UL
#define PB_ORDER	9
/* no direct reclaim: a full zone must not reclaim, compact or OOM */
#define SBT_MOVABLE	((GFP_HIGHUSER_MOVABLE & ~__GFP_DIRECT_RECLAIM) | \
			 __GFP_NOWARN)
#define SBT_UNMOVABLE	((GFP_KERNEL & ~__GFP_DIRECT_RECLAIM) | __GFP_NOWARN)

struct sbt_frag {
	struct sb_owner o;
	struct sb_block **blk;	/* the blocks kept, by allocation order */
	u32 *crc;
	unsigned int nr;
};

static struct sb_machine *sbt_compact_machine(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test, "Normal=16M", NR, PB_ORDER);

	sbt_boot_pagesets(m);
	return m;
}

static struct sb_zone *sbt_normal(struct sb_machine *m)
{
	return sbt_zone(m, 0, SB_ZONE_NORMAL);
}

static void sbt_fill(struct sb_machine *m, struct sb_block *blk, u32 seed)
{
	u32 *p = sb_page_address(m, blk->page);
	size_t i;

	for (i = 0; i < (PAGE_SIZE << blk->order) / sizeof(*p); i++)
		p[i] = seed * 2654435761U + i;
}

static u32 sbt_crc(struct sb_machine *m, struct sb_block *blk)
{
	return crc32(0, sb_page_address(m, blk->page), PAGE_SIZE << blk->order);
}

/* free pages in blocks of at least a pageblock */
static unsigned long sbt_free_pb_pages(struct sb_zone *zone)
{
	unsigned long sum = 0;
	int order;

	for (order = PB_ORDER; order < SB_MAX_ORDER; order++)
		sum += zone->free_area[order].nr_free << order;
	return sum;
}

/*
 * Fill the zone with order-0 blocks (every @unmov_every-th unmovable, the
 * rest movable) until an allocation fails, then free every other one:
 * every pageblock keeps blocks and free pages side by side.  The kept
 * movable blocks are filled and checksummed.
 */
static void sbt_fragment(struct kunit *test, struct sb_machine *m,
			 struct sbt_frag *f, unsigned int unmov_every)
{
	struct sb_block **all;
	unsigned int i, n = 0;

	sb_owner_init(&f->o, m, NULL, "frag");
	all = kunit_kcalloc(test, NR, sizeof(*all), GFP_KERNEL);
	f->blk = kunit_kcalloc(test, NR, sizeof(*f->blk), GFP_KERNEL);
	f->crc = kunit_kcalloc(test, NR, sizeof(*f->crc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, all);
	KUNIT_ASSERT_NOT_NULL(test, f->blk);
	KUNIT_ASSERT_NOT_NULL(test, f->crc);
	for (i = 0; i < NR; i++) {
		bool unmov = unmov_every && i % unmov_every == unmov_every - 1;
		/* __GFP_MEMALLOC: below the watermarks, down to the last page */
		struct sb_block *b = sb_owner_alloc(&f->o, (unmov ? SBT_UNMOVABLE :
							    SBT_MOVABLE) |
						    __GFP_MEMALLOC, 0, NULL);

		if (IS_ERR(b))
			break;
		all[n++] = b;
	}
	KUNIT_ASSERT_EQ(test, n, (unsigned int)NR);
	f->nr = 0;
	for (i = 0; i < n; i++) {
		if (sbt_pfn(m, all[i]->page) & 1) {
			KUNIT_ASSERT_EQ(test, sb_owner_free(&f->o, all[i]), 0);
			continue;
		}
		sbt_fill(m, all[i], i);
		f->crc[f->nr] = sbt_crc(m, all[i]);
		f->blk[f->nr++] = all[i];
	}
	/* no free block as big as a pageblock is left */
	KUNIT_ASSERT_EQ(test, sbt_free_pb_pages(sbt_normal(m)), 0UL);
}

/* every kept block still holds what was written to it */
static unsigned int sbt_check_contents(struct kunit *test, struct sb_machine *m,
				       struct sbt_frag *f)
{
	unsigned int i, moved = 0;

	for (i = 0; i < f->nr; i++) {
		KUNIT_EXPECT_EQ_MSG(test, sbt_crc(m, f->blk[i]), f->crc[i],
				    "block %u at pfn %#lx moved %u times", i,
				    sbt_pfn(m, f->blk[i]->page),
				    f->blk[i]->nr_migrated);
		moved += f->blk[i]->nr_migrated;
	}
	return moved;
}

/*
 * compact_memory over a zone fragmented in every pageblock: whole free
 * pageblocks come back, each moved block's contents are intact, the
 * counters agree with what moved.
 */
static void sb_compaction_frees_pageblocks(struct kunit *test)
{
	struct sb_machine *m = sbt_compact_machine(test);
	struct sb_zone *zone = sbt_normal(m);
	unsigned long success, isolated, moved;
	struct sbt_frag f;

	sbt_fragment(test, m, &f, 0);
	SBT_VERIFY(test, m);

	KUNIT_ASSERT_EQ(test, sb_compact_nodes(m, NUMA_NO_NODE), 0);
	sb_drain_all_pages(m, NULL);

	KUNIT_EXPECT_GE(test, sbt_free_pb_pages(zone), 1UL << PB_ORDER);
	moved = sbt_check_contents(test, m, &f);
	KUNIT_EXPECT_GT(test, moved, 0UL);
	success = sb_vm_event(m, SB_PGMIGRATE_SUCCESS);
	isolated = sb_vm_event(m, SB_COMPACTISOLATED);
	/* order-0 blocks: one page per move, and one free page isolated */
	KUNIT_EXPECT_EQ(test, success, moved);
	KUNIT_EXPECT_GE(test, isolated, 2 * success);
	KUNIT_EXPECT_GT(test, sb_vm_event(m, SB_COMPACTMIGRATE_SCANNED), 0UL);
	KUNIT_EXPECT_GT(test, sb_vm_event(m, SB_COMPACTFREE_SCANNED), 0UL);
	/* compact_memory is no direct compaction: no stall counted */
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_COMPACTSTALL), 0UL);
	SBT_VERIFY(test, m);

	/* a free pageblock can be allocated now */
	KUNIT_EXPECT_NOT_NULL(test, sb_alloc_pages(m, SBT_MOVABLE, PB_ORDER,
						   NUMA_NO_NODE, NULL));
	sb_owner_release(&f.o);
	SBT_VERIFY(test, m);
}

/* unmovable and pinned blocks never move; the rest still compacts */
static void sb_compaction_unmovable_and_pinned_stay(struct kunit *test)
{
	struct sb_machine *m = sbt_compact_machine(test);
	struct sb_page **where;
	struct sbt_frag f;
	unsigned int i, pinned = 0, unmov = 0;

	sbt_fragment(test, m, &f, 8);
	where = kunit_kcalloc(test, f.nr, sizeof(*where), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, where);
	for (i = 0; i < f.nr; i++) {
		where[i] = f.blk[i]->page;
		if (f.blk[i]->migratetype == SB_MIGRATE_UNMOVABLE) {
			unmov++;
		} else if (i % 5 == 0) {
			KUNIT_ASSERT_EQ(test, sb_block_pin(f.blk[i]), 0);
			pinned++;
		}
	}
	KUNIT_ASSERT_GT(test, unmov, 0U);
	KUNIT_ASSERT_GT(test, pinned, 0U);

	KUNIT_ASSERT_EQ(test, sb_compact_nodes(m, 0), 0);

	for (i = 0; i < f.nr; i++) {
		struct sb_block *b = f.blk[i];

		if (b->migratetype == SB_MIGRATE_UNMOVABLE || b->pins) {
			KUNIT_EXPECT_PTR_EQ(test, b->page, where[i]);
			KUNIT_EXPECT_EQ(test, b->nr_migrated, 0U);
		}
	}
	KUNIT_EXPECT_GT(test, sbt_check_contents(test, m, &f), 0U);
	/* isolation refused the pinned blocks it met */
	KUNIT_EXPECT_GT(test, sb_vm_event(m, SB_EV_PIN_MIGRATE_FAIL), 0UL);
	SBT_VERIFY(test, m);
	sb_owner_release(&f.o);
	SBT_VERIFY(test, m);
}

/*
 * A whole-zone compaction runs until the free scanner reaches the
 * migration scanner's pageblock, then stops with COMPACT_COMPLETE and
 * resets the cached positions for the next run.
 */
static void sb_compaction_scanners_meet(struct kunit *test)
{
	struct sb_machine *m = sbt_compact_machine(test);
	struct sb_zone *zone = sbt_normal(m);
	struct sb_compact_control cc = {
		.order = -1,
		.mode = SB_MIGRATE_SYNC,
		.ignore_skip_hint = true,
		.whole_zone = true,
		.gfp_mask = GFP_KERNEL,
		.zone = zone,
	};
	unsigned long end = sb_zone_end_pfn(zone);
	struct sbt_frag f;

	sbt_fragment(test, m, &f, 0);
	KUNIT_EXPECT_EQ(test, sb_compact_zone(&cc, NULL), SB_COMPACT_COMPLETE);
	KUNIT_EXPECT_TRUE(test, sb_compact_scanners_met(&cc));
	/* both stopped inside the zone, the free scanner not below */
	KUNIT_EXPECT_GE(test, cc.free_pfn, zone->zone_start_pfn);
	KUNIT_EXPECT_LE(test, cc.migrate_pfn, end);
	KUNIT_EXPECT_TRUE(test, list_empty(&cc.freepages));
	KUNIT_EXPECT_TRUE(test, list_empty(&cc.migratepages));
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[0],
			zone->zone_start_pfn);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_migrate_pfn[1],
			zone->zone_start_pfn);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn,
			end - (1UL << PB_ORDER));
	/* a direct compaction that meets asks kswapd to clear the hints */
	KUNIT_EXPECT_FALSE(test, zone->compact_blockskip_flush);
	sbt_check_contents(test, m, &f);
	SBT_VERIFY(test, m);
	sb_owner_release(&f.o);
}

/* try_to_compact_pages() over the node's zonelist */
static enum sb_compact_result sbt_direct(struct sb_machine *m, int order,
					 enum sb_compact_priority prio,
					 struct sb_page **capture)
{
	struct sb_alloc_context ac = {
		.zonelist = &m->nodes[0]->node_zonelists[SB_ZONELIST_FALLBACK],
		.migratetype = SB_MIGRATE_MOVABLE,
		.highest_zoneidx = SB_ZONE_MOVABLE,
	};

	ac.preferred_zoneref = sb_next_zones_zonelist(ac.zonelist->_zonerefs,
						      ac.highest_zoneidx, NULL);
	return sb_try_to_compact_pages(m, GFP_HIGHUSER_MOVABLE, order,
				       SB_ALLOC_WMARK_MIN, &ac, prio, capture);
}

/*
 * defer_compaction() / compaction_deferred() / compaction_defer_reset()
 * step by step: 1 << compact_defer_shift tries are skipped, up to 64;
 * orders below compact_order_failed are never deferred.
 */
static void sb_compaction_defer_backoff(struct kunit *test)
{
	struct sb_machine *m = sbt_compact_machine(test);
	struct sb_zone *zone = sbt_normal(m);
	unsigned int shift, skipped;

	sb_compaction_defer_reset(zone, 9, true);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 10);
	KUNIT_EXPECT_FALSE(test, sb_compaction_deferred(zone, 9));

	for (shift = 1; shift <= 8; shift++) {
		unsigned int want = min_t(unsigned int, shift,
					  SB_COMPACT_MAX_DEFER_SHIFT);

		sb_defer_compaction(zone, 9);
		KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, want);
		KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
		KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 9);
		/* smaller orders go ahead and are not counted */
		KUNIT_EXPECT_FALSE(test, sb_compaction_deferred(zone, 8));
		KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
		skipped = 0;
		while (sb_compaction_deferred(zone, 9))
			skipped++;
		KUNIT_EXPECT_EQ(test, skipped, (1U << want) - 1);
		KUNIT_EXPECT_EQ(test, zone->compact_considered, 1U << want);
		/* deferred as long as it goes: the skip hints are cleared */
		KUNIT_EXPECT_EQ(test, sb_compaction_restarting(zone, 9),
				want == SB_COMPACT_MAX_DEFER_SHIFT);
	}

	/* a failure at a lower order lowers compact_order_failed */
	sb_defer_compaction(zone, 4);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 4);
	/* success expected, not seen: only compact_order_failed moves */
	sb_compaction_defer_reset(zone, 6, false);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 7);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift,
			(unsigned int)SB_COMPACT_MAX_DEFER_SHIFT);
	/* an allocation succeeded: everything forgotten */
	sb_compaction_defer_reset(zone, 6, true);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 0U);
	KUNIT_EXPECT_FALSE(test, sb_compaction_restarting(zone, 9));
}

/*
 * try_to_compact_pages(): a sync compaction that cannot free the order
 * (nothing movable) defers the zone; the next try is deferred; an async
 * one never defers; one that succeeds resets compact_order_failed.
 */
static void sb_compaction_direct_defers(struct kunit *test)
{
	struct sb_machine *m = sbt_compact_machine(test);
	struct sb_zone *zone = sbt_normal(m);
	struct sb_page *capture = NULL;
	struct sbt_frag f;
	unsigned int i;

	/* every kept block unmovable: nothing for compaction to move */
	sbt_fragment(test, m, &f, 1);
	sb_compaction_defer_reset(zone, 9, true);

	KUNIT_EXPECT_EQ(test, sbt_direct(m, 9, SB_COMPACT_PRIO_ASYNC, &capture),
			SB_COMPACT_PARTIAL_SKIPPED);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_NULL(test, capture);

	KUNIT_EXPECT_LT(test, sbt_direct(m, 9, SB_COMPACT_PRIO_SYNC_LIGHT,
					 &capture), SB_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 9);
	KUNIT_EXPECT_EQ(test, sbt_direct(m, 9, SB_COMPACT_PRIO_SYNC_LIGHT,
					 &capture), SB_COMPACT_DEFERRED);
	KUNIT_EXPECT_EQ(test, zone->compact_considered, 1U);
	/* the highest priority ignores the deferral */
	KUNIT_EXPECT_NE(test, sbt_direct(m, 9, SB_COMPACT_PRIO_SYNC_FULL,
					 &capture), SB_COMPACT_DEFERRED);
	SBT_VERIFY(test, m);
	sb_owner_release(&f.o);

	/* now a movable fragmented zone: direct compaction succeeds */
	sbt_fragment(test, m, &f, 0);
	for (i = 0; i < 3; i++)
		if (sbt_direct(m, 9, SB_COMPACT_PRIO_SYNC_FULL, &capture) ==
		    SB_COMPACT_SUCCESS)
			break;
	KUNIT_EXPECT_LT(test, i, 3U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 10);
	KUNIT_EXPECT_NOT_NULL(test, sb_alloc_pages(m, SBT_MOVABLE, 9,
						   NUMA_NO_NODE, NULL));
	sbt_check_contents(test, m, &f);
	sb_owner_release(&f.o);
	SBT_VERIFY(test, m);
}

/* __fragmentation_index() for @free order-0 pages and nothing else */
static int sbt_fragindex_order0(unsigned long free, unsigned int order)
{
	return 1000 - (int)((1000 + free * 1000 / (1UL << order)) / free);
}

/*
 * compaction_suitable() for crafted free lists: SUCCESS when the order is
 * free above the watermark, CONTINUE when fragmented with room for the
 * free scanner, SKIPPED below the watermark plus compact_gap() or when
 * the fragmentation index is at most extfrag_threshold (costly orders
 * only); order -1 always continues.
 */
static void sb_compaction_suitable_answers(struct kunit *test)
{
	struct sb_machine *m = sbt_compact_machine(test);
	struct sb_zone *zone = sbt_normal(m);
	unsigned long free, low;
	struct sb_block *b;
	struct sbt_frag f;
	int idx;

	/* a fresh zone: order 9 is free */
	KUNIT_EXPECT_EQ(test, sb_compaction_suitable(zone, 9, SB_ALLOC_WMARK_MIN,
						     SB_ZONE_NORMAL),
			SB_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, sb_compaction_suitable(zone, -1, 0, SB_ZONE_NORMAL),
			SB_COMPACT_CONTINUE);

	/* every other page free: only order-0 blocks */
	sbt_fragment(test, m, &f, 0);
	free = zone->free_area[0].nr_free;
	KUNIT_ASSERT_EQ(test, sb_zone_page_state_snapshot(zone, SB_NR_FREE_PAGES),
			free);
	idx = sb_fragmentation_index(zone, 9);
	KUNIT_EXPECT_EQ(test, idx, sbt_fragindex_order0(free, 9));
	low = sb_wmark_pages(zone, SB_WMARK_LOW);
	KUNIT_ASSERT_GT(test, free, low + (2UL << 9));
	KUNIT_ASSERT_GT(test, idx, m->extfrag_threshold);
	KUNIT_EXPECT_EQ(test, sb_compaction_suitable(zone, 9, SB_ALLOC_WMARK_MIN,
						     SB_ZONE_NORMAL),
			SB_COMPACT_CONTINUE);

	/* the index at the threshold: not a fragmentation problem */
	KUNIT_ASSERT_EQ(test, sb_set_extfrag_threshold(m, idx), 0);
	KUNIT_EXPECT_EQ(test, sb_compaction_suitable(zone, 9, SB_ALLOC_WMARK_MIN,
						     SB_ZONE_NORMAL),
			SB_COMPACT_SKIPPED);
	/* ... which non-costly orders ignore */
	KUNIT_EXPECT_EQ(test, sb_compaction_suitable(zone, 3, SB_ALLOC_WMARK_MIN,
						     SB_ZONE_NORMAL),
			SB_COMPACT_CONTINUE);
	KUNIT_ASSERT_EQ(test, sb_set_extfrag_threshold(m, idx - 1), 0);
	KUNIT_EXPECT_EQ(test, sb_compaction_suitable(zone, 9, SB_ALLOC_WMARK_MIN,
						     SB_ZONE_NORMAL),
			SB_COMPACT_CONTINUE);
	KUNIT_EXPECT_EQ(test, sb_set_extfrag_threshold(m, 1001), -EINVAL);
	KUNIT_EXPECT_EQ(test, m->extfrag_threshold, idx - 1);

	/* order 0 is free above the watermark */
	KUNIT_EXPECT_EQ(test, sb_compaction_suitable(zone, 0, SB_ALLOC_WMARK_MIN,
						     SB_ZONE_NORMAL),
			SB_COMPACT_SUCCESS);

	/* take free pages until low + compact_gap(9) no longer holds */
	while (sb_zone_page_state(zone, SB_NR_FREE_PAGES) >= low + (2UL << 9)) {
		b = sb_owner_alloc(&f.o, SBT_MOVABLE, 0, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	}
	KUNIT_EXPECT_EQ(test, sb_compaction_suitable(zone, 9, SB_ALLOC_WMARK_MIN,
						     SB_ZONE_NORMAL),
			SB_COMPACT_SKIPPED);
	/* order 1 needs only min + compact_gap(1), and is fragmented */
	KUNIT_EXPECT_EQ(test, sb_compaction_suitable(zone, 1, SB_ALLOC_WMARK_MIN,
						     SB_ZONE_NORMAL),
			SB_COMPACT_CONTINUE);
	sb_owner_release(&f.o);
	SBT_VERIFY(test, m);
}

/*
 * kcompactd: woken for order 9 it compacts the fragmented zone (one
 * compact_daemon_wake); with proactiveness at 100 it compacts on its own
 * until the fragmentation score falls below the low mark.
 */
static void sb_compaction_kcompactd(struct kunit *test)
{
	struct sb_machine *m = sbt_compact_machine(test);
	struct sb_zone *zone = sbt_normal(m);
	struct sb_node *pgdat = m->nodes[0];
	unsigned int score;
	struct sbt_frag f;
	int i;

	KUNIT_ASSERT_EQ(test, sb_set_compaction_proactiveness(m, 0), 0);
	KUNIT_ASSERT_EQ(test, sb_kcompactd_run(m, 0), 0);
	sbt_fragment(test, m, &f, 0);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_KCOMPACTD_WAKE), 0UL);

	/* wait until kcompactd sleeps on its queue, then wake it */
	for (i = 0; i < 500 && !wq_has_sleeper(&pgdat->kcompactd_wait); i++)
		msleep(20);
	sb_wakeup_kcompactd(pgdat, 9, SB_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(pgdat->kcompactd_max_order), 9);
	/* kcompactd_do_work() forgets the order when done */
	for (i = 0; i < 500 && READ_ONCE(pgdat->kcompactd_max_order); i++)
		msleep(20);
	KUNIT_EXPECT_GE(test, sbt_free_pb_pages(zone), 1UL << PB_ORDER);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_KCOMPACTD_WAKE), 1UL);
	KUNIT_EXPECT_GT(test, sb_vm_event(m, SB_KCOMPACTD_MIGRATE_SCANNED), 0UL);
	sb_kcompactd_stop(m, 0);
	sbt_check_contents(test, m, &f);
	sb_owner_release(&f.o);

	/*
	 * Proactive compaction: fragment again; the write of the knob
	 * triggers a check (kcompactd clears the trigger after its run).
	 */
	sbt_fragment(test, m, &f, 0);
	KUNIT_ASSERT_EQ(test, sb_set_compaction_proactiveness(m, 100), 0);
	KUNIT_EXPECT_EQ(test, sb_set_compaction_proactiveness(m, 101), -EINVAL);
	KUNIT_EXPECT_EQ(test, m->compaction_proactiveness, 100);
	score = sb_fragmentation_score_node(pgdat);
	KUNIT_ASSERT_GT(test, score, sb_fragmentation_score_wmark(pgdat, false));
	KUNIT_EXPECT_TRUE(test, sb_should_proactive_compact_node(pgdat));
	KUNIT_ASSERT_EQ(test, sb_kcompactd_run(m, 0), 0);
	for (i = 0; i < 500 && READ_ONCE(pgdat->proactive_compact_trigger); i++)
		msleep(20);
	sb_kcompactd_stop(m, 0);
	KUNIT_EXPECT_FALSE(test, pgdat->proactive_compact_trigger);
	KUNIT_EXPECT_LT(test, sb_fragmentation_score_node(pgdat), score);
	KUNIT_EXPECT_GE(test, sbt_free_pb_pages(zone), 1UL << PB_ORDER);
	/* proactive runs count no wakeup */
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_KCOMPACTD_WAKE), 1UL);
	sbt_check_contents(test, m, &f);
	sb_owner_release(&f.o);
	SBT_VERIFY(test, m);
}

/* a trigger for a node the machine lacks changes nothing */
static void sb_compaction_bad_node(struct kunit *test)
{
	struct sb_machine *m = sbt_compact_machine(test);

	KUNIT_EXPECT_EQ(test, sb_compact_nodes(m, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_compact_nodes(m, -2), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_compact_nodes(m, SB_MAX_NUMNODES), -EINVAL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_COMPACTMIGRATE_SCANNED), 0UL);
	KUNIT_EXPECT_EQ(test, sb_compact_nodes(m, 0), 0);
	KUNIT_EXPECT_GT(test, sb_vm_event(m, SB_COMPACTMIGRATE_SCANNED), 0UL);
	SBT_VERIFY(test, m);
}

/*
 * compaction_capture(): a block freed at the compactor's order is taken
 * unless it would pollute CMA, an isolated range or (below a pageblock)
 * a movable pageblock; task_capc() never hands one to a kernel thread.
 */
static void sb_compaction_capture_rules(struct kunit *test)
{
	struct sb_machine *m = sbt_compact_machine(test);
	struct sb_zone *zone = sbt_normal(m);
	struct sb_compact_control cc = { .order = 3, .zone = zone };
	struct sb_capture_control capc = { .cc = &cc, .task = current };
	struct sb_page *page = sbt_page(m, 8);
	unsigned long flags;

	KUNIT_EXPECT_FALSE(test, sb_compaction_capture(m, NULL, page, 3,
						       SB_MIGRATE_UNMOVABLE));
	KUNIT_EXPECT_FALSE(test, sb_compaction_capture(m, &capc, page, 2,
						       SB_MIGRATE_UNMOVABLE));
	KUNIT_EXPECT_FALSE(test, sb_compaction_capture(m, &capc, page, 3,
						       SB_MIGRATE_MOVABLE));
	KUNIT_EXPECT_FALSE(test, sb_compaction_capture(m, &capc, page, 3,
						       SB_MIGRATE_CMA));
	KUNIT_EXPECT_FALSE(test, sb_compaction_capture(m, &capc, page, 3,
						       SB_MIGRATE_ISOLATE));
	KUNIT_EXPECT_NULL(test, capc.page);
	KUNIT_EXPECT_TRUE(test, sb_compaction_capture(m, &capc, page, 3,
						      SB_MIGRATE_UNMOVABLE));
	KUNIT_EXPECT_PTR_EQ(test, capc.page, page);

	/* a pageblock-sized movable block is worth taking */
	capc.page = NULL;
	cc.order = PB_ORDER;
	KUNIT_EXPECT_TRUE(test, sb_compaction_capture(m, &capc, page, PB_ORDER,
						      SB_MIGRATE_MOVABLE));

	/* registered on the zone, but KUnit runs in a kernel thread */
	capc.page = NULL;
	spin_lock_irqsave(&zone->lock, flags);
	list_add(&capc.node, &zone->compact_captures);
	KUNIT_EXPECT_NULL(test, sb_task_capc(zone));
	list_del(&capc.node);
	spin_unlock_irqrestore(&zone->lock, flags);
	SBT_VERIFY(test, m);
}

static struct kunit_case sb_compaction_cases[] = {
	KUNIT_CASE(sb_compaction_frees_pageblocks),
	KUNIT_CASE(sb_compaction_unmovable_and_pinned_stay),
	KUNIT_CASE(sb_compaction_scanners_meet),
	KUNIT_CASE(sb_compaction_defer_backoff),
	KUNIT_CASE(sb_compaction_direct_defers),
	KUNIT_CASE(sb_compaction_suitable_answers),
	KUNIT_CASE(sb_compaction_kcompactd),
	KUNIT_CASE(sb_compaction_bad_node),
	KUNIT_CASE(sb_compaction_capture_rules),
	{}
};

static struct kunit_suite sb_compaction_suite = {
	.name = "sbuddy-compaction",
	.exit = sbt_exit,
	.test_cases = sb_compaction_cases,
};

kunit_test_suite(sb_compaction_suite);
