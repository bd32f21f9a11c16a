// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: text views (read-only, root-only) and the writable vm/ knobs
 * under /sys/kernel/debug/sbuddy/.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "fault.h"
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
SB_VIEW(pcp);
SB_VIEW(extfrag_index);
SB_VIEW(unusable_index);
SB_VIEW(pageblocks);
SB_VIEW(cma);

/*
 * drain: "all" (drain_all_pages), "local" (drain_local_pages on the
 * writer's CPU) or "cpu N" (drain_pages of a possible CPU N).
 */
static ssize_t drain_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct sbuddy *sb = file->private_data;
	char buf[32], *p;
	unsigned int cpu;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	p = strim(buf);
	if (!strcmp(p, "all")) {
		sb_drain_all_pages(sb->machine, NULL);
	} else if (!strcmp(p, "local")) {
		/* stay on this CPU so that "local" means the writer's */
		migrate_disable();
		sb_drain_local_pages(sb->machine, NULL);
		migrate_enable();
	} else if (!strncmp(p, "cpu ", 4)) {
		if (kstrtouint(skip_spaces(p + 4), 10, &cpu) ||
		    cpu >= nr_cpu_ids || !cpu_possible(cpu))
			return -EINVAL;
		sb_drain_pages(sb->machine, cpu);
	} else {
		return -EINVAL;
	}
	return len;
}

static const struct file_operations drain_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = drain_write,
	.llseek = noop_llseek,
};

/* "ok", or the first inconsistency sb_verify() finds. */
static int verify_show(struct seq_file *m, void *v)
{
	struct sbuddy *sb = m->private;
	char *buf = kmalloc(256, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	buf[0] = 0;
	if (sb_verify(sb->machine, buf, 256))
		/* the message ends with its own newline */
		seq_printf(m, "%s", buf[0] ? buf : "inconsistent\n");
	else
		seq_puts(m, "ok\n");
	kfree(buf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(verify);

/*
 * Writable knobs under vm/, with the kernel's sysctl names and ranges;
 * a write the sysctl handler would refuse fails with -EINVAL.
 */
static int sb_knob_get(struct sbuddy *sb, const char *name)
{
	struct sb_machine *m = sb->machine;

	if (!strcmp(name, "min_free_kbytes"))
		return READ_ONCE(m->min_free_kbytes);
	if (!strcmp(name, "watermark_scale_factor"))
		return READ_ONCE(m->watermark_scale_factor);
	if (!strcmp(name, "percpu_pagelist_high_fraction"))
		return READ_ONCE(m->percpu_pagelist_high_fraction);
	if (!strcmp(name, "legacy_cold_pages"))
		return READ_ONCE(m->legacy_cold_pages);
	if (!strcmp(name, "page_group_by_mobility_disabled"))
		return READ_ONCE(m->page_group_by_mobility_disabled);
	if (!strcmp(name, "compaction_proactiveness"))
		return READ_ONCE(m->compaction_proactiveness);
	if (!strcmp(name, "extfrag_threshold"))
		return READ_ONCE(m->extfrag_threshold);
	if (!strcmp(name, "compaction_enabled"))
		return READ_ONCE(m->compaction_enabled);
	return READ_ONCE(m->watermark_boost_factor);
}

static int sb_knob_set(struct sbuddy *sb, const char *name, int val)
{
	struct sb_machine *m = sb->machine;

	if (!strcmp(name, "min_free_kbytes"))
		return sb_set_min_free_kbytes(m, val);
	if (!strcmp(name, "watermark_scale_factor"))
		return sb_set_watermark_scale_factor(m, val);
	if (!strcmp(name, "percpu_pagelist_high_fraction"))
		return sb_set_percpu_pagelist_high_fraction(m, val);
	if (!strcmp(name, "legacy_cold_pages"))
		return sb_set_legacy_cold_pages(m, val);
	if (!strcmp(name, "page_group_by_mobility_disabled"))
		return sb_set_page_group_by_mobility_disabled(m, val);
	if (!strcmp(name, "compaction_proactiveness"))
		return sb_set_compaction_proactiveness(m, val);
	if (!strcmp(name, "extfrag_threshold"))
		return sb_set_extfrag_threshold(m, val);
	if (!strcmp(name, "compaction_enabled")) {
		/* a switch, as proc_dointvec_minmax with 0..1 */
		if (val < 0 || val > 1)
			return -EINVAL;
		WRITE_ONCE(m->compaction_enabled, val);
		return 0;
	}
	return sb_set_watermark_boost_factor(m, val);
}

static int knob_show(struct seq_file *m, void *v)
{
	const struct file *file = m->file;

	seq_printf(m, "%d\n", sb_knob_get(m->private, file->f_path.dentry->d_name.name));
	return 0;
}

static int knob_open(struct inode *inode, struct file *file)
{
	return single_open(file, knob_show, inode->i_private);
}

static ssize_t knob_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	int val, ret;

	/* as proc_dointvec_minmax(): unparsable or out of int range */
	if (kstrtoint_from_user(ubuf, len, 10, &val))
		return -EINVAL;
	ret = sb_knob_set(m->private, file->f_path.dentry->d_name.name, val);
	return ret ? ret : len;
}

static const struct file_operations knob_fops = {
	.owner = THIS_MODULE,
	.open = knob_open,
	.read = seq_read,
	.write = knob_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* lowmem_reserve_ratio: one value per zone, tab-separated as the sysctl */
static int lowmem_reserve_ratio_show(struct seq_file *m, void *v)
{
	struct sbuddy *sb = m->private;
	int i;

	for (i = 0; i < SB_MAX_NR_ZONES; i++)
		seq_printf(m, "%d%c", READ_ONCE(sb->machine->lowmem_reserve_ratio[i]),
			   i == SB_MAX_NR_ZONES - 1 ? '\n' : '\t');
	return 0;
}

static int lowmem_reserve_ratio_open(struct inode *inode, struct file *file)
{
	return single_open(file, lowmem_reserve_ratio_show, inode->i_private);
}

static ssize_t lowmem_reserve_ratio_write(struct file *file,
					  const char __user *ubuf, size_t len,
					  loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct sbuddy *sb = m->private;
	int ratio[SB_MAX_NR_ZONES], nr = 0, ret;
	char *buf, *p, *tok;

	if (len > 256)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	p = buf;
	ret = 0;
	while ((tok = strsep(&p, " \t\n")) && !ret) {
		if (!*tok)
			continue;
		if (nr == SB_MAX_NR_ZONES)
			ret = -EINVAL;
		else if (kstrtoint(tok, 10, &ratio[nr++]))
			ret = -EINVAL;
	}
	kfree(buf);
	if (ret)
		return ret;
	ret = sb_set_lowmem_reserve_ratio(sb->machine, ratio, nr);
	return ret ? ret : len;
}

static const struct file_operations lowmem_reserve_ratio_fops = {
	.owner = THIS_MODULE,
	.open = lowmem_reserve_ratio_open,
	.read = seq_read,
	.write = lowmem_reserve_ratio_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * compact_memory (vm/, the sysctl) and node/nodeN/compact (the sysfs node
 * attribute): "1" compacts every zone of the machine or of node N with
 * compact_nodes() / compact_node(); anything else is -EINVAL.  A node
 * file finds its node in the name of its directory.
 */
static ssize_t sb_compact_write(struct file *file, const char __user *ubuf,
				size_t len, int nid)
{
	struct sbuddy *sb = file->private_data;
	int val, ret;

	if (kstrtoint_from_user(ubuf, len, 10, &val) || val != 1)
		return -EINVAL;
	ret = sb_compact_nodes(sb->machine, nid);
	return ret ? ret : len;
}

static ssize_t compact_memory_write(struct file *file,
				    const char __user *ubuf, size_t len,
				    loff_t *ppos)
{
	return sb_compact_write(file, ubuf, len, NUMA_NO_NODE);
}

static const struct file_operations compact_memory_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = compact_memory_write,
	.llseek = noop_llseek,
};

static ssize_t node_compact_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	const char *dir = file->f_path.dentry->d_parent->d_name.name;
	int nid;

	if (sscanf(dir, "node%d", &nid) != 1)
		return -EINVAL;
	return sb_compact_write(file, ubuf, len, nid);
}

static const struct file_operations node_compact_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = node_compact_write,
	.llseek = noop_llseek,
};

static void sb_debugfs_compaction(struct sbuddy *sb, struct dentry *vm)
{
	struct dentry *nodes = debugfs_create_dir("node", sb->debugfs);
	char name[16];
	int nid;

	debugfs_create_file("compaction_proactiveness", 0600, vm, sb,
			    &knob_fops);
	debugfs_create_file("extfrag_threshold", 0600, vm, sb, &knob_fops);
	debugfs_create_file("compaction_enabled", 0600, vm, sb, &knob_fops);
	debugfs_create_file("compact_memory", 0200, vm, sb,
			    &compact_memory_fops);
	for (nid = 0; nid < sb->machine->nr_nodes; nid++) {
		snprintf(name, sizeof(name), "node%d", nid);
		debugfs_create_file("compact", 0200,
				    debugfs_create_dir(name, nodes), sb,
				    &node_compact_fops);
	}
}

static void sb_debugfs_knobs(struct sbuddy *sb)
{
	struct dentry *vm = debugfs_create_dir("vm", sb->debugfs);

	debugfs_create_file("min_free_kbytes", 0600, vm, sb, &knob_fops);
	debugfs_create_file("watermark_scale_factor", 0600, vm, sb, &knob_fops);
	debugfs_create_file("watermark_boost_factor", 0600, vm, sb, &knob_fops);
	debugfs_create_file("lowmem_reserve_ratio", 0600, vm, sb,
			    &lowmem_reserve_ratio_fops);
	debugfs_create_file("percpu_pagelist_high_fraction", 0600, vm, sb,
			    &knob_fops);
	/* sbuddy's own switches: the 2.6-era cold pages, mobility grouping */
	debugfs_create_file("legacy_cold_pages", 0600, vm, sb, &knob_fops);
	debugfs_create_file("page_group_by_mobility_disabled", 0600, vm, sb,
			    &knob_fops);
	sb_debugfs_compaction(sb, vm);
}

void sb_debugfs_init(struct sbuddy *sb)
{
	struct dentry *extfrag;

	/* debugfs errors are not fatal: the allocator works without views */
	sb->debugfs = debugfs_create_dir("sbuddy", NULL);
	debugfs_create_file("region", 0400, sb->debugfs, sb, &region_fops);
	debugfs_create_file("buddyinfo", 0400, sb->debugfs, sb, &buddyinfo_fops);
	debugfs_create_file("pagetypeinfo", 0400, sb->debugfs, sb, &pagetypeinfo_fops);
	debugfs_create_file("zoneinfo", 0400, sb->debugfs, sb, &zoneinfo_fops);
	debugfs_create_file("vmstat", 0400, sb->debugfs, sb, &vmstat_fops);
	debugfs_create_file("verify", 0400, sb->debugfs, sb, &verify_fops);
	debugfs_create_file("pcp", 0400, sb->debugfs, sb, &pcp_fops);
	debugfs_create_file("pageblocks", 0400, sb->debugfs, sb,
			    &pageblocks_fops);
	debugfs_create_file("drain", 0200, sb->debugfs, sb, &drain_fops);
	/* the two files of /sys/kernel/debug/extfrag/, same layout */
	extfrag = debugfs_create_dir("extfrag", sb->debugfs);
	debugfs_create_file("extfrag_index", 0400, extfrag, sb,
			    &extfrag_index_fops);
	debugfs_create_file("unusable_index", 0400, extfrag, sb,
			    &unusable_index_fops);
	debugfs_create_file("cma", 0400, sb->debugfs, sb, &cma_fops);
	sb_fault_debugfs_init(sb->debugfs);
	sb_debugfs_knobs(sb);
	sb_bench_debugfs_init(sb);
	sb_workload_debugfs_init(sb);
}

void sb_debugfs_exit(struct sbuddy *sb)
{
	debugfs_remove_recursive(sb->debugfs);
	sb->debugfs = NULL;
	sb_bench_exit(sb);
	sb_workload_exit(sb);
}
