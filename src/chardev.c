// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: the /dev/sbuddy misc device and its ioctl ABI.
 *
 * Each open file is an owner, an emulated task: the blocks it allocates
 * are its own, named by small integer handles (never kernel addresses),
 * and closing the file frees them all.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <linux/sbuddy.h>

#include "abi.h"
#include "sb_core.h"
#include "sbuddy.h"

/**
 * struct sb_owner - one open file of /dev/sbuddy
 * @sb:		the module instance
 * @handles:	handle -> struct sb_handle
 * @il_prev:	the interleave policy's last node, as a task's il_prev
 */
struct sb_owner {
	struct sbuddy *sb;
	struct xarray handles;
	int il_prev;
};

/* One allocation an owner holds. */
struct sb_handle {
	struct sb_page *page;
	unsigned int order;
};

static int sb_open(struct inode *inode, struct file *file)
{
	struct sbuddy *sb = container_of(file->private_data, struct sbuddy, misc);
	struct sb_owner *o;

	/* the node is 0600; refuse a chmod'ed node to the unprivileged too */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	o = kzalloc(sizeof(*o), GFP_KERNEL_ACCOUNT);
	if (!o)
		return -ENOMEM;
	o->sb = sb;
	o->il_prev = -1;
	xa_init_flags(&o->handles, XA_FLAGS_ALLOC1);
	file->private_data = o;
	return 0;
}

static int sb_release(struct inode *inode, struct file *file)
{
	struct sb_owner *o = file->private_data;
	struct sb_handle *h;
	unsigned long id;

	xa_for_each(&o->handles, id, h) {
		sb_free_pages(o->sb->machine, h->page, h->order);
		kfree(h);
		cond_resched();
	}
	xa_destroy(&o->handles);
	kfree(o);
	return 0;
}

static long sb_ioctl_get_api(void __user *argp)
{
	struct sbuddy_api api = {
		.api_version = SBUDDY_API_VERSION,
		.features = SBUDDY_FEAT_REGION | SBUDDY_FEAT_ALLOC,
	};

	if (copy_to_user(argp, &api, sizeof(api)))
		return -EFAULT;
	return 0;
}

static int sb_owner_alloc_one(struct sb_owner *o, gfp_t gfp, unsigned int order,
			      struct sb_mempolicy *pol, u64 __user *uh)
{
	struct sb_machine *m = o->sb->machine;
	struct sb_handle *h;
	struct sb_page *page;
	u32 id;
	int ret;

	h = kmalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	page = sb_alloc_pages_policy(m, gfp, order, pol);
	if (!page) {
		kfree(h);
		return -ENOMEM;
	}
	h->page = page;
	h->order = order;
	ret = xa_alloc(&o->handles, &id, h, xa_limit_31b, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto undo;
	if (put_user((u64)id, uh)) {
		xa_erase(&o->handles, id);
		ret = -EFAULT;
		goto undo;
	}
	return 0;
undo:
	sb_free_pages(m, page, order);
	kfree(h);
	return ret == -EBUSY ? -ENOSPC : ret;
}

static long sb_ioctl_alloc(struct sb_owner *o, void __user *argp)
{
	struct sbuddy_alloc a;
	struct sb_mempolicy pol;
	u64 __user *uh;
	gfp_t gfp;
	long ret = 0;
	u32 i;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if (a.pad || memchr_inv(a.reserved, 0, sizeof(a.reserved)))
		return -EINVAL;
	if (a.order > SBUDDY_MAX_ORDER || !a.count)
		return -EINVAL;
	if (a.count > SBUDDY_BATCH_MAX)
		return -E2BIG;
	if (sb_abi_gfp(a.flags, &gfp))
		return -EINVAL;
	if (sb_abi_policy(o->sb->machine, a.policy, a.nid, a.nodemask, &pol))
		return -EINVAL;
	uh = u64_to_user_ptr(a.handles);

	for (i = 0; i < a.count; i++) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		pol.il_prev = READ_ONCE(o->il_prev);
		ret = sb_owner_alloc_one(o, gfp, a.order, &pol, &uh[i]);
		WRITE_ONCE(o->il_prev, pol.il_prev);
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

static long sb_ioctl_free(struct sb_owner *o, void __user *argp)
{
	struct sbuddy_free f;
	struct sb_handle *h;
	u64 __user *uh;
	long ret = 0;
	u64 id;
	u32 i;

	if (copy_from_user(&f, argp, sizeof(f)))
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
		h = id && id <= U32_MAX ? xa_erase(&o->handles, id) : NULL;
		if (!h) {
			ret = -ENOENT;
			break;
		}
		sb_free_pages(o->sb->machine, h->page, h->order);
		kfree(h);
		if (!(i & 63))
			cond_resched();
	}
	f.done = i;
	f.error = -ret;
	if (copy_to_user(argp, &f, sizeof(f)))
		return -EFAULT;
	return ret;
}

static long sb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct sb_owner *o = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case SBUDDY_IOC_GET_API:
		return sb_ioctl_get_api(argp);
	case SBUDDY_IOC_ALLOC:
		return sb_ioctl_alloc(o, argp);
	case SBUDDY_IOC_FREE:
		return sb_ioctl_free(o, argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations sb_fops = {
	.owner = THIS_MODULE,
	.open = sb_open,
	.release = sb_release,
	.unlocked_ioctl = sb_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

int sb_chardev_init(struct sbuddy *sb)
{
	sb->misc.minor = MISC_DYNAMIC_MINOR;
	sb->misc.name = "sbuddy";
	sb->misc.fops = &sb_fops;
	sb->misc.mode = 0600;
	return misc_register(&sb->misc);
}

void sb_chardev_exit(struct sbuddy *sb)
{
	misc_deregister(&sb->misc);
}
