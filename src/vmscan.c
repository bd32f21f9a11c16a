// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy reclaim: the kswapd and direct reclaim shape of mm/vmscan.c of
 * Linux 6.1 over the owners' LRU.
 *
 * Each emulated node has one LRU of reclaimable owner blocks (owner.c),
 * oldest at the tail; "reclaiming" a block drops it, as clean page cache
 * is dropped, and its owner sees it as reclaimed.  There is no anon/file
 * split, no active list, no writeback and no memcg: shrink_node() scans
 * the one list, SWAP_CLUSTER_MAX pages at a time, lru_size >> priority
 * pages per priority, as get_scan_count() and shrink_lruvec() do.
 *
 * kswapd is one kthread per node ("sb_kswapd<nid>"), woken by
 * sb_wakeup_kswapd() from the slow path (below the low watermark) and
 * from rmqueue() when a watermark boost is set; it reclaims until the
 * high watermark (plus boost) holds and then wakes kcompactd.  Direct
 * reclaim (sb_try_to_free_pages()) reclaims a SWAP_CLUSTER_MAX batch
 * from the allocating context.
 */
#include <linux/freezer.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/wait.h>

#include "sb_internal.h"

#define SB_DEF_PRIORITY		12	/* DEF_PRIORITY */

/* struct scan_control of vmscan.c, what sbuddy uses of it */
struct sb_scan_control {
	unsigned long nr_to_reclaim;
	const unsigned long *nodemask;
	gfp_t gfp_mask;
	int order;
	int priority;
	int reclaim_idx;
	bool kswapd;		/* current_is_kswapd() */
	bool compaction_ready;
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
};

/* compact_gap() */
static unsigned long sb_compact_gap(unsigned int order)
{
	return 2UL << order;
}

static bool sb_managed_zone(struct sb_zone *zone)
{
	return sb_zone_managed_pages(zone) != 0;
}

/* kswapd_highest_zoneidx() */
static int sb_kswapd_highest_zoneidx(struct sb_node *pgdat, int prev)
{
	int curr = READ_ONCE(pgdat->kswapd_highest_zoneidx);

	return curr == SB_MAX_NR_ZONES ? prev : curr;
}

/**
 * sb_pgdat_balanced - pgdat_balanced(): does one eligible zone of the
 * node meet its high watermark (boost included) for @order?
 * @pgdat:	the node
 * @order:	order
 * @highest_zoneidx: highest eligible zone
 *
 * Return: true when balanced, or when no zone is managed.
 */
bool sb_pgdat_balanced(struct sb_node *pgdat, int order, int highest_zoneidx)
{
	unsigned long mark = -1UL;
	int i;

	for (i = 0; i <= highest_zoneidx; i++) {
		struct sb_zone *zone = &pgdat->node_zones[i];
		long free;

		if (!sb_managed_zone(zone))
			continue;
		mark = sb_wmark_pages(zone, SB_WMARK_HIGH);
		/* zone_watermark_ok_safe(): the exact count */
		free = sb_zone_page_state_snapshot(zone, SB_NR_FREE_PAGES);
		if (sb_zone_watermark_ok(zone, order, mark, highest_zoneidx, 0,
					 free))
			return true;
	}
	return mark == -1UL;
}

/* pgdat_watermark_boosted() */
static bool sb_pgdat_watermark_boosted(struct sb_node *pgdat,
				       int highest_zoneidx)
{
	int i;

	for (i = 0; i <= highest_zoneidx; i++)
		if (READ_ONCE(pgdat->node_zones[i].watermark_boost))
			return true;
	return false;
}

/* set_reclaim_active() and clear_reclaim_active(): nr_pcp_high() reads it */
static void sb_set_reclaim_active(struct sb_node *pgdat, int highest_zoneidx,
				  bool active)
{
	int i;

	for (i = 0; i <= highest_zoneidx; i++) {
		struct sb_zone *zone = &pgdat->node_zones[i];

		if (!sb_managed_zone(zone))
			continue;
		if (active)
			set_bit(SB_ZONE_RECLAIM_ACTIVE, &zone->flags);
		else
			clear_bit(SB_ZONE_RECLAIM_ACTIVE, &zone->flags);
	}
}

/* in_reclaim_compaction() */
static bool sb_in_reclaim_compaction(struct sb_scan_control *sc)
{
	return sc->order && (sc->order > SB_PAGE_ALLOC_COSTLY_ORDER ||
			     sc->priority < SB_DEF_PRIORITY - 2);
}

/*
 * should_continue_reclaim(): reclaim for compaction goes on until
 * compaction could run in a zone or the LRU is down to compact_gap().
 */
static bool sb_should_continue_reclaim(struct sb_node *pgdat,
				       unsigned long nr_reclaimed,
				       struct sb_scan_control *sc)
{
	unsigned long lru;
	int z;

	if (!sb_in_reclaim_compaction(sc))
		return false;
	if (!nr_reclaimed)
		return false;
	for (z = 0; z <= sc->reclaim_idx; z++) {
		struct sb_zone *zone = &pgdat->node_zones[z];

		if (!sb_managed_zone(zone))
			continue;
		switch (sb_compaction_suitable(zone, sc->order, 0,
					       sc->reclaim_idx)) {
		case SB_COMPACT_SUCCESS:
		case SB_COMPACT_CONTINUE:
			return false;
		default:
			break;
		}
	}
	spin_lock(&pgdat->lru_lock);
	lru = pgdat->nr_lru_pages;
	spin_unlock(&pgdat->lru_lock);
	return lru > sb_compact_gap(sc->order);
}

/*
 * shrink_node() -> shrink_lruvec() -> shrink_inactive_list(): scan
 * lru_size >> priority pages (get_scan_count()) from the LRU tail in
 * SWAP_CLUSTER_MAX batches, dropping what may go, until nr_to_reclaim.
 */
static void sb_shrink_node(struct sb_machine *m, struct sb_node *pgdat,
			   struct sb_scan_control *sc)
{
	unsigned long nr_reclaimed, nr_scanned, lru, nr_to_scan;

again:
	nr_reclaimed = sc->nr_reclaimed;
	nr_scanned = sc->nr_scanned;
	spin_lock(&pgdat->lru_lock);
	lru = pgdat->nr_lru_pages;
	spin_unlock(&pgdat->lru_lock);
	nr_to_scan = lru >> sc->priority;

	while (nr_to_scan) {
		unsigned long batch = min_t(unsigned long, nr_to_scan,
					    SB_SWAP_CLUSTER_MAX);
		unsigned long scanned = 0, stolen;

		stolen = sb_reclaim_node(m, pgdat->node_id, batch, &scanned);
		sb_count_vm_events(m, sc->kswapd ? SB_PGSCAN_KSWAPD :
				   SB_PGSCAN_DIRECT, scanned);
		sb_count_vm_events(m, sc->kswapd ? SB_PGSTEAL_KSWAPD :
				   SB_PGSTEAL_DIRECT, stolen);
		sc->nr_scanned += scanned;
		sc->nr_reclaimed += stolen;
		if (!scanned)
			break;
		nr_to_scan -= min(nr_to_scan, scanned);
		/* shrink_lruvec() stops at its own call's target */
		if (sc->nr_reclaimed - nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}

	/* a node that gave something back is worth kswapd's time again */
	if (sc->nr_reclaimed - nr_reclaimed)
		pgdat->kswapd_failures = 0;

	if (sc->nr_scanned != nr_scanned &&
	    sb_should_continue_reclaim(pgdat, sc->nr_reclaimed - nr_reclaimed,
				       sc))
		goto again;
}

/* ---- direct reclaim ---- */

/*
 * compaction_ready(): a costly request in a zone where compaction can
 * already run does not reclaim there, once the high watermark plus
 * compact_gap() holds.
 */
static bool sb_compaction_ready(struct sb_zone *zone,
				struct sb_scan_control *sc)
{
	enum sb_compact_result suitable;
	unsigned long mark;

	suitable = sb_compaction_suitable(zone, sc->order, 0, sc->reclaim_idx);
	if (suitable == SB_COMPACT_SUCCESS)
		return true;
	if (suitable == SB_COMPACT_SKIPPED)
		return false;
	mark = sb_wmark_pages(zone, SB_WMARK_HIGH) + sb_compact_gap(sc->order);
	return sb_zone_watermark_ok(zone, 0, mark, sc->reclaim_idx, 0,
				    sb_zone_page_state_snapshot(zone,
								SB_NR_FREE_PAGES));
}

/* shrink_zones(): each node of the zonelist once */
static void sb_shrink_zones(struct sb_machine *m, struct sb_zonelist *zonelist,
			    struct sb_scan_control *sc)
{
	struct sb_node *last_pgdat = NULL;
	struct sb_zoneref *z;

	for (z = sb_next_zones_zonelist(zonelist->_zonerefs, sc->reclaim_idx,
					sc->nodemask);
	     z->zone;
	     z = sb_next_zones_zonelist(z + 1, sc->reclaim_idx,
					sc->nodemask)) {
		struct sb_zone *zone = z->zone;

		if (sc->order > SB_PAGE_ALLOC_COSTLY_ORDER &&
		    sb_compaction_ready(zone, sc)) {
			sc->compaction_ready = true;
			continue;
		}
		if (zone->zone_pgdat == last_pgdat)
			continue;
		last_pgdat = zone->zone_pgdat;
		sb_shrink_node(m, zone->zone_pgdat, sc);
	}
}

/*
 * do_try_to_free_pages(): one allocstall, then shrink the zonelist at
 * rising priority until the batch is reclaimed or compaction is ready.
 */
static unsigned long sb_do_try_to_free_pages(struct sb_machine *m,
					     struct sb_zonelist *zonelist,
					     struct sb_scan_control *sc)
{
	sb_count_vm_events(m, SB_ALLOCSTALL_DMA + sc->reclaim_idx, 1);
	do {
		sc->nr_scanned = 0;
		sb_shrink_zones(m, zonelist, sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		if (sc->compaction_ready)
			break;
	} while (--sc->priority >= 0);

	if (sc->nr_reclaimed)
		return sc->nr_reclaimed;
	/* aborted reclaim to try compaction: do not OOM */
	if (sc->compaction_ready)
		return 1;
	return 0;
}

/**
 * sb_try_to_free_pages - try_to_free_pages(): direct reclaim of a
 * SWAP_CLUSTER_MAX batch from the allocating context
 * @m:		the machine
 * @zonelist:	the request's zonelist
 * @order:	the request's order (reclaim for compaction above costly)
 * @gfp:	the request's gfp flags (its zone bounds the zones reclaimed)
 * @nodemask:	allowed nodes or NULL
 *
 * Counts allocstall_<zone> of the request's highest zone, pgscan_direct
 * and pgsteal_direct.  Sleeps (owners hear about their blocks).
 * Return: pages reclaimed, 1 when reclaim stopped for compaction.
 */
unsigned long sb_try_to_free_pages(struct sb_machine *m,
				   struct sb_zonelist *zonelist, int order,
				   gfp_t gfp, const unsigned long *nodemask)
{
	struct sb_scan_control sc = {
		.nr_to_reclaim = SB_SWAP_CLUSTER_MAX,
		.gfp_mask = gfp,
		.reclaim_idx = sb_gfp_zone(gfp),
		.order = order,
		.nodemask = nodemask,
		.priority = SB_DEF_PRIORITY,
	};

	if (sc.reclaim_idx < 0)
		return 0;
	might_sleep();
	return sb_do_try_to_free_pages(m, zonelist, &sc);
}

/* ---- kswapd ---- */

/*
 * kswapd_shrink_node(): aim at the high watermarks of the eligible
 * zones; once twice the order was reclaimed, balance at order 0 (the
 * allocator compacts for the rest).  Return: true when the scan alone
 * could have met the target (no need to raise the priority).
 */
static bool sb_kswapd_shrink_node(struct sb_machine *m, struct sb_node *pgdat,
				  struct sb_scan_control *sc)
{
	int z;

	sc->nr_to_reclaim = 0;
	for (z = 0; z <= sc->reclaim_idx; z++) {
		struct sb_zone *zone = &pgdat->node_zones[z];

		if (!sb_managed_zone(zone))
			continue;
		sc->nr_to_reclaim += max_t(unsigned long,
					   sb_wmark_pages(zone, SB_WMARK_HIGH),
					   SB_SWAP_CLUSTER_MAX);
	}
	sb_shrink_node(m, pgdat, sc);
	if (sc->order && sc->nr_reclaimed >= sb_compact_gap(sc->order))
		sc->order = 0;
	return sc->nr_scanned >= sc->nr_to_reclaim;
}

/**
 * sb_balance_pgdat - balance_pgdat(): reclaim on a node until one
 * eligible zone meets its high watermark plus boost
 * @m:		the machine
 * @pgdat:	the node
 * @order:	the order kswapd was woken for
 * @highest_zoneidx: highest zone to balance
 *
 * Counts pageoutrun, pgscan_kswapd and pgsteal_kswapd; sets
 * ZONE_RECLAIM_ACTIVE on the zones while it works; takes the boost it
 * reclaimed for off the zones and wakes kcompactd for a pageblock when
 * there was one; a pass that reclaims nothing counts a kswapd failure.
 * Return: the order it balanced for (0 once reclaim for a high order
 * gave up on that order).
 */
int sb_balance_pgdat(struct sb_machine *m, struct sb_node *pgdat, int order,
		     int highest_zoneidx)
{
	unsigned long zone_boosts[SB_MAX_NR_ZONES] = { 0 };
	unsigned long nr_boost_reclaim = 0, flags;
	struct sb_scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.order = order,
		.kswapd = true,
	};
	bool boosted;
	int i;

	sb_count_vm_events(m, SB_PAGEOUTRUN, 1);
	for (i = 0; i <= highest_zoneidx; i++) {
		struct sb_zone *zone = &pgdat->node_zones[i];

		if (!sb_managed_zone(zone))
			continue;
		nr_boost_reclaim += zone->watermark_boost;
		zone_boosts[i] = zone->watermark_boost;
	}
	boosted = nr_boost_reclaim;

restart:
	sb_set_reclaim_active(pgdat, highest_zoneidx, true);
	sc.priority = SB_DEF_PRIORITY;
	do {
		unsigned long nr_reclaimed = sc.nr_reclaimed;
		bool raise_priority = true;
		bool balanced;

		sc.reclaim_idx = highest_zoneidx;

		/* balanced without the boost: a boost alone may stop early */
		balanced = sb_pgdat_balanced(pgdat, sc.order, highest_zoneidx);
		if (!balanced && nr_boost_reclaim) {
			nr_boost_reclaim = 0;
			goto restart;
		}
		if (!nr_boost_reclaim && balanced)
			goto out;

		/* boosted reclaim stays at low priorities */
		if (nr_boost_reclaim && sc.priority == SB_DEF_PRIORITY - 2)
			raise_priority = false;

		sc.nr_scanned = 0;
		if (sb_kswapd_shrink_node(m, pgdat, &sc))
			raise_priority = false;

		if (kthread_should_stop())
			break;

		nr_reclaimed = sc.nr_reclaimed - nr_reclaimed;
		nr_boost_reclaim -= min(nr_boost_reclaim, nr_reclaimed);

		/* a boost that reclaims nothing would loop: stop */
		if (nr_boost_reclaim && !nr_reclaimed)
			break;

		if (raise_priority || !nr_reclaimed)
			sc.priority--;
	} while (sc.priority >= 1);

	if (!sc.nr_reclaimed)
		pgdat->kswapd_failures++;

out:
	sb_set_reclaim_active(pgdat, highest_zoneidx, false);

	if (boosted) {
		for (i = 0; i <= highest_zoneidx; i++) {
			struct sb_zone *zone = &pgdat->node_zones[i];

			if (!zone_boosts[i])
				continue;
			spin_lock_irqsave(&zone->lock, flags);
			zone->watermark_boost -= min(zone->watermark_boost,
						     zone_boosts[i]);
			spin_unlock_irqrestore(&zone->lock, flags);
		}
		/* there is likely space now: defragment pageblocks */
		sb_wakeup_kcompactd(pgdat, m->pb_order, highest_zoneidx);
	}
	return sc.order;
}

/**
 * sb_prepare_kswapd_sleep - prepare_kswapd_sleep(): may kswapd sleep?
 * @pgdat:	the node
 * @order:	the order it reclaimed for
 * @highest_zoneidx: highest zone
 *
 * Return: true when the node is balanced, or hopeless (kswapd failed
 * MAX_RECLAIM_RETRIES times in a row: direct reclaim is left to it).
 */
bool sb_prepare_kswapd_sleep(struct sb_node *pgdat, int order,
			     int highest_zoneidx)
{
	if (pgdat->kswapd_failures >= SB_MAX_RECLAIM_RETRIES)
		return true;
	return sb_pgdat_balanced(pgdat, order, highest_zoneidx);
}

/*
 * kswapd_try_to_sleep(): nap HZ/10 once balanced (waking kcompactd),
 * then sleep for good if still balanced.  A wakeup during the nap is a
 * low watermark hit quickly; being unbalanced again right after the nap
 * is a high watermark hit quickly.
 */
static void sb_kswapd_try_to_sleep(struct sb_machine *m, struct sb_node *pgdat,
				   int alloc_order, int reclaim_order,
				   int highest_zoneidx)
{
	long remaining = 0;
	DEFINE_WAIT(wait);

	if (freezing(current) || kthread_should_stop())
		return;

	prepare_to_wait(&pgdat->kswapd_wait, &wait, TASK_INTERRUPTIBLE);
	if (sb_prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx)) {
		/*
		 * Compaction records which pageblocks it recently failed
		 * to isolate pages from; a node balanced enough for kswapd
		 * to sleep clears that record before kcompactd runs.
		 */
		sb_reset_isolation_suitable(pgdat);
		sb_wakeup_kcompactd(pgdat, alloc_order, highest_zoneidx);
		remaining = schedule_timeout(HZ / 10);
		/* woken early: keep the request for the next pass */
		if (remaining) {
			WRITE_ONCE(pgdat->kswapd_highest_zoneidx,
				   sb_kswapd_highest_zoneidx(pgdat,
							     highest_zoneidx));
			if (READ_ONCE(pgdat->kswapd_order) < reclaim_order)
				WRITE_ONCE(pgdat->kswapd_order, reclaim_order);
		}
		finish_wait(&pgdat->kswapd_wait, &wait);
		prepare_to_wait(&pgdat->kswapd_wait, &wait, TASK_INTERRUPTIBLE);
	}

	if (!remaining &&
	    sb_prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx)) {
		if (!kthread_should_stop())
			schedule();
	} else {
		sb_count_vm_events(m, remaining ?
				   SB_KSWAPD_LOW_WMARK_HIT_QUICKLY :
				   SB_KSWAPD_HIGH_WMARK_HIT_QUICKLY, 1);
	}
	finish_wait(&pgdat->kswapd_wait, &wait);
}

/* kswapd(): sleep, take the order and zone asked for, balance, repeat */
static int sb_kswapd(void *p)
{
	struct sb_node *pgdat = p;
	struct sb_machine *m = pgdat->node_zones[0].machine;
	int alloc_order, reclaim_order;
	int highest_zoneidx = SB_MAX_NR_ZONES - 1;

	set_freezable();
	WRITE_ONCE(pgdat->kswapd_order, 0);
	WRITE_ONCE(pgdat->kswapd_highest_zoneidx, SB_MAX_NR_ZONES);
	for (;;) {
		bool ret;

		alloc_order = READ_ONCE(pgdat->kswapd_order);
		reclaim_order = alloc_order;
		highest_zoneidx = sb_kswapd_highest_zoneidx(pgdat,
							    highest_zoneidx);
kswapd_try_sleep:
		sb_kswapd_try_to_sleep(m, pgdat, alloc_order, reclaim_order,
				       highest_zoneidx);

		alloc_order = READ_ONCE(pgdat->kswapd_order);
		highest_zoneidx = sb_kswapd_highest_zoneidx(pgdat,
							    highest_zoneidx);
		WRITE_ONCE(pgdat->kswapd_order, 0);
		WRITE_ONCE(pgdat->kswapd_highest_zoneidx, SB_MAX_NR_ZONES);

		ret = try_to_freeze();
		if (kthread_should_stop())
			break;
		if (ret)
			continue;

		reclaim_order = sb_balance_pgdat(m, pgdat, alloc_order,
						 highest_zoneidx);
		if (reclaim_order < alloc_order)
			goto kswapd_try_sleep;
	}
	return 0;
}

/**
 * sb_wakeup_kswapd - wakeup_kswapd(): ask the node's kswapd to balance
 * for @order up to @highest_zoneidx
 * @zone:	a zone of the node
 * @gfp:	the request's flags
 * @order:	order
 * @highest_zoneidx: highest zone of the request
 *
 * The request is recorded even with no kswapd running.  A balanced
 * node with no boost, or one kswapd gave up on, is not woken; kcompactd
 * is woken instead for requests that cannot compact themselves.
 */
void sb_wakeup_kswapd(struct sb_zone *zone, gfp_t gfp, int order,
		      int highest_zoneidx)
{
	struct sb_node *pgdat;
	int curr_idx;

	if (!sb_managed_zone(zone))
		return;
	pgdat = zone->zone_pgdat;
	curr_idx = READ_ONCE(pgdat->kswapd_highest_zoneidx);
	if (curr_idx == SB_MAX_NR_ZONES || curr_idx < highest_zoneidx)
		WRITE_ONCE(pgdat->kswapd_highest_zoneidx, highest_zoneidx);
	if (READ_ONCE(pgdat->kswapd_order) < order)
		WRITE_ONCE(pgdat->kswapd_order, order);

	/* no kswapd waiting (none runs, or it is at work): nothing to wake */
	if (!waitqueue_active(&pgdat->kswapd_wait))
		return;

	if (pgdat->kswapd_failures >= SB_MAX_RECLAIM_RETRIES ||
	    (sb_pgdat_balanced(pgdat, order, highest_zoneidx) &&
	     !sb_pgdat_watermark_boosted(pgdat, highest_zoneidx))) {
		if (!(gfp & __GFP_DIRECT_RECLAIM))
			sb_wakeup_kcompactd(pgdat, order, highest_zoneidx);
		return;
	}
	wake_up_interruptible(&pgdat->kswapd_wait);
}

/**
 * sb_kswapd_run - kswapd_run(): start the node's kswapd
 * @m:		the machine
 * @nid:	the node
 *
 * Return: 0 (also when it runs already) or the kthread_run() error.
 */
int sb_kswapd_run(struct sb_machine *m, int nid)
{
	struct sb_node *pgdat = m->nodes[nid];
	struct task_struct *t;

	if (pgdat->kswapd)
		return 0;
	t = kthread_run(sb_kswapd, pgdat, "sb_kswapd%d", nid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	pgdat->kswapd = t;
	return 0;
}

/**
 * sb_kswapd_stop - kswapd_stop(): stop the node's kswapd if it runs
 * @m:		the machine
 * @nid:	the node
 */
void sb_kswapd_stop(struct sb_machine *m, int nid)
{
	struct sb_node *pgdat = m->nodes[nid];

	if (pgdat->kswapd) {
		kthread_stop(pgdat->kswapd);
		pgdat->kswapd = NULL;
	}
}
