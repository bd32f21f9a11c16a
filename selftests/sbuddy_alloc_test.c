// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy allocation ABI selftests: SBUDDY_IOC_ALLOC and SBUDDY_IOC_FREE,
 * their documented errnos, exact partial-batch reports, handle ownership,
 * and close freeing everything.  `verify` must stay ok throughout.
 */
#include <sys/ioctl.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

static int do_alloc(int fd, struct sbuddy_alloc *a)
{
	return ioctl(fd, SBUDDY_IOC_ALLOC, a) ? -errno : 0;
}

static int do_free(int fd, uint64_t *h, uint32_t count, uint32_t *done)
{
	struct sbuddy_free f = { .handles = (uintptr_t)h, .count = count };
	int ret = ioctl(fd, SBUDDY_IOC_FREE, &f) ? -errno : 0;

	if (done)
		*done = f.done;
	return ret;
}

FIXTURE(dev) {
	int fd;
	long long free0;
	uint64_t h[4096];
};

FIXTURE_SETUP(dev)
{
	self->free0 = sb_free_pages();
	ASSERT_LT(0, self->free0);
	self->fd = open(SB_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	memset(self->h, 0, sizeof(self->h));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
	/* closing the owner gave back everything it held */
	EXPECT_EQ(self->free0, sb_free_pages());
	EXPECT_TRUE(sb_verify_ok(1));
}

TEST_F(dev, alloc_and_free_one_of_each_order)
{
	for (unsigned int order = 0; order <= SBUDDY_MAX_ORDER; order++) {
		struct sbuddy_alloc a = {
			.order = order, .count = 1, .handles = (uintptr_t)self->h,
			.flags = SBUDDY_ALLOC_MOVABLE,
		};
		long long before = sb_free_pages();

		ASSERT_EQ(0, do_alloc(self->fd, &a)) TH_LOG("order %u", order);
		EXPECT_EQ(1, a.done);
		EXPECT_EQ(0, a.error);
		EXPECT_NE(0, self->h[0]);
		EXPECT_EQ(before - (1LL << order), sb_free_pages());
		EXPECT_EQ(0, do_free(self->fd, self->h, 1, NULL));
		EXPECT_EQ(before, sb_free_pages());
	}
	EXPECT_TRUE(sb_verify_ok(1));
}

TEST_F(dev, handles_are_distinct)
{
	struct sbuddy_alloc a = {
		.order = 0, .count = 256, .handles = (uintptr_t)self->h,
	};

	ASSERT_EQ(0, do_alloc(self->fd, &a));
	ASSERT_EQ(256, a.done);
	for (int i = 0; i < 256; i++)
		for (int j = i + 1; j < 256; j++)
			ASSERT_NE(self->h[i], self->h[j]);
	EXPECT_EQ(self->free0 - 256, sb_free_pages());
	/* left for close to free */
}

TEST_F(dev, partial_batch_is_reported_exactly)
{
	/* more order-10 blocks than the whole region holds */
	struct sbuddy_alloc a = {
		.order = 10, .count = 4096, .handles = (uintptr_t)self->h,
		.flags = SBUDDY_ALLOC_MOVABLE,
	};
	long long before = sb_free_pages();

	EXPECT_EQ(-ENOMEM, do_alloc(self->fd, &a));
	EXPECT_EQ(ENOMEM, a.error);
	ASSERT_LT(0, a.done);
	ASSERT_GT(4096, a.done);
	for (uint32_t i = 0; i < a.done; i++)
		EXPECT_NE(0, self->h[i]);
	EXPECT_EQ(0, self->h[a.done]);
	EXPECT_EQ(before - 1024LL * a.done, sb_free_pages());
	EXPECT_TRUE(sb_verify_ok(1));
}

TEST_F(dev, bad_arguments_einval)
{
	struct sbuddy_alloc good = {
		.order = 0, .count = 1, .handles = (uintptr_t)self->h,
	};
	struct sbuddy_alloc a;
	long long before = sb_free_pages();

#define BAD(field, value, err) do {					\
		a = good;						\
		a.field = value;					\
		EXPECT_EQ(-(err), do_alloc(self->fd, &a)) TH_LOG(#field "=" #value); \
	} while (0)
	BAD(order, SBUDDY_MAX_ORDER + 1, EINVAL);
	BAD(order, 0xffffffff, EINVAL);
	BAD(count, 0, EINVAL);
	BAD(count, SBUDDY_BATCH_MAX + 1, E2BIG);
	BAD(flags, 1U << 17, EINVAL);
	BAD(flags, 1U << 31, EINVAL);
	BAD(flags, SBUDDY_ALLOC_MOVABLE | SBUDDY_ALLOC_RECLAIMABLE, EINVAL);
	BAD(flags, SBUDDY_ALLOC_ATOMIC | SBUDDY_ALLOC_NOWAIT, EINVAL);
	BAD(flags, SBUDDY_ALLOC_DMA | SBUDDY_ALLOC_DMA32, EINVAL);
	BAD(flags, SBUDDY_ALLOC_DMA32 | SBUDDY_ALLOC_HIGHMEM, EINVAL);
	BAD(flags, SBUDDY_ALLOC_NOFAIL | SBUDDY_ALLOC_NORETRY, EINVAL);
	BAD(policy, 4, EINVAL);
	BAD(nid, 1, EINVAL);			/* DEFAULT takes no node */
	BAD(nodemask, 1, EINVAL);		/* ... and no nodemask */
	BAD(pad, 1, EINVAL);
	BAD(reserved[0], 1, EINVAL);
	BAD(reserved[1], 1ULL << 63, EINVAL);
	a = good;
	a.policy = SBUDDY_MPOL_PREFERRED;
	a.nid = 63;
	EXPECT_EQ(-EINVAL, do_alloc(self->fd, &a));
	a = good;
	a.policy = SBUDDY_MPOL_BIND;
	a.nodemask = 0;
	EXPECT_EQ(-EINVAL, do_alloc(self->fd, &a));
	a.nodemask = 1ULL << 40;
	EXPECT_EQ(-EINVAL, do_alloc(self->fd, &a));
	a.policy = SBUDDY_MPOL_INTERLEAVE;
	EXPECT_EQ(-EINVAL, do_alloc(self->fd, &a));
#undef BAD
	/* nothing was allocated by any of them */
	EXPECT_EQ(before, sb_free_pages());
	EXPECT_EQ(0, self->h[0]);
}

TEST_F(dev, bad_pointers_efault_and_nothing_leaks)
{
	struct sbuddy_alloc a = { .order = 2, .count = 8, .handles = 8 };
	long long before = sb_free_pages();

	EXPECT_EQ(-EFAULT, do_alloc(self->fd, &a));
	EXPECT_EQ(0, a.done);
	EXPECT_EQ(before, sb_free_pages());
	EXPECT_EQ(-1, ioctl(self->fd, SBUDDY_IOC_ALLOC, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-EFAULT, do_free(self->fd, (uint64_t *)8, 1, NULL));
	EXPECT_EQ(-1, ioctl(self->fd, SBUDDY_IOC_FREE, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(before, sb_free_pages());
}

TEST_F(dev, free_stops_at_the_first_handle_not_ours)
{
	struct sbuddy_alloc a = {
		.order = 1, .count = 4, .handles = (uintptr_t)self->h,
	};
	struct sbuddy_free f = { 0 };
	uint64_t other;
	uint32_t done = 99;
	int fd2;

	ASSERT_EQ(0, do_alloc(self->fd, &a));
	self->h[2] = 100000;		/* never handed out */
	EXPECT_EQ(-ENOENT, do_free(self->fd, self->h, 4, &done));
	EXPECT_EQ(2, done);
	/* freed ones are gone: a double free is refused */
	EXPECT_EQ(-ENOENT, do_free(self->fd, self->h, 1, &done));
	EXPECT_EQ(0, done);
	/* another owner cannot free ours */
	fd2 = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, fd2);
	a.handles = (uintptr_t)&other;
	a.count = 1;
	ASSERT_EQ(0, do_alloc(fd2, &a));
	EXPECT_EQ(-ENOENT, do_free(fd2, &self->h[3], 1, &done));
	EXPECT_EQ(0, do_free(self->fd, &self->h[3], 1, &done));
	close(fd2);
	/* handle 0 and huge handles are nobody's */
	self->h[0] = 0;
	EXPECT_EQ(-ENOENT, do_free(self->fd, self->h, 1, NULL));
	self->h[0] = 1ULL << 40;
	EXPECT_EQ(-ENOENT, do_free(self->fd, self->h, 1, NULL));
	f.handles = (uintptr_t)self->h;
	f.count = 0;
	EXPECT_EQ(-1, ioctl(self->fd, SBUDDY_IOC_FREE, &f));
	EXPECT_EQ(EINVAL, errno);
	f.count = SBUDDY_BATCH_MAX + 1;
	EXPECT_EQ(-1, ioctl(self->fd, SBUDDY_IOC_FREE, &f));
	EXPECT_EQ(E2BIG, errno);
	f.count = 1;
	f.pad = 1;
	EXPECT_EQ(-1, ioctl(self->fd, SBUDDY_IOC_FREE, &f));
	EXPECT_EQ(EINVAL, errno);
	f.pad = 0;
	f.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, SBUDDY_IOC_FREE, &f));
	EXPECT_EQ(EINVAL, errno);
}

TEST(close_frees_everything)
{
	static uint64_t h[2048];
	long long before = sb_free_pages();
	struct sbuddy_alloc a = {
		.count = 2048, .handles = (uintptr_t)h,
		.flags = SBUDDY_ALLOC_RECLAIMABLE,
	};
	int fd = open(SB_DEV, O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, do_alloc(fd, &a));
	a.order = 3;
	a.count = 256;
	a.flags = SBUDDY_ALLOC_MOVABLE | SBUDDY_ALLOC_ZERO;
	ASSERT_EQ(0, do_alloc(fd, &a));
	EXPECT_EQ(before - 2048 - 256 * 8, sb_free_pages());
	close(fd);
	EXPECT_EQ(before, sb_free_pages());
	EXPECT_TRUE(sb_verify_ok(1));
}

TEST_HARNESS_MAIN
