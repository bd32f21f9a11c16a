// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy: an in-module benchmark in the style of prototype-kernel's
 * page_bench.  The same alloc+free loops run through the host's page
 * allocator and through sbuddy, with the same orders and gfp, in the same
 * boot, and the table gives cycles and ns per pair of each and their
 * ratio.  Absolute times in a TCG guest mean little; the ratios of one
 * run are the figure.
 *
 * /sys/kernel/debug/sbuddy/bench (0600): writing "run [key=value...]"
 * runs the benchmark in the writer's context; reading gives the last
 * table.  Documentation/admin-guide/bench.rst describes the method.
 *
 * Host-only: it calls the host's allocator, so it is not in the KUnit
 * build.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_buf.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/timex.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "sb_core.h"
#include "sbuddy.h"

#define SB_BENCH_TABLE_SIZE	8192
#define SB_BENCH_CMD_MAX	256

/* Row groups, the names "rows=" takes. */
enum {
	SB_BENCH_PAIR	= BIT(0),	/* alloc+free, one at a time */
	SB_BENCH_BATCH	= BIT(1),	/* N outstanding, then freed */
	SB_BENCH_BULK	= BIT(2),	/* the bulk allocator */
	SB_BENCH_PAR	= BIT(3),	/* pairs on 1..cpus CPUs at once */
	SB_BENCH_ALL	= BIT(4) - 1,
};

static const char * const sb_bench_row_names[] = {
	"pair", "batch", "bulk", "par",
};

static const unsigned int sb_bench_orders[] = { 0, 1, 3, 9 };
static const unsigned int sb_bench_batch_n[] = { 1, 8, 64, 512, 8192 };
static const unsigned int sb_bench_bulk_n[] = { 1, 8, 64, 512 };
static const unsigned int sb_bench_par_orders[] = { 0, 3 };

/**
 * struct sb_bench_opts - what one run does ("key=value" words)
 * @loops:	alloc+free pairs per order-0 row and side (per thread in par)
 * @repeat:	timed rounds per row and side; the fastest is kept
 * @pages:	most pages a row may hold at once (N << order)
 * @cpus:	most threads in the par rows
 * @rows:	SB_BENCH_* groups to run
 */
struct sb_bench_opts {
	unsigned int loops;
	unsigned int repeat;
	unsigned int pages;
	unsigned int cpus;
	unsigned int rows;
};

/* One side's measurement of one row. */
struct sb_bench_res {
	u64 cycles;
	u64 ns;
	u64 pairs;
	u64 fail;
};

/* One run: its options, its gfp, its table being written. */
struct sb_bench {
	struct sb_machine *m;
	struct sb_bench_opts o;
	gfp_t gfp;		/* both sides */
	gfp_t sb_zero;		/* __GFP_ZERO for sbuddy when the host zeroes */
	void **slots;		/* outstanding blocks, either side */
	atomic_t abort;		/* the writer has a signal: threads stop */
	struct seq_buf s;
};

/* One pinned thread of a par row. */
struct sb_bench_thread {
	struct sb_bench *b;
	struct task_struct *task;
	bool host;
	unsigned int order;
	u64 loops;
	struct completion *start;
	atomic_t *ready;
	atomic_t *left;
	struct completion *done;
	unsigned int nr;
	struct sb_bench_res r;
};

/*
 * One module instance (main.c's), so one benchmark state: the last table
 * and the lock that keeps a second writer out while one runs.
 */
static DEFINE_MUTEX(sb_bench_run_lock);
static DEFINE_MUTEX(sb_bench_table_lock);
static char *sb_bench_table;

static gfp_t sb_bench_gfp(struct sb_bench *b, bool host, unsigned int order)
{
	gfp_t gfp = b->gfp;

	/* a costly order may fail rather than reclaim, on both sides */
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		gfp |= __GFP_NORETRY;
	return host ? gfp : gfp | b->sb_zero;
}

/*
 * Always inlined with a constant @host, so each loop is compiled once per
 * side and times the allocator, not an indirect call.
 */
static __always_inline void *sb_bench_alloc(struct sb_bench *b, bool host,
					    gfp_t gfp, unsigned int order)
{
	if (host)
		return alloc_pages(gfp, order);
	return sb_alloc_pages(b->m, gfp, order, NUMA_NO_NODE, NULL);
}

static __always_inline void sb_bench_free(struct sb_bench *b, bool host,
					  void *p, unsigned int order)
{
	if (host)
		__free_pages(p, order);
	else
		sb_free_pages(b->m, p, order);
}

static __always_inline void sb_bench_start(u64 *t, u64 *c)
{
	*t = ktime_get_ns();
	*c = get_cycles();
}

static __always_inline void sb_bench_stop(struct sb_bench_res *r, u64 t,
					  u64 c)
{
	r->cycles = get_cycles() - c;
	r->ns = ktime_get_ns() - t;
}

/* @nr pairs of alloc and immediate free; pinned so one CPU's lists serve */
static __always_inline void sb_bench_pairs(struct sb_bench *b, bool host,
					   unsigned int order, u64 nr,
					   struct sb_bench_res *r)
{
	gfp_t gfp = sb_bench_gfp(b, host, order);
	u64 i, t, c;
	void *p;

	memset(r, 0, sizeof(*r));
	migrate_disable();
	sb_bench_start(&t, &c);
	for (i = 0; i < nr; i++) {
		p = sb_bench_alloc(b, host, gfp, order);
		if (unlikely(!p))
			r->fail++;
		else
			sb_bench_free(b, host, p, order);
		if (unlikely(!(i & 255))) {
			cond_resched();
			if (atomic_read(&b->abort) || signal_pending(current))
				break;
		}
	}
	sb_bench_stop(r, t, c);
	migrate_enable();
	r->pairs = i;
}

/* @rounds times: allocate @n blocks, then free them in the same order */
static __always_inline void sb_bench_batch(struct sb_bench *b, bool host,
					   unsigned int order, unsigned int n,
					   u64 rounds, struct sb_bench_res *r)
{
	gfp_t gfp = sb_bench_gfp(b, host, order);
	void **slots = b->slots;
	unsigned int i;
	u64 k, t, c;

	memset(r, 0, sizeof(*r));
	migrate_disable();
	sb_bench_start(&t, &c);
	for (k = 0; k < rounds; k++) {
		for (i = 0; i < n; i++) {
			slots[i] = sb_bench_alloc(b, host, gfp, order);
			if (unlikely(!slots[i]))
				r->fail++;
		}
		for (i = 0; i < n; i++) {
			if (likely(slots[i]))
				sb_bench_free(b, host, slots[i], order);
		}
		cond_resched();
		if (signal_pending(current))
			break;
	}
	sb_bench_stop(r, t, c);
	migrate_enable();
	r->pairs = k * n;
}

/* @rounds times: one bulk call for @n order-0 pages, then free each */
static __always_inline void sb_bench_bulk(struct sb_bench *b, bool host,
					  unsigned int n, u64 rounds,
					  struct sb_bench_res *r)
{
	gfp_t gfp = sb_bench_gfp(b, host, 0);
	void **slots = b->slots;
	unsigned long got;
	unsigned int i;
	u64 k, t, c;

	memset(r, 0, sizeof(*r));
	/* the bulk allocators fill only the NULL slots of the array */
	memset(slots, 0, n * sizeof(*slots));
	migrate_disable();
	sb_bench_start(&t, &c);
	for (k = 0; k < rounds; k++) {
		if (host)
			got = alloc_pages_bulk_array(gfp, n,
						     (struct page **)slots);
		else
			got = sb_alloc_pages_bulk(b->m, gfp, NUMA_NO_NODE,
						  NULL, n, NULL,
						  (struct sb_page **)slots);
		r->fail += n - got;
		for (i = 0; i < n; i++) {
			if (likely(slots[i]))
				sb_bench_free(b, host, slots[i], 0);
			slots[i] = NULL;
		}
		cond_resched();
		if (signal_pending(current))
			break;
	}
	sb_bench_stop(r, t, c);
	migrate_enable();
	r->pairs = k * n;
}

static void sb_bench_keep_best(struct sb_bench_res *best,
			       const struct sb_bench_res *r, bool first)
{
	u64 fail = first ? 0 : best->fail;

	if (first || r->ns * best->pairs < best->ns * r->pairs)
		*best = *r;
	best->fail = fail + r->fail;
}

/* "12345.6": ns per pair with one decimal, or "-" */
static void sb_bench_put_res(struct sb_bench *b, const struct sb_bench_res *r)
{
	u64 tenths;

	if (r->fail || !r->pairs) {
		seq_buf_printf(&b->s, " %10s %10s", "-", "-");
		return;
	}
	tenths = div64_u64(r->ns * 10 + r->pairs / 2, r->pairs);
	seq_buf_printf(&b->s, " %10llu %8llu.%llu",
		       div64_u64(r->cycles + r->pairs / 2, r->pairs),
		       div_u64(tenths, 10), tenths % 10);
}

static void sb_bench_put_row(struct sb_bench *b, const char *name,
			     unsigned int order, unsigned int n,
			     unsigned int cpus, const struct sb_bench_res *h,
			     const struct sb_bench_res *s)
{
	u64 pct;

	seq_buf_printf(&b->s, "%-6s %5u %5u %4u %8llu", name, order, n, cpus,
		       h->pairs);
	sb_bench_put_res(b, h);
	sb_bench_put_res(b, s);
	/* ratio of ns per pair: the pair counts of both sides are equal */
	if (!h->fail && !s->fail && h->ns && h->pairs == s->pairs) {
		pct = div64_u64(s->ns * 100 + h->ns / 2, h->ns);
		seq_buf_printf(&b->s, " %4llu.%02llu", div_u64(pct, 100),
			       pct % 100);
	} else {
		seq_buf_printf(&b->s, " %7s", "-");
	}
	if (h->fail)
		seq_buf_printf(&b->s, " host fail %llu", h->fail);
	if (s->fail)
		seq_buf_printf(&b->s, " sbuddy fail %llu", s->fail);
	seq_buf_printf(&b->s, "\n");
}

/* Pairs a row of @order does: fewer for the large orders, at least 16. */
static u64 sb_bench_nr(struct sb_bench *b, unsigned int order)
{
	u64 nr = b->o.loops;

	if (order > PAGE_ALLOC_COSTLY_ORDER)
		nr >>= order - PAGE_ALLOC_COSTLY_ORDER;
	return max_t(u64, nr, 16);
}

/*
 * Each row: one untimed warm-up round per side, then @repeat timed
 * rounds, host and sbuddy alternating; the fastest round of each side is
 * kept.
 */
static int sb_bench_row_pair(struct sb_bench *b, unsigned int order)
{
	struct sb_bench_res h = {}, s = {}, r;
	u64 nr = sb_bench_nr(b, order);
	unsigned int k;

	sb_bench_pairs(b, true, order, nr / 8 + 1, &r);
	sb_bench_pairs(b, false, order, nr / 8 + 1, &r);
	for (k = 0; k < b->o.repeat; k++) {
		sb_bench_pairs(b, true, order, nr, &r);
		sb_bench_keep_best(&h, &r, !k);
		sb_bench_pairs(b, false, order, nr, &r);
		sb_bench_keep_best(&s, &r, !k);
		/* an interrupted round is cut short: never print it */
		if (signal_pending(current))
			return -EINTR;
	}
	sb_bench_put_row(b, "pair", order, 1, 1, &h, &s);
	return 0;
}

static int sb_bench_row_batch(struct sb_bench *b, unsigned int order,
			      unsigned int n)
{
	struct sb_bench_res h = {}, s = {}, r;
	u64 rounds = max_t(u64, div_u64(sb_bench_nr(b, order), n), 1);
	unsigned int k;

	sb_bench_batch(b, true, order, n, 1, &r);
	sb_bench_batch(b, false, order, n, 1, &r);
	for (k = 0; k < b->o.repeat; k++) {
		sb_bench_batch(b, true, order, n, rounds, &r);
		sb_bench_keep_best(&h, &r, !k);
		sb_bench_batch(b, false, order, n, rounds, &r);
		sb_bench_keep_best(&s, &r, !k);
		/* an interrupted round is cut short: never print it */
		if (signal_pending(current))
			return -EINTR;
	}
	sb_bench_put_row(b, "batch", order, n, 1, &h, &s);
	return 0;
}

static int sb_bench_row_bulk(struct sb_bench *b, unsigned int n)
{
	struct sb_bench_res h = {}, s = {}, r;
	u64 rounds = max_t(u64, div_u64(b->o.loops, n), 1);
	unsigned int k;

	sb_bench_bulk(b, true, n, 1, &r);
	sb_bench_bulk(b, false, n, 1, &r);
	for (k = 0; k < b->o.repeat; k++) {
		sb_bench_bulk(b, true, n, rounds, &r);
		sb_bench_keep_best(&h, &r, !k);
		sb_bench_bulk(b, false, n, rounds, &r);
		sb_bench_keep_best(&s, &r, !k);
		/* an interrupted round is cut short: never print it */
		if (signal_pending(current))
			return -EINTR;
	}
	sb_bench_put_row(b, "bulk", 0, n, 1, &h, &s);
	return 0;
}

static int sb_bench_thread_fn(void *data)
{
	struct sb_bench_thread *t = data;

	wait_for_completion(t->start);
	/* all threads run their loops at once: wait until every one woke */
	atomic_inc(t->ready);
	while (atomic_read(t->ready) < t->nr)
		cpu_relax();
	if (t->host)
		sb_bench_pairs(t->b, true, t->order, t->loops, &t->r);
	else
		sb_bench_pairs(t->b, false, t->order, t->loops, &t->r);
	if (atomic_dec_and_test(t->left))
		complete(t->done);
	/* stay until kthread_stop(), so the task outlives our last access */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * One par measurement: @nr threads, one bound to each of the first @nr
 * online CPUs, released together; @sum gets the totals over the threads.
 */
static int sb_bench_par_once(struct sb_bench *b, struct sb_bench_thread *th,
			     unsigned int nr, bool host, unsigned int order,
			     u64 loops, struct sb_bench_res *sum)
{
	DECLARE_COMPLETION_ONSTACK(start);
	DECLARE_COMPLETION_ONSTACK(done);
	atomic_t ready = ATOMIC_INIT(0), left = ATOMIC_INIT(nr);
	unsigned int i = 0, j;
	int cpu, ret = 0;

	for_each_online_cpu(cpu) {
		struct sb_bench_thread *t = &th[i];

		if (i == nr)
			break;
		*t = (struct sb_bench_thread){
			.b = b, .host = host, .order = order, .loops = loops,
			.start = &start, .ready = &ready, .left = &left,
			.done = &done, .nr = nr,
		};
		t->task = kthread_create(sb_bench_thread_fn, t, "sb_bench/%d",
					 cpu);
		if (IS_ERR(t->task)) {
			ret = PTR_ERR(t->task);
			break;
		}
		kthread_bind(t->task, cpu);
		i++;
	}
	if (ret || i < nr) {
		/* never woken: kthread_stop() ends them before their function */
		for (j = 0; j < i; j++)
			kthread_stop(th[j].task);
		return ret ? ret : -ENODEV;
	}
	for (j = 0; j < nr; j++)
		wake_up_process(th[j].task);
	complete_all(&start);
	/* a timed wait keeps the hung-task detector quiet on slow guests */
	while (!wait_for_completion_timeout(&done, HZ)) {
		if (signal_pending(current))
			atomic_set(&b->abort, 1);
	}
	memset(sum, 0, sizeof(*sum));
	for (j = 0; j < nr; j++) {
		kthread_stop(th[j].task);
		sum->cycles += th[j].r.cycles;
		sum->ns += th[j].r.ns;
		sum->pairs += th[j].r.pairs;
		sum->fail += th[j].r.fail;
	}
	return atomic_read(&b->abort) ? -EINTR : 0;
}

/* par rows report the mean per pair over the threads: totals / nr */
static int sb_bench_row_par(struct sb_bench *b, struct sb_bench_thread *th,
			    unsigned int order, unsigned int nr)
{
	struct sb_bench_res h = {}, s = {}, r;
	u64 loops = sb_bench_nr(b, order);
	unsigned int k;
	int ret;

	for (k = 0; k < b->o.repeat; k++) {
		ret = sb_bench_par_once(b, th, nr, true, order, loops, &r);
		if (ret)
			return ret;
		sb_bench_keep_best(&h, &r, !k);
		ret = sb_bench_par_once(b, th, nr, false, order, loops, &r);
		if (ret)
			return ret;
		sb_bench_keep_best(&s, &r, !k);
		if (signal_pending(current))
			return -EINTR;
	}
	h.pairs = div_u64(h.pairs, nr);
	h.cycles = div_u64(h.cycles, nr);
	h.ns = div_u64(h.ns, nr);
	s.pairs = div_u64(s.pairs, nr);
	s.cycles = div_u64(s.cycles, nr);
	s.ns = div_u64(s.ns, nr);
	sb_bench_put_row(b, "par", order, 1, nr, &h, &s);
	return 0;
}

static void sb_bench_header(struct sb_bench *b)
{
	struct seq_buf *s = &b->s;
	gfp_t costly = b->gfp | __GFP_NORETRY;

	seq_buf_printf(s, "# sbuddy bench: kernel %s, %u CPUs online\n",
		       init_utsname()->release, num_online_cpus());
	seq_buf_printf(s, "# loops=%u repeat=%u pages=%u cpus=%u\n",
		       b->o.loops, b->o.repeat, b->o.pages, b->o.cpus);
	seq_buf_printf(s, "# gfp: %pGg; orders > %d: %pGg; both sides\n",
		       &b->gfp, PAGE_ALLOC_COSTLY_ORDER, &costly);
	seq_buf_printf(s, "# zeroing: host init_on_alloc=%d init_on_free=%d; sbuddy %s\n",
		       want_init_on_alloc(b->gfp), want_init_on_free(),
		       b->sb_zero ? "adds __GFP_ZERO" : "does not zero");
	seq_buf_printf(s, "# per pair (bulk: per page): one alloc + one free;\n");
	seq_buf_printf(s, "#   cyc: get_cycles(), ns: ktime_get_ns(), best of %u rounds;\n",
		       b->o.repeat);
	seq_buf_printf(s, "#   par: mean over the threads; ratio: sb_ns / host_ns\n");
	seq_buf_printf(s, "%-6s %5s %5s %4s %8s %10s %10s %10s %10s %7s\n",
		       "row", "order", "n", "cpus", "pairs", "host_cyc",
		       "host_ns", "sb_cyc", "sb_ns", "ratio");
}

static int sb_bench_run(struct sb_bench *b)
{
	struct sb_bench_thread *th = NULL;
	unsigned int i, j;
	int ret = 0;

	sb_bench_header(b);
	if (b->o.rows & SB_BENCH_PAIR) {
		for (i = 0; i < ARRAY_SIZE(sb_bench_orders) && !ret; i++)
			ret = sb_bench_row_pair(b, sb_bench_orders[i]);
	}
	if (b->o.rows & SB_BENCH_BATCH) {
		for (i = 0; i < ARRAY_SIZE(sb_bench_orders) && !ret; i++) {
			unsigned int order = sb_bench_orders[i];

			for (j = 0; j < ARRAY_SIZE(sb_bench_batch_n) && !ret; j++) {
				unsigned int n = sb_bench_batch_n[j];

				if ((u64)n << order > b->o.pages)
					continue;
				ret = sb_bench_row_batch(b, order, n);
			}
		}
	}
	if (b->o.rows & SB_BENCH_BULK) {
		for (i = 0; i < ARRAY_SIZE(sb_bench_bulk_n) && !ret; i++) {
			if (sb_bench_bulk_n[i] > b->o.pages)
				continue;
			ret = sb_bench_row_bulk(b, sb_bench_bulk_n[i]);
		}
	}
	if ((b->o.rows & SB_BENCH_PAR) && !ret) {
		th = kcalloc(b->o.cpus, sizeof(*th), GFP_KERNEL);
		if (!th)
			ret = -ENOMEM;
		for (i = 0; i < ARRAY_SIZE(sb_bench_par_orders) && !ret; i++) {
			for (j = 1; j <= b->o.cpus && !ret; j++)
				ret = sb_bench_row_par(b, th,
						       sb_bench_par_orders[i], j);
		}
		kfree(th);
	}
	if (ret)
		seq_buf_printf(&b->s, "# stopped: error %d\n", ret);
	if (seq_buf_has_overflowed(&b->s))
		return -EOVERFLOW;
	return ret;
}

static int sb_bench_parse_rows(char *val, unsigned int *rows)
{
	char *name;
	int i;

	*rows = 0;
	if (!strcmp(val, "all")) {
		*rows = SB_BENCH_ALL;
		return 0;
	}
	while ((name = strsep(&val, ","))) {
		i = match_string(sb_bench_row_names,
				 ARRAY_SIZE(sb_bench_row_names), name);
		if (i < 0)
			return -EINVAL;
		*rows |= BIT(i);
	}
	return 0;
}

static int sb_bench_parse_uint(const char *val, unsigned int min,
			       unsigned int max, unsigned int *res)
{
	if (kstrtouint(val, 0, res) || *res < min || *res > max)
		return -EINVAL;
	return 0;
}

/* "run" then key=value words; see Documentation/admin-guide/bench.rst */
static int sb_bench_parse(char *buf, struct sb_bench_opts *o)
{
	bool run = false;
	char *word, *val;
	int ret = 0;

	*o = (struct sb_bench_opts){
		.loops = 20000, .repeat = 25, .pages = 8192,
		.cpus = num_online_cpus(), .rows = SB_BENCH_ALL,
	};
	while ((word = strsep(&buf, " \t\n")) && !ret) {
		if (!*word)
			continue;
		if (!run) {
			if (strcmp(word, "run"))
				return -EINVAL;
			run = true;
			continue;
		}
		val = strchr(word, '=');
		if (!val)
			return -EINVAL;
		*val++ = 0;
		if (!strcmp(word, "loops"))
			ret = sb_bench_parse_uint(val, 1, 10000000, &o->loops);
		else if (!strcmp(word, "repeat"))
			ret = sb_bench_parse_uint(val, 1, 100, &o->repeat);
		else if (!strcmp(word, "pages"))
			ret = sb_bench_parse_uint(val, 1, 65536, &o->pages);
		else if (!strcmp(word, "cpus"))
			ret = sb_bench_parse_uint(val, 1, num_online_cpus(),
						  &o->cpus);
		else if (!strcmp(word, "rows"))
			ret = sb_bench_parse_rows(val, &o->rows);
		else
			ret = -EINVAL;
	}
	return run ? ret : -EINVAL;
}

static void sb_bench_set_table(char *table)
{
	mutex_lock(&sb_bench_table_lock);
	kfree(sb_bench_table);
	sb_bench_table = table;
	mutex_unlock(&sb_bench_table_lock);
}

static ssize_t sb_bench_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct seq_file *sf = file->private_data;
	struct sbuddy *sb = sf->private;
	struct sb_bench *b;
	char *cmd;
	int ret;

	if (len > SB_BENCH_CMD_MAX)
		return -EINVAL;
	cmd = memdup_user_nul(ubuf, len);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b) {
		kfree(cmd);
		return -ENOMEM;
	}
	ret = sb_bench_parse(cmd, &b->o);
	kfree(cmd);
	if (ret)
		goto out;
	if (!mutex_trylock(&sb_bench_run_lock)) {
		ret = -EBUSY;
		goto out;
	}
	b->m = sb->machine;
	b->gfp = GFP_KERNEL | __GFP_NOWARN;
	/* the host zeroes what it allocates (init_on_alloc): so does sbuddy */
	if (want_init_on_alloc(b->gfp))
		b->sb_zero = __GFP_ZERO;
	b->slots = kvcalloc(b->o.pages, sizeof(*b->slots), GFP_KERNEL);
	cmd = kmalloc(SB_BENCH_TABLE_SIZE, GFP_KERNEL);
	if (!b->slots || !cmd) {
		kfree(cmd);
		ret = -ENOMEM;
	} else {
		seq_buf_init(&b->s, cmd, SB_BENCH_TABLE_SIZE);
		ret = sb_bench_run(b);
		/* a partial table says where it stopped; keep it too */
		sb_bench_set_table(cmd);
	}
	kvfree(b->slots);
	mutex_unlock(&sb_bench_run_lock);
out:
	kfree(b);
	return ret ? ret : len;
}

static int sb_bench_show(struct seq_file *sf, void *v)
{
	mutex_lock(&sb_bench_table_lock);
	if (sb_bench_table)
		seq_puts(sf, sb_bench_table);
	else
		seq_puts(sf, "no run yet\n");
	mutex_unlock(&sb_bench_table_lock);
	return 0;
}

static int sb_bench_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, sb_bench_show, inode->i_private,
				SB_BENCH_TABLE_SIZE);
}

static const struct file_operations sb_bench_fops = {
	.owner = THIS_MODULE,
	.open = sb_bench_open,
	.read = seq_read,
	.write = sb_bench_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * sb_bench_debugfs_init - create /sys/kernel/debug/sbuddy/bench
 * @sb:	the module instance, its debugfs directory made
 *
 * Writing "run [key=value...]" runs the benchmark; reading gives the
 * last table.  Root only (0600).
 */
void sb_bench_debugfs_init(struct sbuddy *sb)
{
	debugfs_create_file("bench", 0600, sb->debugfs, sb, &sb_bench_fops);
}

/**
 * sb_bench_exit - free the last table
 * @sb:	the module instance
 *
 * Call after the bench file is removed, so no run or read is in flight.
 */
void sb_bench_exit(struct sbuddy *sb)
{
	sb_bench_set_table(NULL);
}
