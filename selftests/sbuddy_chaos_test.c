// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy chaos: the concurrency and data-integrity stress of issue 8.
 *
 * For SBUDDY_CHAOS_SECS seconds (default 120) everything runs at once, on
 * a module reloaded with an emulated CMA area (cma=16M, unless
 * $SBUDDY_PARAMS already has one):
 *
 * - workers, one pinned to each online CPU, sharing one open file: they
 *   allocate blocks of orders 0..3 and 9 of all three migratetypes, FILL
 *   each with its own seed (the crc FILL returns must be the crc of
 *   sbuddy_pattern() computed here), CHECKSUM a block before freeing it
 *   and now and then in between, pin and unpin some, and hand a third of
 *   their blocks to another worker to check and free;
 * - mappers, each with its own file, that mmap movable blocks and keep
 *   reading every word (it must be the pattern) and rewriting them with a
 *   new seed through the mapping (CHECKSUM must then give the new crc)
 *   while compaction migrates them; a freed block's mapping must SIGBUS;
 * - a compactor writing vm/compact_memory and node/nodeN/compact, and
 *   compaction_proactiveness (kcompactd and proactive compaction stay on);
 * - pressure: a file that takes reclaimable blocks until allocations
 *   fail, holds them (kswapd and direct reclaim drop some: QUERY says
 *   RECLAIMED) and lets go, in cycles;
 * - contiguous allocations (ALLOC_CONTIG search and range) and CMA_ALLOC,
 *   filled, mapped, verified and checksummed before they are freed;
 * - drains (the ioctl and the debugfs file) and knob writes
 *   (watermark_scale_factor, percpu_pagelist_high_fraction,
 *   min_free_kbytes, in their valid ranges);
 * - a reader of every readable debugfs file of sbuddy;
 * - workloads run through the debugfs workload file and released;
 * - the highest CPU going offline and back online;
 * - closers that open their own file, allocate, fill, map one block and
 *   close with everything live (the mapping outlives the file).
 *
 * Every request asks __GFP_RETRY_MAYFAIL, so no OOM kill takes a file:
 * only reclaimable blocks may lose their pages (reclaimed ones are freed,
 * never checksummed).  At the end every surviving block of every file is
 * checksummed, verify must be ok, and once every file is closed and the
 * workload released, the free pages are what they were at the start
 * (buddy plus per-cpu pages, then buddy alone after a drain).  Any
 * checksum or mapped word that differs from its pattern is a corrupted
 * block: the only acceptable count is zero.
 *
 * SBUDDY_CHAOS_SEED sets the seed (printed either way).
 * SBUDDY_CHAOS_PARAMS, when set, are the module parameters of the reload
 * (the machine under test: layout=, cma=...); the module is reloaded
 * with $SBUDDY_PARAMS at the end.
 * SBUDDY_CHAOS_BREAK=map|fill breaks the test on purpose, to show it can
 * fail: "map" flips one bit through a mapping, "fill" skips the FILL of
 * one worker block.
 */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define MAX_CPUS	64
#define MAX_ERRS	16
#define OWN_MAX		512	/* blocks a worker holds at most */
#define OWN_PAGES_MAX	1536	/* pages a worker holds at most */
#define INBOX		128
#define NR_MAPPERS	2
#define MAP_SLOTS	12
#define NR_CLOSERS	2
#define PRESSURE_MAX	32768
#define CONTIG_HELD	4
#define MAX_FILES	128

/* ------------------------------------------------------------------ */
/* The pattern and its crc                                             */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t v = i;

		for (int k = 0; k < 8; k++)
			v = v & 1 ? 0xedb88320U ^ (v >> 1) : v >> 1;
		crc_table[i] = v;
	}
}

/* crc32 (zlib) of the 2^order pages of sbuddy_pattern(seed, i) */
static uint32_t pattern_crc(uint64_t seed, unsigned int order)
{
	uint64_t words = (4096ULL << order) / 8;
	uint32_t c = ~0U;

	for (uint64_t i = 0; i < words; i++) {
		uint64_t w = sbuddy_pattern(seed, i);

		for (int b = 0; b < 8; b++, w >>= 8)
			c = crc_table[(c ^ (uint8_t)w) & 0xff] ^ (c >> 8);
	}
	return ~c;
}

/* ------------------------------------------------------------------ */
/* Shared state, violations                                            */

static struct {
	volatile int stop;
	struct timespec t0;
	uint64_t seed;
	pthread_mutex_t lock;
	int nerr;
	char err[MAX_ERRS][480];
	int nr_online, online[MAX_CPUS], hot_cpu;
	long long region_start, region_end, region_pages;
	int nr_nodes, have_cma;
	const char *brk;
	/* figures */
	long long ops, pages_verified, checksums, corrupted, reclaimed_seen;
	long long allocs, frees, cross_frees, enomem, pins;
	long long map_rewrites, map_sigbus_ok, map_migrated, map_reclaimed;
	long long compactions, drains, knob_writes, debugfs_reads;
	long long workloads, workload_refused, hot_cycles;
	long long closes, close_blocks, close_pages;
	long long contig_ok, contig_fail, cma_ok, cma_fail;
	long long pressure_cycles, pressure_pages_max, pressure_reclaimed;
	long long final_handles, final_pages, zeroed_checked;
	long long max_migrated;
} st;

#define ADD(field, n)	__atomic_add_fetch(&st.field, (n), __ATOMIC_RELAXED)

static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - st.t0.tv_sec) + (t.tv_nsec - st.t0.tv_nsec) / 1e9;
}

static void __attribute__((format(printf, 1, 2))) violation(const char *fmt, ...)
{
	char msg[480];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = snprintf(msg, sizeof(msg), "t=%.1fs: ", elapsed());
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&st.lock);
	if (st.nerr < MAX_ERRS) {
		strcpy(st.err[st.nerr], msg);
		fprintf(stderr, "# violation: %s\n", msg);
	}
	st.nerr++;
	pthread_mutex_unlock(&st.lock);
}

/* xorshift64*, one per thread */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static uint64_t thread_seed(unsigned int salt)
{
	uint64_t s = st.seed ^ (0x9e3779b97f4a7c15ULL * (salt + 1));

	return s ? s : 1;
}

static void nap(uint64_t *s, unsigned int min_ms, unsigned int max_ms)
{
	usleep(1000 * (min_ms + rnd(s) % (max_ms - min_ms + 1)));
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static long long knob_read(const char *name)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), SB_DEBUGFS "/vm/%s", name);
	if (sb_read_all(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

static int read_online(int *cpus)
{
	char buf[256], *s = buf, *end;
	int n = 0;

	if (sb_read_all("/sys/devices/system/cpu/online", buf, sizeof(buf)) <= 0)
		return -1;
	while (*s && *s != '\n') {
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			return -1;
		s = end;
		if (*s == '-')
			b = strtol(s + 1, &s, 10);
		for (long c = a; c <= b && n < MAX_CPUS; c++)
			cpus[n++] = c;
		if (*s == ',')
			s++;
	}
	return n;
}

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* ------------------------------------------------------------------ */
/* The ioctls                                                          */

static int io(int fd, unsigned long cmd, void *arg)
{
	ADD(ops, 1);
	return sb_io(fd, cmd, arg);
}

static int alloc_policy(int fd, unsigned int order, unsigned int flags,
			unsigned int count, uint64_t *h, unsigned int *done,
			unsigned int policy, unsigned int nid, uint64_t nodemask)
{
	struct sbuddy_alloc a = {
		.order = order, .flags = flags | SBUDDY_ALLOC_RETRY_MAYFAIL |
					 SBUDDY_ALLOC_NOWARN,
		.count = count, .handles = (uintptr_t)h,
		.policy = policy, .nid = nid, .nodemask = nodemask,
	};
	int r = io(fd, SBUDDY_IOC_ALLOC, &a);

	*done = a.done;
	ADD(allocs, a.done);
	if (r == -ENOMEM)
		ADD(enomem, 1);
	return r;
}

static int alloc_blocks(int fd, unsigned int order, unsigned int flags,
			unsigned int count, uint64_t *h, unsigned int *done)
{
	return alloc_policy(fd, order, flags, count, h, done, 0, 0, 0);
}

static int free_blocks(int fd, const uint64_t *h, unsigned int count)
{
	struct sbuddy_free f = { .handles = (uintptr_t)h, .count = count };
	int r = io(fd, SBUDDY_IOC_FREE, &f);

	ADD(frees, f.done);
	return r;
}

static int query(int fd, uint64_t h, struct sbuddy_query *q)
{
	memset(q, 0, sizeof(*q));
	q->handle = h;
	return io(fd, SBUDDY_IOC_QUERY, q);
}

static int fill(int fd, uint64_t h, uint64_t seed, uint32_t *crc)
{
	struct sbuddy_fill f = { .handle = h, .seed = seed };
	int r = io(fd, SBUDDY_IOC_FILL, &f);

	*crc = f.crc32;
	return r;
}

static int checksum(int fd, uint64_t h, uint32_t *crc)
{
	struct sbuddy_fill f = { .handle = h };
	int r = io(fd, SBUDDY_IOC_CHECKSUM, &f);

	*crc = f.crc32;
	return r;
}

static const unsigned int mobility[3] = {
	0, SBUDDY_ALLOC_MOVABLE, SBUDDY_ALLOC_RECLAIMABLE,
};
static const char * const type_name[3] = { "unmovable", "movable", "reclaimable" };

/* crc32 of 2^order zeroed pages */
static uint32_t zero_crc[SBUDDY_MAX_ORDER + 1];

static void zero_crc_init(void)
{
	for (int o = 0; o <= SBUDDY_MAX_ORDER; o++) {
		uint32_t c = ~0U;

		for (long i = 0; i < 4096L << o; i++)
			c = crc_table[c & 0xff] ^ (c >> 8);
		zero_crc[o] = ~c;
	}
}

/* ------------------------------------------------------------------ */
/* Tracked blocks: a handle with its pattern                           */

struct blk {
	uint64_t h, seed;
	uint32_t crc;		/* the crc of its pattern, computed here */
	uint8_t order, type, pinned, reclaimed;
	int16_t cpu;		/* where it was allocated */
};

/*
 * Check a block against its pattern.  Returns 1 when its checksum was
 * compared and matched, 0 when it was reclaimed (legitimately: a
 * reclaimable block), -1 on a violation.
 */
static int check_blk(int fd, struct blk *b, const char *who)
{
	struct sbuddy_query q;
	uint32_t crc = 0;
	int r;

	if (b->reclaimed)
		return 0;
	r = checksum(fd, b->h, &crc);
	if (r == -ESTALE) {
		if (query(fd, b->h, &q) || q.state != SBUDDY_STATE_RECLAIMED) {
			violation("%s: CHECKSUM of handle %llu is ESTALE but QUERY says state %u",
				  who, (unsigned long long)b->h, q.state);
			return -1;
		}
		b->reclaimed = 1;
		ADD(reclaimed_seen, 1);
		if (b->type != 2) {
			violation("%s: %s handle %llu (order %u) lost its pages (reclaimed); only reclaimable blocks may",
				  who, type_name[b->type], (unsigned long long)b->h, b->order);
			return -1;
		}
		return 0;
	}
	if (r) {
		violation("%s: CHECKSUM of handle %llu: %s", who,
			  (unsigned long long)b->h, strerror(-r));
		return -1;
	}
	ADD(checksums, 1);
	if (crc != b->crc) {
		query(fd, b->h, &q);
		ADD(corrupted, 1);
		violation("%s: CORRUPTED: %s handle %llu order %u seed %#llx: crc %#x, its pattern's %#x (pfn %#llx, migrated %u times, pins %u, state %u)",
			  who, type_name[b->type], (unsigned long long)b->h, b->order,
			  (unsigned long long)b->seed, crc, b->crc,
			  (unsigned long long)q.pfn, q.nr_migrated, q.pins, q.state);
		return -1;
	}
	ADD(pages_verified, 1LL << b->order);
	return 1;
}

/* Record the most migrations a block went through. */
static void note_migrated(int fd, uint64_t h)
{
	struct sbuddy_query q;

	if (query(fd, h, &q))
		return;
	if (q.nr_migrated > st.max_migrated)
		st.max_migrated = q.nr_migrated;
	if (q.nr_migrated)
		ADD(map_migrated, 1);
}

/* ------------------------------------------------------------------ */
/* Workers: one per online CPU, sharing one file                       */

struct worker {
	pthread_t th;
	int idx, cpu;
	uint64_t rs;
	struct blk own[OWN_MAX];
	int nown;
	long long own_pages;
	pthread_mutex_t lock;
	struct blk inbox[INBOX];
	int nin;
	int broke;
};

static struct worker *workers;
static int nr_workers, shared_fd = -1;
static uint64_t seed_counter;

static uint64_t new_seed(void)
{
	return st.seed * 0x100000001b3ULL + __atomic_add_fetch(&seed_counter, 1, __ATOMIC_RELAXED);
}

/* check (unless reclaimed) and free @n blocks */
static void release_blocks(struct worker *w, struct blk *b, int n, const char *what)
{
	uint64_t h[INBOX];
	int cpu = sched_getcpu(), r;
	char who[64];

	snprintf(who, sizeof(who), "worker %d (cpu %d), %s", w->idx, cpu, what);
	for (int i = 0; i < n; i++) {
		check_blk(shared_fd, &b[i], who);
		h[i] = b[i].h;
		if (b[i].cpu != cpu)
			ADD(cross_frees, 1);
	}
	r = free_blocks(shared_fd, h, n);
	if (r)
		violation("%s: freeing %d blocks (first handle %llu): %s", who, n,
			  (unsigned long long)h[0], strerror(-r));
}

static void give_away(struct worker *w, struct blk *b)
{
	struct worker *to;
	int i;

	if (nr_workers < 2) {
		release_blocks(w, b, 1, "own");
		return;
	}
	i = rnd(&w->rs) % (nr_workers - 1);
	to = &workers[i >= w->idx ? i + 1 : i];
	pthread_mutex_lock(&to->lock);
	if (to->nin < INBOX) {
		to->inbox[to->nin++] = *b;
		b = NULL;
	}
	pthread_mutex_unlock(&to->lock);
	if (b)
		release_blocks(w, b, 1, "own");
}

static void empty_inbox(struct worker *w)
{
	struct blk b[INBOX];
	int n;

	pthread_mutex_lock(&w->lock);
	n = w->nin;
	memcpy(b, w->inbox, n * sizeof(b[0]));
	w->nin = 0;
	pthread_mutex_unlock(&w->lock);
	if (n)
		release_blocks(w, b, n, "handed over");
}

static void worker_alloc(struct worker *w)
{
	uint64_t r = rnd(&w->rs), h[8];
	unsigned int type = r % 3, order, count, done;
	int cpu = sched_getcpu(), err;

	r /= 3;
	order = r % 100 < 3 ? 9 : (r / 100) % 4;
	count = order == 9 ? 1 : 1 + (r / 400) % 8;
	unsigned int flags = mobility[type], policy = 0, nid = 0;
	uint64_t nodemask = 0;

	if (w->nown + count > OWN_MAX ||
	    w->own_pages + ((long long)count << order) > OWN_PAGES_MAX)
		return;
	/* modifiers: zeroed, the reserves, non-blocking, cold, compound */
	switch (rnd(&w->rs) % 16) {
	case 0: case 1: flags |= SBUDDY_ALLOC_ZERO; break;
	case 2: flags |= SBUDDY_ALLOC_HIGH; break;
	case 3: flags |= SBUDDY_ALLOC_ATOMIC; break;
	case 4: flags |= SBUDDY_ALLOC_NOWAIT; break;
	case 5: flags |= SBUDDY_ALLOC_COLD; break;
	case 6: flags |= SBUDDY_ALLOC_COMP; break;
	}
	if (st.nr_nodes > 1) {
		policy = rnd(&w->rs) % 4;
		if (policy == SBUDDY_MPOL_PREFERRED)
			nid = rnd(&w->rs) % st.nr_nodes;
		else if (policy)
			nodemask = (1ULL << st.nr_nodes) - 1;
	}
	err = alloc_policy(shared_fd, order, flags, count, h, &done, policy, nid, nodemask);
	if (err && err != -ENOMEM)
		violation("worker %d: allocating %u blocks of order %u (%s, flags %#x, policy %u): %s",
			  w->idx, count, order, type_name[type], flags, policy, strerror(-err));
	for (unsigned int i = 0; i < done; i++) {
		struct blk *b = &w->own[w->nown];
		uint32_t crc = 0;

		*b = (struct blk){ .h = h[i], .seed = new_seed(), .order = order,
				   .type = type, .cpu = cpu };
		b->crc = pattern_crc(b->seed, order);
		w->nown++;
		w->own_pages += 1LL << order;
		if (st.brk && !strcmp(st.brk, "fill") && !w->broke && w->idx == 0 &&
		    type != 2 && elapsed() > 3) {
			w->broke = 1;		/* on purpose: never filled */
			fprintf(stderr, "# chaos: BREAK: handle %llu is not filled\n",
				(unsigned long long)b->h);
			continue;
		}
		if (flags & SBUDDY_ALLOC_ZERO) {
			/* zeroed: until it is filled it checksums as zeros */
			err = checksum(shared_fd, b->h, &crc);
			if (!err && crc != zero_crc[order]) {
				ADD(corrupted, 1);
				violation("worker %d: __GFP_ZERO handle %llu order %u: crc %#x, zeros' %#x",
					  w->idx, (unsigned long long)b->h, order, crc,
					  zero_crc[order]);
			} else if (!err) {
				ADD(checksums, 1);
				ADD(zeroed_checked, 1);
			}
		}
		err = fill(shared_fd, b->h, b->seed, &crc);
		if (err == -ESTALE && type == 2) {
			b->reclaimed = 1;
			ADD(reclaimed_seen, 1);
		} else if (err) {
			violation("worker %d: FILL of %s handle %llu order %u: %s", w->idx,
				  type_name[type], (unsigned long long)b->h, order, strerror(-err));
			b->reclaimed = 1;	/* nothing to compare */
		} else if (crc != b->crc) {
			ADD(corrupted, 1);
			violation("worker %d: FILL of handle %llu order %u seed %#llx returned crc %#x, the pattern's is %#x",
				  w->idx, (unsigned long long)b->h, order,
				  (unsigned long long)b->seed, crc, b->crc);
		} else {
			ADD(checksums, 1);
		}
		/* a few movable and unmovable blocks are pinned for a while */
		if (type != 2 && !b->reclaimed && rnd(&w->rs) % 16 == 0) {
			struct sbuddy_handle_arg a = { .handle = b->h };

			err = io(shared_fd, SBUDDY_IOC_PIN, &a);
			if (err)
				violation("worker %d: PIN of handle %llu: %s", w->idx,
					  (unsigned long long)b->h, strerror(-err));
			else
				b->pinned = 1, ADD(pins, 1);
		}
	}
}

static void worker_free(struct worker *w)
{
	struct blk b[8];
	int n = 0, k = 1 + rnd(&w->rs) % 8;

	while (k-- && w->nown) {
		int i = rnd(&w->rs) % w->nown;
		struct blk x = w->own[i];

		w->own[i] = w->own[--w->nown];
		w->own_pages -= 1LL << x.order;
		if (rnd(&w->rs) % 3 == 0)
			give_away(w, &x);	/* another thread checks and frees it */
		else
			b[n++] = x;
	}
	if (n)
		release_blocks(w, b, n, "own");
}

/* check a block in the middle of its life; unpin it */
static void worker_check(struct worker *w)
{
	struct blk *b;
	char who[64];

	if (!w->nown)
		return;
	b = &w->own[rnd(&w->rs) % w->nown];
	snprintf(who, sizeof(who), "worker %d, live block", w->idx);
	check_blk(shared_fd, b, who);
	if (b->pinned) {
		struct sbuddy_handle_arg a = { .handle = b->h };
		int err = io(shared_fd, SBUDDY_IOC_UNPIN, &a);

		if (err)
			violation("worker %d: UNPIN of handle %llu: %s", w->idx,
				  (unsigned long long)b->h, strerror(-err));
		b->pinned = 0;
	}
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;

	pin_cpu(w->cpu);
	while (!st.stop) {
		unsigned int r = rnd(&w->rs) % 10;

		if (sched_getcpu() != w->cpu)
			pin_cpu(w->cpu);	/* back after its CPU went away */
		empty_inbox(w);
		if (w->own_pages > OWN_PAGES_MAX * 3 / 4 || r < 3)
			worker_free(w);
		else if (r < 5)
			worker_check(w);
		else
			worker_alloc(w);
		usleep(200);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Mappers: movable blocks mapped, read and rewritten while they move  */

static __thread sigjmp_buf bus_env;
static __thread volatile int bus_guard;

static void on_sigbus(int sig)
{
	if (bus_guard)
		siglongjmp(bus_env, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

struct slot {
	struct blk b;
	volatile uint64_t *p;
};

/*
 * Read every word of a mapped block: -1 on SIGBUS, else the index of the
 * first word that is not the pattern, or the number of words when all are.
 */
static long map_scan(volatile uint64_t *p, long words, uint64_t seed,
		     uint64_t *got)
{
	volatile long i = 0;

	if (sigsetjmp(bus_env, 1)) {
		bus_guard = 0;
		return -1;
	}
	bus_guard = 1;
	for (; i < words; i++) {
		uint64_t v = p[i];

		if (v != sbuddy_pattern(seed, i)) {
			*got = v;
			break;
		}
	}
	bus_guard = 0;
	return i;
}

/* rewrite a mapped block with a new seed; 0, or -1 on SIGBUS */
static int map_write(volatile uint64_t *p, long words, uint64_t seed)
{
	volatile long i = 0;

	if (sigsetjmp(bus_env, 1)) {
		bus_guard = 0;
		return -1;
	}
	bus_guard = 1;
	for (; i < words; i++)
		p[i] = sbuddy_pattern(seed, i);
	bus_guard = 0;
	return 0;
}

static int map_verify(int fd, int idx, struct slot *s)
{
	long words = (4096L << s->b.order) / 8, r;
	uint64_t got = 0;
	struct sbuddy_query q;

	r = map_scan(s->p, words, s->b.seed, &got);
	if (r == words) {
		ADD(pages_verified, 1LL << s->b.order);
		return 0;
	}
	query(fd, s->b.h, &q);
	if (r < 0 && s->b.type == 2 && q.state == SBUDDY_STATE_RECLAIMED) {
		/* reclaim took it from under the mapping: SIGBUS, as it should */
		s->b.reclaimed = 1;
		ADD(map_reclaimed, 1);
		return 1;
	} else if (r < 0) {
		violation("mapper %d: SIGBUS reading live %s handle %llu (state %u, pfn %#llx, migrated %u)",
			  idx, type_name[s->b.type], (unsigned long long)s->b.h, q.state,
			  (unsigned long long)q.pfn, q.nr_migrated);
	} else {
		ADD(corrupted, 1);
		violation("mapper %d: CORRUPTED: mapped %s handle %llu order %u word %ld is %#llx, its pattern %#llx (seed %#llx, pfn %#llx, migrated %u times, state %u)",
			  idx, type_name[s->b.type], (unsigned long long)s->b.h, s->b.order, r,
			  (unsigned long long)got,
			  (unsigned long long)sbuddy_pattern(s->b.seed, r),
			  (unsigned long long)s->b.seed, (unsigned long long)q.pfn,
			  q.nr_migrated, q.state);
	}
	return -1;
}

/* a new movable block in @s, filled and mapped; 0 or -1 */
static int slot_new(int fd, int idx, struct slot *s, uint64_t *rs)
{
	unsigned int order = rnd(rs) % 4 == 0 ? 1 + rnd(rs) % 2 : 0, done;
	unsigned int type = rnd(rs) % 4 == 0 ? 2 : 1;	/* a quarter reclaimable */
	uint64_t h;
	uint32_t crc = 0;
	void *p;
	int err;

	s->p = NULL;
	err = alloc_blocks(fd, order, mobility[type], 1, &h, &done);
	if (err) {
		if (err != -ENOMEM)
			violation("mapper %d: ALLOC: %s", idx, strerror(-err));
		return -1;
	}
	s->b = (struct blk){ .h = h, .seed = new_seed(), .order = order, .type = type };
	s->b.crc = pattern_crc(s->b.seed, order);
	err = fill(fd, h, s->b.seed, &crc);
	if (err == -ESTALE && type == 2) {
		/* reclaimed already: start again */
		free_blocks(fd, &h, 1);
		return -1;
	}
	if (err || crc != s->b.crc) {
		if (!err)
			ADD(corrupted, 1);
		violation("mapper %d: FILL of handle %llu: %s, crc %#x want %#x", idx,
			  (unsigned long long)h, strerror(-err), crc, s->b.crc);
	} else {
		ADD(checksums, 1);
	}
	p = mmap(NULL, 4096UL << order, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 SBUDDY_MMAP_OFFSET(h));
	if (p == MAP_FAILED) {
		violation("mapper %d: mmap of handle %llu: %s", idx,
			  (unsigned long long)h, strerror(errno));
		free_blocks(fd, &h, 1);
		return -1;
	}
	s->p = p;
	return 0;
}

/* check, unmap and free; now and then free first and expect SIGBUS */
static void slot_free(int fd, int idx, struct slot *s, uint64_t *rs, int final)
{
	long words = (4096L << s->b.order) / 8;
	char who[32];
	uint64_t got;
	int err;

	if (!s->p)
		return;
	snprintf(who, sizeof(who), "mapper %d", idx);
	if (!s->b.reclaimed)
		map_verify(fd, idx, s);
	check_blk(fd, &s->b, who);
	note_migrated(fd, s->b.h);
	if (!final && !s->b.reclaimed && rnd(rs) % 8 == 0) {
		err = free_blocks(fd, &s->b.h, 1);
		if (err)
			violation("mapper %d: FREE of handle %llu: %s", idx,
				  (unsigned long long)s->b.h, strerror(-err));
		else if (map_scan(s->p, words, s->b.seed, &got) >= 0)
			violation("mapper %d: the mapping of freed handle %llu still reads (no SIGBUS)",
				  idx, (unsigned long long)s->b.h);
		else
			ADD(map_sigbus_ok, 1);
		munmap((void *)s->p, words * 8);
	} else {
		munmap((void *)s->p, words * 8);
		err = free_blocks(fd, &s->b.h, 1);
		if (err)
			violation("mapper %d: FREE of handle %llu: %s", idx,
				  (unsigned long long)s->b.h, strerror(-err));
	}
	s->p = NULL;
}

static void *mapper_fn(void *arg)
{
	int idx = (int)(intptr_t)arg, fd, broke = 0;
	uint64_t rs = thread_seed(100 + idx);
	struct slot s[MAP_SLOTS];
	char who[32];

	snprintf(who, sizeof(who), "mapper %d", idx);
	memset(s, 0, sizeof(s));
	fd = open(SB_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		violation("mapper %d: open: %s", idx, strerror(errno));
		return NULL;
	}
	for (int i = 0; i < MAP_SLOTS; i++)
		slot_new(fd, idx, &s[i], &rs);
	while (!st.stop) {
		struct slot *x = &s[rnd(&rs) % MAP_SLOTS];
		unsigned int r = rnd(&rs) % 16;

		if (!x->p) {
			slot_new(fd, idx, x, &rs);
		} else if (x->b.reclaimed) {
			slot_free(fd, idx, x, &rs, 0);
		} else if (r < 10) {
			map_verify(fd, idx, x);
		} else if (r < 14) {
			/* a new pattern through the mapping, then ask the module */
			long words = (4096L << x->b.order) / 8;
			uint64_t seed = new_seed();

			if (map_write(x->p, words, seed)) {
				struct sbuddy_query q;

				query(fd, x->b.h, &q);
				if (x->b.type == 2 && q.state == SBUDDY_STATE_RECLAIMED) {
					x->b.reclaimed = 1;
					ADD(map_reclaimed, 1);
				} else {
					violation("mapper %d: SIGBUS writing live %s handle %llu (state %u)",
						  idx, type_name[x->b.type],
						  (unsigned long long)x->b.h, q.state);
				}
				continue;
			}
			x->b.seed = seed;
			x->b.crc = pattern_crc(seed, x->b.order);
			ADD(map_rewrites, 1);
			check_blk(fd, &x->b, who);
		} else {
			slot_free(fd, idx, x, &rs, 0);
			slot_new(fd, idx, x, &rs);
		}
		if (idx == 0 && st.brk && !strcmp(st.brk, "map") && !broke && x->b.type == 1 &&
		    elapsed() > 5 && x->p) {
			broke = 1;
			fprintf(stderr, "# chaos: BREAK: one bit of handle %llu flipped through its mapping\n",
				(unsigned long long)x->b.h);
			x->p[7] ^= 1 << 3;
		}
		usleep(2000);
	}
	for (int i = 0; i < MAP_SLOTS; i++) {
		if (s[i].p)
			ADD(final_handles, 1), ADD(final_pages, 1LL << s[i].b.order);
		slot_free(fd, idx, &s[i], &rs, 1);
	}
	close(fd);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Compaction storms                                                   */

static void *compactor_fn(void *arg)
{
	uint64_t rs = thread_seed(200);
	char path[128];

	(void)arg;
	while (!st.stop) {
		unsigned int r = rnd(&rs) % 8;
		int err;

		if (r < 3) {
			err = sb_write_file(SB_DEBUGFS "/vm/compact_memory", "1");
			snprintf(path, sizeof(path), "compact_memory");
		} else if (r < 7) {
			snprintf(path, sizeof(path), SB_DEBUGFS "/node/node%d/compact",
				 (int)(rnd(&rs) % st.nr_nodes));
			err = sb_write_file(path, "1");
		} else {
			/* a nonzero write makes every kcompactd check at once */
			snprintf(path, sizeof(path), "compaction_proactiveness");
			err = sb_knob_set(path, 20 + rnd(&rs) % 81);
		}
		if (err)
			violation("compactor: writing %s: %s", path, strerror(-err));
		else
			ADD(compactions, 1);
		nap(&rs, 200, 900);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Memory pressure: reclaimable blocks until allocations fail          */

static void *pressure_fn(void *arg)
{
	uint64_t rs = thread_seed(300), *h = malloc(PRESSURE_MAX * sizeof(*h));
	struct blk *fb = calloc(64, sizeof(*fb));
	long long target;
	int fd = open(SB_DEV, O_RDWR | O_CLOEXEC);

	(void)arg;
	if (fd < 0 || !h || !fb) {
		violation("pressure: open or malloc failed");
		goto out;
	}
	while (!st.stop) {
		long long held = 0, n = 0, reclaimed = 0;
		int nfb = 0, err = 0;
		double until;

		nap(&rs, 500, 2500);	/* a calm phase */
		/*
		 * Every third cycle, the first among them, takes blocks until
		 * it fails, however long that takes: only that is sure to
		 * reach the watermarks, and the debug kernel fills at a
		 * twentieth of the distro kernels' speed or less.  The others
		 * take 70% of the region, in 10 s at most.
		 */
		target = st.pressure_cycles % 3 == 0 ? PRESSURE_MAX : st.region_pages * 7 / 10;
		until = elapsed() + (target == PRESSURE_MAX ? 1e9 : 10);
		while (!st.stop && held < target && n < PRESSURE_MAX - 256 &&
		       elapsed() < until) {
			unsigned int order = rnd(&rs) % 4 == 0 ? 2 : 0, done;
			unsigned int cnt = order ? 32 : 128;

			err = alloc_blocks(fd, order, SBUDDY_ALLOC_RECLAIMABLE, cnt,
					   h + n, &done);
			for (unsigned int i = 0; i < done && nfb < 64; i += 16) {
				struct blk *b = &fb[nfb];
				uint32_t crc = 0;

				*b = (struct blk){ .h = h[n + i], .seed = new_seed(),
						   .order = order, .type = 2 };
				b->crc = pattern_crc(b->seed, order);
				if (fill(fd, b->h, b->seed, &crc) == -ESTALE)
					continue;
				if (crc != b->crc) {
					ADD(corrupted, 1);
					violation("pressure: FILL of handle %llu: crc %#x want %#x",
						  (unsigned long long)b->h, crc, b->crc);
				}
				nfb++;
			}
			n += done;
			held += (long long)done << order;
			if (err) {
				if (err != -ENOMEM)
					violation("pressure: ALLOC: %s", strerror(-err));
				break;
			}
		}
		if (held > st.pressure_pages_max)
			st.pressure_pages_max = held;
		nap(&rs, 300, 1500);	/* hold: kswapd and direct reclaim work */
		for (int i = 0; i < nfb; i++)
			check_blk(fd, &fb[i], "pressure");
		for (long long i = 0; i < n; i += 37) {
			struct sbuddy_query q;

			if (!query(fd, h[i], &q) && q.state == SBUDDY_STATE_RECLAIMED)
				reclaimed++;
		}
		ADD(pressure_reclaimed, reclaimed);
		for (long long i = 0; i < n; i += 4096) {
			err = free_blocks(fd, h + i, n - i < 4096 ? n - i : 4096);
			if (err)
				violation("pressure: FREE: %s", strerror(-err));
		}
		ADD(pressure_cycles, 1);
	}
out:
	if (fd >= 0)
		close(fd);
	free(h);
	free(fb);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Contiguous and CMA allocations                                      */

static int contig_take(int fd, uint64_t *rs, struct blk *b)
{
	unsigned int kind = rnd(rs) % 3;
	int err;

	if (kind == 0) {
		struct sbuddy_contig c = { .mode = SBUDDY_CONTIG_SEARCH,
					   .order = 4 + rnd(rs) % 7,
					   .nid = rnd(rs) % st.nr_nodes };

		err = io(fd, SBUDDY_IOC_ALLOC_CONTIG, &c);
		if (!err)
			*b = (struct blk){ .h = c.handle, .order = c.order };
		else if (err != -EBUSY && err != -ENOMEM)
			violation("contig: search order %u node %u: %s", c.order,
				  c.nid, strerror(-err));
	} else if (kind == 1) {
		struct sbuddy_contig c = { .mode = SBUDDY_CONTIG_RANGE,
					   .order = rnd(rs) % 7 };

		c.pfn = st.region_start + rnd(rs) % (st.region_pages - (1 << c.order));
		err = io(fd, SBUDDY_IOC_ALLOC_CONTIG, &c);
		if (!err)
			*b = (struct blk){ .h = c.handle, .order = c.order };
		/* EINVAL: a range across two zones */
		else if (err != -EBUSY && err != -ENOMEM && err != -EINVAL)
			violation("contig: range order %u at %#llx: %s", c.order,
				  (unsigned long long)c.pfn, strerror(-err));
	} else {
		struct sbuddy_cma m = { .order = rnd(rs) % 9 };

		m.align = rnd(rs) % (m.order + 1);
		err = io(fd, SBUDDY_IOC_CMA_ALLOC, &m);
		if (!err) {
			*b = (struct blk){ .h = m.handle, .order = m.order };
			ADD(cma_ok, 1);
		} else {
			ADD(cma_fail, 1);
			if (err != -EBUSY && err != -ENOMEM &&
			    !(err == -ENODEV && !st.have_cma))
				violation("contig: CMA order %u align %u: %s", m.order,
					  m.align, strerror(-err));
		}
		return err;
	}
	if (err)
		ADD(contig_fail, 1);
	else
		ADD(contig_ok, 1);
	return err;
}

static void *contig_fn(void *arg)
{
	uint64_t rs = thread_seed(400);
	struct blk held[CONTIG_HELD];
	int nheld = 0, fd = open(SB_DEV, O_RDWR | O_CLOEXEC);

	(void)arg;
	if (fd < 0) {
		violation("contig: open: %s", strerror(errno));
		return NULL;
	}
	while (!st.stop) {
		struct blk b;
		uint32_t crc = 0;
		int err;

		if (nheld == CONTIG_HELD || (nheld && rnd(&rs) % 3 == 0)) {
			int i = rnd(&rs) % nheld;

			check_blk(fd, &held[i], "contig");
			err = free_blocks(fd, &held[i].h, 1);
			if (err)
				violation("contig: FREE of handle %llu: %s",
					  (unsigned long long)held[i].h, strerror(-err));
			held[i] = held[--nheld];
		} else if (!contig_take(fd, &rs, &b)) {
			long words = (4096L << b.order) / 8;
			void *p;

			b.seed = new_seed();
			b.crc = pattern_crc(b.seed, b.order);
			err = fill(fd, b.h, b.seed, &crc);
			if (err || crc != b.crc) {
				if (!err)
					ADD(corrupted, 1);
				violation("contig: FILL of handle %llu order %u: %s crc %#x want %#x",
					  (unsigned long long)b.h, b.order, strerror(-err),
					  crc, b.crc);
			} else {
				ADD(checksums, 1);
			}
			p = mmap(NULL, words * 8, PROT_READ, MAP_SHARED, fd,
				 SBUDDY_MMAP_OFFSET(b.h));
			if (p == MAP_FAILED) {
				violation("contig: mmap of handle %llu: %s",
					  (unsigned long long)b.h, strerror(errno));
			} else {
				uint64_t got = 0;
				long r = map_scan(p, words, b.seed, &got);

				if (r != words) {
					ADD(corrupted, r >= 0);
					violation("contig: mapped handle %llu order %u: %s at word %ld",
						  (unsigned long long)b.h, b.order,
						  r < 0 ? "SIGBUS" : "CORRUPTED", r);
				} else {
					ADD(pages_verified, 1LL << b.order);
				}
				munmap(p, words * 8);
			}
			held[nheld++] = b;
		}
		nap(&rs, 50, 400);
	}
	for (int i = 0; i < nheld; i++) {
		ADD(final_handles, 1);
		ADD(final_pages, 1LL << held[i].order);
		check_blk(fd, &held[i], "contig at the end");
		free_blocks(fd, &held[i].h, 1);
	}
	close(fd);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Drains and knobs                                                    */

#define NR_KNOBS	8
static long long knob0[NR_KNOBS];
static char lowmem0[128];
static const char * const knob_names[NR_KNOBS] = {
	"watermark_scale_factor", "percpu_pagelist_high_fraction", "min_free_kbytes",
	"watermark_boost_factor", "extfrag_threshold", "legacy_cold_pages",
	"page_group_by_mobility_disabled", "lowmem_reserve_ratio",
};

/* a value in the knob's valid range */
static int knob_random(int k, uint64_t *rs)
{
	char v[128];
	int n = 0;

	switch (k) {
	case 0:
		return sb_knob_set(knob_names[k], 5 + rnd(rs) % 200);
	case 1:
		return sb_knob_set(knob_names[k], rnd(rs) % 3 == 0 ? 0 : 8 + rnd(rs) % 120);
	case 2:
		return sb_knob_set(knob_names[k], knob0[2] / 2 + rnd(rs) % (knob0[2] + 1));
	case 3:
		return sb_knob_set(knob_names[k], rnd(rs) % 30001);
	case 4:
		return sb_knob_set(knob_names[k], rnd(rs) % 1001);
	case 5:
	case 6:
		return sb_knob_set(knob_names[k], rnd(rs) % 2);
	}
	/* lowmem_reserve_ratio: as many values as it has, 0..512 */
	for (const char *p = lowmem0; *p; p++)
		if (*p == '\t' || *p == ' ')
			n++;
	v[0] = 0;
	for (int i = 0, len = 0; i <= n; i++)
		len += snprintf(v + len, sizeof(v) - len, "%s%d", i ? " " : "",
				(int)(rnd(rs) % 513));
	return sb_write_file(SB_DEBUGFS "/vm/lowmem_reserve_ratio", v);
}

static void knobs_restore(void)
{
	for (int k = 0; k < NR_KNOBS - 1; k++)
		if (knob0[k] >= 0)
			sb_knob_set(knob_names[k], knob0[k]);
	if (lowmem0[0])
		sb_write_file(SB_DEBUGFS "/vm/lowmem_reserve_ratio", lowmem0);
}

static void *knobs_fn(void *arg)
{
	uint64_t rs = thread_seed(500);
	int fd = open(SB_DEV, O_RDWR | O_CLOEXEC);

	(void)arg;
	if (fd < 0) {
		violation("knobs: open: %s", strerror(errno));
		return NULL;
	}
	while (!st.stop) {
		unsigned int r = rnd(&rs) % 8;
		int cpu = st.online[rnd(&rs) % st.nr_online], err;
		char cmd[32];

		if (r < 3) {
			struct sbuddy_drain d = { .scope = rnd(&rs) % 3 };

			if (d.scope == SBUDDY_DRAIN_CPU)
				d.cpu = cpu;
			err = io(fd, SBUDDY_IOC_DRAIN, &d);
			if (err && !(d.scope == SBUDDY_DRAIN_CPU && cpu == st.hot_cpu))
				violation("knobs: DRAIN scope %u cpu %u: %s", d.scope, d.cpu,
					  strerror(-err));
			ADD(drains, !err);
		} else if (r < 5) {
			r = rnd(&rs) % 3;
			if (r == 2)
				snprintf(cmd, sizeof(cmd), "cpu %d", cpu);
			else
				strcpy(cmd, r ? "local" : "all");
			err = sb_write_file(SB_DEBUGFS "/drain", cmd);
			if (err && !(r == 2 && cpu == st.hot_cpu))
				violation("knobs: drain '%s': %s", cmd, strerror(-err));
			ADD(drains, !err);
		} else {
			/* the three of the kernel's sysctls most of the time */
			int k = rnd(&rs) % 2 ? rnd(&rs) % 3 : rnd(&rs) % NR_KNOBS;

			err = knob_random(k, &rs);
			if (err)
				violation("knobs: writing %s: %s", knob_names[k], strerror(-err));
			ADD(knob_writes, !err);
		}
		nap(&rs, 20, 300);
	}
	close(fd);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Every readable debugfs file                                         */

static char files[MAX_FILES][320];
static int nr_files;

static void find_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) && nr_files < MAX_FILES) {
		char path[320];
		struct stat sb;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &sb))
			continue;
		if (S_ISDIR(sb.st_mode))
			find_files(path);
		else if (S_ISREG(sb.st_mode) && (sb.st_mode & 0400))
			strcpy(files[nr_files++], path);
	}
	closedir(d);
}

static void *reader_fn(void *arg)
{
	uint64_t rs = thread_seed(600);
	char *buf = malloc(1 << 20);

	(void)arg;
	if (!buf)
		return NULL;
	while (!st.stop) {
		int i = rnd(&rs) % nr_files, r = sb_read_all(files[i], buf, 1 << 20);

		if (r < 0)
			violation("reader: %s: %s", files[i], strerror(-r));
		else
			ADD(debugfs_reads, 1);
		nap(&rs, 10, 100);
	}
	free(buf);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Workloads                                                           */

static void *workload_fn(void *arg)
{
	uint64_t rs = thread_seed(700);
	char spec[512], cpus[128], *buf = malloc(65536);
	int k = 0;

	(void)arg;
	if (!buf)
		return NULL;
	while (!st.stop) {
		int online[MAX_CPUS], n = read_online(online), len = 0, err;

		cpus[0] = 0;
		for (int i = 0; i < n && i < 8; i++)
			len += snprintf(cpus + len, sizeof(cpus) - len, "%s%d",
					i ? "," : "", online[i]);
		snprintf(spec, sizeof(spec),
			 "name chaos%d\nseed %llu\ncpus %s\n"
			 "phase fill %d orders=0:8,1:2,2:2,3:1,9:1 types=u:1,m:2,r:1 flags=retry_mayfail\n"
			 "phase churn %d orders=0:4,1:1,3:1 types=u:1,m:3,r:2 flags=retry_mayfail life=40\n"
			 "phase idle %d\nphase free 50\n",
			 k++, (unsigned long long)rnd(&rs) % 1000000, cpus,
			 3 + (int)(rnd(&rs) % 6), 500 + (int)(rnd(&rs) % 1500),
			 (int)(rnd(&rs) % 300));
		err = sb_write_file(SB_DEBUGFS "/workload", spec);
		if (err == -EINVAL)
			ADD(workload_refused, 1);	/* a CPU went offline */
		else if (err)
			violation("workload: running: %s", strerror(-err));
		else
			ADD(workloads, 1);
		if (sb_read_all(SB_DEBUGFS "/workload", buf, 65536) <= 0)
			violation("workload: cannot read the results");
		nap(&rs, 200, 1500);	/* its blocks stay a while */
		err = sb_write_file(SB_DEBUGFS "/workload", "release");
		if (err)
			violation("workload: release: %s", strerror(-err));
		nap(&rs, 100, 1000);
	}
	free(buf);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* CPU hotplug                                                         */

static void *hotplug_fn(void *arg)
{
	double period = *(double *)arg;
	uint64_t rs = thread_seed(800);

	while (!st.stop) {
		double start = elapsed();
		int err;

		while (!st.stop && elapsed() < start + period * 0.4)
			usleep(50000);
		if (st.stop)
			break;
		err = sb_set_cpu_online(st.hot_cpu, 0);
		if (err) {
			violation("hotplug: taking cpu%d offline: %s", st.hot_cpu, strerror(-err));
			break;
		}
		nap(&rs, 1000, 3000);
		err = sb_set_cpu_online(st.hot_cpu, 1);
		if (err) {
			violation("hotplug: bringing cpu%d back: %s", st.hot_cpu, strerror(-err));
			break;
		}
		ADD(hot_cycles, 1);
		while (!st.stop && elapsed() < start + period)
			usleep(50000);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Closers: files closed with live, filled, pinned and mapped blocks   */

static void *closer_fn(void *arg)
{
	int idx = (int)(intptr_t)arg;
	uint64_t rs = thread_seed(900 + idx);

	while (!st.stop) {
		int fd = open(SB_DEV, O_RDWR | O_CLOEXEC), nb = 0;
		struct blk b[16];
		void *map = NULL;
		size_t maplen = 0;
		struct blk *mapped = NULL;

		if (fd < 0) {
			violation("closer %d: open: %s", idx, strerror(errno));
			break;
		}
		for (int i = 0; i < 6; i++) {
			unsigned int type = rnd(&rs) % 3, order = rnd(&rs) % 4, done;
			unsigned int cnt = 1 + rnd(&rs) % 3;
			uint64_t h[3];

			alloc_blocks(fd, order, mobility[type], cnt, h, &done);
			for (unsigned int j = 0; j < done && nb < 16; j++) {
				uint32_t crc = 0;

				b[nb] = (struct blk){ .h = h[j], .seed = new_seed(),
						      .order = order, .type = type };
				b[nb].crc = pattern_crc(b[nb].seed, order);
				if (!fill(fd, h[j], b[nb].seed, &crc)) {
					if (crc != b[nb].crc) {
						ADD(corrupted, 1);
						violation("closer %d: FILL of handle %llu: crc %#x want %#x",
							  idx, (unsigned long long)h[j], crc,
							  b[nb].crc);
					}
					ADD(checksums, 1);
				}
				ADD(close_pages, 1LL << order);
				ADD(close_blocks, 1);
				nb++;
			}
		}
		for (int i = 0; i < nb; i++) {
			if (b[i].type == 1 && !map) {
				maplen = 4096UL << b[i].order;
				map = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd,
					   SBUDDY_MMAP_OFFSET(b[i].h));
				if (map == MAP_FAILED) {
					violation("closer %d: mmap: %s", idx, strerror(errno));
					map = NULL;
				}
				mapped = &b[i];
			} else if (b[i].type == 0 && rnd(&rs) % 2) {
				struct sbuddy_handle_arg a = { .handle = b[i].h };

				io(fd, SBUDDY_IOC_PIN, &a);
			}
		}
		nap(&rs, 20, 200);
		close(fd);	/* everything live: close frees it, the mapping stays */
		ADD(closes, 1);
		if (map) {
			/* the mapping holds the file: the block is still there */
			long words = maplen / 8, r;
			uint64_t got = 0;

			nap(&rs, 0, 100);
			r = map_scan(map, words, mapped->seed, &got);
			if (r != words) {
				ADD(corrupted, r >= 0);
				violation("closer %d: mapping after close, handle %llu: %s at word %ld",
					  idx, (unsigned long long)mapped->h,
					  r < 0 ? "SIGBUS" : "CORRUPTED", r);
			} else {
				ADD(pages_verified, maplen / 4096);
			}
			munmap(map, maplen);	/* now the file goes */
		}
		nap(&rs, 50, 300);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The test                                                            */

static int chaos_seconds(void)
{
	const char *s = getenv("SBUDDY_CHAOS_SECS");
	int n = s ? atoi(s) : 0;

	return n > 0 ? n : 120;
}

FIXTURE(chaos) {
	int reloaded, hot_offline;
	char params[256];
};

FIXTURE_SETUP(chaos)
{
	const char *p = getenv("SBUDDY_PARAMS"), *cp = getenv("SBUDDY_CHAOS_PARAMS");

	crc_init();
	zero_crc_init();
	for (int k = 0; k < NR_KNOBS; k++)
		knob0[k] = -1;
	lowmem0[0] = 0;
	snprintf(self->params, sizeof(self->params), "%s", p ? p : "");
	if (!sb_module_loaded())
		ASSERT_EQ(0, sb_load(self->params));
	/* an emulated CMA area, unless the module already has one */
	if (cp || sb_read_key(SB_DEBUGFS "/cma", "count") <= 0) {
		char params[300];

		if (cp)
			snprintf(params, sizeof(params), "%s", cp);
		else
			snprintf(params, sizeof(params), "%s cma=16M", self->params);
		TH_LOG("reloading sbuddy with '%s'", params);
		ASSERT_EQ(0, sb_unload()) TH_LOG("sbuddy is busy: cannot reload it with cma=");
		self->reloaded = 1;
		ASSERT_EQ(0, sb_load(params)) TH_LOG("loading with '%s'", params);
	}
}

FIXTURE_TEARDOWN(chaos)
{
	if (self->hot_offline)
		sb_set_cpu_online(st.hot_cpu, 1);
	knobs_restore();
	if (self->reloaded) {
		if (sb_module_loaded())
			EXPECT_EQ(0, sb_unload());
		EXPECT_EQ(0, sb_load(self->params));
	}
}

/*
 * Found by the stress (a two-node machine with 128-page pageblocks):
 * a contiguous range over a MIGRATE_HIGHATOMIC pageblock left
 * nr_reserved_highatomic counting a reserve no pageblock held, and
 * verify failed.  Reserve a highatomic pageblock with a non-blocking
 * order-2 request near the low watermark, free it, take its pageblock
 * with ALLOC_CONTIG: verify must stay ok.  The setup reloads the module:
 * on the debug kernel (KASAN in TCG) that alone outruns the harness' 30 s,
 * and a killed test leaves its knobs (min_free_kbytes) for the next ones.
 */
TEST_F_TIMEOUT(chaos, contig_over_a_highatomic_pageblock, 600)
{
	long long pb = 0;
	long long mfk = knob_read("min_free_kbytes"), reserve0, n = 0;
	uint64_t *h = malloc(40000 * sizeof(*h)), at[1];
	struct sbuddy_contig c = { .mode = SBUDDY_CONTIG_RANGE };
	struct sbuddy_query q;
	char buf[512];
	int fd = open(SB_DEV, O_RDWR | O_CLOEXEC), na = 0;
	unsigned int done;

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, h);
	ASSERT_LT(0, mfk);
	knob0[2] = mfk;		/* the teardown puts it back */
	if (sb_read_all("/sys/module/sbuddy/parameters/pb_order", buf, sizeof(buf)) > 0)
		pb = strtoll(buf, NULL, 10);
	if (pb <= 0)
		pb = 9;
	/*
	 * A high low watermark, memory down towards it, and a non-blocking
	 * order-2 request after each batch: once the fast path fails, the
	 * slow path reserves a highatomic pageblock for it.
	 */
	ASSERT_EQ(0, sb_knob_set("min_free_kbytes", 40000));
	reserve0 = sb_vmstat("sbuddy_highatomic_reserve");
	while (n < 39000) {
		if (!alloc_blocks(fd, 2, SBUDDY_ALLOC_ATOMIC, 1, at, &done)) {
			if (sb_vmstat("sbuddy_highatomic_reserve") != reserve0) {
				na = 1;
				break;
			}
			ASSERT_EQ(0, free_blocks(fd, at, 1));
		}
		if (alloc_blocks(fd, 0, SBUDDY_ALLOC_MOVABLE | SBUDDY_ALLOC_NORETRY, 128,
				 h + n, &done) || !done)
			break;
		n += done;
	}
	ASSERT_LT(reserve0, sb_vmstat("sbuddy_highatomic_reserve")) TH_LOG("no highatomic pageblock reserved");
	ASSERT_LT(0, na);
	ASSERT_EQ(0, query(fd, at[na - 1], &q));
	EXPECT_EQ(3, q.pageblock_type);
	ASSERT_EQ(0, free_blocks(fd, at, na));
	for (long long i = 0; i < n; i += 4096)
		ASSERT_EQ(0, free_blocks(fd, h + i, n - i < 4096 ? n - i : 4096));
	ASSERT_EQ(0, sb_knob_set("min_free_kbytes", mfk));
	ASSERT_EQ(0, sb_write_file(SB_DEBUGFS "/drain", "all"));
	ASSERT_LT(0, sb_read_all(SB_DEBUGFS "/verify", buf, sizeof(buf)));
	ASSERT_STREQ("ok\n", buf);

	/* the pageblock, taken whole */
	c.order = pb;
	c.pfn = q.pfn & ~((1ULL << pb) - 1);
	ASSERT_EQ(0, io(fd, SBUDDY_IOC_ALLOC_CONTIG, &c)) TH_LOG("failed at %#llx",
							     (unsigned long long)c.failed_pfn);
	at[0] = c.handle;
	EXPECT_EQ(0, free_blocks(fd, at, 1));
	ASSERT_LT(0, sb_read_all(SB_DEBUGFS "/verify", buf, sizeof(buf)));
	EXPECT_STREQ("ok\n", buf);
	close(fd);
	free(h);
}

TEST_F_TIMEOUT(chaos, everything_at_once, 36000)
{
	double seconds = chaos_seconds(), period;
	pthread_t mappers[NR_MAPPERS], closers[NR_CLOSERS];
	pthread_t compactor, pressure, contig, knobs, reader, workload, hotplug;
	long long free0, pcp0, freeN = -1, pcpN = -1, buddyN = -1, proact0;
	long long v0[8], v1[8];
	static const char * const ev[8] = {
		"pgsteal_kswapd", "pgsteal_direct", "pgmigrate_success",
		"compact_daemon_wake", "oom_kill", "sbuddy_bad_page",
		"pageoutrun", "compact_isolated",
	};
	struct sbuddy_verify vr;
	const char *s = getenv("SBUDDY_CHAOS_SEED");
	char vbuf[512];
	int fd, ok, last_report = 0;

	memset(&st, 0, sizeof(st));
	pthread_mutex_init(&st.lock, NULL);
	st.seed = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	st.brk = getenv("SBUDDY_CHAOS_BREAK");
	ksft_print_msg("chaos: seed %llu (SBUDDY_CHAOS_SEED), %.0f s (SBUDDY_CHAOS_SECS)\n",
		       (unsigned long long)st.seed, seconds);

	st.nr_online = read_online(st.online);
	ASSERT_LT(0, st.nr_online);
	st.hot_cpu = st.online[st.nr_online - 1];
	if (st.nr_online < 2 || sb_cpu_online(st.hot_cpu) < 0)
		st.hot_cpu = -1;
	st.region_start = sb_read_key(SB_DEBUGFS "/region", "start_pfn");
	st.region_end = sb_read_key(SB_DEBUGFS "/region", "end_pfn");
	st.region_pages = st.region_end - st.region_start;
	ASSERT_LT(0, st.region_start);
	ASSERT_LT(0, st.region_pages);
	while (st.nr_nodes < 64) {
		char path[96];

		snprintf(path, sizeof(path), SB_DEBUGFS "/node/node%d/compact", st.nr_nodes);
		if (access(path, F_OK))
			break;
		st.nr_nodes++;
	}
	ASSERT_LT(0, st.nr_nodes);
	st.have_cma = sb_read_key(SB_DEBUGFS "/cma", "count") > 0;
	for (int k = 0; k < NR_KNOBS - 1; k++) {
		knob0[k] = knob_read(knob_names[k]);
		ASSERT_LE(0, knob0[k]) TH_LOG("reading vm/%s", knob_names[k]);
	}
	ASSERT_LT(0, sb_read_all(SB_DEBUGFS "/vm/lowmem_reserve_ratio", lowmem0, sizeof(lowmem0)));
	for (char *p = lowmem0; *p; p++)
		if (*p == '\t' || *p == '\n')
			*p = *p == '\t' ? ' ' : 0;
	proact0 = knob_read("compaction_proactiveness");
	ASSERT_LT(0, proact0) TH_LOG("proactive compaction is off");
	find_files(SB_DEBUGFS);
	ASSERT_LT(10, nr_files);

	/* where the free pages start */
	ASSERT_EQ(0, sb_write_file(SB_DEBUGFS "/drain", "all"));
	free0 = sb_buddy_pages(0);
	pcp0 = sb_pcp_pages();
	ASSERT_LT(0, free0);
	for (int i = 0; i < 8; i++)
		v0[i] = sb_vmstat(ev[i]);
	TH_LOG("%d CPUs online (cpu%d goes offline and back), %d nodes, region %lld pages, %lld free, CMA %s, %d debugfs files",
	       st.nr_online, st.hot_cpu, st.nr_nodes, st.region_pages, free0,
	       st.have_cma ? "yes" : "no", nr_files);

	clock_gettime(CLOCK_MONOTONIC, &st.t0);
	{
		struct sigaction sa = { .sa_handler = on_sigbus };

		sigaction(SIGBUS, &sa, NULL);
	}
	shared_fd = open(SB_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, shared_fd);
	nr_workers = st.nr_online;
	workers = calloc(nr_workers, sizeof(*workers));
	ASSERT_NE(NULL, workers);
	for (int i = 0; i < nr_workers; i++) {
		workers[i].idx = i;
		workers[i].cpu = st.online[i];
		workers[i].rs = thread_seed(i);
		pthread_mutex_init(&workers[i].lock, NULL);
		ASSERT_EQ(0, pthread_create(&workers[i].th, NULL, worker_fn, &workers[i]));
	}
	for (int i = 0; i < NR_MAPPERS; i++)
		ASSERT_EQ(0, pthread_create(&mappers[i], NULL, mapper_fn, (void *)(intptr_t)i));
	for (int i = 0; i < NR_CLOSERS; i++)
		ASSERT_EQ(0, pthread_create(&closers[i], NULL, closer_fn, (void *)(intptr_t)i));
	ASSERT_EQ(0, pthread_create(&compactor, NULL, compactor_fn, NULL));
	ASSERT_EQ(0, pthread_create(&pressure, NULL, pressure_fn, NULL));
	ASSERT_EQ(0, pthread_create(&contig, NULL, contig_fn, NULL));
	ASSERT_EQ(0, pthread_create(&knobs, NULL, knobs_fn, NULL));
	ASSERT_EQ(0, pthread_create(&reader, NULL, reader_fn, NULL));
	ASSERT_EQ(0, pthread_create(&workload, NULL, workload_fn, NULL));
	period = seconds / 5 > 30 ? 30 : (seconds / 5 < 6 ? 6 : seconds / 5);
	if (st.hot_cpu >= 0) {
		self->hot_offline = 1;
		ASSERT_EQ(0, pthread_create(&hotplug, NULL, hotplug_fn, &period));
	}

	while (elapsed() < seconds) {
		sleep(1);
		if ((int)elapsed() / 30 > last_report) {
			last_report = (int)elapsed() / 30;
			ksft_print_msg("chaos: t=%ds: %lld ops, %lld checksums, %lld pages verified, %lld corrupted, %d violations\n",
				       (int)elapsed(), st.ops, st.checksums, st.pages_verified,
				       st.corrupted, st.nerr);
		}
	}
	st.stop = 1;
	if (st.hot_cpu >= 0) {
		pthread_join(hotplug, NULL);
		if (sb_cpu_online(st.hot_cpu) != 1) {
			violation("cpu%d was left offline", st.hot_cpu);
			sb_set_cpu_online(st.hot_cpu, 1);
		}
		self->hot_offline = 0;
	}
	for (int i = 0; i < nr_workers; i++)
		pthread_join(workers[i].th, NULL);
	for (int i = 0; i < NR_MAPPERS; i++)
		pthread_join(mappers[i], NULL);
	for (int i = 0; i < NR_CLOSERS; i++)
		pthread_join(closers[i], NULL);
	pthread_join(compactor, NULL);
	pthread_join(pressure, NULL);
	pthread_join(contig, NULL);
	pthread_join(knobs, NULL);
	pthread_join(reader, NULL);
	pthread_join(workload, NULL);
	sb_unpin_cpus(MAX_CPUS);

	/* every surviving block of the workers' file matches its pattern */
	for (int i = 0; i < nr_workers; i++) {
		struct worker *w = &workers[i];

		for (int j = 0; j < w->nin; j++) {
			ADD(final_handles, 1);
			ADD(final_pages, 1LL << w->inbox[j].order);
		}
		for (int j = 0; j < w->nown; j++) {
			ADD(final_handles, 1);
			ADD(final_pages, 1LL << w->own[j].order);
		}
		empty_inbox(w);
		for (int j = 0; j < w->nown; j += INBOX)
			release_blocks(w, w->own + j, w->nown - j < INBOX ? w->nown - j : INBOX,
				       "at the end");
		w->nown = 0;
	}
	close(shared_fd);
	shared_fd = -1;
	EXPECT_EQ(0, sb_write_file(SB_DEBUGFS "/workload", "release"));
	for (int k = 0; k < NR_KNOBS - 1; k++) {
		EXPECT_EQ(0, sb_knob_set(knob_names[k], knob0[k])) TH_LOG("%s", knob_names[k]);
	}
	EXPECT_EQ(0, sb_write_file(SB_DEBUGFS "/vm/lowmem_reserve_ratio", lowmem0));
	EXPECT_EQ(0, sb_knob_set("compaction_proactiveness", proact0));

	/*
	 * Every file is closed: the free pages come back.  kswapd and
	 * kcompactd may still be finishing a run: give them a few seconds.
	 */
	for (int tries = 0; tries < 30; tries++) {
		buddyN = sb_buddy_pages(0);
		pcpN = sb_pcp_pages();
		freeN = buddyN + pcpN;
		if (freeN == free0 + pcp0)
			break;
		usleep(500000);
	}
	EXPECT_EQ(free0 + pcp0, freeN)
		TH_LOG("free pages after every file closed: buddy %lld + pcp %lld, at the start %lld + %lld",
		       buddyN, pcpN, free0, pcp0);
	EXPECT_EQ(0, sb_write_file(SB_DEBUGFS "/drain", "all"));
	EXPECT_EQ(free0, sb_buddy_pages(0)) TH_LOG("buddy pages after drain all");
	EXPECT_EQ(0, sb_pcp_pages());
	if (st.have_cma) {
		EXPECT_EQ(0, sb_read_key(SB_DEBUGFS "/cma", "used"));
	}
	ok = sb_read_all(SB_DEBUGFS "/verify", vbuf, sizeof(vbuf)) > 0 && !strcmp(vbuf, "ok\n");
	EXPECT_TRUE(ok) TH_LOG("verify: %s", vbuf);
	fd = open(SB_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	memset(&vr, 0, sizeof(vr));
	EXPECT_EQ(0, io(fd, SBUDDY_IOC_VERIFY, &vr));
	EXPECT_EQ(0, vr.status) TH_LOG("VERIFY: %s", vr.message);
	close(fd);
	for (int i = 0; i < 8; i++)
		v1[i] = sb_vmstat(ev[i]);

	ksft_print_msg("chaos: %.1f minutes stressed (%.0f s with the final checks), %d CPUs, seed %llu\n",
		       seconds / 60, elapsed(), st.nr_online, (unsigned long long)st.seed);
	ksft_print_msg("chaos: %lld operations (ioctls); %lld blocks allocated, %lld freed (%lld freed by another thread), %lld ENOMEM, %lld pins\n",
		       st.ops, st.allocs, st.frees, st.cross_frees, st.enomem, st.pins);
	ksft_print_msg("chaos: %lld checksums compared, %lld pages verified, %lld corrupted; %lld blocks checked at the end (%lld pages); %lld zeroed blocks checked\n",
		       st.checksums, st.pages_verified, st.corrupted, st.final_handles,
		       st.final_pages, st.zeroed_checked);
	ksft_print_msg("chaos: mappings: %lld rewrites, %lld mapped blocks migrated (up to %lld times), %lld SIGBUS after free, %lld reclaimed under a mapping (SIGBUS)\n",
		       st.map_rewrites, st.map_migrated, st.max_migrated, st.map_sigbus_ok,
		       st.map_reclaimed);
	ksft_print_msg("chaos: reclaim: %lld pressure cycles (up to %lld pages held), %lld sampled blocks reclaimed, %lld reclaimed blocks met; pgsteal kswapd +%lld direct +%lld, pageoutrun +%lld, oom_kill +%lld\n",
		       st.pressure_cycles, st.pressure_pages_max, st.pressure_reclaimed,
		       st.reclaimed_seen, v1[0] - v0[0], v1[1] - v0[1], v1[6] - v0[6],
		       v1[4] - v0[4]);
	ksft_print_msg("chaos: compaction: %lld triggers, pgmigrate_success +%lld, compact_isolated +%lld, compact_daemon_wake +%lld\n",
		       st.compactions, v1[2] - v0[2], v1[7] - v0[7], v1[3] - v0[3]);
	ksft_print_msg("chaos: contig %lld ok %lld failed, CMA %lld ok %lld failed; %lld drains, %lld knob writes, %lld debugfs reads, %lld workloads (%lld refused), %lld hotplug cycles, %lld files closed live (%lld blocks, %lld pages)\n",
		       st.contig_ok, st.contig_fail, st.cma_ok, st.cma_fail, st.drains,
		       st.knob_writes, st.debugfs_reads, st.workloads, st.workload_refused,
		       st.hot_cycles, st.closes, st.close_blocks, st.close_pages);
	ksft_print_msg("chaos: free pages %lld at the start, %lld at the end; verify %s\n",
		       free0, freeN, ok ? "ok" : "FAILED");
	/* for make check's reliability summary */
	ksft_print_msg("pages verified: %lld\n", st.pages_verified);

	/* nothing lost, nothing corrupted */
	EXPECT_EQ(0, st.corrupted) TH_LOG("corrupted blocks");
	EXPECT_EQ(0, st.nerr) TH_LOG("%d violations, the first: %s", st.nerr,
				     st.nerr ? st.err[0] : "");
	EXPECT_EQ(v0[4], v1[4]) TH_LOG("an OOM kill: every request was RETRY_MAYFAIL");
	EXPECT_EQ(v0[5], v1[5]) TH_LOG("sbuddy_bad_page moved");
	/* and the stress was one */
	EXPECT_LT(0, st.checksums);
	EXPECT_LT(0, st.cross_frees);
	EXPECT_LT(0, st.map_rewrites);
	EXPECT_LT(0, st.compactions);
	EXPECT_LT(v0[2], v1[2]) TH_LOG("nothing was migrated");
	EXPECT_LT(v0[0] + v0[1], v1[0] + v1[1]) TH_LOG("nothing was reclaimed");
	EXPECT_LT(0, st.contig_ok + st.cma_ok);
	EXPECT_LT(0, st.drains);
	EXPECT_LT(0, st.knob_writes);
	EXPECT_LT(0, st.debugfs_reads);
	EXPECT_LT(0, st.workloads);
	EXPECT_LT(0, st.closes);
	if (st.hot_cpu >= 0) {
		EXPECT_LT(0, st.hot_cycles);
	}
	free(workers);
}

TEST_HARNESS_MAIN
