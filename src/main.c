// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: a shadow buddy allocator.  Module parameters, load and unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>

#include "sb_core.h"
#include "sbuddy.h"

static char *size = "128M";
module_param(size, charp, 0444);
MODULE_PARM_DESC(size, "Region to borrow from the host, memparse syntax, a multiple of the pageblock size (default 128M)");

static int node = NUMA_NO_NODE;
module_param(node, int, 0444);
MODULE_PARM_DESC(node, "Host node to borrow from (default: the first online node)");

static char *layout;
module_param(layout, charp, 0444);
MODULE_PARM_DESC(layout, "Emulated nodes and zones: nodes separated by ';', each a list of ZONE=SIZE or hole=SIZE ('*': the rest); default: one node, DMA 1/8, DMA32 3/8, Normal the rest");

static char *cma;
module_param(cma, charp, 0444);
MODULE_PARM_DESC(cma, "Emulated CMA area, SIZE[@NODE] (default: none)");

/* not "pageblock_order": that is the host kernel's macro */
static uint pb_order;
module_param(pb_order, uint, 0444);
MODULE_PARM_DESC(pb_order, "Order of an emulated pageblock (default 0: 9, as x86-64)");

static u8 distance[SB_MAX_NUMNODES * SB_MAX_NUMNODES];
static unsigned int nr_distance;
module_param_array(distance, byte, &nr_distance, 0444);
MODULE_PARM_DESC(distance, "Node distance table, nodes*nodes values row by row (default: 10 local, 20 remote)");

static struct sbuddy sbuddy;
static int sb_cpuhp_state = -1;

/*
 * CPUHP_PAGE_ALLOC's callbacks, in the prepare section as there: the
 * startup runs before the CPU is in cpu_online_mask, the teardown after
 * it is dead, both on a control CPU.
 */
static int sb_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	return sb_page_alloc_cpu_online(hlist_entry(node, struct sb_machine,
						    cpuhp_node), cpu);
}

static int sb_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	return sb_page_alloc_cpu_dead(hlist_entry(node, struct sb_machine,
						  cpuhp_node), cpu);
}

static int sbuddy_create_machine(struct sbuddy *sb)
{
	struct sb_machine_params params = {
		.layout = layout,
		.cma = cma,
		.pb_order = pb_order,
		.distance = nr_distance ? distance : NULL,
		.nr_distance = nr_distance,
	};
	struct sb_backing backing = {
		.base_pfn = sb->region.start_pfn,
		.nr_pages = sb->region.nr_pages,
		/* the direct map is contiguous over contiguous pfns */
		.base = page_address(pfn_to_page(sb->region.start_pfn)),
	};
	struct sb_machine *m = sb_machine_create(&backing, &params);

	if (IS_ERR(m))
		return PTR_ERR(m);
	sb->machine = m;
	return 0;
}

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

	ret = sbuddy_create_machine(&sbuddy);
	if (ret)
		goto out_region;
	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "sbuddy:pcp",
				      sb_cpu_online, sb_cpu_dead);
	if (ret < 0) {
		pr_err("cannot register a CPU hotplug state: %d\n", ret);
		goto out_machine;
	}
	sb_cpuhp_state = ret;
	ret = cpuhp_state_add_instance_nocalls(sb_cpuhp_state,
					       &sbuddy.machine->cpuhp_node);
	if (ret) {
		pr_err("cannot join the CPU hotplug state: %d\n", ret);
		goto out_cpuhp;
	}
	/* size the pagesets for the CPUs online now, none coming or going */
	cpus_read_lock();
	sb_pcp_update_all(sbuddy.machine);
	cpus_read_unlock();
	ret = sb_machine_start_daemons(sbuddy.machine);
	if (ret) {
		pr_err("cannot start kswapd/kcompactd: %d\n", ret);
		goto out_instance;
	}
	ret = sb_chardev_init(&sbuddy);
	if (ret) {
		pr_err("cannot register /dev/sbuddy: %d\n", ret);
		goto out_instance;
	}
	sb_debugfs_init(&sbuddy);
	pr_info("borrowed %lu MiB at pfn %#lx from node %d zone %s\n",
		sbuddy.region.nr_pages >> (20 - PAGE_SHIFT),
		sbuddy.region.start_pfn, sbuddy.region.nid,
		sbuddy.region.zone_name);
	return 0;

out_instance:
	cpuhp_state_remove_instance_nocalls(sb_cpuhp_state,
					    &sbuddy.machine->cpuhp_node);
out_cpuhp:
	cpuhp_remove_multi_state(sb_cpuhp_state);
out_machine:
	sb_machine_destroy(sbuddy.machine);
out_region:
	sb_region_return(&sbuddy.region);
	return ret;
}

static void __exit sbuddy_exit(void)
{
	sb_debugfs_exit(&sbuddy);
	sb_chardev_exit(&sbuddy);
	cpuhp_state_remove_instance_nocalls(sb_cpuhp_state,
					    &sbuddy.machine->cpuhp_node);
	cpuhp_remove_multi_state(sb_cpuhp_state);
	sb_machine_destroy(sbuddy.machine);
	sb_region_return(&sbuddy.region);
}

module_init(sbuddy_init);
module_exit(sbuddy_exit);
MODULE_DESCRIPTION("sbuddy: a shadow buddy allocator over borrowed memory");
MODULE_LICENSE("GPL");
