/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy: fault-injection points in sbuddy's own allocations, with the
 * kernel's fault_attr framework when the kernel has it (the
 * SB_HAVE_FAULT_INJECTION probe); elsewhere they never fire.
 */
#ifndef _SB_FAULT_H
#define _SB_FAULT_H

#include <linux/types.h>

#include "sb_config.h"

struct dentry;

enum sb_fault {
	SB_FAULT_MEMMAP,	/* page descriptors, pageblock bits, maps */
	SB_FAULT_OWNER,		/* an open file's and a block's records */
	SB_FAULT_MIGRATE,	/* a migration target */
	SB_FAULT_PCP,		/* a zone's per-CPU pagesets */
	SB_FAULT_REGION,	/* one alloc_contig_range() of the grab */
	SB_NR_FAULTS
};

#ifdef SB_HAVE_FAULT_INJECTION
bool sb_should_fail(enum sb_fault f);
struct fault_attr *sb_fault_attr(enum sb_fault f);
void sb_fault_debugfs_init(struct dentry *parent);
#else
static inline bool sb_should_fail(enum sb_fault f)
{
	return false;
}

static inline void sb_fault_debugfs_init(struct dentry *parent)
{
}
#endif

#endif /* _SB_FAULT_H */
