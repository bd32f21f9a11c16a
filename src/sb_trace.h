/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy tracepoints: the kmem: page allocator events of Linux 6.1
 * (include/trace/events/kmem.h) under the sbuddy: system, same fields and
 * print formats.  page= prints sbuddy's page descriptor, pfn= the shadow
 * pfn.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM sbuddy

#if !defined(_SB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SB_TRACE_H

#include <linux/tracepoint.h>
#include <trace/events/mmflags.h>

struct sb_page;

TRACE_EVENT(mm_page_free,
	    TP_PROTO(const struct sb_page *page, unsigned long pfn,
		     unsigned int order),
	    TP_ARGS(page, pfn, order),
	    TP_STRUCT__entry(__field(const void *, page)
			     __field(unsigned long, pfn)
			     __field(unsigned int, order)),
	    TP_fast_assign(__entry->page = page;
			   __entry->pfn = pfn;
			   __entry->order = order;),
	    TP_printk("page=%p pfn=0x%lx order=%d",
		      __entry->page, __entry->pfn, __entry->order)
);

TRACE_EVENT(mm_page_alloc,
	    TP_PROTO(const struct sb_page *page, unsigned long pfn,
		     unsigned int order, gfp_t gfp_flags, int migratetype),
	    TP_ARGS(page, pfn, order, gfp_flags, migratetype),
	    TP_STRUCT__entry(__field(const void *, page)
			     __field(unsigned long, pfn)
			     __field(unsigned int, order)
			     __field(unsigned long, gfp_flags)
			     __field(int, migratetype)),
	    TP_fast_assign(__entry->page = page;
			   __entry->pfn = page ? pfn : -1UL;
			   __entry->order = order;
			   __entry->gfp_flags = (__force unsigned long)gfp_flags;
			   __entry->migratetype = migratetype;),
	    TP_printk("page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s",
		      __entry->page,
		      __entry->pfn != -1UL ? __entry->pfn : 0,
		      __entry->order,
		      __entry->migratetype,
		      show_gfp_flags(__entry->gfp_flags))
);

DECLARE_EVENT_CLASS(mm_page,
		    TP_PROTO(const struct sb_page *page, unsigned long pfn,
			     unsigned int order, int migratetype,
			     int percpu_refill),
		    TP_ARGS(page, pfn, order, migratetype, percpu_refill),
		    TP_STRUCT__entry(__field(const void *, page)
				     __field(unsigned long, pfn)
				     __field(unsigned int, order)
				     __field(int, migratetype)
				     __field(int, percpu_refill)),
		    TP_fast_assign(__entry->page = page;
				   __entry->pfn = page ? pfn : -1UL;
				   __entry->order = order;
				   __entry->migratetype = migratetype;
				   __entry->percpu_refill = percpu_refill;),
		    TP_printk("page=%p pfn=0x%lx order=%u migratetype=%d percpu_refill=%d",
			      __entry->page,
			      __entry->pfn != -1UL ? __entry->pfn : 0,
			      __entry->order,
			      __entry->migratetype,
			      __entry->percpu_refill)
);

DEFINE_EVENT(mm_page, mm_page_alloc_zone_locked,
	     TP_PROTO(const struct sb_page *page, unsigned long pfn,
		      unsigned int order, int migratetype, int percpu_refill),
	     TP_ARGS(page, pfn, order, migratetype, percpu_refill)
);

TRACE_EVENT(mm_page_pcpu_drain,
	    TP_PROTO(const struct sb_page *page, unsigned long pfn,
		     unsigned int order, int migratetype),
	    TP_ARGS(page, pfn, order, migratetype),
	    TP_STRUCT__entry(__field(const void *, page)
			     __field(unsigned long, pfn)
			     __field(unsigned int, order)
			     __field(int, migratetype)),
	    TP_fast_assign(__entry->page = page;
			   __entry->pfn = pfn;
			   __entry->order = order;
			   __entry->migratetype = migratetype;),
	    TP_printk("page=%p pfn=0x%lx order=%d migratetype=%d",
		      __entry->page, __entry->pfn, __entry->order,
		      __entry->migratetype)
);

TRACE_EVENT(mm_page_alloc_extfrag,
	    TP_PROTO(const struct sb_page *page, unsigned long pfn,
		     int alloc_order, int fallback_order, int pb_order,
		     int alloc_migratetype, int fallback_migratetype,
		     int change_ownership),
	    TP_ARGS(page, pfn, alloc_order, fallback_order, pb_order,
		    alloc_migratetype, fallback_migratetype, change_ownership),
	    TP_STRUCT__entry(__field(const void *, page)
			     __field(unsigned long, pfn)
			     __field(int, alloc_order)
			     __field(int, fallback_order)
			     __field(int, pb_order)
			     __field(int, alloc_migratetype)
			     __field(int, fallback_migratetype)
			     __field(int, change_ownership)),
	    TP_fast_assign(__entry->page = page;
			   __entry->pfn = pfn;
			   __entry->alloc_order = alloc_order;
			   __entry->fallback_order = fallback_order;
			   __entry->pb_order = pb_order;
			   __entry->alloc_migratetype = alloc_migratetype;
			   __entry->fallback_migratetype = fallback_migratetype;
			   __entry->change_ownership = change_ownership;),
	    TP_printk("page=%p pfn=0x%lx alloc_order=%d fallback_order=%d pageblock_order=%d alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
		      __entry->page,
		      __entry->pfn,
		      __entry->alloc_order,
		      __entry->fallback_order,
		      __entry->pb_order,
		      __entry->alloc_migratetype,
		      __entry->fallback_migratetype,
		      __entry->fallback_order < __entry->pb_order,
		      __entry->change_ownership)
);

/*
 * The compaction: events of Linux 6.1 (include/trace/events/compaction.h)
 * under sbuddy:, same fields and print formats.  The pfns are shadow
 * pfns; the structures the kernel passes are passed as their fields.
 */
struct sb_zone;

TRACE_DEFINE_ENUM(SB_COMPACT_SKIPPED);
TRACE_DEFINE_ENUM(SB_COMPACT_DEFERRED);
TRACE_DEFINE_ENUM(SB_COMPACT_CONTINUE);
TRACE_DEFINE_ENUM(SB_COMPACT_SUCCESS);
TRACE_DEFINE_ENUM(SB_COMPACT_PARTIAL_SKIPPED);
TRACE_DEFINE_ENUM(SB_COMPACT_COMPLETE);
TRACE_DEFINE_ENUM(SB_COMPACT_NO_SUITABLE_PAGE);
TRACE_DEFINE_ENUM(SB_COMPACT_NOT_SUITABLE_ZONE);
TRACE_DEFINE_ENUM(SB_COMPACT_CONTENDED);
TRACE_DEFINE_ENUM(SB_ZONE_DMA);
TRACE_DEFINE_ENUM(SB_ZONE_DMA32);
TRACE_DEFINE_ENUM(SB_ZONE_NORMAL);
TRACE_DEFINE_ENUM(SB_ZONE_MOVABLE);

/* __print_symbolic() of COMPACTION_STATUS and ZONE_TYPE (mmflags.h) */
#define sb_show_compaction_status(status)				\
	__print_symbolic(status,					\
			 {SB_COMPACT_SKIPPED, "skipped"},		\
			 {SB_COMPACT_DEFERRED, "deferred"},		\
			 {SB_COMPACT_CONTINUE, "continue"},		\
			 {SB_COMPACT_SUCCESS, "success"},		\
			 {SB_COMPACT_PARTIAL_SKIPPED, "partial_skipped"}, \
			 {SB_COMPACT_COMPLETE, "complete"},		\
			 {SB_COMPACT_NO_SUITABLE_PAGE, "no_suitable_page"}, \
			 {SB_COMPACT_NOT_SUITABLE_ZONE, "not_suitable_zone"}, \
			 {SB_COMPACT_CONTENDED, "contended"})

#define sb_show_zone_type(idx)						\
	__print_symbolic(idx,						\
			 {SB_ZONE_DMA, "DMA"},				\
			 {SB_ZONE_DMA32, "DMA32"},			\
			 {SB_ZONE_NORMAL, "Normal"},			\
			 {SB_ZONE_MOVABLE, "Movable"})

DECLARE_EVENT_CLASS(mm_compaction_isolate_template,
		    TP_PROTO(unsigned long start_pfn, unsigned long end_pfn,
			     unsigned long nr_scanned, unsigned long nr_taken),
		    TP_ARGS(start_pfn, end_pfn, nr_scanned, nr_taken),
		    TP_STRUCT__entry(__field(unsigned long, start_pfn)
				     __field(unsigned long, end_pfn)
				     __field(unsigned long, nr_scanned)
				     __field(unsigned long, nr_taken)),
		    TP_fast_assign(__entry->start_pfn = start_pfn;
				   __entry->end_pfn = end_pfn;
				   __entry->nr_scanned = nr_scanned;
				   __entry->nr_taken = nr_taken;),
		    TP_printk("range=(0x%lx ~ 0x%lx) nr_scanned=%lu nr_taken=%lu",
			      __entry->start_pfn, __entry->end_pfn,
			      __entry->nr_scanned, __entry->nr_taken)
);

DEFINE_EVENT(mm_compaction_isolate_template, mm_compaction_isolate_migratepages,
	     TP_PROTO(unsigned long start_pfn, unsigned long end_pfn,
		      unsigned long nr_scanned, unsigned long nr_taken),
	     TP_ARGS(start_pfn, end_pfn, nr_scanned, nr_taken)
);

DEFINE_EVENT(mm_compaction_isolate_template, mm_compaction_isolate_freepages,
	     TP_PROTO(unsigned long start_pfn, unsigned long end_pfn,
		      unsigned long nr_scanned, unsigned long nr_taken),
	     TP_ARGS(start_pfn, end_pfn, nr_scanned, nr_taken)
);

/* the kernel passes cc and reads cc->nr_migratepages */
TRACE_EVENT(mm_compaction_migratepages,
	    TP_PROTO(unsigned int nr_migratepages, unsigned int nr_succeeded),
	    TP_ARGS(nr_migratepages, nr_succeeded),
	    TP_STRUCT__entry(__field(unsigned long, nr_migrated)
			     __field(unsigned long, nr_failed)),
	    TP_fast_assign(__entry->nr_migrated = nr_succeeded;
			   __entry->nr_failed = nr_migratepages - nr_succeeded;),
	    TP_printk("nr_migrated=%lu nr_failed=%lu",
		      __entry->nr_migrated, __entry->nr_failed)
);

TRACE_EVENT(mm_compaction_begin,
	    TP_PROTO(unsigned long zone_start, unsigned long migrate_pfn,
		     unsigned long free_pfn, unsigned long zone_end, bool sync),
	    TP_ARGS(zone_start, migrate_pfn, free_pfn, zone_end, sync),
	    TP_STRUCT__entry(__field(unsigned long, zone_start)
			     __field(unsigned long, migrate_pfn)
			     __field(unsigned long, free_pfn)
			     __field(unsigned long, zone_end)
			     __field(bool, sync)),
	    TP_fast_assign(__entry->zone_start = zone_start;
			   __entry->migrate_pfn = migrate_pfn;
			   __entry->free_pfn = free_pfn;
			   __entry->zone_end = zone_end;
			   __entry->sync = sync;),
	    TP_printk("zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s",
		      __entry->zone_start, __entry->migrate_pfn,
		      __entry->free_pfn, __entry->zone_end,
		      __entry->sync ? "sync" : "async")
);

TRACE_EVENT(mm_compaction_end,
	    TP_PROTO(unsigned long zone_start, unsigned long migrate_pfn,
		     unsigned long free_pfn, unsigned long zone_end, bool sync,
		     int status),
	    TP_ARGS(zone_start, migrate_pfn, free_pfn, zone_end, sync, status),
	    TP_STRUCT__entry(__field(unsigned long, zone_start)
			     __field(unsigned long, migrate_pfn)
			     __field(unsigned long, free_pfn)
			     __field(unsigned long, zone_end)
			     __field(bool, sync)
			     __field(int, status)),
	    TP_fast_assign(__entry->zone_start = zone_start;
			   __entry->migrate_pfn = migrate_pfn;
			   __entry->free_pfn = free_pfn;
			   __entry->zone_end = zone_end;
			   __entry->sync = sync;
			   __entry->status = status;),
	    TP_printk("zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s status=%s",
		      __entry->zone_start, __entry->migrate_pfn,
		      __entry->free_pfn, __entry->zone_end,
		      __entry->sync ? "sync" : "async",
		      sb_show_compaction_status(__entry->status))
);

TRACE_EVENT(mm_compaction_try_to_compact_pages,
	    TP_PROTO(int order, gfp_t gfp_mask, int prio),
	    TP_ARGS(order, gfp_mask, prio),
	    TP_STRUCT__entry(__field(int, order)
			     __field(unsigned long, gfp_mask)
			     __field(int, prio)),
	    TP_fast_assign(__entry->order = order;
			   __entry->gfp_mask = (__force unsigned long)gfp_mask;
			   __entry->prio = prio;),
	    TP_printk("order=%d gfp_mask=%s priority=%d",
		      __entry->order, show_gfp_flags(__entry->gfp_mask),
		      __entry->prio)
);

DECLARE_EVENT_CLASS(mm_compaction_suitable_template,
		    TP_PROTO(struct sb_zone *zone, int order, int ret),
		    TP_ARGS(zone, order, ret),
		    TP_STRUCT__entry(__field(int, nid)
				     __field(enum zone_type, idx)
				     __field(int, order)
				     __field(int, ret)),
		    TP_fast_assign(__entry->nid = zone->node;
				   __entry->idx = zone->idx;
				   __entry->order = order;
				   __entry->ret = ret;),
		    TP_printk("node=%d zone=%-8s order=%d ret=%s",
			      __entry->nid,
			      sb_show_zone_type(__entry->idx),
			      __entry->order,
			      sb_show_compaction_status(__entry->ret))
);

DEFINE_EVENT(mm_compaction_suitable_template, mm_compaction_finished,
	     TP_PROTO(struct sb_zone *zone, int order, int ret),
	     TP_ARGS(zone, order, ret)
);

DEFINE_EVENT(mm_compaction_suitable_template, mm_compaction_suitable,
	     TP_PROTO(struct sb_zone *zone, int order, int ret),
	     TP_ARGS(zone, order, ret)
);

DECLARE_EVENT_CLASS(mm_compaction_defer_template,
		    TP_PROTO(struct sb_zone *zone, int order),
		    TP_ARGS(zone, order),
		    TP_STRUCT__entry(__field(int, nid)
				     __field(enum zone_type, idx)
				     __field(int, order)
				     __field(unsigned int, considered)
				     __field(unsigned int, defer_shift)
				     __field(int, order_failed)),
		    TP_fast_assign(__entry->nid = zone->node;
				   __entry->idx = zone->idx;
				   __entry->order = order;
				   __entry->considered = zone->compact_considered;
				   __entry->defer_shift = zone->compact_defer_shift;
				   __entry->order_failed = zone->compact_order_failed;),
		    TP_printk("node=%d zone=%-8s order=%d order_failed=%d consider=%u limit=%lu",
			      __entry->nid,
			      sb_show_zone_type(__entry->idx),
			      __entry->order, __entry->order_failed,
			      __entry->considered, 1UL << __entry->defer_shift)
);

DEFINE_EVENT(mm_compaction_defer_template, mm_compaction_deferred,
	     TP_PROTO(struct sb_zone *zone, int order),
	     TP_ARGS(zone, order)
);

DEFINE_EVENT(mm_compaction_defer_template, mm_compaction_defer_compaction,
	     TP_PROTO(struct sb_zone *zone, int order),
	     TP_ARGS(zone, order)
);

DEFINE_EVENT(mm_compaction_defer_template, mm_compaction_defer_reset,
	     TP_PROTO(struct sb_zone *zone, int order),
	     TP_ARGS(zone, order)
);

TRACE_EVENT(mm_compaction_kcompactd_sleep,
	    TP_PROTO(int nid),
	    TP_ARGS(nid),
	    TP_STRUCT__entry(__field(int, nid)),
	    TP_fast_assign(__entry->nid = nid;),
	    TP_printk("nid=%d", __entry->nid)
);

DECLARE_EVENT_CLASS(kcompactd_wake_template,
		    TP_PROTO(int nid, int order, enum zone_type highest_zoneidx),
		    TP_ARGS(nid, order, highest_zoneidx),
		    TP_STRUCT__entry(__field(int, nid)
				     __field(int, order)
				     __field(enum zone_type, highest_zoneidx)),
		    TP_fast_assign(__entry->nid = nid;
				   __entry->order = order;
				   __entry->highest_zoneidx = highest_zoneidx;),
		    /* classzone_idx: the kernel keeps the old name for ABI */
		    TP_printk("nid=%d order=%d classzone_idx=%-8s",
			      __entry->nid, __entry->order,
			      sb_show_zone_type(__entry->highest_zoneidx))
);

DEFINE_EVENT(kcompactd_wake_template, mm_compaction_wakeup_kcompactd,
	     TP_PROTO(int nid, int order, enum zone_type highest_zoneidx),
	     TP_ARGS(nid, order, highest_zoneidx)
);

DEFINE_EVENT(kcompactd_wake_template, mm_compaction_kcompactd_wake,
	     TP_PROTO(int nid, int order, enum zone_type highest_zoneidx),
	     TP_ARGS(nid, order, highest_zoneidx)
);

#endif /* _SB_TRACE_H */

/* the header lies in src/, which every build puts on the -I path */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE sb_trace
#include <trace/define_trace.h>
