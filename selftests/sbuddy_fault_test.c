// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy fault-injection selftests: each fail_* point under
 * /sys/kernel/debug/sbuddy/ (or given as a module parameter, for the
 * points that only run at load) is turned on with probability 100 for
 * N times; the failure must surface as the documented errno, nothing may
 * leak (free counts back, host memory back after a failed load) and
 * verify must stay ok.  A kernel without CONFIG_FAULT_INJECTION has no
 * points: every test is skipped with that reason.
 */
#include <stdint.h>
#include <sys/ioctl.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define NO_FI "the kernel has no CONFIG_FAULT_INJECTION (no " SB_DEBUGFS "/fail_owner)"

static long faults_injected;

static long long read_num(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtoll(buf, NULL, 0) : -1;
}

/* point @name fails @times times, after @space - 1 calls that pass */
static int fault_on(const char *name, int times, int space)
{
	char path[256], v[32];
	int err = 0;

	snprintf(path, sizeof(path), SB_DEBUGFS "/%s/verbose", name);
	err |= sb_write_file(path, "1");
	snprintf(path, sizeof(path), SB_DEBUGFS "/%s/interval", name);
	err |= sb_write_file(path, "1");
	snprintf(path, sizeof(path), SB_DEBUGFS "/%s/space", name);
	snprintf(v, sizeof(v), "%d", space);
	err |= sb_write_file(path, v);
	snprintf(path, sizeof(path), SB_DEBUGFS "/%s/times", name);
	snprintf(v, sizeof(v), "%d", times);
	err |= sb_write_file(path, v);
	snprintf(path, sizeof(path), SB_DEBUGFS "/%s/probability", name);
	err |= sb_write_file(path, "100");
	return err;
}

/* off; how many of its @times failures were used */
static int fault_off(const char *name, int times)
{
	char path[256];
	long long left;

	snprintf(path, sizeof(path), SB_DEBUGFS "/%s/probability", name);
	sb_write_file(path, "0");
	snprintf(path, sizeof(path), SB_DEBUGFS "/%s/times", name);
	left = read_num(path);
	faults_injected += times - left;
	return times - left;
}

static int verify(int fd, char *msg, size_t len)
{
	struct sbuddy_verify v = { 0 };

	if (ioctl(fd, SBUDDY_IOC_VERIFY, &v))
		return -errno;
	snprintf(msg, len, "%s", v.message);
	return v.status;
}

FIXTURE(fault) {
	int fd;
	long long free0;
};

/* SKIP in FIXTURE_SETUP does not stop 6.1's harness: each test skips */
#define NEED_FI() do {						\
	if (access(SB_DEBUGFS "/fail_owner", F_OK))		\
		SKIP(return, NO_FI);				\
} while (0)

FIXTURE_SETUP(fault)
{
	self->fd = -1;
	if (access(SB_DEBUGFS "/fail_owner", F_OK))
		return;
	self->fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->free0 = sb_vmstat_drained(self->fd, "nr_free_pages");
	ASSERT_LT(0, self->free0);
}

FIXTURE_TEARDOWN(fault)
{
	char msg[256];

	if (self->fd < 0)
		return;
	EXPECT_EQ(self->free0, sb_vmstat_drained(self->fd, "nr_free_pages"));
	EXPECT_EQ(0, verify(self->fd, msg, sizeof(msg))) TH_LOG("verify: %s", msg);
	close(self->fd);
	ksft_print_msg("faults injected: %ld\n", faults_injected);
}

/* block records: a batch stops at the failed one with -ENOMEM */
TEST_F(fault, owner_record)
{
	uint64_t h[16];
	struct sbuddy_alloc a = {
		.order = 1, .count = 16, .flags = SBUDDY_ALLOC_MOVABLE,
		.handles = (uintptr_t)h,
	};
	struct sbuddy_free f = { .handles = (uintptr_t)h };
	int k;

	NEED_FI();
	/* the first record fails, then the fifth */
	ASSERT_EQ(0, fault_on("fail_owner", 1, 0));
	EXPECT_EQ(-1, ioctl(self->fd, SBUDDY_IOC_ALLOC, &a));
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_EQ(0, a.done);
	EXPECT_EQ(ENOMEM, a.error);
	EXPECT_EQ(1, fault_off("fail_owner", 1));
	EXPECT_EQ(self->free0, sb_vmstat_drained(self->fd, "nr_free_pages"));

	for (k = 2; k <= 5; k++) {
		ASSERT_EQ(0, fault_on("fail_owner", 1, k));
		EXPECT_EQ(-1, ioctl(self->fd, SBUDDY_IOC_ALLOC, &a));
		EXPECT_EQ(ENOMEM, errno);
		EXPECT_EQ(k - 1, a.done);
		EXPECT_EQ(1, fault_off("fail_owner", 1));
		/* blocks [0, done) are the file's: free them */
		f.count = a.done;
		EXPECT_EQ(0, ioctl(self->fd, SBUDDY_IOC_FREE, &f));
		EXPECT_EQ(k - 1, f.done);
		EXPECT_EQ(self->free0, sb_vmstat_drained(self->fd, "nr_free_pages"));
	}
	/* off again: the whole batch works */
	a.done = 0;
	a.error = 0;
	EXPECT_EQ(0, ioctl(self->fd, SBUDDY_IOC_ALLOC, &a));
	f.count = 16;
	EXPECT_EQ(0, ioctl(self->fd, SBUDDY_IOC_FREE, &f));
}

/* an open file's owner record: open() fails with -ENOMEM */
TEST_F(fault, owner_open)
{
	int fd;

	NEED_FI();
	ASSERT_EQ(0, fault_on("fail_owner", 1, 0));
	fd = open(SB_DEV, O_RDWR);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_EQ(1, fault_off("fail_owner", 1));
	if (fd >= 0)
		close(fd);
	fd = open(SB_DEV, O_RDWR);
	EXPECT_LE(0, fd);
	close(fd);
}

/*
 * Migration targets: compaction (vm/compact_memory) finds none, every
 * block stays where it was with its contents.
 */
TEST_F(fault, migrate_target)
{
	const char *trigger = SB_DEBUGFS "/vm/compact_memory";
	struct sbuddy_fill fl = { 0 };
	struct sbuddy_query q = { 0 };
	struct sbuddy_free f = { 0 };
	static uint64_t h[2048];
	static uint32_t crc[2048];
	struct sbuddy_alloc a = {
		.order = 0, .count = 2048, .flags = SBUDDY_ALLOC_MOVABLE,
		.handles = (uintptr_t)h,
	};
	int i, moved = 0, used;
	long long pro;
	char buf[24];

	NEED_FI();
	if (access(trigger, W_OK))
		SKIP(return, "no userspace trigger of migration in this build (%s)", trigger);
	/* no proactive compaction: the trigger below is the only mover */
	pro = read_num(SB_DEBUGFS "/vm/compaction_proactiveness");
	ASSERT_LE(0, pro);
	ASSERT_EQ(0, sb_write_file(SB_DEBUGFS "/vm/compaction_proactiveness", "0"));
	ASSERT_EQ(0, ioctl(self->fd, SBUDDY_IOC_ALLOC, &a));
	/* every other block freed: holes for compaction to fill */
	for (i = 0; i < 2048; i += 2) {
		f.handles = (uintptr_t)&h[i];
		f.count = 1;
		ASSERT_EQ(0, ioctl(self->fd, SBUDDY_IOC_FREE, &f));
	}
	for (i = 1; i < 2048; i += 2) {
		fl.handle = h[i];
		fl.seed = i;
		ASSERT_EQ(0, ioctl(self->fd, SBUDDY_IOC_FILL, &fl));
		crc[i] = fl.crc32;
		/* kcompactd may have moved it already (a slow debug kernel) */
		q.handle = h[i];
		ASSERT_EQ(0, ioctl(self->fd, SBUDDY_IOC_QUERY, &q));
		moved -= q.nr_migrated;
	}
	ASSERT_EQ(0, fault_on("fail_migrate", 100000, 0));
	EXPECT_EQ(0, sb_write_file(trigger, "1"));
	used = fault_off("fail_migrate", 100000);
	for (i = 1; i < 2048; i += 2) {
		q.handle = h[i];
		ASSERT_EQ(0, ioctl(self->fd, SBUDDY_IOC_QUERY, &q));
		moved += q.nr_migrated;
		fl.handle = h[i];
		fl.seed = 0;
		ASSERT_EQ(0, ioctl(self->fd, SBUDDY_IOC_CHECKSUM, &fl));
		EXPECT_EQ(crc[i], fl.crc32);
	}
	TH_LOG("compaction asked for %d targets, all refused", used);
	EXPECT_EQ(0, moved) TH_LOG("%d blocks moved with every target refused", moved);
	for (i = 1; i < 2048; i += 2) {
		f.handles = (uintptr_t)&h[i];
		f.count = 1;
		EXPECT_EQ(0, ioctl(self->fd, SBUDDY_IOC_FREE, &f));
	}
	snprintf(buf, sizeof(buf), "%lld", pro);
	EXPECT_EQ(0, sb_write_file(SB_DEBUGFS "/vm/compaction_proactiveness", buf));
}

/*
 * The points that only run at load: the module is loaded with fail_NAME=
 * and must refuse to load with the documented errno, giving back every
 * host page it took; then it loads as before.
 */
struct load_case {
	const char *params;
	int err;		/* 0: the load works */
};

static const struct load_case load_cases[] = {
	{ "fail_memmap=1,100,0,1", ENOMEM },
	{ "fail_pcp=1,100,0,1", ENOMEM },
	{ "fail_pcp=1,100,3,1", ENOMEM },	/* the third pageset */
	{ "fail_pcp=1,100,4,1", ENOMEM },	/* the last of 4 zones */
	{ "fail_region=1,100,0,-1", ENOMEM },	/* every range busy */
	{ "fail_region=1,100,0,3", 0 },		/* three busy, then one */
};

FIXTURE(reload) {
	int unused;
};

FIXTURE_SETUP(reload)
{
}

/* whatever happened, sbuddy is loaded again for the tests after this */
FIXTURE_TEARDOWN(reload)
{
	if (!sb_module_loaded())
		sb_load(getenv("SBUDDY_PARAMS") ? getenv("SBUDDY_PARAMS") : "");
}

/* a KASAN kernel under TCG loads slowly: the limit only stops a hang */
TEST_F_TIMEOUT(reload, load, 900)
{
	long long host0, host1;
	unsigned int i;
	int fd, ret;
	char msg[256];

	NEED_FI();
	ASSERT_EQ(0, sb_unload()) TH_LOG("sbuddy is busy: cannot reload it");
	for (i = 0; i < sizeof(load_cases) / sizeof(load_cases[0]); i++) {
		const struct load_case *c = &load_cases[i];

		host0 = sb_host_free_kb();
		ret = sb_load(c->params);
		EXPECT_EQ(-c->err, ret) TH_LOG("%s", c->params);
		faults_injected++;
		if (!ret) {
			fd = open(SB_DEV, O_RDWR);
			ASSERT_LE(0, fd);
			EXPECT_EQ(0, verify(fd, msg, sizeof(msg))) TH_LOG("%s", msg);
			close(fd);
			ASSERT_EQ(0, sb_unload());
		}
		host1 = sb_host_free_kb();
		/*
		 * every page of the region (128 MiB) and of the memmap
		 * (1 MiB) came back: a leak lowers free memory.  KASAN's
		 * quarantine holds some freed memory back for a while, and
		 * lets go of earlier frees at any time: free memory may
		 * also rise, up to its ceiling (once +1096 KiB on debug).
		 */
		EXPECT_GT(1024LL, host0 - host1)
			TH_LOG("%s: host free %lld KiB before, %lld after", c->params,
			       host0, host1);
		EXPECT_GT(1024LL + sb_kasan_slack_kb(), host1 - host0)
			TH_LOG("%s: host free %lld KiB before, %lld after", c->params,
			       host0, host1);
		EXPECT_FALSE(sb_module_loaded());
	}
	ASSERT_EQ(0, sb_load(getenv("SBUDDY_PARAMS") ? getenv("SBUDDY_PARAMS") : ""));
	ksft_print_msg("faults injected: %ld\n", faults_injected);
}

TEST_HARNESS_MAIN
