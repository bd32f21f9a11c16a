// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy reclaim selftests through /dev/sbuddy: reclaimable blocks under
 * memory pressure are reclaimed (SBUDDY_IOC_QUERY reports them so, the
 * kswapd and direct reclaim counters of the debugfs vmstat move), a
 * mapping of a reclaimed block gives SIGBUS, __GFP_NOFAIL requests
 * succeed while reclaimable pages exist, and the OOM killer takes the
 * open file holding the most pages.  Each open file is an owner.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define MAX_HANDLES	65536
#define BATCH		4096

/* A "name value" line of the debugfs vmstat, or -1. */
static long long vm(const char *name)
{
	char line[256], key[128];
	long long val, ret = -1;
	FILE *f = fopen(SB_DEBUGFS "/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %lld", key, &val) == 2 &&
		    !strcmp(key, name)) {
			ret = val;
			break;
		}
	fclose(f);
	return ret;
}

static long long allocstalls(void)
{
	return vm("allocstall_dma") + vm("allocstall_dma32") +
	       vm("allocstall_normal") + vm("allocstall_movable");
}

static int io(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* the per-cpu lists back to the buddy lists, so nr_free_pages is all */
static long long free_pages(int fd)
{
	struct sbuddy_drain d = { .scope = SBUDDY_DRAIN_ALL };

	if (io(fd, SBUDDY_IOC_DRAIN, &d))
		return -1;
	return vm("nr_free_pages");
}

/*
 * @n order-@order blocks of @flags into @h, in batches; returns the
 * number allocated (stops at the first error, left in *err).
 */
static long alloc_n(int fd, uint32_t order, uint32_t flags, uint64_t *h,
		    long n, int *err)
{
	long done = 0;

	*err = 0;
	while (done < n) {
		struct sbuddy_alloc a = {
			.order = order, .flags = flags,
			.count = n - done > BATCH ? BATCH : n - done,
			.handles = (uintptr_t)(h + done),
		};

		*err = io(fd, SBUDDY_IOC_ALLOC, &a);
		done += a.done;
		if (*err)
			break;
	}
	return done;
}

static int state(int fd, uint64_t h)
{
	struct sbuddy_query q = { .handle = h };

	return io(fd, SBUDDY_IOC_QUERY, &q) ? -1 : (int)q.state;
}

static long count_reclaimed(int fd, const uint64_t *h, long n)
{
	long i, r = 0;

	for (i = 0; i < n; i++)
		r += state(fd, h[i]) == SBUDDY_STATE_RECLAIMED;
	return r;
}

/*
 * SBUDDY_IOC_VERIFY is exact only when nothing is in flight, and kswapd
 * may still be reclaiming after the test's last allocation: ask again
 * while it settles (for up to 5 s).  An inconsistency that stays is a
 * failure, and its message is printed.
 */
static int verify_ok(int fd)
{
	struct sbuddy_verify v;
	int tries;

	for (tries = 1; tries <= 50; tries++) {
		memset(&v, 0, sizeof(v));
		if (io(fd, SBUDDY_IOC_VERIFY, &v))
			return 0;
		if (v.status == 0) {
			if (tries > 1)
				fprintf(stderr, "# verify: ok after %d tries\n", tries);
			return 1;
		}
		usleep(100 * 1000);
	}
	fprintf(stderr, "# verify: %.*s\n", (int)sizeof(v.message), v.message);
	return 0;
}

static int knob_write(const char *name, long long val)
{
	char path[128], buf[32];
	int fd, ret, len;

	snprintf(path, sizeof(path), SB_DEBUGFS "/vm/%s", name);
	len = snprintf(buf, sizeof(buf), "%lld", val);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ret = write(fd, buf, len) == len ? 0 : -errno;
	close(fd);
	return ret;
}

static long long knob_read(const char *name)
{
	char path[128], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), SB_DEBUGFS "/vm/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strtoll(buf, NULL, 10);
}

/* kswapd runs on its own: wait (bounded) until @name passes @than */
static long long wait_above(const char *name, long long than)
{
	long long v = vm(name);

	for (int i = 0; i < 500 && v <= than; i++) {
		usleep(20000);
		v = vm(name);
	}
	return v;
}

static sigjmp_buf bus_env;

static void on_sigbus(int sig)
{
	siglongjmp(bus_env, 1);
}

static int read_bus(volatile uint64_t *p, uint64_t *val)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int bus = 0;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(bus_env, 1))
		bus = 1;
	else
		*val = *p;
	sigaction(SIGBUS, &old, NULL);
	return bus;
}

static uint64_t hr[MAX_HANDLES], hu[MAX_HANDLES];

FIXTURE(rc) {
	int r;		/* holds reclaimable blocks */
	int u;		/* applies the pressure with unmovable ones */
	long long free0;
};

FIXTURE_SETUP(rc)
{
	self->r = open(SB_DEV, O_RDWR);
	self->u = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, self->r);
	ASSERT_LE(0, self->u);
	self->free0 = free_pages(self->r);
	ASSERT_LT(4096, self->free0);
	ASSERT_GT(MAX_HANDLES, self->free0);
}

FIXTURE_TEARDOWN(rc)
{
	close(self->r);
	close(self->u);
}

/*
 * Half of the free pages go to reclaimable blocks, then unmovable
 * requests for three quarters: reclaim must take at least a quarter
 * back.  Every page stolen is a handle reported reclaimed; kswapd was
 * woken and ran (pageoutrun), and scanned at least what it stole.
 */
TEST_F(rc, pressure_reclaims_reclaimable_blocks)
{
	long long steal0 = vm("pgsteal_kswapd") + vm("pgsteal_direct");
	long long scank0 = vm("pgscan_kswapd"), scand0 = vm("pgscan_direct");
	long long stealk0 = vm("pgsteal_kswapd"), steald0 = vm("pgsteal_direct");
	long long run0 = vm("pageoutrun"), oom0 = vm("oom_kill");
	long nr = self->free0 / 2, nu = self->free0 * 3 / 4, got, reclaimed;
	long long stolen;
	int err;

	ASSERT_LE(0, steal0);
	ASSERT_EQ(nr, alloc_n(self->r, 0, SBUDDY_ALLOC_RECLAIMABLE, hr, nr,
			      &err));
	EXPECT_EQ(0, count_reclaimed(self->r, hr, nr));
	got = alloc_n(self->u, 0, 0, hu, nu, &err);
	EXPECT_EQ(nu, got) TH_LOG("pressure stopped at %ld: %s", got, strerror(-err));

	/* counted steals happened before the read: their handles show it */
	stolen = vm("pgsteal_kswapd") + vm("pgsteal_direct") - steal0;
	reclaimed = count_reclaimed(self->r, hr, nr);
	EXPECT_LE(self->free0 / 4, reclaimed);
	EXPECT_LE(stolen, reclaimed);
	EXPECT_LT(0, stolen);
	EXPECT_LT(run0, wait_above("pageoutrun", run0));
	EXPECT_LE(vm("pgsteal_kswapd") - stealk0, vm("pgscan_kswapd") - scank0);
	EXPECT_LE(vm("pgsteal_direct") - steald0, vm("pgscan_direct") - scand0);
	EXPECT_EQ(oom0, vm("oom_kill"));
	TH_LOG("%ld of %ld reclaimable pages reclaimed; steal kswapd %lld direct %lld, allocstalls %lld",
	       reclaimed, nr, vm("pgsteal_kswapd") - stealk0,
	       vm("pgsteal_direct") - steald0, allocstalls());
	EXPECT_TRUE(verify_ok(self->r));
}

/* a reclaimed block's mapping is gone: SIGBUS, as a truncated file's */
TEST_F(rc, reclaimed_mapping_gives_sigbus)
{
	struct sbuddy_fill f = { .seed = 3 };
	long nr = self->free0 / 2, nu = self->free0 * 3 / 4;
	uint64_t v = 0, first;
	volatile uint64_t *p;
	int err;

	/* the oldest block on the LRU, so the first reclaim takes it */
	ASSERT_EQ(1, alloc_n(self->r, 0, SBUDDY_ALLOC_RECLAIMABLE, &first, 1,
			     &err));
	f.handle = first;
	ASSERT_EQ(0, io(self->r, SBUDDY_IOC_FILL, &f));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->r,
		 SBUDDY_MMAP_OFFSET(first));
	ASSERT_TRUE(p != MAP_FAILED);
	EXPECT_EQ(0, read_bus(p, &v));
	EXPECT_EQ(sbuddy_pattern(3, 0), v);

	ASSERT_EQ(nr, alloc_n(self->r, 0, SBUDDY_ALLOC_RECLAIMABLE, hr, nr,
			      &err));
	EXPECT_EQ(nu, alloc_n(self->u, 0, 0, hu, nu, &err));
	ASSERT_EQ(SBUDDY_STATE_RECLAIMED, state(self->r, first));
	EXPECT_EQ(1, read_bus(p, &v));
	munmap((void *)p, 4096);
	EXPECT_TRUE(verify_ok(self->r));
}

/*
 * Reclaimable blocks fill the region; then min_free_kbytes is raised so
 * that every zone is below its min watermark (each zone's share of min
 * is above all that is free): a __GFP_NOFAIL request must reclaim
 * directly, and succeeds; nobody is OOM-killed while reclaimable pages
 * exist.  (kswapd, woken by the same request, would have to reclaim
 * thousands of pages before the request's first retry to spare it.)
 */
TEST_F(rc, nofail_reclaims_and_succeeds)
{
	long long mfk = knob_read("min_free_kbytes");
	long long stall0, steald0, oom0 = vm("oom_kill"), free1;
	long nr = self->free0 - 64, before;
	uint64_t h[2];
	int err;

	ASSERT_LT(0, mfk);
	ASSERT_EQ(nr, alloc_n(self->r, 0, SBUDDY_ALLOC_RECLAIMABLE, hr, nr,
			      &err));
	before = count_reclaimed(self->r, hr, nr);
	free1 = free_pages(self->r);
	ASSERT_LT(0, free1);
	stall0 = allocstalls();
	steald0 = vm("pgsteal_direct");
	ASSERT_EQ(0, knob_write("min_free_kbytes", (8 * free1 + 2048) * 4));
	EXPECT_EQ(1, alloc_n(self->u, 0, SBUDDY_ALLOC_NOFAIL, h, 1, &err));
	EXPECT_EQ(1, alloc_n(self->u, 2, SBUDDY_ALLOC_NOFAIL, h + 1, 1, &err));
	EXPECT_LT(stall0, allocstalls());
	EXPECT_LT(steald0, vm("pgsteal_direct"));
	ASSERT_EQ(0, knob_write("min_free_kbytes", mfk));
	EXPECT_LT(before, count_reclaimed(self->r, hr, nr));
	EXPECT_EQ(oom0, vm("oom_kill"));
	EXPECT_TRUE(verify_ok(self->r));
}

/*
 * Nothing reclaimable: the OOM killer takes the file holding the most
 * pages (a second open file, idle), not the smaller one asking; its
 * handles report reclaimed, it allocates no more, oom_kill counts one.
 */
TEST_F(rc, oom_kills_the_biggest_file)
{
	long big = self->free0 * 3 / 5, more, i, dead = 0;
	long long oom0 = vm("oom_kill");
	int err;

	ASSERT_EQ(big, alloc_n(self->r, 0, 0, hr, big, &err));
	/* all that is left and then some, yet fewer pages than the victim */
	more = free_pages(self->u) + 256;
	ASSERT_GT(big, more);
	EXPECT_EQ(more, alloc_n(self->u, 0, 0, hu, more, &err))
		TH_LOG("stopped: %s", strerror(-err));
	EXPECT_EQ(oom0 + 1, vm("oom_kill"));
	for (i = 0; i < big; i++)
		dead += state(self->r, hr[i]) == SBUDDY_STATE_RECLAIMED;
	EXPECT_EQ(big, dead);
	for (i = 0; i < more; i++)
		if (state(self->u, hu[i]) != SBUDDY_STATE_LIVE)
			break;
	EXPECT_EQ(more, i);
	EXPECT_EQ(0, alloc_n(self->r, 0, 0, hr, 1, &err));
	EXPECT_EQ(-ENOMEM, err);
	EXPECT_TRUE(verify_ok(self->u));
}

TEST_HARNESS_MAIN
