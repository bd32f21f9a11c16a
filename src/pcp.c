// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy per-cpu page lists: the pcp half of Linux 6.1.192's
 * mm/page_alloc.c (rmqueue_bulk, __rmqueue_pcplist, rmqueue_pcplist,
 * free_unref_page*, free_pcppages_bulk, nr_pcp_free/nr_pcp_high, the
 * drains, zone_batchsize/zone_highsize and the CPU hotplug callbacks) and
 * the per-cpu counter thresholds of mm/vmstat.c.
 *
 * Lock order, as in 6.1: pcp->lock, then zone->lock (with interrupts
 * saved).  Allocation and free take this CPU's pcp->lock with a trylock
 * and fall back to the buddy lists when it is busy.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "fault.h"
#include "sb_internal.h"
#include "sb_trace.h"

/*
 * rmqueue_bulk(): @count blocks of @order under one hold of zone->lock,
 * to the tail of @list in the order expand() split them.
 */
static int sb_rmqueue_bulk(struct sb_zone *zone, unsigned int order,
			   unsigned long count, struct list_head *list,
			   int migratetype, unsigned int alloc_flags)
{
	struct sb_machine *m = zone->machine;
	unsigned long flags;
	int i, allocated = 0;

	spin_lock_irqsave(&zone->lock, flags);
	for (i = 0; i < count; ++i) {
		struct sb_page *page = sb_rmqueue(zone, order, migratetype,
						  alloc_flags);

		if (unlikely(!page))
			break;
		/* check_pcp_refill(): a bad block is leaked, not listed */
		if (unlikely(sb_check_new_pages(m, page, order)))
			continue;
		page->flags |= SB_PG_PCP;
		page->order = order;
		list_add_tail(&page->buddy_list, list);
		allocated++;
		if (sb_is_migrate_cma(page->migratetype))
			sb_mod_zone_page_state(zone, SB_NR_FREE_CMA_PAGES,
					       -(1L << order));
	}
	/* i blocks left the buddy lists even if some leaked */
	sb_mod_zone_page_state(zone, SB_NR_FREE_PAGES, -((long)i << order));
	spin_unlock_irqrestore(&zone->lock, flags);
	sb_count_vm_events(m, SB_EV_PCP_REFILL, 1);
	sb_count_vm_events(m, SB_EV_PCP_REFILL_PAGES, (long)allocated << order);
	return allocated;
}

/**
 * sb___rmqueue_pcplist - __rmqueue_pcplist(): a block from @list, which is
 * refilled by rmqueue_bulk() when empty
 * @zone:	the zone
 * @order:	the order of @list
 * @migratetype: the request's migratetype
 * @alloc_flags: SB_ALLOC_*
 * @pcp:	this CPU's pageset, locked
 * @list:	the list for (@migratetype, @order)
 * @cold:	take the list's tail (legacy cold-page policy)
 *
 * The refill takes pcp->batch blocks, scaled down by the order but never
 * below 2 (a batch of 1 is a boot pageset's and stays 1).
 * Return: the block, off the list with SB_PG_PCP clear, or NULL.
 */
struct sb_page *sb___rmqueue_pcplist(struct sb_zone *zone, unsigned int order,
				     int migratetype, unsigned int alloc_flags,
				     struct sb_per_cpu_pages *pcp,
				     struct list_head *list, bool cold)
{
	struct sb_page *page;

	if (list_empty(list)) {
		int batch = READ_ONCE(pcp->batch);
		int alloced;

		if (batch > 1)
			batch = max(batch >> order, 2);
		alloced = sb_rmqueue_bulk(zone, order, batch, list,
					  migratetype, alloc_flags);
		pcp->count += alloced << order;
		if (unlikely(list_empty(list)))
			return NULL;
	}
	if (unlikely(cold))
		page = list_last_entry(list, struct sb_page, buddy_list);
	else
		page = list_first_entry(list, struct sb_page, buddy_list);
	list_del(&page->buddy_list);
	page->flags &= ~SB_PG_PCP;
	page->order = 0;
	pcp->count -= 1 << order;
	/* check_new_pcp() checks nothing without CONFIG_DEBUG_VM */
	return page;
}

/**
 * sb_rmqueue_pcplist - rmqueue_pcplist(): allocate from this CPU's lists
 * @preferred_zone: the zonelist's first zone (NUMA statistics)
 * @zone:	the zone to allocate from
 * @order:	a pcp_allowed_order()
 * @migratetype: the request's migratetype
 * @alloc_flags: SB_ALLOC_*
 * @cold:	a cold request under the legacy cold-page policy
 *
 * Return: the block or NULL (lists busy, or the refill found nothing).
 */
struct sb_page *sb_rmqueue_pcplist(struct sb_zone *preferred_zone,
				   struct sb_zone *zone, unsigned int order,
				   int migratetype, unsigned int alloc_flags,
				   bool cold)
{
	struct sb_machine *m = zone->machine;
	unsigned long __maybe_unused up_flags;
	struct sb_per_cpu_pages *pcp;
	struct list_head *list;
	struct sb_page *page;

	sb_pcp_trylock_prepare(up_flags);
	pcp = sb_pcp_pin(zone->per_cpu_pageset);
	if (!spin_trylock(&pcp->lock)) {
		sb_pcp_unpin();
		sb_pcp_trylock_finish(up_flags);
		sb_count_vm_events(m, SB_EV_PCP_TRYLOCK_FAIL, 1);
		return NULL;
	}
	/* an allocation halves the free-back scaling (nr_pcp_free()) */
	pcp->free_factor >>= 1;
	list = &pcp->lists[sb_order_to_pindex(m, migratetype, order)];
	page = sb___rmqueue_pcplist(zone, order, migratetype, alloc_flags, pcp,
				    list, cold);
	spin_unlock(&pcp->lock);
	sb_pcp_unpin();
	sb_pcp_trylock_finish(up_flags);
	if (page) {
		sb_count_vm_events(m, SB_PGALLOC_DMA + zone->idx, 1L << order);
		sb_zone_statistics(preferred_zone, zone, 1);
	}
	return page;
}

/*
 * free_pcppages_bulk(): return @count pages to the buddy lists, taking
 * the oldest block (the tail) of each non-empty list in turn, starting
 * with @pindex, under one hold of zone->lock.
 */
static void sb_free_pcppages_bulk(struct sb_zone *zone, int count,
				  struct sb_per_cpu_pages *pcp, int pindex)
{
	struct sb_machine *m = zone->machine;
	int min_pindex = 0, max_pindex = SB_NR_PCP_LISTS - 1;
	int freed = 0;
	unsigned long flags;
	struct sb_page *page;

	count = min(pcp->count, count);
	pindex = pindex - 1;

	spin_lock_irqsave(&zone->lock, flags);
	while (count > 0) {
		struct list_head *list;
		unsigned int order;
		int nr_pages;

		do {
			if (++pindex > max_pindex)
				pindex = min_pindex;
			list = &pcp->lists[pindex];
			if (!list_empty(list))
				break;
			if (pindex == max_pindex)
				max_pindex--;
			if (pindex == min_pindex)
				min_pindex++;
		} while (1);

		order = sb_pindex_to_order(m, pindex);
		nr_pages = 1 << order;
		do {
			unsigned long pfn;
			int mt;

			page = list_last_entry(list, struct sb_page, buddy_list);
			mt = page->migratetype;
			list_del(&page->buddy_list);
			page->flags &= ~SB_PG_PCP;
			page->order = 0;
			count -= nr_pages;
			pcp->count -= nr_pages;

			/* bulkfree_pcp_prepare(): check_free_page() */
			if (unlikely(page->flags || sb_page_count(page))) {
				sb_bad_page(m, page, order,
					    "bad state on a per-cpu list");
				continue;
			}
			pfn = sb_page_to_pfn(m, page);
			/* the pageblock may have been isolated meanwhile */
			if (unlikely(sb_is_migrate_isolate(sb_get_pfnblock_migratetype(m, pfn))))
				mt = SB_MIGRATE_ISOLATE;
			sb_free_one_page(zone, page, pfn, order, mt, SB_FPI_NONE);
			trace_mm_page_pcpu_drain(page, pfn, order, mt);
			freed += nr_pages;
		} while (count > 0 && !list_empty(list));
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	sb_count_vm_events(m, SB_EV_PCP_FREE_BULK, 1);
	sb_count_vm_events(m, SB_EV_PCP_FREE_BULK_PAGES, freed);
}

/* free_one_page(): straight to the buddy lists under zone->lock */
static void sb_free_one_page_locked(struct sb_zone *zone, struct sb_page *page,
				    unsigned long pfn, unsigned int order,
				    int migratetype)
{
	struct sb_machine *m = zone->machine;
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	if (unlikely(sb_is_migrate_isolate(migratetype) ||
		     sb_is_migrate_isolate(sb_get_pfnblock_migratetype(m, pfn))))
		migratetype = sb_get_pfnblock_migratetype(m, pfn);
	sb_free_one_page(zone, page, pfn, order, migratetype, SB_FPI_NONE);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * nr_pcp_free(): how many pages a free-back returns.  Consecutive
 * free-backs without an allocation double the batch (free_factor), up
 * to CONFIG_PCP_BATCH_SCALE_MAX, keeping at least batch pages listed.
 */
static int sb_nr_pcp_free(struct sb_per_cpu_pages *pcp, int high, int batch,
			  bool free_high)
{
	int min_nr_free, max_nr_free;

	if (unlikely(free_high))
		return pcp->count;
	/* a disabled list or a boot pageset */
	if (unlikely(high < batch))
		return 1;

	min_nr_free = batch;
	max_nr_free = high - batch;
	batch <<= pcp->free_factor;
	if (batch < max_nr_free && pcp->free_factor < SB_PCP_BATCH_SCALE_MAX)
		pcp->free_factor++;
	return clamp(batch, min_nr_free, max_nr_free);
}

/*
 * nr_pcp_high(): the count that triggers a free-back.  While kswapd
 * reclaims the zone (ZONE_RECLAIM_ACTIVE) the lists hold at most four
 * batches, so freed pages reach the buddy lists where they count.
 */
static int sb_nr_pcp_high(struct sb_per_cpu_pages *pcp, struct sb_zone *zone,
			  bool free_high)
{
	int high = READ_ONCE(pcp->high);

	if (unlikely(!high || free_high))
		return 0;
	if (!test_bit(SB_ZONE_RECLAIM_ACTIVE, &zone->flags))
		return high;
	return min(READ_ONCE(pcp->batch) << 2, high);
}

/* free_unref_page_commit(): onto the list head; free back at high */
static void sb_free_unref_page_commit(struct sb_zone *zone,
				      struct sb_per_cpu_pages *pcp,
				      struct sb_page *page, int migratetype,
				      unsigned int order)
{
	struct sb_machine *m = zone->machine;
	bool free_high;
	int high, pindex;

	sb_count_vm_events(m, SB_PGFREE, 1L << order);
	pindex = sb_order_to_pindex(m, migratetype, order);
	page->flags |= SB_PG_PCP;
	page->order = order;
	list_add(&page->buddy_list, &pcp->lists[pindex]);
	pcp->count += 1 << order;

	/*
	 * High-order pages other than THP fragment the lists: while frees
	 * run without allocations they all go back at once.
	 */
	free_high = pcp->free_factor && order &&
		    order <= SB_PAGE_ALLOC_COSTLY_ORDER;
	high = sb_nr_pcp_high(pcp, zone, free_high);
	if (pcp->count >= high) {
		int batch = READ_ONCE(pcp->batch);

		sb_free_pcppages_bulk(zone, sb_nr_pcp_free(pcp, high, batch,
							   free_high),
				      pcp, pindex);
	}
}

/*
 * free_unref_page_prepare(): cache the pageblock's type in the page
 * (set_pcppage_migratetype()).
 */
static int sb_free_unref_page_prepare(struct sb_machine *m,
				      struct sb_page *page, unsigned long pfn)
{
	int mt = sb_get_pfnblock_migratetype(m, pfn);

	page->migratetype = mt;
	return mt;
}

/**
 * sb_free_unref_page - free_unref_page(): free a pcp_allowed_order()
 * block, already through free_pages_prepare(), onto this CPU's lists
 * @m:		the machine
 * @page:	its first page
 * @order:	its order
 *
 * Isolate pages go straight to the buddy lists; HighAtomic and CMA pages
 * go on the Movable list (the page keeps its real type for the buddy).
 */
void sb_free_unref_page(struct sb_machine *m, struct sb_page *page,
			unsigned int order)
{
	unsigned long pfn = sb_page_to_pfn(m, page);
	struct sb_zone *zone = sb_page_zone(m, page);
	unsigned long __maybe_unused up_flags;
	struct sb_per_cpu_pages *pcp;
	int migratetype, pcpmigratetype;

	migratetype = sb_free_unref_page_prepare(m, page, pfn);
	pcpmigratetype = migratetype;
	if (unlikely(migratetype >= SB_MIGRATE_PCPTYPES)) {
		/* 6.1 counts PGFREE on the list path only */
		if (unlikely(sb_is_migrate_isolate(migratetype))) {
			sb_free_one_page_locked(zone, page, pfn, order,
						migratetype);
			return;
		}
		pcpmigratetype = SB_MIGRATE_MOVABLE;
	}

	sb_pcp_trylock_prepare(up_flags);
	pcp = sb_pcp_pin(zone->per_cpu_pageset);
	if (spin_trylock(&pcp->lock)) {
		sb_free_unref_page_commit(zone, pcp, page, pcpmigratetype,
					  order);
		spin_unlock(&pcp->lock);
		sb_pcp_unpin();
	} else {
		sb_pcp_unpin();
		sb_count_vm_events(m, SB_EV_PCP_TRYLOCK_FAIL, 1);
		sb_free_one_page_locked(zone, page, pfn, order, migratetype);
	}
	sb_pcp_trylock_finish(up_flags);
}

/**
 * sb_free_unref_page_list - free_unref_page_list(): free order-0 pages,
 * already through free_pages_prepare(), linked by buddy_list
 * @m:		the machine
 * @list:	the pages; emptied
 *
 * The pcp lock is dropped every SWAP_CLUSTER_MAX pages so that a long
 * list does not hold it, and whenever the zone changes.
 */
void sb_free_unref_page_list(struct sb_machine *m, struct list_head *list)
{
	unsigned long __maybe_unused up_flags;
	struct sb_per_cpu_pages *pcp;
	struct sb_page *page, *next;
	int batch_count, migratetype;

	list_for_each_entry_safe(page, next, list, buddy_list) {
		unsigned long pfn = sb_page_to_pfn(m, page);

		migratetype = sb_free_unref_page_prepare(m, page, pfn);
		if (unlikely(sb_is_migrate_isolate(migratetype))) {
			list_del(&page->buddy_list);
			sb_free_one_page_locked(sb_page_zone(m, page), page, pfn,
						0, migratetype);
		}
	}

	/* one lock hold per run of pages of one zone, at most 32 pages */
	while (!list_empty(list)) {
		struct sb_zone *zone;

		page = list_first_entry(list, struct sb_page, buddy_list);
		zone = sb_page_zone(m, page);
		sb_pcp_trylock_prepare(up_flags);
		pcp = sb_pcp_pin(zone->per_cpu_pageset);
		if (unlikely(!spin_trylock(&pcp->lock))) {
			sb_pcp_unpin();
			sb_pcp_trylock_finish(up_flags);
			sb_count_vm_events(m, SB_EV_PCP_TRYLOCK_FAIL, 1);
			list_del(&page->buddy_list);
			sb_free_one_page_locked(zone, page,
						sb_page_to_pfn(m, page), 0,
						page->migratetype);
			continue;
		}
		batch_count = 0;
		do {
			list_del(&page->buddy_list);
			migratetype = page->migratetype;
			if (unlikely(migratetype >= SB_MIGRATE_PCPTYPES))
				migratetype = SB_MIGRATE_MOVABLE;
			sb_free_unref_page_commit(zone, pcp, page, migratetype,
						  0);
			page = list_first_entry_or_null(list, struct sb_page,
							buddy_list);
		} while (++batch_count < SB_SWAP_CLUSTER_MAX && page &&
			 sb_page_zone(m, page) == zone);
		spin_unlock(&pcp->lock);
		sb_pcp_unpin();
		sb_pcp_trylock_finish(up_flags);
	}
}

/* ---- drains ---- */

/* drain_pages_zone(): everything on @cpu's lists of @zone */
static void sb_drain_pages_zone(unsigned int cpu, struct sb_zone *zone)
{
	struct sb_per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);
	unsigned long __maybe_unused up_flags;
	int count;

	do {
		sb_pcp_spin_lock_maybe_irqsave(pcp, up_flags);
		count = pcp->count;
		if (count) {
			int to_drain = min(count,
					   pcp->batch << SB_PCP_BATCH_SCALE_MAX);

			sb_free_pcppages_bulk(zone, to_drain, pcp, 0);
			count -= to_drain;
			sb_count_vm_events(zone->machine, SB_EV_PCP_DRAIN, 1);
		}
		sb_pcp_spin_unlock_maybe_irqrestore(pcp, up_flags);
	} while (count);
}

/**
 * sb_drain_pages - drain_pages(): @cpu's lists of every populated zone
 * @m:		the machine
 * @cpu:	a possible CPU
 */
void sb_drain_pages(struct sb_machine *m, unsigned int cpu)
{
	struct sb_zone *zone;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
		if (sb_populated_zone(zone))
			sb_drain_pages_zone(cpu, zone);
}

/**
 * sb_drain_local_pages - drain_local_pages(): this CPU's lists
 * @m:		the machine
 * @zone:	one zone, or NULL for all
 *
 * The caller must not migrate to another CPU meanwhile for the drain to
 * be of "this" CPU; the drain itself is safe either way.
 */
void sb_drain_local_pages(struct sb_machine *m, struct sb_zone *zone)
{
	int cpu = raw_smp_processor_id();

	if (zone)
		sb_drain_pages_zone(cpu, zone);
	else
		sb_drain_pages(m, cpu);
}

/**
 * sb_drain_all_pages - drain_all_pages(): the lists of every online CPU
 * @m:		the machine
 * @zone:	one zone, or NULL for all
 *
 * As in 6.1 the lists of other CPUs are drained from here under their
 * pcp->lock (6.1 no longer queues work on each CPU).  CPUs whose count
 * reads 0 are skipped; a drain already running makes a machine-wide
 * request return at once, as pcpu_drain_mutex does.
 */
void sb_drain_all_pages(struct sb_machine *m, struct sb_zone *zone)
{
	int cpu;

	if (unlikely(!mutex_trylock(&m->pcpu_drain_mutex))) {
		if (!zone)
			return;
		mutex_lock(&m->pcpu_drain_mutex);
	}

	for_each_online_cpu(cpu) {
		struct sb_per_cpu_pages *pcp;
		bool has_pcps = false;
		struct sb_zone *z;

		if (zone) {
			pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);
			has_pcps = READ_ONCE(pcp->count);
		} else {
			for (z = sb_first_zone(m); z; z = sb_next_zone(z)) {
				if (!sb_populated_zone(z))
					continue;
				pcp = per_cpu_ptr(z->per_cpu_pageset, cpu);
				if (READ_ONCE(pcp->count)) {
					has_pcps = true;
					break;
				}
			}
		}
		if (has_pcps)
			cpumask_set_cpu(cpu, m->cpus_with_pcps);
		else
			cpumask_clear_cpu(cpu, m->cpus_with_pcps);
	}

	for_each_cpu(cpu, m->cpus_with_pcps) {
		if (zone)
			sb_drain_pages_zone(cpu, zone);
		else
			sb_drain_pages(m, cpu);
	}
	mutex_unlock(&m->pcpu_drain_mutex);
}

/* ---- batch, high and thresholds ---- */

/**
 * sb_zone_batchsize - zone_batchsize(): ~0.1% of the zone or 1 MiB,
 * whichever is smaller, as 2^n - 1 after a factor 1.5 / 4
 * @zone:	the zone
 *
 * Return: the batch, at least 0 (the caller makes it at least 1).
 */
int sb_zone_batchsize(struct sb_zone *zone)
{
	int batch;

	batch = min_t(unsigned long, sb_zone_managed_pages(zone) >> 10,
		      SZ_1M / PAGE_SIZE);
	batch /= 4;
	if (batch < 1)
		batch = 1;
	/* 2^n - 1: powers of two alias badly in caches */
	return rounddown_pow_of_two(batch + batch / 2) - 1;
}

/**
 * sb_zone_highsize_split - zone_highsize() for @nr_split_cpus CPUs
 * @zone:	the zone
 * @batch:	its batch
 * @nr_split_cpus: the CPUs that share the zone's high value
 *
 * Return: the low watermark (or managed pages / the high fraction)
 * split across the CPUs, at least 4 * @batch.
 */
int sb_zone_highsize_split(struct sb_zone *zone, int batch, int nr_split_cpus)
{
	int fraction = READ_ONCE(zone->machine->percpu_pagelist_high_fraction);
	unsigned long total_pages;
	int high;

	if (!fraction)
		total_pages = sb_wmark_pages(zone, SB_WMARK_LOW);
	else
		total_pages = sb_zone_managed_pages(zone) / fraction;
	high = total_pages / nr_split_cpus;
	return max(high, batch << 2);
}

/**
 * sb_zone_highsize - zone_highsize(): the split is over the online CPUs of
 * the zone's emulated node (CPU n sits on node n % nr_nodes), plus
 * @cpu_online for a CPU coming up that is not in the mask yet
 * @zone:	the zone
 * @batch:	its batch
 * @cpu_online:	1 from the CPU-online callback
 *
 * Return: pcp->high for the zone's pagesets.
 */
int sb_zone_highsize(struct sb_zone *zone, int batch, int cpu_online)
{
	struct sb_machine *m = zone->machine;
	int cpu, nr_split_cpus = cpu_online;

	for_each_online_cpu(cpu)
		if (cpu % m->nr_nodes == zone->node)
			nr_split_cpus++;
	if (!nr_split_cpus)
		nr_split_cpus = num_online_cpus();
	return sb_zone_highsize_split(zone, batch, nr_split_cpus);
}

/* zone_set_pageset_high_and_batch() */
static void sb_zone_set_pageset_high_and_batch(struct sb_zone *zone,
					       int cpu_online)
{
	int new_high, new_batch, cpu;

	new_batch = max(1, sb_zone_batchsize(zone));
	new_high = sb_zone_highsize(zone, new_batch, cpu_online);
	if (zone->pageset_high == new_high && zone->pageset_batch == new_batch)
		return;
	zone->pageset_high = new_high;
	zone->pageset_batch = new_batch;
	/* pageset_update(): readers cope with batch and high changing */
	for_each_possible_cpu(cpu) {
		struct sb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, cpu);

		WRITE_ONCE(pcp->batch, new_batch);
		WRITE_ONCE(pcp->high, new_high);
	}
}

/**
 * sb_zone_pcp_update - zone_pcp_update(): recompute batch and high
 * @zone:	the zone
 * @cpu_online:	1 from the CPU-online callback, else 0
 */
void sb_zone_pcp_update(struct sb_zone *zone, int cpu_online)
{
	struct sb_machine *m = zone->machine;

	mutex_lock(&m->pcp_batch_high_lock);
	sb_zone_set_pageset_high_and_batch(zone, cpu_online);
	mutex_unlock(&m->pcp_batch_high_lock);
}

/**
 * sb_setup_zone_pageset - setup_zone_pageset(): a pageset and counter
 * deltas per possible CPU, with boot values until the first update
 * @zone:	the zone
 *
 * Return: 0 or -ENOMEM.
 */
int sb_setup_zone_pageset(struct sb_zone *zone)
{
	int cpu, pindex;

	if (sb_should_fail(SB_FAULT_PCP))
		return -ENOMEM;
	zone->per_cpu_zonestats = alloc_percpu(struct sb_per_cpu_zonestat);
	zone->per_cpu_pageset = alloc_percpu(struct sb_per_cpu_pages);
	if (!zone->per_cpu_zonestats || !zone->per_cpu_pageset) {
		sb_free_zone_pageset(zone);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct sb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, cpu);

		spin_lock_init(&pcp->lock);
		for (pindex = 0; pindex < SB_NR_PCP_LISTS; pindex++)
			INIT_LIST_HEAD(&pcp->lists[pindex]);
		pcp->high = SB_BOOT_PAGESET_HIGH;
		pcp->batch = SB_BOOT_PAGESET_BATCH;
	}
	zone->pageset_high = SB_BOOT_PAGESET_HIGH;
	zone->pageset_batch = SB_BOOT_PAGESET_BATCH;
	return 0;
}

void sb_free_zone_pageset(struct sb_zone *zone)
{
	free_percpu(zone->per_cpu_pageset);
	free_percpu(zone->per_cpu_zonestats);
	zone->per_cpu_pageset = NULL;
	zone->per_cpu_zonestats = NULL;
}

/**
 * sb_normal_threshold - calculate_normal_threshold() for a zone size
 * @managed_pages: the zone's managed pages
 * @nr_cpus:	online CPUs
 *
 * Return: 2 * fls(cpus) * (1 + fls(managed / 128 MiB)), at most 125.
 */
int sb_normal_threshold(unsigned long managed_pages, int nr_cpus)
{
	int mem = managed_pages >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls(nr_cpus) * (1 + fls(mem));

	return min(125, threshold);
}

/**
 * sb_calculate_normal_threshold - calculate_normal_threshold()
 * @zone:	the zone
 *
 * Return: the per-cpu counter threshold for the CPUs online now.
 */
int sb_calculate_normal_threshold(struct sb_zone *zone)
{
	return sb_normal_threshold(sb_zone_managed_pages(zone),
				   num_online_cpus());
}

/**
 * sb_refresh_zone_stat_thresholds - refresh_zone_stat_thresholds()
 * @m:		the machine
 * @cpu_online:	1 when a CPU not yet in the online mask is coming up
 *
 * percpu_drift_mark is not emulated: the watermark checks read the
 * folded counter, as zone_watermark_ok() does.
 */
void sb_refresh_zone_stat_thresholds(struct sb_machine *m, int cpu_online)
{
	struct sb_zone *zone;
	int cpu;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		int threshold = 0;

		if (sb_populated_zone(zone))
			threshold = sb_normal_threshold(sb_zone_managed_pages(zone),
							num_online_cpus() +
							cpu_online);
		for_each_possible_cpu(cpu)
			per_cpu_ptr(zone->per_cpu_zonestats,
				    cpu)->stat_threshold = threshold;
	}
}

/* ---- CPU hotplug ---- */

/**
 * sb_pcp_update_all - batch, high and thresholds of every zone for the
 * CPUs online now (after the machine joins the interface's hotplug state)
 * @m:		the machine
 */
void sb_pcp_update_all(struct sb_machine *m)
{
	struct sb_zone *zone;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
		if (sb_populated_zone(zone))
			sb_zone_pcp_update(zone, 0);
	sb_refresh_zone_stat_thresholds(m, 0);
}

/**
 * sb_page_alloc_cpu_online - page_alloc_cpu_online(): a CPU is coming up
 * @m:		the machine
 * @cpu:	the CPU (not yet in cpu_online_mask)
 *
 * Return: 0.
 */
int sb_page_alloc_cpu_online(struct sb_machine *m, unsigned int cpu)
{
	struct sb_zone *zone;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
		if (sb_populated_zone(zone))
			sb_zone_pcp_update(zone, 1);
	sb_refresh_zone_stat_thresholds(m, 1);
	return 0;
}

/**
 * sb_page_alloc_cpu_dead - page_alloc_cpu_dead(): a CPU went offline
 * @m:		the machine
 * @cpu:	the dead CPU
 *
 * Its lists go back to the buddy and its counter deltas into the zones
 * (cpu_vm_stats_fold(); done under zone->lock, which every change of the
 * free-page counters holds).  Event counts stay in its per-cpu slot,
 * which reads sum.  Return: 0.
 */
int sb_page_alloc_cpu_dead(struct sb_machine *m, unsigned int cpu)
{
	struct sb_zone *zone;
	int i;

	sb_drain_pages(m, cpu);
	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		struct sb_per_cpu_zonestat *pzstats =
			per_cpu_ptr(zone->per_cpu_zonestats, cpu);
		unsigned long flags;

		spin_lock_irqsave(&zone->lock, flags);
		for (i = 0; i < SB_NR_VM_ZONE_STAT_ITEMS; i++) {
			int v = pzstats->vm_stat_diff[i];

			if (v) {
				pzstats->vm_stat_diff[i] = 0;
				atomic_long_add(v, &zone->vm_stat[i]);
			}
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		if (sb_populated_zone(zone))
			sb_zone_pcp_update(zone, 0);
	}
	sb_refresh_zone_stat_thresholds(m, 0);
	return 0;
}

/* ---- tunables ---- */

/**
 * sb_set_percpu_pagelist_high_fraction - vm.percpu_pagelist_high_fraction
 * @m:		the machine
 * @val:	0 (high from the low watermark) or at least 8
 *
 * Return: 0 or -EINVAL, as percpu_pagelist_high_fraction_sysctl_handler().
 */
int sb_set_percpu_pagelist_high_fraction(struct sb_machine *m, int val)
{
	struct sb_zone *zone;

	if (val < 0 || (val && val < SB_MIN_PERCPU_PAGELIST_HIGH_FRACTION)) {
		pr_err_ratelimited("sbuddy: percpu_pagelist_high_fraction=%d: must be 0 or at least %d\n",
				   val, SB_MIN_PERCPU_PAGELIST_HIGH_FRACTION);
		return -EINVAL;
	}
	mutex_lock(&m->pcp_batch_high_lock);
	if (val != m->percpu_pagelist_high_fraction) {
		WRITE_ONCE(m->percpu_pagelist_high_fraction, val);
		for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
			if (sb_populated_zone(zone))
				sb_zone_set_pageset_high_and_batch(zone, 0);
	}
	mutex_unlock(&m->pcp_batch_high_lock);
	return 0;
}

/**
 * sb_set_legacy_cold_pages - the 2.6-era cold-page policy switch
 * @m:		the machine
 * @val:	1: SB_GFP_COLD requests take the tail of a per-cpu list (the
 *		coldest page) as buffered_rmqueue() did; 0 (default): 6.1
 *
 * Return: 0 or -EINVAL.
 */
int sb_set_legacy_cold_pages(struct sb_machine *m, int val)
{
	if (val != 0 && val != 1)
		return -EINVAL;
	WRITE_ONCE(m->legacy_cold_pages, val);
	return 0;
}
