/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy core: an emulated machine (nodes, zones, pageblocks, free areas,
 * watermarks, counters) running a re-implementation of Linux 6.1's page
 * allocator (mm/page_alloc.c) over a block of memory it is given.
 *
 * The API works on sbuddy's own page descriptors (struct sb_page), never on
 * the host's struct page.  sb_page_to_pfn() and sb_pfn_to_page() convert to
 * and from "shadow pfns"; sb_page_address() gives the kernel virtual address
 * of the real memory behind a descriptor.
 */
#ifndef _SBUDDY_CORE_H
#define _SBUDDY_CORE_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct seq_file;

/* sbuddy's own constants: Linux 6.1 x86_64 values, independent of the host */
#define SB_MAX_ORDER		11	/* orders 0..10, as 6.1's MAX_ORDER */
#define SB_MAX_NUMNODES		8
#define SB_DEFAULT_PAGEBLOCK_ORDER 9
#define SB_PAGE_ALLOC_COSTLY_ORDER 3

/*
 * sbuddy's own gfp bit: a cold-page request, the 2.6-era __GFP_COLD.  It
 * only matters with the legacy_cold_pages switch on; bit 31 is above
 * every gfp bit of 6.1 and 6.12 and never reaches the host allocator.
 */
#define SB_GFP_COLD		((__force gfp_t)BIT(31))

enum sb_migratetype {
	SB_MIGRATE_UNMOVABLE,
	SB_MIGRATE_MOVABLE,
	SB_MIGRATE_RECLAIMABLE,
	SB_MIGRATE_PCPTYPES,	/* the number of types on the pcp lists */
	SB_MIGRATE_HIGHATOMIC = SB_MIGRATE_PCPTYPES,
	SB_MIGRATE_CMA,
	SB_MIGRATE_ISOLATE,
	SB_MIGRATE_TYPES
};

enum sb_zone_type {
	SB_ZONE_DMA,
	SB_ZONE_DMA32,
	SB_ZONE_NORMAL,
	SB_ZONE_MOVABLE,
	SB_MAX_NR_ZONES
};

enum sb_wmark {
	SB_WMARK_MIN,
	SB_WMARK_LOW,
	SB_WMARK_HIGH,
	SB_WMARK_PROMO,
	SB_NR_WMARK
};

/* alloc_flags, mm/internal.h of 6.1.192 (ALLOC_HARDER is ALLOC_NON_BLOCK) */
#define SB_ALLOC_WMARK_MIN	SB_WMARK_MIN
#define SB_ALLOC_WMARK_LOW	SB_WMARK_LOW
#define SB_ALLOC_WMARK_HIGH	SB_WMARK_HIGH
#define SB_ALLOC_NO_WATERMARKS	0x04
#define SB_ALLOC_WMARK_MASK	(SB_ALLOC_NO_WATERMARKS - 1)
#define SB_ALLOC_OOM		0x08
#define SB_ALLOC_NON_BLOCK	0x10	/* was ALLOC_HARDER */
#define SB_ALLOC_MIN_RESERVE	0x20	/* was ALLOC_HIGH: __GFP_HIGH */
#define SB_ALLOC_CPUSET		0x40
#define SB_ALLOC_CMA		0x80
#define SB_ALLOC_NOFRAGMENT	0x100
#define SB_ALLOC_HIGHATOMIC	0x200
#define SB_ALLOC_KSWAPD		0x800
#define SB_ALLOC_RESERVES	(SB_ALLOC_NON_BLOCK | SB_ALLOC_MIN_RESERVE | \
				 SB_ALLOC_HIGHATOMIC | SB_ALLOC_OOM)

/* sb_page.flags: the state of a shadow page */
#define SB_PG_BUDDY	0x01	/* head of a free block on a free list */
#define SB_PG_ALLOC	0x02	/* head of an allocation (sbuddy bookkeeping) */
#define SB_PG_HEAD	0x04	/* compound head */
#define SB_PG_TAIL	0x08	/* compound tail */
#define SB_PG_HOLE	0x10	/* not present: a hole in a zone's span */
#define SB_PG_LEAKED	0x20	/* taken out by a bad-page check, never reused */
#define SB_PG_PCP	0x40	/* head of a block on a per-cpu list */
/* what check_new_page()/free_page_check() want clear */
#define SB_PG_CHECK_AT_PREP	(SB_PG_BUDDY | SB_PG_ALLOC | SB_PG_HEAD | \
				 SB_PG_TAIL | SB_PG_HOLE | SB_PG_LEAKED | \
				 SB_PG_PCP)

/**
 * struct sb_page - sbuddy's page descriptor, at most 32 bytes
 * @buddy_list:	linkage on a free list (or a caller's list, alloc_pages_bulk)
 * @flags:	SB_PG_* state bits
 * @_refcount:	reference count, 0 when free
 * @private:	for compound tails: distance to the head page
 * @order:	free block order (BUDDY), allocation order (ALLOC), compound
 *		order (HEAD)
 * @migratetype: free list it is on (BUDDY); on a per-cpu list and once
 *		allocated, the pageblock type cached by set_pcppage_migratetype()
 * @zone_idx:	zone it belongs to (page_zonenum)
 * @nid:	node it belongs to (page_to_nid)
 */
struct sb_page {
	struct list_head buddy_list;
	u32 flags;
	atomic_t _refcount;
	u32 private;
	u8 order;
	u8 migratetype;
	u8 zone_idx;
	u8 nid;
};

struct sb_free_area {
	struct list_head free_list[SB_MIGRATE_TYPES];
	unsigned long nr_free;
};

/* enum zone_stat_item of 6.1 (Debian config: ZSMALLOC enabled) */
enum sb_zone_stat_item {
	SB_NR_FREE_PAGES,
	SB_NR_ZONE_INACTIVE_ANON,
	SB_NR_ZONE_ACTIVE_ANON,
	SB_NR_ZONE_INACTIVE_FILE,
	SB_NR_ZONE_ACTIVE_FILE,
	SB_NR_ZONE_UNEVICTABLE,
	SB_NR_ZONE_WRITE_PENDING,
	SB_NR_MLOCK,
	SB_NR_BOUNCE,
	SB_NR_ZSPAGES,
	SB_NR_FREE_CMA_PAGES,
	SB_NR_VM_ZONE_STAT_ITEMS
};

/* enum numa_stat_item */
enum sb_numa_stat_item {
	SB_NUMA_HIT,
	SB_NUMA_MISS,
	SB_NUMA_FOREIGN,
	SB_NUMA_INTERLEAVE_HIT,
	SB_NUMA_LOCAL,
	SB_NUMA_OTHER,
	SB_NR_VM_NUMA_EVENT_ITEMS
};

/*
 * Machine-wide events.  The first ones carry the kernel's vm_event_item
 * names; the SB_EV_* after SB_NR_KERNEL_EVENTS are sbuddy's own.
 */
enum sb_vm_event_item {
	SB_PGALLOC_DMA,
	SB_PGALLOC_DMA32,
	SB_PGALLOC_NORMAL,
	SB_PGALLOC_MOVABLE,
	SB_ALLOCSTALL_DMA,
	SB_ALLOCSTALL_DMA32,
	SB_ALLOCSTALL_NORMAL,
	SB_ALLOCSTALL_MOVABLE,
	SB_PGFREE,
	SB_PGSTEAL_KSWAPD,
	SB_PGSTEAL_DIRECT,
	SB_PGSCAN_KSWAPD,
	SB_PGSCAN_DIRECT,
	SB_KSWAPD_LOW_WMARK_HIT_QUICKLY,
	SB_KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	SB_PAGEOUTRUN,
	SB_OOM_KILL,
	SB_PGMIGRATE_SUCCESS,
	SB_PGMIGRATE_FAIL,
	SB_COMPACTMIGRATE_SCANNED,
	SB_COMPACTFREE_SCANNED,
	SB_COMPACTISOLATED,
	SB_COMPACTSTALL,
	SB_COMPACTFAIL,
	SB_COMPACTSUCCESS,
	SB_KCOMPACTD_WAKE,
	SB_KCOMPACTD_MIGRATE_SCANNED,
	SB_KCOMPACTD_FREE_SCANNED,
	SB_NR_KERNEL_EVENTS,
	SB_EV_EXTFRAG = SB_NR_KERNEL_EVENTS,	/* __rmqueue_fallback taken */
	SB_EV_EXTFRAG_FRAGMENTING,	/* ... from below pageblock_order */
	SB_EV_STEAL_BLOCK,		/* a pageblock changed owner */
	SB_EV_HIGHATOMIC_RESERVE,
	SB_EV_HIGHATOMIC_UNRESERVE,
	SB_EV_BAD_PAGE,
	SB_EV_ALLOC_FAIL,
	SB_EV_PCP_REFILL,		/* rmqueue_bulk() calls */
	SB_EV_PCP_REFILL_PAGES,		/* ... pages they moved */
	SB_EV_PCP_FREE_BULK,		/* free_pcppages_bulk() calls */
	SB_EV_PCP_FREE_BULK_PAGES,	/* ... pages they returned */
	SB_EV_PCP_DRAIN,		/* drain_pages_zone() that freed */
	SB_EV_PCP_TRYLOCK_FAIL,		/* pcp busy: went to the buddy */
	SB_EV_PIN_MIGRATE_FAIL,		/* migration refused: pinned */
	SB_EV_BUSY_MIGRATE_FAIL,	/* migration refused: owner busy */
	SB_EV_RECLAIMED_BLOCKS,		/* blocks reclaim dropped */
	SB_EV_OOM_PAGES,		/* pages OOM kills took */
	SB_NR_VM_EVENT_ITEMS
};

/* struct vm_event_state: per-cpu event counts, summed when read */
struct sb_vm_event_state {
	unsigned long event[SB_NR_VM_EVENT_ITEMS];
};

/*
 * Per-cpu lists of mmzone.h of 6.1 with CONFIG_TRANSPARENT_HUGEPAGE: one
 * list per pcp migratetype for orders 0..PAGE_ALLOC_COSTLY_ORDER, then
 * two for the pageblock order (non-movable and movable).
 */
#define SB_NR_PCP_THP		2
#define SB_NR_LOWORDER_PCP_LISTS (SB_MIGRATE_PCPTYPES * \
				  (SB_PAGE_ALLOC_COSTLY_ORDER + 1))
#define SB_NR_PCP_LISTS		(SB_NR_LOWORDER_PCP_LISTS + SB_NR_PCP_THP)
#define SB_PCP_BATCH_SCALE_MAX	5	/* CONFIG_PCP_BATCH_SCALE_MAX default */
#define SB_MIN_PERCPU_PAGELIST_HIGH_FRACTION 8
#define SB_BOOT_PAGESET_HIGH	0
#define SB_BOOT_PAGESET_BATCH	1
#define SB_SWAP_CLUSTER_MAX	32

/**
 * struct sb_per_cpu_pages - struct per_cpu_pages of 6.1
 * @lock:	protects the lists; trylock from the allocation and free paths
 * @count:	pages on the lists
 * @high:	count at which a free returns pages to the buddy lists
 * @batch:	pages a refill takes, and the free-back base
 * @free_factor: doubles the free-back batch while frees run without
 *		allocations (nr_pcp_free())
 * @lists:	SB_NR_PCP_LISTS lists of blocks, linked by buddy_list
 */
struct sb_per_cpu_pages {
	spinlock_t lock;	/* the lists and count */
	int count;
	int high;
	int batch;
	short free_factor;
	struct list_head lists[SB_NR_PCP_LISTS];
} ____cacheline_aligned_in_smp;

/* struct per_cpu_zonestat: counter deltas folded at stat_threshold */
struct sb_per_cpu_zonestat {
	s8 vm_stat_diff[SB_NR_VM_ZONE_STAT_ITEMS];
	s8 stat_threshold;
	unsigned long vm_numa_event[SB_NR_VM_NUMA_EVENT_ITEMS];
};

struct sb_machine;
struct sb_node;

/**
 * struct sb_zone - struct zone of an emulated node
 */
struct sb_zone {
	unsigned long _watermark[SB_NR_WMARK];
	unsigned long watermark_boost;
	unsigned long nr_reserved_highatomic;
	long lowmem_reserve[SB_MAX_NR_ZONES];
	struct sb_machine *machine;
	struct sb_node *zone_pgdat;
	int node;
	int idx;
	const char *name;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	atomic_long_t managed_pages;
	unsigned long cma_pages;
	unsigned long flags;		/* SB_ZONE_BOOSTED_WATERMARK */
	struct sb_per_cpu_pages __percpu *per_cpu_pageset;
	struct sb_per_cpu_zonestat __percpu *per_cpu_zonestats;
	int pageset_high;
	int pageset_batch;

	/* compaction (mm/compaction.c of 6.1) */
	unsigned long compact_cached_free_pfn;
	unsigned long compact_cached_migrate_pfn[2];	/* async, sync */
	unsigned long compact_init_migrate_pfn;
	unsigned long compact_init_free_pfn;
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	bool compact_blockskip_flush;
	bool contiguous;
	struct list_head compact_captures;	/* direct compactors (lock) */

	spinlock_t lock;		/* free_area, freepage counters */
	struct sb_free_area free_area[SB_MAX_ORDER];
	atomic_long_t vm_stat[SB_NR_VM_ZONE_STAT_ITEMS];
};

#define SB_ZONE_BOOSTED_WATERMARK	0
#define SB_ZONE_RECLAIM_ACTIVE		1	/* kswapd is reclaiming */

enum {
	SB_ZONELIST_FALLBACK,
	SB_ZONELIST_NOFALLBACK,
	SB_MAX_ZONELISTS
};

struct sb_zoneref {
	struct sb_zone *zone;
	int zone_idx;
};

#define SB_MAX_ZONES_PER_ZONELIST (SB_MAX_NUMNODES * SB_MAX_NR_ZONES)

struct sb_zonelist {
	struct sb_zoneref _zonerefs[SB_MAX_ZONES_PER_ZONELIST + 1];
};

/**
 * struct sb_node - pg_data_t of an emulated node
 */
struct sb_node {
	int node_id;
	struct sb_zone node_zones[SB_MAX_NR_ZONES];
	struct sb_zonelist node_zonelists[SB_MAX_ZONELISTS];
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
	int node_order[SB_MAX_NUMNODES];	/* fallback node order */
	int nr_node_order;

	/* kswapd (mm/vmscan.c of 6.1) */
	struct task_struct *kswapd;
	wait_queue_head_t kswapd_wait;
	int kswapd_order;
	int kswapd_highest_zoneidx;
	int kswapd_failures;

	/* kcompactd (mm/compaction.c of 6.1) */
	struct task_struct *kcompactd;
	wait_queue_head_t kcompactd_wait;
	int kcompactd_max_order;
	int kcompactd_highest_zoneidx;
	bool proactive_compact_trigger;

	/*
	 * The reclaimable blocks of the node, oldest at the tail: the LRU
	 * that reclaim scans (sbuddy has no anon/file split).
	 */
	spinlock_t lru_lock;
	struct list_head lru;
	unsigned long nr_lru_pages;
};

/**
 * struct sb_backing - the memory a machine runs on
 * @base_pfn:	shadow pfn of the first page (host pfn for the module's
 *		region; any MAX_ORDER-aligned number for test memory)
 * @nr_pages:	number of pages
 * @base:	kernel virtual address of the first page; page n is at
 *		base + n * PAGE_SIZE (direct map or vmalloc)
 */
struct sb_backing {
	unsigned long base_pfn;
	unsigned long nr_pages;
	void *base;
};

/**
 * struct sb_machine_params - how to build a machine
 * @layout:	node/zone layout string, NULL for the default (see
 *		Documentation/core.rst): nodes separated by ';', each a
 *		comma list of ZONE=SIZE or hole=SIZE, SIZE in memparse
 *		syntax or '*' (the rest of the backing, once)
 * @cma:	"SIZE[@NODE]" emulated CMA area, NULL or "" for none
 * @pb_order:	pageblock order, 0 for the default (9)
 * @distance:	nr_nodes * nr_nodes distances, NULL for 10 local/20 remote
 * @nr_distance: number of entries in @distance
 * @min_free_kbytes: 0 to compute it as calculate_min_free_kbytes() does
 */
struct sb_machine_params {
	const char *layout;
	const char *cma;
	unsigned int pb_order;
	const u8 *distance;
	unsigned int nr_distance;
	int min_free_kbytes;
};

/**
 * struct sb_cma - struct cma of mm/cma.h for the emulated CMA area
 * @base_pfn:	its first pfn (m->cma_start_pfn)
 * @count:	its pages; 0 when the machine has no CMA area
 * @bitmap:	one bit a page (order_per_bit 0): set while cma_alloc() holds it
 * @lock:	the bitmap
 * @mutex:	cma_mutex: one alloc_contig_range() of the area at a time
 * @nr_alloc_pages: pages cma_alloc() gave out (cma sysfs alloc_pages_success)
 * @nr_fail_pages: pages it failed to give (alloc_pages_fail)
 */
struct sb_cma {
	unsigned long base_pfn;
	unsigned long count;
	unsigned long *bitmap;
	spinlock_t lock;	/* see the kernel-doc above */
	struct mutex mutex;
	unsigned long nr_alloc_pages;
	unsigned long nr_fail_pages;
};

/**
 * struct sb_machine - one emulated machine: everything the core works on
 */
struct sb_machine {
	struct sb_backing backing;
	unsigned long base_pfn;
	unsigned long end_pfn;		/* base_pfn + pages the layout uses */
	struct sb_page *pages;
	u8 *pageblock_flags;
	unsigned int pb_order;
	unsigned long pb_nr_pages;
	int nr_nodes;
	struct sb_node *nodes[SB_MAX_NUMNODES];
	u8 distance[SB_MAX_NUMNODES][SB_MAX_NUMNODES];
	int page_group_by_mobility_disabled;
	unsigned long vm_total_pages;
	unsigned long cma_start_pfn, cma_nr_pages;
	char layout[128];

	/* tunables, kernel sysctl names */
	struct mutex sysctl_lock;
	spinlock_t wmark_lock;		/* setup_per_zone_wmarks() */
	int min_free_kbytes;
	int user_min_free_kbytes;
	int watermark_boost_factor;
	int watermark_scale_factor;
	int lowmem_reserve_ratio[SB_MAX_NR_ZONES];
	unsigned long totalreserve_pages;

	int percpu_pagelist_high_fraction;
	int legacy_cold_pages;		/* cold requests take the list tail */
	struct mutex pcp_batch_high_lock;	/* pageset high/batch updaters */
	struct mutex pcpu_drain_mutex;
	cpumask_var_t cpus_with_pcps;
	struct hlist_node cpuhp_node;	/* for the interface's hotplug state */

	struct sb_vm_event_state __percpu *vm_event_states;
	atomic_t il_next;		/* interleave round robin */

	/* owners (owner.c) */
	struct mutex owners_mutex;	/* the list; OOM kills */
	struct list_head owners;
	struct sb_block **owner_map;	/* pfn - base_pfn -> its block */

	/* compaction and reclaim tunables, sysctl names */
	int compaction_proactiveness;	/* 0..100, default 20 */
	int extfrag_threshold;		/* 0..1000, default 500 */
	int compact_unevictable_allowed;
	int compaction_enabled;		/* sbuddy's: 0 = no CONFIG_COMPACTION */

#if IS_ENABLED(CONFIG_KUNIT)
	/* the slow path's steps while a KUnit case listens (alloc.c) */
	bool sp_log_on;
	unsigned int sp_log_nr;
	u16 sp_log[48];
#endif
	struct sb_cma cma;		/* the CMA area's allocator (contig.c) */
};

/* Memory policies for sb_alloc_pages_policy(), as mempolicy.h's modes */
enum sb_mpol_mode {
	SB_MPOL_DEFAULT,
	SB_MPOL_PREFERRED,
	SB_MPOL_BIND,
	SB_MPOL_INTERLEAVE,
};

/**
 * struct sb_mempolicy - a memory policy for one call
 * @mode:	SB_MPOL_*
 * @nid:	preferred node (DEFAULT/PREFERRED; NUMA_NO_NODE: local)
 * @nodes:	bitmask of node ids (BIND, INTERLEAVE)
 * @il_prev:	last node interleave used (update across calls); -1 at first
 */
struct sb_mempolicy {
	int mode;
	int nid;
	unsigned long nodes;
	int il_prev;
};

/* ---- machine life (topology.c) ---- */
struct sb_machine *sb_machine_create(const struct sb_backing *backing,
				     const struct sb_machine_params *params);
void sb_machine_destroy(struct sb_machine *m);
int sb_machine_set_distance(struct sb_machine *m, int from, int to, int d);
void sb_build_all_zonelists(struct sb_machine *m);
int sb_numa_node_id(struct sb_machine *m);

/* ---- descriptors ---- */
static inline unsigned long sb_page_to_pfn(const struct sb_machine *m,
					   const struct sb_page *page)
{
	return m->base_pfn + (page - m->pages);
}

/* NULL when @pfn is outside the machine */
struct sb_page *sb_pfn_to_page(struct sb_machine *m, unsigned long pfn);
void *sb_page_address(struct sb_machine *m, const struct sb_page *page);

static inline struct sb_zone *sb_page_zone(struct sb_machine *m,
					   const struct sb_page *page)
{
	return &m->nodes[page->nid]->node_zones[page->zone_idx];
}

static inline int sb_page_count(const struct sb_page *page)
{
	return atomic_read(&page->_refcount);
}

int sb_get_pfnblock_migratetype(struct sb_machine *m, unsigned long pfn);
void sb_set_pageblock_migratetype(struct sb_machine *m, unsigned long pfn,
				  int migratetype);
bool sb_get_pageblock_skip(struct sb_machine *m, unsigned long pfn);
void sb_set_pageblock_skip(struct sb_machine *m, unsigned long pfn, bool skip);

static inline bool sb_populated_zone(const struct sb_zone *zone)
{
	return zone->present_pages != 0;
}

static inline unsigned long sb_zone_managed_pages(struct sb_zone *zone)
{
	return (unsigned long)atomic_long_read(&zone->managed_pages);
}

static inline unsigned long sb_zone_end_pfn(const struct sb_zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

/* first_zone()/next_zone() over every zone of every node */
static inline struct sb_zone *sb_first_zone(struct sb_machine *m)
{
	return &m->nodes[0]->node_zones[0];
}

static inline struct sb_zone *sb_next_zone(struct sb_zone *zone)
{
	struct sb_machine *m = zone->machine;

	if (zone->idx < SB_MAX_NR_ZONES - 1)
		return zone + 1;
	if (zone->node + 1 < m->nr_nodes)
		return &m->nodes[zone->node + 1]->node_zones[0];
	return NULL;
}

/* ---- allocation API (alloc.c) ---- */
struct sb_page *sb_alloc_pages(struct sb_machine *m, gfp_t gfp,
			       unsigned int order, int preferred_nid,
			       const unsigned long *nodemask);
struct sb_page *sb_alloc_pages_policy(struct sb_machine *m, gfp_t gfp,
				      unsigned int order,
				      struct sb_mempolicy *pol);
bool sb_nodemask_populated(struct sb_machine *m, const unsigned long *nodemask);
int sb_alloc_check_args(struct sb_machine *m, gfp_t gfp, unsigned int order,
			int preferred_nid, const unsigned long *nodemask);
unsigned long sb_alloc_pages_bulk(struct sb_machine *m, gfp_t gfp,
				  int preferred_nid,
				  const unsigned long *nodemask, int nr_pages,
				  struct list_head *page_list,
				  struct sb_page **page_array);
int sb_free_pages(struct sb_machine *m, struct sb_page *page,
		  unsigned int order);
int sb_get_page(struct sb_machine *m, struct sb_page *page);
int sb_put_page(struct sb_machine *m, struct sb_page *page);
int sb_split_page(struct sb_machine *m, struct sb_page *page,
		  unsigned int order);
struct sb_page *sb_compound_head(struct sb_machine *m, struct sb_page *page);
unsigned int sb_compound_order(const struct sb_page *page);
int sb_gfp_zone(gfp_t gfp);
int sb_gfp_migratetype(struct sb_machine *m, gfp_t gfp);
void sb_free_pages_list(struct sb_machine *m, struct list_head *list);
int sb_set_page_group_by_mobility_disabled(struct sb_machine *m, int val);

/* ---- owners and migration (owner.c) ---- */

/* migrate_mode */
enum sb_migrate_mode {
	SB_MIGRATE_ASYNC,
	SB_MIGRATE_SYNC_LIGHT,
	SB_MIGRATE_SYNC,
};

/* sb_block.flags, under the owner's lock */
#define SB_BLK_RECLAIMED	0x01	/* reclaim or OOM dropped it: no pages */
#define SB_BLK_ISOLATED		0x02	/* being migrated or reclaimed */
#define SB_BLK_CONTIG		0x04	/* alloc_contig_range() pages: 2^order order-0 pages */
#define SB_BLK_CMA		0x08	/* ... taken by cma_alloc() */

struct sb_owner;
struct sb_block;

/**
 * struct sb_owner_ops - how an owner hears about its blocks moving
 * @unmap:	before the contents of @blk are copied away or dropped:
 *		remove user mappings of blk->page (may sleep)
 * @reclaimed:	after reclaim or OOM dropped @blk (may sleep)
 *
 * Either may be NULL.  Both are called without sbuddy locks held, from
 * the context doing the migration or reclaim (a process, kswapd,
 * kcompactd).
 */
struct sb_owner_ops {
	void (*unmap)(struct sb_block *blk);
	void (*reclaimed)(struct sb_block *blk);
};

/**
 * struct sb_block - one allocation an owner holds
 * @page:	its first page; NULL once reclaimed
 * @owner:	who holds it
 * @link:	on the owner's list
 * @lru:	on its node's LRU when reclaimable
 * @order:	allocation order
 * @migratetype: migratetype of the request (movable ones may migrate,
 *		reclaimable ones may be reclaimed)
 * @flags:	SB_BLK_*
 * @pins:	long-term pins (FOLL_LONGTERM): migration and reclaim refuse
 * @busy:	accessors at work (sb_block_access()): async migration
 *		fails, sync migration waits a bounded time
 * @nr_migrated: times its contents moved
 * @private:	the interface's (a handle, mappings)
 * @rcu:	frees it after lockless lookups are done
 */
struct sb_block {
	struct sb_page *page;
	struct sb_owner *owner;
	struct list_head link;
	struct list_head lru;
	unsigned int order;
	int migratetype;
	unsigned int flags;
	int pins;
	int busy;
	unsigned int nr_migrated;
	void *private;
	struct rcu_head rcu;
};

/**
 * struct sb_owner - an emulated task holding allocations
 * @machine:	the machine
 * @ops:	callbacks, may be NULL
 * @lock:	its blocks' list, states and pages
 * @blocks:	every block it holds
 * @nr_pages:	pages it holds (what oom_badness() ranks)
 * @node:	on machine->owners
 * @wait:	wakes waiters for isolated or busy blocks
 * @nr_reclaimed: blocks reclaim or OOM took from it
 * @oom_killed: an OOM kill took everything it had
 * @comm:	a name for messages
 * @oom_unkillable: never an OOM victim: its blocks are held by kernel
 *		threads, which oom_unkillable_task() spares
 */
struct sb_owner {
	struct sb_machine *machine;
	const struct sb_owner_ops *ops;
	spinlock_t lock;		/* see the kernel-doc above */
	struct list_head blocks;
	unsigned long nr_pages;
	struct list_head node;
	wait_queue_head_t wait;
	unsigned long nr_reclaimed;
	bool oom_killed;
	char comm[16];
	bool oom_unkillable;
};

void sb_owner_init(struct sb_owner *o, struct sb_machine *m,
		   const struct sb_owner_ops *ops, const char *comm);
void sb_owner_release(struct sb_owner *o);
struct sb_block *sb_owner_alloc(struct sb_owner *o, gfp_t gfp,
				unsigned int order, struct sb_mempolicy *pol);
int sb_owner_free(struct sb_owner *o, struct sb_block *blk);
long sb_owner_free_held(struct sb_owner *o, struct sb_block *blk);
int sb_block_pin(struct sb_block *blk);
int sb_block_unpin(struct sb_block *blk);
struct sb_page *sb_block_access(struct sb_block *blk);
struct sb_page *sb_block_access_nowait(struct sb_block *blk, bool *again);
void sb_block_access_end(struct sb_block *blk);
struct sb_block *sb_page_block(struct sb_machine *m, struct sb_page *page);
struct sb_block *sb_isolate_block(struct sb_machine *m, struct sb_page *page,
				  enum sb_migrate_mode mode);
void sb_putback_block(struct sb_block *blk);
void sb_migrate_isolated(struct sb_machine *m, struct sb_block *blk,
			 struct sb_page *dst);
int sb_migrate_block_to(struct sb_machine *m, struct sb_page *page,
			enum sb_migrate_mode mode, gfp_t gfp, int nid);
unsigned long sb_reclaim_node(struct sb_machine *m, int nid,
			      unsigned long nr_to_reclaim,
			      unsigned long *nr_scanned);
struct sb_owner *sb_oom_select(struct sb_machine *m);
unsigned long sb_oom_kill_owner(struct sb_machine *m, struct sb_owner *o);

/* ---- compaction (compaction.c) ---- */

/* enum compact_priority of 6.1 */
enum sb_compact_priority {
	SB_COMPACT_PRIO_SYNC_FULL,
	SB_MIN_COMPACT_PRIORITY = SB_COMPACT_PRIO_SYNC_FULL,
	SB_COMPACT_PRIO_SYNC_LIGHT,
	SB_MIN_COMPACT_COSTLY_PRIORITY = SB_COMPACT_PRIO_SYNC_LIGHT,
	SB_DEF_COMPACT_PRIORITY = SB_COMPACT_PRIO_SYNC_LIGHT,
	SB_COMPACT_PRIO_ASYNC,
	SB_INIT_COMPACT_PRIORITY = SB_COMPACT_PRIO_ASYNC,
};

/* enum compact_result of 6.1 */
enum sb_compact_result {
	SB_COMPACT_NOT_SUITABLE_ZONE,
	SB_COMPACT_SKIPPED,
	SB_COMPACT_DEFERRED,
	SB_COMPACT_NO_SUITABLE_PAGE,
	SB_COMPACT_CONTINUE,
	SB_COMPACT_COMPLETE,
	SB_COMPACT_PARTIAL_SKIPPED,
	SB_COMPACT_CONTENDED,
	SB_COMPACT_SUCCESS,
};

/* compaction_failed() */
static inline bool sb_compaction_failed(enum sb_compact_result result)
{
	return result == SB_COMPACT_COMPLETE;
}

/* compaction_withdrawn() */
static inline bool sb_compaction_withdrawn(enum sb_compact_result result)
{
	return result == SB_COMPACT_DEFERRED ||
	       result == SB_COMPACT_CONTENDED ||
	       result == SB_COMPACT_PARTIAL_SKIPPED;
}

void sb_defer_compaction(struct sb_zone *zone, int order);
bool sb_compaction_deferred(struct sb_zone *zone, int order);
void sb_compaction_defer_reset(struct sb_zone *zone, int order,
			       bool alloc_success);
bool sb_compaction_restarting(struct sb_zone *zone, int order);
enum sb_compact_result sb_compaction_suitable(struct sb_zone *zone, int order,
					      unsigned int alloc_flags,
					      int highest_zoneidx);
int sb_fragmentation_index(struct sb_zone *zone, unsigned int order);
void sb_wakeup_kcompactd(struct sb_node *pgdat, int order,
			 int highest_zoneidx);
int sb_compact_nodes(struct sb_machine *m, int nid);
int sb_kcompactd_run(struct sb_machine *m, int nid);
void sb_kcompactd_stop(struct sb_machine *m, int nid);
int sb_set_compaction_proactiveness(struct sb_machine *m, int val);
int sb_set_extfrag_threshold(struct sb_machine *m, int val);

/* ---- reclaim, kswapd and OOM (vmscan.c) ---- */
void sb_wakeup_kswapd(struct sb_zone *zone, gfp_t gfp, int order,
		      int highest_zoneidx);
int sb_kswapd_run(struct sb_machine *m, int nid);
void sb_kswapd_stop(struct sb_machine *m, int nid);

/* kswapd and kcompactd for every node; sb_machine_destroy() stops them */
int sb_machine_start_daemons(struct sb_machine *m);
void sb_machine_stop_daemons(struct sb_machine *m);

/* ---- per-cpu lists (pcp.c) ---- */
void sb_drain_local_pages(struct sb_machine *m, struct sb_zone *zone);
void sb_drain_pages(struct sb_machine *m, unsigned int cpu);
void sb_drain_all_pages(struct sb_machine *m, struct sb_zone *zone);
void sb_pcp_update_all(struct sb_machine *m);
int sb_page_alloc_cpu_online(struct sb_machine *m, unsigned int cpu);
int sb_page_alloc_cpu_dead(struct sb_machine *m, unsigned int cpu);
int sb_set_percpu_pagelist_high_fraction(struct sb_machine *m, int val);
int sb_set_legacy_cold_pages(struct sb_machine *m, int val);
int sb_zone_batchsize(struct sb_zone *zone);
int sb_zone_highsize(struct sb_zone *zone, int batch, int cpu_online);
int sb_calculate_normal_threshold(struct sb_zone *zone);

/* ---- watermarks and tunables (watermark.c) ---- */
bool sb_zone_watermark_ok(struct sb_zone *z, unsigned int order,
			  unsigned long mark, int highest_zoneidx,
			  unsigned int alloc_flags, long free_pages);
bool sb_zone_watermark_fast(struct sb_zone *z, unsigned int order,
			    unsigned long mark, int highest_zoneidx,
			    unsigned int alloc_flags, gfp_t gfp_mask);
void sb_setup_per_zone_wmarks(struct sb_machine *m);
void sb_setup_per_zone_lowmem_reserve(struct sb_machine *m);
int sb_calculate_min_free_kbytes(struct sb_machine *m);
int sb_set_min_free_kbytes(struct sb_machine *m, int val);
int sb_set_watermark_scale_factor(struct sb_machine *m, int val);
int sb_set_watermark_boost_factor(struct sb_machine *m, int val);
int sb_set_lowmem_reserve_ratio(struct sb_machine *m, const int *ratio,
				int nr);

static inline unsigned long sb_wmark_pages(const struct sb_zone *z, int i)
{
	return z->_watermark[i] + z->watermark_boost;
}

/* ---- isolation and contiguous ranges (page_isolation.c, contig.c) ---- */
int sb_start_isolate_page_range(struct sb_machine *m, unsigned long start_pfn,
				unsigned long end_pfn, int migratetype,
				unsigned long *failed_pfn);
void sb_undo_isolate_page_range(struct sb_machine *m, unsigned long start_pfn,
				unsigned long end_pfn, int migratetype);
int sb_test_pages_isolated(struct sb_machine *m, unsigned long start_pfn,
			   unsigned long end_pfn, unsigned long *failed_pfn);
int sb_alloc_contig_range(struct sb_machine *m, unsigned long start,
			  unsigned long end, int migratetype, gfp_t gfp,
			  unsigned long *failed_pfn);
unsigned long sb_free_contig_range(struct sb_machine *m, unsigned long pfn,
				   unsigned long nr_pages);
struct sb_page *sb_alloc_contig_pages(struct sb_machine *m,
				      unsigned long nr_pages, gfp_t gfp,
				      int nid, const unsigned long *nodemask);
int sb_cma_init(struct sb_machine *m);
struct sb_page *sb_cma_alloc(struct sb_machine *m, unsigned long count,
			     unsigned int align, bool no_warn);
bool sb_cma_release(struct sb_machine *m, struct sb_page *pages,
		    unsigned long count);
struct sb_block *sb_owner_alloc_contig(struct sb_owner *o, unsigned long pfn,
				       unsigned int order, int nid,
				       unsigned long *failed_pfn);
struct sb_block *sb_owner_cma_alloc(struct sb_owner *o, unsigned int order,
				    unsigned int align);
int sb_show_cma(struct seq_file *s, struct sb_machine *m);

/* ---- counters (stats.c) ---- */
unsigned long sb_zone_page_state(struct sb_zone *zone, int item);
unsigned long sb_zone_page_state_snapshot(struct sb_zone *zone, int item);
unsigned long sb_global_zone_page_state(struct sb_machine *m, int item);
unsigned long sb_zone_numa_event_state(struct sb_zone *zone, int item);
unsigned long sb_vm_event(struct sb_machine *m, int item);
extern const char * const sb_zone_stat_names[SB_NR_VM_ZONE_STAT_ITEMS];
extern const char * const sb_numa_stat_names[SB_NR_VM_NUMA_EVENT_ITEMS];
extern const char * const sb_vm_event_names[SB_NR_VM_EVENT_ITEMS];
extern const char * const sb_migratetype_names[SB_MIGRATE_TYPES];
extern const char * const sb_zone_names[SB_MAX_NR_ZONES];

/* ---- verification (verify.c) ---- */
int sb_verify(struct sb_machine *m, char *buf, size_t len);

/* ---- text views, mm/vmstat.c formats (views.c) ---- */
int sb_show_buddyinfo(struct seq_file *s, struct sb_machine *m);
int sb_show_pagetypeinfo(struct seq_file *s, struct sb_machine *m);
int sb_show_zoneinfo(struct seq_file *s, struct sb_machine *m);
int sb_show_vmstat(struct seq_file *s, struct sb_machine *m);
int sb_show_pcp(struct seq_file *s, struct sb_machine *m);
int sb_show_extfrag_index(struct seq_file *s, struct sb_machine *m);
int sb_show_unusable_index(struct seq_file *s, struct sb_machine *m);
int sb_show_pageblocks(struct seq_file *s, struct sb_machine *m);

#endif /* _SBUDDY_CORE_H */
