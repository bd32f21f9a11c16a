// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of sbuddy's owners (owner.c): the block record behind each
 * owned allocation, migration that copies contents and repoints the
 * owner, the refusals of migrate_pages() (unmovable, pinned, busy), LRU
 * reclaim of reclaimable blocks, and the OOM kill of the biggest owner.
 */
#include <linux/crc32.h>

#include "sb_kunit.h"

#define NR	1024UL

struct sbt_owner {
	struct sb_owner o;
	int unmaps;
	int reclaims;
};

static void sbt_unmap(struct sb_block *blk)
{
	container_of(blk->owner, struct sbt_owner, o)->unmaps++;
}

static void sbt_reclaimed(struct sb_block *blk)
{
	container_of(blk->owner, struct sbt_owner, o)->reclaims++;
}

static const struct sb_owner_ops sbt_ops = {
	.unmap = sbt_unmap,
	.reclaimed = sbt_reclaimed,
};

static struct sb_machine *sbt_owner_machine(struct kunit *test)
{
	struct sb_machine *m = sbt_simple(test, "Normal=4M", NR, 4);

	sbt_boot_pagesets(m);
	return m;
}

static void sbt_fill(struct sb_machine *m, struct sb_block *blk, u8 seed)
{
	u8 *p = sb_page_address(m, blk->page);
	size_t i;

	for (i = 0; i < (PAGE_SIZE << blk->order); i++)
		p[i] = seed + i * 7;
}

static u32 sbt_crc(struct sb_machine *m, struct sb_block *blk)
{
	return crc32(0, sb_page_address(m, blk->page), PAGE_SIZE << blk->order);
}

/* every owned allocation is found from its first page; release frees all */
static void sb_owner_records(struct kunit *test)
{
	struct sb_machine *m = sbt_owner_machine(test);
	struct sbt_owner t;
	struct sb_block *b[4];
	int i;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	for (i = 0; i < 4; i++) {
		b[i] = sb_owner_alloc(&t.o, GFP_HIGHUSER_MOVABLE, i, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(b[i]));
		KUNIT_EXPECT_PTR_EQ(test, sb_page_block(m, b[i]->page), b[i]);
	}
	KUNIT_EXPECT_EQ(test, t.o.nr_pages, 1UL + 2 + 4 + 8);
	KUNIT_EXPECT_EQ(test, sb_owner_free(&t.o, b[2]), 0);
	KUNIT_EXPECT_EQ(test, t.o.nr_pages, 1UL + 2 + 8);
	SBT_VERIFY(test, m);
	sb_owner_release(&t.o);
	sb_drain_all_pages(m, NULL);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(sbt_zone(m, 0, SB_ZONE_NORMAL),
							  SB_NR_FREE_PAGES), NR);
	SBT_VERIFY(test, m);
}

/*
 * unmap_and_move(): the contents arrive intact at the new pages, the
 * owner sees the new page, the old one is free.
 */
static void sb_owner_migrate_copies(struct kunit *test)
{
	struct sb_machine *m = sbt_owner_machine(test);
	struct sb_page *old, *dst;
	struct sbt_owner t = { };
	struct sb_block *blk, *iso;
	u32 crc;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	blk = sb_owner_alloc(&t.o, GFP_HIGHUSER_MOVABLE, 2, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(blk));
	sbt_fill(m, blk, 3);
	crc = sbt_crc(m, blk);
	old = blk->page;

	iso = sb_isolate_block(m, old, SB_MIGRATE_ASYNC);
	KUNIT_ASSERT_PTR_EQ(test, iso, blk);
	/* isolated: a second isolation and lookups by others refuse */
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_isolate_block(m, old, SB_MIGRATE_SYNC)),
			-ENOENT);
	dst = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 2, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	sb_migrate_isolated(m, blk, dst);
	KUNIT_EXPECT_PTR_EQ(test, blk->page, dst);
	KUNIT_EXPECT_EQ(test, sbt_crc(m, blk), crc);
	KUNIT_EXPECT_EQ(test, blk->nr_migrated, 1U);
	KUNIT_EXPECT_EQ(test, t.unmaps, 1);
	KUNIT_EXPECT_NULL(test, sb_page_block(m, old));
	KUNIT_EXPECT_PTR_EQ(test, sb_page_block(m, dst), blk);
	KUNIT_EXPECT_EQ(test, old->flags & SB_PG_ALLOC, 0U);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_PGMIGRATE_SUCCESS), 4UL);

	/* and once more through a fresh target */
	KUNIT_EXPECT_EQ(test, sb_migrate_block_to(m, blk->page, SB_MIGRATE_SYNC,
						  GFP_HIGHUSER_MOVABLE,
						  NUMA_NO_NODE), 0);
	KUNIT_EXPECT_EQ(test, sbt_crc(m, blk), crc);
	KUNIT_EXPECT_EQ(test, blk->nr_migrated, 2U);
	SBT_VERIFY(test, m);
	sb_owner_release(&t.o);
	SBT_VERIFY(test, m);
}

/* what migrate_pages() refuses: unmovable, pinned, busy, unowned */
static void sb_owner_migrate_refusals(struct kunit *test)
{
	struct sb_machine *m = sbt_owner_machine(test);
	struct sb_block *unmov, *mov;
	struct sbt_owner t = { };
	struct sb_page *bare;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	unmov = sb_owner_alloc(&t.o, GFP_KERNEL, 0, NULL);
	mov = sb_owner_alloc(&t.o, GFP_HIGHUSER_MOVABLE, 0, NULL);
	bare = sb_alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(unmov));
	KUNIT_ASSERT_FALSE(test, IS_ERR(mov));
	KUNIT_ASSERT_NOT_NULL(test, bare);

	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_isolate_block(m, unmov->page,
						       SB_MIGRATE_SYNC)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_isolate_block(m, bare, SB_MIGRATE_SYNC)),
			-ENOENT);

	KUNIT_ASSERT_EQ(test, sb_block_pin(mov), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_isolate_block(m, mov->page,
						       SB_MIGRATE_SYNC)), -EBUSY);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_EV_PIN_MIGRATE_FAIL), 1UL);
	KUNIT_EXPECT_EQ(test, sb_block_unpin(mov), 0);
	KUNIT_EXPECT_EQ(test, sb_block_unpin(mov), -EINVAL);

	/* an accessor: async fails at once, sync light waits 10 ms, fails */
	KUNIT_ASSERT_PTR_EQ(test, sb_block_access(mov), mov->page);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_isolate_block(m, mov->page,
						       SB_MIGRATE_ASYNC)), -EAGAIN);
	KUNIT_EXPECT_EQ(test, PTR_ERR(sb_isolate_block(m, mov->page,
						       SB_MIGRATE_SYNC_LIGHT)),
			-EAGAIN);
	sb_block_access_end(mov);
	KUNIT_EXPECT_EQ(test, sb_migrate_block_to(m, mov->page, SB_MIGRATE_ASYNC,
						  GFP_HIGHUSER_MOVABLE,
						  NUMA_NO_NODE), 0);
	KUNIT_EXPECT_EQ(test, sb_free_pages(m, bare, 0), 0);
	sb_owner_release(&t.o);
	SBT_VERIFY(test, m);
}

/*
 * shrink_folio_list(): reclaimable blocks go oldest first, pinned ones
 * stay, the owner hears about it and sees them as reclaimed.
 */
static void sb_owner_reclaim(struct kunit *test)
{
	struct sb_machine *m = sbt_owner_machine(test);
	struct sbt_owner t = { };
	struct sb_block *b[6], *mov;
	unsigned long scanned;
	int i;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	for (i = 0; i < 6; i++) {
		b[i] = sb_owner_alloc(&t.o, GFP_KERNEL | __GFP_RECLAIMABLE, 0,
				      NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(b[i]));
	}
	mov = sb_owner_alloc(&t.o, GFP_HIGHUSER_MOVABLE, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mov));
	KUNIT_EXPECT_EQ(test, m->nodes[0]->nr_lru_pages, 6UL);
	KUNIT_ASSERT_EQ(test, sb_block_pin(b[0]), 0);

	KUNIT_EXPECT_EQ(test, sb_reclaim_node(m, 0, 2, &scanned), 2UL);
	/* b[0] is the oldest but pinned: b[1] and b[2] went */
	KUNIT_EXPECT_NOT_NULL(test, b[0]->page);
	KUNIT_EXPECT_NULL(test, b[1]->page);
	KUNIT_EXPECT_NULL(test, b[2]->page);
	KUNIT_EXPECT_TRUE(test, b[1]->flags & SB_BLK_RECLAIMED);
	KUNIT_EXPECT_NOT_NULL(test, b[3]->page);
	KUNIT_EXPECT_EQ(test, scanned, 3UL);
	KUNIT_EXPECT_EQ(test, t.reclaims, 2);
	KUNIT_EXPECT_EQ(test, t.o.nr_pages, 5UL);
	KUNIT_EXPECT_NULL(test, sb_block_access(b[1]));
	KUNIT_EXPECT_EQ(test, sb_block_pin(b[1]), -ENOENT);

	/* everything left that may go: b[3..5]; never the movable one */
	KUNIT_EXPECT_EQ(test, sb_reclaim_node(m, 0, 100, NULL), 3UL);
	KUNIT_EXPECT_NOT_NULL(test, mov->page);
	KUNIT_EXPECT_EQ(test, m->nodes[0]->nr_lru_pages, 1UL);
	SBT_VERIFY(test, m);
	/* a reclaimed block's record still frees */
	KUNIT_EXPECT_EQ(test, sb_owner_free(&t.o, b[1]), 0);
	sb_owner_release(&t.o);
	KUNIT_EXPECT_EQ(test, m->nodes[0]->nr_lru_pages, 0UL);
	SBT_VERIFY(test, m);
}

/* oom_badness() picks the biggest owner; it loses everything, pins too */
static void sb_owner_oom(struct kunit *test)
{
	struct sb_machine *m = sbt_owner_machine(test);
	struct sbt_owner small = { }, big = { };
	struct sb_block *blk;
	unsigned long freed;
	int i;

	sb_owner_init(&small.o, m, &sbt_ops, "small");
	sb_owner_init(&big.o, m, &sbt_ops, "big");
	KUNIT_ASSERT_FALSE(test, IS_ERR(sb_owner_alloc(&small.o, GFP_KERNEL, 3,
						       NULL)));
	for (i = 0; i < 5; i++) {
		blk = sb_owner_alloc(&big.o, i & 1 ? GFP_KERNEL :
				     GFP_HIGHUSER_MOVABLE, 2, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(blk));
	}
	KUNIT_ASSERT_EQ(test, sb_block_pin(blk), 0);

	mutex_lock(&m->owners_mutex);
	KUNIT_EXPECT_PTR_EQ(test, sb_oom_select(m), &big.o);
	freed = sb_oom_kill_owner(m, &big.o);
	mutex_unlock(&m->owners_mutex);
	KUNIT_EXPECT_EQ(test, freed, 20UL);
	KUNIT_EXPECT_EQ(test, big.o.nr_pages, 0UL);
	KUNIT_EXPECT_TRUE(test, big.o.oom_killed);
	KUNIT_EXPECT_EQ(test, big.reclaims, 5);
	KUNIT_EXPECT_EQ(test, small.o.nr_pages, 8UL);
	KUNIT_EXPECT_EQ(test, sb_vm_event(m, SB_OOM_KILL), 1UL);
	mutex_lock(&m->owners_mutex);
	KUNIT_EXPECT_PTR_EQ(test, sb_oom_select(m), &small.o);
	mutex_unlock(&m->owners_mutex);
	SBT_VERIFY(test, m);
	sb_owner_release(&big.o);
	sb_owner_release(&small.o);
	SBT_VERIFY(test, m);
}

static void sbt_nr_free_all(struct sb_machine *m, unsigned long *nr)
{
	int order;

	sb_drain_all_pages(m, NULL);
	for (order = 0; order < SB_MAX_ORDER; order++)
		nr[order] = sbt_zone(m, 0, SB_ZONE_NORMAL)->free_area[order].nr_free;
}

/*
 * __free_pages() while a speculative reference is held: a non-compound
 * order-3 block keeps its head (order 0, one reference) and its tails go
 * back as the buddy blocks of orders 2, 1 and 0 after it; a compound one
 * keeps everything until the last put.  The final free merges it back.
 */
static void sb_owner_free_held_tails(struct kunit *test)
{
	unsigned long start[SB_MAX_ORDER], before[SB_MAX_ORDER];
	unsigned long after[SB_MAX_ORDER], pfn;
	struct sb_machine *m = sbt_owner_machine(test);
	struct sb_zone *zone = sbt_zone(m, 0, SB_ZONE_NORMAL);
	struct sbt_owner t = { };
	struct sb_block *blk;
	struct sb_page *head;
	long free_pages;
	int order;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	sbt_nr_free_all(m, start);
	blk = sb_owner_alloc(&t.o, GFP_HIGHUSER_MOVABLE, 3, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(blk));
	head = blk->page;
	pfn = sbt_pfn(m, head);
	KUNIT_ASSERT_EQ(test, pfn & 7, 0UL);
	sbt_nr_free_all(m, before);
	free_pages = sb_zone_page_state_snapshot(zone, SB_NR_FREE_PAGES);

	KUNIT_EXPECT_EQ(test, sb_owner_free_held(&t.o, blk), 7L);
	sbt_nr_free_all(m, after);
	for (order = 0; order < SB_MAX_ORDER; order++)
		KUNIT_EXPECT_EQ_MSG(test, after[order],
				    before[order] + (order < 3), "order %d", order);
	KUNIT_EXPECT_EQ(test, sb_zone_page_state_snapshot(zone, SB_NR_FREE_PAGES),
			free_pages + 7);
	/* the chunks of decreasing order, each right after the one before */
	for (order = 2; order >= 0; order--) {
		struct sb_page *p = sbt_page(m, pfn + (1UL << order));

		KUNIT_EXPECT_TRUE(test, p->flags & SB_PG_BUDDY);
		KUNIT_EXPECT_EQ(test, p->order, (unsigned int)order);
	}
	KUNIT_EXPECT_TRUE(test, head->flags & SB_PG_ALLOC);
	KUNIT_EXPECT_EQ(test, sb_page_count(head), 1);
	KUNIT_EXPECT_EQ(test, head->order, 0U);
	KUNIT_EXPECT_EQ(test, blk->order, 0U);
	KUNIT_EXPECT_PTR_EQ(test, blk->page, head);
	KUNIT_EXPECT_PTR_EQ(test, sb_page_block(m, head), blk);
	KUNIT_EXPECT_EQ(test, t.o.nr_pages, 1UL);
	KUNIT_EXPECT_EQ(test, t.unmaps, 1);
	SBT_VERIFY(test, m);
	/* the last reference: the head goes and everything merges back */
	KUNIT_EXPECT_EQ(test, sb_owner_free(&t.o, blk), 0);
	sbt_nr_free_all(m, after);
	for (order = 0; order < SB_MAX_ORDER; order++)
		KUNIT_EXPECT_EQ_MSG(test, after[order], start[order],
				    "order %d", order);
	KUNIT_EXPECT_EQ(test, t.o.nr_pages, 0UL);

	/* compound: the held reference keeps the whole block */
	blk = sb_owner_alloc(&t.o, GFP_HIGHUSER_MOVABLE | __GFP_COMP, 3, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(blk));
	head = blk->page;
	sbt_nr_free_all(m, before);
	KUNIT_EXPECT_EQ(test, sb_owner_free_held(&t.o, blk), 0L);
	sbt_nr_free_all(m, after);
	for (order = 0; order < SB_MAX_ORDER; order++)
		KUNIT_EXPECT_EQ_MSG(test, after[order], before[order],
				    "order %d", order);
	KUNIT_EXPECT_TRUE(test, head->flags & SB_PG_HEAD);
	KUNIT_EXPECT_EQ(test, sb_page_count(head), 1);
	KUNIT_EXPECT_EQ(test, blk->order, 3U);
	KUNIT_EXPECT_EQ(test, t.o.nr_pages, 8UL);
	SBT_VERIFY(test, m);
	KUNIT_EXPECT_EQ(test, sb_owner_free(&t.o, blk), 0);
	sbt_nr_free_all(m, after);
	for (order = 0; order < SB_MAX_ORDER; order++)
		KUNIT_EXPECT_EQ_MSG(test, after[order], start[order],
				    "order %d", order);
	sb_owner_release(&t.o);
	SBT_VERIFY(test, m);
}

/* what it refuses, and a reclaimable block's LRU share shrinking with it */
static void sb_owner_free_held_refusals(struct kunit *test)
{
	struct sb_machine *m = sbt_owner_machine(test);
	struct sbt_owner t = { };
	struct sb_block *pinned, *rec;

	sb_owner_init(&t.o, m, &sbt_ops, "t");
	pinned = sb_owner_alloc(&t.o, GFP_HIGHUSER_MOVABLE, 2, NULL);
	rec = sb_owner_alloc(&t.o, GFP_KERNEL | __GFP_RECLAIMABLE, 2, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pinned));
	KUNIT_ASSERT_FALSE(test, IS_ERR(rec));

	KUNIT_ASSERT_EQ(test, sb_block_pin(pinned), 0);
	KUNIT_EXPECT_EQ(test, sb_owner_free_held(&t.o, pinned), -EBUSY);
	KUNIT_EXPECT_EQ(test, pinned->order, 2U);
	KUNIT_EXPECT_EQ(test, sb_page_count(pinned->page), 1);
	KUNIT_EXPECT_EQ(test, sb_block_unpin(pinned), 0);

	KUNIT_EXPECT_EQ(test, m->nodes[0]->nr_lru_pages, 4UL);
	KUNIT_EXPECT_EQ(test, sb_owner_free_held(&t.o, rec), 3L);
	KUNIT_EXPECT_EQ(test, m->nodes[0]->nr_lru_pages, 1UL);
	KUNIT_EXPECT_EQ(test, t.o.nr_pages, 5UL);
	SBT_VERIFY(test, m);
	/* reclaim takes the page that is left; then there is nothing */
	KUNIT_EXPECT_EQ(test, sb_reclaim_node(m, 0, 8, NULL), 1UL);
	KUNIT_EXPECT_EQ(test, sb_owner_free_held(&t.o, rec), -ENOENT);
	KUNIT_EXPECT_EQ(test, t.o.nr_pages, 4UL);
	sb_owner_release(&t.o);
	KUNIT_EXPECT_EQ(test, m->nodes[0]->nr_lru_pages, 0UL);
	SBT_VERIFY(test, m);
}

static struct kunit_case sb_owner_cases[] = {
	KUNIT_CASE(sb_owner_records),
	KUNIT_CASE(sb_owner_migrate_copies),
	KUNIT_CASE(sb_owner_migrate_refusals),
	KUNIT_CASE(sb_owner_reclaim),
	KUNIT_CASE(sb_owner_oom),
	KUNIT_CASE(sb_owner_free_held_tails),
	KUNIT_CASE(sb_owner_free_held_refusals),
	{}
};

static struct kunit_suite sb_owner_suite = {
	.name = "sbuddy-owner",
	.exit = sbt_exit,
	.test_cases = sb_owner_cases,
};

kunit_test_suite(sb_owner_suite);
