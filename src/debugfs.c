// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: read-only text views under /sys/kernel/debug/sbuddy/.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include "sbuddy.h"

static int region_show(struct seq_file *m, void *v)
{
	struct sbuddy *sb = m->private;
	const struct sb_region *r = &sb->region;

	seq_printf(m, "start_pfn: %#lx\n", r->start_pfn);
	seq_printf(m, "end_pfn: %#lx\n", r->start_pfn + r->nr_pages);
	seq_printf(m, "nr_pages: %lu\n", r->nr_pages);
	seq_printf(m, "size_kib: %lu\n", r->nr_pages << (PAGE_SHIFT - 10));
	seq_printf(m, "node: %d\n", r->nid);
	seq_printf(m, "zone: %s\n", r->zone_name);
	seq_printf(m, "attempts: %u\n", r->attempts);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(region);

void sb_debugfs_init(struct sbuddy *sb)
{
	/* debugfs errors are not fatal: the allocator works without views */
	sb->debugfs = debugfs_create_dir("sbuddy", NULL);
	debugfs_create_file("region", 0400, sb->debugfs, sb, &region_fops);
}

void sb_debugfs_exit(struct sbuddy *sb)
{
	debugfs_remove_recursive(sb->debugfs);
	sb->debugfs = NULL;
}
