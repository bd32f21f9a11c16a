// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: the ABI's allocation flags and memory policies, translated into
 * gfp_t and struct sb_mempolicy.  The ABI has its own bits so that it does
 * not change with a kernel's gfp bit values; this is the one place that
 * knows both.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/numa.h>
#include <linux/sbuddy.h>

#include "abi.h"
#include "sb_core.h"

static const struct {
	u32 abi;
	gfp_t gfp;
} sb_abi_gfp_bits[] = {
	{ SBUDDY_ALLOC_MOVABLE,		__GFP_MOVABLE },
	{ SBUDDY_ALLOC_RECLAIMABLE,	__GFP_RECLAIMABLE },
	{ SBUDDY_ALLOC_HIGH,		__GFP_HIGH },
	{ SBUDDY_ALLOC_MEMALLOC,	__GFP_MEMALLOC },
	{ SBUDDY_ALLOC_ZERO,		__GFP_ZERO },
	{ SBUDDY_ALLOC_COMP,		__GFP_COMP },
	{ SBUDDY_ALLOC_NOWARN,		__GFP_NOWARN },
	{ SBUDDY_ALLOC_NORETRY,		__GFP_NORETRY },
	{ SBUDDY_ALLOC_RETRY_MAYFAIL,	__GFP_RETRY_MAYFAIL },
	{ SBUDDY_ALLOC_NOFAIL,		__GFP_NOFAIL },
	{ SBUDDY_ALLOC_THISNODE,	__GFP_THISNODE },
	{ SBUDDY_ALLOC_DMA,		__GFP_DMA },
	{ SBUDDY_ALLOC_DMA32,		__GFP_DMA32 },
	{ SBUDDY_ALLOC_HIGHMEM,		__GFP_HIGHMEM },
	{ SBUDDY_ALLOC_COLD,		SB_GFP_COLD },
};

/**
 * sb_abi_gfp - SBUDDY_ALLOC_* flags to a gfp mask
 * @flags:	the ABI flags
 * @gfp:	out: GFP_KERNEL, GFP_ATOMIC or GFP_NOWAIT plus the modifiers
 *
 * Refuses what the kernel would call a bug: unknown bits, two
 * migratetypes, two base masks, two zone modifiers (GFP_ZONE_BAD), and
 * NOFAIL with NORETRY.
 *
 * Return: 0 or -EINVAL.
 */
int sb_abi_gfp(u32 flags, gfp_t *gfp)
{
	u32 zones = flags & (SBUDDY_ALLOC_DMA | SBUDDY_ALLOC_DMA32 |
			     SBUDDY_ALLOC_HIGHMEM);
	gfp_t g;
	int i;

	if (flags & ~SBUDDY_ALLOC_ALL)
		return -EINVAL;
	if ((flags & SBUDDY_ALLOC_MOVABLE) && (flags & SBUDDY_ALLOC_RECLAIMABLE))
		return -EINVAL;
	if ((flags & SBUDDY_ALLOC_ATOMIC) && (flags & SBUDDY_ALLOC_NOWAIT))
		return -EINVAL;
	if ((flags & SBUDDY_ALLOC_NOFAIL) && (flags & SBUDDY_ALLOC_NORETRY))
		return -EINVAL;
	if (hweight32(zones) > 1)
		return -EINVAL;

	if (flags & SBUDDY_ALLOC_ATOMIC)
		g = GFP_ATOMIC;
	else if (flags & SBUDDY_ALLOC_NOWAIT)
		g = GFP_NOWAIT;
	else
		g = GFP_KERNEL;
	for (i = 0; i < ARRAY_SIZE(sb_abi_gfp_bits); i++)
		if (flags & sb_abi_gfp_bits[i].abi)
			g |= sb_abi_gfp_bits[i].gfp;
	*gfp = g;
	return 0;
}

/**
 * sb_abi_policy - an ABI memory policy to a struct sb_mempolicy
 * @m:		the machine whose nodes the policy names
 * @policy:	SBUDDY_MPOL_*
 * @nid:	the preferred node, for SBUDDY_MPOL_PREFERRED; else 0
 * @nodemask:	the nodes, for SBUDDY_MPOL_BIND and _INTERLEAVE; else 0
 * @pol:	out; @pol->il_prev is left alone (the caller keeps it)
 *
 * Return: 0, or -EINVAL for an unknown policy, a field the policy does not
 * use being nonzero, a node that does not exist or has no memory, or a
 * nodemask naming a node that does not exist or no populated node.
 */
int sb_abi_policy(struct sb_machine *m, u32 policy, u32 nid, u64 nodemask,
		  struct sb_mempolicy *pol)
{
	u64 all = BIT_ULL(m->nr_nodes) - 1;	/* nr_nodes <= SB_MAX_NUMNODES */
	unsigned long nodes = nodemask & all;

	switch (policy) {
	case SBUDDY_MPOL_DEFAULT:
		if (nid || nodemask)
			return -EINVAL;
		pol->mode = SB_MPOL_DEFAULT;
		pol->nid = NUMA_NO_NODE;
		pol->nodes = 0;
		return 0;
	case SBUDDY_MPOL_PREFERRED:
		if (nodemask || nid >= m->nr_nodes)
			return -EINVAL;
		nodes = BIT(nid);
		if (!sb_nodemask_populated(m, &nodes))
			return -EINVAL;
		pol->mode = SB_MPOL_PREFERRED;
		pol->nid = nid;
		pol->nodes = 0;
		return 0;
	case SBUDDY_MPOL_BIND:
	case SBUDDY_MPOL_INTERLEAVE:
		if (nid || (nodemask & ~all) || !sb_nodemask_populated(m, &nodes))
			return -EINVAL;
		pol->mode = policy == SBUDDY_MPOL_BIND ? SB_MPOL_BIND :
							 SB_MPOL_INTERLEAVE;
		pol->nid = NUMA_NO_NODE;
		pol->nodes = nodemask;
		return 0;
	default:
		return -EINVAL;
	}
}
