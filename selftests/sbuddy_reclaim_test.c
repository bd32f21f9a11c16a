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

static long long allocstalls(void)
{
	return sb_vmstat("allocstall_dma") + sb_vmstat("allocstall_dma32") +
	       sb_vmstat("allocstall_normal") + sb_vmstat("allocstall_movable");
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

		*err = sb_io(fd, SBUDDY_IOC_ALLOC, &a);
		done += a.done;
		if (*err)
			break;
	}
	return done;
}

static int state(int fd, uint64_t h)
{
	struct sbuddy_query q = { .handle = h };

	return sb_io(fd, SBUDDY_IOC_QUERY, &q) ? -1 : (int)q.state;
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
		if (sb_io(fd, SBUDDY_IOC_VERIFY, &v))
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

/* kswapd runs on its own: wait (bounded) until @name passes @than */
static long long wait_above(const char *name, long long than)
{
	long long v = sb_vmstat(name);

	for (int i = 0; i < 500 && v <= than; i++) {
		usleep(20000);
		v = sb_vmstat(name);
	}
	return v;
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
	self->free0 = sb_vmstat_drained(self->r, "nr_free_pages");
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
	long long steal0 = sb_vmstat("pgsteal_kswapd") + sb_vmstat("pgsteal_direct");
	long long scank0 = sb_vmstat("pgscan_kswapd"), scand0 = sb_vmstat("pgscan_direct");
	long long stealk0 = sb_vmstat("pgsteal_kswapd"), steald0 = sb_vmstat("pgsteal_direct");
	long long run0 = sb_vmstat("pageoutrun"), oom0 = sb_vmstat("oom_kill");
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
	stolen = sb_vmstat("pgsteal_kswapd") + sb_vmstat("pgsteal_direct") - steal0;
	reclaimed = count_reclaimed(self->r, hr, nr);
	EXPECT_LE(self->free0 / 4, reclaimed);
	EXPECT_LE(stolen, reclaimed);
	EXPECT_LT(0, stolen);
	EXPECT_LT(run0, wait_above("pageoutrun", run0));
	EXPECT_LE(sb_vmstat("pgsteal_kswapd") - stealk0, sb_vmstat("pgscan_kswapd") - scank0);
	EXPECT_LE(sb_vmstat("pgsteal_direct") - steald0, sb_vmstat("pgscan_direct") - scand0);
	EXPECT_EQ(oom0, sb_vmstat("oom_kill"));
	TH_LOG("%ld of %ld reclaimable pages reclaimed; steal kswapd %lld direct %lld, allocstalls %lld",
	       reclaimed, nr, sb_vmstat("pgsteal_kswapd") - stealk0,
	       sb_vmstat("pgsteal_direct") - steald0, allocstalls());
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
	ASSERT_EQ(0, sb_io(self->r, SBUDDY_IOC_FILL, &f));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->r,
		 SBUDDY_MMAP_OFFSET(first));
	ASSERT_TRUE(p != MAP_FAILED);
	EXPECT_EQ(0, sb_read_bus(p, &v));
	EXPECT_EQ(sbuddy_pattern(3, 0), v);

	ASSERT_EQ(nr, alloc_n(self->r, 0, SBUDDY_ALLOC_RECLAIMABLE, hr, nr,
			      &err));
	EXPECT_EQ(nu, alloc_n(self->u, 0, 0, hu, nu, &err));
	ASSERT_EQ(SBUDDY_STATE_RECLAIMED, state(self->r, first));
	EXPECT_EQ(1, sb_read_bus(p, &v));
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
	long long mfk = sb_knob_read("min_free_kbytes");
	long long stall0, steald0, oom0 = sb_vmstat("oom_kill"), free1;
	long nr = self->free0 - 64, before;
	uint64_t h[2];
	int err;

	ASSERT_LT(0, mfk);
	ASSERT_EQ(nr, alloc_n(self->r, 0, SBUDDY_ALLOC_RECLAIMABLE, hr, nr,
			      &err));
	before = count_reclaimed(self->r, hr, nr);
	free1 = sb_vmstat_drained(self->r, "nr_free_pages");
	ASSERT_LT(0, free1);
	stall0 = allocstalls();
	steald0 = sb_vmstat("pgsteal_direct");
	ASSERT_EQ(0, sb_knob_set("min_free_kbytes", (8 * free1 + 2048) * 4));
	EXPECT_EQ(1, alloc_n(self->u, 0, SBUDDY_ALLOC_NOFAIL, h, 1, &err));
	EXPECT_EQ(1, alloc_n(self->u, 2, SBUDDY_ALLOC_NOFAIL, h + 1, 1, &err));
	EXPECT_LT(stall0, allocstalls());
	EXPECT_LT(steald0, sb_vmstat("pgsteal_direct"));
	ASSERT_EQ(0, sb_knob_set("min_free_kbytes", mfk));
	EXPECT_LT(before, count_reclaimed(self->r, hr, nr));
	EXPECT_EQ(oom0, sb_vmstat("oom_kill"));
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
	long long oom0 = sb_vmstat("oom_kill");
	int err;

	ASSERT_EQ(big, alloc_n(self->r, 0, 0, hr, big, &err));
	/* all that is left and then some, yet fewer pages than the victim */
	more = sb_vmstat_drained(self->u, "nr_free_pages") + 256;
	ASSERT_GT(big, more);
	EXPECT_EQ(more, alloc_n(self->u, 0, 0, hu, more, &err))
		TH_LOG("stopped: %s", strerror(-err));
	EXPECT_EQ(oom0 + 1, sb_vmstat("oom_kill"));
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
