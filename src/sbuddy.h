/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy: the module instance and the interfaces built on top of the core.
 */
#ifndef _SBUDDY_H
#define _SBUDDY_H

#include <linux/miscdevice.h>
#include <linux/xarray.h>

#include "region.h"

/**
 * struct sbuddy - the one instance the module creates from its parameters
 * @region:	the host memory it runs on
 * @machine:	the emulated machine over @region
 * @debugfs:	/sys/kernel/debug/sbuddy
 * @misc:	/dev/sbuddy
 * @handles:	handle -> struct sb_block, for every open file: ids are
 *		unique across files, so each names its own mmap window
 */
struct sbuddy {
	struct sb_region region;
	struct sb_machine *machine;
	struct dentry *debugfs;
	struct miscdevice misc;
	struct xarray handles;
};

void sb_debugfs_init(struct sbuddy *sb);
void sb_workload_debugfs_init(struct sbuddy *sb);
void sb_workload_exit(struct sbuddy *sb);
void sb_debugfs_exit(struct sbuddy *sb);
int sb_chardev_init(struct sbuddy *sb);
void sb_chardev_exit(struct sbuddy *sb);
void sb_bench_debugfs_init(struct sbuddy *sb);
void sb_bench_exit(struct sbuddy *sb);

#endif /* _SBUDDY_H */
