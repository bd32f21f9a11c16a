// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy workloads: reproducible allocation patterns run by kthreads on
 * chosen CPUs, as an owner of the machine.
 *
 * A spec is text, one directive per line ('#' starts a comment):
 *
 *	name NAME
 *	seed N
 *	cpus N[,N...]			one kthread per CPU (default 0)
 *	memory SIZE[K|M|G]		the most the run may hold; an
 *					allocation beyond it fails
 *	phase fill PCT [opts]		allocate until PCT% of managed pages
 *	phase churn OPS [opts]		OPS allocations; blocks die after
 *					their lifetime (in operations)
 *	phase free PCT			free PCT% of the live blocks
 *	phase idle MS			sleep
 *
 * with opts:
 *	orders=O:W[,O:W...]		weights of orders 0..10 (default 0:1)
 *	types=u:W,m:W,r:W		weights of unmovable, movable and
 *					reclaimable (default m:1)
 *	flags=F[,F...]			SBUDDY_ALLOC_* names: atomic, nowait,
 *					high, zero, comp, noretry,
 *					retry_mayfail, nowarn, cold,
 *					highmem
 *	life=MEAN			lifetime in operations (churn;
 *					uniform on 1..2*MEAN; 0: forever)
 *
 * Each thread draws from its own xorshift generator seeded from the seed
 * and its index, so one CPU and one seed give the same run every time.
 * Blocks stay allocated after the run until released.
 */
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <linux/sbuddy.h>

#include "abi.h"
#include "sb_internal.h"
#include "workload.h"

static const struct {
	const char *name;
	u32 flag;
} sb_wl_flag_names[] = {
	{ "atomic", SBUDDY_ALLOC_ATOMIC },
	{ "nowait", SBUDDY_ALLOC_NOWAIT },
	{ "high", SBUDDY_ALLOC_HIGH },
	{ "zero", SBUDDY_ALLOC_ZERO },
	{ "comp", SBUDDY_ALLOC_COMP },
	{ "noretry", SBUDDY_ALLOC_NORETRY },
	{ "retry_mayfail", SBUDDY_ALLOC_RETRY_MAYFAIL },
	{ "nowarn", SBUDDY_ALLOC_NOWARN },
	{ "cold", SBUDDY_ALLOC_COLD },
	{ "highmem", SBUDDY_ALLOC_HIGHMEM },
};

static int sb_wl_err(struct sb_wl_error *e, int line, const char *what)
{
	e->line = line;
	strscpy(e->msg, what, sizeof(e->msg));
	return -EINVAL;
}

/* "O:W,O:W" into weights[0..n) */
static int sb_wl_weights(char *s, u32 *w, int n, const char *keys)
{
	char *tok;

	memset(w, 0, n * sizeof(*w));
	while ((tok = strsep(&s, ","))) {
		char *colon = strchr(tok, ':');
		unsigned int k, v;

		if (!colon)
			return -EINVAL;
		*colon = '\0';
		if (keys) {
			const char *p = strchr(keys, tok[0]);

			if (!p || tok[1] || !tok[0])
				return -EINVAL;
			k = p - keys;
		} else if (kstrtouint(tok, 10, &k) || k >= n) {
			return -EINVAL;
		}
		if (kstrtouint(colon + 1, 10, &v) || v > 1000000)
			return -EINVAL;
		w[k] = v;
	}
	return 0;
}

static int sb_wl_sum(const u32 *w, int n)
{
	int i, s = 0;

	for (i = 0; i < n; i++)
		s += w[i];
	return s;
}

static int sb_wl_flags(char *s, u32 *flags)
{
	char *tok;
	int i;

	*flags = 0;
	while ((tok = strsep(&s, ","))) {
		for (i = 0; i < ARRAY_SIZE(sb_wl_flag_names); i++)
			if (!strcmp(tok, sb_wl_flag_names[i].name))
				break;
		if (i == ARRAY_SIZE(sb_wl_flag_names))
			return -EINVAL;
		*flags |= sb_wl_flag_names[i].flag;
	}
	return 0;
}

static int sb_wl_phase_opts(char *p, struct sb_wl_phase *ph)
{
	char *tok;

	ph->order_w[0] = 1;
	ph->type_w[SB_MIGRATE_MOVABLE] = 1;
	while ((tok = strsep(&p, " \t"))) {
		char *eq = strchr(tok, '=');

		if (!*tok)
			continue;
		if (!eq)
			return -EINVAL;
		*eq++ = '\0';
		if (!strcmp(tok, "orders")) {
			if (sb_wl_weights(eq, ph->order_w, SB_MAX_ORDER, NULL) ||
			    !sb_wl_sum(ph->order_w, SB_MAX_ORDER))
				return -EINVAL;
		} else if (!strcmp(tok, "types")) {
			if (sb_wl_weights(eq, ph->type_w, 3, "umr") ||
			    !sb_wl_sum(ph->type_w, 3))
				return -EINVAL;
		} else if (!strcmp(tok, "flags")) {
			if (sb_wl_flags(eq, &ph->flags))
				return -EINVAL;
		} else if (!strcmp(tok, "life")) {
			if (kstrtouint(eq, 10, &ph->life))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * sb_wl_parse - parse a workload spec
 * @text:	the spec (modified)
 * @spec:	out
 * @err:	out: the line and the reason on failure
 *
 * Return: 0 or -EINVAL.
 */
int sb_wl_parse(char *text, struct sb_wl_spec *spec, struct sb_wl_error *err)
{
	char *line;
	int ln = 0;

	memset(spec, 0, sizeof(*spec));
	strscpy(spec->name, "unnamed", sizeof(spec->name));
	spec->nr_cpus = 1;
	while ((line = strsep(&text, "\n"))) {
		char *hash = strchr(line, '#'), *word, *rest;

		ln++;
		if (hash)
			*hash = '\0';
		rest = strim(line);
		word = strsep(&rest, " \t");
		if (!word || !*word)
			continue;
		rest = rest ? strim(rest) : "";
		if (!strcmp(word, "name")) {
			if (!*rest || strlen(rest) >= sizeof(spec->name))
				return sb_wl_err(err, ln, "bad name");
			strscpy(spec->name, rest, sizeof(spec->name));
		} else if (!strcmp(word, "seed")) {
			if (kstrtou64(rest, 0, &spec->seed))
				return sb_wl_err(err, ln, "bad seed");
		} else if (!strcmp(word, "cpus")) {
			char *tok;

			spec->nr_cpus = 0;
			while ((tok = strsep(&rest, ","))) {
				unsigned int cpu;

				if (spec->nr_cpus == SB_WL_MAX_THREADS ||
				    kstrtouint(tok, 10, &cpu) ||
				    cpu >= nr_cpu_ids || !cpu_online(cpu))
					return sb_wl_err(err, ln,
							 "bad cpu list (online CPUs, at most 8)");
				spec->cpus[spec->nr_cpus++] = cpu;
			}
		} else if (!strcmp(word, "memory")) {
			char *end;
			u64 bytes = memparse(rest, &end);

			if (!*rest || *end || !bytes)
				return sb_wl_err(err, ln, "bad memory size");
			spec->max_pages = bytes >> PAGE_SHIFT;
			if (!spec->max_pages || bytes > (u64)LONG_MAX)
				return sb_wl_err(err, ln, "bad memory size");
		} else if (!strcmp(word, "phase")) {
			struct sb_wl_phase *ph;
			char *kind = strsep(&rest, " \t"), *arg;
			unsigned long v;

			if (spec->nr_phases == SB_WL_MAX_PHASES)
				return sb_wl_err(err, ln, "more than 16 phases");
			ph = &spec->phases[spec->nr_phases];
			arg = rest ? strsep(&rest, " \t") : NULL;
			if (!kind || !arg || kstrtoul(arg, 10, &v))
				return sb_wl_err(err, ln,
						 "phase KIND NUMBER [options]");
			if (!strcmp(kind, "fill") && v <= 100)
				ph->kind = SB_WL_FILL;
			else if (!strcmp(kind, "churn") && v <= 100000000)
				ph->kind = SB_WL_CHURN;
			else if (!strcmp(kind, "free") && v <= 100)
				ph->kind = SB_WL_FREE;
			else if (!strcmp(kind, "idle") && v <= 60000)
				ph->kind = SB_WL_IDLE;
			else
				return sb_wl_err(err, ln,
						 "unknown phase or number out of range");
			ph->arg = v;
			if (sb_wl_phase_opts(rest, ph))
				return sb_wl_err(err, ln, "bad phase option");
			spec->nr_phases++;
		} else {
			return sb_wl_err(err, ln, "unknown directive");
		}
	}
	if (!spec->nr_phases)
		return sb_wl_err(err, 0, "no phase");
	return 0;
}

/* xorshift64* */
static u64 sb_wl_rand(u64 *s)
{
	u64 x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static int sb_wl_pick(u64 *s, const u32 *w, int n)
{
	u32 r = sb_wl_rand(s) % sb_wl_sum(w, n);
	int i;

	for (i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

/* one live block of a thread and the operation it dies at */
struct sb_wl_live {
	struct sb_block *blk;
	u64 death;
};

struct sb_wl_thread {
	struct sb_wl_run *run;
	struct task_struct *task;
	int index;
	u64 rng;
	struct sb_wl_live *live;	/* a min-heap on death */
	unsigned long nr_live, max_live;
	unsigned long pages, max_pages;
	struct sb_wl_result res;
	int error;
};

static void sb_wl_heap_down(struct sb_wl_live *h, unsigned long n,
			    unsigned long i)
{
	for (;;) {
		unsigned long l = 2 * i + 1, m = i;

		if (l < n && h[l].death < h[m].death)
			m = l;
		if (l + 1 < n && h[l + 1].death < h[m].death)
			m = l + 1;
		if (m == i)
			return;
		swap(h[i], h[m]);
		i = m;
	}
}

static void sb_wl_heap_up(struct sb_wl_live *h, unsigned long i)
{
	while (i && h[(i - 1) / 2].death > h[i].death) {
		swap(h[i], h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static void sb_wl_hist(unsigned long *hist, u64 ns)
{
	hist[min_t(int, fls64(ns), SB_WL_HIST - 1)]++;
}

static void sb_wl_free_at(struct sb_wl_thread *t, unsigned long i)
{
	struct sb_wl_live *h = t->live;
	struct sb_block *blk = h[i].blk;
	u64 t0 = ktime_get_ns();

	t->pages -= 1UL << blk->order;
	sb_owner_free(&t->run->owner, blk);
	sb_wl_hist(t->res.free_ns, ktime_get_ns() - t0);
	t->res.frees++;
	h[i] = h[--t->nr_live];
	if (i < t->nr_live) {
		sb_wl_heap_down(h, t->nr_live, i);
		sb_wl_heap_up(h, i);
	}
}

/* one allocation as the phase says; false when it failed */
static bool sb_wl_alloc(struct sb_wl_thread *t, const struct sb_wl_phase *ph,
			u64 now)
{
	static const u32 type_flag[3] = {
		0, SBUDDY_ALLOC_MOVABLE, SBUDDY_ALLOC_RECLAIMABLE,
	};
	int order = sb_wl_pick(&t->rng, ph->order_w, SB_MAX_ORDER);
	int type = sb_wl_pick(&t->rng, ph->type_w, 3);
	struct sb_block *blk;
	u64 t0, death = U64_MAX;
	gfp_t gfp;

	if (ph->life && now != U64_MAX)
		death = now + 1 + sb_wl_rand(&t->rng) % (2 * ph->life);
	if (t->nr_live == t->max_live ||
	    t->pages + (1UL << order) > t->max_pages ||
	    sb_abi_gfp(ph->flags | type_flag[type] | SBUDDY_ALLOC_NOWARN, &gfp)) {
		t->res.alloc_fail[order]++;
		return false;
	}
	t0 = ktime_get_ns();
	blk = sb_owner_alloc(&t->run->owner, gfp, order, NULL);
	sb_wl_hist(t->res.alloc_ns, ktime_get_ns() - t0);
	if (IS_ERR(blk)) {
		t->res.alloc_fail[order]++;
		return false;
	}
	t->res.alloc_ok[order]++;
	t->pages += 1UL << order;
	t->live[t->nr_live].blk = blk;
	t->live[t->nr_live].death = death;
	sb_wl_heap_up(t->live, t->nr_live++);
	return true;
}

/* a STOP, a close of the file or the caller's kthread_stop() */
static bool sb_wl_should_stop(struct sb_wl_thread *t)
{
	return READ_ONCE(t->run->stop) || kthread_should_stop();
}

static int sb_wl_phase(struct sb_wl_thread *t, const struct sb_wl_phase *ph)
{
	struct sb_wl_run *run = t->run;
	unsigned long target, i, n, fails = 0;
	u64 op, end;

	switch (ph->kind) {
	case SB_WL_FILL:
		target = run->managed * ph->arg / 100 / run->spec.nr_cpus;
		while (t->pages < target && fails < 64) {
			if (sb_wl_should_stop(t))
				return -EINTR;
			fails = sb_wl_alloc(t, ph, U64_MAX) ? 0 : fails + 1;
			cond_resched();
		}
		return 0;
	case SB_WL_CHURN:
		for (op = 0; op < ph->arg; op++) {
			if (sb_wl_should_stop(t))
				return -EINTR;
			while (t->nr_live && t->live[0].death <= op)
				sb_wl_free_at(t, 0);
			sb_wl_alloc(t, ph, op);
			cond_resched();
		}
		return 0;
	case SB_WL_FREE:
		n = t->nr_live * ph->arg / 100;
		for (i = 0; i < n && t->nr_live; i++) {
			sb_wl_free_at(t, sb_wl_rand(&t->rng) % t->nr_live);
			cond_resched();
		}
		return 0;
	case SB_WL_IDLE:
		/* short naps: a stop is seen within one */
		end = ktime_get_ns() + ph->arg * NSEC_PER_MSEC;
		while (ktime_get_ns() < end) {
			if (sb_wl_should_stop(t))
				return -EINTR;
			schedule_timeout_interruptible(msecs_to_jiffies(10));
		}
		return 0;
	}
	return -EINVAL;
}

static int sb_wl_threadfn(void *data)
{
	struct sb_wl_thread *t = data;
	struct sb_wl_run *run = t->run;
	int i;

	wait_for_completion(&run->start);
	for (i = 0; i < run->spec.nr_phases && !t->error; i++)
		t->error = sb_wl_phase(t, &run->spec.phases[i]);
	if (atomic_dec_and_test(&run->running)) {
		run->end_ns = ktime_get_ns();
		complete_all(&run->done);
	}
	/* wait to be stopped so the task outlives our last access to it */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static const int sb_wl_events[SB_WL_NR_EVENTS] = {
	SB_EV_EXTFRAG, SB_EV_EXTFRAG_FRAGMENTING, SB_EV_STEAL_BLOCK,
	SB_COMPACTSTALL, SB_COMPACTSUCCESS, SB_COMPACTFAIL,
	SB_COMPACTMIGRATE_SCANNED, SB_COMPACTFREE_SCANNED, SB_PGMIGRATE_SUCCESS,
};

static unsigned long sb_wl_managed(struct sb_machine *m)
{
	unsigned long managed = 0;
	struct sb_zone *zone;

	for (zone = sb_first_zone(m); zone; zone = sb_next_zone(zone))
		managed += sb_zone_managed_pages(zone);
	return managed;
}

/**
 * sb_wl_check - refuse a parsed spec the machine cannot run
 * @m:		the machine
 * @spec:	from sb_wl_parse()
 * @err:	out: the reason on failure
 *
 * Return: 0, or -E2BIG for more threads than online CPUs or more memory
 * than the region manages.
 */
int sb_wl_check(struct sb_machine *m, const struct sb_wl_spec *spec,
		struct sb_wl_error *err)
{
	err->line = 0;
	if (spec->nr_cpus > num_online_cpus()) {
		strscpy(err->msg, "more threads than online CPUs",
			sizeof(err->msg));
		return -E2BIG;
	}
	if (spec->max_pages > sb_wl_managed(m)) {
		strscpy(err->msg, "more memory than the region manages",
			sizeof(err->msg));
		return -E2BIG;
	}
	return 0;
}

/**
 * sb_wl_spec_from_text - a spec parsed from @text and checked against @m
 * @m:		the machine
 * @text:	the spec's text, NUL-terminated (sb_wl_parse() cuts it up)
 * @err:	out: the line and reason of a refusal, also logged
 *
 * Return: a spec to kfree(), or ERR_PTR() of -ENOMEM or of the error of
 * sb_wl_parse() or sb_wl_check().
 */
struct sb_wl_spec *sb_wl_spec_from_text(struct sb_machine *m, char *text,
					struct sb_wl_error *err)
{
	struct sb_wl_spec *spec = kzalloc(sizeof(*spec), GFP_KERNEL);
	int ret;

	if (!spec)
		return ERR_PTR(-ENOMEM);
	ret = sb_wl_parse(text, spec, err);
	if (!ret)
		ret = sb_wl_check(m, spec, err);
	if (ret) {
		pr_info_ratelimited("sbuddy: workload: line %d: %s\n",
				    err->line, err->msg);
		kfree(spec);
		return ERR_PTR(ret);
	}
	return spec;
}

/**
 * sb_wl_start - start a workload's threads
 * @m:		the machine
 * @spec:	a parsed and checked spec
 *
 * Return: the running run (sb_wl_wait(), sb_wl_stop(), sb_wl_finish(),
 * sb_wl_release()), or an ERR_PTR (-ENOMEM, or kthread_create's error).
 */
struct sb_wl_run *sb_wl_start(struct sb_machine *m,
			      const struct sb_wl_spec *spec)
{
	unsigned long per_thread = m->vm_total_pages / spec->nr_cpus + 1;
	struct sb_wl_thread *threads;
	struct sb_wl_run *run;
	int i, j, ret = -ENOMEM;

	run = kzalloc(sizeof(*run), GFP_KERNEL);
	threads = kcalloc(spec->nr_cpus, sizeof(*threads), GFP_KERNEL);
	if (!run || !threads) {
		kfree(threads);
		kfree(run);
		return ERR_PTR(-ENOMEM);
	}
	run->spec = *spec;
	run->threads = threads;
	init_completion(&run->start);
	init_completion(&run->done);
	atomic_set(&run->running, spec->nr_cpus);
	sb_owner_init(&run->owner, m, NULL, spec->name);
	/* kthreads hold its blocks: the OOM killer spares them */
	run->owner.oom_unkillable = true;
	run->managed = sb_wl_managed(m);

	for (i = 0; i < spec->nr_cpus; i++) {
		struct sb_wl_thread *t = &threads[i];

		t->run = run;
		t->index = i;
		t->rng = (spec->seed + 1) * 0x9e3779b97f4a7c15ULL + i * 2 + 1;
		t->max_live = per_thread;
		t->max_pages = spec->max_pages ?
			       spec->max_pages / spec->nr_cpus : ULONG_MAX;
		t->live = kvcalloc(per_thread, sizeof(*t->live), GFP_KERNEL);
		if (!t->live)
			goto fail;
		t->task = kthread_create_on_cpu(sb_wl_threadfn, t, spec->cpus[i],
						"sbuddy-wl/%u");
		if (IS_ERR(t->task)) {
			ret = PTR_ERR(t->task);
			t->task = NULL;
			goto fail;
		}
		wake_up_process(t->task);
	}
	for (j = 0; j < SB_WL_NR_EVENTS; j++)
		run->before[j] = sb_vm_event(m, sb_wl_events[j]);
	run->start_ns = ktime_get_ns();
	complete_all(&run->start);
	return run;
fail:
	/* the started threads run no phase: they see the stop first */
	WRITE_ONCE(run->stop, true);
	sb_wl_release(run);
	return ERR_PTR(ret);
}

/**
 * sb_wl_wait - wait for a run's threads to finish their phases
 * @run:	from sb_wl_start()
 * @killable:	only a fatal signal interrupts (else any signal)
 *
 * Return: 0, or -ERESTARTSYS when a signal came first.
 */
int sb_wl_wait(struct sb_wl_run *run, bool killable)
{
	if (killable)
		return wait_for_completion_killable(&run->done);
	return wait_for_completion_interruptible(&run->done);
}

/**
 * sb_wl_stop - ask a run's threads to stop after their current operation
 * @run:	from sb_wl_start(), or NULL
 */
void sb_wl_stop(struct sb_wl_run *run)
{
	if (!IS_ERR_OR_NULL(run))
		WRITE_ONCE(run->stop, true);
}

/**
 * sb_wl_finish - end a run's threads and sum their results
 * @run:	from sb_wl_start()
 * @res:	out: the summed results (again on later calls)
 *
 * Threads still in a phase are stopped.  The blocks stay with the run.
 *
 * Return: 0; -EINTR when a thread was stopped before its last phase
 * ended; -ENOMEM.
 */
int sb_wl_finish(struct sb_wl_run *run, struct sb_wl_result *res)
{
	struct sb_wl_thread *threads = run->threads;
	struct sb_machine *m = run->owner.machine;
	int i, j;

	if (!threads)
		goto out;
	complete_all(&run->start);
	for (i = 0; i < run->spec.nr_cpus; i++)
		if (threads[i].task)
			kthread_stop(threads[i].task);
	if (!run->end_ns)
		run->end_ns = ktime_get_ns();
	for (i = 0; i < run->spec.nr_cpus; i++) {
		struct sb_wl_result *r = &threads[i].res;

		for (j = 0; j < SB_MAX_ORDER; j++) {
			run->res.alloc_ok[j] += r->alloc_ok[j];
			run->res.alloc_fail[j] += r->alloc_fail[j];
		}
		for (j = 0; j < SB_WL_HIST; j++) {
			run->res.alloc_ns[j] += r->alloc_ns[j];
			run->res.free_ns[j] += r->free_ns[j];
		}
		run->res.frees += r->frees;
		run->res.pages += threads[i].pages;
		run->res.blocks += threads[i].nr_live;
		if (!threads[i].live || !threads[i].task)
			run->error = -ENOMEM;
		else if (threads[i].error && !run->error)
			run->error = threads[i].error;
	}
	for (j = 0; j < SB_WL_NR_EVENTS; j++)
		run->res.events[j] = sb_vm_event(m, sb_wl_events[j]) -
				     run->before[j];
	run->res.elapsed_ns = run->end_ns - run->start_ns;
	for (i = 0; i < run->spec.nr_cpus; i++)
		kvfree(threads[i].live);
	kfree(threads);
	run->threads = NULL;
out:
	*res = run->res;
	return run->error;
}

/**
 * sb_wl_run - run a workload to its end and keep its blocks
 * @m:		the machine
 * @spec:	a parsed spec
 * @res:	out: the summed results
 *
 * Return: a run holding its blocks (sb_wl_release() frees them), or an
 * ERR_PTR (-ENOMEM, -EINTR after a fatal signal: the blocks are freed then).
 */
struct sb_wl_run *sb_wl_run(struct sb_machine *m, const struct sb_wl_spec *spec,
			    struct sb_wl_result *res)
{
	struct sb_wl_run *run = sb_wl_start(m, spec);
	int ret;

	memset(res, 0, sizeof(*res));
	if (IS_ERR(run))
		return run;
	if (sb_wl_wait(run, true))
		sb_wl_stop(run);
	ret = sb_wl_finish(run, res);
	if (ret) {
		sb_wl_release(run);
		return ERR_PTR(ret);
	}
	return run;
}

/**
 * sb_wl_release - stop a run, free its blocks and the run
 * @run:	from sb_wl_start() or sb_wl_run(), or NULL
 */
void sb_wl_release(struct sb_wl_run *run)
{
	struct sb_wl_result res;

	if (IS_ERR_OR_NULL(run))
		return;
	sb_wl_stop(run);
	sb_wl_finish(run, &res);
	sb_owner_release(&run->owner);
	kfree(run);
}
