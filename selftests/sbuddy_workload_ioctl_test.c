// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy workload ioctl selftests: SBUDDY_IOC_WORKLOAD_START/_WAIT/_STOP.
 * A run's results agree with the machine's own counters (buddyinfo, the
 * per-cpu lists, vmstat), read independently; closing the file or STOP
 * ends a run long before its idle phase would; the refusals have their
 * documented errnos and the failing line.
 */
#include <dirent.h>
#include <sys/ioctl.h>
#include <time.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

/* free pages: buddyinfo's blocks plus the per-cpu lists */
static long long free_pages(void)
{
	long long buddy = sb_buddy_pages(0);

	return buddy < 0 ? -1 : buddy + sb_pcp_pages();
}

static long long managed_pages(void)
{
	FILE *f = fopen(SB_DEBUGFS "/zoneinfo", "r");
	char line[256];
	long long v, sum = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " managed %lld", &v) == 1)
			sum += v;
	fclose(f);
	return sum;
}

/* sbuddy-wl kthreads alive */
static int wl_threads(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], comm[64] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "sbuddy-wl", 9))
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int start(int fd, const char *spec, struct sbuddy_workload_start *s)
{
	memset(s, 0, sizeof(*s));
	s->spec = (uintptr_t)spec;
	s->len = strlen(spec);
	return ioctl(fd, SBUDDY_IOC_WORKLOAD_START, s) ? -errno : 0;
}

static void settle(void)
{
	int fd = open(SB_DEBUGFS "/drain", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "all", 3) < 0)
			perror("drain");
		close(fd);
	}
}

/* no compaction, boost or kswapd work behind the run's back */
static void quiet_machine(void)
{
	static const char *const knobs[][2] = {
		{ "compaction_proactiveness", "0" },
		{ "watermark_boost_factor", "0" },
	};

	for (unsigned int i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		char path[256];
		int fd;

		snprintf(path, sizeof(path), SB_DEBUGFS "/vm/%s", knobs[i][0]);
		fd = open(path, O_WRONLY);
		if (fd >= 0) {
			if (write(fd, knobs[i][1], strlen(knobs[i][1])) < 0)
				perror(path);
			close(fd);
		}
	}
}

static const char *const events[] = {
	"sbuddy_extfrag", "sbuddy_extfrag_fragmenting",
	"sbuddy_steal_pageblock", "compact_stall", "compact_success",
	"compact_fail", "pgmigrate_success",
};

static __u64 result_event(const struct sbuddy_workload_result *r, int i)
{
	const __u64 v[] = {
		r->extfrag, r->extfrag_fragmenting, r->steal_pageblock,
		r->compact_stall, r->compact_success, r->compact_fail,
		r->pgmigrate_success,
	};

	return v[i];
}

TEST(results_match_the_machine)
{
	static const char spec[] =
		"name check\n"
		"seed 3\n"
		"cpus 0\n"
		"phase fill 40 orders=0:70,1:10,2:10,3:10 types=u:30,m:70\n"
		"phase churn 20000 orders=0:80,2:10,4:10 types=u:30,m:70 life=2000\n"
		"phase free 50\n";
	struct sbuddy_workload_start s;
	struct sbuddy_workload_result r, r2;
	long long free0, free1, ev0[7], ok = 0, fail = 0, hist = 0, fhist = 0;
	__u64 unclaimed;
	int fd, i;

	quiet_machine();
	settle();
	free0 = free_pages();
	for (i = 0; i < 7; i++)
		ev0[i] = sb_vmstat(events[i]);
	fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, start(fd, spec, &s)) TH_LOG("%s", s.error);
	EXPECT_EQ(1, s.threads);
	ASSERT_EQ(0, ioctl(fd, SBUDDY_IOC_WORKLOAD_WAIT, &r));
	EXPECT_EQ(SBUDDY_WL_DONE, r.status);
	EXPECT_EQ(1, r.threads);
	settle();
	free1 = free_pages();
	/* what the run holds is what left the free lists */
	EXPECT_EQ(free0 - free1, (long long)r.held_pages);
	for (i = 0; i <= SBUDDY_MAX_ORDER; i++) {
		ok += r.alloc_ok[i];
		fail += r.alloc_fail[i];
	}
	for (i = 0; i < SBUDDY_WL_HIST; i++) {
		hist += r.alloc_ns[i];
		fhist += r.free_ns[i];
	}
	EXPECT_LT(0, ok);
	EXPECT_EQ(ok - (long long)r.frees, (long long)r.held_blocks);
	/* every attempt reached the allocator and was timed */
	EXPECT_EQ(ok + fail, hist);
	EXPECT_EQ((long long)r.frees, fhist);
	for (i = 0; i < 7; i++) {
		EXPECT_EQ(sb_vmstat(events[i]) - ev0[i], (long long)result_event(&r, i))
			TH_LOG("%s", events[i]);
	}
	unclaimed = r.extfrag > r.steal_pageblock ?
		    r.extfrag - r.steal_pageblock : 0;
	EXPECT_EQ(unclaimed, r.steal_unclaimed);
	EXPECT_LT(0, r.elapsed_ns);
	/* waiting again gives the same answer */
	ASSERT_EQ(0, ioctl(fd, SBUDDY_IOC_WORKLOAD_WAIT, &r2));
	EXPECT_EQ(0, memcmp(&r, &r2, sizeof(r)));
	close(fd);
	settle();
	EXPECT_EQ(free0, free_pages());
	EXPECT_TRUE(sb_verify_ok(0));
}

/* an idle phase of 60 s: a run that ends sooner was stopped */
static const char long_spec[] =
	"name long\n"
	"cpus 0\n"
	"phase fill 30 orders=0:1,3:1 types=u:1,m:1\n"
	"phase idle 60000\n"
	"phase churn 100000000 life=100\n";

TEST(close_while_running_stops_it)
{
	struct sbuddy_workload_start s;
	long long free0;
	double t;
	int fd;

	settle();
	free0 = free_pages();
	fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, start(fd, long_spec, &s)) TH_LOG("%s", s.error);
	usleep(300000);
	EXPECT_EQ(1, wl_threads());
	t = now();
	close(fd);
	t = now() - t;
	printf("# close of a running workload took %.1f ms\n", t * 1e3);
	EXPECT_GT(30.0, t);
	EXPECT_EQ(0, wl_threads());
	settle();
	EXPECT_EQ(free0, free_pages());
	EXPECT_TRUE(sb_verify_ok(0));
}

TEST(stop_ends_the_run)
{
	struct sbuddy_workload_start s;
	struct sbuddy_workload_result r;
	long long free0;
	double t;
	int fd;

	settle();
	free0 = free_pages();
	fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, start(fd, long_spec, &s)) TH_LOG("%s", s.error);
	/* one run per file at a time */
	EXPECT_EQ(-EBUSY, start(fd, long_spec, &s));
	usleep(300000);
	t = now();
	ASSERT_EQ(0, ioctl(fd, SBUDDY_IOC_WORKLOAD_STOP));
	ASSERT_EQ(0, ioctl(fd, SBUDDY_IOC_WORKLOAD_WAIT, &r));
	t = now() - t;
	printf("# STOP to the end of WAIT: %.1f ms\n", t * 1e3);
	EXPECT_GT(30.0, t);
	EXPECT_EQ(SBUDDY_WL_STOPPED, r.status);
	EXPECT_EQ(0, wl_threads());
	settle();
	/* the blocks stay with the file until it closes */
	EXPECT_EQ(free0 - free_pages(), (long long)r.held_pages);
	EXPECT_LT(0, r.held_pages);
	/* an ended run may be replaced */
	ASSERT_EQ(0, start(fd, "phase fill 1\n", &s));
	ASSERT_EQ(0, ioctl(fd, SBUDDY_IOC_WORKLOAD_WAIT, &r));
	EXPECT_EQ(SBUDDY_WL_DONE, r.status);
	close(fd);
	settle();
	EXPECT_EQ(free0, free_pages());
	EXPECT_TRUE(sb_verify_ok(0));
}

TEST(refusals)
{
	struct sbuddy_workload_start s;
	struct sbuddy_workload_result r;
	long long managed = managed_pages(), free0;
	char spec[256], cpus[64] = "cpus 0";
	int fd, i, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char *huge;

	ASSERT_LT(0, managed);
	settle();
	free0 = free_pages();
	fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, SBUDDY_IOC_WORKLOAD_WAIT, &r));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, ioctl(fd, SBUDDY_IOC_WORKLOAD_STOP));
	EXPECT_EQ(ENOENT, errno);

	/* malformed: the line and a reason come back */
	EXPECT_EQ(-EINVAL, start(fd, "name x\n# comment\n\nphase fill 10\nphase bogus 1\n", &s));
	EXPECT_EQ(5, s.error_line);
	EXPECT_NE(0, s.error[0]);
	EXPECT_EQ(-EINVAL, start(fd, "name x\nseed 1\n", &s));
	EXPECT_NE(0, s.error[0]);
	EXPECT_EQ(-EINVAL, start(fd, "seed 1\nphase fill 10 orders=0:1,11:1\n", &s));
	EXPECT_EQ(2, s.error_line);
	/* a CPU that does not exist */
	EXPECT_EQ(-EINVAL, start(fd, "cpus 4096\nphase fill 1\n", &s));
	EXPECT_EQ(1, s.error_line);
	/* more threads than online CPUs (the list takes at most 8) */
	if (ncpu < 8) {
		for (i = 0; i < ncpu; i++)
			strcat(cpus, ",0");
		snprintf(spec, sizeof(spec), "%s\nphase fill 1\n", cpus);
		EXPECT_EQ(-E2BIG, start(fd, spec, &s)) TH_LOG("%s", spec);
		EXPECT_NE(0, s.error[0]);
	}
	/* more memory than the region manages; exactly all of it is fine */
	snprintf(spec, sizeof(spec), "memory %lld\nphase fill 1\n",
		 (managed + 1) * getpagesize());
	EXPECT_EQ(-E2BIG, start(fd, spec, &s));
	EXPECT_NE(0, s.error[0]);
	snprintf(spec, sizeof(spec), "memory %lld\nphase idle 0\n",
		 managed * getpagesize());
	EXPECT_EQ(0, start(fd, spec, &s)) TH_LOG("%s", s.error);
	EXPECT_EQ(0, ioctl(fd, SBUDDY_IOC_WORKLOAD_WAIT, &r));
	/* the cap holds: a fill of 50% under a cap of 64 pages takes 64 */
	EXPECT_EQ(0, start(fd, "memory 256K\nphase fill 50\n", &s));
	EXPECT_EQ(0, ioctl(fd, SBUDDY_IOC_WORKLOAD_WAIT, &r));
	EXPECT_EQ(256 * 1024 / getpagesize(), (long long)r.held_pages);
	/* the structure's own fields */
	EXPECT_EQ(-EINVAL, start(fd, "", &s));
	huge = malloc(SBUDDY_WL_SPEC_MAX + 2);
	ASSERT_NE(NULL, huge);
	memset(huge, '#', SBUDDY_WL_SPEC_MAX + 1);
	huge[SBUDDY_WL_SPEC_MAX + 1] = 0;
	EXPECT_EQ(-EINVAL, start(fd, huge, &s));
	huge[SBUDDY_WL_SPEC_MAX] = 0;
	EXPECT_EQ(-EINVAL, start(fd, huge, &s));	/* no phase */
	EXPECT_EQ(0, s.error_line);
	free(huge);
	memset(&s, 0, sizeof(s));
	s.spec = (uintptr_t)"phase fill 1\n";
	s.len = 13;
	s.flags = 1;
	EXPECT_EQ(-1, ioctl(fd, SBUDDY_IOC_WORKLOAD_START, &s));
	EXPECT_EQ(EINVAL, errno);
	s.flags = 0;
	s.spec = 8;
	EXPECT_EQ(-1, ioctl(fd, SBUDDY_IOC_WORKLOAD_START, &s));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, SBUDDY_IOC_WORKLOAD_START, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, SBUDDY_IOC_WORKLOAD_WAIT, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
	settle();
	EXPECT_EQ(free0, free_pages());
}

TEST_HARNESS_MAIN
