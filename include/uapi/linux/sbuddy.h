/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sbuddy: a shadow buddy allocator.  The ioctl ABI of /dev/sbuddy.
 *
 * Every structure is made of __u32/__u64 fields with explicit padding, so
 * that 32-bit and 64-bit callers see one layout.  Reserved and padding
 * fields must be zero on input and are zero on output; fields marked
 * "out" are ignored on input.  A structure that is read and written
 * (_IOWR) and that the caller cannot write fails with -EFAULT before the
 * command does anything.
 */
#ifndef _UAPI_LINUX_SBUDDY_H
#define _UAPI_LINUX_SBUDDY_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The ioctl magic; not registered in ioctl-number.rst (out of tree). */
#define SBUDDY_IOC_MAGIC	0xB8

/* The ABI version SBUDDY_IOC_GET_API reports. */
#define SBUDDY_API_VERSION	1

/* Feature bits reported in &struct sbuddy_api.features. */
/* The module borrowed a host region and reports it in debugfs. */
#define SBUDDY_FEAT_REGION	(1ULL << 0)
/* SBUDDY_IOC_ALLOC and SBUDDY_IOC_FREE work. */
#define SBUDDY_FEAT_ALLOC	(1ULL << 1)
/* SBUDDY_IOC_PIN and SBUDDY_IOC_UNPIN work. */
#define SBUDDY_FEAT_PIN		(1ULL << 2)
/* SBUDDY_IOC_QUERY works. */
#define SBUDDY_FEAT_QUERY	(1ULL << 3)
/* SBUDDY_IOC_FILL and SBUDDY_IOC_CHECKSUM work. */
#define SBUDDY_FEAT_FILL	(1ULL << 4)
/* mmap() of a handle at SBUDDY_MMAP_OFFSET() works. */
#define SBUDDY_FEAT_MMAP	(1ULL << 5)
/* SBUDDY_IOC_DRAIN and SBUDDY_IOC_VERIFY work. */
#define SBUDDY_FEAT_DRAIN	(1ULL << 6)
#define SBUDDY_FEAT_VERIFY	(1ULL << 7)
/* SBUDDY_IOC_ALLOC_CONTIG and SBUDDY_IOC_CMA_ALLOC work. */
#define SBUDDY_FEAT_CONTIG	(1ULL << 16)
/* SBUDDY_IOC_WORKLOAD_START, _WAIT and _STOP work. */
#define SBUDDY_FEAT_WORKLOAD	(1ULL << 17)
/* SBUDDY_IOC_FREE_HELD works. */
#define SBUDDY_FEAT_HELD_FREE	(1ULL << 18)

/* The largest order an allocation may ask for (Linux 6.1: MAX_ORDER - 1). */
#define SBUDDY_MAX_ORDER	10
/* The most blocks one SBUDDY_IOC_ALLOC or SBUDDY_IOC_FREE call handles. */
#define SBUDDY_BATCH_MAX	65536

/*
 * mmap() offset of a handle's block: each handle owns a window of
 * 2^SBUDDY_MAX_ORDER pages of the file's offset space; an offset inside
 * the window starts the mapping at that page of the block.
 */
#define SBUDDY_MMAP_SHIFT	(SBUDDY_MAX_ORDER + 12)
#define SBUDDY_MMAP_OFFSET(handle)	((__u64)(handle) << SBUDDY_MMAP_SHIFT)

/*
 * Allocation flags: sbuddy's own stable bits, translated to gfp_t inside the
 * module, so that the ABI does not depend on a kernel's gfp bit values.
 * Neither MOVABLE nor RECLAIMABLE means an unmovable allocation.
 */
#define SBUDDY_ALLOC_MOVABLE		(1U << 0)	/* __GFP_MOVABLE */
#define SBUDDY_ALLOC_RECLAIMABLE	(1U << 1)	/* __GFP_RECLAIMABLE */
#define SBUDDY_ALLOC_ATOMIC		(1U << 2)	/* GFP_ATOMIC, not GFP_KERNEL */
#define SBUDDY_ALLOC_NOWAIT		(1U << 3)	/* GFP_NOWAIT, not GFP_KERNEL */
#define SBUDDY_ALLOC_HIGH		(1U << 4)	/* __GFP_HIGH */
#define SBUDDY_ALLOC_MEMALLOC		(1U << 5)	/* __GFP_MEMALLOC */
#define SBUDDY_ALLOC_ZERO		(1U << 6)	/* __GFP_ZERO */
#define SBUDDY_ALLOC_COMP		(1U << 7)	/* __GFP_COMP */
#define SBUDDY_ALLOC_NOWARN		(1U << 8)	/* __GFP_NOWARN */
#define SBUDDY_ALLOC_NORETRY		(1U << 9)	/* __GFP_NORETRY */
#define SBUDDY_ALLOC_RETRY_MAYFAIL	(1U << 10)	/* __GFP_RETRY_MAYFAIL */
#define SBUDDY_ALLOC_NOFAIL		(1U << 11)	/* __GFP_NOFAIL */
#define SBUDDY_ALLOC_THISNODE		(1U << 12)	/* __GFP_THISNODE */
#define SBUDDY_ALLOC_DMA		(1U << 13)	/* __GFP_DMA */
#define SBUDDY_ALLOC_DMA32		(1U << 14)	/* __GFP_DMA32 */
#define SBUDDY_ALLOC_HIGHMEM		(1U << 15)	/* __GFP_HIGHMEM */
/*
 * A cold-page request (2.6's __GFP_COLD), honoured when the
 * vm/legacy_cold_pages switch is on; ignored otherwise.
 */
#define SBUDDY_ALLOC_COLD		(1U << 16)
#define SBUDDY_ALLOC_ALL		((1U << 17) - 1)

/* Memory policies (the mempolicy modes), &struct sbuddy_alloc.policy. */
#define SBUDDY_MPOL_DEFAULT	0	/* the calling CPU's emulated node */
#define SBUDDY_MPOL_PREFERRED	1	/* @nid first, then the zonelist */
#define SBUDDY_MPOL_BIND	2	/* only the nodes of @nodemask */
#define SBUDDY_MPOL_INTERLEAVE	3	/* round robin over @nodemask */

/**
 * struct sbuddy_api - the answer of SBUDDY_IOC_GET_API
 * @api_version:	SBUDDY_API_VERSION of the running module.
 * @pad:		zero.
 * @features:		a mask of SBUDDY_FEAT_* bits.
 * @reserved:		zero.
 */
struct sbuddy_api {
	__u32 api_version;
	__u32 pad;
	__u64 features;
	__u64 reserved[4];
};

/**
 * struct sbuddy_alloc - the argument of SBUDDY_IOC_ALLOC
 * @order:	block order, 0..SBUDDY_MAX_ORDER.
 * @flags:	SBUDDY_ALLOC_* bits.
 * @count:	blocks wanted, 1..SBUDDY_BATCH_MAX.
 * @done:	out: blocks allocated; their handles are in @handles[0..@done).
 * @handles:	user pointer to an array of @count __u64 handles, written.
 * @policy:	SBUDDY_MPOL_*.
 * @nid:	the preferred node (SBUDDY_MPOL_PREFERRED), else zero.
 * @nodemask:	bit n for emulated node n (SBUDDY_MPOL_BIND, _INTERLEAVE),
 *		else zero.
 * @error:	out: 0, or the positive errno that stopped the batch at
 *		block @done.
 * @pad:	zero.
 * @reserved:	zero.
 */
struct sbuddy_alloc {
	__u32 order;
	__u32 flags;
	__u32 count;
	__u32 done;
	__u64 handles;
	__u32 policy;
	__u32 nid;
	__u64 nodemask;
	__u32 error;
	__u32 pad;
	__u64 reserved[2];
};

/**
 * struct sbuddy_free - the argument of SBUDDY_IOC_FREE
 * @handles:	user pointer to an array of @count __u64 handles.
 * @count:	handles to free, 1..SBUDDY_BATCH_MAX.
 * @done:	out: handles freed, @handles[0..@done).
 * @error:	out: 0, or the positive errno that stopped the batch at
 *		handle @done.
 * @pad:	zero.
 * @reserved:	zero.
 */
struct sbuddy_free {
	__u64 handles;
	__u32 count;
	__u32 done;
	__u32 error;
	__u32 pad;
	__u64 reserved[2];
};

/**
 * struct sbuddy_handle_arg - the argument of SBUDDY_IOC_PIN and _UNPIN
 * @handle:	a handle of this file.
 * @pins:	out: the block's long-term pins after the call.
 * @pad:	zero.
 * @reserved:	zero.
 */
struct sbuddy_handle_arg {
	__u64 handle;
	__u32 pins;
	__u32 pad;
	__u64 reserved[2];
};

/* &struct sbuddy_query.state */
#define SBUDDY_STATE_LIVE	0	/* the block has its pages */
#define SBUDDY_STATE_RECLAIMED	1	/* reclaim or an OOM kill took them */

/**
 * struct sbuddy_query - the argument of SBUDDY_IOC_QUERY
 * @handle:	in: a handle of this file.
 * @pfn:	out: the block's first page frame number (a host pfn: the
 *		device is root-only), or 0 when reclaimed.
 * @order:	out: the block's order.
 * @nid:	out: its emulated node.
 * @zone:	out: its zone (0 DMA, 1 DMA32, 2 Normal, 3 Movable).
 * @pageblock_type: out: the migratetype of the pageblock holding its
 *		first page (0 Unmovable, 1 Movable, 2 Reclaimable,
 *		3 HighAtomic, 4 CMA, 5 Isolate).
 * @alloc_type:	out: the migratetype the request asked for (0, 1 or 2).
 * @state:	out: SBUDDY_STATE_*.
 * @nr_migrated: out: times compaction or a contiguous allocation moved
 *		its contents.
 * @pins:	out: long-term pins held.
 * @reserved:	zero.
 */
struct sbuddy_query {
	__u64 handle;
	__u64 pfn;
	__u32 order;
	__u32 nid;
	__u32 zone;
	__u32 pageblock_type;
	__u32 alloc_type;
	__u32 state;
	__u32 nr_migrated;
	__u32 pins;
	__u64 reserved[2];
};

/**
 * struct sbuddy_fill - the argument of SBUDDY_IOC_FILL and _CHECKSUM
 * @handle:	a handle of this file.
 * @seed:	FILL: the pattern's seed; 64-bit word i of the block becomes
 *		sbuddy_pattern(@seed, i).  CHECKSUM: zero.
 * @crc32:	out: crc32 (the zlib/ISO-HDLC one) of the block's contents.
 * @pad:	zero.
 * @reserved:	zero.
 */
struct sbuddy_fill {
	__u64 handle;
	__u64 seed;
	__u32 crc32;
	__u32 pad;
	__u64 reserved[2];
};

/* The fill pattern: splitmix64 of seed + i, so userspace can check it. */
static inline __u64 sbuddy_pattern(__u64 seed, __u64 i)
{
	__u64 z = seed + (i + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* &struct sbuddy_drain.scope */
#define SBUDDY_DRAIN_ALL	0	/* every online CPU (drain_all_pages) */
#define SBUDDY_DRAIN_LOCAL	1	/* the calling CPU (drain_local_pages) */
#define SBUDDY_DRAIN_CPU	2	/* CPU @cpu (drain_pages) */

/**
 * struct sbuddy_drain - the argument of SBUDDY_IOC_DRAIN
 * @scope:	SBUDDY_DRAIN_*.
 * @cpu:	the CPU for SBUDDY_DRAIN_CPU, else zero.
 * @reserved:	zero.
 */
struct sbuddy_drain {
	__u32 scope;
	__u32 cpu;
	__u64 reserved[2];
};

/**
 * struct sbuddy_verify - the answer of SBUDDY_IOC_VERIFY
 * @status:	0 when consistent, else EUCLEAN.
 * @pad:	zero.
 * @reserved:	zero.
 * @message:	"ok", or the first inconsistency, NUL-terminated.
 */
struct sbuddy_verify {
	__u32 status;
	__u32 pad;
	__u64 reserved[2];
	char message[232];
};

/* &struct sbuddy_contig.mode */
#define SBUDDY_CONTIG_RANGE	0	/* the pages [@pfn, @pfn + 2^@order) */
#define SBUDDY_CONTIG_SEARCH	1	/* any 2^@order-aligned range of @nid */

/**
 * struct sbuddy_contig - the argument of SBUDDY_IOC_ALLOC_CONTIG
 * @mode:	SBUDDY_CONTIG_*.
 * @order:	2^@order pages, 0..SBUDDY_MAX_ORDER.
 * @pfn:	SBUDDY_CONTIG_RANGE: the first page frame number (a host pfn
 *		inside the region, no alignment needed); SBUDDY_CONTIG_SEARCH:
 *		zero.  Out: the first pfn taken.
 * @nid:	SBUDDY_CONTIG_SEARCH: the emulated node to take the range
 *		from; SBUDDY_CONTIG_RANGE: zero.
 * @pad:	zero.
 * @handle:	out: the handle of the new block.
 * @failed_pfn: out: after -EBUSY of a SBUDDY_CONTIG_RANGE request, the first
 *		pfn that could not be freed: in the range, or in the rest of
 *		the pageblocks holding it, which are isolated whole as in
 *		6.1 (down to the 2^SBUDDY_MAX_ORDER-aligned pfn below @pfn,
 *		where a block crossing their edge may start); else 0.
 * @reserved:	zero.
 */
struct sbuddy_contig {
	__u32 mode;
	__u32 order;
	__u64 pfn;
	__u32 nid;
	__u32 pad;
	__u64 handle;
	__u64 failed_pfn;
	__u64 reserved[2];
};

/**
 * struct sbuddy_cma - the argument of SBUDDY_IOC_CMA_ALLOC
 * @order:	2^@order pages, 0..SBUDDY_MAX_ORDER.
 * @align:	the first pfn is a multiple of 2^@align pages,
 *		0..SBUDDY_MAX_ORDER.
 * @pfn:	out: the first pfn taken.
 * @handle:	out: the handle of the new block.
 * @reserved:	zero.
 */
struct sbuddy_cma {
	__u32 order;
	__u32 align;
	__u64 pfn;
	__u64 handle;
	__u64 reserved[2];
};

/* The longest workload spec SBUDDY_IOC_WORKLOAD_START takes, in bytes. */
#define SBUDDY_WL_SPEC_MAX	8192
/* Buckets of the workload latency histograms. */
#define SBUDDY_WL_HIST		40

/**
 * struct sbuddy_workload_start - the argument of SBUDDY_IOC_WORKLOAD_START
 * @spec:	in: the spec text's address (see workloads.rst)
 * @len:	in: its length in bytes, 1..SBUDDY_WL_SPEC_MAX
 * @flags:	in: 0
 * @error_line:	out: on -EINVAL, the spec's line at fault (from 1); 0 for
 *		the whole spec or a refusal of the machine (-E2BIG)
 * @threads:	out: on success, the threads started
 * @error:	out: on -EINVAL or -E2BIG, the reason, NUL-terminated
 */
struct sbuddy_workload_start {
	__u64 spec;
	__u32 len;
	__u32 flags;
	__u32 error_line;
	__u32 threads;
	char error[64];
};

#define SBUDDY_WL_DONE		0	/* every phase of every thread ran */
#define SBUDDY_WL_STOPPED	1	/* SBUDDY_IOC_WORKLOAD_STOP cut it short */

/**
 * struct sbuddy_workload_result - the answer of SBUDDY_IOC_WORKLOAD_WAIT
 * @status:	SBUDDY_WL_DONE or SBUDDY_WL_STOPPED
 * @threads:	the run's threads
 * @alloc_ok:	successful allocations per order
 * @alloc_fail:	failed allocations per order
 * @frees:	blocks freed during the run
 * @held_pages:	pages the run holds at its end (until the file is closed)
 * @held_blocks: blocks it holds
 * @alloc_ns:	allocation latencies: bucket b counts those in
 *		[2^(b-1), 2^b) ns (bucket 0: 0 ns; the last: the rest)
 * @free_ns:	the same for frees
 * @extfrag:	vmstat deltas over the run: fallback allocations from
 *		another migratetype (sbuddy_extfrag) ...
 * @extfrag_fragmenting: ... of which below pageblock order
 * @steal_pageblock: fallbacks that claimed the whole pageblock
 * @steal_unclaimed: fallbacks that did not (@extfrag - @steal_pageblock)
 * @compact_stall: direct compaction runs (compact_stall)
 * @compact_success: ... that made the allocation succeed
 * @compact_fail: ... that did not
 * @compact_migrate_scanned: pages the migration scanner looked at
 * @compact_free_scanned: pages the free scanner looked at
 * @pgmigrate_success: pages migrated
 * @elapsed_ns:	from the start to the end of the last thread's phases
 */
struct sbuddy_workload_result {
	__u32 status;
	__u32 threads;
	__u64 alloc_ok[SBUDDY_MAX_ORDER + 1];
	__u64 alloc_fail[SBUDDY_MAX_ORDER + 1];
	__u64 frees;
	__u64 held_pages;
	__u64 held_blocks;
	__u64 alloc_ns[SBUDDY_WL_HIST];
	__u64 free_ns[SBUDDY_WL_HIST];
	__u64 extfrag;
	__u64 extfrag_fragmenting;
	__u64 steal_pageblock;
	__u64 steal_unclaimed;
	__u64 compact_stall;
	__u64 compact_success;
	__u64 compact_fail;
	__u64 compact_migrate_scanned;
	__u64 compact_free_scanned;
	__u64 pgmigrate_success;
	__u64 elapsed_ns;
};

/**
 * struct sbuddy_free_held - the argument of SBUDDY_IOC_FREE_HELD
 * @handle:	a handle of this file.
 * @order:	out: the order of the block the handle names afterwards.
 * @nr_freed:	out: pages that went back to the buddy allocator.
 * @reserved:	zero.
 */
struct sbuddy_free_held {
	__u64 handle;
	__u32 order;
	__u32 nr_freed;
	__u64 reserved[2];
};

/**
 * DOC: SBUDDY_IOC_GET_API
 *
 * SBUDDY_IOC_GET_API - _IOR(SBUDDY_IOC_MAGIC, 0x00, struct sbuddy_api)
 *
 * The handshake: fills in the API version and the feature mask.  The
 * caller's buffer is only written.
 *
 * Context: process context; any opener of /dev/sbuddy.
 *
 * Return:
 * * 0		- success.
 * * -EFAULT	- the argument does not point to writable memory.
 *
 * Any command number the module does not know fails with -ENOTTY.
 */
#define SBUDDY_IOC_GET_API	_IOR(SBUDDY_IOC_MAGIC, 0x00, struct sbuddy_api)

/**
 * DOC: SBUDDY_IOC_ALLOC
 *
 * SBUDDY_IOC_ALLOC - _IOWR(SBUDDY_IOC_MAGIC, 0x01, struct sbuddy_alloc)
 *
 * Allocates @count blocks of 2^@order pages with sb_alloc_pages() under
 * the given flags and memory policy, one after the other, and writes a
 * handle for each.  The blocks belong to the open file: closing it frees
 * them.  The batch stops at the first block that cannot be had; the
 * structure is written back in every case, so @done and @error say exactly
 * how far it got.
 *
 * Context: process context; may sleep; a fatal signal stops the batch.
 *
 * Return:
 * * 0		- all @count blocks were allocated.
 * * -ENOMEM	- block @done could not be allocated (@error is ENOMEM);
 *		  blocks [0, @done) were, and are owned by the file.
 * * -EINTR	- a fatal signal stopped the batch at block @done.
 * * -EINVAL	- an order above SBUDDY_MAX_ORDER, a zero count, an unknown
 *		  flag or policy, contradictory flags (MOVABLE with
 *		  RECLAIMABLE, ATOMIC with NOWAIT, DMA with DMA32, NOFAIL with
 *		  NORETRY), a node or nodemask with no populated emulated
 *		  node, or a nonzero @pad/@reserved; nothing was allocated.
 * * -E2BIG	- @count is above SBUDDY_BATCH_MAX; nothing was allocated.
 * * -EFAULT	- the structure or @handles is not accessible; blocks whose
 *		  handle could not be written were freed again.
 * * -ENOSPC	- the module's handle space (2^31 - 1 live handles) is
 *		  full; [0, @done) were allocated.
 */
#define SBUDDY_IOC_ALLOC	_IOWR(SBUDDY_IOC_MAGIC, 0x01, struct sbuddy_alloc)

/**
 * DOC: SBUDDY_IOC_FREE
 *
 * SBUDDY_IOC_FREE - _IOWR(SBUDDY_IOC_MAGIC, 0x02, struct sbuddy_free)
 *
 * Frees the blocks of @count handles, in order, as __free_pages() frees
 * them.  The batch stops at the first handle this file does not own (never
 * allocated, already freed, or another file's); the structure is written
 * back in every case.
 *
 * Context: process context; may sleep.
 *
 * Return:
 * * 0		- all @count handles were freed.
 * * -ENOENT	- handle @done is not one of this file's; [0, @done) were
 *		  freed.
 * * -EINVAL	- a zero count or a nonzero @pad/@reserved.
 * * -E2BIG	- @count is above SBUDDY_BATCH_MAX.
 * * -EFAULT	- the structure or @handles is not accessible.
 */
#define SBUDDY_IOC_FREE		_IOWR(SBUDDY_IOC_MAGIC, 0x02, struct sbuddy_free)

/**
 * DOC: SBUDDY_IOC_PIN
 *
 * SBUDDY_IOC_PIN - _IOWR(SBUDDY_IOC_MAGIC, 0x03, struct sbuddy_handle_arg)
 *
 * Takes a long-term pin on the block, as pin_user_pages(FOLL_LONGTERM)
 * would: compaction, contiguous allocation and reclaim leave it where it
 * is until every pin is dropped.  Freeing the handle or closing the file
 * drops its pins.
 *
 * Context: process context; may sleep while the block is being migrated.
 *
 * Return:
 * * 0		- pinned; @pins says how many pins it holds.
 * * -ENOENT	- @handle is not one of this file's, or its block was
 *		  reclaimed.
 * * -EINVAL	- a nonzero @pad or @reserved.
 * * -EOVERFLOW	- the block already holds INT_MAX pins.
 * * -EFAULT	- the structure is not accessible.
 */
#define SBUDDY_IOC_PIN		_IOWR(SBUDDY_IOC_MAGIC, 0x03, struct sbuddy_handle_arg)

/**
 * DOC: SBUDDY_IOC_UNPIN
 *
 * SBUDDY_IOC_UNPIN - _IOWR(SBUDDY_IOC_MAGIC, 0x04, struct sbuddy_handle_arg)
 *
 * Drops one long-term pin.
 *
 * Context: process context.
 *
 * Return:
 * * 0		- unpinned; @pins says how many remain.
 * * -ENOENT	- @handle is not one of this file's.
 * * -EINVAL	- the block holds no pin, or a nonzero @pad or @reserved.
 * * -EFAULT	- the structure is not accessible.
 */
#define SBUDDY_IOC_UNPIN	_IOWR(SBUDDY_IOC_MAGIC, 0x04, struct sbuddy_handle_arg)

/**
 * DOC: SBUDDY_IOC_QUERY
 *
 * SBUDDY_IOC_QUERY - _IOWR(SBUDDY_IOC_MAGIC, 0x05, struct sbuddy_query)
 *
 * Reports where a block is and what happened to it.  Every output field
 * is written; a reclaimed block reports pfn 0 and the node, zone and
 * pageblock type of where it was last.
 *
 * Context: process context.
 *
 * Return:
 * * 0		- success.
 * * -ENOENT	- @handle is not one of this file's.
 * * -EINVAL	- a nonzero @reserved.
 * * -EFAULT	- the structure is not accessible.
 */
#define SBUDDY_IOC_QUERY	_IOWR(SBUDDY_IOC_MAGIC, 0x05, struct sbuddy_query)

/**
 * DOC: SBUDDY_IOC_FILL
 *
 * SBUDDY_IOC_FILL - _IOWR(SBUDDY_IOC_MAGIC, 0x06, struct sbuddy_fill)
 *
 * Writes sbuddy_pattern(@seed, i) into every 64-bit word i of the block
 * and returns the crc32 of its contents.  The block does not move while
 * it is being filled.
 *
 * Context: process context; may sleep.
 *
 * Return:
 * * 0		- filled; @crc32 is set.
 * * -ENOENT	- @handle is not one of this file's.
 * * -ESTALE	- the block was reclaimed: it has no pages.
 * * -EINVAL	- a nonzero @pad or @reserved.
 * * -EFAULT	- the structure is not accessible.
 */
#define SBUDDY_IOC_FILL		_IOWR(SBUDDY_IOC_MAGIC, 0x06, struct sbuddy_fill)

/**
 * DOC: SBUDDY_IOC_CHECKSUM
 *
 * SBUDDY_IOC_CHECKSUM - _IOWR(SBUDDY_IOC_MAGIC, 0x07, struct sbuddy_fill)
 *
 * Returns the crc32 of the block's contents, wherever they are now.
 *
 * Context: process context; may sleep.
 *
 * Return:
 * * 0		- @crc32 is set.
 * * -ENOENT	- @handle is not one of this file's.
 * * -ESTALE	- the block was reclaimed.
 * * -EINVAL	- a nonzero @seed, @pad or @reserved.
 * * -EFAULT	- the structure is not accessible.
 */
#define SBUDDY_IOC_CHECKSUM	_IOWR(SBUDDY_IOC_MAGIC, 0x07, struct sbuddy_fill)

/**
 * DOC: SBUDDY_IOC_DRAIN
 *
 * SBUDDY_IOC_DRAIN - _IOW(SBUDDY_IOC_MAGIC, 0x08, struct sbuddy_drain)
 *
 * Returns per-cpu list pages to the buddy lists: of every online CPU, of
 * the calling CPU, or of one possible CPU.
 *
 * Context: process context; may sleep.
 *
 * Return:
 * * 0		- drained.
 * * -EINVAL	- an unknown @scope, a @cpu that is not a possible CPU (or
 *		  nonzero without SBUDDY_DRAIN_CPU), a nonzero @reserved.
 * * -EFAULT	- the structure is not accessible.
 */
#define SBUDDY_IOC_DRAIN	_IOW(SBUDDY_IOC_MAGIC, 0x08, struct sbuddy_drain)

/**
 * DOC: SBUDDY_IOC_VERIFY
 *
 * SBUDDY_IOC_VERIFY - _IOR(SBUDDY_IOC_MAGIC, 0x09, struct sbuddy_verify)
 *
 * Runs the whole-machine consistency check of the debugfs file verify.
 * It is exact when no allocation or free is in flight.
 *
 * Context: process context; may sleep.
 *
 * Return:
 * * 0		- the check ran; @status and @message say its result.
 * * -EFAULT	- the structure is not writable.
 * * -ENOMEM	- no memory for the report.
 */
#define SBUDDY_IOC_VERIFY	_IOR(SBUDDY_IOC_MAGIC, 0x09, struct sbuddy_verify)

/**
 * DOC: SBUDDY_IOC_ALLOC_CONTIG
 *
 * SBUDDY_IOC_ALLOC_CONTIG - _IOWR(SBUDDY_IOC_MAGIC, 0x10, struct sbuddy_contig)
 *
 * Takes 2^@order contiguous pages as alloc_contig_range() does: the
 * pageblocks are isolated, the per-cpu lists drained, the movable blocks
 * in the range (of any file) migrated out with their contents, the
 * reclaimable ones reclaimed, and the free pages taken.  SBUDDY_CONTIG_RANGE takes the given range;
 * SBUDDY_CONTIG_SEARCH scans the node's zones for a free-able range
 * aligned to its size, as alloc_contig_pages() does.  The new block never
 * moves; SBUDDY_IOC_FREE, _QUERY, _FILL, _CHECKSUM, _PIN and mmap()
 * accept its handle, and closing the file frees it.
 *
 * Context: process context; may sleep.
 *
 * Return:
 * * 0		- allocated; @handle and @pfn say where.
 * * -EINVAL	- an unknown @mode, @order above SBUDDY_MAX_ORDER, a range
 *		  outside the region or across two zones, a @nid that is not
 *		  an emulated node, a nonzero @pad, @reserved or unused field.
 *		  Nothing changed.
 * * -EBUSY	- the range, or the rest of its pageblocks, holds a page that
 *		  cannot be freed (unmovable, pinned, or busy too long):
 *		  @failed_pfn names the first one.  Every pageblock and free
 *		  count is as before.
 * * -ENOMEM	- no range could be freed (SEARCH), or no page was left
 *		  to migrate a movable block to.
 * * -EPERM	- SBUDDY_CONTIG_RANGE without CAP_SYS_ADMIN.
 * * -EINTR	- a fatal signal arrived while migrating.
 * * -ENOSPC	- no handle is left.
 * * -EFAULT	- the structure is not accessible.
 */
#define SBUDDY_IOC_ALLOC_CONTIG	_IOWR(SBUDDY_IOC_MAGIC, 0x10, struct sbuddy_contig)

/**
 * DOC: SBUDDY_IOC_CMA_ALLOC
 *
 * SBUDDY_IOC_CMA_ALLOC - _IOWR(SBUDDY_IOC_MAGIC, 0x11, struct sbuddy_cma)
 *
 * Takes 2^@order pages of the CMA area (the module parameter cma=) as
 * cma_alloc() does: the lowest free range of the area's bitmap aligned
 * to 2^@align is taken with alloc_contig_range(), migrating the movable
 * blocks that use it out; a busy range is skipped for the next one.
 * The handle works like SBUDDY_IOC_ALLOC_CONTIG's.
 *
 * Context: process context; may sleep.
 *
 * Return:
 * * 0		- allocated; @handle and @pfn say where.
 * * -EINVAL	- @order or @align above SBUDDY_MAX_ORDER, more pages than
 *		  the area has, a nonzero @reserved.  Nothing changed.
 * * -ENODEV	- the machine has no CMA area.
 * * -ENOMEM	- no free range of that size and alignment in the bitmap.
 * * -EBUSY	- every candidate range held a page that could not be freed.
 * * -EINTR	- a fatal signal arrived while migrating.
 * * -ENOSPC	- no handle is left.
 * * -EFAULT	- the structure is not accessible.
 */
#define SBUDDY_IOC_CMA_ALLOC	_IOWR(SBUDDY_IOC_MAGIC, 0x11, struct sbuddy_cma)

/**
 * DOC: SBUDDY_IOC_WORKLOAD_START
 *
 * SBUDDY_IOC_WORKLOAD_START - _IOWR(SBUDDY_IOC_MAGIC, 0x12, struct sbuddy_workload_start)
 *
 * Parses a workload spec (the language of the debugfs file workload) and
 * starts its threads, one kernel thread per listed CPU; it returns at
 * once.  The run's blocks belong to the file: a later START or closing
 * the file frees them, and closing the file stops a run still going.
 *
 * Context: process context; may sleep.
 *
 * Return:
 * * 0		- started; @threads says how many threads.
 * * -EINVAL	- a malformed spec (@error_line and @error say where and
 *		  why; the kernel log says it too), a CPU that is not
 *		  online or does not exist, @len 0 or above
 *		  SBUDDY_WL_SPEC_MAX, nonzero @flags.  Nothing ran.
 * * -E2BIG	- more threads than online CPUs, or a "memory" above the
 *		  pages the region manages (@error says which).  Nothing ran.
 * * -EBUSY	- a run of this file has not ended (WAIT first, or STOP).
 * * -ENOMEM	- no memory for the run.
 * * -EFAULT	- the structure or the spec is not accessible.
 */
#define SBUDDY_IOC_WORKLOAD_START	_IOWR(SBUDDY_IOC_MAGIC, 0x12, struct sbuddy_workload_start)

/**
 * DOC: SBUDDY_IOC_WORKLOAD_WAIT
 *
 * SBUDDY_IOC_WORKLOAD_WAIT - _IOR(SBUDDY_IOC_MAGIC, 0x13, struct sbuddy_workload_result)
 *
 * Waits until the file's run ends (all phases, or a STOP) and writes its
 * results.  Waiting again returns the same results.  The blocks stay.
 *
 * Context: process context; sleeps interruptibly.
 *
 * Return:
 * * 0		- the run ended; the results are written.
 * * -ENOENT	- the file has started no run.
 * * -EINTR	- a signal arrived first; the run goes on.
 * * -ENOMEM	- a thread could not get its memory; the results so far
 *		  are written.
 * * -EFAULT	- the structure is not writable.
 */
#define SBUDDY_IOC_WORKLOAD_WAIT	_IOR(SBUDDY_IOC_MAGIC, 0x13, struct sbuddy_workload_result)

/**
 * DOC: SBUDDY_IOC_WORKLOAD_STOP
 *
 * SBUDDY_IOC_WORKLOAD_STOP - _IO(SBUDDY_IOC_MAGIC, 0x14)
 *
 * Asks the file's run to stop after each thread's current operation and
 * returns without waiting; WAIT then reports SBUDDY_WL_STOPPED (unless
 * the run had already ended).  The blocks stay.
 *
 * Context: any process context.
 *
 * Return:
 * * 0		- asked (or the run had already ended).
 * * -ENOENT	- the file has started no run.
 */
#define SBUDDY_IOC_WORKLOAD_STOP	_IO(SBUDDY_IOC_MAGIC, 0x14)

/**
 * DOC: SBUDDY_IOC_FREE_HELD
 *
 * SBUDDY_IOC_FREE_HELD - _IOWR(SBUDDY_IOC_MAGIC, 0x18, struct sbuddy_free_held)
 *
 * Frees @handle's block as __free_pages() does while another reference
 * to its first page is held: the module takes a speculative reference
 * (as a GUP-fast or page-cache lookup's get_page() would), drops the
 * owner's one through __free_pages(), and the held reference becomes
 * the block the handle names.  A non-compound block of order > 0 keeps
 * its first page as an order-0 block and 2^order - 1 pages go back to
 * the buddy lists now, in chunks of orders order-1, ..., 0 (through the
 * per-cpu lists for the small ones); mapped pages beyond the first are
 * unmapped and fault with SIGBUS afterwards.  A compound block
 * (SBUDDY_ALLOC_COMP) frees nothing and stays whole.  SBUDDY_IOC_FREE
 * (or closing the file) later drops the last reference and frees what
 * is left.  Waits for a migration, reclaim or access of the block.
 *
 * Context: process context; may sleep.
 *
 * Return:
 * * 0		- done; @order and @nr_freed say what happened.
 * * -EINVAL	- a nonzero @reserved, or a contiguous or CMA block (those
 *		  are not freed through __free_pages()).  Nothing changed.
 * * -ENOENT	- @handle is not a block of this file, or it was reclaimed.
 * * -EBUSY	- the block is long-term pinned: the pin holds all of it.
 * * -EFAULT	- the structure is not accessible (before anything is
 *		  done, or, if it stopped being writable meanwhile, after).
 */
#define SBUDDY_IOC_FREE_HELD	_IOWR(SBUDDY_IOC_MAGIC, 0x18, struct sbuddy_free_held)

#endif /* _UAPI_LINUX_SBUDDY_H */
