// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy handle selftests: pin/unpin, query, fill/checksum, drain and
 * verify through /dev/sbuddy, and mmap of a handle: the process sees the
 * block's data, a free takes the mapping away (SIGBUS), and every
 * documented errno comes back for its bad input.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

static uint32_t crc_table[256];

/* crc32 of zlib (ISO-HDLC), the one SBUDDY_IOC_CHECKSUM returns */
static uint32_t crc32_buf(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t c = ~0U;
	size_t i;

	if (!crc_table[1]) {
		for (i = 0; i < 256; i++) {
			uint32_t v = i;
			int k;

			for (k = 0; k < 8; k++)
				v = v & 1 ? 0xedb88320U ^ (v >> 1) : v >> 1;
			crc_table[i] = v;
		}
	}
	for (i = 0; i < len; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return ~c;
}

FIXTURE(h) {
	int fd;
};

FIXTURE_SETUP(h)
{
	self->fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(h)
{
	close(self->fd);
}

TEST_F(h, features_name_the_commands)
{
	struct sbuddy_api api = { 0 };
	uint64_t want = SBUDDY_FEAT_PIN | SBUDDY_FEAT_QUERY | SBUDDY_FEAT_FILL |
			SBUDDY_FEAT_MMAP | SBUDDY_FEAT_DRAIN | SBUDDY_FEAT_VERIFY;

	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_GET_API, &api));
	EXPECT_EQ(want, api.features & want);
}

TEST_F(h, pin_and_unpin_count)
{
	uint64_t h = sb_alloc_one(self->fd, 0, SBUDDY_ALLOC_MOVABLE);
	struct sbuddy_handle_arg a = { .handle = h };
	struct sbuddy_query q = { .handle = h };

	ASSERT_NE(0, h);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
	EXPECT_EQ(1, a.pins);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
	EXPECT_EQ(2, a.pins);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_QUERY, &q));
	EXPECT_EQ(2, q.pins);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_UNPIN, &a));
	EXPECT_EQ(1, a.pins);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_UNPIN, &a));
	EXPECT_EQ(0, a.pins);
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_UNPIN, &a));
	/* a pinned block still frees */
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
	EXPECT_EQ(0, sb_free_one(self->fd, h));
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
}

TEST_F(h, query_reports_the_block)
{
	long long start = sb_read_key(SB_DEBUGFS "/region", "start_pfn");
	long long end = sb_read_key(SB_DEBUGFS "/region", "end_pfn");
	uint64_t h = sb_alloc_one(self->fd, 3, SBUDDY_ALLOC_RECLAIMABLE);
	struct sbuddy_query q = { .handle = h, .pfn = 12345, .order = 9 };

	ASSERT_NE(0, h);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_QUERY, &q));
	EXPECT_EQ(h, q.handle);
	EXPECT_EQ(3, q.order);
	EXPECT_EQ(0, q.nid);
	EXPECT_LE(q.zone, 3);
	EXPECT_EQ(2, q.alloc_type);
	EXPECT_EQ(SBUDDY_STATE_LIVE, q.state);
	EXPECT_EQ(0, q.nr_migrated);
	EXPECT_EQ(0, q.pfn & 7);
	EXPECT_LE(start, (long long)q.pfn);
	EXPECT_GT(end, (long long)q.pfn);
	EXPECT_LE(q.pageblock_type, 5);
	EXPECT_EQ(0, q.reserved[0]);
	EXPECT_EQ(0, sb_free_one(self->fd, h));
}

TEST_F(h, fill_and_checksum_agree_with_userspace)
{
	uint64_t h = sb_alloc_one(self->fd, 2, SBUDDY_ALLOC_MOVABLE);
	struct sbuddy_fill f = { .handle = h, .seed = 42 };
	struct sbuddy_fill c = { .handle = h };
	size_t words = 4 * 4096 / 8, i;
	uint64_t *want = malloc(words * 8);

	ASSERT_NE(0, h);
	ASSERT_TRUE(want != NULL);
	for (i = 0; i < words; i++)
		want[i] = sbuddy_pattern(42, i);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_FILL, &f));
	EXPECT_EQ(crc32_buf(want, words * 8), f.crc32);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &c));
	EXPECT_EQ(f.crc32, c.crc32);
	free(want);
	EXPECT_EQ(0, sb_free_one(self->fd, h));
}

TEST_F(h, mmap_sees_the_data_and_free_takes_it_away)
{
	uint64_t h = sb_alloc_one(self->fd, 1, SBUDDY_ALLOC_MOVABLE);
	struct sbuddy_fill f = { .handle = h, .seed = 7 };
	struct sbuddy_fill c = { .handle = h };
	uint64_t *p, v = 0;
	size_t i;

	ASSERT_NE(0, h);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_FILL, &f));
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 SBUDDY_MMAP_OFFSET(h));
	ASSERT_TRUE(p != MAP_FAILED);
	for (i = 0; i < 1024; i++)
		if (p[i] != sbuddy_pattern(7, i))
			break;
	EXPECT_EQ(1024, i);
	/* writes through the mapping are the block's contents */
	p[5] = 0x5bdd;
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &c));
	EXPECT_EQ(crc32_buf(p, 8192), c.crc32);

	/* the second page alone, at offset + one page */
	uint64_t *q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
			   SBUDDY_MMAP_OFFSET(h) + 4096);
	ASSERT_TRUE(q != MAP_FAILED);
	EXPECT_EQ(sbuddy_pattern(7, 512), q[0]);

	EXPECT_EQ(0, sb_free_one(self->fd, h));
	EXPECT_EQ(1, sb_read_bus(p, &v));
	EXPECT_EQ(1, sb_read_bus(q, &v));
	munmap(p, 8192);
	munmap(q, 4096);
}

TEST_F(h, mmap_refusals)
{
	uint64_t h = sb_alloc_one(self->fd, 1, 0);
	void *p;

	ASSERT_NE(0, h);
	/* past the block */
	p = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, self->fd,
		 SBUDDY_MMAP_OFFSET(h));
	EXPECT_TRUE(p == MAP_FAILED);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
		 SBUDDY_MMAP_OFFSET(h) + 2 * 4096);
	EXPECT_TRUE(p == MAP_FAILED);
	EXPECT_EQ(EINVAL, errno);
	/* private mappings would copy; only shared ones are offered */
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, self->fd,
		 SBUDDY_MMAP_OFFSET(h));
	EXPECT_TRUE(p == MAP_FAILED);
	EXPECT_EQ(EINVAL, errno);
	/* a handle that is not ours */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
		 SBUDDY_MMAP_OFFSET(h + 1000));
	EXPECT_TRUE(p == MAP_FAILED);
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, sb_free_one(self->fd, h));
}

/* another file's handle is not this file's, for every command */
TEST_F(h, foreign_handles_are_enoent)
{
	int other = open(SB_DEV, O_RDWR);
	uint64_t h = sb_alloc_one(other, 0, SBUDDY_ALLOC_MOVABLE);
	struct sbuddy_handle_arg a = { .handle = h };
	struct sbuddy_query q = { .handle = h };
	struct sbuddy_fill f = { .handle = h };
	void *p;

	ASSERT_LE(0, other);
	ASSERT_NE(0, h);
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_UNPIN, &a));
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_QUERY, &q));
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_FILL, &f));
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &f));
	EXPECT_EQ(-ENOENT, sb_free_one(self->fd, h));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
		 SBUDDY_MMAP_OFFSET(h));
	EXPECT_TRUE(p == MAP_FAILED);
	EXPECT_EQ(ENOENT, errno);
	a.handle = 0;
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
	a.handle = ~0ULL;
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
	EXPECT_EQ(0, sb_free_one(other, h));
	close(other);
}

/* each structure's pad and reserved fields, walked one by one */
TEST_F(h, reserved_fields_einval)
{
	uint64_t h = sb_alloc_one(self->fd, 0, SBUDDY_ALLOC_MOVABLE);
	struct sbuddy_handle_arg a;
	struct sbuddy_query q;
	struct sbuddy_fill f;
	struct sbuddy_drain d;
	int i;

	ASSERT_NE(0, h);
	for (i = 0; i < 2; i++) {
		a = (struct sbuddy_handle_arg){ .handle = h };
		a.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_UNPIN, &a));
		q = (struct sbuddy_query){ .handle = h };
		q.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_QUERY, &q));
		f = (struct sbuddy_fill){ .handle = h };
		f.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_FILL, &f));
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &f));
		d = (struct sbuddy_drain){ 0 };
		d.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d));
	}
	a = (struct sbuddy_handle_arg){ .handle = h, .pad = 1 };
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
	f = (struct sbuddy_fill){ .handle = h, .pad = 1 };
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_FILL, &f));
	/* CHECKSUM has no use for a seed */
	f = (struct sbuddy_fill){ .handle = h, .seed = 1 };
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &f));
	/* bad pointers */
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_PIN, NULL));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_QUERY, (void *)8));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_VERIFY, NULL));
	EXPECT_EQ(0, sb_free_one(self->fd, h));
}

TEST_F(h, drain_scopes)
{
	struct sbuddy_drain d = { .scope = SBUDDY_DRAIN_ALL };

	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d));
	EXPECT_EQ(0, sb_pcp_pages());
	d.scope = SBUDDY_DRAIN_LOCAL;
	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d));
	d = (struct sbuddy_drain){ .scope = SBUDDY_DRAIN_CPU, .cpu = 0 };
	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d));
	d.cpu = 100000;
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d));
	d = (struct sbuddy_drain){ .scope = SBUDDY_DRAIN_ALL, .cpu = 1 };
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d));
	d = (struct sbuddy_drain){ .scope = 3 };
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d));
}

TEST_F(h, verify_says_ok)
{
	struct sbuddy_verify v;

	memset(&v, 0xff, sizeof(v));
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_VERIFY, &v));
	EXPECT_EQ(0, v.status);
	EXPECT_STREQ("ok", v.message);
	EXPECT_EQ(0, v.pad);
	EXPECT_EQ(0, v.reserved[0]);
}

TEST_HARNESS_MAIN
