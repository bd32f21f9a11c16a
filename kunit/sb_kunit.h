/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for sbuddy's core KUnit suites: a small machine over vmalloc'ed
 * memory per test, destroyed by the suite's exit hook.
 */
#ifndef _SB_KUNIT_H
#define _SB_KUNIT_H

#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>

#include "sb_internal.h"

#define SBT_BASE_PFN	0x100000UL	/* shadow pfns of test machines */

struct sbt {
	void *mem;
	struct sb_machine *m;
};

static inline struct sb_machine *sbt_machine(struct kunit *test,
					     unsigned long nr_pages,
					     struct sb_machine_params *p)
{
	struct sbt *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct sb_backing b = { .base_pfn = SBT_BASE_PFN, .nr_pages = nr_pages };

	KUNIT_ASSERT_NOT_NULL(test, t);
	/*
	 * The cases expect one emulated CPU, CPU 0 on node 0, for the whole
	 * case: in-module on an SMP guest the test thread (a new kthread per
	 * case) could otherwise move between per-cpu lists and nodes.
	 */
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(0)), 0);
	t->mem = vmalloc(nr_pages * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, t->mem);
	test->priv = t;
	b.base = t->mem;
	t->m = sb_machine_create(&b, p);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->m));
	return t->m;
}

static inline struct sb_machine *sbt_simple(struct kunit *test,
					    const char *layout,
					    unsigned long nr_pages,
					    unsigned int pb_order)
{
	struct sb_machine_params p = { .layout = layout, .pb_order = pb_order };

	return sbt_machine(test, nr_pages, &p);
}

static inline void sbt_exit(struct kunit *test)
{
	struct sbt *t = test->priv;

	if (!t)
		return;
	if (!IS_ERR_OR_NULL(t->m))
		sb_machine_destroy(t->m);
	vfree(t->mem);
}

/*
 * Give every zone 6.1's boot pagesets (batch 1, high 0): each per-cpu
 * list then passes single blocks straight between the caller and the
 * buddy lists, so a suite about the buddy lists sees them alone.
 */
static inline void sbt_boot_pagesets(struct sb_machine *m)
{
	struct sb_zone *zone;
	int cpu;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone)) {
		zone->pageset_high = SB_BOOT_PAGESET_HIGH;
		zone->pageset_batch = SB_BOOT_PAGESET_BATCH;
		for_each_possible_cpu(cpu) {
			struct sb_per_cpu_pages *pcp =
				per_cpu_ptr(zone->per_cpu_pageset, cpu);

			pcp->high = SB_BOOT_PAGESET_HIGH;
			pcp->batch = SB_BOOT_PAGESET_BATCH;
		}
	}
}

/* sb_verify() must be clean; the violation is printed when not */
#define SBT_VERIFY(test, m) do {					\
	char __buf[256];						\
	int __ret = sb_verify(m, __buf, sizeof(__buf));			\
	KUNIT_EXPECT_EQ_MSG(test, __ret, 0, "%s", __buf);		\
} while (0)

static inline unsigned long sbt_pfn(struct sb_machine *m,
				    const struct sb_page *page)
{
	return sb_page_to_pfn(m, page) - SBT_BASE_PFN;
}

static inline struct sb_page *sbt_page(struct sb_machine *m, unsigned long off)
{
	return sb_pfn_to_page(m, SBT_BASE_PFN + off);
}

static inline struct sb_zone *sbt_zone(struct sb_machine *m, int nid, int zid)
{
	return &m->nodes[nid]->node_zones[zid];
}

#endif /* _SB_KUNIT_H */
