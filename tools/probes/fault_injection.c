// SPDX-License-Identifier: GPL-2.0
/* SB_HAVE_FAULT_INJECTION: the fault_attr framework (CONFIG_FAULT_INJECTION). */
#include <linux/err.h>
#include <linux/fault-inject.h>

static DECLARE_FAULT_ATTR(sb_probe_attr);

int sb_probe(void);
int sb_probe(void)
{
	return should_fail(&sb_probe_attr, 1) +
	       IS_ERR(fault_create_debugfs_attr("x", NULL, &sb_probe_attr)) +
	       setup_fault_attr(&sb_probe_attr, "1,100,0,1");
}
