/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy core internals shared by topology.c, buddy.c, watermark.c,
 * alloc.c, stats.c, verify.c and views.c.  Not an interface.
 */
#ifndef _SBUDDY_INTERNAL_H
#define _SBUDDY_INTERNAL_H

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

/* counters (stats.c) */
static inline void sb_mod_zone_page_state(struct sb_zone *zone, int item,
					  long delta)
{
	atomic_long_add(delta, &zone->vm_stat[item]);
}

/* __mod_zone_freepage_state() */
static inline void sb_mod_zone_freepage_state(struct sb_zone *zone,
					      long nr_pages, int migratetype)
{
	sb_mod_zone_page_state(zone, SB_NR_FREE_PAGES, nr_pages);
	if (sb_is_migrate_cma(migratetype))
		sb_mod_zone_page_state(zone, SB_NR_FREE_CMA_PAGES, nr_pages);
}

static inline void sb_count_vm_events(struct sb_machine *m, int item,
				      long delta)
{
	atomic_long_add(delta, &m->vm_events[item]);
}

static inline void sb_count_numa_events(struct sb_zone *zone, int item,
					long delta)
{
	atomic_long_add(delta, &zone->vm_numa_event[item]);
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

/* zonelists (topology.c) */
struct sb_zoneref *sb_next_zones_zonelist(struct sb_zoneref *z,
					  int highest_zoneidx,
					  const unsigned long *nodemask);
unsigned long sb_nr_free_zone_pages(struct sb_machine *m, int offset);

/* watermark.c */
void sb_calculate_totalreserve_pages(struct sb_machine *m);
int sb_init_per_zone_wmark_min(struct sb_machine *m);

#endif /* _SBUDDY_INTERNAL_H */
