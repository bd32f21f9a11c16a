// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: the /dev/sbuddy misc device and its ioctl ABI.
 *
 * Each open file is an owner, an emulated task: the blocks it allocates
 * are its own, named by small integer handles (never kernel addresses),
 * and closing the file frees them all.  A handle's block can be mapped
 * into the process; migration zaps the mapping (the next access faults
 * onto the new pages) and reclaim leaves a SIGBUS behind, as a truncated
 * file would.
 */
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/crc32.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <linux/sbuddy.h>

#include "abi.h"
#include "fault.h"
#include "sb_config.h"
#include "sb_core.h"
#include "sbuddy.h"
#include "workload.h"

/* pages of the mmap window of one handle */
#define SB_MMAP_WINDOW_PAGES	(1UL << (SBUDDY_MMAP_SHIFT - PAGE_SHIFT))

/**
 * struct sb_file - one open file of /dev/sbuddy: an owner
 * @sb:		the module instance
 * @owner:	the core's owner record; its blocks are the file's
 * @mapping:	the address space its mappings live in (zapped per handle)
 * @lock:	ioctls that use a handle hold it shared, freeing a handle
 *		holds it exclusive, so a block is not freed under a query
 * @il_prev:	the interleave policy's last node, as a task's il_prev
 * @wl_lock:	the workload fields below
 * @wl:		the file's workload run (it holds its own blocks), or NULL
 * @wl_waiters:	WORKLOAD_WAITs sleeping on @wl: a START may not free it
 */
struct sb_file {
	struct sbuddy *sb;
	struct sb_owner owner;
	struct address_space *mapping;
	struct rw_semaphore lock;
	int il_prev;
	struct mutex wl_lock;	/* @wl, @wl_waiters */
	struct sb_wl_run *wl;
	int wl_waiters;
};

static struct sb_file *sb_owner_file(struct sb_owner *o)
{
	return container_of(o, struct sb_file, owner);
}

/* the handle of a block: its id in sb->handles */
static unsigned long sb_block_handle(struct sb_block *blk)
{
	return (unsigned long)blk->private;
}

/* before migration or reclaim: no user PTE may point at the old pages */
static void sb_file_unmap(struct sb_block *blk)
{
	struct sb_file *f = sb_owner_file(blk->owner);

	if (f->mapping)
		unmap_mapping_range(f->mapping,
				    (loff_t)SBUDDY_MMAP_OFFSET(sb_block_handle(blk)),
				    PAGE_SIZE << blk->order, 1);
}

static const struct sb_owner_ops sb_file_ops = {
	.unmap = sb_file_unmap,
};

static int sb_open(struct inode *inode, struct file *file)
{
	struct sbuddy *sb = container_of(file->private_data, struct sbuddy, misc);
	char comm[16];
	struct sb_file *f;

	/* the node is 0600; refuse a chmod'ed node to the unprivileged too */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f = sb_should_fail(SB_FAULT_OWNER) ? NULL :
	    kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	f->sb = sb;
	f->il_prev = -1;
	f->mapping = file->f_mapping;
	init_rwsem(&f->lock);
	mutex_init(&f->wl_lock);
	snprintf(comm, sizeof(comm), "%d", task_tgid_nr(current));
	sb_owner_init(&f->owner, sb->machine, &sb_file_ops, comm);
	file->private_data = f;
	return 0;
}

static int sb_release(struct inode *inode, struct file *file)
{
	struct sb_file *f = file->private_data;
	struct sb_block *blk;
	unsigned long id;

	/* no mapping is left: the handles go, then every block */
	xa_for_each(&f->sb->handles, id, blk)
		if (blk->owner == &f->owner)
			xa_erase(&f->sb->handles, id);
	f->mapping = NULL;
	/* a run still going stops here: its threads see the stop at once */
	sb_wl_release(f->wl);
	sb_owner_release(&f->owner);
	kfree(f);
	return 0;
}

/* the file's block named @id, or NULL; under rcu_read_lock() */
static struct sb_block *sb_lookup_rcu(struct sb_file *f, u64 id)
{
	struct sb_block *blk;

	if (!id || id > U32_MAX)
		return NULL;
	blk = xa_load(&f->sb->handles, id);
	return blk && blk->owner == &f->owner ? blk : NULL;
}

/* The file's block named @id for an ioctl: sb_lookup_done() ends its use. */
static struct sb_block *sb_lookup(struct sb_file *f, u64 id)
{
	struct sb_block *blk;

	if (!id || id > U32_MAX)
		return NULL;
	down_read(&f->lock);
	blk = xa_load(&f->sb->handles, id);
	if (blk && blk->owner == &f->owner)
		return blk;
	up_read(&f->lock);
	return NULL;
}

static void sb_lookup_done(struct sb_file *f)
{
	up_read(&f->lock);
}

/*
 * Copy an in/out argument in and write it straight back: a structure the
 * caller cannot write fails with -EFAULT before anything is done, rather
 * than after a block was allocated, freed, pinned or filled.
 */
static int sb_copy_inout(void *karg, void __user *argp, size_t size)
{
	if (copy_from_user(karg, argp, size) || copy_to_user(argp, karg, size))
		return -EFAULT;
	return 0;
}

static long sb_ioctl_get_api(void __user *argp)
{
	struct sbuddy_api api = {
		.api_version = SBUDDY_API_VERSION,
		.features = SBUDDY_FEAT_REGION | SBUDDY_FEAT_ALLOC |
			    SBUDDY_FEAT_PIN | SBUDDY_FEAT_QUERY |
			    SBUDDY_FEAT_FILL | SBUDDY_FEAT_MMAP |
			    SBUDDY_FEAT_DRAIN | SBUDDY_FEAT_VERIFY |
			    SBUDDY_FEAT_CONTIG | SBUDDY_FEAT_WORKLOAD,
	};

	api.features |= SBUDDY_FEAT_HELD_FREE;
	if (copy_to_user(argp, &api, sizeof(api)))
		return -EFAULT;
	return 0;
}

static int sb_file_alloc_one(struct sb_file *f, gfp_t gfp, unsigned int order,
			     struct sb_mempolicy *pol, u64 __user *uh)
{
	struct sb_block *blk;
	u32 id;
	int ret;

	blk = sb_owner_alloc(&f->owner, gfp, order, pol);
	if (IS_ERR(blk))
		return PTR_ERR(blk);
	ret = xa_alloc(&f->sb->handles, &id, blk, xa_limit_31b,
		       GFP_KERNEL_ACCOUNT);
	if (ret)
		goto undo;
	blk->private = (void *)(unsigned long)id;
	if (put_user((u64)id, uh)) {
		xa_erase(&f->sb->handles, id);
		ret = -EFAULT;
		goto undo;
	}
	return 0;
undo:
	sb_owner_free(&f->owner, blk);
	return ret == -EBUSY ? -ENOSPC : ret;
}

static long sb_ioctl_alloc(struct sb_file *f, void __user *argp)
{
	struct sbuddy_alloc a;
	struct sb_mempolicy pol;
	u64 __user *uh;
	gfp_t gfp;
	long ret = 0;
	u32 i;

	if (sb_copy_inout(&a, argp, sizeof(a)))
		return -EFAULT;
	if (a.pad || memchr_inv(a.reserved, 0, sizeof(a.reserved)))
		return -EINVAL;
	if (a.order > SBUDDY_MAX_ORDER || !a.count)
		return -EINVAL;
	if (a.count > SBUDDY_BATCH_MAX)
		return -E2BIG;
	if (sb_abi_gfp(a.flags, &gfp))
		return -EINVAL;
	if (sb_abi_policy(f->sb->machine, a.policy, a.nid, a.nodemask, &pol))
		return -EINVAL;
	uh = u64_to_user_ptr(a.handles);

	for (i = 0; i < a.count; i++) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		pol.il_prev = READ_ONCE(f->il_prev);
		ret = sb_file_alloc_one(f, gfp, a.order, &pol, &uh[i]);
		WRITE_ONCE(f->il_prev, pol.il_prev);
		if (ret)
			break;
		if (!(i & 63))
			cond_resched();
	}
	a.done = i;
	a.error = -ret;
	if (copy_to_user(argp, &a, sizeof(a)))
		return -EFAULT;
	return ret;
}

/* free the file's block named @id: -ENOENT when there is none */
static int sb_free_handle(struct sb_file *f, u64 id)
{
	struct sb_block *blk = NULL;

	if (!id || id > U32_MAX)
		return -ENOENT;
	down_write(&f->lock);
	xa_lock(&f->sb->handles);
	blk = xa_load(&f->sb->handles, id);
	if (blk && blk->owner == &f->owner)
		__xa_erase(&f->sb->handles, id);
	else
		blk = NULL;
	xa_unlock(&f->sb->handles);
	if (blk)
		sb_owner_free(&f->owner, blk);
	up_write(&f->lock);
	return blk ? 0 : -ENOENT;
}

static long sb_ioctl_free(struct sb_file *file, void __user *argp)
{
	struct sbuddy_free f;
	u64 __user *uh;
	long ret = 0;
	u64 id;
	u32 i;

	if (sb_copy_inout(&f, argp, sizeof(f)))
		return -EFAULT;
	if (f.pad || memchr_inv(f.reserved, 0, sizeof(f.reserved)) || !f.count)
		return -EINVAL;
	if (f.count > SBUDDY_BATCH_MAX)
		return -E2BIG;
	uh = u64_to_user_ptr(f.handles);

	for (i = 0; i < f.count; i++) {
		if (get_user(id, &uh[i])) {
			ret = -EFAULT;
			break;
		}
		ret = sb_free_handle(file, id);
		if (ret)
			break;
		if (!(i & 63))
			cond_resched();
	}
	f.done = i;
	f.error = -ret;
	if (copy_to_user(argp, &f, sizeof(f)))
		return -EFAULT;
	return ret;
}

static long sb_ioctl_pin(struct sb_file *f, void __user *argp, bool pin)
{
	struct sbuddy_handle_arg h;
	struct sb_block *blk;
	long ret;

	if (sb_copy_inout(&h, argp, sizeof(h)))
		return -EFAULT;
	if (h.pad || memchr_inv(h.reserved, 0, sizeof(h.reserved)))
		return -EINVAL;
	blk = sb_lookup(f, h.handle);
	if (!blk)
		return -ENOENT;
	ret = pin ? sb_block_pin(blk) : sb_block_unpin(blk);
	h.pins = READ_ONCE(blk->pins);
	if (!ret && copy_to_user(argp, &h, sizeof(h))) {
		/* the caller sees a failure: leave the pins as they were */
		if (pin)
			sb_block_unpin(blk);
		else
			sb_block_pin(blk);
		ret = -EFAULT;
	}
	sb_lookup_done(f);
	return ret;
}

static long sb_ioctl_query(struct sb_file *f, void __user *argp)
{
	struct sb_machine *m = f->sb->machine;
	struct sbuddy_query q;
	struct sb_block *blk;
	struct sb_page *page;
	u64 id;

	if (sb_copy_inout(&q, argp, sizeof(q)))
		return -EFAULT;
	if (memchr_inv(q.reserved, 0, sizeof(q.reserved)))
		return -EINVAL;
	id = q.handle;
	blk = sb_lookup(f, id);
	if (!blk)
		return -ENOENT;
	memset(&q, 0, sizeof(q));
	q.handle = id;
	page = sb_block_access(blk);
	q.order = blk->order;
	q.alloc_type = blk->migratetype;
	q.nr_migrated = READ_ONCE(blk->nr_migrated);
	q.pins = READ_ONCE(blk->pins);
	if (page) {
		q.pfn = sb_page_to_pfn(m, page);
		q.nid = page->nid;
		q.zone = page->zone_idx;
		q.pageblock_type = sb_get_pfnblock_migratetype(m, q.pfn);
		q.state = SBUDDY_STATE_LIVE;
		sb_block_access_end(blk);
	} else {
		q.state = SBUDDY_STATE_RECLAIMED;
	}
	sb_lookup_done(f);
	if (copy_to_user(argp, &q, sizeof(q)))
		return -EFAULT;
	return 0;
}

static long sb_ioctl_fill(struct sb_file *f, void __user *argp, bool fill)
{
	struct sb_machine *m = f->sb->machine;
	struct sbuddy_fill a;
	struct sb_block *blk;
	struct sb_page *page;
	size_t i, words;
	u64 *p;

	if (sb_copy_inout(&a, argp, sizeof(a)))
		return -EFAULT;
	if (a.pad || memchr_inv(a.reserved, 0, sizeof(a.reserved)) ||
	    (!fill && a.seed))
		return -EINVAL;
	blk = sb_lookup(f, a.handle);
	if (!blk)
		return -ENOENT;
	page = sb_block_access(blk);
	if (!page) {
		sb_lookup_done(f);
		return -ESTALE;
	}
	p = sb_page_address(m, page);
	words = (PAGE_SIZE << blk->order) / sizeof(u64);
	if (fill) {
		for (i = 0; i < words; i++) {
			p[i] = sbuddy_pattern(a.seed, i);
			if (!(i & 4095))
				cond_resched();
		}
	}
	/* crc32 of zlib: crc32_le() with ~0 in and out */
	a.crc32 = ~crc32_le(~0U, (const u8 *)p, words * sizeof(u64));
	sb_block_access_end(blk);
	sb_lookup_done(f);
	if (copy_to_user(argp, &a, sizeof(a)))
		return -EFAULT;
	return 0;
}

static long sb_ioctl_drain(struct sb_file *f, void __user *argp)
{
	struct sb_machine *m = f->sb->machine;
	struct sbuddy_drain d;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	if (memchr_inv(d.reserved, 0, sizeof(d.reserved)))
		return -EINVAL;
	switch (d.scope) {
	case SBUDDY_DRAIN_ALL:
		if (d.cpu)
			return -EINVAL;
		sb_drain_all_pages(m, NULL);
		return 0;
	case SBUDDY_DRAIN_LOCAL:
		if (d.cpu)
			return -EINVAL;
		migrate_disable();
		sb_drain_local_pages(m, NULL);
		migrate_enable();
		return 0;
	case SBUDDY_DRAIN_CPU:
		if (d.cpu >= nr_cpu_ids || !cpu_possible(d.cpu))
			return -EINVAL;
		sb_drain_pages(m, d.cpu);
		return 0;
	default:
		return -EINVAL;
	}
}

static long sb_ioctl_verify(struct sb_file *f, void __user *argp)
{
	struct sbuddy_verify *v;
	long ret = 0;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	if (sb_verify(f->sb->machine, v->message, sizeof(v->message))) {
		v->status = EUCLEAN;
		/* one line, without the newline the debugfs file prints */
		v->message[strcspn(v->message, "\n")] = '\0';
		if (!v->message[0])
			strscpy(v->message, "inconsistent", sizeof(v->message));
	} else {
		strscpy(v->message, "ok", sizeof(v->message));
	}
	if (copy_to_user(argp, v, sizeof(*v)))
		ret = -EFAULT;
	kfree(v);
	return ret;
}

/* give @blk a handle; on failure it is freed */
static int sb_file_publish(struct sb_file *f, struct sb_block *blk, u32 *id)
{
	int ret = xa_alloc(&f->sb->handles, id, blk, xa_limit_31b,
			   GFP_KERNEL_ACCOUNT);

	if (ret) {
		sb_owner_free(&f->owner, blk);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	blk->private = (void *)(unsigned long)*id;
	return 0;
}

/*
 * Give @blk a handle, put it in *@handle and copy the ioctl's struct
 * (@arg, @size bytes) out to @argp; a failed copy takes the handle back.
 */
static long sb_file_publish_out(struct sb_file *f, struct sb_block *blk,
				__u64 *handle, void __user *argp,
				const void *arg, size_t size)
{
	u32 id;
	int ret = sb_file_publish(f, blk, &id);

	if (ret)
		return ret;
	*handle = id;
	if (copy_to_user(argp, arg, size)) {
		sb_free_handle(f, id);
		return -EFAULT;
	}
	return 0;
}

static long sb_ioctl_alloc_contig(struct sb_file *f, void __user *argp)
{
	struct sb_machine *m = f->sb->machine;
	unsigned long pfn, failed = 0;
	struct sbuddy_contig c;
	struct sb_block *blk;
	int nid = NUMA_NO_NODE;
	long ret;

	if (sb_copy_inout(&c, argp, sizeof(c)))
		return -EFAULT;
	if (c.pad || memchr_inv(c.reserved, 0, sizeof(c.reserved)) ||
	    c.order > SBUDDY_MAX_ORDER)
		return -EINVAL;
	switch (c.mode) {
	case SBUDDY_CONTIG_RANGE:
		/* host pfns: for the root-only device, checked again */
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (c.nid || c.pfn < m->base_pfn || c.pfn >= m->end_pfn ||
		    m->end_pfn - c.pfn < (1UL << c.order))
			return -EINVAL;
		pfn = c.pfn;
		break;
	case SBUDDY_CONTIG_SEARCH:
		if (c.pfn || c.nid >= m->nr_nodes)
			return -EINVAL;
		pfn = ULONG_MAX;
		nid = c.nid;
		break;
	default:
		return -EINVAL;
	}
	blk = sb_owner_alloc_contig(&f->owner, pfn, c.order, nid, &failed);
	c.handle = 0;
	c.failed_pfn = 0;
	if (IS_ERR(blk)) {
		ret = PTR_ERR(blk);
		if (ret == -EBUSY)
			c.failed_pfn = failed;
		if (copy_to_user(argp, &c, sizeof(c)))
			return -EFAULT;
		return ret;
	}
	c.pfn = sb_page_to_pfn(m, blk->page);
	return sb_file_publish_out(f, blk, &c.handle, argp, &c, sizeof(c));
}

static long sb_ioctl_cma_alloc(struct sb_file *f, void __user *argp)
{
	struct sb_machine *m = f->sb->machine;
	struct sbuddy_cma c;
	struct sb_block *blk;

	if (sb_copy_inout(&c, argp, sizeof(c)))
		return -EFAULT;
	if (memchr_inv(c.reserved, 0, sizeof(c.reserved)) ||
	    c.order > SBUDDY_MAX_ORDER || c.align > SBUDDY_MAX_ORDER)
		return -EINVAL;
	blk = sb_owner_cma_alloc(&f->owner, c.order, c.align);
	if (IS_ERR(blk))
		return PTR_ERR(blk);
	c.pfn = sb_page_to_pfn(m, blk->page);
	return sb_file_publish_out(f, blk, &c.handle, argp, &c, sizeof(c));
}

/* __free_pages() with a speculative reference held: the tail-page rule */
static long sb_ioctl_free_held(struct sb_file *f, void __user *argp)
{
	struct sbuddy_free_held h;
	struct sb_block *blk;
	long ret;

	if (sb_copy_inout(&h, argp, sizeof(h)))
		return -EFAULT;
	if (memchr_inv(h.reserved, 0, sizeof(h.reserved)))
		return -EINVAL;
	blk = sb_lookup(f, h.handle);
	if (!blk)
		return -ENOENT;
	ret = sb_owner_free_held(&f->owner, blk);
	h.order = READ_ONCE(blk->order);
	sb_lookup_done(f);
	if (ret < 0)
		return ret;
	h.nr_freed = ret;
	if (copy_to_user(argp, &h, sizeof(h)))
		return -EFAULT;
	return 0;
}

/* workloads: one run per file, its blocks held by the run's own owner */
static long sb_ioctl_wl_start(struct sb_file *f, void __user *argp)
{
	struct sbuddy_workload_start a;
	struct sb_wl_error err = { 0 };
	struct sb_wl_spec *spec;
	struct sb_wl_run *run;
	char *text;
	long ret;

	if (sb_copy_inout(&a, argp, sizeof(a)))
		return -EFAULT;
	if (!a.len || a.len > SBUDDY_WL_SPEC_MAX || a.flags)
		return -EINVAL;
	text = memdup_user_nul(u64_to_user_ptr(a.spec), a.len);
	if (IS_ERR(text))
		return PTR_ERR(text);
	spec = sb_wl_spec_from_text(f->sb->machine, text, &err);
	kfree(text);
	if (IS_ERR(spec)) {
		ret = PTR_ERR(spec);
		spec = NULL;
		a.error_line = err.line;
		strscpy(a.error, err.msg, sizeof(a.error));
		goto out;
	}
	mutex_lock(&f->wl_lock);
	if (f->wl && (f->wl_waiters || !completion_done(&f->wl->done))) {
		mutex_unlock(&f->wl_lock);
		ret = -EBUSY;
		goto out;
	}
	sb_wl_release(f->wl);
	f->wl = NULL;
	run = sb_wl_start(f->sb->machine, spec);
	if (IS_ERR(run)) {
		ret = PTR_ERR(run);
	} else {
		f->wl = run;
		a.threads = spec->nr_cpus;
	}
	mutex_unlock(&f->wl_lock);
out:
	kfree(spec);
	if ((!ret || ret == -EINVAL || ret == -E2BIG) &&
	    copy_to_user(argp, &a, sizeof(a)))
		ret = ret ?: -EFAULT;
	return ret;
}

static void sb_wl_to_user(const struct sb_wl_result *r,
			  struct sbuddy_workload_result *u)
{
	int i;

	for (i = 0; i < SB_MAX_ORDER; i++) {
		u->alloc_ok[i] = r->alloc_ok[i];
		u->alloc_fail[i] = r->alloc_fail[i];
	}
	for (i = 0; i < SB_WL_HIST; i++) {
		u->alloc_ns[i] = r->alloc_ns[i];
		u->free_ns[i] = r->free_ns[i];
	}
	u->frees = r->frees;
	u->held_pages = r->pages;
	u->held_blocks = r->blocks;
	u->extfrag = r->events[0];
	u->extfrag_fragmenting = r->events[1];
	u->steal_pageblock = r->events[2];
	u->steal_unclaimed = r->events[0] - min(r->events[0], r->events[2]);
	u->compact_stall = r->events[3];
	u->compact_success = r->events[4];
	u->compact_fail = r->events[5];
	u->compact_migrate_scanned = r->events[6];
	u->compact_free_scanned = r->events[7];
	u->pgmigrate_success = r->events[8];
	u->elapsed_ns = r->elapsed_ns;
}

static long sb_ioctl_wl_wait(struct sb_file *f, void __user *argp)
{
	struct sbuddy_workload_result *u;
	struct sb_wl_result *r;
	struct sb_wl_run *run;
	long ret;

	mutex_lock(&f->wl_lock);
	run = f->wl;
	if (run)
		f->wl_waiters++;
	mutex_unlock(&f->wl_lock);
	if (!run)
		return -ENOENT;
	ret = sb_wl_wait(run, false) ? -EINTR : 0;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	mutex_lock(&f->wl_lock);
	f->wl_waiters--;
	if (!ret && (!u || !r))
		ret = -ENOMEM;
	if (!ret) {
		ret = sb_wl_finish(run, r);
		u->status = ret == -EINTR ? SBUDDY_WL_STOPPED : SBUDDY_WL_DONE;
		u->threads = run->spec.nr_cpus;
		if (ret == -EINTR)
			ret = 0;
	}
	mutex_unlock(&f->wl_lock);
	if ((!ret || ret == -ENOMEM) && u && r) {
		sb_wl_to_user(r, u);
		if (copy_to_user(argp, u, sizeof(*u)))
			ret = -EFAULT;
	}
	kfree(r);
	kfree(u);
	return ret;
}

static long sb_ioctl_wl_stop(struct sb_file *f)
{
	long ret = 0;

	mutex_lock(&f->wl_lock);
	if (f->wl)
		sb_wl_stop(f->wl);
	else
		ret = -ENOENT;
	mutex_unlock(&f->wl_lock);
	return ret;
}

static long sb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct sb_file *f = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case SBUDDY_IOC_GET_API:
		return sb_ioctl_get_api(argp);
	case SBUDDY_IOC_ALLOC:
		return sb_ioctl_alloc(f, argp);
	case SBUDDY_IOC_FREE:
		return sb_ioctl_free(f, argp);
	case SBUDDY_IOC_PIN:
		return sb_ioctl_pin(f, argp, true);
	case SBUDDY_IOC_UNPIN:
		return sb_ioctl_pin(f, argp, false);
	case SBUDDY_IOC_QUERY:
		return sb_ioctl_query(f, argp);
	case SBUDDY_IOC_FILL:
		return sb_ioctl_fill(f, argp, true);
	case SBUDDY_IOC_CHECKSUM:
		return sb_ioctl_fill(f, argp, false);
	case SBUDDY_IOC_DRAIN:
		return sb_ioctl_drain(f, argp);
	case SBUDDY_IOC_VERIFY:
		return sb_ioctl_verify(f, argp);
	case SBUDDY_IOC_ALLOC_CONTIG:
		return sb_ioctl_alloc_contig(f, argp);
	case SBUDDY_IOC_CMA_ALLOC:
		return sb_ioctl_cma_alloc(f, argp);
	case SBUDDY_IOC_FREE_HELD:
		return sb_ioctl_free_held(f, argp);
	case SBUDDY_IOC_WORKLOAD_START:
		return sb_ioctl_wl_start(f, argp);
	case SBUDDY_IOC_WORKLOAD_WAIT:
		return sb_ioctl_wl_wait(f, argp);
	case SBUDDY_IOC_WORKLOAD_STOP:
		return sb_ioctl_wl_stop(f);
	default:
		return -ENOTTY;
	}
}

/*
 * A fault maps one page of the block as it is now.  While the block is
 * being migrated the fault retries; once reclaimed or freed it is SIGBUS.
 */
static vm_fault_t sb_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct sb_file *f = vma->vm_private_data;
	u64 id = vmf->pgoff / SB_MMAP_WINDOW_PAGES;
	unsigned long idx = vmf->pgoff % SB_MMAP_WINDOW_PAGES;
	struct sb_block *blk;
	struct sb_page *page = NULL;
	bool again = false;
	vm_fault_t ret;

	rcu_read_lock();
	blk = sb_lookup_rcu(f, id);
	if (blk && idx < (1UL << blk->order))
		page = sb_block_access_nowait(blk, &again);
	/* SBUDDY_IOC_FREE_HELD may have cut the block before we got in */
	if (page && idx >= (1UL << READ_ONCE(blk->order))) {
		sb_block_access_end(blk);
		page = NULL;
	}
	rcu_read_unlock();
	if (again) {
		cond_resched();
		return VM_FAULT_NOPAGE;
	}
	if (!page)
		return VM_FAULT_SIGBUS;
	ret = vmf_insert_pfn(vma, vmf->address,
			     sb_page_to_pfn(f->sb->machine, page) + idx);
	sb_block_access_end(blk);
	return ret;
}

static const struct vm_operations_struct sb_vm_ops = {
	.fault = sb_vm_fault,
};

/*
 * mmap at SBUDDY_MMAP_OFFSET(handle) (+ a page index): a shared mapping of
 * at most the rest of the block.  Pages are inserted by pfn on fault.
 */
static int sb_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct sb_file *f = file->private_data;
	u64 id = vma->vm_pgoff / SB_MMAP_WINDOW_PAGES;
	unsigned long idx = vma->vm_pgoff % SB_MMAP_WINDOW_PAGES;
	struct sb_block *blk;
	int ret = 0;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	rcu_read_lock();
	blk = sb_lookup_rcu(f, id);
	if (!blk)
		ret = -ENOENT;
	else if (idx + vma_pages(vma) > (1UL << blk->order))
		ret = -EINVAL;
	rcu_read_unlock();
	if (ret)
		return ret;
#ifdef SB_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
#else
	vma->vm_flags |= VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
#endif
	vma->vm_private_data = f;
	vma->vm_ops = &sb_vm_ops;
	return 0;
}

static const struct file_operations sb_fops = {
	.owner = THIS_MODULE,
	.open = sb_open,
	.release = sb_release,
	.unlocked_ioctl = sb_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = sb_mmap,
	.llseek = noop_llseek,
};

int sb_chardev_init(struct sbuddy *sb)
{
	xa_init_flags(&sb->handles, XA_FLAGS_ALLOC1);
	sb->misc.minor = MISC_DYNAMIC_MINOR;
	sb->misc.name = "sbuddy";
	sb->misc.fops = &sb_fops;
	sb->misc.mode = 0600;
	return misc_register(&sb->misc);
}

void sb_chardev_exit(struct sbuddy *sb)
{
	misc_deregister(&sb->misc);
	xa_destroy(&sb->handles);
}
