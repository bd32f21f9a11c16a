// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy selftests of SBUDDY_IOC_FREE_HELD: __free_pages() while another
 * reference to the first page is held.  A non-compound block of order N
 * gives its 2^N - 1 tail pages back at once (the free counts of debugfs
 * vmstat and buddyinfo move by that much), QUERY shows order 0, page 0
 * of a mapping keeps its data and the rest is SIGBUS; the final FREE
 * gives the last page.  A compound block gives nothing until the final
 * FREE, then all 2^N.  Every refusal (reserved field, foreign handle,
 * pinned, contiguous, CMA, reclaimed) comes back with its errno and
 * changes nothing.  verify stays ok and the counts end where they began.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

/* nr_free_pages of debugfs vmstat, the per-cpu lists drained first */
static long long vmstat_free(int fd)
{
	sb_drain_all(fd);
	return sb_vmstat("nr_free_pages");
}

/* the pages of debugfs buddyinfo: sum over zones of count << order */
static long long buddyinfo_free(int fd)
{
	sb_drain_all(fd);
	return sb_buddy_pages(0);
}

static int free_held(int fd, uint64_t h, struct sbuddy_free_held *out)
{
	*out = (struct sbuddy_free_held){ .handle = h };
	return sb_io(fd, SBUDDY_IOC_FREE_HELD, out);
}

static struct sbuddy_query query(int fd, uint64_t h)
{
	struct sbuddy_query q = { .handle = h };

	if (sb_io(fd, SBUDDY_IOC_QUERY, &q))
		q.order = 0xdead;
	return q;
}

FIXTURE(hf) {
	int fd;
	long long free0, bfree0;
	long long boost;
};

#define BOOST "watermark_boost_factor"

FIXTURE_SETUP(hf)
{
	struct sbuddy_api api;

	self->boost = -1;	/* nothing to restore yet */
	self->fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_GET_API, &api));
	ASSERT_TRUE(api.features & SBUDDY_FEAT_HELD_FREE);
	/*
	 * A reclaimable allocation may steal from a movable pageblock; the
	 * boost that follows would wake kswapd, which could then reclaim a
	 * test's reclaimable block under it.  No boost, no such wakeup: the
	 * zone is far above its low watermark.
	 */
	self->boost = sb_knob_read(BOOST);
	ASSERT_LE(0, self->boost);
	ASSERT_EQ(0, sb_knob_set(BOOST, 0));
	self->free0 = vmstat_free(self->fd);
	self->bfree0 = buddyinfo_free(self->fd);
	ASSERT_LT(0, self->free0);
	ASSERT_EQ(self->free0, self->bfree0);
}

FIXTURE_TEARDOWN(hf)
{
	close(self->fd);
	if (self->boost >= 0)
		EXPECT_EQ(0, sb_knob_set(BOOST, self->boost));
}

/* order 1..4 non-compound: 2^N - 1 pages now, the last at FREE */
TEST_F(hf, tails_go_back_at_once)
{
	for (uint32_t order = 1; order <= 4; order++) {
		uint64_t h = sb_alloc_one(self->fd, order, SBUDDY_ALLOC_MOVABLE);
		long long before, bbefore, after;
		struct sbuddy_free_held r;
		struct sbuddy_query q0, q;

		ASSERT_NE(0, h);
		q0 = query(self->fd, h);
		ASSERT_EQ(order, q0.order);
		before = vmstat_free(self->fd);
		bbefore = buddyinfo_free(self->fd);
		ASSERT_EQ(0, free_held(self->fd, h, &r));
		EXPECT_EQ(0, r.order);
		EXPECT_EQ((1U << order) - 1, r.nr_freed);
		after = vmstat_free(self->fd);
		EXPECT_EQ(before + (1LL << order) - 1, after) TH_LOG("order %u", order);
		EXPECT_EQ(bbefore + (1LL << order) - 1, buddyinfo_free(self->fd));
		q = query(self->fd, h);
		EXPECT_EQ(0, q.order);
		EXPECT_EQ(q0.pfn, q.pfn);
		EXPECT_EQ(SBUDDY_STATE_LIVE, q.state);
		EXPECT_TRUE(sb_verify_ok(0));
		/* a second one: an order-0 block has no tails */
		ASSERT_EQ(0, free_held(self->fd, h, &r));
		EXPECT_EQ(0, r.order);
		EXPECT_EQ(0, r.nr_freed);
		EXPECT_EQ(after, vmstat_free(self->fd));
		ASSERT_EQ(0, sb_free_one(self->fd, h));
		EXPECT_EQ(after + 1, vmstat_free(self->fd));
		EXPECT_EQ(after + 1, buddyinfo_free(self->fd));
	}
	EXPECT_EQ(self->free0, vmstat_free(self->fd));
	EXPECT_TRUE(sb_verify_ok(0));
}

/* compound: nothing now, all 2^N at FREE */
TEST_F(hf, compound_stays_whole)
{
	uint64_t h = sb_alloc_one(self->fd, 3, SBUDDY_ALLOC_MOVABLE | SBUDDY_ALLOC_COMP);
	struct sbuddy_fill fl = { .handle = h, .seed = 11 }, c = { .handle = h };
	struct sbuddy_free_held r;
	long long before;

	ASSERT_NE(0, h);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_FILL, &fl));
	before = vmstat_free(self->fd);
	ASSERT_EQ(0, free_held(self->fd, h, &r));
	EXPECT_EQ(3, r.order);
	EXPECT_EQ(0, r.nr_freed);
	EXPECT_EQ(before, vmstat_free(self->fd));
	EXPECT_EQ(before, buddyinfo_free(self->fd));
	EXPECT_EQ(3, query(self->fd, h).order);
	/* the held reference keeps the contents too */
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &c));
	EXPECT_EQ(fl.crc32, c.crc32);
	EXPECT_TRUE(sb_verify_ok(0));
	ASSERT_EQ(0, sb_free_one(self->fd, h));
	EXPECT_EQ(before + 8, vmstat_free(self->fd));
	EXPECT_EQ(before + 8, buddyinfo_free(self->fd));
	EXPECT_EQ(self->free0, vmstat_free(self->fd));
}

/* a mapping keeps page 0; the tail pages are gone (SIGBUS) */
TEST_F(hf, mapping_keeps_page_zero)
{
	uint64_t h = sb_alloc_one(self->fd, 2, SBUDDY_ALLOC_MOVABLE);
	struct sbuddy_fill fl = { .handle = h, .seed = 3 };
	struct sbuddy_free_held r;
	uint64_t v = 0, *p, *p1;
	size_t i;

	ASSERT_NE(0, h);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_FILL, &fl));
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 SBUDDY_MMAP_OFFSET(h));
	ASSERT_TRUE(p != MAP_FAILED);
	for (i = 0; i < 4 * 512; i += 512)
		ASSERT_EQ(sbuddy_pattern(3, i), p[i]);	/* faulted in */
	ASSERT_EQ(0, free_held(self->fd, h, &r));
	EXPECT_EQ(3, r.nr_freed);
	EXPECT_EQ(0, sb_read_bus(&p[7], &v));
	EXPECT_EQ(sbuddy_pattern(3, 7), v);
	for (i = 1; i < 4; i++)
		EXPECT_EQ(1, sb_read_bus(&p[i * 512 + 1], &v)) TH_LOG("page %zu", i);
	munmap(p, 4 * 4096);
	/* a new mapping: one page, no more */
	p1 = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, self->fd,
		  SBUDDY_MMAP_OFFSET(h));
	EXPECT_TRUE(p1 == MAP_FAILED);
	EXPECT_EQ(EINVAL, errno);
	p1 = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
		  SBUDDY_MMAP_OFFSET(h));
	ASSERT_TRUE(p1 != MAP_FAILED);
	EXPECT_EQ(0, sb_read_bus(&p1[9], &v));
	EXPECT_EQ(sbuddy_pattern(3, 9), v);
	munmap(p1, 4096);
	ASSERT_EQ(0, sb_free_one(self->fd, h));
	EXPECT_EQ(self->free0, vmstat_free(self->fd));
	EXPECT_TRUE(sb_verify_ok(0));
}

/* every refusal, each changing nothing */
TEST_F(hf, refusals)
{
	int other = open(SB_DEV, O_RDWR);
	uint64_t h = sb_alloc_one(self->fd, 3, SBUDDY_ALLOC_MOVABLE);
	uint64_t ho = sb_alloc_one(other, 3, SBUDDY_ALLOC_MOVABLE), hr;
	struct sbuddy_handle_arg pin = { .handle = h };
	struct sbuddy_contig c = { .mode = SBUDDY_CONTIG_SEARCH, .order = 2 };
	struct sbuddy_contig take = { .mode = SBUDDY_CONTIG_RANGE };
	struct sbuddy_free_held r;
	long long before;

	ASSERT_LE(0, other);
	ASSERT_NE(0, h);
	ASSERT_NE(0, ho);
	before = vmstat_free(self->fd);

	r = (struct sbuddy_free_held){ .handle = h, .reserved = { 1 } };
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_FREE_HELD, &r));
	r = (struct sbuddy_free_held){ .handle = h, .reserved = { 0, 1ULL << 63 } };
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_FREE_HELD, &r));
	/* the other file's handle, never handed out, zero */
	EXPECT_EQ(-ENOENT, free_held(self->fd, ho, &r));
	EXPECT_EQ(-ENOENT, free_held(self->fd, 0, &r));
	EXPECT_EQ(-ENOENT, free_held(self->fd, 1U << 30, &r));
	EXPECT_EQ(3, query(other, ho).order);

	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_PIN, &pin));
	EXPECT_EQ(-EBUSY, free_held(self->fd, h, &r));
	EXPECT_EQ(3, query(self->fd, h).order);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_UNPIN, &pin));

	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_ALLOC_CONTIG, &c));
	EXPECT_EQ(-EINVAL, free_held(self->fd, c.handle, &r));
	EXPECT_EQ(2, query(self->fd, c.handle).order);
	ASSERT_EQ(0, sb_free_one(self->fd, c.handle));
	EXPECT_EQ(before, vmstat_free(self->fd));

	/*
	 * a contiguous range over a reclaimable block reclaims it; the block
	 * is taken only now, for the search above may pick (and reclaim) the
	 * range of any reclaimable block: it did, in two runs of make check
	 */
	hr = sb_alloc_one(self->fd, 0, SBUDDY_ALLOC_RECLAIMABLE);
	ASSERT_NE(0, hr);
	take.pfn = query(self->fd, hr).pfn;
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_ALLOC_CONTIG, &take));
	EXPECT_EQ(SBUDDY_STATE_RECLAIMED, query(self->fd, hr).state);
	EXPECT_EQ(-ENOENT, free_held(self->fd, hr, &r));
	ASSERT_EQ(0, sb_free_one(self->fd, take.handle));
	ASSERT_EQ(0, sb_free_one(self->fd, hr));
	EXPECT_EQ(before, vmstat_free(self->fd));

	/* after all that, it works */
	ASSERT_EQ(0, free_held(self->fd, h, &r));
	EXPECT_EQ(7, r.nr_freed);
	ASSERT_EQ(0, sb_free_one(self->fd, h));
	close(other);
	EXPECT_EQ(self->free0, vmstat_free(self->fd));
	EXPECT_EQ(self->free0, buddyinfo_free(self->fd));
	EXPECT_TRUE(sb_verify_ok(0));
}

/* closing the file frees what a held free left */
TEST_F(hf, close_frees_the_rest)
{
	int fd = open(SB_DEV, O_RDWR);
	uint64_t h = sb_alloc_one(fd, 5, 0), hc = sb_alloc_one(fd, 2, SBUDDY_ALLOC_COMP);
	struct sbuddy_free_held r;

	ASSERT_NE(0, h);
	ASSERT_NE(0, hc);
	ASSERT_EQ(0, free_held(fd, h, &r));
	EXPECT_EQ(31, r.nr_freed);
	ASSERT_EQ(0, free_held(fd, hc, &r));
	EXPECT_EQ(0, r.nr_freed);
	EXPECT_EQ(self->free0 - 1 - 4, vmstat_free(self->fd));
	close(fd);
	EXPECT_EQ(self->free0, vmstat_free(self->fd));
	EXPECT_TRUE(sb_verify_ok(0));
}

/*
 * A process faulting the block's pages while FREE_HELD frees its tails:
 * each read sees the block's data or SIGBUS, never a page handed out
 * again (the tails are reallocated and refilled at once to catch that).
 */
TEST_F(hf, faults_race_the_free)
{
	volatile int *stop = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int iter, status;

	ASSERT_TRUE(stop != MAP_FAILED);
	for (iter = 0; iter < 40; iter++) {
		uint64_t h = sb_alloc_one(self->fd, 3, SBUDDY_ALLOC_MOVABLE), re[7];
		struct sbuddy_fill fl = { .handle = h, .seed = 100 + iter };
		struct sbuddy_free_held r;
		uint64_t *p;
		pid_t pid;

		ASSERT_NE(0, h);
		ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_FILL, &fl));
		p = mmap(NULL, 8 * 4096, PROT_READ, MAP_SHARED, self->fd,
			 SBUDDY_MMAP_OFFSET(h));
		ASSERT_TRUE(p != MAP_FAILED);
		*stop = 0;
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			long rounds = 0;

			do {
				for (size_t pg = 0; pg < 8; pg++) {
					size_t w = pg * 512 + 1 + iter;
					uint64_t v;

					if (sb_read_bus(&p[w], &v))
						continue;
					if (v != sbuddy_pattern(100 + iter, w))
						_exit(1);
				}
			} while (!*stop && ++rounds < 1000000);
			_exit(0);
		}
		ASSERT_EQ(0, free_held(self->fd, h, &r));
		EXPECT_EQ(7, r.nr_freed);
		for (int i = 0; i < 7; i++) {
			struct sbuddy_fill f2 = { .seed = 7 };

			re[i] = sb_alloc_one(self->fd, 0, SBUDDY_ALLOC_MOVABLE);
			ASSERT_NE(0, re[i]);
			f2.handle = re[i];
			ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_FILL, &f2));
		}
		usleep(2000);
		*stop = 1;
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("iteration %d: a read saw another block's data", iter);
		munmap(p, 8 * 4096);
		for (int i = 0; i < 7; i++)
			ASSERT_EQ(0, sb_free_one(self->fd, re[i]));
		ASSERT_EQ(0, sb_free_one(self->fd, h));
	}
	munmap((void *)stop, 4096);
	EXPECT_EQ(self->free0, vmstat_free(self->fd));
	EXPECT_TRUE(sb_verify_ok(0));
}

/* ---- CMA: the module reloaded with an area ---- */

FIXTURE(cma) {
	int fd;
};

FIXTURE_SETUP(cma)
{
	if (sb_module_loaded())
		ASSERT_EQ(0, sb_unload());
	ASSERT_EQ(0, sb_load("cma=8M"));
	self->fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_LT(0, sb_read_key(SB_DEBUGFS "/cma", "count"));
}

FIXTURE_TEARDOWN(cma)
{
	close(self->fd);
	if (sb_module_loaded())
		EXPECT_EQ(0, sb_unload());
	EXPECT_EQ(0, sb_load(""));
}

/* cma_alloc() pages are not freed through __free_pages(): -EINVAL */
TEST_F(cma, cma_block_refused)
{
	struct sbuddy_cma m = { .order = 3 };
	struct sbuddy_free_held r;
	long long before = vmstat_free(self->fd);

	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, &m));
	EXPECT_EQ(-EINVAL, free_held(self->fd, m.handle, &r));
	EXPECT_EQ(3, query(self->fd, m.handle).order);
	ASSERT_EQ(0, sb_free_one(self->fd, m.handle));
	EXPECT_EQ(before, vmstat_free(self->fd));
	EXPECT_TRUE(sb_verify_ok(0));
}

TEST_HARNESS_MAIN
