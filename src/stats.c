// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy counters: per-zone vm_stat and NUMA events, machine-wide events,
 * under the names mm/vmstat.c of Linux 6.1 prints.
 */
#include <linux/cpumask.h>
#include <linux/kernel.h>

#include "sb_internal.h"

const char * const sb_migratetype_names[SB_MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};

const char * const sb_zone_stat_names[SB_NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages",
	"nr_zone_inactive_anon",
	"nr_zone_active_anon",
	"nr_zone_inactive_file",
	"nr_zone_active_file",
	"nr_zone_unevictable",
	"nr_zone_write_pending",
	"nr_mlock",
	"nr_bounce",
	"nr_zspages",
	"nr_free_cma",
};

const char * const sb_numa_stat_names[SB_NR_VM_NUMA_EVENT_ITEMS] = {
	"numa_hit",
	"numa_miss",
	"numa_foreign",
	"numa_interleave",
	"numa_local",
	"numa_other",
};

const char * const sb_vm_event_names[SB_NR_VM_EVENT_ITEMS] = {
	"pgalloc_dma",
	"pgalloc_dma32",
	"pgalloc_normal",
	"pgalloc_movable",
	"allocstall_dma",
	"allocstall_dma32",
	"allocstall_normal",
	"allocstall_movable",
	"pgfree",
	"pgsteal_kswapd",
	"pgsteal_direct",
	"pgscan_kswapd",
	"pgscan_direct",
	"kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly",
	"pageoutrun",
	"oom_kill",
	"pgmigrate_success",
	"pgmigrate_fail",
	"compact_migrate_scanned",
	"compact_free_scanned",
	"compact_isolated",
	"compact_stall",
	"compact_fail",
	"compact_success",
	"compact_daemon_wake",
	"compact_daemon_migrate_scanned",
	"compact_daemon_free_scanned",
	"sbuddy_extfrag",
	"sbuddy_extfrag_fragmenting",
	"sbuddy_steal_pageblock",
	"sbuddy_highatomic_reserve",
	"sbuddy_highatomic_unreserve",
	"sbuddy_bad_page",
	"sbuddy_alloc_fail",
	"sbuddy_pcp_refill",
	"sbuddy_pcp_refill_pages",
	"sbuddy_pcp_free_bulk",
	"sbuddy_pcp_free_bulk_pages",
	"sbuddy_pcp_drain",
	"sbuddy_pcp_trylock_fail",
	"sbuddy_migrate_fail_pinned",
	"sbuddy_migrate_fail_busy",
	"sbuddy_reclaimed_blocks",
	"sbuddy_oom_pages",
};

/* zone_page_state(): never negative */
unsigned long sb_zone_page_state(struct sb_zone *zone, int item)
{
	long x = atomic_long_read(&zone->vm_stat[item]);

	return x < 0 ? 0 : x;
}

/*
 * zone_page_state_snapshot(): the zone's counter plus every CPU's delta.
 * Exact for the free-page counters while holding zone->lock.
 */
unsigned long sb_zone_page_state_snapshot(struct sb_zone *zone, int item)
{
	long x = atomic_long_read(&zone->vm_stat[item]);
	int cpu;

	for_each_possible_cpu(cpu)
		x += per_cpu_ptr(zone->per_cpu_zonestats,
				 cpu)->vm_stat_diff[item];
	return x < 0 ? 0 : x;
}

unsigned long sb_global_zone_page_state(struct sb_machine *m, int item)
{
	struct sb_zone *zone;
	unsigned long sum = 0;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
		sum += sb_zone_page_state_snapshot(zone, item);
	return sum;
}

/* zone_numa_event_state() after fold_vm_zone_numa_events() */
unsigned long sb_zone_numa_event_state(struct sb_zone *zone, int item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(zone->per_cpu_zonestats,
				   cpu)->vm_numa_event[item];
	return sum;
}

/* sum_vm_event(): offline CPUs' counts included */
unsigned long sb_vm_event(struct sb_machine *m, int item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(m->vm_event_states, cpu)->event[item];
	return sum;
}

/*
 * zone_statistics(): hit when the page comes from the preferred zone's
 * node, else miss here and foreign there; local/other against the node
 * of the (emulated) CPU doing the allocation.
 */
void sb_zone_statistics(struct sb_zone *preferred_zone, struct sb_zone *z,
			long nr_account)
{
	int local_stat = SB_NUMA_LOCAL;

	if (z->node != sb_numa_node_id(z->machine))
		local_stat = SB_NUMA_OTHER;
	if (z->node == preferred_zone->node) {
		sb_count_numa_events(z, SB_NUMA_HIT, nr_account);
	} else {
		sb_count_numa_events(z, SB_NUMA_MISS, nr_account);
		sb_count_numa_events(preferred_zone, SB_NUMA_FOREIGN,
				     nr_account);
	}
	sb_count_numa_events(z, local_stat, nr_account);
}
