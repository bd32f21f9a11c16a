// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: /sys/kernel/debug/sbuddy/workload.  A write of a spec (see
 * workload.c) runs it to its end in the writer's context and keeps its
 * blocks; "release" frees them; a read shows the last run's results.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "sbuddy.h"
#include "workload.h"

#define SB_WL_SPEC_MAX	8192

static DEFINE_MUTEX(sb_wl_lock);	/* the run and the results below */
static struct sb_wl_run *sb_wl_current;
static struct sb_wl_result sb_wl_last;
static struct sb_wl_spec sb_wl_last_spec;
static int sb_wl_last_err = -ENODATA;
static char sb_wl_errmsg[96];

static const char * const sb_wl_event_names[SB_WL_NR_EVENTS] = {
	"sbuddy_extfrag", "sbuddy_extfrag_fragmenting",
	"sbuddy_steal_pageblock", "compact_stall", "compact_success",
	"compact_fail", "compact_migrate_scanned", "compact_free_scanned",
	"pgmigrate_success",
};

static void sb_wl_show_hist(struct seq_file *s, const char *what,
			    const unsigned long *h)
{
	int b;

	seq_printf(s, "%s", what);
	for (b = 0; b < SB_WL_HIST; b++)
		if (h[b])
			seq_printf(s, " %d:%lu", b, h[b]);
	seq_putc(s, '\n');
}

static int workload_show(struct seq_file *s, void *v)
{
	const struct sb_wl_result *r = &sb_wl_last;
	int o, i;

	mutex_lock(&sb_wl_lock);
	if (sb_wl_last_err == -ENODATA) {
		seq_puts(s, "no run yet\n");
		goto out;
	}
	seq_printf(s, "workload %s seed %llu threads %d: %s%s\n",
		   sb_wl_last_spec.name, sb_wl_last_spec.seed,
		   sb_wl_last_spec.nr_cpus,
		   sb_wl_last_err ? "error " : "ok",
		   sb_wl_last_err ? sb_wl_errmsg : "");
	seq_puts(s, "order ok fail\n");
	for (o = 0; o < SB_MAX_ORDER; o++)
		if (r->alloc_ok[o] || r->alloc_fail[o])
			seq_printf(s, "%d %lu %lu\n", o, r->alloc_ok[o],
				   r->alloc_fail[o]);
	seq_printf(s, "frees %lu\n", r->frees);
	seq_printf(s, "held_pages %lu\nheld_blocks %lu\n", r->pages, r->blocks);
	/* bucket b: latencies in [2^(b-1), 2^b) ns */
	sb_wl_show_hist(s, "alloc_ns_log2", r->alloc_ns);
	sb_wl_show_hist(s, "free_ns_log2", r->free_ns);
	for (i = 0; i < SB_WL_NR_EVENTS; i++)
		seq_printf(s, "%s %lu\n", sb_wl_event_names[i], r->events[i]);
	/* steals that did not claim the pageblock */
	seq_printf(s, "sbuddy_steal_unclaimed %lu\n",
		   r->events[0] - min(r->events[0], r->events[2]));
out:
	mutex_unlock(&sb_wl_lock);
	return 0;
}

static int workload_open(struct inode *inode, struct file *file)
{
	return single_open(file, workload_show, inode->i_private);
}

static ssize_t workload_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct sbuddy *sb = ((struct seq_file *)file->private_data)->private;
	struct sb_wl_spec *spec;
	struct sb_wl_run *run;
	struct sb_wl_error err;
	char *text;

	if (!len || len > SB_WL_SPEC_MAX)
		return -EINVAL;
	text = memdup_user_nul(ubuf, len);
	if (IS_ERR(text))
		return PTR_ERR(text);
	if (!strcmp(strim(text), "release")) {
		mutex_lock(&sb_wl_lock);
		sb_wl_release(sb_wl_current);
		sb_wl_current = NULL;
		mutex_unlock(&sb_wl_lock);
		kfree(text);
		return len;
	}
	spec = sb_wl_spec_from_text(sb->machine, text, &err);
	kfree(text);
	if (IS_ERR(spec))
		return PTR_ERR(spec);
	mutex_lock(&sb_wl_lock);
	sb_wl_release(sb_wl_current);
	sb_wl_current = NULL;
	run = sb_wl_run(sb->machine, spec, &sb_wl_last);
	sb_wl_last_spec = *spec;
	sb_wl_last_err = IS_ERR(run) ? PTR_ERR(run) : 0;
	snprintf(sb_wl_errmsg, sizeof(sb_wl_errmsg), "%d", sb_wl_last_err);
	if (!IS_ERR(run))
		sb_wl_current = run;
	mutex_unlock(&sb_wl_lock);
	kfree(spec);
	return IS_ERR(run) ? PTR_ERR(run) : len;
}

static const struct file_operations workload_fops = {
	.owner = THIS_MODULE,
	.open = workload_open,
	.read = seq_read,
	.write = workload_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void sb_workload_debugfs_init(struct sbuddy *sb)
{
	debugfs_create_file("workload", 0600, sb->debugfs, sb, &workload_fops);
}

/* before the machine goes: the run's blocks are its pages */
void sb_workload_exit(struct sbuddy *sb)
{
	mutex_lock(&sb_wl_lock);
	sb_wl_release(sb_wl_current);
	sb_wl_current = NULL;
	sb_wl_last_err = -ENODATA;
	mutex_unlock(&sb_wl_lock);
}
