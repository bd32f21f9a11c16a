// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy consistency check: every page in exactly one state, free blocks
 * aligned and of the order their descriptor says, free lists and nr_free
 * agreeing, counters equal to recounts, no mergeable buddies left apart.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "sb_internal.h"

struct sb_vstate {
	char *buf;
	size_t len;
	bool failed;
};

static __printf(2, 3) void sb_violation(struct sb_vstate *v,
					const char *fmt, ...)
{
	va_list args;

	if (v->failed)
		return;
	v->failed = true;
	if (!v->buf || !v->len)
		return;
	va_start(args, fmt);
	vsnprintf(v->buf, v->len, fmt, args);
	va_end(args);
}

static const char *sb_zone_tag(struct sb_zone *zone, char *tag, size_t len)
{
	snprintf(tag, len, "node %d zone %s", zone->node, zone->name);
	return tag;
}

/* the interior of a block (free or allocated non-compound): bare pages */
static void sb_verify_interior(struct sb_machine *m, struct sb_vstate *v,
			       struct sb_page *page, unsigned int order,
			       bool compound, const char *what)
{
	unsigned long i;

	for (i = 1; i < (1UL << order) && !v->failed; i++) {
		struct sb_page *p = page + i;
		u32 want = compound ? SB_PG_TAIL : 0;

		if (p->flags != want || sb_page_count(p) ||
		    (compound && p->private != i))
			sb_violation(v,
				     "pfn %#lx inside %s at pfn %#lx order %u has flags %#x count %d\n",
				     sb_page_to_pfn(m, p), what,
				     sb_page_to_pfn(m, page), order, p->flags,
				     sb_page_count(p));
	}
}

/* can the free block at @pfn still merge with its buddy? */
static bool sb_mergeable_with_buddy(struct sb_machine *m,
				    struct sb_page *page, unsigned long pfn,
				    unsigned int order)
{
	unsigned long bpfn = pfn ^ (1UL << order);
	struct sb_page *buddy = sb_pfn_to_page(m, bpfn);
	int mt, bmt;

	if (order >= SB_MAX_ORDER - 1 || !buddy ||
	    !(buddy->flags & SB_PG_BUDDY) || buddy->order != order ||
	    buddy->nid != page->nid || buddy->zone_idx != page->zone_idx)
		return false;
	if (order < m->pb_order)
		return true;
	mt = sb_get_pfnblock_migratetype(m, pfn);
	bmt = sb_get_pfnblock_migratetype(m, bpfn);
	return mt == bmt || (sb_migratetype_is_mergeable(mt) &&
			     sb_migratetype_is_mergeable(bmt));
}

/*
 * The per-cpu lists of @zone, each under its lock: blocks flagged
 * SB_PG_PCP of the list's order in this zone, pcp->count their sum.
 * Return: the blocks listed.
 */
static unsigned long sb_verify_pcp(struct sb_machine *m, struct sb_zone *zone,
				   struct sb_vstate *v, const char *tag)
{
	unsigned long blocks = 0;
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct sb_per_cpu_pages *pcp =
			per_cpu_ptr(zone->per_cpu_pageset, cpu);
		unsigned long __maybe_unused flags;
		long pages = 0;

		sb_pcp_spin_lock_maybe_irqsave(pcp, flags);
		for (i = 0; i < SB_NR_PCP_LISTS && !v->failed; i++) {
			unsigned int order = sb_pindex_to_order(m, i);
			unsigned long n = 0, cap = zone->spanned_pages + 1;
			struct sb_page *page;

			list_for_each_entry(page, &pcp->lists[i], buddy_list) {
				if (++n > cap) {
					sb_violation(v, "%s cpu %d pcp list %d loops\n",
						     tag, cpu, i);
					break;
				}
				if (page->flags != SB_PG_PCP ||
				    page->order != order ||
				    sb_page_count(page) ||
				    page->nid != zone->node ||
				    page->zone_idx != zone->idx) {
					sb_violation(v,
						     "%s cpu %d pcp list %d holds pfn %#lx flags %#x order %u count %d\n",
						     tag, cpu, i,
						     sb_page_to_pfn(m, page),
						     page->flags, page->order,
						     sb_page_count(page));
					break;
				}
				pages += 1L << order;
			}
			blocks += n;
		}
		if (!v->failed && pages != pcp->count)
			sb_violation(v, "%s cpu %d: pcp count %d, lists hold %ld pages\n",
				     tag, cpu, pcp->count, pages);
		sb_pcp_spin_unlock_maybe_irqrestore(pcp, flags);
		if (v->failed)
			break;
	}
	return blocks;
}

static void sb_verify_zone(struct sb_machine *m, struct sb_zone *zone,
			   struct sb_vstate *v)
{
	unsigned long walk_free[SB_MAX_ORDER] = { 0 };
	unsigned long walk_pcp = 0, pcp_blocks;
	unsigned long free_pages = 0, free_cma = 0, ha_blocks = 0;
	unsigned long pfn, end = sb_zone_end_pfn(zone), flags;
	int order, mt;
	char tag[48];

	sb_zone_tag(zone, tag, sizeof(tag));
	/* pcp->lock nests outside zone->lock: check the lists first */
	pcp_blocks = sb_verify_pcp(m, zone, v, tag);
	spin_lock_irqsave(&zone->lock, flags);

	for (pfn = zone->zone_start_pfn; pfn < end && !v->failed;) {
		struct sb_page *page = sb_pfn_to_page(m, pfn);
		unsigned int o = page->order;

		if (page->flags == SB_PG_HOLE) {
			pfn++;
			continue;
		}
		if (page->nid != zone->node || page->zone_idx != zone->idx) {
			sb_violation(v,
				     "pfn %#lx in the span of %s says node %d zone %d\n",
				     pfn, tag, page->nid, page->zone_idx);
			break;
		}
		if (o >= SB_MAX_ORDER || pfn & ((1UL << o) - 1) ||
		    pfn + (1UL << o) > end) {
			sb_violation(v,
				     "pfn %#lx (%s) flags %#x: order %u misaligned or past the zone\n",
				     pfn, tag, page->flags, o);
			break;
		}
		if (page->flags == SB_PG_BUDDY) {
			if (sb_page_count(page))
				sb_violation(v,
					     "free pfn %#lx has count %d\n",
					     pfn, sb_page_count(page));
			sb_verify_interior(m, v, page, o, false, "free block");
			if (sb_mergeable_with_buddy(m, page, pfn, o))
				sb_violation(v,
					     "free pfn %#lx order %u and its buddy %#lx were not merged\n",
					     pfn, o, pfn ^ (1UL << o));
			walk_free[o]++;
		} else if (page->flags == SB_PG_PCP) {
			if (sb_page_count(page))
				sb_violation(v,
					     "pcp pfn %#lx has count %d\n",
					     pfn, sb_page_count(page));
			sb_verify_interior(m, v, page, o, false,
					   "a per-cpu block");
			walk_pcp++;
		} else if (page->flags == SB_PG_LEAKED) {
			/* a block lost to a bad-page check: left alone */
		} else if ((page->flags & ~SB_PG_HEAD) == SB_PG_ALLOC) {
			bool compound = page->flags & SB_PG_HEAD;

			if (sb_page_count(page) <= 0)
				sb_violation(v,
					     "allocated pfn %#lx has count %d\n",
					     pfn, sb_page_count(page));
			if (compound && !o)
				sb_violation(v,
					     "compound pfn %#lx of order 0\n",
					     pfn);
			sb_verify_interior(m, v, page, o, compound,
					   "an allocation");
		} else {
			sb_violation(v,
				     "pfn %#lx (%s) in no state: flags %#x count %d order %u\n",
				     pfn, tag, page->flags, sb_page_count(page),
				     o);
		}
		pfn += 1UL << o;
	}

	for (order = 0; order < SB_MAX_ORDER && !v->failed; order++) {
		struct sb_free_area *area = &zone->free_area[order];
		unsigned long listed = 0;

		for (mt = 0; mt < SB_MIGRATE_TYPES && !v->failed; mt++) {
			unsigned long n = 0, cap = zone->spanned_pages + 1;
			struct sb_page *page;

			list_for_each_entry(page, &area->free_list[mt],
					    buddy_list) {
				if (++n > cap) {
					sb_violation(v,
						     "%s order %d %s list loops\n",
						     tag, order,
						     sb_migratetype_names[mt]);
					break;
				}
				if (page->flags != SB_PG_BUDDY ||
				    page->order != order ||
				    page->migratetype != mt ||
				    page->nid != zone->node ||
				    page->zone_idx != zone->idx) {
					sb_violation(v,
						     "%s order %d %s list holds pfn %#lx flags %#x order %u type %u\n",
						     tag, order,
						     sb_migratetype_names[mt],
						     sb_page_to_pfn(m, page),
						     page->flags, page->order,
						     page->migratetype);
					break;
				}
			}
			listed += n;
			if (mt != SB_MIGRATE_ISOLATE)
				free_pages += n << order;
			if (mt == SB_MIGRATE_CMA)
				free_cma += n << order;
		}
		if (v->failed)
			break;
		if (listed != area->nr_free || listed != walk_free[order])
			sb_violation(v,
				     "%s order %d: nr_free %lu, lists hold %lu, %lu free blocks found\n",
				     tag, order, area->nr_free, listed,
				     walk_free[order]);
	}

	if (!v->failed && walk_pcp != pcp_blocks)
		sb_violation(v, "%s: %lu blocks flagged per-cpu, %lu on the lists\n",
			     tag, walk_pcp, pcp_blocks);
	if (!v->failed &&
	    free_pages != sb_zone_page_state_snapshot(zone, SB_NR_FREE_PAGES))
		sb_violation(v,
			     "%s: nr_free_pages %lu, free lists hold %lu\n",
			     tag,
			     sb_zone_page_state_snapshot(zone, SB_NR_FREE_PAGES),
			     free_pages);
	if (!v->failed &&
	    free_cma != sb_zone_page_state_snapshot(zone, SB_NR_FREE_CMA_PAGES))
		sb_violation(v,
			     "%s: nr_free_cma %lu, CMA lists hold %lu\n",
			     tag,
			     sb_zone_page_state_snapshot(zone, SB_NR_FREE_CMA_PAGES),
			     free_cma);

	for (pfn = round_down(zone->zone_start_pfn, m->pb_nr_pages);
	     pfn < end && !v->failed; pfn += m->pb_nr_pages) {
		mt = sb_get_pfnblock_migratetype(m, pfn);
		if (mt >= SB_MIGRATE_TYPES)
			sb_violation(v,
				     "pageblock at pfn %#lx has type %d\n",
				     pfn, mt);
		if (mt == SB_MIGRATE_HIGHATOMIC)
			ha_blocks++;
	}
	if (!v->failed &&
	    ha_blocks * m->pb_nr_pages != zone->nr_reserved_highatomic)
		sb_violation(v,
			     "%s: nr_reserved_highatomic %lu, %lu highatomic pageblocks\n",
			     tag, zone->nr_reserved_highatomic, ha_blocks);

	spin_unlock_irqrestore(&zone->lock, flags);
}

/**
 * sb_verify - full consistency check of a machine
 * @m:		the machine
 * @buf:	receives the first violation (may be NULL)
 * @len:	size of @buf
 *
 * Takes each zone's per-cpu list locks and then its zone lock in turn.
 * Exact when no allocation or free is in flight; while others run, a
 * page between a list and its owner can show up as a violation.
 * Return: 0 or -EUCLEAN.
 */
int sb_verify(struct sb_machine *m, char *buf, size_t len)
{
	struct sb_vstate v = { .buf = buf, .len = len };
	struct sb_zone *zone;
	unsigned long pfn;

	if (buf && len)
		buf[0] = '\0';
	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		if (v.failed)
			break;
		if (zone->spanned_pages)
			sb_verify_zone(m, zone, &v);
	}
	/* pages in no zone's span are holes */
	for (pfn = m->base_pfn; pfn < m->end_pfn && !v.failed; pfn++) {
		struct sb_page *page = sb_pfn_to_page(m, pfn);
		struct sb_zone *z = sb_page_zone(m, page);

		if (!sb_zone_spans_pfn(z, pfn) && page->flags != SB_PG_HOLE)
			sb_violation(&v,
				     "pfn %#lx outside its zone span has flags %#x\n",
				     pfn, page->flags);
	}
	return v.failed ? -EUCLEAN : 0;
}
