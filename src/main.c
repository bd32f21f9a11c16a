// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: a shadow buddy allocator.  Module parameters, load and unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>

#include "sbuddy.h"

static char *size = "128M";
module_param(size, charp, 0444);
MODULE_PARM_DESC(size, "Region to borrow from the host, memparse syntax, a multiple of the pageblock size (default 128M)");

static int node = NUMA_NO_NODE;
module_param(node, int, 0444);
MODULE_PARM_DESC(node, "Host node to borrow from (default: the first online node)");

static struct sbuddy sbuddy;

static int __init sbuddy_init(void)
{
	unsigned long nr_pages;
	int nid = node, ret;

	ret = sb_region_parse_size(size, pageblock_nr_pages, &nr_pages);
	if (ret) {
		pr_err("size=%s: not a positive multiple of the %lu KiB pageblock\n",
		       size, pageblock_nr_pages << (PAGE_SHIFT - 10));
		return ret;
	}
	if (nid == NUMA_NO_NODE)
		nid = first_online_node;
	if (nid < 0 || nid >= MAX_NUMNODES || !node_online(nid)) {
		pr_err("node=%d: no such online node\n", node);
		return -EINVAL;
	}

	ret = sb_region_borrow(&sbuddy.region, nid, nr_pages);
	if (ret)
		return ret;

	ret = sb_chardev_init(&sbuddy);
	if (ret) {
		pr_err("cannot register /dev/sbuddy: %d\n", ret);
		sb_region_return(&sbuddy.region);
		return ret;
	}
	sb_debugfs_init(&sbuddy);
	pr_info("borrowed %lu MiB at pfn %#lx from node %d zone %s\n",
		sbuddy.region.nr_pages >> (20 - PAGE_SHIFT),
		sbuddy.region.start_pfn, sbuddy.region.nid,
		sbuddy.region.zone_name);
	return 0;
}

static void __exit sbuddy_exit(void)
{
	sb_debugfs_exit(&sbuddy);
	sb_chardev_exit(&sbuddy);
	sb_region_return(&sbuddy.region);
}

module_init(sbuddy_init);
module_exit(sbuddy_exit);
MODULE_DESCRIPTION("sbuddy: a shadow buddy allocator over borrowed memory");
MODULE_LICENSE("GPL");
