// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy text views in the formats of Linux 6.1's mm/vmstat.c
 * (/proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo, /proc/vmstat), so
 * that parsers of those files read them unchanged.
 *
 * The reference is Debian's 6.1 x86_64 configuration, which also has
 * ZONE_DEVICE: zoneinfo shows an empty "Device" zone after Movable and a
 * fifth protection column, vmstat the *_device events, as the host does.
 */
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>

#include "sb_internal.h"

/* enum node_stat_item of 6.1 with Debian's config (SWAP, NUMA_BALANCING) */
static const char * const sb_node_stat_names[] = {
	"nr_inactive_anon", "nr_active_anon", "nr_inactive_file",
	"nr_active_file", "nr_unevictable", "nr_slab_reclaimable",
	"nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
	"workingset_nodes", "workingset_refault_anon",
	"workingset_refault_file", "workingset_activate_anon",
	"workingset_activate_file", "workingset_restore_anon",
	"workingset_restore_file", "workingset_nodereclaim", "nr_anon_pages",
	"nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback",
	"nr_writeback_temp", "nr_shmem", "nr_shmem_hugepages",
	"nr_shmem_pmdmapped", "nr_file_hugepages", "nr_file_pmdmapped",
	"nr_anon_transparent_hugepages", "nr_vmscan_write",
	"nr_vmscan_immediate_reclaim", "nr_dirtied", "nr_written",
	"nr_throttled_written", "nr_kernel_misc_reclaimable",
	"nr_foll_pin_acquired", "nr_foll_pin_released", "nr_kernel_stack",
	"nr_page_table_pages", "nr_sec_page_table_pages", "nr_swapcached",
	"pgpromote_success", "pgpromote_candidate",
};

/*
 * enum vm_event_item of 6.1 with Debian's config.  An entry naming one of
 * sbuddy's events (SB_PGALLOC_*, SB_PGFREE) is printed from it; the
 * others are events of subsystems sbuddy does not have (yet): 0.
 */
static const char * const sb_vm_event_text[] = {
	"pgpgin", "pgpgout", "pswpin", "pswpout",
	"pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable",
	"pgalloc_device",
	"allocstall_dma", "allocstall_dma32", "allocstall_normal",
	"allocstall_movable", "allocstall_device",
	"pgskip_dma", "pgskip_dma32", "pgskip_normal", "pgskip_movable",
	"pgskip_device",
	"pgfree", "pgactivate", "pgdeactivate", "pglazyfree", "pgfault",
	"pgmajfault", "pglazyfreed", "pgrefill", "pgreuse", "pgsteal_kswapd",
	"pgsteal_direct", "pgdemote_kswapd", "pgdemote_direct",
	"pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle",
	"pgscan_anon", "pgscan_file", "pgsteal_anon", "pgsteal_file",
	"zone_reclaim_failed", "pginodesteal", "slabs_scanned",
	"kswapd_inodesteal", "kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly", "pageoutrun", "pgrotated",
	"drop_pagecache", "drop_slab", "oom_kill", "numa_pte_updates",
	"numa_huge_pte_updates", "numa_hint_faults", "numa_hint_faults_local",
	"numa_pages_migrated", "pgmigrate_success", "pgmigrate_fail",
	"thp_migration_success", "thp_migration_fail", "thp_migration_split",
	"compact_migrate_scanned", "compact_free_scanned", "compact_isolated",
	"compact_stall", "compact_fail", "compact_success",
	"compact_daemon_wake", "compact_daemon_migrate_scanned",
	"compact_daemon_free_scanned", "htlb_buddy_alloc_success",
	"htlb_buddy_alloc_fail", "unevictable_pgs_culled",
	"unevictable_pgs_scanned", "unevictable_pgs_rescued",
	"unevictable_pgs_mlocked", "unevictable_pgs_munlocked",
	"unevictable_pgs_cleared", "unevictable_pgs_stranded",
	"thp_fault_alloc", "thp_fault_fallback", "thp_fault_fallback_charge",
	"thp_collapse_alloc", "thp_collapse_alloc_failed", "thp_file_alloc",
	"thp_file_fallback", "thp_file_fallback_charge", "thp_file_mapped",
	"thp_split_page", "thp_split_page_failed", "thp_deferred_split_page",
	"thp_split_pmd", "thp_scan_exceed_none_pte",
	"thp_scan_exceed_swap_pte", "thp_scan_exceed_share_pte",
	"thp_split_pud", "thp_zero_page_alloc", "thp_zero_page_alloc_failed",
	"thp_swpout", "thp_swpout_fallback", "balloon_inflate",
	"balloon_deflate", "balloon_migrate", "swap_ra", "swap_ra_hit",
	"ksm_swpin_copy", "cow_ksm", "direct_map_level2_splits",
	"direct_map_level3_splits",
};

static unsigned long sb_named_event(struct sb_machine *m, const char *name)
{
	int i;

	for (i = 0; i < SB_NR_KERNEL_EVENTS; i++)
		if (!strcmp(name, sb_vm_event_names[i]))
			return sb_vm_event(m, i);
	return 0;
}

/* frag_show_print() for every populated zone, zone->lock held */
int sb_show_buddyinfo(struct seq_file *s, struct sb_machine *m)
{
	struct sb_zone *zone;
	unsigned long flags;
	int order;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		if (!sb_populated_zone(zone))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		seq_printf(s, "Node %d, zone %8s ", zone->node, zone->name);
		for (order = 0; order < SB_MAX_ORDER; ++order)
			seq_printf(s, "%6lu ", zone->free_area[order].nr_free);
		seq_putc(s, '\n');
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return 0;
}

/*
 * pagetypeinfo_showfree_print(): list walks capped at 100000 entries,
 * zone->lock taken per order only, so readers never hold up allocation
 * for long.
 */
static void sb_pagetypeinfo_showfree_print(struct seq_file *s,
					   struct sb_zone *zone)
{
	unsigned long flags;
	int order, mtype;

	for (mtype = 0; mtype < SB_MIGRATE_TYPES; mtype++) {
		seq_printf(s, "Node %4d, zone %8s, type %12s ", zone->node,
			   zone->name, sb_migratetype_names[mtype]);
		for (order = 0; order < SB_MAX_ORDER; ++order) {
			struct sb_free_area *area = &zone->free_area[order];
			unsigned long freecount = 0;
			struct list_head *curr;
			bool overflow = false;

			spin_lock_irqsave(&zone->lock, flags);
			list_for_each(curr, &area->free_list[mtype]) {
				if (++freecount >= 100000) {
					overflow = true;
					break;
				}
			}
			spin_unlock_irqrestore(&zone->lock, flags);
			seq_printf(s, "%s%6lu ", overflow ? ">" : "",
				   freecount);
			cond_resched();
		}
		seq_putc(s, '\n');
	}
}

static void sb_pagetypeinfo_showblockcount_print(struct seq_file *s,
						 struct sb_machine *m,
						 struct sb_zone *zone)
{
	unsigned long count[SB_MIGRATE_TYPES] = { 0 };
	unsigned long pfn;
	int mtype;

	for (pfn = zone->zone_start_pfn; pfn < sb_zone_end_pfn(zone);
	     pfn += m->pb_nr_pages) {
		mtype = sb_get_pfnblock_migratetype(m, pfn);
		if (mtype < SB_MIGRATE_TYPES)
			count[mtype]++;
	}
	seq_printf(s, "Node %d, zone %8s ", zone->node, zone->name);
	for (mtype = 0; mtype < SB_MIGRATE_TYPES; mtype++)
		seq_printf(s, "%12lu ", count[mtype]);
	seq_putc(s, '\n');
}

/*
 * pagetypeinfo_showmixedcount_print() of mm/page_owner.c: a pageblock is
 * mixed when an allocation in it asked for another migratetype than the
 * block's.  sbuddy records the requested type of every allocation, so it
 * needs no page_owner.  No zone->lock: racy reads only skew a count.
 */
static void sb_pagetypeinfo_showmixedcount_print(struct seq_file *s,
						 struct sb_machine *m,
						 struct sb_zone *zone)
{
	unsigned long count[SB_MIGRATE_TYPES] = { 0 };
	unsigned long pfn = zone->zone_start_pfn, block_end_pfn;
	unsigned long end_pfn = sb_zone_end_pfn(zone);
	int pageblock_mt, i;

	while (pfn < end_pfn) {
		block_end_pfn = min(sb_pageblock_start_pfn(m, pfn) +
				    m->pb_nr_pages, end_pfn);
		pageblock_mt = sb_get_pfnblock_migratetype(m, pfn);

		for (; pfn < block_end_pfn; pfn++) {
			struct sb_page *page = sb_pfn_to_page(m, pfn);
			u32 flags = READ_ONCE(page->flags);
			unsigned int order = READ_ONCE(page->order);

			/* free blocks and the pcp lists' blocks are skipped */
			if (flags & (SB_PG_BUDDY | SB_PG_PCP)) {
				if (order < SB_MAX_ORDER)
					pfn += (1UL << order) - 1;
				continue;
			}
			if (!(flags & SB_PG_ALLOC))
				continue;
			if (READ_ONCE(page->migratetype) != pageblock_mt) {
				if (sb_is_migrate_cma(pageblock_mt))
					count[SB_MIGRATE_MOVABLE]++;
				else if (pageblock_mt < SB_MIGRATE_TYPES)
					count[pageblock_mt]++;
				pfn = block_end_pfn;
				break;
			}
			if (order < SB_MAX_ORDER)
				pfn += (1UL << order) - 1;
		}
		cond_resched();
	}

	seq_printf(s, "Node %d, zone %8s ", zone->node, zone->name);
	for (i = 0; i < SB_MIGRATE_TYPES; i++)
		seq_printf(s, "%12lu ", count[i]);
	seq_putc(s, '\n');
}

/* pagetypeinfo_show() for each node with memory */
int sb_show_pagetypeinfo(struct seq_file *s, struct sb_machine *m)
{
	int nid, zid, order, mtype;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct sb_node *pgdat = m->nodes[nid];

		if (!pgdat->node_present_pages)
			continue;
		seq_printf(s, "Page block order: %d\n", m->pb_order);
		seq_printf(s, "Pages per block:  %lu\n", m->pb_nr_pages);
		seq_putc(s, '\n');

		seq_printf(s, "%-43s ", "Free pages count per migrate type at order");
		for (order = 0; order < SB_MAX_ORDER; ++order)
			seq_printf(s, "%6d ", order);
		seq_putc(s, '\n');
		for (zid = 0; zid < SB_MAX_NR_ZONES; zid++)
			if (sb_populated_zone(&pgdat->node_zones[zid]))
				sb_pagetypeinfo_showfree_print(s, &pgdat->node_zones[zid]);

		seq_printf(s, "\n%-23s", "Number of blocks type ");
		for (mtype = 0; mtype < SB_MIGRATE_TYPES; mtype++)
			seq_printf(s, "%12s ", sb_migratetype_names[mtype]);
		seq_putc(s, '\n');
		for (zid = 0; zid < SB_MAX_NR_ZONES; zid++)
			if (sb_populated_zone(&pgdat->node_zones[zid]))
				sb_pagetypeinfo_showblockcount_print(s, m,
								     &pgdat->node_zones[zid]);

		/* pagetypeinfo_showmixedcount(), always on here */
		seq_printf(s, "\n%-23s", "Number of mixed blocks ");
		for (mtype = 0; mtype < SB_MIGRATE_TYPES; mtype++)
			seq_printf(s, "%12s ", sb_migratetype_names[mtype]);
		seq_putc(s, '\n');
		for (zid = 0; zid < SB_MAX_NR_ZONES; zid++)
			if (sb_populated_zone(&pgdat->node_zones[zid]))
				sb_pagetypeinfo_showmixedcount_print(s, m,
								     &pgdat->node_zones[zid]);
	}
	return 0;
}

static void sb_zoneinfo_protection(struct seq_file *s,
				   const long *lowmem_reserve)
{
	int i;

	seq_printf(s, "\n        protection: (%ld", lowmem_reserve[0]);
	for (i = 1; i < SB_MAX_NR_ZONES; i++)
		seq_printf(s, ", %ld", lowmem_reserve[i]);
	/* ZONE_DEVICE: nothing managed, so the Movable column again */
	seq_printf(s, ", %ld)", lowmem_reserve[SB_MAX_NR_ZONES - 1]);
}

/* zoneinfo_show_print() */
static void sb_zoneinfo_show_print(struct seq_file *s, struct sb_machine *m,
				   struct sb_node *pgdat, struct sb_zone *zone,
				   bool first_populated)
{
	int i;

	seq_printf(s, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (first_populated) {
		seq_puts(s, "\n  per-node stats");
		for (i = 0; i < ARRAY_SIZE(sb_node_stat_names); i++)
			seq_printf(s, "\n      %-12s %lu", sb_node_stat_names[i],
				   0UL);
	}
	/* folded (snapshot) values: exact under zone->lock */
	seq_printf(s, "\n  pages free     %lu",
		   zone->per_cpu_zonestats ?
		   sb_zone_page_state_snapshot(zone, SB_NR_FREE_PAGES) : 0);
	seq_printf(s, "\n        boost    %lu", zone->watermark_boost);
	seq_printf(s, "\n        min      %lu",
		   sb_wmark_pages(zone, SB_WMARK_MIN));
	seq_printf(s, "\n        low      %lu",
		   sb_wmark_pages(zone, SB_WMARK_LOW));
	seq_printf(s, "\n        high     %lu",
		   sb_wmark_pages(zone, SB_WMARK_HIGH));
	seq_printf(s, "\n        spanned  %lu", zone->spanned_pages);
	seq_printf(s, "\n        present  %lu", zone->present_pages);
	seq_printf(s, "\n        managed  %lu", sb_zone_managed_pages(zone));
	seq_printf(s, "\n        cma      %lu", zone->cma_pages);
	sb_zoneinfo_protection(s, zone->lowmem_reserve);

	if (!sb_populated_zone(zone)) {
		seq_putc(s, '\n');
		return;
	}
	for (i = 0; i < SB_NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(s, "\n      %-12s %lu", sb_zone_stat_names[i],
			   sb_zone_page_state_snapshot(zone, i));
	for (i = 0; i < SB_NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(s, "\n      %-12s %lu", sb_numa_stat_names[i],
			   sb_zone_numa_event_state(zone, i));

	seq_puts(s, "\n  pagesets");
	for_each_online_cpu(i) {
		struct sb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, i);

		seq_printf(s, "\n    cpu: %i", i);
		seq_printf(s, "\n              count: %i", READ_ONCE(pcp->count));
		seq_printf(s, "\n              high:  %i", READ_ONCE(pcp->high));
		seq_printf(s, "\n              batch: %i", READ_ONCE(pcp->batch));
		seq_printf(s, "\n  vm stats threshold: %d",
			   per_cpu_ptr(zone->per_cpu_zonestats,
				       i)->stat_threshold);
	}
	seq_printf(s, "\n  node_unreclaimable:  %u", 0U);
	seq_printf(s, "\n  start_pfn:           %lu", zone->zone_start_pfn);
	seq_putc(s, '\n');
}

/* zoneinfo_show(): every zone, populated or not, under its lock */
int sb_show_zoneinfo(struct seq_file *s, struct sb_machine *m)
{
	unsigned long flags;
	int nid, zid;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct sb_node *pgdat = m->nodes[nid];
		int first = -1;
		struct sb_zone dev = { };

		for (zid = 0; zid < SB_MAX_NR_ZONES; zid++) {
			struct sb_zone *zone = &pgdat->node_zones[zid];

			if (first < 0 && sb_populated_zone(zone))
				first = zid;
			spin_lock_irqsave(&zone->lock, flags);
			sb_zoneinfo_show_print(s, m, pgdat, zone, zid == first);
			spin_unlock_irqrestore(&zone->lock, flags);
		}
		/* the empty ZONE_DEVICE of the reference configuration */
		dev.name = "Device";
		dev.node = nid;
		dev.machine = m;
		for (zid = 0; zid < SB_MAX_NR_ZONES; zid++)
			dev.lowmem_reserve[zid] = 0;
		sb_zoneinfo_show_print(s, m, pgdat, &dev, false);
	}
	return 0;
}

/* vmstat_start()/vmstat_show(): "name value" lines in 6.1's order */
int sb_show_vmstat(struct seq_file *s, struct sb_machine *m)
{
	int i;
	struct sb_zone *zone;

	for (i = 0; i < SB_NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(s, "%s %lu\n", sb_zone_stat_names[i],
			   sb_global_zone_page_state(m, i));
	for (i = 0; i < SB_NR_VM_NUMA_EVENT_ITEMS; i++) {
		unsigned long sum = 0;

		for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
			sum += sb_zone_numa_event_state(zone, i);
		seq_printf(s, "%s %lu\n", sb_numa_stat_names[i], sum);
	}
	for (i = 0; i < ARRAY_SIZE(sb_node_stat_names); i++)
		seq_printf(s, "%s %lu\n", sb_node_stat_names[i], 0UL);
	seq_printf(s, "%s %lu\n", "nr_dirty_threshold", 0UL);
	seq_printf(s, "%s %lu\n", "nr_dirty_background_threshold", 0UL);
	for (i = 0; i < ARRAY_SIZE(sb_vm_event_text); i++)
		seq_printf(s, "%s %lu\n", sb_vm_event_text[i],
			   sb_named_event(m, sb_vm_event_text[i]));
	/* sbuddy's own events, after the kernel's */
	for (i = SB_NR_KERNEL_EVENTS; i < SB_NR_VM_EVENT_ITEMS; i++)
		seq_printf(s, "%s %lu\n", sb_vm_event_names[i],
			   sb_vm_event(m, i));
	return 0;
}

/**
 * sb_show_pcp - sbuddy's per-cpu list view: per populated zone and
 * possible CPU, the pageset's fields and the blocks on each list
 * @s:	the seq_file
 * @m:	the machine
 *
 * Each list is read under its pcp lock, so a line is a consistent
 * picture of one pageset.  Return: 0.
 */
int sb_show_pcp(struct seq_file *s, struct sb_machine *m)
{
	struct sb_zone *zone;
	int cpu, i;

	seq_puts(s, "# node zone cpu online count high batch free_factor");
	for (i = 0; i < SB_NR_PCP_LISTS; i++) {
		int order = sb_pindex_to_order(m, i);

		if (i < SB_NR_LOWORDER_PCP_LISTS)
			seq_printf(s, " %c%d", "UMR"[i % SB_MIGRATE_PCPTYPES],
				   order);
		else
			seq_printf(s, " %s%d",
				   i == SB_NR_LOWORDER_PCP_LISTS ? "UR" : "M",
				   order);
	}
	seq_putc(s, '\n');
	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		if (!sb_populated_zone(zone))
			continue;
		for_each_possible_cpu(cpu) {
			struct sb_per_cpu_pages *pcp =
				per_cpu_ptr(zone->per_cpu_pageset, cpu);
			unsigned int nr[SB_NR_PCP_LISTS];
			int count, high, batch, factor;
			unsigned long __maybe_unused flags;
			struct list_head *pos;

			sb_pcp_spin_lock_maybe_irqsave(pcp, flags);
			count = pcp->count;
			high = pcp->high;
			batch = pcp->batch;
			factor = pcp->free_factor;
			for (i = 0; i < SB_NR_PCP_LISTS; i++) {
				nr[i] = 0;
				list_for_each(pos, &pcp->lists[i])
					nr[i]++;
			}
			sb_pcp_spin_unlock_maybe_irqrestore(pcp, flags);
			seq_printf(s, "%d %s %d %d %d %d %d %d", zone->node,
				   zone->name, cpu, cpu_online(cpu), count,
				   high, batch, factor);
			for (i = 0; i < SB_NR_PCP_LISTS; i++)
				seq_printf(s, " %u", nr[i]);
			seq_putc(s, '\n');
		}
	}
	return 0;
}

/*
 * unusable_show() and extfrag_show() of mm/vmstat.c, the files of
 * /sys/kernel/debug/extfrag/: per populated zone, one index per order,
 * under zone->lock as walk_zones_in_node() takes it.
 */
static int sb_show_frag_index(struct seq_file *s, struct sb_machine *m,
			      bool extfrag)
{
	struct sb_contig_page_info info;
	struct sb_zone *zone;
	unsigned long flags;
	unsigned int order;
	int index;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		if (!sb_populated_zone(zone))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		seq_printf(s, "Node %d, zone %8s ", zone->node, zone->name);
		for (order = 0; order < SB_MAX_ORDER; ++order) {
			sb_fill_contig_page_info(zone, order, &info);
			if (extfrag) {
				index = sb___fragmentation_index(order, &info);
				seq_printf(s, "%2d.%03d ", index / 1000,
					   index % 1000);
			} else {
				index = sb_unusable_free_index(order, &info);
				seq_printf(s, "%d.%03d ", index / 1000,
					   index % 1000);
			}
		}
		seq_putc(s, '\n');
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return 0;
}

int sb_show_extfrag_index(struct seq_file *s, struct sb_machine *m)
{
	return sb_show_frag_index(s, m, true);
}

int sb_show_unusable_index(struct seq_file *s, struct sb_machine *m)
{
	return sb_show_frag_index(s, m, false);
}

/*
 * pageblocks: one line per pageblock, for maps and for the study's
 * ceiling (a block no allocator could free: it holds an unmovable or a
 * reclaimable allocation, or a movable one that cannot move because it
 * is pinned or has no owner to migrate it).  No lock: a racy read only
 * skews a line.
 */
struct sb_pb_counts {
	unsigned long free, pcp, used[SB_MIGRATE_PCPTYPES], stuck;
	int largest;
};

static void sb_pb_account(struct sb_machine *m, struct sb_page *page,
			  unsigned long pages, struct sb_pb_counts *c)
{
	int mt = READ_ONCE(page->migratetype);
	struct sb_block *blk;

	if (mt >= SB_MIGRATE_PCPTYPES)
		mt = SB_MIGRATE_UNMOVABLE;
	c->used[mt] += pages;
	if (mt != SB_MIGRATE_MOVABLE)
		return;
	rcu_read_lock();
	blk = sb_page_block(m, page);
	if (!blk || READ_ONCE(blk->pins))
		c->stuck += pages;
	rcu_read_unlock();
}

int sb_show_pageblocks(struct seq_file *s, struct sb_machine *m)
{
	struct sb_zone *zone;

	seq_puts(s, "# node zone index pfn type free pcp unmovable movable reclaimable stuck largest_free_order mixed\n");
	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		unsigned long pfn = zone->zone_start_pfn, end_pfn = sb_zone_end_pfn(zone);
		struct sb_page *carry = NULL;
		unsigned long carry_left = 0;
		bool carry_free = false;
		int carry_order = 0;

		if (!sb_populated_zone(zone))
			continue;
		while (pfn < end_pfn) {
			unsigned long start = pfn;
			unsigned long bend = min(sb_pageblock_start_pfn(m, pfn) +
						 m->pb_nr_pages, end_pfn);
			int bmt = sb_get_pfnblock_migratetype(m, pfn);
			struct sb_pb_counts c = { .largest = -1 };
			bool mixed = false;
			int mt;

			/* the rest of a block larger than a pageblock */
			if (carry_left) {
				unsigned long n = min(carry_left, bend - pfn);

				if (carry_free) {
					c.free += n;
					c.largest = carry_order;
				} else {
					sb_pb_account(m, carry, n, &c);
					if (READ_ONCE(carry->migratetype) != bmt)
						mixed = true;
				}
				carry_left -= n;
				pfn += n;
			}
			while (pfn < bend) {
				struct sb_page *page = sb_pfn_to_page(m, pfn);
				u32 flags = READ_ONCE(page->flags);
				unsigned int order = READ_ONCE(page->order);
				unsigned long n;

				if (order >= SB_MAX_ORDER ||
				    !(flags & (SB_PG_BUDDY | SB_PG_PCP | SB_PG_ALLOC))) {
					pfn++;
					continue;
				}
				n = min(1UL << order, bend - pfn);
				if ((1UL << order) > n) {
					carry = page;
					carry_left = (1UL << order) - n;
					carry_free = flags & SB_PG_BUDDY;
					carry_order = order;
				}
				if (flags & SB_PG_BUDDY) {
					c.free += n;
					c.largest = max_t(int, c.largest, order);
				} else if (flags & SB_PG_PCP) {
					c.pcp += n;
				} else {
					sb_pb_account(m, page, n, &c);
					mt = READ_ONCE(page->migratetype);
					if (mt != bmt && !(sb_is_migrate_cma(bmt) &&
							   mt == SB_MIGRATE_MOVABLE))
						mixed = true;
				}
				pfn += n;
			}
			seq_printf(s, "%d %s %lu %#lx %s %lu %lu %lu %lu %lu %lu %d %d\n",
				   zone->node, zone->name,
				   (start - m->base_pfn) / m->pb_nr_pages, start,
				   bmt < SB_MIGRATE_TYPES ? sb_migratetype_names[bmt] : "?",
				   c.free, c.pcp, c.used[SB_MIGRATE_UNMOVABLE],
				   c.used[SB_MIGRATE_MOVABLE],
				   c.used[SB_MIGRATE_RECLAIMABLE], c.stuck,
				   c.largest, mixed);
			pfn = bend;
			cond_resched();
		}
	}
	return 0;
}
