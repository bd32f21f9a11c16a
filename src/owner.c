// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy owners: who holds each allocation and whether it may move.
 *
 * An owner (an emulated task) holds blocks.  A block's migratetype says
 * what may happen to it: movable blocks migrate (their contents are copied
 * for real and the block repointed, as migrate_pages() does for LRU
 * pages), reclaimable blocks are reclaimed (dropped, as clean page cache
 * is), unmovable blocks stay.  A long-term pin (FOLL_LONGTERM) makes
 * migration and reclaim refuse the block; an accessor at work makes async
 * migration fail and sync migration wait a bounded time.
 *
 * Locks: m->owners_mutex (the owner list, OOM kills), then o->lock (the
 * owner's blocks and their states), then node->lru_lock.  Lockless
 * lookups of m->owner_map run under RCU; blocks are freed after a grace
 * period and sb_owner_release() waits one before its caller frees the
 * owner.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fault.h"
#include "sb_internal.h"

/* a block being freed: lookups that raced with the free skip it */
#define SB_BLK_DEAD	0x80

/* how long sync migration waits for accessors, as a migrate mode would */
#define SB_BUSY_WAIT_SYNC_LIGHT_MS	10
#define SB_BUSY_WAIT_SYNC_MS		100

static unsigned long sb_blk_off(struct sb_machine *m, struct sb_page *page)
{
	return page - m->pages;
}

/* the migratetype the request asked for, even with grouping disabled */
static int sb_gfp_block_type(gfp_t gfp)
{
	if (gfp & __GFP_MOVABLE)
		return SB_MIGRATE_MOVABLE;
	if (gfp & __GFP_RECLAIMABLE)
		return SB_MIGRATE_RECLAIMABLE;
	return SB_MIGRATE_UNMOVABLE;
}

/*
 * The zone's share of its node's LRU, as NR_ZONE_INACTIVE_FILE: what
 * zone_reclaimable_pages() reads.  Added straight to the zone counter
 * (no per-cpu delta): the LRU lock does not disable interrupts.
 */
static void sb_lru_account(struct sb_machine *m, struct sb_page *page,
			   long nr)
{
	atomic_long_add(nr, &sb_page_zone(m, page)->vm_stat[SB_NR_ZONE_INACTIVE_FILE]);
}

/* lru_cache_add() for a reclaimable block; o->lock held */
static void sb_lru_add(struct sb_machine *m, struct sb_block *blk)
{
	struct sb_node *node = m->nodes[blk->page->nid];

	spin_lock(&node->lru_lock);
	list_add(&blk->lru, &node->lru);
	node->nr_lru_pages += 1UL << blk->order;
	spin_unlock(&node->lru_lock);
	sb_lru_account(m, blk->page, 1L << blk->order);
}

/* o->lock held; the block has its page */
static void sb_lru_del(struct sb_machine *m, struct sb_block *blk)
{
	struct sb_node *node = m->nodes[blk->page->nid];

	bool was = false;

	spin_lock(&node->lru_lock);
	if (!list_empty(&blk->lru)) {
		list_del_init(&blk->lru);
		node->nr_lru_pages -= 1UL << blk->order;
		was = true;
	}
	spin_unlock(&node->lru_lock);
	if (was)
		sb_lru_account(m, blk->page, -(1L << blk->order));
}

/**
 * sb_owner_init - make @o an owner on @m
 * @o:		the owner, embedded in the caller's structure
 * @m:		the machine
 * @ops:	callbacks (may be NULL)
 * @comm:	a name for messages
 */
void sb_owner_init(struct sb_owner *o, struct sb_machine *m,
		   const struct sb_owner_ops *ops, const char *comm)
{
	memset(o, 0, sizeof(*o));
	o->machine = m;
	o->ops = ops;
	spin_lock_init(&o->lock);
	INIT_LIST_HEAD(&o->blocks);
	init_waitqueue_head(&o->wait);
	strscpy(o->comm, comm ?: "", sizeof(o->comm));
	mutex_lock(&m->owners_mutex);
	list_add_tail(&o->node, &m->owners);
	mutex_unlock(&m->owners_mutex);
}

/* wait until no migration or reclaim holds @blk; o->lock held, dropped */
static void sb_wait_unisolated(struct sb_owner *o, struct sb_block *blk)
	__must_hold(&o->lock)
{
	while (blk->flags & SB_BLK_ISOLATED) {
		spin_unlock(&o->lock);
		wait_event(o->wait, !(READ_ONCE(blk->flags) & SB_BLK_ISOLATED));
		spin_lock(&o->lock);
	}
}

/**
 * sb_owner_alloc - allocate a block for @o
 * @o:		the owner
 * @gfp:	gfp flags; __GFP_MOVABLE and __GFP_RECLAIMABLE also decide
 *		whether the block may migrate or be reclaimed
 * @order:	0..10
 * @pol:	memory policy, NULL for the default
 *
 * Return: the block, or ERR_PTR(-ENOMEM) (nothing allocated; always
 * once an OOM kill took the owner's pages).
 */
struct sb_block *sb_owner_alloc(struct sb_owner *o, gfp_t gfp,
				unsigned int order, struct sb_mempolicy *pol)
{
	gfp_t meta = (gfp & __GFP_DIRECT_RECLAIM) ? GFP_KERNEL :
		     GFP_ATOMIC | __GFP_NOWARN;
	struct sb_machine *m = o->machine;
	struct sb_block *blk;
	struct sb_page *page;

	/* an OOM victim is dying: it allocates nothing more */
	if (READ_ONCE(o->oom_killed))
		return ERR_PTR(-ENOMEM);
	blk = sb_should_fail(SB_FAULT_OWNER) ? NULL : kzalloc(sizeof(*blk), meta);
	if (!blk)
		return ERR_PTR(-ENOMEM);
	page = sb_alloc_pages_policy(m, gfp, order, pol);
	if (!page) {
		kfree(blk);
		return ERR_PTR(-ENOMEM);
	}
	blk->page = page;
	blk->owner = o;
	blk->order = order;
	blk->migratetype = sb_gfp_block_type(gfp);
	INIT_LIST_HEAD(&blk->lru);

	spin_lock(&o->lock);
	if (unlikely(o->oom_killed)) {
		/* killed while it allocated: the page goes with the rest */
		spin_unlock(&o->lock);
		sb_free_pages(m, page, order);
		kfree(blk);
		return ERR_PTR(-ENOMEM);
	}
	list_add_tail(&blk->link, &o->blocks);
	o->nr_pages += 1UL << order;
	WRITE_ONCE(m->owner_map[sb_blk_off(m, page)], blk);
	if (blk->migratetype == SB_MIGRATE_RECLAIMABLE)
		sb_lru_add(m, blk);
	spin_unlock(&o->lock);
	return blk;
}

/* a block's pages go back: contiguous ones page by page, as they came */
static void sb_block_free_pages(struct sb_machine *m, struct sb_block *blk,
				struct sb_page *page)
{
	if (!(blk->flags & SB_BLK_CONTIG))
		sb_free_pages(m, page, blk->order);
	else if (blk->flags & SB_BLK_CMA)
		sb_cma_release(m, page, 1UL << blk->order);
	else
		sb_free_contig_range(m, sb_page_to_pfn(m, page),
				     1UL << blk->order);
}

/**
 * sb_owner_add_block - make 2^@order pages that are already allocated a
 * block of @o (contiguous ranges, CMA)
 * @o:		the owner
 * @page:	the first page
 * @order:	2^@order pages
 * @flags:	SB_BLK_CONTIG, with SB_BLK_CMA for cma_alloc() pages
 *
 * The block is unmovable: neither migration nor reclaim takes it.
 * Return: the block, or ERR_PTR(-ENOMEM) (no memory for the record, or @o
 * was OOM-killed; the pages stay the caller's).
 */
struct sb_block *sb_owner_add_block(struct sb_owner *o, struct sb_page *page,
				    unsigned int order, unsigned int flags)
{
	struct sb_machine *m = o->machine;
	struct sb_block *blk;

	blk = kzalloc(sizeof(*blk), GFP_KERNEL);
	if (!blk)
		return ERR_PTR(-ENOMEM);
	blk->page = page;
	blk->owner = o;
	blk->order = order;
	blk->migratetype = SB_MIGRATE_UNMOVABLE;
	blk->flags = flags;
	INIT_LIST_HEAD(&blk->lru);

	spin_lock(&o->lock);
	if (unlikely(o->oom_killed)) {
		/* an OOM victim gets nothing more, as in sb_owner_alloc() */
		spin_unlock(&o->lock);
		kfree(blk);
		return ERR_PTR(-ENOMEM);
	}
	list_add_tail(&blk->link, &o->blocks);
	o->nr_pages += 1UL << order;
	WRITE_ONCE(m->owner_map[sb_blk_off(m, page)], blk);
	spin_unlock(&o->lock);
	return blk;
}

/**
 * sb_owner_free - free @blk, waiting for a migration or reclaim of it
 * @o:		its owner
 * @blk:	the block; gone on return
 *
 * A reclaimed block has no pages left; only the record goes.
 * Return: 0, or -EINVAL when @blk is not @o's.
 */
int sb_owner_free(struct sb_owner *o, struct sb_block *blk)
{
	struct sb_machine *m = o->machine;
	struct sb_page *page;

	if (blk->owner != o)
		return -EINVAL;
	spin_lock(&o->lock);
	sb_wait_unisolated(o, blk);
	/* no new accessor may start; the ones at work finish first */
	blk->flags |= SB_BLK_DEAD;
	while (blk->busy) {
		spin_unlock(&o->lock);
		wait_event(o->wait, !READ_ONCE(blk->busy));
		spin_lock(&o->lock);
	}
	spin_unlock(&o->lock);
	/* user mappings go before the pages do */
	if (blk->page && o->ops && o->ops->unmap)
		o->ops->unmap(blk);

	spin_lock(&o->lock);
	page = blk->page;
	if (page) {
		sb_lru_del(m, blk);
		WRITE_ONCE(m->owner_map[sb_blk_off(m, page)], NULL);
		o->nr_pages -= 1UL << blk->order;
		blk->page = NULL;
	}
	list_del(&blk->link);
	spin_unlock(&o->lock);
	if (page)
		sb_block_free_pages(m, blk, page);
	kfree_rcu(blk, rcu);
	return 0;
}

/**
 * sb_owner_free_held - __free_pages() on @blk while someone else holds a
 * reference to its first page (a GUP-fast or page-cache lookup's
 * get_page() that raced with the free)
 * @o:		its owner
 * @blk:	the block
 *
 * The owner's reference goes through sb_free_pages() and the held one
 * becomes the owner's: a non-compound block of order > 0 keeps its first
 * page as an order-0 block and its tail pages are freed now; a compound
 * block is kept whole until its last put.  Waits for a migration or
 * reclaim of it and for its accessors, as sb_owner_free() does.
 * Return: the pages freed, or -ENOENT (reclaimed or being freed),
 * -EINVAL (contiguous or CMA: not freed through __free_pages()), -EBUSY
 * (long-term pinned: the pin holds every page of it).
 */
long sb_owner_free_held(struct sb_owner *o, struct sb_block *blk)
{
	struct sb_machine *m = o->machine;
	struct sb_page *page;
	unsigned int order;
	bool on_lru, split;
	long nr = 0;

	if (blk->owner != o)
		return -EINVAL;
	spin_lock(&o->lock);
	sb_wait_unisolated(o, blk);
	if (!blk->page || (blk->flags & SB_BLK_DEAD))
		nr = -ENOENT;
	else if (blk->flags & SB_BLK_CONTIG)
		nr = -EINVAL;
	else if (blk->pins)
		nr = -EBUSY;
	if (nr) {
		spin_unlock(&o->lock);
		return nr;
	}
	/* isolated: migration, reclaim, pins and new accessors wait */
	blk->flags |= SB_BLK_ISOLATED;
	page = blk->page;
	order = blk->order;
	split = order && !(page->flags & SB_PG_HEAD);
	on_lru = split && !list_empty(&blk->lru);
	if (on_lru)
		sb_lru_del(m, blk);
	spin_unlock(&o->lock);
	wait_event(o->wait, !READ_ONCE(blk->busy));
	/* user mappings of the tail pages go before the pages do */
	if (split && o->ops && o->ops->unmap)
		o->ops->unmap(blk);

	/* the speculative reference, then __free_pages() */
	sb_get_page(m, page);
	sb_free_pages(m, page, order);

	spin_lock(&o->lock);
	if (split) {
		nr = (1L << order) - 1;
		o->nr_pages -= nr;
		blk->order = 0;
		if (on_lru)
			sb_lru_add(m, blk);
	}
	blk->flags &= ~SB_BLK_ISOLATED;
	spin_unlock(&o->lock);
	wake_up_all(&o->wait);
	return nr;
}

/**
 * sb_owner_release - free every block of @o and take it off the machine
 * @o:		the owner
 *
 * Waits for a grace period, so the caller may free @o afterwards.
 */
void sb_owner_release(struct sb_owner *o)
{
	struct sb_machine *m = o->machine;
	struct sb_block *blk;

	mutex_lock(&m->owners_mutex);
	list_del_init(&o->node);
	mutex_unlock(&m->owners_mutex);
	for (;;) {
		spin_lock(&o->lock);
		blk = list_first_entry_or_null(&o->blocks, struct sb_block,
					       link);
		spin_unlock(&o->lock);
		if (!blk)
			break;
		sb_owner_free(o, blk);
		cond_resched();
	}
	synchronize_rcu();
}

/**
 * sb_block_pin - a long-term pin (pin_user_pages(FOLL_LONGTERM))
 * @blk:	the block
 *
 * Return: 0, -ENOENT when the block was reclaimed, -EOVERFLOW at INT_MAX
 * pins.
 */
int sb_block_pin(struct sb_block *blk)
{
	struct sb_owner *o = blk->owner;
	int ret = 0;

	spin_lock(&o->lock);
	sb_wait_unisolated(o, blk);
	if (!blk->page || (blk->flags & SB_BLK_DEAD))
		ret = -ENOENT;
	else if (blk->pins == INT_MAX)
		ret = -EOVERFLOW;
	else
		blk->pins++;
	spin_unlock(&o->lock);
	return ret;
}

/**
 * sb_block_unpin - drop a pin
 * @blk:	the block
 *
 * Return: 0, or -EINVAL when it holds none.
 */
int sb_block_unpin(struct sb_block *blk)
{
	struct sb_owner *o = blk->owner;
	int ret = 0;

	spin_lock(&o->lock);
	if (blk->pins > 0)
		blk->pins--;
	else
		ret = -EINVAL;
	spin_unlock(&o->lock);
	return ret;
}

/**
 * sb_block_access - start using @blk's contents (a fault, a fill, a
 * checksum): it will not move or be dropped until sb_block_access_end()
 * @blk:	the block
 *
 * Waits for a migration of it to finish.  Return: its first page, or
 * NULL when it was reclaimed.
 */
struct sb_page *sb_block_access(struct sb_block *blk)
{
	struct sb_owner *o = blk->owner;
	struct sb_page *page;

	spin_lock(&o->lock);
	sb_wait_unisolated(o, blk);
	page = (blk->flags & SB_BLK_DEAD) ? NULL : blk->page;
	if (page)
		blk->busy++;
	spin_unlock(&o->lock);
	return page;
}

/**
 * sb_block_access_nowait - sb_block_access() for a page fault under RCU
 * @blk:	the block, looked up under rcu_read_lock()
 * @again:	out: true when it is being migrated (fault again later)
 *
 * Return: its first page (end with sb_block_access_end()), or NULL.
 */
struct sb_page *sb_block_access_nowait(struct sb_block *blk, bool *again)
{
	struct sb_owner *o = blk->owner;
	struct sb_page *page = NULL;

	*again = false;
	spin_lock(&o->lock);
	if (blk->flags & SB_BLK_ISOLATED)
		*again = true;
	else if (!(blk->flags & SB_BLK_DEAD))
		page = blk->page;
	if (page)
		blk->busy++;
	spin_unlock(&o->lock);
	return page;
}

/**
 * sb_block_access_end - done with @blk's contents
 * @blk:	the block sb_block_access() returned a page for
 */
void sb_block_access_end(struct sb_block *blk)
{
	struct sb_owner *o = blk->owner;
	bool wake;

	spin_lock(&o->lock);
	wake = !--blk->busy;
	spin_unlock(&o->lock);
	if (wake)
		wake_up_all(&o->wait);
}

/**
 * sb_page_block - the block whose first page is @page (page->mapping)
 * @m:		the machine
 * @page:	a page of @m
 *
 * Call under rcu_read_lock() or with the owner's lock; the block may be
 * on its way out (check its state under the owner's lock).
 * Return: the block or NULL.
 */
struct sb_block *sb_page_block(struct sb_machine *m, struct sb_page *page)
{
	return READ_ONCE(m->owner_map[sb_blk_off(m, page)]);
}

/**
 * sb_isolate_block - take the movable block starting at @page out of its
 * owner's hands for migration (isolate_migratepages_block()'s checks and
 * isolate_lru_page())
 * @m:		the machine
 * @page:	the first page of an allocation
 * @mode:	ASYNC fails at once on a contended owner or a busy block;
 *		SYNC_LIGHT and SYNC wait 10 and 100 ms for accessors
 *
 * Return: the block, isolated (free, pin and access wait for it), or
 * ERR_PTR: -ENOENT (not an owned allocation), -EINVAL (not movable),
 * -EBUSY (pinned), -EAGAIN (contended or busy).
 */
struct sb_block *sb_isolate_block(struct sb_machine *m, struct sb_page *page,
				  enum sb_migrate_mode mode)
{
	struct sb_block *blk;
	struct sb_owner *o;
	long timeout;
	int ret;

	rcu_read_lock();
	blk = sb_page_block(m, page);
	if (!blk) {
		rcu_read_unlock();
		return ERR_PTR(-ENOENT);
	}
	o = blk->owner;
	if (mode == SB_MIGRATE_ASYNC) {
		if (!spin_trylock(&o->lock)) {
			rcu_read_unlock();
			sb_count_vm_events(m, SB_EV_BUSY_MIGRATE_FAIL, 1);
			return ERR_PTR(-EAGAIN);
		}
	} else {
		spin_lock(&o->lock);
	}
	ret = 0;
	if (blk->page != page ||
	    (blk->flags & (SB_BLK_ISOLATED | SB_BLK_RECLAIMED | SB_BLK_DEAD)))
		ret = -ENOENT;
	else if (blk->migratetype != SB_MIGRATE_MOVABLE)
		ret = -EINVAL;
	else if (blk->pins)
		ret = -EBUSY;
	else if (blk->busy && mode == SB_MIGRATE_ASYNC)
		ret = -EAGAIN;
	if (ret) {
		spin_unlock(&o->lock);
		rcu_read_unlock();
		if (ret == -EBUSY)
			sb_count_vm_events(m, SB_EV_PIN_MIGRATE_FAIL, 1);
		else if (ret == -EAGAIN)
			sb_count_vm_events(m, SB_EV_BUSY_MIGRATE_FAIL, 1);
		return ERR_PTR(ret);
	}
	/* isolated: from here the block cannot be freed under us */
	blk->flags |= SB_BLK_ISOLATED;
	spin_unlock(&o->lock);
	rcu_read_unlock();

	if (!READ_ONCE(blk->busy))
		return blk;
	timeout = msecs_to_jiffies(mode == SB_MIGRATE_SYNC ?
				   SB_BUSY_WAIT_SYNC_MS :
				   SB_BUSY_WAIT_SYNC_LIGHT_MS);
	if (wait_event_timeout(o->wait, !READ_ONCE(blk->busy), timeout))
		return blk;
	sb_putback_block(blk);
	sb_count_vm_events(m, SB_EV_BUSY_MIGRATE_FAIL, 1);
	return ERR_PTR(-EAGAIN);
}

/**
 * sb_putback_block - putback_movable_pages(): give an isolated block back
 * @blk:	the block sb_isolate_block() returned
 */
void sb_putback_block(struct sb_block *blk)
{
	struct sb_owner *o = blk->owner;

	spin_lock(&o->lock);
	blk->flags &= ~SB_BLK_ISOLATED;
	spin_unlock(&o->lock);
	wake_up_all(&o->wait);
}

/* the target takes the shape of the source allocation */
static void sb_migrate_prep_target(struct sb_machine *m, struct sb_block *blk,
				   struct sb_page *src, struct sb_page *dst)
{
	unsigned long i, nr = 1UL << blk->order;

	for (i = 0; i < nr; i++)
		dst[i].migratetype = src[i].migratetype;
	if ((src->flags & SB_PG_HEAD) && !(dst->flags & SB_PG_HEAD)) {
		dst->flags |= SB_PG_HEAD;
		for (i = 1; i < nr; i++) {
			dst[i].flags |= SB_PG_TAIL;
			dst[i].private = i;
		}
	}
}

/**
 * sb_migrate_isolated - move an isolated block's contents to @dst
 * (unmap_and_move(): unmap, copy, switch, free the old pages)
 * @m:		the machine
 * @blk:	the block, isolated
 * @dst:	an allocation of the block's order (from compaction_alloc()
 *		or sb_alloc_pages()), not owned; it becomes the block's
 *
 * The old pages are freed and the block is no longer isolated.
 */
void sb_migrate_isolated(struct sb_machine *m, struct sb_block *blk,
			 struct sb_page *dst)
{
	struct sb_owner *o = blk->owner;
	struct sb_page *src = blk->page;
	unsigned int order = blk->order;

	if (o->ops && o->ops->unmap)
		o->ops->unmap(blk);
	memcpy(sb_page_address(m, dst), sb_page_address(m, src),
	       PAGE_SIZE << order);
	sb_migrate_prep_target(m, blk, src, dst);

	spin_lock(&o->lock);
	WRITE_ONCE(m->owner_map[sb_blk_off(m, src)], NULL);
	WRITE_ONCE(m->owner_map[sb_blk_off(m, dst)], blk);
	blk->page = dst;
	blk->nr_migrated++;
	blk->flags &= ~SB_BLK_ISOLATED;
	spin_unlock(&o->lock);
	wake_up_all(&o->wait);
	sb_count_vm_events(m, SB_PGMIGRATE_SUCCESS, 1L << order);
	sb_free_pages(m, src, order);
}

/**
 * sb_migrate_block_to - migrate the block at @page to a new allocation
 * (alloc_migration_target() + migrate_pages() for one block)
 * @m:		the machine
 * @page:	the block's first page
 * @mode:	migrate mode
 * @gfp:	for the target; its mobility is the block's
 * @nid:	preferred node of the target, NUMA_NO_NODE for the block's
 *
 * Return: 0, -ENOMEM (no target; counted as pgmigrate_fail) or
 * sb_isolate_block()'s errors.
 */
int sb_migrate_block_to(struct sb_machine *m, struct sb_page *page,
			enum sb_migrate_mode mode, gfp_t gfp, int nid)
{
	struct sb_block *blk = sb_isolate_block(m, page, mode);
	struct sb_page *dst;

	if (IS_ERR(blk))
		return PTR_ERR(blk);
	if (page->flags & SB_PG_HEAD)
		gfp |= __GFP_COMP;
	dst = sb_should_fail(SB_FAULT_MIGRATE) ? NULL :
	      sb_alloc_pages(m, gfp | __GFP_MOVABLE | __GFP_NOWARN, blk->order,
			     nid == NUMA_NO_NODE ? page->nid : nid, NULL);
	if (!dst) {
		sb_putback_block(blk);
		sb_count_vm_events(m, SB_PGMIGRATE_FAIL, 1L << blk->order);
		return -ENOMEM;
	}
	sb_migrate_isolated(m, blk, dst);
	return 0;
}

/* drop a block's pages: reclaim and OOM; the block is isolated */
static unsigned long sb_drop_block(struct sb_machine *m, struct sb_block *blk)
{
	struct sb_owner *o = blk->owner;
	unsigned long nr = 1UL << blk->order;
	struct sb_page *page;

	/* isolated: no accessor starts; let the ones at work finish */
	wait_event(o->wait, !READ_ONCE(blk->busy));
	if (o->ops && o->ops->unmap)
		o->ops->unmap(blk);
	spin_lock(&o->lock);
	page = blk->page;
	WRITE_ONCE(m->owner_map[sb_blk_off(m, page)], NULL);
	blk->page = NULL;
	blk->pins = 0;
	blk->flags |= SB_BLK_RECLAIMED;
	o->nr_pages -= nr;
	o->nr_reclaimed++;
	spin_unlock(&o->lock);
	sb_block_free_pages(m, blk, page);
	sb_count_vm_events(m, SB_EV_RECLAIMED_BLOCKS, 1);
	if (o->ops && o->ops->reclaimed)
		o->ops->reclaimed(blk);
	/* only now may the owner free the record */
	sb_putback_block(blk);
	return nr;
}

/*
 * isolate_lru_folios() for one block, lru_lock held: o->lock nests
 * outside lru_lock, so only a trylock here.  Pinned, busy or isolated
 * blocks stay.
 */
static bool sb_lru_isolate(struct sb_node *node, struct sb_block *blk)
{
	struct sb_owner *o = blk->owner;
	bool take = false;

	if (!spin_trylock(&o->lock))
		return false;
	if (!blk->pins && !blk->busy &&
	    !(blk->flags & (SB_BLK_ISOLATED | SB_BLK_DEAD))) {
		list_del_init(&blk->lru);
		node->nr_lru_pages -= 1UL << blk->order;
		sb_lru_account(blk->owner->machine, blk->page,
			       -(1L << blk->order));
		blk->flags |= SB_BLK_ISOLATED;
		take = true;
	}
	spin_unlock(&o->lock);
	return take;
}

/**
 * sb_reclaim_node - shrink_folio_list() over a node's LRU: drop the
 * oldest reclaimable blocks that are neither pinned nor in use
 * @m:		the machine
 * @nid:	the node
 * @nr_to_reclaim: pages wanted
 * @nr_scanned:	out: pages looked at (may be NULL)
 *
 * Blocks it cannot take now (pinned, busy, a contended owner) go back to
 * the head of the LRU.  Looks at each page at most twice.
 * Return: pages reclaimed.
 */
unsigned long sb_reclaim_node(struct sb_machine *m, int nid,
			      unsigned long nr_to_reclaim,
			      unsigned long *nr_scanned)
{
	struct sb_node *node = m->nodes[nid];
	unsigned long reclaimed = 0, scanned = 0, limit;

	spin_lock(&node->lru_lock);
	limit = 2 * node->nr_lru_pages;
	spin_unlock(&node->lru_lock);

	while (reclaimed < nr_to_reclaim && scanned < limit) {
		struct sb_block *blk;
		bool take;

		rcu_read_lock();
		spin_lock(&node->lru_lock);
		if (list_empty(&node->lru)) {
			spin_unlock(&node->lru_lock);
			rcu_read_unlock();
			break;
		}
		blk = list_last_entry(&node->lru, struct sb_block, lru);
		scanned += 1UL << blk->order;
		take = sb_lru_isolate(node, blk);
		if (!take)
			list_move(&blk->lru, &node->lru);
		spin_unlock(&node->lru_lock);
		rcu_read_unlock();
		if (take)
			reclaimed += sb_drop_block(m, blk);
		cond_resched();
	}
	if (nr_scanned)
		*nr_scanned = scanned;
	return reclaimed;
}

/**
 * sb_reclaim_block - reclaim_clean_pages_from_list() for the reclaimable
 * block starting at @page: drop it unless pinned or in use
 * @m:		the machine
 * @page:	the first page of an allocation
 *
 * For contiguous allocation, which reclaims clean page cache in its range
 * instead of migrating it.  Return: pages reclaimed (0: not a reclaimable
 * owner block, or it could not be taken now).
 */
unsigned long sb_reclaim_block(struct sb_machine *m, struct sb_page *page)
{
	struct sb_node *node = m->nodes[page->nid];
	struct sb_block *blk;
	bool take = false;

	rcu_read_lock();
	blk = sb_page_block(m, page);
	if (blk && blk->migratetype == SB_MIGRATE_RECLAIMABLE) {
		spin_lock(&node->lru_lock);
		if (READ_ONCE(blk->page) == page && !list_empty(&blk->lru))
			take = sb_lru_isolate(node, blk);
		spin_unlock(&node->lru_lock);
	}
	rcu_read_unlock();
	return take ? sb_drop_block(m, blk) : 0;
}

/**
 * sb_oom_select - select_bad_process(): the owner with the most pages
 * @m:		the machine
 *
 * oom_badness() ranks tasks by the memory they hold; an owner's pages
 * are all it has.  Owners of kernel threads (oom_unkillable) are
 * skipped.  Return: the owner or NULL; valid while the caller
 * holds m->owners_mutex.
 */
struct sb_owner *sb_oom_select(struct sb_machine *m)
{
	struct sb_owner *o, *victim = NULL;
	unsigned long most = 0;

	lockdep_assert_held(&m->owners_mutex);
	list_for_each_entry(o, &m->owners, node) {
		unsigned long nr = READ_ONCE(o->nr_pages);

		if (o->oom_unkillable)
			continue;
		if (nr > most) {
			most = nr;
			victim = o;
		}
	}
	return victim;
}

/**
 * sb_oom_kill_owner - oom_kill_process(): @o loses every block it holds,
 * pinned or not, as a killed task's memory goes when it exits
 * @m:		the machine
 * @o:		the victim, from sb_oom_select() under m->owners_mutex
 *
 * Its blocks stay as records marked reclaimed.  Return: pages freed.
 */
unsigned long sb_oom_kill_owner(struct sb_machine *m, struct sb_owner *o)
{
	unsigned long freed = 0;
	struct sb_block *blk, *next;
	LIST_HEAD(done);

	lockdep_assert_held(&m->owners_mutex);
	/* from now on it allocates nothing (sb_owner_alloc()) */
	spin_lock(&o->lock);
	o->oom_killed = true;
	spin_unlock(&o->lock);
	for (;;) {
		struct sb_block *victim = NULL;

		spin_lock(&o->lock);
		list_for_each_entry_safe(blk, next, &o->blocks, link) {
			if (blk->flags & SB_BLK_ISOLATED) {
				/* a migration holds it: wait and look again */
				sb_wait_unisolated(o, blk);
				victim = NULL;
				break;
			}
			list_move_tail(&blk->link, &done);
			/* a block being freed is its owner's to finish */
			if (blk->page && !(blk->flags & SB_BLK_DEAD)) {
				victim = blk;
				break;
			}
		}
		if (victim) {
			if (victim->migratetype == SB_MIGRATE_RECLAIMABLE)
				sb_lru_del(m, victim);
			victim->flags |= SB_BLK_ISOLATED;
		}
		if (!victim && list_empty(&o->blocks)) {
			list_splice(&done, &o->blocks);
			o->oom_killed = true;
			spin_unlock(&o->lock);
			break;
		}
		spin_unlock(&o->lock);
		if (victim)
			freed += sb_drop_block(m, victim);
		cond_resched();
	}
	sb_count_vm_events(m, SB_OOM_KILL, 1);
	sb_count_vm_events(m, SB_EV_OOM_PAGES, freed);
	pr_warn_ratelimited("sbuddy: out of memory: killed owner %s, %lu pages freed\n",
			    o->comm, freed);
	return freed;
}
