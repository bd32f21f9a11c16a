/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy: translation of the ioctl ABI's stable flags and policies into
 * the core's gfp_t and memory policies.
 */
#ifndef _SBUDDY_ABI_H
#define _SBUDDY_ABI_H

#include <linux/gfp.h>
#include <linux/types.h>

struct sb_machine;
struct sb_mempolicy;

int sb_abi_gfp(u32 flags, gfp_t *gfp);
int sb_abi_policy(struct sb_machine *m, u32 policy, u32 nid, u64 nodemask,
		  struct sb_mempolicy *pol);

#endif /* _SBUDDY_ABI_H */
