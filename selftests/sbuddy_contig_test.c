// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy contiguous-allocation selftests through /dev/sbuddy: a range
 * taken over filled movable handles (migrated, checksums unchanged), a
 * range over a pinned one (-EBUSY at its pfn, pageblocks unchanged), the
 * size-aligned search, CMA (movable handles use the area, unmovable ones
 * never, cma_alloc migrates them out and skips a pinned one), the errnos
 * of bad requests, and verify ok after each.  The CMA tests reload the
 * module with cma= and leave it loaded with its default parameters.
 */
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define NH	64

static uint32_t fill(int fd, uint64_t h, uint64_t seed)
{
	struct sbuddy_fill f = { .handle = h, .seed = seed };

	return sb_io(fd, SBUDDY_IOC_FILL, &f) ? 0 : f.crc32;
}

static uint32_t checksum(int fd, uint64_t h)
{
	struct sbuddy_fill f = { .handle = h };

	return sb_io(fd, SBUDDY_IOC_CHECKSUM, &f) ? 0 : f.crc32;
}

static struct sbuddy_query query(int fd, uint64_t h)
{
	struct sbuddy_query q = { .handle = h };

	if (sb_io(fd, SBUDDY_IOC_QUERY, &q))
		q.state = ~0U;
	return q;
}

static int verify_ok(int fd)
{
	struct sbuddy_verify v;

	if (sb_io(fd, SBUDDY_IOC_VERIFY, &v))
		return 0;
	if (v.status)
		fprintf(stderr, "# verify: %s\n", v.message);
	return v.status == 0;
}

/* the "Number of blocks type" lines of pagetypeinfo, concatenated */
static void block_counts(char *buf, size_t len)
{
	FILE *f = fopen(SB_DEBUGFS "/pagetypeinfo", "r");
	char line[512];
	int on = 0;

	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Number of blocks type", 21))
			on = 1;
		else if (on && !strncmp(line, "Node", 4))
			strncat(buf, line, len - strlen(buf) - 1);
		else
			on = 0;
	}
	fclose(f);
}

static int contig(int fd, struct sbuddy_contig *c)
{
	return sb_io(fd, SBUDDY_IOC_ALLOC_CONTIG, c);
}

FIXTURE(c) {
	int fd;
	uint64_t h[NH];
	uint32_t crc[NH];
	uint64_t pfn[NH];
	long long pb;		/* pages per pageblock */
};

FIXTURE_SETUP(c)
{
	struct sbuddy_api api;
	int i;

	self->fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_GET_API, &api));
	ASSERT_TRUE(api.features & SBUDDY_FEAT_CONTIG);
	self->pb = 512;
	for (i = 0; i < NH; i++) {
		self->h[i] = sb_alloc_one(self->fd, i % 2, SBUDDY_ALLOC_MOVABLE);
		ASSERT_NE(0, self->h[i]);
		self->crc[i] = fill(self->fd, self->h[i], 1000 + i);
		ASSERT_NE(0, self->crc[i]);
		self->pfn[i] = query(self->fd, self->h[i]).pfn;
	}
}

FIXTURE_TEARDOWN(c)
{
	close(self->fd);
}

/* every filled handle still checksums as filled */
static int all_intact(int fd, const uint64_t *h, const uint32_t *crc)
{
	int i, ok = 1;

	for (i = 0; i < NH; i++)
		if (checksum(fd, h[i]) != crc[i]) {
			fprintf(stderr, "# handle %d changed\n", i);
			ok = 0;
		}
	return ok;
}

TEST_F(c, range_migrates_movable_handles)
{
	uint64_t pfn = self->pfn[NH / 2], pb = pfn & ~(self->pb - 1);
	uint64_t off = pfn - pb, s, start, end, *p;
	struct sbuddy_contig c = { .mode = SBUDDY_CONTIG_RANGE, .order = 8 };
	int i, inside = 0, moved = 0;
	struct sbuddy_query q;
	uint32_t crc;

	/* 256 pages inside the pageblock, holding handle NH / 2 */
	s = off - (off < 127 ? off : 127);
	if (s > 256)
		s = 256;
	start = pb + s;
	end = start + 256;
	for (i = 0; i < NH; i++)
		inside += self->pfn[i] >= start && self->pfn[i] < end;
	ASSERT_LT(0, inside);

	c.pfn = start;
	ASSERT_EQ(0, contig(self->fd, &c)) TH_LOG("failed at %#llx",
						  (unsigned long long)c.failed_pfn);
	EXPECT_EQ(start, c.pfn);
	ASSERT_NE(0, c.handle);
	for (i = 0; i < NH; i++) {
		q = query(self->fd, self->h[i]);
		EXPECT_FALSE(q.pfn >= start && q.pfn < end);
		moved += q.nr_migrated > 0;
	}
	EXPECT_LE(inside, moved);
	EXPECT_TRUE(all_intact(self->fd, self->h, self->crc));

	/* the block is real memory: fill, checksum, map */
	q = query(self->fd, c.handle);
	EXPECT_EQ(8, q.order);
	EXPECT_EQ(start, q.pfn);
	crc = fill(self->fd, c.handle, 77);
	EXPECT_EQ(crc, checksum(self->fd, c.handle));
	p = mmap(NULL, 256 * 4096, PROT_READ, MAP_SHARED, self->fd,
		 SBUDDY_MMAP_OFFSET(c.handle));
	ASSERT_TRUE(p != MAP_FAILED);
	for (i = 0; i < 256 * 512; i += 4099)
		EXPECT_EQ(sbuddy_pattern(77, i), p[i]);
	munmap(p, 256 * 4096);
	EXPECT_TRUE(verify_ok(self->fd));
	EXPECT_EQ(0, sb_free_one(self->fd, c.handle));
	EXPECT_TRUE(verify_ok(self->fd));
}

TEST_F(c, range_over_pinned_is_ebusy)
{
	uint64_t pfn = self->pfn[NH / 2], pb = pfn & ~(self->pb - 1);
	struct sbuddy_contig c = {
		.mode = SBUDDY_CONTIG_RANGE, .order = 9, .pfn = pb,
	};
	struct sbuddy_handle_arg a = { .handle = self->h[NH / 2] };
	char before[4096], after[4096];
	long long free_before;

	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_PIN, &a));
	block_counts(before, sizeof(before));
	ASSERT_NE(0, before[0]);
	free_before = sb_vmstat_drained(self->fd, "nr_free_pages");
	EXPECT_EQ(-EBUSY, contig(self->fd, &c));
	EXPECT_EQ(pfn, c.failed_pfn);
	EXPECT_EQ(0, c.handle);
	block_counts(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_EQ(free_before, sb_vmstat_drained(self->fd, "nr_free_pages"));
	EXPECT_EQ(pfn, query(self->fd, self->h[NH / 2]).pfn);
	EXPECT_TRUE(all_intact(self->fd, self->h, self->crc));
	EXPECT_TRUE(verify_ok(self->fd));

	/* unpinned, the same range is taken */
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_UNPIN, &a));
	c.failed_pfn = 0;
	ASSERT_EQ(0, contig(self->fd, &c));
	EXPECT_NE(pfn, query(self->fd, self->h[NH / 2]).pfn);
	EXPECT_TRUE(all_intact(self->fd, self->h, self->crc));
	EXPECT_EQ(0, sb_free_one(self->fd, c.handle));
	EXPECT_TRUE(verify_ok(self->fd));
}

TEST_F(c, search_is_aligned_and_close_frees_it)
{
	struct sbuddy_contig c = { .mode = SBUDDY_CONTIG_SEARCH, .order = 10 };
	long long free_before = sb_vmstat_drained(self->fd, "nr_free_pages");
	int fd2 = open(SB_DEV, O_RDWR);

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, contig(fd2, &c));
	EXPECT_EQ(0, c.pfn & 1023);
	EXPECT_EQ(10, query(fd2, c.handle).order);
	EXPECT_NE(0, fill(fd2, c.handle, 5));
	EXPECT_EQ(free_before - 1024, sb_vmstat_drained(self->fd, "nr_free_pages"));
	EXPECT_TRUE(all_intact(self->fd, self->h, self->crc));
	/* another file does not see the handle */
	EXPECT_EQ(-ENOENT, sb_free_one(self->fd, c.handle));
	close(fd2);
	EXPECT_EQ(free_before, sb_vmstat_drained(self->fd, "nr_free_pages"));
	EXPECT_TRUE(verify_ok(self->fd));
}

TEST_F(c, bad_requests_einval)
{
	long long start = sb_read_key(SB_DEBUGFS "/region", "start_pfn");
	long long end = sb_read_key(SB_DEBUGFS "/region", "end_pfn");
	struct sbuddy_contig c, good = { .mode = SBUDDY_CONTIG_RANGE,
					 .pfn = start + 5 };
	struct sbuddy_cma m = { .order = 11 };
	char before[4096], after[4096];
	long long free_before = sb_vmstat_drained(self->fd, "nr_free_pages");

	ASSERT_LT(0, start);
	block_counts(before, sizeof(before));
	c = good; c.pfn = start - 1;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	c = good; c.pfn = end - 1; c.order = 1;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	c = good; c.pfn = end;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	c = good; c.order = 11;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	c = good; c.mode = 2;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	c = good; c.nid = 1;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	c = good; c.pad = 1;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	c = good; c.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	c = good; c.mode = SBUDDY_CONTIG_SEARCH;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	c = good; c.mode = SBUDDY_CONTIG_SEARCH; c.pfn = 0; c.nid = 99;
	EXPECT_EQ(-EINVAL, contig(self->fd, &c));
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, &m));
	m.order = 0; m.align = 11;
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, &m));
	m.align = 0; m.reserved[0] = 1;
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, &m));
	/* loaded without cma=: there is no area */
	m.reserved[0] = 0;
	if (sb_read_key(SB_DEBUGFS "/cma", "count") == 0)
		EXPECT_EQ(-ENODEV, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, &m));
	block_counts(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_EQ(free_before, sb_vmstat_drained(self->fd, "nr_free_pages"));
	EXPECT_TRUE(all_intact(self->fd, self->h, self->crc));
	EXPECT_TRUE(verify_ok(self->fd));
}

/* ---- CMA: the module reloaded with an area of 48M in Normal (64M) ---- */

#define CMA_PAGES	(48 << 8)
#define NPIECE		((CMA_PAGES >> 10) + 1)

FIXTURE(cma) {
	int fd;
};

FIXTURE_SETUP(cma)
{
	if (sb_module_loaded())
		ASSERT_EQ(0, sb_unload());
	ASSERT_EQ(0, sb_load("cma=48M"));
	self->fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(CMA_PAGES, sb_read_key(SB_DEBUGFS "/cma", "count"));
}

FIXTURE_TEARDOWN(cma)
{
	close(self->fd);
	if (sb_module_loaded())
		EXPECT_EQ(0, sb_unload());
	EXPECT_EQ(0, sb_load(""));
}

/*
 * cma_alloc() 4 MiB pieces aligned to a pageblock until the area gives no
 * more: the handles and first pfns go to @got and @gpfn.  Return: how
 * many; *@ret is the errno that ended it.
 */
static int take_all(int fd, uint64_t *got, uint64_t *gpfn, int *ret)
{
	int n;

	/* one call more than the area can give */
	for (n = 0; n <= CMA_PAGES >> 10; n++) {
		struct sbuddy_cma m = { .order = 10, .align = 9 };

		*ret = sb_io(fd, SBUDDY_IOC_CMA_ALLOC, &m);
		if (*ret)
			return n;
		got[n] = m.handle;
		gpfn[n] = m.pfn;
	}
	*ret = 0;
	return n;
}

/* is @pfn in one of the @n pieces at @gpfn? */
static int in_pieces(uint64_t pfn, const uint64_t *gpfn, int n)
{
	int k;

	for (k = 0; k < n; k++)
		if (pfn >= gpfn[k] && pfn < gpfn[k] + 1024)
			return 1;
	return 0;
}

TEST_F(cma, alloc_migrates_movable_out_and_skips_a_pin)
{
	long long base = sb_read_key(SB_DEBUGFS "/cma", "base_pfn");
	uint64_t h[NH], u[NH], got[NPIECE], gpfn[NPIECE];
	struct sbuddy_handle_arg pin = { 0 };
	int i, k, n, in_cma = 0, was_cma[NH], ret = 0;
	uint64_t p, pinned_pfn;
	struct sbuddy_query q;
	uint32_t crc[NH];

	ASSERT_LT(0, base);
	/* CMA is more than half of Normal's free pages: movable goes there */
	for (i = 0; i < NH; i++) {
		h[i] = sb_alloc_one(self->fd, i % 3, SBUDDY_ALLOC_MOVABLE);
		ASSERT_NE(0, h[i]);
		crc[i] = fill(self->fd, h[i], 50 + i);
		was_cma[i] = query(self->fd, h[i]).pageblock_type == 4;
		in_cma += was_cma[i];
	}
	EXPECT_LT(NH / 2, in_cma);
	/* unmovable requests never use it */
	for (i = 0; i < NH; i++) {
		u[i] = sb_alloc_one(self->fd, 0, 0);
		ASSERT_NE(0, u[i]);
		EXPECT_NE(4, query(self->fd, u[i]).pageblock_type);
	}

	/* the whole area: every movable handle in it moves out intact */
	n = take_all(self->fd, got, gpfn, &ret);
	EXPECT_EQ(CMA_PAGES >> 10, n);
	EXPECT_EQ(-ENOMEM, ret);
	EXPECT_EQ(CMA_PAGES, sb_read_key(SB_DEBUGFS "/cma", "used"));
	for (k = 0; k < n; k++) {
		EXPECT_EQ(0, (gpfn[k] - base) & 511);
		EXPECT_LE(base, (long long)gpfn[k]);
		EXPECT_GE(base + CMA_PAGES, (long long)gpfn[k] + 1024);
	}
	for (i = 0; i < NH; i++) {
		EXPECT_EQ(crc[i], checksum(self->fd, h[i])) TH_LOG("handle %d", i);
		q = query(self->fd, h[i]);
		EXPECT_FALSE(in_pieces(q.pfn, gpfn, n));
		if (was_cma[i])
			EXPECT_LT(0, q.nr_migrated) TH_LOG("handle %d", i);
	}
	EXPECT_TRUE(verify_ok(self->fd));
	for (k = 0; k < n; k++)
		EXPECT_EQ(0, sb_free_one(self->fd, got[k]));
	EXPECT_EQ(0, sb_read_key(SB_DEBUGFS "/cma", "used"));

	/*
	 * A pinned movable page in the area stays, and so does its piece.
	 * Pinned in the first half of its 4 MiB, the pieces shift past it
	 * and leave two halves (-ENOMEM at the end); in the second half,
	 * its 4 MiB stays free and busy (-EBUSY).
	 */
	p = sb_alloc_one(self->fd, 0, SBUDDY_ALLOC_MOVABLE);
	ASSERT_NE(0, p);
	q = query(self->fd, p);
	ASSERT_EQ(4, q.pageblock_type);
	pinned_pfn = q.pfn;
	pin.handle = p;
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_PIN, &pin));
	n = take_all(self->fd, got, gpfn, &ret);
	EXPECT_EQ((CMA_PAGES >> 10) - 1, n);
	EXPECT_EQ((pinned_pfn - base) % 1024 < 512 ? -ENOMEM : -EBUSY, ret);
	EXPECT_EQ((long long)n * 1024, sb_read_key(SB_DEBUGFS "/cma", "used"));
	EXPECT_FALSE(in_pieces(pinned_pfn, gpfn, n));
	q = query(self->fd, p);
	EXPECT_EQ(pinned_pfn, q.pfn);
	EXPECT_EQ(0, q.nr_migrated);
	for (i = 0; i < NH; i++)
		EXPECT_EQ(crc[i], checksum(self->fd, h[i])) TH_LOG("handle %d", i);
	EXPECT_TRUE(verify_ok(self->fd));
	for (k = 0; k < n; k++)
		EXPECT_EQ(0, sb_free_one(self->fd, got[k]));
	EXPECT_EQ(0, sb_read_key(SB_DEBUGFS "/cma", "used"));
	EXPECT_TRUE(verify_ok(self->fd));
}

TEST_HARNESS_MAIN
