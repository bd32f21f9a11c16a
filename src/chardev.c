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
#include <linux/sched.h>
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
 * struct sb_file - one open file of /dev/sbuddy: an owner
 * @sb:		the module instance
 * @owner:	the core's owner record; its blocks are the file's
 * @handles:	handle -> struct sb_block
 * @il_prev:	the interleave policy's last node, as a task's il_prev
 */
struct sb_file {
	struct sbuddy *sb;
	struct sb_owner owner;
	struct xarray handles;
	int il_prev;
};

static int sb_open(struct inode *inode, struct file *file)
{
	struct sbuddy *sb = container_of(file->private_data, struct sbuddy, misc);
	char comm[16];
	struct sb_file *f;

	/* the node is 0600; refuse a chmod'ed node to the unprivileged too */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	f->sb = sb;
	f->il_prev = -1;
	xa_init_flags(&f->handles, XA_FLAGS_ALLOC1);
	snprintf(comm, sizeof(comm), "%d", task_tgid_nr(current));
	sb_owner_init(&f->owner, sb->machine, NULL, comm);
	file->private_data = f;
	return 0;
}

static int sb_release(struct inode *inode, struct file *file)
{
	struct sb_file *f = file->private_data;

	/* frees every block; the handles only name them */
	sb_owner_release(&f->owner);
	xa_destroy(&f->handles);
	kfree(f);
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

static int sb_file_alloc_one(struct sb_file *f, gfp_t gfp, unsigned int order,
			     struct sb_mempolicy *pol, u64 __user *uh)
{
	struct sb_block *blk;
	u32 id;
	int ret;

	blk = sb_owner_alloc(&f->owner, gfp, order, pol);
	if (IS_ERR(blk))
		return PTR_ERR(blk);
	ret = xa_alloc(&f->handles, &id, blk, xa_limit_31b, GFP_KERNEL_ACCOUNT);
	if (ret)
		goto undo;
	if (put_user((u64)id, uh)) {
		xa_erase(&f->handles, id);
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

static long sb_ioctl_free(struct sb_file *file, void __user *argp)
{
	struct sbuddy_free f;
	struct sb_block *blk;
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
		blk = id && id <= U32_MAX ? xa_erase(&file->handles, id) : NULL;
		if (!blk) {
			ret = -ENOENT;
			break;
		}
		sb_owner_free(&file->owner, blk);
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
	struct sb_file *f = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case SBUDDY_IOC_GET_API:
		return sb_ioctl_get_api(argp);
	case SBUDDY_IOC_ALLOC:
		return sb_ioctl_alloc(f, argp);
	case SBUDDY_IOC_FREE:
		return sb_ioctl_free(f, argp);
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
