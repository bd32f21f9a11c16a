// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy topology: emulated nodes and zones laid over the backing memory,
 * shadow page descriptors and pageblock bits (free_area_init,
 * memmap_init_zone), zonelists (build_all_zonelists, build_zonelists,
 * find_next_best_node) and handing the memory to the buddy lists
 * (memblock_free_all).
 */
#define pr_fmt(fmt) "sbuddy: " fmt

#include <linux/bitmap.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "fault.h"
#include "sb_internal.h"

#define SB_LOCAL_DISTANCE	10
#define SB_REMOTE_DISTANCE	20
/* find_next_best_node() scales by MAX_NUMNODES: 1024 on Debian's config */
#define SB_NODE_LOAD_SCALE	1024
#define SB_PENALTY_FOR_NODE_WITH_CPUS 1
#define SB_MAX_SEGS		16

const char * const sb_zone_names[SB_MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable",
};

/* one parsed piece of a node: a zone's memory or a hole */
struct sb_seg {
	int zone;		/* SB_ZONE_* or -1 for a hole */
	unsigned long pages;
};

struct sb_layout {
	int nr_nodes;
	int nr_segs[SB_MAX_NUMNODES];
	struct sb_seg segs[SB_MAX_NUMNODES][SB_MAX_SEGS];
	unsigned long total;
	int cma_nid;
	unsigned long cma_pages;
};

static int sb_zone_by_name(const char *name)
{
	int i;

	for (i = 0; i < SB_MAX_NR_ZONES; i++)
		if (!strcasecmp(name, sb_zone_names[i]))
			return i;
	if (!strcasecmp(name, "hole"))
		return -1;
	return -2;
}

static int sb_parse_size(const char *s, unsigned long pb, unsigned long *pages)
{
	unsigned long long bytes;
	char *end;

	if (!*s)
		return -EINVAL;
	bytes = memparse(s, &end);
	if (*end || !bytes || bytes & (PAGE_SIZE - 1))
		return -EINVAL;
	*pages = bytes >> PAGE_SHIFT;
	if (*pages % pb)
		return -EINVAL;
	return 0;
}

/*
 * Parse "ZONE=SIZE,...;ZONE=SIZE,..." into @lay.  A '*' size takes what the
 * other sizes leave of @nr_pages; it may appear once.
 */
static int sb_parse_layout(const char *str, unsigned long nr_pages,
			   unsigned long pb, struct sb_layout *lay)
{
	char *buf, *p, *node_str, *item;
	int star_node = -1, star_seg = -1, ret = -EINVAL;
	unsigned long sum = 0;

	buf = kstrdup(str, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	strim(buf);
	p = buf;
	while ((node_str = strsep(&p, ";")) != NULL) {
		int nid = lay->nr_nodes, last_zone = -1, n = 0;

		if (nid >= SB_MAX_NUMNODES) {
			pr_err("layout: more than %d nodes\n", SB_MAX_NUMNODES);
			goto out;
		}
		while ((item = strsep(&node_str, ",")) != NULL) {
			char *val = strchr(item, '=');
			struct sb_seg *seg;
			int zone;

			if (!val) {
				pr_err("layout: '%s' is not ZONE=SIZE\n", item);
				goto out;
			}
			*val++ = '\0';
			zone = sb_zone_by_name(strim(item));
			if (zone == -2) {
				pr_err("layout: unknown zone '%s'\n", item);
				goto out;
			}
			if (zone >= 0 && zone < last_zone) {
				pr_err("layout: zone %s after a higher zone in node %d\n",
				       sb_zone_names[zone], nid);
				goto out;
			}
			if (zone == -1 && last_zone < 0) {
				pr_err("layout: node %d starts with a hole\n", nid);
				goto out;
			}
			if (n >= SB_MAX_SEGS) {
				pr_err("layout: node %d has too many items\n", nid);
				goto out;
			}
			seg = &lay->segs[nid][n];
			seg->zone = zone;
			val = strim(val);
			if (!strcmp(val, "*")) {
				if (star_node >= 0) {
					pr_err("layout: '*' used twice\n");
					goto out;
				}
				star_node = nid;
				star_seg = n;
				seg->pages = 0;
			} else if (sb_parse_size(val, pb, &seg->pages)) {
				pr_err("layout: size '%s' is not a positive multiple of %lu pages\n",
				       val, pb);
				goto out;
			}
			sum += seg->pages;
			if (zone >= 0)
				last_zone = zone;
			n++;
		}
		if (last_zone < 0) {
			pr_err("layout: node %d has no memory\n", nid);
			goto out;
		}
		lay->nr_segs[nid] = n;
		lay->nr_nodes++;
	}
	if (sum > nr_pages || (star_node >= 0 && sum == nr_pages)) {
		pr_err("layout: needs more than the %lu pages there are\n",
		       nr_pages);
		goto out;
	}
	if (star_node >= 0) {
		unsigned long rest = rounddown(nr_pages - sum, pb);

		if (!rest) {
			pr_err("layout: '*' leaves less than a pageblock\n");
			goto out;
		}
		lay->segs[star_node][star_seg].pages = rest;
		sum += rest;
	}
	lay->total = sum;
	ret = 0;
out:
	kfree(buf);
	return ret;
}

/* "SIZE[@NODE]": the last SIZE of the node's memory becomes MIGRATE_CMA */
static int sb_parse_cma(const char *str, unsigned long pb,
			struct sb_layout *lay)
{
	char buf[32], *at;
	int nid = 0;
	unsigned long pages;

	lay->cma_pages = 0;
	if (!str || !*str)
		return 0;
	if (strscpy(buf, str, sizeof(buf)) < 0)
		goto bad;
	strim(buf);
	at = strchr(buf, '@');
	if (at) {
		*at++ = '\0';
		if (kstrtoint(at, 0, &nid) || nid < 0 || nid >= lay->nr_nodes)
			goto bad;
	}
	if (sb_parse_size(buf, pb, &pages))
		goto bad;
	{
		int last = lay->nr_segs[nid] - 1;
		const struct sb_seg *seg = &lay->segs[nid][last];

		/* it must fit in the node's last zone, after its last hole */
		if (seg->zone < 0 || pages > seg->pages)
			goto bad;
	}
	lay->cma_nid = nid;
	lay->cma_pages = pages;
	return 0;
bad:
	pr_err("cma: '%s' is not SIZE[@NODE] within the node's last zone piece\n",
	       str);
	return -EINVAL;
}

struct sb_page *sb_pfn_to_page(struct sb_machine *m, unsigned long pfn)
{
	if (pfn < m->base_pfn || pfn >= m->end_pfn)
		return NULL;
	return &m->pages[pfn - m->base_pfn];
}

void *sb_page_address(struct sb_machine *m, const struct sb_page *page)
{
	return m->backing.base + (page - m->pages) * PAGE_SIZE;
}

static u8 *sb_pb_byte(struct sb_machine *m, unsigned long pfn)
{
	return &m->pageblock_flags[(pfn - m->base_pfn) >> m->pb_order];
}

int sb_get_pfnblock_migratetype(struct sb_machine *m, unsigned long pfn)
{
	return READ_ONCE(*sb_pb_byte(m, pfn)) & SB_PB_MIGRATETYPE_MASK;
}

/* set_pageblock_migratetype(); with mobility grouping off, UNMOVABLE */
void sb_set_pageblock_migratetype(struct sb_machine *m, unsigned long pfn,
				  int migratetype)
{
	u8 *b = sb_pb_byte(m, pfn);

	if (unlikely(m->page_group_by_mobility_disabled &&
		     migratetype < SB_MIGRATE_PCPTYPES))
		migratetype = SB_MIGRATE_UNMOVABLE;
	WRITE_ONCE(*b, (READ_ONCE(*b) & ~SB_PB_MIGRATETYPE_MASK) | migratetype);
}

bool sb_get_pageblock_skip(struct sb_machine *m, unsigned long pfn)
{
	return READ_ONCE(*sb_pb_byte(m, pfn)) & SB_PB_MIGRATE_SKIP;
}

void sb_set_pageblock_skip(struct sb_machine *m, unsigned long pfn, bool skip)
{
	u8 *b = sb_pb_byte(m, pfn);

	if (skip)
		WRITE_ONCE(*b, READ_ONCE(*b) | SB_PB_MIGRATE_SKIP);
	else
		WRITE_ONCE(*b, READ_ONCE(*b) & ~SB_PB_MIGRATE_SKIP);
}

/* The emulated CPU running this call sits on node (cpu % nr_nodes). */
int sb_numa_node_id(struct sb_machine *m)
{
	return raw_smp_processor_id() % m->nr_nodes;
}

/* next_zones_zonelist() */
struct sb_zoneref *sb_next_zones_zonelist(struct sb_zoneref *z,
					  int highest_zoneidx,
					  const unsigned long *nodemask)
{
	while (z->zone && (z->zone_idx > highest_zoneidx ||
			   !sb_node_isset(z->zone->node, nodemask)))
		z++;
	return z;
}

/* build_zonerefs_node(): populated zones, highest first */
static int sb_build_zonerefs_node(struct sb_node *pgdat,
				  struct sb_zoneref *zonerefs)
{
	int zone_type = SB_MAX_NR_ZONES, nr_zones = 0;

	do {
		struct sb_zone *zone = &pgdat->node_zones[--zone_type];

		if (sb_populated_zone(zone)) {
			zonerefs[nr_zones].zone = zone;
			zonerefs[nr_zones].zone_idx = zone_type;
			nr_zones++;
		}
	} while (zone_type);
	return nr_zones;
}

/*
 * find_next_best_node(): the closest node not used yet, nodes below
 * @node penalised by one, ties broken by node_load.  Every emulated node
 * has CPUs, so the CPU penalty is the same for all.
 */
static int sb_find_next_best_node(struct sb_machine *m, int node,
				  unsigned long *used, int *node_load)
{
	int n, val, min_val = INT_MAX, best_node = NUMA_NO_NODE;

	if (!(*used & BIT(node))) {
		*used |= BIT(node);
		return node;
	}
	for (n = 0; n < m->nr_nodes; n++) {
		if (!m->nodes[n]->node_present_pages || (*used & BIT(n)))
			continue;
		val = m->distance[node][n];
		val += (n < node);
		val += SB_PENALTY_FOR_NODE_WITH_CPUS;
		val *= SB_NODE_LOAD_SCALE;
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best_node = n;
		}
	}
	if (best_node >= 0)
		*used |= BIT(best_node);
	return best_node;
}

/* build_zonelists(): node order with the round-robin node_load penalty */
static void sb_build_zonelists(struct sb_machine *m, struct sb_node *pgdat,
			       int *node_load)
{
	int local_node = pgdat->node_id, prev_node = local_node;
	struct sb_zoneref *zonerefs;
	unsigned long used = 0;
	int node, nr_nodes = 0, i;

	while ((node = sb_find_next_best_node(m, local_node, &used,
					      node_load)) >= 0) {
		if (m->distance[local_node][node] !=
		    m->distance[local_node][prev_node])
			node_load[node] += 1;
		pgdat->node_order[nr_nodes++] = node;
		prev_node = node;
	}
	pgdat->nr_node_order = nr_nodes;

	/* build_zonelists_in_node_order() */
	zonerefs = pgdat->node_zonelists[SB_ZONELIST_FALLBACK]._zonerefs;
	for (i = 0; i < nr_nodes; i++)
		zonerefs += sb_build_zonerefs_node(m->nodes[pgdat->node_order[i]],
						   zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;

	/* build_thisnode_zonelists() */
	zonerefs = pgdat->node_zonelists[SB_ZONELIST_NOFALLBACK]._zonerefs;
	zonerefs += sb_build_zonerefs_node(pgdat, zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;
}

/* nr_free_zone_pages(): managed - high over the local node's zonelist */
unsigned long sb_nr_free_zone_pages(struct sb_machine *m, int offset)
{
	struct sb_zoneref *z;
	unsigned long sum = 0;

	z = m->nodes[0]->node_zonelists[SB_ZONELIST_FALLBACK]._zonerefs;
	z = sb_next_zones_zonelist(z, offset, NULL);
	for (; z->zone; z = sb_next_zones_zonelist(z + 1, offset, NULL)) {
		unsigned long size = sb_zone_managed_pages(z->zone);
		unsigned long high = z->zone->_watermark[SB_WMARK_HIGH];

		if (size > high)
			sum += size - high;
	}
	return sum;
}

/*
 * build_all_zonelists(): every node's zonelists (node_load cleared first,
 * as __build_all_zonelists does), then the mobility grouping decision.
 * Zonelists are rebuilt in place: callers change distances only while no
 * allocation runs.
 */
void sb_build_all_zonelists(struct sb_machine *m)
{
	int node_load[SB_MAX_NUMNODES] = { 0 };
	int nid;

	for (nid = 0; nid < m->nr_nodes; nid++)
		sb_build_zonelists(m, m->nodes[nid], node_load);

	m->vm_total_pages = sb_nr_free_zone_pages(m, SB_ZONE_MOVABLE);
	m->page_group_by_mobility_disabled =
		m->vm_total_pages < m->pb_nr_pages * SB_MIGRATE_TYPES;
}

int sb_machine_set_distance(struct sb_machine *m, int from, int to, int d)
{
	if (from < 0 || from >= m->nr_nodes || to < 0 || to >= m->nr_nodes ||
	    d > 254 || (from == to && d != SB_LOCAL_DISTANCE) ||
	    (from != to && d <= SB_LOCAL_DISTANCE)) {
		pr_err("distance %d from node %d to %d: out of range\n",
		       d, from, to);
		return -EINVAL;
	}
	m->distance[from][to] = d;
	sb_build_all_zonelists(m);
	return 0;
}

static void sb_zone_init(struct sb_machine *m, struct sb_node *pgdat,
			 int zid)
{
	struct sb_zone *zone = &pgdat->node_zones[zid];
	int order, t;

	zone->machine = m;
	zone->zone_pgdat = pgdat;
	zone->node = pgdat->node_id;
	zone->idx = zid;
	zone->name = sb_zone_names[zid];
	spin_lock_init(&zone->lock);
	INIT_LIST_HEAD(&zone->compact_captures);
	for (order = 0; order < SB_MAX_ORDER; order++) {
		for (t = 0; t < SB_MIGRATE_TYPES; t++)
			INIT_LIST_HEAD(&zone->free_area[order].free_list[t]);
		zone->free_area[order].nr_free = 0;
	}
}

/*
 * free_area_init_core() + memmap_init_zone(): spans, present pages,
 * descriptors and pageblocks (every pageblock MOVABLE, holes marked).
 */
static void sb_init_nodes(struct sb_machine *m, const struct sb_layout *lay)
{
	unsigned long pfn = m->base_pfn;
	int nid, i;

	for (nid = 0; nid < lay->nr_nodes; nid++) {
		struct sb_node *pgdat = m->nodes[nid];
		int zone = -1;

		pgdat->node_id = nid;
		pgdat->node_start_pfn = pfn;
		for (i = 0; i < SB_MAX_NR_ZONES; i++)
			sb_zone_init(m, pgdat, i);
		for (i = 0; i < lay->nr_segs[nid]; i++) {
			const struct sb_seg *seg = &lay->segs[nid][i];
			unsigned long p, end = pfn + seg->pages;
			struct sb_zone *z;

			if (seg->zone >= 0)
				zone = seg->zone;
			z = &pgdat->node_zones[zone];
			if (!z->spanned_pages)
				z->zone_start_pfn = pfn;
			for (p = pfn; p < end; p++) {
				struct sb_page *page = &m->pages[p - m->base_pfn];

				INIT_LIST_HEAD(&page->buddy_list);
				page->nid = nid;
				page->zone_idx = zone;
				page->migratetype = SB_MIGRATE_MOVABLE;
				if (seg->zone < 0)
					page->flags = SB_PG_HOLE;
				else if (!((p - m->base_pfn) %
					   m->pb_nr_pages))
					sb_set_pageblock_migratetype(m, p,
								     SB_MIGRATE_MOVABLE);
			}
			if (seg->zone >= 0) {
				z->present_pages += seg->pages;
				pgdat->node_present_pages += seg->pages;
			}
			pfn = end;
			z->spanned_pages = pfn - z->zone_start_pfn;
		}
		pgdat->node_spanned_pages = pfn - pgdat->node_start_pfn;
		/* no memmap or memblock reservations inside the backing */
		for (i = 0; i < SB_MAX_NR_ZONES; i++)
			atomic_long_set(&pgdat->node_zones[i].managed_pages,
					pgdat->node_zones[i].present_pages);
	}
}

/*
 * init_cma_reserved_pageblock(): the CMA range's pageblocks become
 * MIGRATE_CMA before their pages reach the free lists.
 */
static void sb_init_cma(struct sb_machine *m, const struct sb_layout *lay)
{
	struct sb_node *pgdat;
	struct sb_page *page;
	unsigned long pfn;

	if (!lay->cma_pages)
		return;
	pgdat = m->nodes[lay->cma_nid];
	m->cma_nr_pages = lay->cma_pages;
	m->cma_start_pfn = pgdat->node_start_pfn + pgdat->node_spanned_pages -
			   lay->cma_pages;
	for (pfn = m->cma_start_pfn; pfn < m->cma_start_pfn + m->cma_nr_pages;
	     pfn += m->pb_nr_pages)
		sb_set_pageblock_migratetype(m, pfn, SB_MIGRATE_CMA);
	page = sb_pfn_to_page(m, m->cma_start_pfn);
	sb_page_zone(m, page)->cma_pages += m->cma_nr_pages;
}

/*
 * memblock_free_all() -> __free_pages_core(): each present range goes to
 * the buddy lists in the largest aligned blocks, at the list tail, and is
 * counted as freed (pgfree).
 */
static bool sb_pfn_in_cma(struct sb_machine *m, unsigned long pfn)
{
	return pfn - m->cma_start_pfn < m->cma_nr_pages;
}

static void sb_free_all_memory(struct sb_machine *m)
{
	unsigned long pfn = m->base_pfn;

	while (pfn < m->end_pfn) {
		struct sb_page *page = sb_pfn_to_page(m, pfn);
		unsigned long end = pfn;
		unsigned int order;

		if (page->flags & SB_PG_HOLE) {
			pfn++;
			continue;
		}
		/*
		 * extend over present pages of the same zone, on one side of
		 * the CMA area's edges: its pageblocks are freed on their own,
		 * as cma_activate_area() frees them
		 */
		while (end < m->end_pfn) {
			struct sb_page *p = sb_pfn_to_page(m, end);

			if ((p->flags & SB_PG_HOLE) || p->nid != page->nid ||
			    p->zone_idx != page->zone_idx ||
			    sb_pfn_in_cma(m, end) != sb_pfn_in_cma(m, pfn))
				break;
			end++;
		}
		while (pfn < end) {
			struct sb_zone *zone;

			order = min_t(unsigned int, SB_MAX_ORDER - 1,
				      pfn ? __ffs(pfn) : SB_MAX_ORDER - 1);
			while (pfn + (1UL << order) > end)
				order--;
			page = sb_pfn_to_page(m, pfn);
			zone = sb_page_zone(m, page);
			spin_lock_irq(&zone->lock);
			sb_free_one_page(zone, page, pfn, order,
					 sb_get_pfnblock_migratetype(m, pfn),
					 SB_FPI_TO_TAIL);
			spin_unlock_irq(&zone->lock);
			sb_count_vm_events(m, SB_PGFREE, 1UL << order);
			pfn += 1UL << order;
		}
	}
}

static void sb_default_layout(char *buf, size_t len, unsigned long nr_pages,
			      unsigned long pb)
{
	unsigned long dma = rounddown(nr_pages / 8, pb);
	unsigned long dma32 = rounddown(nr_pages * 3 / 8, pb);

	if (dma && dma32 && dma + dma32 < nr_pages &&
	    rounddown(nr_pages - dma - dma32, pb))
		snprintf(buf, len, "DMA=%luK,DMA32=%luK,Normal=*",
			 dma << (PAGE_SHIFT - 10), dma32 << (PAGE_SHIFT - 10));
	else if (rounddown(nr_pages / 2, pb))
		snprintf(buf, len, "DMA32=%luK,Normal=*",
			 rounddown(nr_pages / 2, pb) << (PAGE_SHIFT - 10));
	else
		snprintf(buf, len, "Normal=*");
}

static void sb_machine_free(struct sb_machine *m)
{
	int nid, zid;

	for (nid = 0; nid < SB_MAX_NUMNODES; nid++) {
		if (!m->nodes[nid])
			continue;
		for (zid = 0; zid < SB_MAX_NR_ZONES; zid++)
			sb_free_zone_pageset(&m->nodes[nid]->node_zones[zid]);
		kfree(m->nodes[nid]);
	}
	free_percpu(m->vm_event_states);
	free_cpumask_var(m->cpus_with_pcps);
	kvfree(m->owner_map);
	bitmap_free(m->cma.bitmap);
	kvfree(m->pageblock_flags);
	kvfree(m->pages);
	kfree(m);
}

/**
 * sb_machine_create - build an emulated machine over @backing
 * @backing:	the memory; page n at backing->base + n * PAGE_SIZE
 * @params:	layout, cma, pageblock order, distances, min_free_kbytes
 *
 * Mirrors boot: free_area_init (nodes, zones, memmap_init_zone),
 * build_all_zonelists, setup_per_cpu_pageset, memblock_free_all,
 * init_per_zone_wmark_min (which sizes the pagesets and thresholds).
 * Return: the machine or an ERR_PTR (-EINVAL with one pr_err line for a
 * bad parameter); nothing is left allocated on error.
 */
struct sb_machine *sb_machine_create(const struct sb_backing *backing,
				     const struct sb_machine_params *params)
{
	unsigned int pbo = params->pb_order ?: SB_DEFAULT_PAGEBLOCK_ORDER;
	struct sb_layout *lay;
	struct sb_machine *m;
	unsigned long pb;
	char deflayout[80];
	const char *layout = params->layout;
	int i, j, ret;

	BUILD_BUG_ON(sizeof(struct sb_page) > 32);
	BUILD_BUG_ON(SB_PB_MIGRATETYPE_MASK + 1 < SB_MIGRATE_TYPES);
	BUILD_BUG_ON(SB_MAX_NUMNODES > BITS_PER_LONG);

	if (pbo < 1 || pbo > SB_MAX_ORDER - 1) {
		pr_err("pb_order=%u: must be 1..%d\n", pbo,
		       SB_MAX_ORDER - 1);
		return ERR_PTR(-EINVAL);
	}
	pb = 1UL << pbo;
	if (!backing->nr_pages || !backing->base ||
	    backing->base_pfn % pb || backing->nr_pages < pb) {
		pr_err("backing at pfn %#lx, %lu pages: not pageblock aligned\n",
		       backing->base_pfn, backing->nr_pages);
		return ERR_PTR(-EINVAL);
	}
	if (!layout || !*layout) {
		sb_default_layout(deflayout, sizeof(deflayout),
				  backing->nr_pages, pb);
		layout = deflayout;
	}
	if (strlen(layout) >= sizeof(m->layout)) {
		pr_err("layout: longer than %zu characters\n",
		       sizeof(m->layout) - 1);
		return ERR_PTR(-EINVAL);
	}
	if (params->min_free_kbytes < 0) {
		pr_err("min_free_kbytes=%d: must not be negative\n",
		       params->min_free_kbytes);
		return ERR_PTR(-EINVAL);
	}

	lay = kzalloc(sizeof(*lay), GFP_KERNEL);
	if (!lay)
		return ERR_PTR(-ENOMEM);
	ret = sb_parse_layout(layout, backing->nr_pages, pb, lay);
	if (!ret)
		ret = sb_parse_cma(params->cma, pb, lay);
	if (!ret && params->distance &&
	    params->nr_distance != lay->nr_nodes * lay->nr_nodes) {
		pr_err("distance: %u values for %d nodes\n",
		       params->nr_distance, lay->nr_nodes);
		ret = -EINVAL;
	}
	for (i = 0; !ret && params->distance && i < lay->nr_nodes; i++) {
		for (j = 0; j < lay->nr_nodes; j++) {
			int d = params->distance[i * lay->nr_nodes + j];

			if ((i == j && d != SB_LOCAL_DISTANCE) ||
			    (i != j && d <= SB_LOCAL_DISTANCE) || d > 254) {
				pr_err("distance %d from node %d to %d: out of range\n",
				       d, i, j);
				ret = -EINVAL;
				break;
			}
		}
	}
	if (ret)
		goto err_lay;

	ret = -ENOMEM;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		goto err_lay;
	m->backing = *backing;
	m->base_pfn = backing->base_pfn;
	m->end_pfn = backing->base_pfn + lay->total;
	m->pb_order = pbo;
	m->pb_nr_pages = pb;
	m->nr_nodes = lay->nr_nodes;
	strscpy(m->layout, layout, sizeof(m->layout));
	mutex_init(&m->sysctl_lock);
	spin_lock_init(&m->wmark_lock);
	mutex_init(&m->pcp_batch_high_lock);
	mutex_init(&m->pcpu_drain_mutex);
	mutex_init(&m->owners_mutex);
	INIT_LIST_HEAD(&m->owners);
	m->compaction_proactiveness = 20;
	m->extfrag_threshold = 500;
	m->compaction_enabled = 1;
	m->compact_unevictable_allowed = 1;
	m->user_min_free_kbytes = -1;
	m->watermark_boost_factor = 15000;
	m->watermark_scale_factor = 10;
	m->lowmem_reserve_ratio[SB_ZONE_DMA] = 256;
	m->lowmem_reserve_ratio[SB_ZONE_DMA32] = 256;
	m->lowmem_reserve_ratio[SB_ZONE_NORMAL] = 32;
	m->lowmem_reserve_ratio[SB_ZONE_MOVABLE] = 0;
	for (i = 0; i < m->nr_nodes; i++) {
		m->nodes[i] = kzalloc(sizeof(*m->nodes[i]), GFP_KERNEL);
		if (!m->nodes[i])
			goto err_m;
		for (j = 0; j < m->nr_nodes; j++) {
			if (params->distance)
				m->distance[i][j] =
					params->distance[i * m->nr_nodes + j];
			else
				m->distance[i][j] = i == j ? SB_LOCAL_DISTANCE :
							     SB_REMOTE_DISTANCE;
		}
	}
	if (!sb_should_fail(SB_FAULT_MEMMAP))
		m->pages = kvcalloc(lay->total, sizeof(*m->pages), GFP_KERNEL);
	m->pageblock_flags = kvzalloc(lay->total >> pbo, GFP_KERNEL);
	m->vm_event_states = alloc_percpu(struct sb_vm_event_state);
	m->owner_map = kvcalloc(lay->total, sizeof(*m->owner_map), GFP_KERNEL);
	if (!m->pages || !m->pageblock_flags || !m->vm_event_states ||
	    !m->owner_map ||
	    !zalloc_cpumask_var(&m->cpus_with_pcps, GFP_KERNEL))
		goto err_m;

	sb_init_nodes(m, lay);
	for (i = 0; i < m->nr_nodes; i++) {
		struct sb_node *node = m->nodes[i];

		spin_lock_init(&node->lru_lock);
		INIT_LIST_HEAD(&node->lru);
		init_waitqueue_head(&node->kswapd_wait);
		init_waitqueue_head(&node->kcompactd_wait);
	}
	/* setup_zone_pageset(): before the first free touches the counters */
	for (i = 0; i < m->nr_nodes; i++)
		for (j = 0; j < SB_MAX_NR_ZONES; j++)
			if (sb_setup_zone_pageset(&m->nodes[i]->node_zones[j]))
				goto err_m;
	sb_init_cma(m, lay);
	if (sb_cma_init(m))
		goto err_m;
	sb_build_all_zonelists(m);
	sb_free_all_memory(m);
	if (params->min_free_kbytes) {
		m->min_free_kbytes = params->min_free_kbytes;
		m->user_min_free_kbytes = params->min_free_kbytes;
	}
	sb_init_per_zone_wmark_min(m);
	kfree(lay);
	return m;

err_m:
	sb_machine_free(m);
err_lay:
	kfree(lay);
	return ERR_PTR(ret);
}

/**
 * sb_machine_start_daemons - start kswapd and kcompactd on every node
 * @m:	the machine
 *
 * Return: 0, or the error of the first thread that would not start (none
 * are left running then).
 */
int sb_machine_start_daemons(struct sb_machine *m)
{
	int nid, ret;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		ret = sb_kswapd_run(m, nid);
		if (!ret)
			ret = sb_kcompactd_run(m, nid);
		if (ret) {
			sb_machine_stop_daemons(m);
			return ret;
		}
	}
	return 0;
}

/**
 * sb_machine_stop_daemons - stop the threads sb_machine_start_daemons()
 * started (those that run)
 * @m:	the machine
 */
void sb_machine_stop_daemons(struct sb_machine *m)
{
	int nid;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		sb_kcompactd_stop(m, nid);
		sb_kswapd_stop(m, nid);
	}
}

/**
 * sb_machine_destroy - free a machine; its memory goes back to the caller
 * @m:	the machine (NULL or an ERR_PTR is ignored)
 */
void sb_machine_destroy(struct sb_machine *m)
{
	if (IS_ERR_OR_NULL(m))
		return;
	sb_machine_stop_daemons(m);
	sb_machine_free(m);
}
