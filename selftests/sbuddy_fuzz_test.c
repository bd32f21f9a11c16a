// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy fuzz selftests: seeded random and mutated input to every
 * interface userspace has.
 *
 *  - ioctls: SBUDDY_FUZZ_CALLS (default 100000) calls on two open files:
 *    unknown commands, random and mutated structures, bad pointers, freed
 *    and foreign handles, double frees, huge counts, every flag, mmap,
 *    contiguous and CMA allocations, and batches that end in an OOM kill.
 *    Every answer must be one the command documents in
 *    include/uapi/linux/sbuddy.h; where a model of the two files' handles
 *    knows the exact answer, it must be that one.  The model follows the
 *    slow path (slowpath.rst): reclaimable blocks may be reclaimed, and an
 *    OOM-killed file has all its blocks reclaimed and allocates nothing
 *    more, after which it is reopened.  verify stays ok, and closing the
 *    files gives every page back.
 *  - knobs: random writes to every file of vm/ and to the write-only
 *    compaction triggers (exact answers where the range is documented),
 *    then reads of every view.
 *  - workloads: random and mutated specs written to the workload file.
 *
 * SBUDDY_FUZZ_SEED repeats a run (the seed is printed); SBUDDY_FUZZ_CALLS
 * makes it longer.  Each test prints "fuzz: N calls" for make check.
 */
#include <dirent.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define NR_CMDS		16
/* the commands whose argument is a structure every time (the first ones) */
#define NR_STRUCT_CMDS	13
/* indices in cmds[] of the later commands */
#define CI_FREE_HELD	12
#define CI_WL_START	13
#define CI_WL_WAIT	14
#define CI_WL_STOP	15
#define MAX_LIVE	512		/* handles the model keeps per file */
#define MAX_LIVE_PAGES	2048		/* and pages over both files: half of
					 * the default DMA zone, so that no
					 * zone runs dry and OOM-kills */
#define VERIFY_EVERY	1000

static const unsigned long cmds[NR_CMDS] = {
	SBUDDY_IOC_GET_API, SBUDDY_IOC_ALLOC, SBUDDY_IOC_FREE,
	SBUDDY_IOC_PIN, SBUDDY_IOC_UNPIN, SBUDDY_IOC_QUERY,
	SBUDDY_IOC_FILL, SBUDDY_IOC_CHECKSUM, SBUDDY_IOC_DRAIN,
	SBUDDY_IOC_VERIFY, SBUDDY_IOC_ALLOC_CONTIG, SBUDDY_IOC_CMA_ALLOC,
	SBUDDY_IOC_FREE_HELD,
	SBUDDY_IOC_WORKLOAD_START, SBUDDY_IOC_WORKLOAD_WAIT,
	SBUDDY_IOC_WORKLOAD_STOP,
};

/* the errnos each command documents (0 is success), ending in -1 */
static const int documented[NR_CMDS][10] = {
	{ 0, EFAULT, -1 },
	{ 0, ENOMEM, EINTR, EINVAL, E2BIG, EFAULT, -1 },
	{ 0, ENOENT, EINVAL, E2BIG, EFAULT, -1 },
	{ 0, ENOENT, EINVAL, EOVERFLOW, EFAULT, -1 },
	{ 0, ENOENT, EINVAL, EFAULT, -1 },
	{ 0, ENOENT, EINVAL, EFAULT, -1 },
	{ 0, ENOENT, ESTALE, EINVAL, EFAULT, -1 },
	{ 0, ENOENT, ESTALE, EINVAL, EFAULT, -1 },
	{ 0, EINVAL, EFAULT, -1 },
	{ 0, EFAULT, ENOMEM, -1 },
	{ 0, EINVAL, EBUSY, ENOMEM, EPERM, EINTR, ENOSPC, EFAULT, -1 },
	{ 0, EINVAL, ENODEV, ENOMEM, EBUSY, EINTR, ENOSPC, EFAULT, -1 },
	{ 0, EINVAL, ENOENT, EBUSY, EFAULT, -1 },
	{ 0, EINVAL, E2BIG, EBUSY, ENOMEM, EFAULT, -1 },
	{ 0, ENOENT, EINTR, ENOMEM, EFAULT, -1 },
	{ 0, ENOENT, -1 },
};

static int is_documented(int ci, int err)
{
	int i;

	for (i = 0; documented[ci][i] >= 0; i++)
		if (documented[ci][i] == err)
			return 1;
	return 0;
}

static uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int percent)
{
	return below(100) < percent;
}

static uint64_t fuzz_seed(void)
{
	const char *s = getenv("SBUDDY_FUZZ_SEED");
	struct timespec ts;

	if (s && *s)
		return strtoull(s, NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ getpid();
}

static long fuzz_calls(void)
{
	const char *s = getenv("SBUDDY_FUZZ_CALLS");

	return s && *s ? strtol(s, NULL, 0) : 100000;
}

static void seed_rng(struct __test_metadata *_metadata, const char *what)
{
	uint64_t seed = fuzz_seed();

	TH_LOG("%s: seed %" PRIu64 " (SBUDDY_FUZZ_SEED=%" PRIu64 " repeats it)",
	       what, seed, seed);
	rng = seed ? seed : 1;
}

/*
 * A block crossing the edge of a range's pageblocks starts at most this
 * far below them (2^SBUDDY_MAX_ORDER-aligned, as 6.1's free blocks)
 */
#define MAX_ORDER_PAGES	(1ULL << SBUDDY_MAX_ORDER)

/* the model's mark of an ALLOC_CONTIG or CMA_ALLOC block (never moves) */
#define BLK_CONTIG	(1U << 31)

/* one block of the model */
struct blk {
	uint64_t h;
	uint32_t order, flags, pins;
	uint32_t crc, filled;	/* the last FILL's crc32 */
	uint32_t gone;		/* reclaimed or OOM-killed, as QUERY said */
};

struct file_model {
	int fd;
	int nr;
	int wl;			/* a workload run was started on it */
	struct blk b[MAX_LIVE];
};

/* pages the model holds, over both files */
static long live_pages(struct file_model *fm)
{
	long n = 0;
	int f, i;

	for (f = 0; f < 2; f++)
		for (i = 0; i < fm[f].nr; i++)
			n += 1L << fm[f].b[i].order;
	return n;
}

static struct blk *find(struct file_model *m, uint64_t h)
{
	int i;

	for (i = 0; i < m->nr; i++)
		if (m->b[i].h == h)
			return &m->b[i];
	return NULL;
}

static void forget(struct file_model *m, uint64_t h)
{
	struct blk *b = find(m, h);

	if (b)
		*b = m->b[--m->nr];
}

static void remember(struct file_model *m, uint64_t h, uint32_t order,
		     uint32_t flags)
{
	if (!h || find(m, h) || m->nr == MAX_LIVE)
		return;
	m->b[m->nr++] = (struct blk){ .h = h, .order = order, .flags = flags };
}

/* reclaim may take reclaimable blocks away, an OOM kill any */
static int may_vanish(struct blk *b)
{
	return b && ((b->flags & SBUDDY_ALLOC_RECLAIMABLE) || b->gone);
}

/* whether QUERY says @b's pages were taken (reclaim or an OOM kill) */
static int block_gone(int fd, struct blk *b)
{
	struct sbuddy_query q = { .handle = b->h };

	if (!ioctl(fd, SBUDDY_IOC_QUERY, &q) && q.state == SBUDDY_STATE_RECLAIMED)
		b->gone = 1;
	return b->gone;
}

struct fuzz {
	struct __test_metadata *md;
	struct file_model fm[2];
	uint64_t *hbuf;		/* SBUDDY_BATCH_MAX handles */
	char *ro;		/* a read-only page */
	char *none;		/* a PROT_NONE page after a writable one */
	char *edge;		/* the writable page before it */
	uint64_t freed[64];	/* recently freed handles */
	long calls, undocumented, wrong;
	long per_cmd[NR_CMDS + 1];
	long pages_verified;
	int vmstat;		/* debugfs vmstat, kept open */
	long long oom_kills;	/* its oom_kill when last looked at */
	long kills_seen;	/* files the model saw OOM-killed */
	long long start_pfn, end_pfn;	/* the region */
	int nodes;		/* emulated nodes */
	long long cma_base, cma_count;	/* the CMA area; count 0: none */
};

static int cmd_index(unsigned long cmd)
{
	int i;

	for (i = 0; i < NR_CMDS; i++)
		if (cmds[i] == cmd)
			return i;
	return NR_CMDS;
}

static void note_freed(struct fuzz *z, uint64_t h)
{
	z->freed[below(64)] = h;
}

/* a handle to use: this file's, the other's, freed, zero, or random */
static uint64_t pick_handle(struct fuzz *z, int f)
{
	struct file_model *m = &z->fm[f], *o = &z->fm[!f];

	switch (below(8)) {
	case 0: case 1: case 2: case 3:
		if (m->nr)
			return m->b[below(m->nr)].h;
		return 1 + below(64);
	case 4:
		if (o->nr)
			return o->b[below(o->nr)].h;
		return 1 + below(64);
	case 5:
		return z->freed[below(64)];
	case 6:
		return below(3) ? 1 + below(1 << 16) : 0;
	default:
		return rnd() | (below(2) ? 1ULL << 63 : 0);
	}
}

static uint32_t pick_flags(void)
{
	switch (below(6)) {
	case 0:
		return (uint32_t)rnd();
	case 1:
		return 1U << below(32);
	case 2: case 3:
		return (uint32_t)rnd() & SBUDDY_ALLOC_ALL;
	default:
		/* common, valid ones: a migratetype and maybe zero/nowarn */
		return (uint32_t)below(3) | (chance(30) ? SBUDDY_ALLOC_ZERO : 0) |
		       (chance(30) ? SBUDDY_ALLOC_NOWARN : 0) |
		       (chance(10) ? SBUDDY_ALLOC_COMP : 0);
	}
}

static int flags_valid(uint32_t fl)
{
	int zones = !!(fl & SBUDDY_ALLOC_DMA) + !!(fl & SBUDDY_ALLOC_DMA32) +
		    !!(fl & SBUDDY_ALLOC_HIGHMEM);

	if (fl & ~SBUDDY_ALLOC_ALL)
		return 0;
	if ((fl & SBUDDY_ALLOC_MOVABLE) && (fl & SBUDDY_ALLOC_RECLAIMABLE))
		return 0;
	if ((fl & SBUDDY_ALLOC_ATOMIC) && (fl & SBUDDY_ALLOC_NOWAIT))
		return 0;
	if ((fl & SBUDDY_ALLOC_NOFAIL) && (fl & SBUDDY_ALLOC_NORETRY))
		return 0;
	return zones <= 1;
}

/* a pointer the kernel must refuse with -EFAULT */
static void *bad_ptr(struct fuzz *z, size_t size)
{
	switch (below(7)) {
	case 0: return NULL;
	case 1: return (void *)(uintptr_t)(1 + below(4095));
	case 2: return (void *)(uintptr_t)0xffff888000000000ULL;
	case 3: return (void *)(uintptr_t)0xffffffff81000000ULL;
	case 4: return (void *)(uintptr_t)-8LL;
	case 5: return z->none + below(4096);
	/* straddling into the PROT_NONE page */
	default: return z->none - 1 - below(size - 1);
	}
}

static void check(struct fuzz *z, int ci, int err, int expect, int line)
{
	struct __test_metadata *_metadata = z->md;

	z->calls++;
	z->per_cmd[ci]++;
	if (ci < NR_CMDS && !is_documented(ci, err)) {
		z->undocumented++;
		TH_LOG("call %ld (line %d): command %d answered %d (%s), not documented",
		       z->calls, line, ci, -err, strerror(err));
	} else if (ci == NR_CMDS && err != ENOTTY) {
		z->undocumented++;
		TH_LOG("call %ld (line %d): an unknown command answered %d (%s), not -ENOTTY",
		       z->calls, line, -err, strerror(err));
	} else if (expect >= 0 && err != expect) {
		z->wrong++;
		TH_LOG("call %ld (line %d): command %d answered %d (%s), the model expects %d",
		       z->calls, line, ci, -err, strerror(err), -expect);
	}
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

#define CHECK(z, ci, err, expect) check(z, ci, err, expect, __LINE__)

/* drop every block of the model that the kernel no longer knows */
static void resync(struct fuzz *z, int f)
{
	struct file_model *m = &z->fm[f];
	struct sbuddy_query q;
	int i, err;

	for (i = m->nr - 1; i >= 0; i--) {
		memset(&q, 0, sizeof(q));
		q.handle = m->b[i].h;
		err = xioctl(m->fd, SBUDDY_IOC_QUERY, &q);
		CHECK(z, 5, err, -1);
		if (err == ENOENT) {
			note_freed(z, m->b[i].h);
			m->b[i] = m->b[--m->nr];
		} else if (!err) {
			m->b[i].pins = q.pins;
		}
	}
}

/* a counter of sbuddy's vmstat, or -1 */
static long long vmstat_read(struct fuzz *z, const char *name)
{
	static char buf[1 << 14];
	size_t len = strlen(name);
	ssize_t n = pread(z->vmstat, buf, sizeof(buf) - 1, 0);
	char *p;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, len) && p[len] == ' ')
			return strtoll(p + len + 1, NULL, 10);
	return -1;
}

static void op_reopen(struct fuzz *z, int f);

/* after a FREE_HELD of @h: its order is what QUERY says, its pattern cut */
static void held_resync(struct fuzz *z, int f, uint64_t h)
{
	struct blk *b = find(&z->fm[f], h);
	struct sbuddy_query q = { .handle = h };
	int err;

	if (!b)
		return;
	err = xioctl(z->fm[f].fd, SBUDDY_IOC_QUERY, &q);
	CHECK(z, 5, err, -1);
	if (!err && q.order != b->order) {
		b->order = q.order;
		b->filled = 0;
	}
}

/*
 * After every call that allocates: did the OOM killer run?  It kills the
 * owner holding the most pages (slowpath.rst): that file's blocks are all
 * reclaimed and it allocates nothing more (ALLOC is -ENOMEM).  The model
 * checks that of the victim and then lets it exit, as a killed task
 * would: the file is closed and opened again.
 */
static void oom_check(struct fuzz *z)
{
	struct __test_metadata *_metadata = z->md;
	long long kills = vmstat_read(z, "oom_kill");
	int f, i, killed = 0;

	if (kills < 0) {
		z->wrong++;
		TH_LOG("vmstat has no oom_kill");
		return;
	}
	if (kills == z->oom_kills)
		return;
	for (f = 0; f < 2; f++) {
		struct file_model *m = &z->fm[f];
		uint64_t h = 0;
		struct sbuddy_alloc a = {
			.order = 0, .count = 1, .handles = (uintptr_t)&h,
			.flags = SBUDDY_ALLOC_ATOMIC | SBUDDY_ALLOC_NOWARN,
		};
		int err = xioctl(m->fd, SBUDDY_IOC_ALLOC, &a), live = 0;

		/* an order-0 atomic request after a kill: only the victim fails */
		CHECK(z, 1, err, -1);
		if (!err) {
			struct sbuddy_free fr = { .handles = (uintptr_t)&h, .count = 1 };

			CHECK(z, 2, xioctl(m->fd, SBUDDY_IOC_FREE, &fr), 0);
			continue;
		}
		if (err != ENOMEM)
			continue;
		for (i = 0; i < m->nr; i++)
			if (!block_gone(m->fd, &m->b[i]))
				live++;
		if (live) {
			z->wrong++;
			TH_LOG("file %d: ALLOC -ENOMEM after an OOM kill, but %d of its %d blocks live",
			       f, live, m->nr);
			continue;
		}
		killed++;
		op_reopen(z, f);
	}
	/* each kill took a file with pages; only the two files have any */
	if (!killed || killed > kills - z->oom_kills) {
		z->wrong++;
		TH_LOG("oom_kill went from %lld to %lld; the model saw %d files killed",
		       z->oom_kills, kills, killed);
	}
	z->kills_seen += killed;
	z->oom_kills = kills;
}

static void op_unknown(struct fuzz *z, int f)
{
	unsigned long cmd;
	int nr, type;

	do {
		switch (below(3)) {
		case 0:	/* sbuddy's type, a number it does not have */
			nr = 0x0a + below(256 - 0x0a);
			cmd = _IOC(below(4), SBUDDY_IOC_MAGIC, nr, below(1 << 14));
			break;
		case 1:	/* a known number with another size or direction */
			cmd = cmds[below(NR_CMDS)];
			cmd = _IOC(below(4), SBUDDY_IOC_MAGIC, _IOC_NR(cmd),
				   below(2) ? below(1 << 14) : _IOC_SIZE(cmd));
			break;
		default: /* another type; not those the VFS answers itself */
			do {
				type = below(256);
			} while (type == 0 || type == 'T' || type == 'X' ||
				 type == 'f' || type == 0x94 || type == SBUDDY_IOC_MAGIC);
			cmd = _IOC(below(4), type, below(256), below(1 << 14));
		}
	} while (cmd_index(cmd) != NR_CMDS);
	CHECK(z, NR_CMDS, xioctl(z->fm[f].fd, cmd, (void *)(uintptr_t)rnd()), -1);
}

static void op_bad_pointer(struct fuzz *z, int f)
{
	int ci = below(NR_STRUCT_CMDS);
	unsigned long cmd = cmds[ci];
	int err;

	if (chance(20)) {
		/*
		 * The read-only page holds zeros: commands that only read get
		 * further and refuse them; those that write back fault.
		 */
		err = xioctl(z->fm[f].fd, cmd, z->ro + below(64) * 8);
		CHECK(z, ci, err, -1);
		return;
	}
	CHECK(z, ci, xioctl(z->fm[f].fd, cmd, bad_ptr(z, _IOC_SIZE(cmd))), EFAULT);
}

/* ALLOC with valid or mutated fields; the model learns the handles */
static void op_alloc(struct fuzz *z, int f, int mutate)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	struct sbuddy_alloc a = { 0 };
	int err, expect = -1, bad_handles = 0;
	uint32_t i;

	a.order = chance(80) ? below(4) : below(SBUDDY_MAX_ORDER + 1);
	a.flags = pick_flags();
	a.count = 1 + below(chance(90) ? 4 : 16);
	a.handles = (uintptr_t)z->hbuf;
	if (mutate) {
		switch (below(12)) {
		case 0: a.order = SBUDDY_MAX_ORDER + 1 + below(1000); break;
		case 1: a.order = (uint32_t)rnd(); break;
		case 2: a.count = 0; break;
		case 3: a.count = SBUDDY_BATCH_MAX + 1 + below(1 << 20); break;
		case 4: a.count = (uint32_t)rnd() | 0x80000000U; break;
		case 5: a.pad = 1 + below(1000); break;
		case 6: a.reserved[below(2)] = rnd() | 1; break;
		case 7: a.policy = below(8); break;
		case 8: a.nid = below(70); a.policy = below(4); break;
		case 9: a.nodemask = rnd(); a.policy = below(4); break;
		case 10: a.done = (uint32_t)rnd(); a.error = (uint32_t)rnd(); break;
		default:
			/* a bad handles array: nothing may be left behind */
			a.handles = (uintptr_t)bad_ptr(z, 8);
			bad_handles = 1;
		}
	}
	if (!bad_handles)
		memset(z->hbuf, 0, sizeof(uint64_t) * (a.count <= SBUDDY_BATCH_MAX ?
						       a.count : 1));
	/* what the kernel must say, where it is certain */
	if (a.pad || a.reserved[0] || a.reserved[1])
		expect = EINVAL;
	else if (a.order > SBUDDY_MAX_ORDER || !a.count)
		expect = EINVAL;
	else if (a.count > SBUDDY_BATCH_MAX)
		expect = E2BIG;
	else if (!flags_valid(a.flags))
		expect = EINVAL;
	else if (a.policy > SBUDDY_MPOL_INTERLEAVE)
		expect = EINVAL;
	else if (a.policy == SBUDDY_MPOL_DEFAULT && (a.nid || a.nodemask))
		expect = EINVAL;
	else if (bad_handles && a.policy == SBUDDY_MPOL_DEFAULT)
		expect = EFAULT;
	err = xioctl(m->fd, SBUDDY_IOC_ALLOC, &a);
	CHECK(z, 1, err, expect);
	if (bad_handles || a.count > SBUDDY_BATCH_MAX || !a.count) {
		oom_check(z);
		return;
	}
	for (i = 0; i < a.count; i++)
		remember(m, z->hbuf[i], a.order, a.flags);
	if ((!err || err == ENOMEM) && a.done > a.count) {
		z->wrong++;
		TH_LOG("alloc: done %u above count %u", a.done, a.count);
	}
	if (!err && a.done != a.count) {
		z->wrong++;
		TH_LOG("alloc: success with done %u of %u", a.done, a.count);
	}
	oom_check(z);
}

/* FREE of a mix of live, foreign, freed and repeated handles */
static void op_free(struct fuzz *z, int f, int mutate)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	struct sbuddy_free fr = { 0 };
	uint32_t i, n = 1 + below(chance(80) ? 3 : 12), j;
	int err, expect = 0, exp_done = -1;
	struct file_model shadow;

	for (i = 0; i < n; i++) {
		if (i && chance(5))
			z->hbuf[i] = z->hbuf[below(i)];	/* a double free */
		else
			z->hbuf[i] = chance(85) && m->nr ? m->b[below(m->nr)].h :
				     pick_handle(z, f);
	}
	fr.handles = (uintptr_t)z->hbuf;
	fr.count = n;
	if (mutate) {
		switch (below(6)) {
		case 0: fr.count = 0; break;
		case 1: fr.count = SBUDDY_BATCH_MAX + 1 + below(1 << 30); break;
		case 2: fr.pad = 1 + below(9); break;
		case 3: fr.reserved[below(2)] = rnd() | 1; break;
		case 4: fr.handles = (uintptr_t)bad_ptr(z, 8); break;
		default: fr.done = (uint32_t)rnd(); fr.error = (uint32_t)rnd();
		}
	}
	if (fr.pad || fr.reserved[0] || fr.reserved[1] || !fr.count) {
		expect = EINVAL;
	} else if (fr.count > SBUDDY_BATCH_MAX) {
		expect = E2BIG;
	} else if (fr.handles != (uintptr_t)z->hbuf) {
		expect = EFAULT;
	} else {
		/* walk the batch on a copy of the model */
		shadow = *m;
		for (j = 0; j < fr.count; j++) {
			struct blk *b = find(&shadow, z->hbuf[j]);

			if (!b)
				break;
			forget(&shadow, z->hbuf[j]);
		}
		exp_done = j;
		expect = j == fr.count ? 0 : ENOENT;
	}
	err = xioctl(m->fd, SBUDDY_IOC_FREE, &fr);
	CHECK(z, 2, err, expect);
	if (exp_done >= 0 && (err == 0 || err == ENOENT) &&
	    fr.done != (uint32_t)exp_done) {
		z->wrong++;
		TH_LOG("free: done %u, the model expects %d", fr.done, exp_done);
	}
	if (err == expect && exp_done >= 0) {
		for (j = 0; j < fr.done && j < fr.count; j++) {
			forget(m, z->hbuf[j]);
			note_freed(z, z->hbuf[j]);
		}
	} else if (err != EINVAL && err != E2BIG) {
		resync(z, f);
	}
}

/* PIN, UNPIN, QUERY, FILL, CHECKSUM on a picked handle */
static void op_handle(struct fuzz *z, int f, int mutate)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	int ci = 3 + below(5), err, expect;
	uint64_t h = pick_handle(z, f);
	struct blk *b = find(m, h);
	union {
		struct sbuddy_handle_arg p;
		struct sbuddy_query q;
		struct sbuddy_fill fl;
	} u;

	memset(&u, 0, sizeof(u));
	u.q.handle = h;		/* the first field of all three */
	expect = b ? 0 : ENOENT;
	if (ci == 4 && b && !b->pins)
		expect = EINVAL;
	/* a reclaimable block may be gone: ENOENT or ESTALE then */
	if (may_vanish(b))
		expect = -1;
	if (ci == 6)
		u.fl.seed = rnd();
	if (ci == 5 && chance(50))
		u.q.pfn = rnd(), u.q.order = rnd();	/* out fields: ignored */
	if (mutate) {
		/* the structure is checked before the handle */
		expect = EINVAL;
		if (ci == 5)
			u.q.reserved[below(2)] = rnd() | 1;
		else if (ci <= 4 && below(2))
			u.p.pad = 1 + below(99);
		else if (ci <= 4)
			u.p.reserved[below(2)] = rnd() | 1;
		else if (ci == 7 && below(3) == 0)
			u.fl.seed = rnd() | 1;
		else if (below(2))
			u.fl.pad = 1 + below(99);
		else
			u.fl.reserved[below(2)] = rnd() | 1;
	}
	err = xioctl(m->fd, cmds[ci], &u);
	/* an OOM kill may have taken the block since: QUERY tells */
	if (b && !expect && (err == ESTALE || err == ENOENT) && block_gone(m->fd, b))
		expect = -1;
	CHECK(z, ci, err, expect);
	if (b && !err && ci == 5 && u.q.state == SBUDDY_STATE_RECLAIMED)
		b->gone = 1;
	if (b && !err && !b->gone) {
		if (ci == 3)
			b->pins++;
		if (ci == 4)
			b->pins--;
		if ((ci == 3 || ci == 4) && u.p.pins != b->pins) {
			z->wrong++;
			TH_LOG("pin: %u pins, the model has %u", u.p.pins, b->pins);
			b->pins = u.p.pins;
		}
		if (ci == 6) {
			b->crc = u.fl.crc32;
			b->filled = 1;
		}
		/* data integrity: what FILL wrote is still there */
		if (ci == 7 && b->filled) {
			if (u.fl.crc32 != b->crc) {
				z->wrong++;
				TH_LOG("checksum of handle %" PRIu64 ": %08x, filled as %08x",
				       h, u.fl.crc32, b->crc);
			}
			z->pages_verified += 1L << b->order;
		}
		if (ci == 5 && (u.q.order != b->order || u.q.handle != h ||
				u.q.pins != b->pins)) {
			z->wrong++;
			TH_LOG("query: order %u pins %u, the model has %u, %u",
			       u.q.order, u.q.pins, b->order, b->pins);
		}
	}
	if (b && err == ENOENT)
		resync(z, f);
}

static void op_drain(struct fuzz *z, int f, int mutate)
{
	struct sbuddy_drain d = { 0 };
	int expect = 0;

	d.scope = below(3);
	if (d.scope == SBUDDY_DRAIN_CPU)
		d.cpu = below(sysconf(_SC_NPROCESSORS_CONF));
	if (mutate) {
		switch (below(4)) {
		case 0: d.scope = 3 + below(1000); break;
		case 1: d.cpu = 4096 + below(1 << 20); d.scope = SBUDDY_DRAIN_CPU; break;
		case 2: d.cpu = 1 + below(8); d.scope = below(2); break;
		default: d.reserved[below(2)] = rnd() | 1;
		}
		expect = EINVAL;
	}
	CHECK(z, 8, xioctl(z->fm[f].fd, SBUDDY_IOC_DRAIN, &d), expect);
}

static void op_random_struct(struct fuzz *z, int f)
{
	int ci = below(NR_STRUCT_CMDS), sane = chance(70);
	uint64_t buf[64];
	uint32_t *w = (uint32_t *)buf;
	unsigned int i;
	int err;

	for (i = 0; i < 64; i++)
		buf[i] = rnd();
	if (sane) {
		/* each field kept plausible with even odds */
		for (i = 0; i < 16; i++)
			if (below(2))
				w[i] = below(2) ? 0 : below(16);
		if (ci == 1 && below(2))
			w[1] &= SBUDDY_ALLOC_ALL;
	}
	/* the pointers inside: the handle buffer, or bad */
	if (ci == 1 || ci == 2) {
		i = ci == 1 ? 2 : 0;
		buf[i] = chance(60) ? (uintptr_t)z->hbuf : (uintptr_t)bad_ptr(z, 8);
		/* the buffer is deep enough; the model follows 16 at most */
		if (buf[i] == (uintptr_t)z->hbuf && w[2] <= SBUDDY_BATCH_MAX)
			w[2] &= 15;
		if (ci == 1)
			memset(z->hbuf, 0, 16 * sizeof(uint64_t));
		else
			for (i = 0; i < 16; i++)
				z->hbuf[i] = pick_handle(z, f);
	}
	err = xioctl(z->fm[f].fd, cmds[ci], buf);
	CHECK(z, ci, err, -1);
	if (ci == 1 && buf[2] == (uintptr_t)z->hbuf)
		for (i = 0; i < 16; i++)
			remember(&z->fm[f], z->hbuf[i], w[0], w[1]);
	/* a contiguous or CMA block: its handle is in the structure */
	if (ci == 10 && !err)
		remember(&z->fm[f], buf[3], w[1], BLK_CONTIG);
	if (ci == 11 && !err)
		remember(&z->fm[f], buf[2], w[0], BLK_CONTIG);
	if (ci == 1 || ci == 10 || ci == 11)
		oom_check(z);
	if (ci == 2 || ci == 3 || ci == 4)
		resync(z, f);
	if (ci == CI_FREE_HELD && !err)
		held_resync(z, f, buf[0]);
	/* a FILL that hit one of the file's blocks: its new pattern */
	if (ci == 6 && !err) {
		struct blk *b = find(&z->fm[f], buf[0]);

		if (b) {
			b->crc = w[4];
			b->filled = 1;
		}
	}
}

/*
 * FREE_HELD: a non-compound block of order N > 0 gives back 2^N - 1
 * pages and becomes order 0; a compound one stays; contiguous ones are
 * -EINVAL, pinned ones -EBUSY.
 */
static void op_free_held(struct fuzz *z, int f, int mutate)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	uint64_t h = pick_handle(z, f);
	struct blk *b = find(m, h);
	struct sbuddy_free_held a = { .handle = h };
	uint32_t order = 0, freed = 0;
	int err, expect;

	expect = !b ? ENOENT : (b->flags & BLK_CONTIG) ? EINVAL :
		 b->pins ? EBUSY : 0;
	if (may_vanish(b))
		expect = -1;
	if (chance(50))
		a.order = rnd(), a.nr_freed = rnd();	/* out fields: ignored */
	if (mutate) {
		expect = EINVAL;
		a.reserved[below(2)] = rnd() | 1;
	}
	if (b && !(b->flags & BLK_CONTIG)) {
		int comp = (b->flags & SBUDDY_ALLOC_COMP) && b->order;

		order = comp ? b->order : 0;
		freed = comp ? 0 : (1U << b->order) - 1;
	}
	err = xioctl(m->fd, SBUDDY_IOC_FREE_HELD, &a);
	if (b && !expect && err == ENOENT && block_gone(m->fd, b))
		expect = -1;
	CHECK(z, CI_FREE_HELD, err, expect);
	if (!err && b && !b->gone && (a.order != order || a.nr_freed != freed)) {
		z->wrong++;
		TH_LOG("free_held of order %u: order %u, %u freed; the model expects %u, %u",
		       b->order, a.order, a.nr_freed, order, freed);
	}
	if (!err)
		held_resync(z, f, h);
	if (b && err == ENOENT)
		resync(z, f);
}

/*
 * One big batch that runs out of memory, then frees everything back.
 * Far more than the region: unmovable and movable blocks stop at -ENOMEM
 * (__GFP_NORETRY: no OOM kill).  Reclaimable ones may go on for ever, as
 * reclaim takes the batch's own older blocks (slowpath.rst); a batch that
 * got them all must have had reclaim take what the region could not hold.
 */
static void op_huge(struct fuzz *z, int f)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	struct sbuddy_alloc a = { 0 };
	struct sbuddy_free fr = { 0 };
	long long region = z->end_pfn - z->start_pfn, steal0, steal1;
	int err, reclaimable;

	a.order = 3 + below(8);
	a.count = SBUDDY_BATCH_MAX;
	a.flags = SBUDDY_ALLOC_NOWARN | SBUDDY_ALLOC_NORETRY | (uint32_t)below(3);
	a.handles = (uintptr_t)z->hbuf;
	reclaimable = a.flags & SBUDDY_ALLOC_RECLAIMABLE;
	steal0 = vmstat_read(z, "pgsteal_kswapd") + vmstat_read(z, "pgsteal_direct");
	err = xioctl(m->fd, SBUDDY_IOC_ALLOC, &a);
	CHECK(z, 1, err, reclaimable ? -1 : ENOMEM);
	if (a.done > SBUDDY_BATCH_MAX || (err == ENOMEM && a.done >= a.count)) {
		z->wrong++;
		TH_LOG("huge alloc: %d with done %u", -err, a.done);
		return;
	}
	if (!err) {
		/* all of them: reclaim took at least what did not fit */
		steal1 = vmstat_read(z, "pgsteal_kswapd") + vmstat_read(z, "pgsteal_direct");
		if (steal1 - steal0 < ((long long)a.done << a.order) - region) {
			z->wrong++;
			TH_LOG("huge alloc of %u order-%u blocks in a region of %lld pages; reclaim took %lld",
			       a.done, a.order, region, steal1 - steal0);
		}
	}
	oom_check(z);
	if (!a.done)
		return;
	fr.handles = (uintptr_t)z->hbuf;
	fr.count = a.done;
	err = xioctl(m->fd, SBUDDY_IOC_FREE, &fr);
	CHECK(z, 2, err, 0);
}

/*
 * A batch of non-costly unmovable or movable requests, more than the
 * region: nothing is reclaimable, so the slow path ends in an OOM kill
 * (slowpath.rst, step 10) of the owner with the most pages, and the batch
 * stops at -ENOMEM (its file killed, or the region full again).
 */
static void op_oom(struct fuzz *z, int f)
{
	struct __test_metadata *_metadata = z->md;
	struct sbuddy_alloc a = { 0 };
	long long kills0 = z->oom_kills, kills;
	int err;

	a.order = below(4);
	a.count = SBUDDY_BATCH_MAX;
	a.flags = SBUDDY_ALLOC_NOWARN | (chance(50) ? SBUDDY_ALLOC_MOVABLE : 0);
	a.handles = (uintptr_t)z->hbuf;
	err = xioctl(z->fm[f].fd, SBUDDY_IOC_ALLOC, &a);
	CHECK(z, 1, err, ENOMEM);
	kills = vmstat_read(z, "oom_kill");
	if (a.done >= a.count || kills <= kills0) {
		z->wrong++;
		TH_LOG("oom: order %u flags %#x: %d with done %u, oom_kill %lld -> %lld",
		       a.order, a.flags, -err, a.done, kills0, kills);
	}
	oom_check(z);
}

/* ALLOC_CONTIG, a search or a range, valid or mutated */
static void op_contig(struct fuzz *z, int f, int mutate)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	long long region = z->end_pfn - z->start_pfn;
	struct sbuddy_contig c = { 0 };
	int err, expect = -1;

	c.order = chance(80) ? below(4) : below(SBUDDY_MAX_ORDER + 1);
	c.mode = chance(60) ? SBUDDY_CONTIG_SEARCH : SBUDDY_CONTIG_RANGE;
	if (c.mode == SBUDDY_CONTIG_SEARCH)
		c.nid = below(z->nodes);
	else if (chance(50) && m->nr)
		/* where a block of the file is: busy if pinned or unmovable */
		c.pfn = 0;
	else
		c.pfn = z->start_pfn + below(region);
	if (c.mode == SBUDDY_CONTIG_RANGE && !c.pfn) {
		struct sbuddy_query q = { .handle = m->b[below(m->nr)].h };

		CHECK(z, 5, xioctl(m->fd, SBUDDY_IOC_QUERY, &q), -1);
		c.pfn = q.pfn ? q.pfn : z->start_pfn;
	}
	if (c.mode == SBUDDY_CONTIG_RANGE &&
	    c.pfn + (1ULL << c.order) > (unsigned long long)z->end_pfn)
		c.pfn = z->end_pfn - (1ULL << c.order);
	c.handle = rnd();	/* out fields: ignored */
	c.failed_pfn = rnd();
	if (mutate) {
		switch (below(9)) {
		case 0: c.mode = 2 + below(1000); break;
		case 1: c.order = SBUDDY_MAX_ORDER + 1 + below(100); break;
		case 2: c.pad = 1 + below(99); break;
		case 3: c.reserved[below(2)] = rnd() | 1; break;
		case 4:	/* a search takes no pfn */
			c.mode = SBUDDY_CONTIG_SEARCH;
			c.pfn = 1 + below(z->end_pfn);
			break;
		case 5: c.mode = SBUDDY_CONTIG_SEARCH; c.nid = z->nodes + below(100); break;
		case 6: c.mode = SBUDDY_CONTIG_RANGE; c.nid = 1 + below(8); break;
		case 7:	/* outside the region */
			c.mode = SBUDDY_CONTIG_RANGE;
			c.nid = 0;
			c.pfn = below(2) ? below(z->start_pfn) : z->end_pfn + below(1 << 20);
			break;
		default: /* across its end */
			c.mode = SBUDDY_CONTIG_RANGE;
			c.nid = 0;
			c.order = 1 + below(SBUDDY_MAX_ORDER);
			c.pfn = z->end_pfn - 1 - below((1ULL << c.order) - 1);
		}
		expect = EINVAL;
	}
	err = xioctl(m->fd, SBUDDY_IOC_ALLOC_CONTIG, &c);
	CHECK(z, 10, err, expect);
	if (!err) {
		uint64_t n = 1ULL << c.order;

		if (!c.handle || c.failed_pfn || c.pfn < (uint64_t)z->start_pfn ||
		    c.pfn + n > (uint64_t)z->end_pfn ||
		    (c.mode == SBUDDY_CONTIG_SEARCH && (c.pfn & (n - 1)))) {
			z->wrong++;
			TH_LOG("contig mode %u order %u: handle %llu pfn %#llx failed_pfn %#llx",
			       c.mode, c.order, (unsigned long long)c.handle,
			       (unsigned long long)c.pfn, (unsigned long long)c.failed_pfn);
		}
		remember(m, c.handle, c.order, BLK_CONTIG);
	} else if (err == EBUSY && c.mode == SBUDDY_CONTIG_RANGE &&
		   (c.failed_pfn < (c.pfn & ~(MAX_ORDER_PAGES - 1)) ||
		    c.failed_pfn >= ((c.pfn + (1ULL << c.order) + MAX_ORDER_PAGES - 1) &
				     ~(MAX_ORDER_PAGES - 1)))) {
		/* the pageblocks around the range are isolated whole */
		z->wrong++;
		TH_LOG("contig range %#llx order %u: -EBUSY at %#llx",
		       (unsigned long long)c.pfn, c.order, (unsigned long long)c.failed_pfn);
	} else if (err == ENOMEM || err == EBUSY) {
		if (c.handle) {
			z->wrong++;
			TH_LOG("contig: %d with handle %llu", -err, (unsigned long long)c.handle);
		}
	}
	oom_check(z);
}

/* CMA_ALLOC: -ENODEV without an area, else from its bitmap */
static void op_cma(struct fuzz *z, int f, int mutate)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	struct sbuddy_cma c = { 0 };
	int err, expect = -1;

	c.order = chance(80) ? below(4) : below(SBUDDY_MAX_ORDER + 1);
	c.align = chance(50) ? c.order : below(SBUDDY_MAX_ORDER + 1);
	c.pfn = rnd();		/* out fields: ignored */
	c.handle = rnd();
	if (mutate) {
		switch (below(3)) {
		case 0: c.order = SBUDDY_MAX_ORDER + 1 + below(1U << 31); break;
		case 1: c.align = SBUDDY_MAX_ORDER + 1 + below(1000); break;
		default: c.reserved[below(2)] = rnd() | 1;
		}
		expect = EINVAL;
	} else if (!z->cma_count) {
		expect = ENODEV;
	} else if ((1LL << c.order) > z->cma_count) {
		expect = EINVAL;
	}
	err = xioctl(m->fd, SBUDDY_IOC_CMA_ALLOC, &c);
	CHECK(z, 11, err, expect);
	if (!err) {
		if (!c.handle || (c.pfn & ((1ULL << c.align) - 1)) ||
		    c.pfn < (uint64_t)z->cma_base ||
		    c.pfn + (1ULL << c.order) > (uint64_t)(z->cma_base + z->cma_count)) {
			z->wrong++;
			TH_LOG("cma order %u align %u: handle %llu pfn %#llx",
			       c.order, c.align, (unsigned long long)c.handle,
			       (unsigned long long)c.pfn);
		}
		remember(m, c.handle, c.order, BLK_CONTIG);
	}
	oom_check(z);
}

static void op_mmap(struct fuzz *z, int f)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	struct blk *b = m->nr ? &m->b[below(m->nr)] : NULL;
	uint64_t h = b && chance(70) ? b->h : pick_handle(z, f);
	size_t pages = 1 + below(4), idx = below(4);
	int shared = chance(85), expect;
	volatile uint64_t *p;

	b = find(m, h);
	if (!shared)
		expect = EINVAL;
	else if (!b || h > 0xffffffffULL)
		expect = ENOENT;
	else if (idx + pages > (1UL << b->order))
		expect = EINVAL;
	else
		expect = 0;
	if (h >= (1ULL << (63 - SBUDDY_MMAP_SHIFT)))
		return;	/* no such offset */
	p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
		 shared ? MAP_SHARED : MAP_PRIVATE, m->fd,
		 (off_t)(SBUDDY_MMAP_OFFSET(h) + idx * 4096));
	z->calls++;
	if (p == MAP_FAILED) {
		if (errno != expect && !(may_vanish(b) && errno == ENOENT)) {
			z->wrong++;
			TH_LOG("mmap of handle %" PRIu64 " +%zu x%zu: %s, the model expects %d",
			       h, idx, pages, strerror(errno), -expect);
		}
		return;
	}
	if (expect) {
		z->wrong++;
		TH_LOG("mmap of handle %" PRIu64 " +%zu x%zu worked, the model expects %d",
		       h, idx, pages, -expect);
	} else if (!may_vanish(b)) {
		p[below(pages * 512)] ^= 0;	/* touch it: fault it in */
	}
	munmap((void *)p, pages * 4096);
}

static void op_reopen(struct fuzz *z, int f)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	int i;

	close(m->fd);
	for (i = 0; i < m->nr; i++)
		note_freed(z, m->b[i].h);
	m->nr = 0;
	m->wl = 0;
	m->fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, m->fd);
}

static size_t wl_spec(char *buf, size_t size, int ncpus);

/* the cap op_workload's specs start with: 128 pages of 4 KiB */
#define WL_CAP		"memory 512K\n"
#define WL_CAP_PAGES	128

/*
 * WORKLOAD_START with a random or mutated spec (capped, so that a run
 * holds little), then WAIT (and sometimes STOP first); without a run
 * STOP and WAIT are exactly -ENOENT, bad fields exactly -EINVAL or
 * -EFAULT, and a refused spec says why.
 */
static void op_workload(struct fuzz *z, int f)
{
	struct __test_metadata *_metadata = z->md;
	struct file_model *m = &z->fm[f];
	struct sbuddy_workload_start s = { 0 };
	struct sbuddy_workload_result r;
	static char spec[SBUDDY_WL_SPEC_MAX + 64];
	int err, expect = -1, fields_ok = 1;
	size_t len;

	if (!m->wl && chance(30)) {
		CHECK(z, CI_WL_STOP, xioctl(m->fd, SBUDDY_IOC_WORKLOAD_STOP, NULL), ENOENT);
		CHECK(z, CI_WL_WAIT, xioctl(m->fd, SBUDDY_IOC_WORKLOAD_WAIT, &r), ENOENT);
	}
	strcpy(spec, WL_CAP);
	len = strlen(WL_CAP);
	len += wl_spec(spec + len, 2048, sysconf(_SC_NPROCESSORS_ONLN));
	s.spec = (uintptr_t)spec;
	s.len = len;
	switch (chance(15) ? below(5) : 5) {
	case 0:
		s.flags = 1 + below(0xffffffffU);
		break;
	case 1:
		s.len = chance(50) ? 0 : SBUDDY_WL_SPEC_MAX + 1 + below(1 << 20);
		break;
	case 2:
		s.spec = (uintptr_t)bad_ptr(z, 8);
		expect = EFAULT;
		break;
	case 3:
		CHECK(z, CI_WL_START, xioctl(m->fd, SBUDDY_IOC_WORKLOAD_START,
				    chance(50) ? z->ro : bad_ptr(z, sizeof(s))), EFAULT);
		return;
	case 4:
		s.error_line = rnd();
		s.threads = rnd();
		break;
	}
	if (s.flags || !s.len || s.len > SBUDDY_WL_SPEC_MAX) {
		expect = EINVAL;
		fields_ok = 0;
	}
	err = xioctl(m->fd, SBUDDY_IOC_WORKLOAD_START, &s);
	/* every run is waited for, so none is ever still going */
	CHECK(z, CI_WL_START, err, err == EBUSY ? 0 : expect);
	if ((err == EINVAL && fields_ok) || err == E2BIG) {
		if (!s.error[0] || !memchr(s.error, 0, sizeof(s.error))) {
			z->wrong++;
			TH_LOG("a refused spec without a reason:\n%s", spec);
		}
	}
	if (err)
		return;
	m->wl = 1;
	if (chance(30))
		CHECK(z, CI_WL_STOP, xioctl(m->fd, SBUDDY_IOC_WORKLOAD_STOP, NULL), 0);
	err = xioctl(m->fd, SBUDDY_IOC_WORKLOAD_WAIT, &r);
	CHECK(z, CI_WL_WAIT, err, 0);
	if (!err && (r.status > SBUDDY_WL_STOPPED || r.threads != s.threads ||
		     r.held_pages > WL_CAP_PAGES)) {
		z->wrong++;
		TH_LOG("WAIT: status %u threads %u (started %u) held %llu pages",
		       r.status, r.threads, s.threads,
		       (unsigned long long)r.held_pages);
	}
}

static void verify_ok(struct fuzz *z)
{
	struct __test_metadata *_metadata = z->md;
	struct sbuddy_verify v;
	int err;

	memset(&v, 0xa5, sizeof(v));
	err = xioctl(z->fm[0].fd, SBUDDY_IOC_VERIFY, &v);
	CHECK(z, 9, err, 0);
	if (!err && v.status) {
		z->wrong++;
		TH_LOG("verify after %ld calls: %s", z->calls, v.message);
	}
}

/* keep the model (and the region) small: free half of a file's blocks */
static void trim(struct fuzz *z, int f)
{
	struct file_model *m = &z->fm[f];
	struct sbuddy_free fr = { 0 };
	int i, n = (m->nr + 1) / 2;

	if (!n)
		return;
	for (i = 0; i < n; i++)
		z->hbuf[i] = m->b[i].h;
	fr.handles = (uintptr_t)z->hbuf;
	fr.count = n;
	CHECK(z, 2, xioctl(m->fd, SBUDDY_IOC_FREE, &fr), 0);
	for (i = 0; i < n; i++) {
		forget(m, z->hbuf[i]);
		note_freed(z, z->hbuf[i]);
	}
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, access(SB_DEV, F_OK));
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* no time is measured: the limit only stops a hung run */
TEST_F_TIMEOUT(fuzz, ioctls, 3600)
{
	struct fuzz *z = calloc(1, sizeof(*z));
	long n = fuzz_calls(), target;
	long long free0, free1;
	int f;

	ASSERT_NE(NULL, z);
	z->md = _metadata;
	seed_rng(_metadata, "ioctls");
	z->hbuf = calloc(SBUDDY_BATCH_MAX, sizeof(uint64_t));
	ASSERT_NE(NULL, z->hbuf);
	z->ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, z->ro);
	z->edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, z->edge);
	z->none = z->edge + 4096;
	ASSERT_EQ(0, mprotect(z->none, 4096, PROT_NONE));
	for (f = 0; f < 2; f++) {
		z->fm[f].fd = open(SB_DEV, O_RDWR);
		ASSERT_LE(0, z->fm[f].fd);
	}
	free0 = sb_vmstat_drained(z->fm[0].fd, "nr_free_pages");
	ASSERT_LT(0, free0);
	z->vmstat = open(SB_DEBUGFS "/vmstat", O_RDONLY);
	ASSERT_LE(0, z->vmstat);
	z->oom_kills = vmstat_read(z, "oom_kill");
	ASSERT_LE(0, z->oom_kills);
	z->start_pfn = sb_read_key(SB_DEBUGFS "/region", "start_pfn");
	z->end_pfn = sb_read_key(SB_DEBUGFS "/region", "end_pfn");
	ASSERT_LT(0, z->start_pfn);
	ASSERT_LT(z->start_pfn, z->end_pfn);
	z->nodes = sb_nr_nodes();
	ASSERT_LT(0, z->nodes);
	z->cma_count = sb_read_key(SB_DEBUGFS "/cma", "count");
	ASSERT_LE(0, z->cma_count);
	z->cma_base = sb_read_key(SB_DEBUGFS "/cma", "base_pfn");

	target = n;
	while (z->calls < target) {
		int r = below(1000);

		f = below(2);
		if (z->fm[f].nr > MAX_LIVE - 40 || live_pages(z->fm) > MAX_LIVE_PAGES)
			trim(z, f);
		if (r < 60)
			op_unknown(z, f);
		else if (r < 160)
			op_bad_pointer(z, f);
		else if (r < 330)
			op_random_struct(z, f);
		else if (r < 530)
			op_alloc(z, f, chance(40));
		else if (r < 680)
			op_free(z, f, chance(30));
		else if (r < 900)
			op_handle(z, f, chance(30));
		else if (r < 960)
			op_drain(z, f, chance(50));
		else if (r < 980)
			op_mmap(z, f);
		else if (r < 986)
			op_contig(z, f, chance(40));
		else if (r < 990)
			op_cma(z, f, chance(40));
		else if (r < 992)
			op_huge(z, f);
		else if (r < 993 && chance(50))
			op_oom(z, f);
		else if (r < 994)
			op_reopen(z, f);
		else if (r < 997)
			op_free_held(z, f, chance(30));
		else if (r < 999)
			op_workload(z, f);
		else
			op_handle(z, f, 0);
		if (z->calls / VERIFY_EVERY != (z->calls - 1) / VERIFY_EVERY)
			verify_ok(z);
		if (z->undocumented + z->wrong > 20)
			break;
	}
	verify_ok(z);
	/* every filled block still holds its pattern */
	for (f = 0; f < 2; f++) {
		struct file_model *m = &z->fm[f];
		int i;

		for (i = 0; i < m->nr; i++) {
			struct sbuddy_fill fl = { .handle = m->b[i].h };
			int err;

			if (!m->b[i].filled)
				continue;
			err = xioctl(m->fd, SBUDDY_IOC_CHECKSUM, &fl);
			CHECK(z, 7, err, may_vanish(&m->b[i]) ? -1 : 0);
			if (err)
				continue;
			if (fl.crc32 != m->b[i].crc) {
				z->wrong++;
				TH_LOG("checksum of handle %" PRIu64 ": %08x, filled as %08x",
				       m->b[i].h, fl.crc32, m->b[i].crc);
			}
			z->pages_verified += 1L << m->b[i].order;
		}
	}
	for (f = 0; f < 2; f++)
		close(z->fm[f].fd);
	z->fm[0].fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, z->fm[0].fd);
	free1 = sb_vmstat_drained(z->fm[0].fd, "nr_free_pages");
	verify_ok(z);
	close(z->fm[0].fd);
	close(z->vmstat);
	TH_LOG("fuzz: %ld calls (unknown %ld), %ld undocumented answers, %ld wrong, %ld OOM kills",
	       z->calls, z->per_cmd[NR_CMDS], z->undocumented, z->wrong, z->kills_seen);
	ksft_print_msg("fuzz: %ld calls\n", z->calls);
	ksft_print_msg("pages verified: %ld\n", z->pages_verified);
	EXPECT_EQ(0, z->undocumented);
	EXPECT_EQ(0, z->wrong);
	/* closing the files gave every page back */
	EXPECT_EQ(free0, free1);
}

/* write @len bytes to @path: 0 or the errno */
static int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY), err = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;	/* a short write: no knob does that */
	close(fd);
	return err;
}

/* one random value for a knob, into @buf; its length */
static size_t knob_value(char *buf, size_t size, const char *orig)
{
	static const char * const edge[] = {
		"2147483647", "-2147483648", "2147483648", "-2147483649", "-1",
		"0", "1", "4294967296", "0x10", "+5", "5 6", "1e3", " 7\n",
		"\n", "-0", "00000000000000000000000000000000000000001", "",
	};
	size_t n, i;

	switch (below(10)) {
	case 0: case 1:
		return snprintf(buf, size, "%d", (int)below(11));
	case 2:
		return snprintf(buf, size, "%d", (int)rnd());
	case 3:
		return snprintf(buf, size, "%lld", (long long)rnd());
	case 4: case 5:
		return snprintf(buf, size, "%s", edge[below(sizeof(edge) / sizeof(edge[0]))]);
	case 6:	/* bytes of anything */
		n = 1 + below(40);
		for (i = 0; i < n; i++)
			buf[i] = (char)(1 + below(255));
		buf[n] = '\0';
		return n;
	case 7:	/* a long number */
		n = 20 + below(size - 21);
		for (i = 0; i < n; i++)
			buf[i] = '0' + below(10);
		buf[n] = '\0';
		return n;
	case 8:
		return snprintf(buf, size, "%d\n", (int)below(1000));
	default:
		return snprintf(buf, size, "%s", orig);
	}
}

/* read every readable file of sbuddy's debugfs directory */
static int read_views(struct __test_metadata *_metadata)
{
	static char buf[1 << 16];
	char path[512];
	struct dirent *d;
	int bad = 0;
	DIR *dir = opendir(SB_DEBUGFS);

	if (!dir)
		return 1;
	while ((d = readdir(dir))) {
		if (d->d_type != DT_REG)
			continue;
		snprintf(path, sizeof(path), SB_DEBUGFS "/%s", d->d_name);
		if (access(path, R_OK) || !strcmp(d->d_name, "drain"))
			continue;
		if (sb_read_all(path, buf, sizeof(buf)) < 0) {
			TH_LOG("reading %s: %s", path, strerror(errno));
			bad++;
		}
	}
	closedir(dir);
	return bad;
}

/*
 * What kstrtoint_from_user(buf, len, 10, &v) makes of @len bytes: it
 * reads at most 34 of them (sign, 32 binary digits, newline); an optional
 * sign, decimal digits, one optional newline; the value in int range.
 * 0 and *v, or -1.
 */
static int kstrtoint10(const char *buf, size_t len, int *v)
{
	char s[1 + 32 + 1 + 1];
	const char *p = s;
	unsigned long long u = 0;
	int neg = 0, over = 0;

	if (len > sizeof(s) - 1)
		len = sizeof(s) - 1;
	memcpy(s, buf, len);
	s[len] = '\0';
	if (*p == '-')
		neg = 1, p++;
	else if (*p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (u > (~0ULL - (*p - '0')) / 10)
			over = 1;
		else
			u = u * 10 + (*p - '0');
	}
	if (*p == '\n')
		p++;
	if (*p || over || u > (neg ? 2147483648ULL : 2147483647ULL))
		return -1;
	*v = neg ? (int)-(long long)u : (int)u;
	return 0;
}

/* the knobs whose range the module documents (compaction.rst, sbuddy.rst) */
static const struct {
	const char *name;
	int min, max;
} knob_range[] = {
	{ "compaction_proactiveness", 0, 100 },
	{ "extfrag_threshold", 0, 1000 },
};

/*
 * The write-only triggers: vm/compact_memory and node/nodeN/compact take
 * "1" (compaction.rst: anything else is -EINVAL) and compact, as
 * /proc/sys/vm/compact_memory and /sys/devices/system/node/nodeN/compact.
 */
static int is_trigger(const char *name)
{
	return !strcmp(name, "compact_memory") || !strcmp(name, "compact");
}

TEST_F_TIMEOUT(fuzz, knobs, 3600)
{
	char names[64][256], orig[64][256], path[512], val[320];
	long n = fuzz_calls() / 50, writes = 0, bad = 0, triggers = 0, i;
	int nr = 0, fd, k, err, nid;
	struct dirent *d;
	struct stat st;
	DIR *dir;

	seed_rng(_metadata, "knobs");
	dir = opendir(SB_DEBUGFS "/vm");
	ASSERT_NE(NULL, dir);
	while ((d = readdir(dir)) && nr < 64) {
		if (d->d_type != DT_REG)
			continue;
		snprintf(names[nr], sizeof(names[nr]), "vm/%.240s", d->d_name);
		snprintf(path, sizeof(path), SB_DEBUGFS "/vm/%s", d->d_name);
		ASSERT_EQ(0, stat(path, &st));
		if (!(st.st_mode & 0444)) {
			/* write-only: a trigger, nothing to read or restore */
			ASSERT_TRUE(is_trigger(d->d_name)) TH_LOG("%s is write-only", path);
			orig[nr][0] = '\0';
		} else {
			ASSERT_LE(0, sb_read_all(path, orig[nr], sizeof(orig[nr])));
		}
		nr++;
	}
	closedir(dir);
	/* and node/nodeN/compact of every emulated node */
	for (nid = 0; nid < sb_nr_nodes() && nr < 64; nid++) {
		snprintf(names[nr], sizeof(names[nr]), "node/node%d/compact", nid);
		snprintf(path, sizeof(path), SB_DEBUGFS "/%s", names[nr]);
		ASSERT_EQ(0, stat(path, &st));
		ASSERT_EQ(0, st.st_mode & 0444) TH_LOG("%s is readable", path);
		orig[nr++][0] = '\0';
	}
	ASSERT_LT(0, nr);
	fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, fd);

	for (i = 0; i < n; i++) {
		const char *base;
		size_t len;
		int v = 0, expect = -1;

		k = below(nr);
		base = strrchr(names[k], '/') + 1;
		/* a trigger compacts everything: one write in four goes to one */
		if (is_trigger(base) && chance(75))
			continue;
		snprintf(path, sizeof(path), SB_DEBUGFS "/%.200s", names[k]);
		if (is_trigger(base) && chance(40))
			len = snprintf(val, sizeof(val), "%s", below(2) ? "1" : "1\n");
		else
			len = knob_value(val, sizeof(val) - 20, is_trigger(base) ? "1" : orig[k]);
		/* lowmem_reserve_ratio takes one value per zone */
		while (!strcmp(base, "lowmem_reserve_ratio") && chance(70) &&
		       len < sizeof(val) - 20)
			len += snprintf(val + len, sizeof(val) - len, "%s%d",
					below(2) ? "\t" : " ", (int)below(300));
		/* what the module must answer, where it documents the range */
		if (is_trigger(base))
			expect = !kstrtoint10(val, len, &v) && v == 1 ? 0 : EINVAL;
		for (size_t r = 0; r < sizeof(knob_range) / sizeof(knob_range[0]); r++)
			if (!strcmp(base, knob_range[r].name))
				expect = !kstrtoint10(val, len, &v) && v >= knob_range[r].min &&
					 v <= knob_range[r].max ? 0 : EINVAL;
		err = write_file(path, val, len);
		writes++;
		triggers += is_trigger(base);
		/* a write the sysctl would refuse fails with -EINVAL */
		if (err && err != EINVAL) {
			bad++;
			TH_LOG("write of %zu bytes to %s: %s", len, names[k], strerror(err));
		} else if (expect >= 0 && err != expect) {
			bad++;
			TH_LOG("write of \"%.40s\" to %s: %d, expected %d", val, names[k], -err, -expect);
		} else if (expect == 0 && !is_trigger(base)) {
			/* the value took */
			char back[64];

			if (sb_read_all(path, back, sizeof(back)) < 0 || atoi(back) != v) {
				bad++;
				TH_LOG("%s: wrote %d, reads %s", names[k], v, back);
			}
		}
		/* the allocator under the new value */
		if (chance(30)) {
			uint64_t h = 0;
			struct sbuddy_alloc a = {
				.order = below(4), .count = 1,
				.flags = SBUDDY_ALLOC_NORETRY | SBUDDY_ALLOC_NOWARN |
					 (uint32_t)below(3),
				.handles = (uintptr_t)&h,
			};
			struct sbuddy_free fr = { .handles = (uintptr_t)&h, .count = 1 };

			err = xioctl(fd, SBUDDY_IOC_ALLOC, &a);
			if (err && err != ENOMEM) {
				bad++;
				TH_LOG("alloc after %s=%.20s: %s", names[k], val, strerror(err));
			}
			if (!err)
				EXPECT_EQ(0, xioctl(fd, SBUDDY_IOC_FREE, &fr));
		}
		if (chance(3))
			bad += read_views(_metadata);
		/* and the drain file: "all", "local", "cpu N" or -EINVAL */
		if (chance(10)) {
			static const char * const dw[] = {
				"all", "local", "cpu 0", "cpu 1", "cpu -1",
				"cpu 4096", "cpu", "al", "all all", "cpu 99999999999",
			};

			len = below(4) ? snprintf(val, sizeof(val), "%s",
						  dw[below(sizeof(dw) / sizeof(dw[0]))]) :
			      knob_value(val, sizeof(val) - 20, "all");
			err = write_file(SB_DEBUGFS "/drain", val, len);
			writes++;
			if (err && err != EINVAL) {
				bad++;
				TH_LOG("write of %zu bytes to drain: %s", len, strerror(err));
			}
		}
	}
	/* back to where it was */
	for (k = 0; k < nr; k++) {
		if (!orig[k][0])
			continue;	/* a trigger */
		snprintf(path, sizeof(path), SB_DEBUGFS "/%.200s", names[k]);
		EXPECT_EQ(0, write_file(path, orig[k], strlen(orig[k])))
			TH_LOG("restoring %s to %s", names[k], orig[k]);
	}
	bad += read_views(_metadata);
	{
		struct sbuddy_verify v = { 0 };

		EXPECT_EQ(0, xioctl(fd, SBUDDY_IOC_VERIFY, &v));
		EXPECT_EQ(0, v.status) TH_LOG("verify: %s", v.message);
	}
	close(fd);
	TH_LOG("%ld writes, %ld of them to compaction triggers", writes, triggers);
	ksft_print_msg("fuzz: %ld calls\n", writes);
	EXPECT_EQ(0, bad);
}

/* a random workload spec, valid or broken; the numbers stay small */
static size_t wl_spec(char *buf, size_t size, int ncpus)
{
	static const char * const flag[] = {
		"atomic", "nowait", "high", "zero", "comp", "noretry",
		"retry_mayfail", "nowarn", "cold", "bogus",
	};
	static const char * const junk[] = {
		"-1", "x", "99999999999999999999", "1e3", "0x10", "", ":", ",",
		"=", "100000001", "60001", "101",
	};
	size_t len = 0;
	int phases = 1 + below(4), i, j;

#define PUT(...) (len += snprintf(buf + len, len < size ? size - len : 0, __VA_ARGS__))
	if (chance(70))
		PUT("name fuzz%d\n", (int)below(1000));
	if (chance(70))
		PUT("seed %llu\n", (unsigned long long)rnd());
	if (chance(50)) {
		PUT("cpus %d", (int)below(ncpus));
		for (j = below(3); j > 0; j--)
			PUT(",%d", (int)below(ncpus + (chance(10) ? 2 : 0)));
		PUT("\n");
	}
	for (i = 0; i < phases; i++) {
		switch (below(12)) {
		case 0: case 1: PUT("phase fill %d", (int)below(4)); break;
		case 2: case 3: case 4: case 5:
			PUT("phase churn %d", (int)below(300)); break;
		case 6: case 7: PUT("phase free %d", (int)below(101)); break;
		case 8: case 9: case 10: PUT("phase idle %d", (int)below(3)); break;
		default: PUT("phase %s %s", below(2) ? "churn" : "spin",
			     junk[below(sizeof(junk) / sizeof(junk[0]))]);
		}
		if (chance(50)) {
			PUT(" orders=%d:%d", (int)below(chance(90) ? 11 : 12),
			    (int)below(5) + chance(90));
			if (chance(50))
				PUT(",%d:%d", (int)below(11), (int)below(1000001));
		}
		if (chance(50))
			PUT(" types=%c:%d", "umrumrumrumrumrumrumx"[below(22)],
			    (int)below(3) + chance(95));
		if (chance(40))
			PUT(" flags=%s", flag[below(sizeof(flag) / sizeof(flag[0]) - chance(80))]);
		if (chance(30))
			PUT(" life=%d", (int)below(100));
		if (chance(2))
			PUT(" %s", junk[below(sizeof(junk) / sizeof(junk[0]))]);
		PUT("\n");
	}
	if (chance(10))
		PUT("%s\n", junk[below(sizeof(junk) / sizeof(junk[0]))]);
	if (len >= size)
		len = size - 1;
	/* byte mutations never touch digits, so no number grows */
	for (j = chance(15) ? 1 + below(3) : 0; j > 0 && len; j--) {
		size_t at = below(len);
		char c;

		do {
			c = (char)(1 + below(255));
		} while (c >= '0' && c <= '9');
		if (buf[at] < '0' || buf[at] > '9')
			buf[at] = c;
	}
	if (chance(5))
		len = below(len + 1);	/* cut short */
	buf[len] = '\0';
	return len;
#undef PUT
}

TEST_F_TIMEOUT(fuzz, workloads, 3600)
{
	const char *wl = SB_DEBUGFS "/workload";
	long n = fuzz_calls() / 1000, i, ok = 0, bad = 0;
	int ncpus = sysconf(_SC_NPROCESSORS_ONLN), fd, err;
	long long free0, free1;
	char spec[2048];

	seed_rng(_metadata, "workloads");
	ASSERT_EQ(0, access(wl, W_OK));
	fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, write_file(wl, "release", 7));
	free0 = sb_vmstat_drained(fd, "nr_free_pages");
	for (i = 0; i < n; i++) {
		size_t len = wl_spec(spec, sizeof(spec), ncpus);

		err = write_file(wl, spec, len);
		if (!err)
			ok++;
		/*
		 * documented: -EINVAL for a bad spec, -E2BIG for more threads
		 * than CPUs, -ENOMEM for no memory
		 */
		if (err && err != EINVAL && err != E2BIG && err != ENOMEM) {
			bad++;
			TH_LOG("spec %ld: %s:\n%s", i, strerror(err), spec);
		}
		if (chance(30))
			EXPECT_EQ(0, write_file(wl, "release", 7));
		if (chance(10))
			bad += read_views(_metadata);
	}
	EXPECT_EQ(0, write_file(wl, "release", 7));
	free1 = sb_vmstat_drained(fd, "nr_free_pages");
	{
		struct sbuddy_verify v = { 0 };

		EXPECT_EQ(0, xioctl(fd, SBUDDY_IOC_VERIFY, &v));
		EXPECT_EQ(0, v.status) TH_LOG("verify: %s", v.message);
	}
	close(fd);
	TH_LOG("%ld specs, %ld ran", n, ok);
	ksft_print_msg("fuzz: %ld calls\n", n);
	EXPECT_EQ(0, bad);
	/* release gave the runs' blocks back */
	EXPECT_EQ(free0, free1);
}

TEST_HARNESS_MAIN
