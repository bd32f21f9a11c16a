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

#endif /* _SB_TRACE_H */

/* the header lies in src/, which every build puts on the -I path */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE sb_trace
#include <trace/define_trace.h>
