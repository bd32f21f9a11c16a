// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy ABI field walk: every field of every ioctl structure is walked
 * through out-of-range values and must give the errno the header
 * documents, with nothing changed: no block allocated, freed or pinned.
 * Output fields are ignored on input.  Unknown commands are -ENOTTY, bad
 * pointers -EFAULT (a read-only structure too, before anything is done),
 * huge counts are bounded, handles that are not the file's are -ENOENT.
 * At the end `verify` is ok and sbuddy's and the host's free counts are
 * back at their start; the unprivileged cannot open the device.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

/* possible CPUs: the end of /sys/devices/system/cpu/possible, plus one */
static int nr_possible_cpus(void)
{
	char buf[64] = "";
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	char *p;

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	p = strrchr(buf, '-');
	if (!p)
		p = strrchr(buf, ',');
	return atoi(p ? p + 1 : buf) + 1;
}

static uint32_t pins_of(int fd, uint64_t h)
{
	struct sbuddy_query q = { .handle = h };

	return sb_io(fd, SBUDDY_IOC_QUERY, &q) ? 0xdead : q.pins;
}

/* write @v into the @size-byte field at @off of @s */
static void put_field(void *s, size_t off, size_t size, uint64_t v)
{
	uint32_t v32 = v;

	if (size == 4)
		memcpy((char *)s + off, &v32, 4);
	else
		memcpy((char *)s + off, &v, 8);
}

/* one bad value of one field and the errno it must give */
struct bad {
	const char *field;
	size_t off, size;
	uint64_t val;
	int err;
};

#define FLD(type, m)	#m, offsetof(type, m), sizeof(((type *)0)->m)

/* every value that must be refused in a must-be-zero field */
#define ZERO_FIELD(type, m)						\
	{ FLD(type, m), 1, EINVAL },					\
	{ FLD(type, m), 1ULL << (8 * sizeof(((type *)0)->m) - 1), EINVAL }, \
	{ FLD(type, m), ~0ULL, EINVAL }

/*
 * The start of the run: what the machine had free before any test, for
 * the last test to compare with.
 */
static long long free_at_start, host_at_start;

static void __attribute__((constructor)) record_start(void)
{
	struct sbuddy_drain d = { .scope = SBUDDY_DRAIN_ALL };
	int fd = open(SB_DEV, O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		ioctl(fd, SBUDDY_IOC_DRAIN, &d);
		close(fd);
	}
	free_at_start = sb_free_pages();
	host_at_start = sb_host_free_kb();
}

FIXTURE(f) {
	int fd;
	long long free0;
	uint64_t h;		/* an order-1 movable block of this file */
	void *ro;		/* a read-only page */
	void *none;		/* an inaccessible page */
};

FIXTURE_SETUP(f)
{
	self->fd = open(SB_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->h = sb_alloc_one(self->fd, 1, SBUDDY_ALLOC_MOVABLE);
	ASSERT_NE(0, self->h);
	self->free0 = sb_free_pages();
	self->ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->ro != MAP_FAILED);
	self->none = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(self->none != MAP_FAILED);
}

FIXTURE_TEARDOWN(f)
{
	munmap(self->ro, 4096);
	munmap(self->none, 4096);
	close(self->fd);
}

/* the pointers no command may accept */
static void walk_pointers(struct __test_metadata *_metadata, int fd,
			  unsigned long cmd, void *ro, void *none, int writes)
{
	void *bad[] = {
		NULL, (void *)8, none,
		/* the kernel's direct map on x86-64; a 32-bit caller's top */
		(void *)(uintptr_t)(sizeof(void *) == 8 ? 0xffff888000000000ULL :
					0xfffff000UL),
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EFAULT, sb_io(fd, cmd, bad[i])) TH_LOG("cmd %#lx ptr %p", cmd, bad[i]);
	}
	/* a zeroed read-only structure: refused before anything is done */
	if (writes) {
		EXPECT_EQ(-EFAULT, sb_io(fd, cmd, ro)) TH_LOG("cmd %#lx read-only", cmd);
	}
}

TEST_F(f, get_api)
{
	struct sbuddy_api api;

	walk_pointers(_metadata, self->fd, SBUDDY_IOC_GET_API, self->ro, self->none, 1);
	/* output only: whatever the buffer held is overwritten */
	memset(&api, 0xff, sizeof(api));
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_GET_API, &api));
	EXPECT_EQ(SBUDDY_API_VERSION, api.api_version);
	EXPECT_EQ(0, api.pad);
	EXPECT_EQ(0, api.reserved[0] | api.reserved[1] | api.reserved[2] | api.reserved[3]);
}

TEST_F(f, unknown_commands_enotty)
{
	static const unsigned int sizes[] = {
		0, 4, 8, sizeof(struct sbuddy_api), sizeof(struct sbuddy_alloc),
		sizeof(struct sbuddy_free), sizeof(struct sbuddy_handle_arg),
		sizeof(struct sbuddy_query), sizeof(struct sbuddy_fill),
		sizeof(struct sbuddy_drain), sizeof(struct sbuddy_verify),
		sizeof(struct sbuddy_contig), sizeof(struct sbuddy_cma),
		sizeof(struct sbuddy_free_held),
		sizeof(struct sbuddy_workload_start),
		sizeof(struct sbuddy_workload_result),
	};
	static const unsigned long known[] = {
		SBUDDY_IOC_GET_API, SBUDDY_IOC_ALLOC, SBUDDY_IOC_FREE, SBUDDY_IOC_PIN,
		SBUDDY_IOC_UNPIN, SBUDDY_IOC_QUERY, SBUDDY_IOC_FILL, SBUDDY_IOC_CHECKSUM,
		SBUDDY_IOC_DRAIN, SBUDDY_IOC_VERIFY, SBUDDY_IOC_ALLOC_CONTIG,
		SBUDDY_IOC_CMA_ALLOC, SBUDDY_IOC_FREE_HELD, SBUDDY_IOC_WORKLOAD_START,
		SBUDDY_IOC_WORKLOAD_WAIT, SBUDDY_IOC_WORKLOAD_STOP,
	};
	static char buf[4096];
	int checked = 0;

	/* every number, direction and size but the known ones */
	for (unsigned int nr = 0; nr < 256; nr++) {
		for (unsigned int dir = 0; dir < 4; dir++) {
			for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				unsigned long cmd = _IOC(dir, SBUDDY_IOC_MAGIC, nr,
							 dir ? sizes[s] : 0);
				int is_known = 0;

				if (!dir && s)
					continue;
				for (unsigned int k = 0; k < sizeof(known) / sizeof(known[0]); k++)
					is_known |= cmd == known[k];
				if (is_known)
					continue;
				memset(buf, 0, sizeof(buf));
				EXPECT_EQ(-ENOTTY, sb_io(self->fd, cmd, buf)) TH_LOG("cmd %#lx", cmd);
				checked++;
			}
		}
	}
	/* the known numbers under another magic */
	for (unsigned int k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		unsigned long cmd = (known[k] & ~(0xffUL << _IOC_TYPESHIFT)) |
				    ('s' << _IOC_TYPESHIFT);

		EXPECT_EQ(-ENOTTY, sb_io(self->fd, cmd, buf)) TH_LOG("cmd %#lx", cmd);
	}
	EXPECT_LT(8000, checked);
	EXPECT_EQ(self->free0, sb_free_pages());
}

/* ALLOC: a good request is one order-0 unmovable block into @h */
static struct sbuddy_alloc good_alloc(uint64_t *h)
{
	return (struct sbuddy_alloc){ .order = 0, .count = 1, .handles = (uintptr_t)h };
}

TEST_F(f, alloc_fields)
{
	int nodes = sb_nr_nodes();
	const struct bad bad[] = {
		{ FLD(struct sbuddy_alloc, order), SBUDDY_MAX_ORDER + 1, EINVAL },
		{ FLD(struct sbuddy_alloc, order), 31, EINVAL },
		{ FLD(struct sbuddy_alloc, order), 1U << 31, EINVAL },
		{ FLD(struct sbuddy_alloc, order), ~0U, EINVAL },
		{ FLD(struct sbuddy_alloc, count), 0, EINVAL },
		{ FLD(struct sbuddy_alloc, count), SBUDDY_BATCH_MAX + 1, E2BIG },
		{ FLD(struct sbuddy_alloc, count), 1U << 31, E2BIG },
		{ FLD(struct sbuddy_alloc, count), ~0U, E2BIG },
		{ FLD(struct sbuddy_alloc, handles), 0, EFAULT },
		{ FLD(struct sbuddy_alloc, handles), 8, EFAULT },
		{ FLD(struct sbuddy_alloc, handles), ~0ULL, EFAULT },
		{ FLD(struct sbuddy_alloc, handles), 0xffff888000000000ULL, EFAULT },
		{ FLD(struct sbuddy_alloc, policy), SBUDDY_MPOL_INTERLEAVE + 1, EINVAL },
		{ FLD(struct sbuddy_alloc, policy), ~0U, EINVAL },
		/* the default policy takes no node and no nodemask */
		{ FLD(struct sbuddy_alloc, nid), 1, EINVAL },
		{ FLD(struct sbuddy_alloc, nid), ~0U, EINVAL },
		{ FLD(struct sbuddy_alloc, nodemask), 1, EINVAL },
		{ FLD(struct sbuddy_alloc, nodemask), 1ULL << 63, EINVAL },
		ZERO_FIELD(struct sbuddy_alloc, pad),
		ZERO_FIELD(struct sbuddy_alloc, reserved[0]),
		ZERO_FIELD(struct sbuddy_alloc, reserved[1]),
	};
	uint64_t h[2] = { 0, 0 };
	struct sbuddy_alloc a;

	ASSERT_LT(0, nodes);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = good_alloc(h);
		put_field(&a, bad[i].off, bad[i].size, bad[i].val);
		EXPECT_EQ(-bad[i].err, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a))
			TH_LOG("%s = %#llx", bad[i].field, (unsigned long long)bad[i].val);
		EXPECT_EQ(0, h[0]) TH_LOG("%s: a handle was written", bad[i].field);
		EXPECT_EQ(self->free0, sb_free_pages()) TH_LOG("%s", bad[i].field);
	}

	/* every unknown flag bit, and every contradictory pair */
	for (int bit = 0; bit < 32; bit++) {
		a = good_alloc(h);
		a.flags = 1U << bit;
		if (a.flags & SBUDDY_ALLOC_ALL) {
			/* a known bit alone is a good request */
			EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a)) TH_LOG("bit %d", bit);
			EXPECT_EQ(0, sb_free_one(self->fd, h[0]));
			h[0] = 0;
			continue;
		}
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a)) TH_LOG("bit %d", bit);
	}
	{
		static const uint32_t pairs[][2] = {
			{ SBUDDY_ALLOC_MOVABLE, SBUDDY_ALLOC_RECLAIMABLE },
			{ SBUDDY_ALLOC_ATOMIC, SBUDDY_ALLOC_NOWAIT },
			{ SBUDDY_ALLOC_NOFAIL, SBUDDY_ALLOC_NORETRY },
			{ SBUDDY_ALLOC_DMA, SBUDDY_ALLOC_DMA32 },
			{ SBUDDY_ALLOC_DMA, SBUDDY_ALLOC_HIGHMEM },
			{ SBUDDY_ALLOC_DMA32, SBUDDY_ALLOC_HIGHMEM },
		};

		for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
			a = good_alloc(h);
			a.flags = pairs[i][0] | pairs[i][1];
			EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a))
				TH_LOG("flags %#x", a.flags);
		}
	}

	/* the policies: a node that is not there, fields they do not use */
	a = good_alloc(h);
	a.policy = SBUDDY_MPOL_PREFERRED;
	for (uint32_t nid = nodes; nid < 70; nid++) {
		a.nid = nid;
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a)) TH_LOG("nid %u", nid);
	}
	a.nid = ~0U;
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a));
	a.nid = 0;
	a.nodemask = 1;
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a)) TH_LOG("preferred + nodemask");
	for (uint32_t pol = SBUDDY_MPOL_BIND; pol <= SBUDDY_MPOL_INTERLEAVE; pol++) {
		a = good_alloc(h);
		a.policy = pol;
		a.nodemask = 0;
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a)) TH_LOG("empty nodemask");
		for (int bit = nodes; bit < 64; bit++) {
			a.nodemask = 1ULL << bit;
			EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a))
				TH_LOG("policy %u nodemask bit %d", pol, bit);
			/* a node that is there does not excuse one that is not */
			a.nodemask |= 1;
			EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a))
				TH_LOG("policy %u nodemask 1 | bit %d", pol, bit);
		}
		a.nodemask = 1;
		a.nid = 1;
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a)) TH_LOG("bind + nid");
	}
	EXPECT_EQ(0, h[0]);
	EXPECT_EQ(self->free0, sb_free_pages());

	/* output fields are ignored on input */
	a = good_alloc(h);
	a.done = ~0U;
	a.error = ~0U;
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a));
	EXPECT_EQ(1, a.done);
	EXPECT_EQ(0, a.error);
	EXPECT_EQ(0, sb_free_one(self->fd, h[0]));
	EXPECT_EQ(self->free0, sb_free_pages());
}

TEST_F(f, alloc_pointers_and_partial_handles)
{
	char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct sbuddy_alloc *ro = self->ro;
	struct sbuddy_alloc a;
	uint64_t *h;

	walk_pointers(_metadata, self->fd, SBUDDY_IOC_ALLOC, self->ro, self->none, 1);
	ASSERT_TRUE(two != MAP_FAILED);
	/* a read-only structure that would be a good request: nothing done */
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ | PROT_WRITE));
	*ro = good_alloc((uint64_t *)two);
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_ALLOC, self->ro));
	EXPECT_EQ(0, *(uint64_t *)two);
	EXPECT_EQ(self->free0, sb_free_pages());

	/* a read-only handle array: the block is given back */
	a = good_alloc(self->ro);
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a));
	EXPECT_EQ(0, a.done);
	EXPECT_EQ(EFAULT, a.error);
	EXPECT_EQ(self->free0, sb_free_pages());

	/* a handle array that ends after 512 entries: exactly 512 made */
	ASSERT_EQ(0, munmap(two + 4096, 4096));
	a = good_alloc((uint64_t *)two);
	a.count = 600;
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a));
	EXPECT_EQ(512, a.done);
	EXPECT_EQ(EFAULT, a.error);
	EXPECT_EQ(self->free0 - 512, sb_free_pages());
	h = (uint64_t *)two;
	for (int i = 0; i < 512; i++) {
		EXPECT_NE(0, h[i]);
	}

	/* FREE stops at the same edge, after freeing what it could read */
	{
		struct sbuddy_free fr = { .handles = (uintptr_t)two, .count = 600 };

		EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_FREE, &fr));
		EXPECT_EQ(512, fr.done);
		EXPECT_EQ(EFAULT, fr.error);
	}
	EXPECT_EQ(self->free0, sb_free_pages());
	munmap(two, 4096);
}

TEST_F(f, huge_counts_are_bounded)
{
	static uint64_t h[SBUDDY_BATCH_MAX];
	struct sbuddy_alloc a = {
		.order = SBUDDY_MAX_ORDER, .count = SBUDDY_BATCH_MAX,
		.handles = (uintptr_t)h, .flags = SBUDDY_ALLOC_NOWARN,
	};
	struct sbuddy_free fr = { .handles = (uintptr_t)h, .count = SBUDDY_BATCH_MAX };
	long long region_kb = sb_read_key(SB_DEBUGFS "/region", "size_kib");
	long long host0 = sb_host_free_kb();

	/* far more than the machine has: it stops at the first failure */
	EXPECT_EQ(-ENOMEM, sb_io(self->fd, SBUDDY_IOC_ALLOC, &a));
	EXPECT_EQ(ENOMEM, a.error);
	EXPECT_LT(0, a.done);
	EXPECT_GT(SBUDDY_BATCH_MAX, a.done);
	EXPECT_EQ(self->free0 - 1024LL * a.done, sb_free_pages());
	EXPECT_EQ(0, h[a.done]);
	/* a whole batch of handles to free, most of them nobody's */
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_FREE, &fr));
	EXPECT_EQ(a.done, fr.done);
	EXPECT_EQ(ENOENT, fr.error);
	EXPECT_EQ(self->free0, sb_free_pages());
	/* the host did not pay for the attempt (2% of the region: drift) */
	ASSERT_LT(0, region_kb);
	EXPECT_LE(llabs(host0 - sb_host_free_kb()) * 50, region_kb);
}

TEST_F(f, free_fields)
{
	const struct bad bad[] = {
		{ FLD(struct sbuddy_free, count), 0, EINVAL },
		{ FLD(struct sbuddy_free, count), SBUDDY_BATCH_MAX + 1, E2BIG },
		{ FLD(struct sbuddy_free, count), ~0U, E2BIG },
		{ FLD(struct sbuddy_free, handles), 0, EFAULT },
		{ FLD(struct sbuddy_free, handles), 8, EFAULT },
		{ FLD(struct sbuddy_free, handles), ~0ULL, EFAULT },
		{ FLD(struct sbuddy_free, handles), 0xffff888000000000ULL, EFAULT },
		ZERO_FIELD(struct sbuddy_free, pad),
		ZERO_FIELD(struct sbuddy_free, reserved[0]),
		ZERO_FIELD(struct sbuddy_free, reserved[1]),
	};
	uint64_t h = self->h;
	struct sbuddy_free fr;

	walk_pointers(_metadata, self->fd, SBUDDY_IOC_FREE, self->ro, self->none, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fr = (struct sbuddy_free){ .handles = (uintptr_t)&h, .count = 1 };
		put_field(&fr, bad[i].off, bad[i].size, bad[i].val);
		EXPECT_EQ(-bad[i].err, sb_io(self->fd, SBUDDY_IOC_FREE, &fr))
			TH_LOG("%s = %#llx", bad[i].field, (unsigned long long)bad[i].val);
		EXPECT_EQ(self->free0, sb_free_pages()) TH_LOG("%s", bad[i].field);
	}
	/* a read-only structure naming a good handle: not freed */
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ | PROT_WRITE));
	*(struct sbuddy_free *)self->ro = (struct sbuddy_free){ .handles = (uintptr_t)&h, .count = 1 };
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_FREE, self->ro));
	EXPECT_EQ(0, pins_of(self->fd, h));
	/* output fields are ignored on input */
	fr = (struct sbuddy_free){ .handles = (uintptr_t)&h, .count = 1, .done = ~0U, .error = ~0U };
	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_FREE, &fr));
	EXPECT_EQ(1, fr.done);
	EXPECT_EQ(0, fr.error);
}

/* handles that are not this file's block */
static void bad_handles(int fd, int other, uint64_t mine, uint64_t *out, int *n)
{
	uint64_t theirs = sb_alloc_one(other, 0, 0);
	uint64_t gone = sb_alloc_one(fd, 0, 0);

	sb_free_one(fd, gone);
	*n = 0;
	out[(*n)++] = 0;
	out[(*n)++] = gone;
	out[(*n)++] = theirs;
	out[(*n)++] = mine + (1ULL << 32);	/* the same low 32 bits */
	out[(*n)++] = mine | (1ULL << 63);
	out[(*n)++] = 1U << 31;
	out[(*n)++] = ~0U;
	out[(*n)++] = ~0ULL;
}

TEST_F(f, handle_commands_fields)
{
	const struct bad hbad[] = {
		ZERO_FIELD(struct sbuddy_handle_arg, pad),
		ZERO_FIELD(struct sbuddy_handle_arg, reserved[0]),
		ZERO_FIELD(struct sbuddy_handle_arg, reserved[1]),
	};
	const struct bad qbad[] = {
		ZERO_FIELD(struct sbuddy_query, reserved[0]),
		ZERO_FIELD(struct sbuddy_query, reserved[1]),
	};
	const struct bad fbad[] = {
		ZERO_FIELD(struct sbuddy_fill, pad),
		ZERO_FIELD(struct sbuddy_fill, reserved[0]),
		ZERO_FIELD(struct sbuddy_fill, reserved[1]),
	};
	int other = open(SB_DEV, O_RDWR | O_CLOEXEC);
	struct sbuddy_fill c0 = { .handle = self->h }, fl;
	struct sbuddy_handle_arg ha;
	struct sbuddy_query q;
	uint64_t nots[16];
	int n;

	ASSERT_LE(0, other);
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &c0));
	for (size_t i = 0; i < sizeof(hbad) / sizeof(hbad[0]); i++) {
		ha = (struct sbuddy_handle_arg){ .handle = self->h };
		put_field(&ha, hbad[i].off, hbad[i].size, hbad[i].val);
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_PIN, &ha)) TH_LOG("%s", hbad[i].field);
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_UNPIN, &ha)) TH_LOG("%s", hbad[i].field);
	}
	for (size_t i = 0; i < sizeof(qbad) / sizeof(qbad[0]); i++) {
		q = (struct sbuddy_query){ .handle = self->h };
		put_field(&q, qbad[i].off, qbad[i].size, qbad[i].val);
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_QUERY, &q)) TH_LOG("%s", qbad[i].field);
	}
	for (size_t i = 0; i < sizeof(fbad) / sizeof(fbad[0]); i++) {
		fl = (struct sbuddy_fill){ .handle = self->h, .seed = 5 };
		put_field(&fl, fbad[i].off, fbad[i].size, fbad[i].val);
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_FILL, &fl)) TH_LOG("%s", fbad[i].field);
		fl.seed = 0;
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &fl)) TH_LOG("%s", fbad[i].field);
	}
	/* CHECKSUM takes no seed */
	for (int bit = 0; bit < 64; bit += 7) {
		fl = (struct sbuddy_fill){ .handle = self->h, .seed = 1ULL << bit };
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &fl)) TH_LOG("seed bit %d", bit);
	}
	/* nothing was pinned or written by any of them */
	EXPECT_EQ(0, pins_of(self->fd, self->h));
	fl = (struct sbuddy_fill){ .handle = self->h };
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &fl));
	EXPECT_EQ(c0.crc32, fl.crc32);

	/* handles that are not this file's: -ENOENT for every command */
	bad_handles(self->fd, other, self->h, nots, &n);
	for (int i = 0; i < n; i++) {
		ha = (struct sbuddy_handle_arg){ .handle = nots[i] };
		EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_PIN, &ha)) TH_LOG("%#llx", (unsigned long long)nots[i]);
		EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_UNPIN, &ha)) TH_LOG("%#llx", (unsigned long long)nots[i]);
		q = (struct sbuddy_query){ .handle = nots[i] };
		EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_QUERY, &q)) TH_LOG("%#llx", (unsigned long long)nots[i]);
		fl = (struct sbuddy_fill){ .handle = nots[i], .seed = 1 };
		EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_FILL, &fl)) TH_LOG("%#llx", (unsigned long long)nots[i]);
		fl.seed = 0;
		EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &fl)) TH_LOG("%#llx", (unsigned long long)nots[i]);
		EXPECT_EQ(-ENOENT, sb_free_one(self->fd, nots[i])) TH_LOG("%#llx", (unsigned long long)nots[i]);
		/* nor a window of the file's offset space */
		if (nots[i] < (1ULL << (63 - SBUDDY_MMAP_SHIFT))) {
			void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd,
				       SBUDDY_MMAP_OFFSET(nots[i]));

			EXPECT_TRUE(p == MAP_FAILED) TH_LOG("mmap %#llx", (unsigned long long)nots[i]);
			if (p != MAP_FAILED)
				munmap(p, 4096);
		}
	}
	EXPECT_EQ(0, pins_of(self->fd, self->h));
	EXPECT_EQ(0, pins_of(other, nots[2]));
	close(other);

	/* output fields are ignored on input */
	ha = (struct sbuddy_handle_arg){ .handle = self->h, .pins = ~0U };
	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_PIN, &ha));
	EXPECT_EQ(1, ha.pins);
	ha.pins = ~0U;
	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_UNPIN, &ha));
	EXPECT_EQ(0, ha.pins);
	/* UNPIN of a block without pins */
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_UNPIN, &ha));
	memset(&q, 0xff, sizeof(q));
	memset(q.reserved, 0, sizeof(q.reserved));
	q.handle = self->h;
	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_QUERY, &q));
	EXPECT_EQ(1, q.order);
	EXPECT_EQ(0, q.pins);
	EXPECT_EQ(SBUDDY_STATE_LIVE, q.state);
	fl = (struct sbuddy_fill){ .handle = self->h, .crc32 = ~0U };
	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &fl));
	EXPECT_EQ(c0.crc32, fl.crc32);
}

TEST_F(f, handle_commands_pointers)
{
	static const unsigned long cmds[] = {
		SBUDDY_IOC_PIN, SBUDDY_IOC_UNPIN, SBUDDY_IOC_QUERY, SBUDDY_IOC_FILL,
		SBUDDY_IOC_CHECKSUM,
	};
	struct sbuddy_fill c0 = { .handle = self->h }, c1 = { .handle = self->h };

	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &c0));
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		walk_pointers(_metadata, self->fd, cmds[i], self->ro, self->none, 1);
	/* read-only structures naming a good handle: nothing done */
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ | PROT_WRITE));
	*(struct sbuddy_handle_arg *)self->ro = (struct sbuddy_handle_arg){ .handle = self->h };
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_PIN, self->ro));
	EXPECT_EQ(0, pins_of(self->fd, self->h)) TH_LOG("a failed PIN left a pin");
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ | PROT_WRITE));
	*(struct sbuddy_fill *)self->ro = (struct sbuddy_fill){ .handle = self->h, .seed = 99 };
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_FILL, self->ro));
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &c1));
	EXPECT_EQ(c0.crc32, c1.crc32) TH_LOG("a failed FILL wrote the block");
}

/* the order and pages of the file's block @h (0xdead: no answer) */
static uint32_t order_of(int fd, uint64_t h)
{
	struct sbuddy_query q = { .handle = h };

	return sb_io(fd, SBUDDY_IOC_QUERY, &q) ? 0xdead : q.order;
}

/* FREE_HELD: refusals change nothing; output fields are ignored */
TEST_F(f, free_held_fields)
{
	const struct bad bad[] = {
		ZERO_FIELD(struct sbuddy_free_held, reserved[0]),
		ZERO_FIELD(struct sbuddy_free_held, reserved[1]),
	};
	int other = open(SB_DEV, O_RDWR | O_CLOEXEC);
	struct sbuddy_free_held fh;
	uint64_t nots[16];
	int n;

	ASSERT_LE(0, other);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fh = (struct sbuddy_free_held){ .handle = self->h };
		put_field(&fh, bad[i].off, bad[i].size, bad[i].val);
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_FREE_HELD, &fh)) TH_LOG("%s", bad[i].field);
	}
	bad_handles(self->fd, other, self->h, nots, &n);
	for (int i = 0; i < n; i++) {
		fh = (struct sbuddy_free_held){ .handle = nots[i] };
		EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_FREE_HELD, &fh))
			TH_LOG("%#llx", (unsigned long long)nots[i]);
	}
	close(other);
	walk_pointers(_metadata, self->fd, SBUDDY_IOC_FREE_HELD, self->ro, self->none, 1);
	/* a read-only structure naming a good handle: nothing done */
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ | PROT_WRITE));
	*(struct sbuddy_free_held *)self->ro = (struct sbuddy_free_held){ .handle = self->h };
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_FREE_HELD, self->ro));
	EXPECT_EQ(1, order_of(self->fd, self->h));
	EXPECT_EQ(self->free0, sb_free_pages());

	/* output fields are ignored: the order-1 block gives its tail page */
	fh = (struct sbuddy_free_held){ .handle = self->h, .order = ~0U, .nr_freed = ~0U };
	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_FREE_HELD, &fh));
	EXPECT_EQ(0, fh.order);
	EXPECT_EQ(1, fh.nr_freed);
	EXPECT_EQ(0, fh.reserved[0] | fh.reserved[1]);
	EXPECT_EQ(0, order_of(self->fd, self->h));
	EXPECT_EQ(self->free0 + 1, sb_free_pages());
}

TEST_F(f, drain_fields)
{
	int cpus = nr_possible_cpus();
	const struct bad bad[] = {
		{ FLD(struct sbuddy_drain, scope), SBUDDY_DRAIN_CPU + 1, EINVAL },
		{ FLD(struct sbuddy_drain, scope), 1U << 31, EINVAL },
		{ FLD(struct sbuddy_drain, scope), ~0U, EINVAL },
		/* SBUDDY_DRAIN_ALL takes no cpu */
		{ FLD(struct sbuddy_drain, cpu), 1, EINVAL },
		{ FLD(struct sbuddy_drain, cpu), ~0U, EINVAL },
		ZERO_FIELD(struct sbuddy_drain, reserved[0]),
		ZERO_FIELD(struct sbuddy_drain, reserved[1]),
	};
	struct sbuddy_drain d;

	ASSERT_LT(0, cpus);
	walk_pointers(_metadata, self->fd, SBUDDY_IOC_DRAIN, self->ro, self->none, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = (struct sbuddy_drain){ .scope = SBUDDY_DRAIN_ALL };
		put_field(&d, bad[i].off, bad[i].size, bad[i].val);
		EXPECT_EQ(-bad[i].err, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d))
			TH_LOG("%s = %#llx", bad[i].field, (unsigned long long)bad[i].val);
	}
	d = (struct sbuddy_drain){ .scope = SBUDDY_DRAIN_LOCAL, .cpu = 1 };
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d));
	d.scope = SBUDDY_DRAIN_CPU;
	for (int cpu = 0; cpu < cpus; cpu++) {
		d.cpu = cpu;
		EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d)) TH_LOG("cpu %d", cpu);
	}
	for (uint32_t cpu = cpus; cpu < (uint32_t)cpus + 64; cpu++) {
		d.cpu = cpu;
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d)) TH_LOG("cpu %u", cpu);
	}
	d.cpu = ~0U;
	EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_DRAIN, &d));
}

TEST_F(f, verify_fields)
{
	struct sbuddy_verify v;

	walk_pointers(_metadata, self->fd, SBUDDY_IOC_VERIFY, self->ro, self->none, 1);
	/* output only */
	memset(&v, 0xff, sizeof(v));
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_VERIFY, &v));
	EXPECT_EQ(0, v.status);
	EXPECT_EQ(0, v.pad);
	EXPECT_EQ(0, v.reserved[0] | v.reserved[1]);
	EXPECT_STREQ("ok", v.message);
}

/* CONTIG: a good request is an order-0 search of node 0 */
static struct sbuddy_contig good_contig(void)
{
	return (struct sbuddy_contig){ .mode = SBUDDY_CONTIG_SEARCH, .order = 0 };
}

TEST_F(f, contig_fields)
{
	long long start = sb_read_key(SB_DEBUGFS "/region", "start_pfn");
	long long end = sb_read_key(SB_DEBUGFS "/region", "end_pfn");
	int nodes = sb_nr_nodes();
	const struct bad sbad[] = {
		{ FLD(struct sbuddy_contig, mode), SBUDDY_CONTIG_SEARCH + 1, EINVAL },
		{ FLD(struct sbuddy_contig, mode), 1U << 31, EINVAL },
		{ FLD(struct sbuddy_contig, mode), ~0U, EINVAL },
		{ FLD(struct sbuddy_contig, order), SBUDDY_MAX_ORDER + 1, EINVAL },
		{ FLD(struct sbuddy_contig, order), 31, EINVAL },
		{ FLD(struct sbuddy_contig, order), 1U << 31, EINVAL },
		{ FLD(struct sbuddy_contig, order), ~0U, EINVAL },
		/* a search takes no pfn, and a node that is there */
		{ FLD(struct sbuddy_contig, pfn), 1, EINVAL },
		{ FLD(struct sbuddy_contig, pfn), start, EINVAL },
		{ FLD(struct sbuddy_contig, pfn), ~0ULL, EINVAL },
		{ FLD(struct sbuddy_contig, nid), nodes, EINVAL },
		{ FLD(struct sbuddy_contig, nid), 64, EINVAL },
		{ FLD(struct sbuddy_contig, nid), 1U << 31, EINVAL },
		{ FLD(struct sbuddy_contig, nid), ~0U, EINVAL },
		ZERO_FIELD(struct sbuddy_contig, pad),
		ZERO_FIELD(struct sbuddy_contig, reserved[0]),
		ZERO_FIELD(struct sbuddy_contig, reserved[1]),
	};
	/* a range: inside the region, whole, and no node */
	const struct bad rbad[] = {
		{ FLD(struct sbuddy_contig, pfn), 0, EINVAL },
		{ FLD(struct sbuddy_contig, pfn), start - 1, EINVAL },
		{ FLD(struct sbuddy_contig, pfn), end, EINVAL },
		{ FLD(struct sbuddy_contig, pfn), end + 1024, EINVAL },
		{ FLD(struct sbuddy_contig, pfn), ~0ULL, EINVAL },
		{ FLD(struct sbuddy_contig, pfn), ~0ULL - 1023, EINVAL },
		{ FLD(struct sbuddy_contig, nid), 1, EINVAL },
		{ FLD(struct sbuddy_contig, nid), ~0U, EINVAL },
		{ FLD(struct sbuddy_contig, order), SBUDDY_MAX_ORDER + 1, EINVAL },
		ZERO_FIELD(struct sbuddy_contig, pad),
		ZERO_FIELD(struct sbuddy_contig, reserved[0]),
		ZERO_FIELD(struct sbuddy_contig, reserved[1]),
	};
	struct sbuddy_handle_arg ha = { .handle = self->h };
	struct sbuddy_contig c;
	struct sbuddy_query q;

	ASSERT_LT(0, start);
	ASSERT_LT(start, end);
	ASSERT_LT(0, nodes);
	for (size_t i = 0; i < sizeof(sbad) / sizeof(sbad[0]); i++) {
		c = good_contig();
		put_field(&c, sbad[i].off, sbad[i].size, sbad[i].val);
		EXPECT_EQ(-sbad[i].err, sb_io(self->fd, SBUDDY_IOC_ALLOC_CONTIG, &c))
			TH_LOG("search: %s = %#llx", sbad[i].field,
			       (unsigned long long)sbad[i].val);
		EXPECT_EQ(0, c.handle) TH_LOG("%s: a handle was written", sbad[i].field);
		EXPECT_EQ(self->free0, sb_free_pages()) TH_LOG("%s", sbad[i].field);
	}
	for (size_t i = 0; i < sizeof(rbad) / sizeof(rbad[0]); i++) {
		c = (struct sbuddy_contig){ .mode = SBUDDY_CONTIG_RANGE, .pfn = start };
		put_field(&c, rbad[i].off, rbad[i].size, rbad[i].val);
		EXPECT_EQ(-rbad[i].err, sb_io(self->fd, SBUDDY_IOC_ALLOC_CONTIG, &c))
			TH_LOG("range: %s = %#llx", rbad[i].field,
			       (unsigned long long)rbad[i].val);
		EXPECT_EQ(0, c.handle) TH_LOG("%s: a handle was written", rbad[i].field);
		EXPECT_EQ(self->free0, sb_free_pages()) TH_LOG("%s", rbad[i].field);
	}
	/* a range that runs past the region's end, at every order */
	for (uint32_t order = 1; order <= SBUDDY_MAX_ORDER; order++) {
		c = (struct sbuddy_contig){ .mode = SBUDDY_CONTIG_RANGE,
					    .order = order,
					    .pfn = end - (1ULL << order) + 1 };
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_ALLOC_CONTIG, &c))
			TH_LOG("range of order %u past the end", order);
	}
	EXPECT_EQ(self->free0, sb_free_pages());

	/* a range of a pinned block: -EBUSY naming its page, nothing changed */
	q = (struct sbuddy_query){ .handle = self->h };
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_QUERY, &q));
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_PIN, &ha));
	c = (struct sbuddy_contig){ .mode = SBUDDY_CONTIG_RANGE, .order = 1,
				    .pfn = q.pfn, .failed_pfn = 1, .handle = ~0ULL };
	EXPECT_EQ(-EBUSY, sb_io(self->fd, SBUDDY_IOC_ALLOC_CONTIG, &c));
	EXPECT_EQ(q.pfn, c.failed_pfn);
	EXPECT_EQ(0, c.handle);
	EXPECT_EQ(self->free0, sb_free_pages());
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_UNPIN, &ha));

	/* output fields are ignored on input; the block is where it says */
	c = good_contig();
	c.handle = ~0ULL;
	c.failed_pfn = ~0ULL;
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_ALLOC_CONTIG, &c));
	EXPECT_NE(0, c.handle);
	EXPECT_NE(~0ULL, c.handle);
	EXPECT_EQ(0, c.failed_pfn);
	EXPECT_LE(start, (long long)c.pfn);
	EXPECT_GT(end, (long long)c.pfn);
	q = (struct sbuddy_query){ .handle = c.handle };
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_QUERY, &q));
	EXPECT_EQ(c.pfn, q.pfn);
	EXPECT_EQ(0, q.order);
	EXPECT_EQ(0, sb_free_one(self->fd, c.handle));
	EXPECT_EQ(self->free0, sb_free_pages());
}

TEST_F(f, contig_pointers_and_privilege)
{
	long long start = sb_read_key(SB_DEBUGFS "/region", "start_pfn");
	struct sbuddy_contig *ro = self->ro;
	int status;
	pid_t pid;

	ASSERT_LT(0, start);
	walk_pointers(_metadata, self->fd, SBUDDY_IOC_ALLOC_CONTIG, self->ro, self->none, 1);
	/* a read-only structure that would be a good request: nothing done */
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ | PROT_WRITE));
	*ro = good_contig();
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_ALLOC_CONTIG, self->ro));
	EXPECT_EQ(self->free0, sb_free_pages());

	/* a range without CAP_SYS_ADMIN, through an inherited descriptor */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct sbuddy_contig c = { .mode = SBUDDY_CONTIG_RANGE, .pfn = start };

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		_exit(sb_io(self->fd, SBUDDY_IOC_ALLOC_CONTIG, &c) == -EPERM && !c.handle ?
		      0 : 3);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(self->free0, sb_free_pages());
}

TEST_F(f, cma_fields)
{
	/* the area of the module parameter cma=, if any */
	long long area = sb_read_key(SB_DEBUGFS "/cma", "count");
	const struct bad bad[] = {
		{ FLD(struct sbuddy_cma, order), SBUDDY_MAX_ORDER + 1, EINVAL },
		{ FLD(struct sbuddy_cma, order), 31, EINVAL },
		{ FLD(struct sbuddy_cma, order), 1U << 31, EINVAL },
		{ FLD(struct sbuddy_cma, order), ~0U, EINVAL },
		{ FLD(struct sbuddy_cma, align), SBUDDY_MAX_ORDER + 1, EINVAL },
		{ FLD(struct sbuddy_cma, align), 31, EINVAL },
		{ FLD(struct sbuddy_cma, align), 1U << 31, EINVAL },
		{ FLD(struct sbuddy_cma, align), ~0U, EINVAL },
		ZERO_FIELD(struct sbuddy_cma, reserved[0]),
		ZERO_FIELD(struct sbuddy_cma, reserved[1]),
	};
	struct sbuddy_cma m, *ro = self->ro;

	ASSERT_LE(0, area);
	walk_pointers(_metadata, self->fd, SBUDDY_IOC_CMA_ALLOC, self->ro, self->none, 1);
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ | PROT_WRITE));
	*ro = (struct sbuddy_cma){ .order = 0 };
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, self->ro));
	EXPECT_EQ(self->free0, sb_free_pages());

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = (struct sbuddy_cma){ .order = 0 };
		put_field(&m, bad[i].off, bad[i].size, bad[i].val);
		EXPECT_EQ(-bad[i].err, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, &m))
			TH_LOG("%s = %#llx", bad[i].field, (unsigned long long)bad[i].val);
		EXPECT_EQ(0, m.handle) TH_LOG("%s: a handle was written", bad[i].field);
		EXPECT_EQ(self->free0, sb_free_pages()) TH_LOG("%s", bad[i].field);
	}

	/* output fields are ignored on input */
	m = (struct sbuddy_cma){ .order = 0, .pfn = ~0ULL, .handle = ~0ULL };
	if (!area) {
		/* no area: every good request is -ENODEV */
		for (uint32_t order = 0; order <= SBUDDY_MAX_ORDER; order++) {
			m.order = order;
			EXPECT_EQ(-ENODEV, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, &m))
				TH_LOG("order %u", order);
		}
		EXPECT_EQ(self->free0, sb_free_pages());
		return;
	}
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, &m));
	EXPECT_NE(0, m.handle);
	EXPECT_NE(~0ULL, m.handle);
	EXPECT_LE(sb_read_key(SB_DEBUGFS "/cma", "base_pfn"), (long long)m.pfn);
	EXPECT_EQ(0, sb_free_one(self->fd, m.handle));
	/* more pages than the area has */
	for (uint32_t order = 0; order <= SBUDDY_MAX_ORDER; order++) {
		if ((1LL << order) <= area)
			continue;
		m = (struct sbuddy_cma){ .order = order };
		EXPECT_EQ(-EINVAL, sb_io(self->fd, SBUDDY_IOC_CMA_ALLOC, &m))
			TH_LOG("order %u, area of %lld pages", order, area);
	}
	EXPECT_EQ(self->free0, sb_free_pages());
}

/* as nobody, having opened nothing: the device refuses */
TEST(non_root_refused)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		if (open(SB_DEV, O_RDWR) >= 0 || open(SB_DEV, O_RDONLY) >= 0)
			_exit(3);
		_exit(errno == EACCES || errno == EPERM ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * Last (the harness runs the global tests first, then the fixtures in
 * order): every file is closed, so every block is back.
 */
/*
 * WORKLOAD_START: written back before acting (read-only is -EFAULT), the
 * flags and length refused exactly; WAIT and STOP without a run -ENOENT,
 * WAIT's result written whatever the buffer held.  The spec runs nothing
 * that holds pages.
 */
TEST_F(f, workload)
{
	static const char idle[] = "name abi\nphase idle 0\n";
	static const struct bad bad[] = {
		{ FLD(struct sbuddy_workload_start, len), 0, EINVAL },
		{ FLD(struct sbuddy_workload_start, len), SBUDDY_WL_SPEC_MAX + 1, EINVAL },
		{ FLD(struct sbuddy_workload_start, len), ~0U, EINVAL },
		ZERO_FIELD(struct sbuddy_workload_start, flags),
	};
	struct sbuddy_workload_start w, *ro = self->ro;
	struct sbuddy_workload_result r;

	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_WORKLOAD_WAIT, &r));
	EXPECT_EQ(-ENOENT, sb_io(self->fd, SBUDDY_IOC_WORKLOAD_STOP, NULL));
	walk_pointers(_metadata, self->fd, SBUDDY_IOC_WORKLOAD_START, self->ro, self->none, 1);
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ | PROT_WRITE));
	*ro = (struct sbuddy_workload_start){ .spec = (uintptr_t)idle, .len = strlen(idle) };
	ASSERT_EQ(0, mprotect(self->ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, sb_io(self->fd, SBUDDY_IOC_WORKLOAD_START, self->ro));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		w = (struct sbuddy_workload_start){ .spec = (uintptr_t)idle, .len = strlen(idle) };
		put_field(&w, bad[i].off, bad[i].size, bad[i].val);
		EXPECT_EQ(-bad[i].err, sb_io(self->fd, SBUDDY_IOC_WORKLOAD_START, &w))
			TH_LOG("%s = %#llx", bad[i].field, (unsigned long long)bad[i].val);
	}
	/* the output fields are ignored on input */
	memset(&w, 0xff, sizeof(w));
	w.spec = (uintptr_t)idle;
	w.len = strlen(idle);
	w.flags = 0;
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_WORKLOAD_START, &w));
	EXPECT_EQ(1, w.threads);
	walk_pointers(_metadata, self->fd, SBUDDY_IOC_WORKLOAD_WAIT, self->ro, self->none, 1);
	memset(&r, 0xff, sizeof(r));
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_WORKLOAD_WAIT, &r));
	EXPECT_EQ(SBUDDY_WL_DONE, r.status);
	EXPECT_EQ(1, r.threads);
	EXPECT_EQ(0, r.held_pages);
	EXPECT_EQ(0, sb_io(self->fd, SBUDDY_IOC_WORKLOAD_STOP, NULL));
	EXPECT_EQ(self->free0, sb_free_pages());
}

FIXTURE(zz) {
	int unused;
};

FIXTURE_SETUP(zz)
{
}

FIXTURE_TEARDOWN(zz)
{
}

TEST_F(zz, counters_back_and_verify_ok)
{
	struct sbuddy_drain d = { .scope = SBUDDY_DRAIN_ALL };
	long long region_kb = sb_read_key(SB_DEBUGFS "/region", "size_kib");
	int fd = open(SB_DEV, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sb_io(fd, SBUDDY_IOC_DRAIN, &d));
	close(fd);
	EXPECT_TRUE(sb_verify_ok(1));
	EXPECT_EQ(free_at_start, sb_free_pages());
	/*
	 * the host's free memory is back too (2% of the region: vmstat
	 * drift; plus KASAN's quarantine on a KASAN kernel)
	 */
	ASSERT_LT(0, region_kb);
	EXPECT_LE(llabs(host_at_start - sb_host_free_kb()),
		  region_kb / 50 + sb_kasan_slack_kb())
		TH_LOG("host free %lld KiB at start, %lld now (KASAN slack %lld KiB)",
		       host_at_start, sb_host_free_kb(), sb_kasan_slack_kb());
}

TEST_HARNESS_MAIN
