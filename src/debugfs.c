// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: read-only text views under /sys/kernel/debug/sbuddy/.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "sb_core.h"
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

/* The /proc-format views of the core, mm/vmstat.c's formats. */
#define SB_VIEW(name)							\
static int name##_show(struct seq_file *m, void *v)			\
{									\
	struct sbuddy *sb = m->private;					\
									\
	return sb_show_##name(m, sb->machine);				\
}									\
DEFINE_SHOW_ATTRIBUTE(name)

SB_VIEW(buddyinfo);
SB_VIEW(pagetypeinfo);
SB_VIEW(zoneinfo);
SB_VIEW(vmstat);

/* "ok", or the first inconsistency sb_verify() finds. */
static int verify_show(struct seq_file *m, void *v)
{
	struct sbuddy *sb = m->private;
	char *buf = kmalloc(256, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	buf[0] = 0;
	if (sb_verify(sb->machine, buf, 256))
		seq_printf(m, "%s\n", buf[0] ? buf : "inconsistent");
	else
		seq_puts(m, "ok\n");
	kfree(buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(verify);

void sb_debugfs_init(struct sbuddy *sb)
{
	/* debugfs errors are not fatal: the allocator works without views */
	sb->debugfs = debugfs_create_dir("sbuddy", NULL);
	debugfs_create_file("region", 0400, sb->debugfs, sb, &region_fops);
	debugfs_create_file("buddyinfo", 0400, sb->debugfs, sb, &buddyinfo_fops);
	debugfs_create_file("pagetypeinfo", 0400, sb->debugfs, sb, &pagetypeinfo_fops);
	debugfs_create_file("zoneinfo", 0400, sb->debugfs, sb, &zoneinfo_fops);
	debugfs_create_file("vmstat", 0400, sb->debugfs, sb, &vmstat_fops);
	debugfs_create_file("verify", 0400, sb->debugfs, sb, &verify_fops);
}

void sb_debugfs_exit(struct sbuddy *sb)
{
	debugfs_remove_recursive(sb->debugfs);
	sb->debugfs = NULL;
}
