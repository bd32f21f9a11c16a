/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy core internals shared by topology.c, buddy.c, watermark.c,
 * alloc.c, stats.c, verify.c and views.c.  Not an interface.
 */
#ifndef _SBUDDY_INTERNAL_H
#define _SBUDDY_INTERNAL_H

#include <linux/percpu.h>
#include <linux/ratelimit.h>

#include "sb_core.h"

/* fpi_t of page_alloc.c */
#define SB_FPI_NONE	0
#define SB_FPI_TO_TAIL	BIT(1)

/* pageblock_flags byte: migratetype in the low bits, then the skip bit */
#define SB_PB_MIGRATETYPE_MASK	0x07
#define SB_PB_MIGRATE_SKIP	0x08

/* struct alloc_context of mm/internal.h */
struct sb_alloc_context {
	struct sb_zonelist *zonelist;
	const unsigned long *nodemask;
	struct sb_zoneref *preferred_zoneref;
	int migratetype;
	int highest_zoneidx;
};

#define sb_warn(fmt, ...) \
	pr_warn_ratelimited("sbuddy: " fmt, ##__VA_ARGS__)

static inline bool sb_is_migrate_isolate(int mt)
{
	return mt == SB_MIGRATE_ISOLATE;
}

static inline bool sb_is_migrate_cma(int mt)
{
	return mt == SB_MIGRATE_CMA;
}

static inline bool sb_is_migrate_highatomic(int mt)
{
	return mt == SB_MIGRATE_HIGHATOMIC;
}

/* migratetype_is_mergeable() of 6.1's mmzone.h */
static inline bool sb_migratetype_is_mergeable(int mt)
{
	return mt < SB_MIGRATE_PCPTYPES;
}

/* pcp_allowed_order(): costly orders stay off the per-cpu lists, THP not */
static inline bool sb_pcp_allowed_order(struct sb_machine *m,
					unsigned int order)
{
	return order <= 3 || order == m->pb_order;
}

static inline bool sb_node_isset(int nid, const unsigned long *nodemask)
{
	return !nodemask || (*nodemask & BIT(nid));
}

static inline unsigned long sb_pageblock_start_pfn(struct sb_machine *m,
						   unsigned long pfn)
{
	return round_down(pfn, m->pb_nr_pages);
}

static inline bool sb_zone_spans_pfn(const struct sb_zone *zone,
				     unsigned long pfn)
{
	return zone->zone_start_pfn <= pfn && pfn < sb_zone_end_pfn(zone);
}

static inline int sb_get_pageblock_migratetype(struct sb_machine *m,
					       const struct sb_page *page)
{
	return sb_get_pfnblock_migratetype(m, sb_page_to_pfn(m, page));
}

/*
 * counters (stats.c).  __mod_zone_page_state(): the per-cpu delta folds
 * into the zone's counter past stat_threshold.  Callers have interrupts
 * off (every caller holds zone->lock), which makes the update atomic on
 * this CPU, as in the kernel.
 */
static inline void sb_mod_zone_page_state(struct sb_zone *zone, int item,
					  long delta)
{
	struct sb_per_cpu_zonestat __percpu *pcp = zone->per_cpu_zonestats;
	s8 __percpu *p = pcp->vm_stat_diff + item;
	long x, t;

	lockdep_assert_irqs_disabled();
	x = delta + __this_cpu_read(*p);
	t = __this_cpu_read(pcp->stat_threshold);
	if (unlikely(abs(x) > t)) {
		atomic_long_add(x, &zone->vm_stat[item]);
		x = 0;
	}
	__this_cpu_write(*p, x);
}

/* __mod_zone_freepage_state() */
static inline void sb_mod_zone_freepage_state(struct sb_zone *zone,
					      long nr_pages, int migratetype)
{
	sb_mod_zone_page_state(zone, SB_NR_FREE_PAGES, nr_pages);
	if (sb_is_migrate_cma(migratetype))
		sb_mod_zone_page_state(zone, SB_NR_FREE_CMA_PAGES, nr_pages);
}

/* count_vm_events(): this CPU's slot, summed by sb_vm_event() */
static inline void sb_count_vm_events(struct sb_machine *m, int item,
				      long delta)
{
	this_cpu_add(m->vm_event_states->event[item], delta);
}

/* __count_numa_events() into the per-cpu zonestat */
static inline void sb_count_numa_events(struct sb_zone *zone, int item,
					long delta)
{
	this_cpu_add(zone->per_cpu_zonestats->vm_numa_event[item], delta);
}

void sb_zone_statistics(struct sb_zone *preferred_zone, struct sb_zone *z,
			long nr_account);

/* free lists (buddy.c) */
static inline struct sb_page *sb_get_page_from_free_area(struct sb_free_area *area,
							 int migratetype)
{
	return list_first_entry_or_null(&area->free_list[migratetype],
					struct sb_page, buddy_list);
}

static inline bool sb_free_area_empty(struct sb_free_area *area,
				      int migratetype)
{
	return list_empty(&area->free_list[migratetype]);
}

extern const int sb_fallbacks[SB_MIGRATE_TYPES][3];

struct sb_page *sb_rmqueue_smallest(struct sb_zone *zone, unsigned int order,
				    int migratetype);
struct sb_page *sb_rmqueue(struct sb_zone *zone, unsigned int order,
			   int migratetype, unsigned int alloc_flags);
void sb_free_one_page(struct sb_zone *zone, struct sb_page *page,
		      unsigned long pfn, unsigned int order, int migratetype,
		      int fpi_flags);
unsigned long sb___isolate_free_page(struct sb_machine *m, struct sb_page *page,
				     unsigned int order);
void sb___putback_isolated_page(struct sb_machine *m, struct sb_page *page,
				unsigned int order, int mt);
int sb_move_freepages_block(struct sb_zone *zone, struct sb_page *page,
			    int migratetype, int *num_movable);
int sb_find_suitable_fallback(struct sb_machine *m, struct sb_free_area *area,
			      unsigned int order, int migratetype,
			      bool only_stealable, bool *can_steal);
bool sb_can_steal_fallback(struct sb_machine *m, unsigned int order,
			   int start_mt);
void sb_reserve_highatomic_pageblock(struct sb_page *page,
				     struct sb_zone *zone,
				     unsigned int alloc_order);
bool sb_unreserve_highatomic_pageblock(struct sb_machine *m,
				       const struct sb_alloc_context *ac,
				       bool force);
bool sb_boost_watermark(struct sb_zone *zone);

/* fragmentation indices (extfrag.c): struct contig_page_info of vmstat.c */
struct sb_contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

void sb_fill_contig_page_info(struct sb_zone *zone, unsigned int suitable_order,
			      struct sb_contig_page_info *info);
int sb___fragmentation_index(unsigned int order,
			     const struct sb_contig_page_info *info);
unsigned int sb_extfrag_for_order(struct sb_zone *zone, unsigned int order);
int sb_unusable_free_index(unsigned int order,
			   const struct sb_contig_page_info *info);

/* zonelists (topology.c) */
struct sb_zoneref *sb_next_zones_zonelist(struct sb_zoneref *z,
					  int highest_zoneidx,
					  const unsigned long *nodemask);
unsigned long sb_nr_free_zone_pages(struct sb_machine *m, int offset);

/*
 * The pcp locks of 6.1.192 (pcp_spin_trylock() and friends): pin the task
 * to its CPU, then trylock that CPU's list lock with interrupts enabled.
 * A trylock that fails (a drain from another CPU, or reentry from an
 * interrupt) sends the caller to the buddy lists.  On UP the trylock
 * cannot fail, so interrupts are disabled around it instead.
 */
#ifdef CONFIG_SMP
static inline void sb_flags_noop(unsigned long *flags) { }
#define sb_pcp_trylock_prepare(flags)	do { } while (0)
#define sb_pcp_trylock_finish(flags)	do { } while (0)
#define sb_pcp_spin_lock_maybe_irqsave(ptr, flags)	\
	({ sb_flags_noop(&(flags)); spin_lock(&(ptr)->lock); })
#define sb_pcp_spin_unlock_maybe_irqrestore(ptr, flags)	\
	({ spin_unlock(&(ptr)->lock); sb_flags_noop(&(flags)); })
#else
#define sb_pcp_trylock_prepare(flags)	local_irq_save(flags)
#define sb_pcp_trylock_finish(flags)	local_irq_restore(flags)
#define sb_pcp_spin_lock_maybe_irqsave(ptr, flags)	\
	spin_lock_irqsave(&(ptr)->lock, flags)
#define sb_pcp_spin_unlock_maybe_irqrestore(ptr, flags)	\
	spin_unlock_irqrestore(&(ptr)->lock, flags)
#endif

/*
 * pcpu_task_pin() + this_cpu_ptr(); the caller then tests
 * spin_trylock(&pcp->lock) itself (in the condition, where sparse can
 * follow the lock) and ends with sb_pcp_unpin().
 */
#define sb_pcp_pin(ptr)		({ preempt_disable(); this_cpu_ptr(ptr); })
#define sb_pcp_unpin()		preempt_enable()

/* order_to_pindex() and pindex_to_order() with THP lists */
static inline unsigned int sb_order_to_pindex(struct sb_machine *m,
					      int migratetype, int order)
{
	if (order > SB_PAGE_ALLOC_COSTLY_ORDER)
		return SB_NR_LOWORDER_PCP_LISTS +
		       (migratetype == SB_MIGRATE_MOVABLE);
	return SB_MIGRATE_PCPTYPES * order + migratetype;
}

static inline int sb_pindex_to_order(struct sb_machine *m, unsigned int pindex)
{
	if (pindex >= SB_NR_LOWORDER_PCP_LISTS)
		return m->pb_order;
	return pindex / SB_MIGRATE_PCPTYPES;
}

/* alloc.c, shared with pcp.c */
bool sb_check_new_pages(struct sb_machine *m, struct sb_page *page,
			unsigned int order);
void sb_bad_page(struct sb_machine *m, struct sb_page *page,
		 unsigned int order, const char *reason);

/* pcp.c */
struct sb_page *sb_rmqueue_pcplist(struct sb_zone *preferred_zone,
				   struct sb_zone *zone, unsigned int order,
				   int migratetype, unsigned int alloc_flags,
				   bool cold);
struct sb_page *sb___rmqueue_pcplist(struct sb_zone *zone, unsigned int order,
				     int migratetype, unsigned int alloc_flags,
				     struct sb_per_cpu_pages *pcp,
				     struct list_head *list, bool cold);
void sb_free_unref_page(struct sb_machine *m, struct sb_page *page,
			unsigned int order);
void sb_free_unref_page_list(struct sb_machine *m, struct list_head *list);
int sb_setup_zone_pageset(struct sb_zone *zone);
void sb_free_zone_pageset(struct sb_zone *zone);
void sb_zone_pcp_update(struct sb_zone *zone, int cpu_online);
void sb_refresh_zone_stat_thresholds(struct sb_machine *m, int cpu_online);
int sb_zone_highsize_split(struct sb_zone *zone, int batch,
			   int nr_split_cpus);
int sb_normal_threshold(unsigned long managed_pages, int nr_cpus);

/* compaction.c, for the slow path */
enum sb_compact_result
sb_try_to_compact_pages(struct sb_machine *m, gfp_t gfp, unsigned int order,
			unsigned int alloc_flags,
			const struct sb_alloc_context *ac,
			enum sb_compact_priority prio,
			struct sb_page **capture);
bool sb_compaction_zonelist_suitable(struct sb_machine *m,
				     const struct sb_alloc_context *ac,
				     int order, int alloc_flags);
/* for kswapd going to sleep, as reset_isolation_suitable() */
void sb_reset_isolation_suitable(struct sb_node *pgdat);

/* vmscan.c, for the slow path */
unsigned long sb_try_to_free_pages(struct sb_machine *m,
				   struct sb_zonelist *zonelist, int order,
				   gfp_t gfp, const unsigned long *nodemask);

/* watermark.c */
void sb_calculate_totalreserve_pages(struct sb_machine *m);
int sb_init_per_zone_wmark_min(struct sb_machine *m);

/* vmscan.c: kswapd's steps, for the slow path and the KUnit suite */
#define SB_MAX_RECLAIM_RETRIES	16	/* MAX_RECLAIM_RETRIES */
bool sb_pgdat_balanced(struct sb_node *pgdat, int order, int highest_zoneidx);
bool sb_prepare_kswapd_sleep(struct sb_node *pgdat, int order,
			     int highest_zoneidx);
int sb_balance_pgdat(struct sb_machine *m, struct sb_node *pgdat, int order,
		     int highest_zoneidx);

/*
 * The slow path's steps, logged per machine in KUnit builds only (a test
 * reads sb_machine.sp_log): SB_SP_LOG(step, arg), arg 0..255.
 */
enum sb_slowpath_step {
	SB_SP_WAKE_KSWAPD,	/* wake_all_kswapds(); arg: order */
	SB_SP_GET_PAGE,		/* get_page_from_freelist() with its flags */
	SB_SP_COMPACT,		/* direct compaction; arg: priority */
	SB_SP_NO_WATERMARKS,	/* __gfp_pfmemalloc_flags() gave reserves */
	SB_SP_RECLAIM,		/* direct reclaim; arg: progress, capped */
	SB_SP_OOM,		/* out_of_memory() */
	SB_SP_NOFAIL,		/* the __GFP_NOFAIL reserve attempt */
	SB_SP_NOPAGE,		/* the request fails */
};

#define SB_SP_LOG(step, arg)	((u16)((step) | ((arg) << 8)))
#define SB_SP_STEP(entry)	((entry) & 0xff)
#define SB_SP_ARG(entry)	((entry) >> 8)
/* buddy.c, for page_isolation.c */
int sb_split_free_page(struct sb_machine *m, struct sb_page *free_page,
		       unsigned int order, unsigned long split_pfn_offset);

/* contig.c, for page_isolation.c: 6.1's retries of a busy range */
#define SB_CONTIG_TRIES	5
int sb_contig_migrate_block(struct sb_machine *m, struct sb_page *page,
			    int nid);

/* owner.c, for contig.c: contiguous pages become an owner's block */
struct sb_block *sb_owner_add_block(struct sb_owner *o, struct sb_page *page,
				    unsigned int order, unsigned int flags);
unsigned long sb_reclaim_block(struct sb_machine *m, struct sb_page *page);

#endif /* _SBUDDY_INTERNAL_H */
