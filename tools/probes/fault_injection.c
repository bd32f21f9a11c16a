// SPDX-License-Identifier: GPL-2.0
/* SB_HAVE_FAULT_INJECTION: the fault_attr framework (CONFIG_FAULT_INJECTION). */
#include <linux/err.h>
#include <linux/fault-inject.h>

/* 6.12 has stubs without the framework: the fields are what tells */
static struct fault_attr sb_probe_attr = FAULT_ATTR_INITIALIZER;

int sb_probe(void);
int sb_probe(void)
{
	sb_probe_attr.probability = 100;
	sb_probe_attr.verbose = 1;
	return should_fail(&sb_probe_attr, 1) +
	       IS_ERR(fault_create_debugfs_attr("x", NULL, &sb_probe_attr)) +
	       setup_fault_attr(&sb_probe_attr, "1,100,0,1");
}
