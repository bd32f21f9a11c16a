/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sbuddy workloads: spec, run and results (workload.c).
 */
#ifndef _SBUDDY_WORKLOAD_H
#define _SBUDDY_WORKLOAD_H

#include <linux/atomic.h>
#include <linux/completion.h>

#include "sb_core.h"

#define SB_WL_MAX_PHASES	16
#define SB_WL_MAX_THREADS	8
#define SB_WL_HIST		40	/* log2 ns buckets */
#define SB_WL_NR_EVENTS		9

enum sb_wl_kind { SB_WL_FILL, SB_WL_CHURN, SB_WL_FREE, SB_WL_IDLE };

struct sb_wl_phase {
	int kind;
	unsigned long arg;		/* percent, operations or ms */
	u32 order_w[SB_MAX_ORDER];
	u32 type_w[3];			/* unmovable, movable, reclaimable */
	u32 flags;			/* SBUDDY_ALLOC_* */
	unsigned int life;		/* churn: mean lifetime in operations */
};

struct sb_wl_spec {
	char name[32];
	u64 seed;
	int nr_cpus;
	int cpus[SB_WL_MAX_THREADS];
	unsigned long max_pages;	/* "memory": 0 for no cap */
	int nr_phases;
	struct sb_wl_phase phases[SB_WL_MAX_PHASES];
};

/**
 * struct sb_wl_result - what a run did, summed over its threads
 * @alloc_ok:	successful allocations per order
 * @alloc_fail:	failed allocations per order
 * @frees:	blocks freed during the run
 * @alloc_ns:	allocation latency, bucket b counts times in [2^(b-1), 2^b) ns
 * @free_ns:	the same for frees
 * @pages:	pages held at the end
 * @blocks:	blocks held at the end
 * @elapsed_ns: from the start to the end of the last thread's phases
 * @events:	vmstat deltas over the run: sbuddy_extfrag,
 *		sbuddy_extfrag_fragmenting, sbuddy_steal_pageblock,
 *		compact_stall, compact_success, compact_fail,
 *		compact_migrate_scanned, compact_free_scanned,
 *		pgmigrate_success
 */
struct sb_wl_result {
	unsigned long alloc_ok[SB_MAX_ORDER];
	unsigned long alloc_fail[SB_MAX_ORDER];
	unsigned long frees;
	unsigned long alloc_ns[SB_WL_HIST];
	unsigned long free_ns[SB_WL_HIST];
	unsigned long pages;
	unsigned long blocks;
	unsigned long events[SB_WL_NR_EVENTS];
	u64 elapsed_ns;
};

/* a spec's first error: its line (0: the whole spec) and reason */
struct sb_wl_error {
	int line;
	char msg[64];
};

struct sb_wl_thread;

struct sb_wl_run {
	struct sb_wl_spec spec;
	struct sb_owner owner;		/* holds the blocks */
	struct sb_wl_thread *threads;
	struct completion start;
	struct completion done;
	unsigned long managed;
	atomic_t running;		/* threads still in their phases */
	bool stop;
	int error;
	u64 before[SB_WL_NR_EVENTS];
	u64 start_ns, end_ns;
	struct sb_wl_result res;	/* valid once threads is NULL */
};

int sb_wl_parse(char *text, struct sb_wl_spec *spec, struct sb_wl_error *err);
int sb_wl_check(struct sb_machine *m, const struct sb_wl_spec *spec,
		struct sb_wl_error *err);
struct sb_wl_spec *sb_wl_spec_from_text(struct sb_machine *m, char *text,
					struct sb_wl_error *err);
struct sb_wl_run *sb_wl_start(struct sb_machine *m,
			      const struct sb_wl_spec *spec);
int sb_wl_wait(struct sb_wl_run *run, bool killable);
void sb_wl_stop(struct sb_wl_run *run);
int sb_wl_finish(struct sb_wl_run *run, struct sb_wl_result *res);
struct sb_wl_run *sb_wl_run(struct sb_machine *m, const struct sb_wl_spec *spec,
			    struct sb_wl_result *res);
void sb_wl_release(struct sb_wl_run *run);

#endif /* _SBUDDY_WORKLOAD_H */
