/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy compaction internals (compaction.c): struct compact_control and
 * struct capture_control of mm/internal.h of Linux 6.1, for the capture
 * hook in buddy.c, contiguous allocation and the KUnit suite.  Not an
 * interface.
 */
#ifndef _SB_COMPACTION_H
#define _SB_COMPACTION_H

#include <linux/sched.h>

#include "sb_internal.h"

#define SB_COMPACT_CLUSTER_MAX		SB_SWAP_CLUSTER_MAX
/* Do not skip compaction more than 64 times */
#define SB_COMPACT_MAX_DEFER_SHIFT	6
/* fragmentation score check interval of proactive compaction */
#define SB_HPAGE_FRAG_CHECK_INTERVAL_MSEC 500

/**
 * struct sb_compact_control - struct compact_control of 6.1
 *
 * The fields are the kernel's.  @migratepages holds isolated owner
 * blocks linked by sb_block.lru (a movable block is on no LRU list, as a
 * folio isolated from its LRU); @freepages holds isolated free pages,
 * linked by sb_page.buddy_list, of order sb_page.order until
 * split_map_pages() makes them order-0 allocations.
 */
struct sb_compact_control {
	struct list_head freepages;
	struct list_head migratepages;
	unsigned int nr_freepages;
	unsigned int nr_migratepages;
	unsigned long free_pfn;
	unsigned long migrate_pfn;
	unsigned long fast_start_pfn;
	struct sb_zone *zone;
	unsigned long total_migrate_scanned;
	unsigned long total_free_scanned;
	unsigned short fast_search_fail;
	short search_order;
	gfp_t gfp_mask;
	int order;
	int migratetype;
	unsigned int alloc_flags;
	int highest_zoneidx;
	enum sb_migrate_mode mode;
	bool ignore_skip_hint;
	bool no_set_skip_hint;
	bool ignore_block_suitable;
	bool direct_compaction;
	bool proactive_compaction;
	bool whole_zone;
	bool contended;
	bool rescan;
	bool alloc_contig;
};

/**
 * struct sb_capture_control - struct capture_control of 6.1
 * @cc:		the compaction it serves
 * @page:	the captured block, NULL until one is
 * @task:	the direct compactor (the kernel keeps the pointer in
 *		current->capture_control; sbuddy lists it on the zone)
 * @node:	on zone->compact_captures, under zone->lock
 */
struct sb_capture_control {
	struct sb_compact_control *cc;
	struct sb_page *page;
	struct task_struct *task;
	struct list_head node;
};

/*
 * task_capc(): the capture control of the current task for @zone, zone
 * lock held.  Kernel threads never capture, as in 6.1.
 */
static inline struct sb_capture_control *sb_task_capc(struct sb_zone *zone)
{
	struct sb_capture_control *capc;

	if (likely(list_empty(&zone->compact_captures)) ||
	    (current->flags & PF_KTHREAD))
		return NULL;
	list_for_each_entry(capc, &zone->compact_captures, node)
		if (capc->task == current)
			return capc->page ? NULL : capc;
	return NULL;
}

/* compaction_capture() */
static inline bool sb_compaction_capture(struct sb_machine *m,
					 struct sb_capture_control *capc,
					 struct sb_page *page, int order,
					 int migratetype)
{
	if (!capc || order != capc->cc->order)
		return false;
	/* Do not accidentally pollute CMA or isolated regions */
	if (sb_is_migrate_cma(migratetype) ||
	    sb_is_migrate_isolate(migratetype))
		return false;
	/* nor let a low order pollute a movable pageblock */
	if (order < m->pb_order && migratetype == SB_MIGRATE_MOVABLE)
		return false;
	capc->page = page;
	return true;
}

/* migrate_pages() callbacks: new_page_t and free_page_t */
typedef struct sb_page *(*sb_new_page_t)(struct sb_block *blk,
					  unsigned long private);
typedef void (*sb_free_page_t)(struct sb_page *page, unsigned long private);

int sb_migrate_pages(struct sb_machine *m, struct list_head *from,
		     sb_new_page_t get_new_page, sb_free_page_t put_new_page,
		     unsigned long private, enum sb_migrate_mode mode,
		     unsigned int *ret_succeeded);
void sb_putback_movable_pages(struct list_head *l);

unsigned long sb_isolate_freepages_range(struct sb_compact_control *cc,
					 unsigned long start_pfn,
					 unsigned long end_pfn);
int sb_isolate_migratepages_range(struct sb_compact_control *cc,
				  unsigned long start_pfn,
				  unsigned long end_pfn);

enum sb_compact_result sb_compact_zone(struct sb_compact_control *cc,
				       struct sb_capture_control *capc);
bool sb_compact_scanners_met(struct sb_compact_control *cc);
void sb___reset_isolation_suitable(struct sb_zone *zone);
unsigned int sb_fragmentation_score_zone(struct sb_zone *zone);
unsigned int sb_fragmentation_score_node(struct sb_node *pgdat);
unsigned int sb_fragmentation_score_wmark(struct sb_node *pgdat, bool low);
bool sb_should_proactive_compact_node(struct sb_node *pgdat);
void sb_proactive_compact_node(struct sb_node *pgdat);
void sb_kcompactd_do_work(struct sb_node *pgdat);

#endif /* _SB_COMPACTION_H */
