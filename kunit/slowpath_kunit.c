// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of sbuddy's slow path (alloc.c) and reclaim (vmscan.c):
 * the order of 6.1's __alloc_pages_slowpath() steps, read from the
 * machine's step log (kept in KUnit builds only, so the module pays
 * nothing for it), __GFP_NOFAIL, direct reclaim batches, kswapd's
 * watermarks, the OOM kill and ALLOC_NO_WATERMARKS.
 *
 * The machines have one 4 MiB Normal zone with min_free_kbytes 512:
 * watermarks are read from the zone, never assumed.
 */
#include <linux/delay.h>

#include "sb_kunit.h"

#define NR	1024UL

struct sbt_owner {
	struct sb_owner o;
	int reclaims;
};

static void sbt_reclaimed(struct sb_block *blk)
{
	container_of(blk->owner, struct sbt_owner, o)->reclaims++;
}

static const struct sb_owner_ops sbt_ops = {
	.reclaimed = sbt_reclaimed,
};

static struct sb_zone *sbt_normal(struct sb_machine *m)
{
	return sbt_zone(m, 0, SB_ZONE_NORMAL);
}

static unsigned long sbt_free(struct sb_machine *m)
{
	return sb_zone_page_state_snapshot(sbt_normal(m), SB_NR_FREE_PAGES);
}

static unsigned long sbt_wmark(struct sb_machine *m, int i)
{
	return sb_wmark_pages(sbt_normal(m), i);
}

/*
 * No pcp lists and exact counters, again after each watermark change
 * (which resizes both): what a case sees is the zone.
 */
static void sbt_sp_min_free(struct kunit *test, struct sb_machine *m,
			    int kbytes)
{
	int cpu;

	KUNIT_ASSERT_EQ(test, sb_set_min_free_kbytes(m, kbytes), 0);
	sbt_boot_pagesets(m);
	for_each_possible_cpu(cpu)
		per_cpu_ptr(sbt_normal(m)->per_cpu_zonestats, cpu)->stat_threshold = 0;
}

/* no boosts; watermarks at 0 while the case fills the zone */
static struct sb_machine *sbt_sp_machine(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test, "Normal=4M", NR, 4);

	KUNIT_ASSERT_EQ(test, sb_set_watermark_boost_factor(m, 0), 0);
	sbt_sp_min_free(test, m, 0);
	return m;
}

/* the case's real watermarks, once the zone is filled */
static void sbt_sp_wmarks(struct kunit *test, struct sb_machine *m)
{
	sbt_sp_min_free(test, m, 512);
	KUNIT_ASSERT_GT(test, sbt_wmark(m, SB_WMARK_MIN), 64UL);
}

/* unowned unmovable pages until @left pages are free; returns them */
static struct sb_page **sbt_fill_bare(struct kunit *test, struct sb_machine *m,
				      unsigned long left, unsigned long *nr)
{
	struct sb_page **pages = kunit_kcalloc(test, NR, sizeof(*pages),
					       GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pages);
	*nr = 0;
	while (sbt_free(m) > left) {
		pages[*nr] = sb_alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 0,
					    NUMA_NO_NODE, NULL);
		KUNIT_ASSERT_NOT_NULL(test, pages[*nr]);
		(*nr)++;
	}
	return pages;
}

/* reclaimable blocks of @t until @left pages are free */
static unsigned long sbt_fill_reclaimable(struct kunit *test,
					  struct sb_machine *m,
					  struct sbt_owner *t, unsigned long left)
{
	unsigned long n = 0;

	while (sbt_free(m) > left) {
		struct sb_block *blk;

		blk = sb_owner_alloc(&t->o, GFP_KERNEL | __GFP_RECLAIMABLE |
				     __GFP_NOWARN, 0, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(blk));
		n++;
	}
	return n;
}

static void sbt_free_bare(struct sb_machine *m, struct sb_page **pages,
			  unsigned long nr)
{
	while (nr--)
		sb_free_pages(m, pages[nr], 0);
}

static void sbt_log_start(struct sb_machine *m)
{
	m->sp_log_nr = 0;
	WRITE_ONCE(m->sp_log_on, true);
}

static void sbt_log_stop(struct sb_machine *m)
{
	WRITE_ONCE(m->sp_log_on, false);
}

static const char * const sbt_step_names[] = {
	"wake_kswapd", "get_page", "compact", "no_watermarks", "reclaim",
	"oom", "nofail", "nopage",
};

/* the log's steps (and the args in @want that are not -1) equal @want */
static void sbt_expect_steps(struct kunit *test, struct sb_machine *m,
			     const int (*want)[2], unsigned int n)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, m->sp_log_nr, n);
	for (i = 0; i < min(n, m->sp_log_nr); i++) {
		int step = SB_SP_STEP(m->sp_log[i]);
		int arg = SB_SP_ARG(m->sp_log[i]);

		KUNIT_EXPECT_EQ_MSG(test, step, want[i][0],
				    "step %u is %s, want %s", i,
				    sbt_step_names[step],
				    sbt_step_names[want[i][0]]);
		if (want[i][1] >= 0)
			KUNIT_EXPECT_EQ_MSG(test, arg, want[i][1],
					    "step %u (%s) arg", i,
					    sbt_step_names[step]);
	}
	/*
	 * The trace only when it is wrong: a case's debugfs log holds 512
	 * bytes, and its "ok" line is lost when the log is full.
	 */
	if (READ_ONCE(test->status) == KUNIT_SUCCESS)
		return;
	for (i = 0; i < m->sp_log_nr; i++)
		kunit_info(test, "step %u: %s %d\n", i,
			   sbt_step_names[SB_SP_STEP(m->sp_log[i])],
			   SB_SP_ARG(m->sp_log[i]));
}

/*
 * A costly request in a fragmented zone (only lone free pages, fewer
 * than compaction needs): 6.1 wakes kswapd, retries with the slow path's
 * flags, compacts async first; __GFP_NORETRY gives up there (compaction
 * skipped); without it the retry loop wakes kswapd again, retries,
 * reclaims (nothing to reclaim), compacts at DEF_COMPACT_PRIORITY and
 * gives up (costly, no __GFP_RETRY_MAYFAIL) without an OOM kill.  With
 * __GFP_RETRY_MAYFAIL it gives up only after should_reclaim_retry() and
 * still never kills for a costly order.
 */
static void sb_slowpath_costly_steps(struct kunit *test)
{
	static const int noretry[][2] = {
		{ SB_SP_WAKE_KSWAPD, 4 }, { SB_SP_GET_PAGE, -1 },
		{ SB_SP_COMPACT, SB_COMPACT_PRIO_ASYNC }, { SB_SP_NOPAGE, -1 },
	};
	static const int retry[][2] = {
		{ SB_SP_WAKE_KSWAPD, 4 }, { SB_SP_GET_PAGE, -1 },
		{ SB_SP_COMPACT, SB_COMPACT_PRIO_ASYNC },
		{ SB_SP_WAKE_KSWAPD, 4 }, { SB_SP_GET_PAGE, -1 },
		{ SB_SP_RECLAIM, 0 },
		{ SB_SP_COMPACT, SB_COMPACT_PRIO_SYNC_LIGHT },
		{ SB_SP_NOPAGE, -1 },
	};
	struct sb_machine *m = sbt_sp_machine(test);
	struct sb_node *node = m->nodes[0];
	struct sb_page **pages;
	unsigned long nr, i;
	unsigned int k;

	pages = sbt_fill_bare(test, m, 0, &nr);
	KUNIT_ASSERT_EQ(test, nr, NR);
	/* every other page of the first 48: free, but no order-1 block */
	for (i = 0; i < 48; i += 2) {
		KUNIT_ASSERT_EQ(test, sb_free_pages(m, pages[i], 0), 0);
		pages[i] = NULL;
	}
	sbt_sp_wmarks(test, m);

	WRITE_ONCE(node->kswapd_order, 0);
	WRITE_ONCE(node->kswapd_highest_zoneidx, SB_MAX_NR_ZONES);
	sbt_log_start(m);
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL | __GFP_NORETRY |
					       __GFP_NOWARN, 4, NUMA_NO_NODE,
					       NULL));
	sbt_log_stop(m);
	sbt_expect_steps(test, m, noretry, ARRAY_SIZE(noretry));
	/* kswapd was asked for the order and zone */
	KUNIT_EXPECT_EQ(test, READ_ONCE(node->kswapd_order), 4);
	KUNIT_EXPECT_EQ(test, READ_ONCE(node->kswapd_highest_zoneidx),
			SB_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_ALLOCSTALL_NORMAL), 0UL);

	sbt_log_start(m);
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 4,
					       NUMA_NO_NODE, NULL));
	sbt_log_stop(m);
	sbt_expect_steps(test, m, retry, ARRAY_SIZE(retry));
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_ALLOCSTALL_NORMAL), 1UL);

	/* __GFP_RETRY_MAYFAIL loops, but a costly order never kills */
	sbt_log_start(m);
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_KERNEL |
					       __GFP_RETRY_MAYFAIL |
					       __GFP_NOWARN, 4, NUMA_NO_NODE,
					       NULL));
	sbt_log_stop(m);
	KUNIT_EXPECT_GE(test, m->sp_log_nr, ARRAY_SIZE(retry));
	for (k = 0; k < m->sp_log_nr; k++)
		KUNIT_EXPECT_NE(test, SB_SP_STEP(m->sp_log[k]), SB_SP_OOM);
	KUNIT_EXPECT_EQ(test, SB_SP_STEP(m->sp_log[m->sp_log_nr - 1]),
			SB_SP_NOPAGE);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_OOM_KILL), 0UL);

	for (i = 0; i < nr; i++)
		if (pages[i])
			sb_free_pages(m, pages[i], 0);
	SBT_VERIFY(test, m);
}

/*
 * An order-4 request in a zone full of reclaimable pages: with
 * __GFP_NORETRY the costly request gives up after async compaction,
 * reclaiming nothing; with __GFP_NOFAIL it reclaims until it succeeds,
 * and kills nobody.  With nothing left to reclaim or kill, sbuddy's
 * __GFP_NOFAIL gives up (6.1 would loop for ever).
 */
static void sb_slowpath_nofail(struct kunit *test)
{
	struct sb_machine *m = sbt_sp_machine(test);
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	struct sbt_owner t = { };
	struct sb_page *page, **pages;
	unsigned long lru, nr;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	KUNIT_ASSERT_EQ(test, sbt_fill_reclaimable(test, m, &t, 0), NR);
	sbt_sp_wmarks(test, m);

	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, gfp | __GFP_NORETRY, 4,
					       NUMA_NO_NODE, NULL));
	KUNIT_EXPECT_EQ(test, t.reclaims, 0);

	page = sb_alloc_pages(m, gfp | __GFP_NOFAIL, 4, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	lru = m->nodes[0]->nr_lru_pages;
	KUNIT_EXPECT_GT(test, lru, 0UL);
	KUNIT_EXPECT_EQ(test, (unsigned long)t.reclaims, NR - lru);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 4), 0);
	sb_owner_release(&t.o);
	SBT_VERIFY(test, m);

	/* nothing reclaimable, no owner: __GFP_NOFAIL fails, after trying */
	sbt_sp_min_free(test, m, 0);
	pages = sbt_fill_bare(test, m, 0, &nr);
	sbt_sp_wmarks(test, m);
	sbt_log_start(m);
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, gfp | __GFP_NOFAIL, 0,
					       NUMA_NO_NODE, NULL));
	sbt_log_stop(m);
	KUNIT_ASSERT_GE(test, m->sp_log_nr, 2U);
	KUNIT_EXPECT_EQ(test, SB_SP_STEP(m->sp_log[m->sp_log_nr - 2]),
			SB_SP_NOFAIL);
	sbt_free_bare(m, pages, nr);
	SBT_VERIFY(test, m);
}

/*
 * try_to_free_pages() reclaims one SWAP_CLUSTER_MAX batch: at least 32
 * pages, less than two batches, oldest first, counted as pgscan_direct,
 * pgsteal_direct and one allocstall of the request's zone.
 */
static void sb_slowpath_direct_reclaim_batch(struct kunit *test)
{
	struct sb_machine *m = sbt_sp_machine(test);
	struct sb_zonelist *zl = &m->nodes[0]->node_zonelists[SB_ZONELIST_FALLBACK];
	struct sbt_owner t = { };
	unsigned long got, got2, lru;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	KUNIT_ASSERT_EQ(test, sbt_fill_reclaimable(test, m, &t, 100), NR - 100);
	lru = m->nodes[0]->nr_lru_pages;
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(sbt_normal(m),
							  SB_NR_ZONE_INACTIVE_FILE),
			lru);

	got = sb_try_to_free_pages(m, zl, 0, GFP_KERNEL, NULL);
	KUNIT_EXPECT_GE(test, got, (unsigned long)SB_SWAP_CLUSTER_MAX);
	KUNIT_EXPECT_LT(test, got, 2UL * SB_SWAP_CLUSTER_MAX);
	KUNIT_EXPECT_EQ(test, m->nodes[0]->nr_lru_pages, lru - got);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(sbt_normal(m),
							  SB_NR_ZONE_INACTIVE_FILE),
			lru - got);
	KUNIT_EXPECT_EQ(test, (unsigned long)t.reclaims, got);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PGSTEAL_DIRECT), got);
	KUNIT_EXPECT_GE(test, sb_vm_event(m, SB_PGSCAN_DIRECT), got);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_ALLOCSTALL_NORMAL), 1UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PGSTEAL_KSWAPD), 0UL);
	KUNIT_EXPECT_EQ(test, sbt_free(m), 100 + got);

	/* the next batch, from a DMA32-bound request: its allocstall */
	got2 = sb_try_to_free_pages(m, zl, 0, GFP_KERNEL | __GFP_DMA32, NULL);
	KUNIT_EXPECT_EQ(test, got2, 0UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_ALLOCSTALL_DMA32), 1UL);
	got2 = sb_try_to_free_pages(m, zl, 0, GFP_KERNEL, NULL);
	KUNIT_EXPECT_GE(test, got2, (unsigned long)SB_SWAP_CLUSTER_MAX);
	KUNIT_EXPECT_LT(test, got2, 2UL * SB_SWAP_CLUSTER_MAX);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_ALLOCSTALL_NORMAL), 2UL);
	sb_owner_release(&t.o);
	SBT_VERIFY(test, m);
}

/*
 * kswapd's watermarks: an allocation above the low watermark does not
 * wake it; one below does (and succeeds at min); balance_pgdat() then
 * reclaims until the high watermark holds and stops there, with
 * ZONE_RECLAIM_ACTIVE only while it works.  A watermark boost raises the
 * target and is taken off afterwards.
 */
static void sb_slowpath_kswapd_wmarks(struct kunit *test)
{
	struct sb_machine *m = sbt_sp_machine(test);
	struct sb_node *node = m->nodes[0];
	struct sb_zone *zone = sbt_normal(m);
	struct sbt_owner t = { };
	unsigned long low, high, before, stolen;
	struct sb_page *page;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	/* 160 pages of margin, then settle right above low */
	sbt_fill_reclaimable(test, m, &t, 300);
	sbt_sp_wmarks(test, m);
	low = sbt_wmark(m, SB_WMARK_LOW);
	high = sbt_wmark(m, SB_WMARK_HIGH);
	KUNIT_ASSERT_LT(test, low + 2, 300UL);
	sbt_fill_reclaimable(test, m, &t, low + 2);

	WRITE_ONCE(node->kswapd_highest_zoneidx, SB_MAX_NR_ZONES);
	page = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, READ_ONCE(node->kswapd_highest_zoneidx),
			SB_MAX_NR_ZONES);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);

	sbt_fill_reclaimable(test, m, &t, low);
	KUNIT_EXPECT_FALSE(test, sb_pgdat_balanced(node, 0, SB_ZONE_NORMAL));
	KUNIT_EXPECT_FALSE(test, sb_prepare_kswapd_sleep(node, 0,
							 SB_ZONE_NORMAL));
	sbt_log_start(m);
	page = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	sbt_log_stop(m);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_GE(test, m->sp_log_nr, 1U);
	KUNIT_EXPECT_EQ(test, SB_SP_STEP(m->sp_log[0]), SB_SP_WAKE_KSWAPD);
	KUNIT_EXPECT_EQ(test, READ_ONCE(node->kswapd_highest_zoneidx),
			SB_ZONE_NORMAL);
	/* woken, not yet run: no reclaim happened in the allocation */
	KUNIT_EXPECT_EQ(test, t.reclaims, 0);

	before = sbt_free(m);
	KUNIT_EXPECT_EQ(test, sb_balance_pgdat(m, node, 0, SB_ZONE_NORMAL), 0);
	stolen = sb_vm_event(m, SB_PGSTEAL_KSWAPD);
	KUNIT_EXPECT_GE(test, sbt_free(m), high);
	KUNIT_EXPECT_EQ(test, sbt_free(m), before + stolen);
	/* stopped at high: one kswapd target (max(high, 32)) and a batch */
	KUNIT_EXPECT_LT(test, stolen, high + SB_SWAP_CLUSTER_MAX);
	KUNIT_EXPECT_GT(test, node->nr_lru_pages, 0UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PAGEOUTRUN), 1UL);
	KUNIT_EXPECT_GE(test, sb_vm_event(m, SB_PGSCAN_KSWAPD), stolen);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PGSTEAL_DIRECT), 0UL);
	KUNIT_EXPECT_FALSE(test, test_bit(SB_ZONE_RECLAIM_ACTIVE, &zone->flags));
	KUNIT_EXPECT_TRUE(test, sb_prepare_kswapd_sleep(node, 0,
							SB_ZONE_NORMAL));

	/* a balanced node with a boost: reclaim for the boost, drop it */
	spin_lock_irq(&zone->lock);
	zone->watermark_boost = 64;
	spin_unlock_irq(&zone->lock);
	KUNIT_EXPECT_FALSE(test, sb_pgdat_balanced(node, 0, SB_ZONE_NORMAL));
	before = sbt_free(m);
	sb_balance_pgdat(m, node, 0, SB_ZONE_NORMAL);
	KUNIT_EXPECT_GE(test, sbt_free(m), before + 1);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 0UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PAGEOUTRUN), 2UL);

	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	sb_owner_release(&t.o);
	SBT_VERIFY(test, m);
}

/*
 * The kswapd thread: woken by a request below low, it balances the node
 * and goes back to sleep.  The case waits (bounded) for it to finish.
 */
static void sb_slowpath_kswapd_thread(struct kunit *test)
{
	struct sb_machine *m = sbt_sp_machine(test);
	struct sb_node *node = m->nodes[0];
	struct sbt_owner t = { };
	struct sb_page *page;
	int i;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	sbt_fill_reclaimable(test, m, &t, 300);
	sbt_sp_wmarks(test, m);
	/* balanced: it goes to sleep, and allocating above low leaves it */
	KUNIT_ASSERT_EQ(test, sb_kswapd_run(m, 0), 0);
	/* on the wait queue: napping or asleep (a bounded wait, not a timing) */
	for (i = 0; i < 250 && !waitqueue_active(&node->kswapd_wait); i++)
		msleep(20);
	/* the thread is on the queue: sb_wakeup_kswapd() will find it */
	KUNIT_ASSERT_TRUE(test, waitqueue_active(&node->kswapd_wait));
	/*
	 * Past its HZ/10 nap, into the real sleep: only the wakeup can
	 * start it then (a nap ending unbalanced would count
	 * kswapd_high_wmark_hit_quickly, checked below).
	 */
	msleep(300);
	sbt_fill_reclaimable(test, m, &t, sbt_wmark(m, SB_WMARK_LOW));
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PAGEOUTRUN), 0UL);

	page = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	for (i = 0; i < 250 && !sb_pgdat_balanced(node, 0, SB_ZONE_NORMAL); i++)
		msleep(20);
	KUNIT_EXPECT_TRUE(test, sb_pgdat_balanced(node, 0, SB_ZONE_NORMAL));
	KUNIT_EXPECT_GE(test, sb_vm_event(m, SB_PAGEOUTRUN), 1UL);
	KUNIT_EXPECT_GT(test, sb_vm_event(m, SB_PGSTEAL_KSWAPD), 0UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_KSWAPD_HIGH_WMARK_HIT_QUICKLY),
			0UL);
	sb_kswapd_stop(m, 0);
	KUNIT_EXPECT_NULL(test, node->kswapd);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	sb_owner_release(&t.o);
	SBT_VERIFY(test, m);
}

/*
 * Nothing to reclaim: the OOM killer takes everything the owner with
 * the most pages holds, counts oom_kill, and the request succeeds; the
 * killed owner allocates nothing more.
 */
static void sb_slowpath_oom_biggest(struct kunit *test)
{
	struct sb_machine *m = sbt_sp_machine(test);
	struct sbt_owner small = { }, big = { };
	struct sb_page *page, **pages;
	unsigned long nr;
	bool oom = false;
	unsigned int k;
	int i;

	sb_owner_init(&small.o, m, &sbt_ops, "small");
	sb_owner_init(&big.o, m, &sbt_ops, "big");
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_FALSE(test, IS_ERR(sb_owner_alloc(&small.o,
							       GFP_KERNEL, 3,
							       NULL)));
		KUNIT_ASSERT_FALSE(test, IS_ERR(sb_owner_alloc(&big.o,
							       GFP_KERNEL, 6,
							       NULL)));
	}
	pages = sbt_fill_bare(test, m, 0, &nr);
	sbt_sp_wmarks(test, m);

	sbt_log_start(m);
	page = sb_alloc_pages(m, GFP_KERNEL, 0, NUMA_NO_NODE, NULL);
	sbt_log_stop(m);
	KUNIT_ASSERT_NOT_NULL(test, page);
	for (k = 0; k < m->sp_log_nr; k++)
		oom |= SB_SP_STEP(m->sp_log[k]) == SB_SP_OOM;
	KUNIT_EXPECT_TRUE(test, oom);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_OOM_KILL), 1UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_OOM_PAGES), 256UL);
	KUNIT_EXPECT_TRUE(test, big.o.oom_killed);
	KUNIT_EXPECT_EQ(test, big.o.nr_pages, 0UL);
	KUNIT_EXPECT_EQ(test, big.reclaims, 4);
	KUNIT_EXPECT_FALSE(test, small.o.oom_killed);
	KUNIT_EXPECT_EQ(test, small.o.nr_pages, 32UL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_owner_alloc(&big.o, GFP_KERNEL, 0,
						     NULL)), -ENOMEM);

	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	sbt_free_bare(m, pages, nr);
	sb_owner_release(&big.o);
	sb_owner_release(&small.o);
	SBT_VERIFY(test, m);
}

/*
 * Below the min watermark a request that may not reclaim fails; with
 * __GFP_MEMALLOC it is let through (ALLOC_NO_WATERMARKS), unless it also
 * says __GFP_NOMEMALLOC.
 */
static void sb_slowpath_memalloc(struct kunit *test)
{
	struct sb_machine *m = sbt_sp_machine(test);
	struct sb_page *page, **pages;
	unsigned long nr;
	unsigned int k;
	bool nowm = false;

	pages = sbt_fill_bare(test, m, 8, &nr);
	sbt_sp_wmarks(test, m);
	KUNIT_ASSERT_LT(test, sbt_free(m), sbt_wmark(m, SB_WMARK_MIN) / 2);

	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_NOWAIT | __GFP_NOWARN, 0,
					       NUMA_NO_NODE, NULL));
	KUNIT_EXPECT_NULL(test, sb_alloc_pages(m, GFP_NOWAIT | __GFP_NOWARN |
					       __GFP_MEMALLOC |
					       __GFP_NOMEMALLOC, 0,
					       NUMA_NO_NODE, NULL));
	sbt_log_start(m);
	page = sb_alloc_pages(m, GFP_NOWAIT | __GFP_MEMALLOC, 0, NUMA_NO_NODE,
			      NULL);
	sbt_log_stop(m);
	KUNIT_ASSERT_NOT_NULL(test, page);
	for (k = 0; k < m->sp_log_nr; k++)
		nowm |= SB_SP_STEP(m->sp_log[k]) == SB_SP_NO_WATERMARKS;
	KUNIT_EXPECT_TRUE(test, nowm);
	KUNIT_EXPECT_EQ(test, sbt_free(m), 7UL);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);

	/* a blocking __GFP_MEMALLOC request: no reclaim, no OOM needed */
	page = sb_alloc_pages(m, GFP_KERNEL | __GFP_MEMALLOC, 0, NUMA_NO_NODE,
			      NULL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_OOM_KILL), 0UL);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, page, 0), 0);
	sbt_free_bare(m, pages, nr);
	SBT_VERIFY(test, m);
}

static struct kunit_case sb_slowpath_cases[] = {
	KUNIT_CASE(sb_slowpath_costly_steps),
	KUNIT_CASE(sb_slowpath_nofail),
	KUNIT_CASE(sb_slowpath_direct_reclaim_batch),
	KUNIT_CASE(sb_slowpath_kswapd_wmarks),
	KUNIT_CASE(sb_slowpath_kswapd_thread),
	KUNIT_CASE(sb_slowpath_oom_biggest),
	KUNIT_CASE(sb_slowpath_memalloc),
	{}
};

static struct kunit_suite sb_slowpath_suite = {
	.name = "sbuddy-slowpath",
	.exit = sbt_exit,
	.test_cases = sb_slowpath_cases,
};

kunit_test_suite(sb_slowpath_suite);
