// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: fault injection.  One fault_attr per point, each configured like
 * the kernel's own (fail_page_alloc ...): at load with a module parameter
 * fail_NAME=<interval>,<probability>,<space>,<times> (the points that
 * only run at load), and at any time in /sys/kernel/debug/sbuddy/fail_NAME/.
 * The attributes are global, as the kernel's are: a point is a property of
 * the code, not of one machine.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "fault.h"

#ifdef SB_HAVE_FAULT_INJECTION

static struct fault_attr sb_fault_attrs[SB_NR_FAULTS] = {
	[0 ... SB_NR_FAULTS - 1] = FAULT_ATTR_INITIALIZER,
};

static const char * const sb_fault_names[SB_NR_FAULTS] = {
	[SB_FAULT_MEMMAP] = "fail_memmap",
	[SB_FAULT_OWNER] = "fail_owner",
	[SB_FAULT_MIGRATE] = "fail_migrate",
	[SB_FAULT_PCP] = "fail_pcp",
	[SB_FAULT_REGION] = "fail_region",
};

/**
 * sb_should_fail - whether the point @f fails this time
 * @f:	the point
 *
 * Return: true when the caller must act as if its allocation failed.
 */
bool sb_should_fail(enum sb_fault f)
{
	return should_fail(&sb_fault_attrs[f], 1);
}

/* for KUnit: the attribute of point @f */
struct fault_attr *sb_fault_attr(enum sb_fault f)
{
	return &sb_fault_attrs[f];
}

static int sb_fault_param_set(const char *val, const struct kernel_param *kp)
{
	struct fault_attr *attr = kp->arg;
	char buf[64];

	strscpy(buf, val, sizeof(buf));
	/* setup_fault_attr() follows __setup(): 1 parsed, 0 not */
	if (!setup_fault_attr(attr, buf))
		return -EINVAL;
	/* one line per failure, no stack: the stack would read as a splat */
	attr->verbose = 1;
	return 0;
}

static int sb_fault_param_get(char *buf, const struct kernel_param *kp)
{
	struct fault_attr *attr = kp->arg;

	return sysfs_emit(buf, "%lu,%lu,%d,%d\n", attr->interval,
			  attr->probability, atomic_read(&attr->space),
			  atomic_read(&attr->times));
}

static const struct kernel_param_ops sb_fault_param_ops = {
	.set = sb_fault_param_set,
	.get = sb_fault_param_get,
};

module_param_cb(fail_memmap, &sb_fault_param_ops,
		&sb_fault_attrs[SB_FAULT_MEMMAP], 0400);
MODULE_PARM_DESC(fail_memmap, "Fault injection at load: page descriptor and map allocations, <interval>,<probability>,<space>,<times>");
module_param_cb(fail_pcp, &sb_fault_param_ops,
		&sb_fault_attrs[SB_FAULT_PCP], 0400);
MODULE_PARM_DESC(fail_pcp, "Fault injection at load: per-CPU pageset allocations, as fail_memmap");
module_param_cb(fail_region, &sb_fault_param_ops,
		&sb_fault_attrs[SB_FAULT_REGION], 0400);
MODULE_PARM_DESC(fail_region, "Fault injection at load: alloc_contig_range() of the region grab fails as busy, as fail_memmap");

/**
 * sb_fault_debugfs_init - a fail_NAME directory per point under @parent
 * @parent:	sbuddy's debugfs directory
 */
void sb_fault_debugfs_init(struct dentry *parent)
{
	int i;

	for (i = 0; i < SB_NR_FAULTS; i++) {
		/* a point set at load keeps its verbosity */
		if (!sb_fault_attrs[i].probability)
			sb_fault_attrs[i].verbose = 1;
		fault_create_debugfs_attr(sb_fault_names[i], parent,
					  &sb_fault_attrs[i]);
	}
}

#endif /* SB_HAVE_FAULT_INJECTION */
