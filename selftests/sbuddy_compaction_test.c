// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy compaction selftests: a region filled with movable, reclaimable
 * and unmovable blocks and fragmented by frees gains free pageblocks from
 * a compact_memory write, with the counters moving consistently and
 * verify ok; a mapped movable block migrated by compaction still reads
 * its data through the mapping; the triggers and knobs refuse bad input;
 * the sbuddy:mm_compaction_* events print as the guest's compaction:
 * events.
 */
#include <ctype.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define VM	SB_DEBUGFS "/vm/"
#define TRACING	"/sys/kernel/debug/tracing"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int read_int(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return atoi(buf);
}

/* @count blocks of order 0; the handles go to @h; blocks allocated */
static int alloc_n(int fd, uint32_t flags, uint32_t count, uint64_t *h)
{
	struct sbuddy_alloc a = {
		.order = 0, .flags = flags | SBUDDY_ALLOC_NOWARN,
		.count = count, .handles = (uintptr_t)h,
	};

	ioctl(fd, SBUDDY_IOC_ALLOC, &a);
	return a.done;
}

static int free_n(int fd, uint64_t *h, uint32_t count)
{
	struct sbuddy_free f = { .handles = (uintptr_t)h, .count = count };

	return sb_io(fd, SBUDDY_IOC_FREE, &f);
}

static int verify_ok(int fd, char *msg, size_t len)
{
	struct sbuddy_verify v = { 0 };
	int ret = sb_io(fd, SBUDDY_IOC_VERIFY, &v);

	snprintf(msg, len, "%s", v.message);
	return !ret && v.status == 0;
}

FIXTURE(c) {
	int fd;
	int proactiveness;
};

/* proactive compaction off: only this test's triggers compact */
FIXTURE_SETUP(c)
{
	self->fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->proactiveness = read_int(VM "compaction_proactiveness");
	ASSERT_LE(0, self->proactiveness);
	ASSERT_EQ(0, write_str(VM "compaction_proactiveness", "0"));
}

FIXTURE_TEARDOWN(c)
{
	char buf[16];

	close(self->fd);
	snprintf(buf, sizeof(buf), "%d", self->proactiveness);
	write_str(VM "compaction_proactiveness", buf);
}

static const char *const counters[] = {
	"compact_migrate_scanned", "compact_free_scanned", "compact_isolated",
	"pgmigrate_success", "pgmigrate_fail", "compact_stall",
	"compact_fail", "compact_success",
};
#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))

/* minutes, not seconds, on the debug kernel (KASAN in TCG) */
TEST_F_TIMEOUT(c, compact_memory_rebuilds_pageblocks, 600)
{
	long long nr_pages = sb_read_key(SB_DEBUGFS "/region", "nr_pages");
	long long before[NR_COUNTERS], after[NR_COUNTERS];
	long long target, pb_before, pb_after;
	uint64_t *mov, *other;
	int nmov = 0, nother = 0, i, kept = 0;
	char msg[256];

	ASSERT_LT(0, nr_pages);
	/* about 70% of the region: above the watermarks, no reclaim */
	target = nr_pages * 7 / 10;
	mov = calloc(target, sizeof(*mov));
	other = calloc(target, sizeof(*other));
	ASSERT_TRUE(mov && other);
	while (nmov + nother + 64 <= target) {
		int got_m = alloc_n(self->fd, SBUDDY_ALLOC_MOVABLE, 48, mov + nmov);
		int got_r, got_u;

		nmov += got_m;
		got_r = alloc_n(self->fd, SBUDDY_ALLOC_RECLAIMABLE, 8,
				other + nother);
		nother += got_r;
		got_u = alloc_n(self->fd, 0, 8, other + nother);
		nother += got_u;
		if (!got_m && !got_r && !got_u)
			break;
	}
	ASSERT_LT(target / 2, nmov + nother);
	/* every other movable block goes: half-empty movable pageblocks */
	for (i = 0; i < nmov; i++) {
		if (!(i & 1)) {
			mov[kept++] = mov[i];
			continue;
		}
		ASSERT_EQ(0, free_n(self->fd, &mov[i], 1));
	}
	ASSERT_EQ(0, sb_drain_all(self->fd));
	pb_before = sb_buddy_pages(9);
	for (i = 0; i < (int)NR_COUNTERS; i++) {
		before[i] = sb_vmstat(counters[i]);
		ASSERT_LE(0, before[i]) TH_LOG("%s", counters[i]);
	}

	ASSERT_EQ(0, write_str(VM "compact_memory", "1"));
	ASSERT_EQ(0, sb_drain_all(self->fd));

	pb_after = sb_buddy_pages(9);
	for (i = 0; i < (int)NR_COUNTERS; i++)
		after[i] = sb_vmstat(counters[i]) - before[i];
	TH_LOG("pages in free blocks of order >= 9: %lld -> %lld", pb_before,
	       pb_after);
	for (i = 0; i < (int)NR_COUNTERS; i++)
		TH_LOG("%s +%lld", counters[i], after[i]);
	EXPECT_LE(pb_before + 512, pb_after);
	/* scanned, isolated and migrated */
	EXPECT_LT(0, after[0]);
	EXPECT_LT(0, after[1]);
	EXPECT_LT(0, after[3]);
	/* each move isolated a movable page and a free page */
	EXPECT_LE(2 * after[3], after[2]);
	/* compact_memory is no allocation stall; the three still agree */
	EXPECT_EQ(after[5], after[6] + after[7]);
	EXPECT_TRUE(verify_ok(self->fd, msg, sizeof(msg))) TH_LOG("%s", msg);
	free(mov);
	free(other);
}

TEST_F(c, mapped_block_migrates_and_reads_back)
{
	uint64_t *h = calloc(4096, sizeof(*h)), low = 0, *p, *want;
	struct sbuddy_query q = { 0 };
	struct sbuddy_fill c = { 0 };
	uint64_t low_pfn = UINT64_MAX, first_pfn;
	int n, i, tries;
	char msg[256];

	ASSERT_TRUE(h != NULL);
	n = alloc_n(self->fd, SBUDDY_ALLOC_MOVABLE, 4096, h);
	ASSERT_EQ(4096, n);
	/* keep every 16th block: sparse pageblocks, the lowest one first */
	for (i = 0; i < n; i++) {
		if (i % 16) {
			ASSERT_EQ(0, free_n(self->fd, &h[i], 1));
			continue;
		}
		q.handle = h[i];
		ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_QUERY, &q));
		if (q.pfn < low_pfn) {
			low_pfn = q.pfn;
			low = h[i];
		}
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		 SBUDDY_MMAP_OFFSET(low));
	ASSERT_TRUE(p != MAP_FAILED);
	want = malloc(4096);
	ASSERT_TRUE(want != NULL);
	for (i = 0; i < 512; i++)
		p[i] = want[i] = sbuddy_pattern(0x5bdd, i);
	first_pfn = low_pfn;

	for (tries = 0; tries < 8; tries++) {
		ASSERT_EQ(0, write_str(VM "compact_memory", "1"));
		q.handle = low;
		ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_QUERY, &q));
		if (q.nr_migrated)
			break;
	}
	TH_LOG("pfn %#llx -> %#llx after %d compactions, moved %u times",
	       (unsigned long long)first_pfn, (unsigned long long)q.pfn,
	       tries + 1, q.nr_migrated);
	ASSERT_LT(0, q.nr_migrated);
	EXPECT_NE(first_pfn, q.pfn);
	/* the mapping faults in the new page: same data */
	EXPECT_EQ(0, memcmp(p, want, 4096));
	/* and writes through it reach the block where it is now */
	p[0] = ~want[0];
	c.handle = low;
	c.seed = 0;
	ASSERT_EQ(0, sb_io(self->fd, SBUDDY_IOC_CHECKSUM, &c));
	want[0] = ~want[0];
	EXPECT_EQ(0, memcmp(p, want, 4096));
	EXPECT_TRUE(verify_ok(self->fd, msg, sizeof(msg))) TH_LOG("%s", msg);
	munmap(p, 4096);
	free(want);
	free(h);
}

TEST_F(c, triggers_and_knobs_refuse_bad_input)
{
	long long scanned = sb_vmstat("compact_migrate_scanned");
	const char *bad[] = { "0", "2", "-1", "abc", "" };
	unsigned int i;
	char buf[16];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, write_str(VM "compact_memory", bad[i]))
			TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(-EINVAL, write_str(SB_DEBUGFS "/node/node0/compact",
					     bad[i])) TH_LOG("'%s'", bad[i]);
	}
	/* nothing ran */
	EXPECT_EQ(scanned, sb_vmstat("compact_migrate_scanned"));
	/* a node the machine lacks has no file */
	EXPECT_EQ(-ENOENT, write_str(SB_DEBUGFS "/node/node64/compact", "1"));
	EXPECT_EQ(0, write_str(SB_DEBUGFS "/node/node0/compact", "1"));
	EXPECT_LT(scanned, sb_vmstat("compact_migrate_scanned"));

	EXPECT_EQ(-EINVAL, write_str(VM "compaction_proactiveness", "101"));
	EXPECT_EQ(-EINVAL, write_str(VM "compaction_proactiveness", "-1"));
	EXPECT_EQ(0, read_int(VM "compaction_proactiveness"));
	EXPECT_EQ(0, write_str(VM "compaction_proactiveness", "100"));
	EXPECT_EQ(100, read_int(VM "compaction_proactiveness"));
	EXPECT_EQ(0, write_str(VM "compaction_proactiveness", "0"));

	i = read_int(VM "extfrag_threshold");
	EXPECT_EQ(-EINVAL, write_str(VM "extfrag_threshold", "1001"));
	EXPECT_EQ(-EINVAL, write_str(VM "extfrag_threshold", "-1"));
	EXPECT_EQ(i, read_int(VM "extfrag_threshold"));
	EXPECT_EQ(0, write_str(VM "extfrag_threshold", "1000"));
	EXPECT_EQ(1000, read_int(VM "extfrag_threshold"));
	EXPECT_EQ(0, write_str(VM "extfrag_threshold", "0"));
	EXPECT_EQ(0, read_int(VM "extfrag_threshold"));
	snprintf(buf, sizeof(buf), "%u", i);
	EXPECT_EQ(0, write_str(VM "extfrag_threshold", buf));
}

static char *slurp(const char *path)
{
	static char buf[2][16384];
	static int which;
	char *b = buf[which++ % 2];

	return sb_read_all(path, b, sizeof(buf[0])) < 0 ? NULL : b;
}

/* the "print fmt:" line without blanks */
static int print_fmt(const char *format, char *out, size_t len)
{
	const char *p = strstr(format, "print fmt: ");
	size_t n = 0;

	if (!p)
		return -1;
	for (p += strlen("print fmt: "); *p && *p != '\n' && n + 1 < len; p++)
		if (!isspace((unsigned char)*p))
			out[n++] = *p;
	out[n] = 0;
	return 0;
}

TEST_F(c, events_print_as_the_kernels)
{
	static const char *const events[] = {
		"mm_compaction_begin", "mm_compaction_end",
		"mm_compaction_isolate_migratepages",
		"mm_compaction_isolate_freepages",
		"mm_compaction_migratepages", "mm_compaction_suitable",
		"mm_compaction_finished", "mm_compaction_deferred",
		"mm_compaction_defer_compaction", "mm_compaction_defer_reset",
		"mm_compaction_kcompactd_wake",
		"mm_compaction_wakeup_kcompactd",
	};
	char *trace;
	int cmd;

	for (unsigned int i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char path[256], a[2048], b[2048], *kern, *sb;

		snprintf(path, sizeof(path), TRACING "/events/compaction/%s/format",
			 events[i]);
		kern = slurp(path);
		ASSERT_NE(NULL, kern) TH_LOG("%s", path);
		snprintf(path, sizeof(path), TRACING "/events/sbuddy/%s/format",
			 events[i]);
		sb = slurp(path);
		ASSERT_NE(NULL, sb) TH_LOG("%s", path);
		ASSERT_EQ(0, print_fmt(kern, a, sizeof(a)));
		ASSERT_EQ(0, print_fmt(sb, b, sizeof(b)));
		EXPECT_EQ(0, strcmp(a, b)) TH_LOG("%s:\n%s\n%s", events[i], a, b);
	}

	/* a compact_memory write traces a begin and an end per zone */
	ASSERT_EQ(0, write_str(TRACING "/trace", ""));
	cmd = sb_trace_record_cmd(0);
	ASSERT_LE(0, cmd);
	ASSERT_EQ(0, write_str(TRACING "/events/sbuddy/mm_compaction_begin/enable", "1"));
	ASSERT_EQ(0, write_str(TRACING "/events/sbuddy/mm_compaction_end/enable", "1"));
	ASSERT_EQ(0, write_str(VM "compact_memory", "1"));
	ASSERT_EQ(0, write_str(TRACING "/events/sbuddy/mm_compaction_begin/enable", "0"));
	ASSERT_EQ(0, write_str(TRACING "/events/sbuddy/mm_compaction_end/enable", "0"));
	EXPECT_LE(0, sb_trace_record_cmd(cmd));
	trace = slurp(TRACING "/trace");
	ASSERT_NE(NULL, trace);
	EXPECT_NE(NULL, strstr(trace, " mm_compaction_begin: zone_start=0x"));
	EXPECT_NE(NULL, strstr(trace, ", mode=sync status=complete"));
}

TEST_HARNESS_MAIN
