// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy watermarks: min/low/high from min_free_kbytes and
 * watermark_scale_factor, lowmem_reserve from lowmem_reserve_ratio, and
 * the watermark checks of the allocation fast path, as Linux 6.1's
 * mm/page_alloc.c computes them, per machine instead of per host.
 */
#define pr_fmt(fmt) "sbuddy: " fmt

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>

#include "sb_internal.h"

/* __zone_watermark_unusable_free() */
static long sb_zone_watermark_unusable_free(struct sb_zone *z,
					    unsigned int order,
					    unsigned int alloc_flags)
{
	long unusable_free = (1 << order) - 1;

	if (likely(!(alloc_flags & SB_ALLOC_RESERVES)))
		unusable_free += z->nr_reserved_highatomic;
	if (!(alloc_flags & SB_ALLOC_CMA))
		unusable_free += sb_zone_page_state(z, SB_NR_FREE_CMA_PAGES);
	return unusable_free;
}

/**
 * sb_zone_watermark_ok - __zone_watermark_ok() of 6.1.192
 * @z:		zone
 * @order:	request order
 * @mark:	watermark in pages
 * @highest_zoneidx: the request's highest zone (selects lowmem_reserve)
 * @alloc_flags: SB_ALLOC_* flags
 * @free_pages:	the zone's free pages
 *
 * __GFP_HIGH (ALLOC_MIN_RESERVE) may use half of min, non-blocking
 * requests (ALLOC_NON_BLOCK, the former ALLOC_HARDER) a further quarter,
 * OOM victims half again.  Callers without reserve rights do not count
 * the highatomic reserve; callers without ALLOC_CMA do not count free CMA.
 * An order>0 request also needs a free block of a usable type.
 */
bool sb_zone_watermark_ok(struct sb_zone *z, unsigned int order,
			  unsigned long mark, int highest_zoneidx,
			  unsigned int alloc_flags, long free_pages)
{
	long min = mark;
	int o;

	free_pages -= sb_zone_watermark_unusable_free(z, order, alloc_flags);

	if (unlikely(alloc_flags & SB_ALLOC_RESERVES)) {
		if (alloc_flags & SB_ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & SB_ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & SB_ALLOC_OOM)
			min -= min / 2;
	}

	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;

	for (o = order; o < SB_MAX_ORDER; o++) {
		struct sb_free_area *area = &z->free_area[o];
		int mt;

		if (!area->nr_free)
			continue;
		for (mt = 0; mt < SB_MIGRATE_PCPTYPES; mt++) {
			if (!sb_free_area_empty(area, mt))
				return true;
		}
		if ((alloc_flags & SB_ALLOC_CMA) &&
		    !sb_free_area_empty(area, SB_MIGRATE_CMA))
			return true;
		if ((alloc_flags & (SB_ALLOC_HIGHATOMIC | SB_ALLOC_OOM)) &&
		    !sb_free_area_empty(area, SB_MIGRATE_HIGHATOMIC))
			return true;
	}
	return false;
}

/* GFP_ATOMIC-like: 6.1 tests __GFP_ATOMIC, which later kernels removed */
static bool sb_gfp_is_atomic(gfp_t gfp)
{
#ifdef __GFP_ATOMIC
	return gfp & __GFP_ATOMIC;
#else
	return (gfp & __GFP_HIGH) && !(gfp & __GFP_DIRECT_RECLAIM);
#endif
}

/**
 * sb_zone_watermark_fast - zone_watermark_fast()
 * @z:		zone
 * @order:	request order
 * @mark:	watermark
 * @highest_zoneidx: the request's highest zone
 * @alloc_flags: SB_ALLOC_* flags
 * @gfp_mask:	the request's gfp flags
 *
 * Return: true if the zone may serve the request.
 */
bool sb_zone_watermark_fast(struct sb_zone *z, unsigned int order,
			    unsigned long mark, int highest_zoneidx,
			    unsigned int alloc_flags, gfp_t gfp_mask)
{
	long free_pages = sb_zone_page_state(z, SB_NR_FREE_PAGES);

	if (!order) {
		long usable_free = free_pages;
		long reserved;

		reserved = sb_zone_watermark_unusable_free(z, 0, alloc_flags);
		usable_free -= min(usable_free, reserved);
		if (usable_free > (long)(mark + z->lowmem_reserve[highest_zoneidx]))
			return true;
	}

	if (sb_zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				 free_pages))
		return true;

	/* GFP_ATOMIC order-0 ignores the boost when checking min */
	if (unlikely(!order && sb_gfp_is_atomic(gfp_mask) &&
		     z->watermark_boost &&
		     (alloc_flags & SB_ALLOC_WMARK_MASK) == SB_WMARK_MIN)) {
		mark = z->_watermark[SB_WMARK_MIN];
		return sb_zone_watermark_ok(z, order, mark, highest_zoneidx,
					    alloc_flags, free_pages);
	}
	return false;
}

/* calculate_totalreserve_pages() */
void sb_calculate_totalreserve_pages(struct sb_machine *m)
{
	unsigned long reserve_pages = 0;
	struct sb_zone *zone;
	int j;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		unsigned long managed = sb_zone_managed_pages(zone);
		long max = 0;

		for (j = zone->idx; j < SB_MAX_NR_ZONES; j++)
			if (zone->lowmem_reserve[j] > max)
				max = zone->lowmem_reserve[j];
		max += zone->_watermark[SB_WMARK_HIGH];
		if (max > managed)
			max = managed;
		reserve_pages += max;
	}
	m->totalreserve_pages = reserve_pages;
}

/*
 * setup_per_zone_lowmem_reserve(): zone i keeps managed(i+1..j)/ratio[i]
 * pages away from requests that could have used zone j.
 */
void sb_setup_per_zone_lowmem_reserve(struct sb_machine *m)
{
	int nid, i, j;

	for (nid = 0; nid < m->nr_nodes; nid++) {
		struct sb_node *pgdat = m->nodes[nid];

		for (i = 0; i < SB_MAX_NR_ZONES - 1; i++) {
			struct sb_zone *zone = &pgdat->node_zones[i];
			int ratio = m->lowmem_reserve_ratio[i];
			bool clear = !ratio || !sb_zone_managed_pages(zone);
			unsigned long managed_pages = 0;

			for (j = i + 1; j < SB_MAX_NR_ZONES; j++) {
				struct sb_zone *upper = &pgdat->node_zones[j];

				managed_pages += sb_zone_managed_pages(upper);
				if (clear)
					zone->lowmem_reserve[j] = 0;
				else
					zone->lowmem_reserve[j] =
						managed_pages / ratio;
			}
		}
	}
	sb_calculate_totalreserve_pages(m);
}

/*
 * __setup_per_zone_wmarks(): min_free_kbytes shared out by managed pages
 * (every emulated zone is lowmem), low = min + max(min/4, managed *
 * scale_factor / 10000), high = low + the same distance.  Resets boosts.
 */
static void __sb_setup_per_zone_wmarks(struct sb_machine *m)
{
	unsigned long pages_min = m->min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0, flags;
	struct sb_zone *zone;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
		lowmem_pages += sb_zone_managed_pages(zone);
	if (!lowmem_pages)
		return;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		unsigned long managed = sb_zone_managed_pages(zone);
		u64 tmp;

		spin_lock_irqsave(&zone->lock, flags);
		tmp = (u64)pages_min * managed;
		tmp = div64_u64(tmp, lowmem_pages);
		zone->_watermark[SB_WMARK_MIN] = tmp;

		tmp = max_t(u64, tmp >> 2,
			    mult_frac(managed, m->watermark_scale_factor,
				      10000));
		zone->watermark_boost = 0;
		zone->_watermark[SB_WMARK_LOW] =
			zone->_watermark[SB_WMARK_MIN] + tmp;
		zone->_watermark[SB_WMARK_HIGH] =
			zone->_watermark[SB_WMARK_LOW] + tmp;
		zone->_watermark[SB_WMARK_PROMO] =
			zone->_watermark[SB_WMARK_HIGH] + tmp;
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	sb_calculate_totalreserve_pages(m);
}

/* setup_per_zone_wmarks(): pcp high follows the low watermark */
void sb_setup_per_zone_wmarks(struct sb_machine *m)
{
	struct sb_zone *zone;

	spin_lock(&m->wmark_lock);
	__sb_setup_per_zone_wmarks(m);
	spin_unlock(&m->wmark_lock);
	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
		sb_zone_pcp_update(zone, 0);
}

/**
 * sb_calculate_min_free_kbytes - calculate_min_free_kbytes() over the
 * machine: sqrt(16 * lowmem_kbytes) clamped to 128..262144, where
 * lowmem_kbytes is nr_free_buffer_pages() (managed - high in the zones
 * GFP_USER may use) in KiB; a value the user set is kept when larger.
 * @m:	the machine
 *
 * Return: the min_free_kbytes now in force.
 */
int sb_calculate_min_free_kbytes(struct sb_machine *m)
{
	unsigned long lowmem_kbytes;
	int new_min_free_kbytes;

	lowmem_kbytes = sb_nr_free_zone_pages(m, SB_ZONE_NORMAL) *
			(PAGE_SIZE >> 10);
	new_min_free_kbytes = int_sqrt(lowmem_kbytes * 16);
	if (new_min_free_kbytes > m->user_min_free_kbytes)
		m->min_free_kbytes = clamp(new_min_free_kbytes, 128, 262144);
	return m->min_free_kbytes;
}

/* init_per_zone_wmark_min() */
int sb_init_per_zone_wmark_min(struct sb_machine *m)
{
	if (m->user_min_free_kbytes < 0)
		sb_calculate_min_free_kbytes(m);
	sb_setup_per_zone_wmarks(m);
	sb_refresh_zone_stat_thresholds(m, 0);
	sb_setup_per_zone_lowmem_reserve(m);
	return 0;
}

/**
 * sb_set_min_free_kbytes - the vm.min_free_kbytes sysctl: 0 or more
 * @m:	the machine
 * @val: KiB
 *
 * Return: 0 or -EINVAL.
 */
int sb_set_min_free_kbytes(struct sb_machine *m, int val)
{
	if (val < 0) {
		pr_err_ratelimited("min_free_kbytes=%d: must be 0 or more\n", val);
		return -EINVAL;
	}
	mutex_lock(&m->sysctl_lock);
	m->min_free_kbytes = val;
	m->user_min_free_kbytes = val;
	sb_setup_per_zone_wmarks(m);
	mutex_unlock(&m->sysctl_lock);
	return 0;
}

/**
 * sb_set_watermark_scale_factor - vm.watermark_scale_factor: 1..3000
 * @m:	the machine
 * @val: in units of 0.01% of managed memory
 *
 * Return: 0 or -EINVAL.
 */
int sb_set_watermark_scale_factor(struct sb_machine *m, int val)
{
	if (val < 1 || val > 3000) {
		pr_err_ratelimited("watermark_scale_factor=%d: must be 1..3000\n", val);
		return -EINVAL;
	}
	mutex_lock(&m->sysctl_lock);
	m->watermark_scale_factor = val;
	sb_setup_per_zone_wmarks(m);
	mutex_unlock(&m->sysctl_lock);
	return 0;
}

/**
 * sb_set_watermark_boost_factor - vm.watermark_boost_factor: 0 or more
 * @m:	the machine
 * @val: in units of 0.01% of the high watermark; 0 turns boosting off
 *
 * Return: 0 or -EINVAL.
 */
int sb_set_watermark_boost_factor(struct sb_machine *m, int val)
{
	if (val < 0) {
		pr_err_ratelimited("watermark_boost_factor=%d: must be 0 or more\n", val);
		return -EINVAL;
	}
	WRITE_ONCE(m->watermark_boost_factor, val);
	return 0;
}

/**
 * sb_set_lowmem_reserve_ratio - vm.lowmem_reserve_ratio
 * @m:	the machine
 * @ratio: one value per zone (DMA, DMA32, Normal, Movable)
 * @nr:	number of values, SB_MAX_NR_ZONES
 *
 * As the sysctl handler, values below 1 become 0 (no reserve).
 * Return: 0 or -EINVAL for a wrong count.
 */
int sb_set_lowmem_reserve_ratio(struct sb_machine *m, const int *ratio,
				int nr)
{
	int i;

	if (nr != SB_MAX_NR_ZONES) {
		pr_err_ratelimited("lowmem_reserve_ratio: %d values, need %d\n", nr,
				   SB_MAX_NR_ZONES);
		return -EINVAL;
	}
	mutex_lock(&m->sysctl_lock);
	for (i = 0; i < SB_MAX_NR_ZONES; i++)
		m->lowmem_reserve_ratio[i] = ratio[i] < 1 ? 0 : ratio[i];
	sb_setup_per_zone_lowmem_reserve(m);
	mutex_unlock(&m->sysctl_lock);
	return 0;
}
