// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: the /dev/sbuddy misc device and its ioctl ABI.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>

#include <linux/sbuddy.h>

#include "sbuddy.h"

static int sb_open(struct inode *inode, struct file *file)
{
	/* the node is 0600; refuse a chmod'ed node to the unprivileged too */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

static long sb_ioctl_get_api(void __user *argp)
{
	struct sbuddy_api api = {
		.api_version = SBUDDY_API_VERSION,
		.features = SBUDDY_FEAT_REGION,
	};

	if (copy_to_user(argp, &api, sizeof(api)))
		return -EFAULT;
	return 0;
}

static long sb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case SBUDDY_IOC_GET_API:
		return sb_ioctl_get_api(argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations sb_fops = {
	.owner = THIS_MODULE,
	.open = sb_open,
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
