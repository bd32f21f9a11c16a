// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy lifecycle selftests: load/unload cycles leak nothing, bad
 * parameters and impossible sizes fail the load cleanly.  They load and
 * unload the module themselves ($SBUDDY_KO), and leave it loaded with its
 * default parameters.  stress_cycles_leave_free_memory reloads it 20 times
 * under a stress that holds the device open, so the unload is refused until
 * the stress is killed.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

/* Drop caches and compact, so that free memory is comparable run to run. */
static long long settled_memfree(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			perror("drop_caches");
		close(fd);
	}
	fd = open("/proc/sys/vm/compact_memory", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			perror("compact_memory");
		close(fd);
	}
	return sb_host_free_kb();
}

/* The loaded module's image (/sys/module/sbuddy/coresize) in KiB, or 0. */
static long long module_core_kb(void)
{
	long long bytes = 0;
	FILE *f = fopen("/sys/module/sbuddy/coresize", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lld", &bytes) != 1)
		bytes = 0;
	fclose(f);
	return bytes / 1024;
}

static int api_works(void)
{
	struct sbuddy_api api;
	int fd = open(SB_DEV, O_RDWR), ret;

	if (fd < 0)
		return 0;
	ret = ioctl(fd, SBUDDY_IOC_GET_API, &api);
	close(fd);
	return !ret && api.api_version == SBUDDY_API_VERSION;
}

FIXTURE(unloaded) {
	long long memfree;
};

FIXTURE_SETUP(unloaded)
{
	if (sb_module_loaded())
		ASSERT_EQ(0, sb_unload());
	self->memfree = settled_memfree();
}

FIXTURE_TEARDOWN(unloaded)
{
	if (!sb_module_loaded())
		EXPECT_EQ(0, sb_load(""));
}

/*
 * Each test loads the module many times; a load takes a second or more
 * under TCG on a busy host, so the harness' 30 s default is too short.
 */
TEST_F_TIMEOUT(unloaded, load_unload_cycles_leak_nothing, 300)
{
	long long first = 0, last = 0, before, held, nr, core;

	for (int i = 0; i < 10; i++) {
		before = sb_host_free_kb();
		ASSERT_EQ(0, sb_load("")) TH_LOG("load %d", i);
		ASSERT_TRUE(api_works());
		nr = sb_read_key(SB_DEBUGFS "/region", "nr_pages");
		ASSERT_EQ(32768, nr);
		/*
		 * it really holds its 128 MiB (2% slack: vmstat drift), and
		 * beyond that only its own image (MiBs under KASAN)
		 */
		held = before - sb_host_free_kb();
		core = module_core_kb();
		EXPECT_LE((nr * 4 - held) * 50, nr * 4)
			TH_LOG("load %d: host free fell by %lld kB", i, held);
		EXPECT_LE((held - nr * 4 - core) * 50, nr * 4)
			TH_LOG("load %d: host free fell by %lld kB, module image %lld kB",
			       i, held, core);
		ASSERT_EQ(0, sb_unload()) TH_LOG("unload %d", i);
		ASSERT_FALSE(sb_module_loaded());
		/* and gave it all back */
		EXPECT_LE(llabs(before - sb_host_free_kb()) * 50, nr * 4)
			TH_LOG("unload %d: host free %lld kB, before load %lld kB",
			       i, sb_host_free_kb(), before);
		if (i == 0)
			first = settled_memfree();
	}
	last = settled_memfree();
	TH_LOG("MemFree after first unload %lld kB, after last %lld kB", first, last);
	EXPECT_LE(llabs(first - last) * 100, first);
}

TEST_F_TIMEOUT(unloaded, bad_parameters_fail_the_load, 300)
{
	static const char *const bad[] = {
		"size=0", "size=abc", "size=3M", "size=12Mx", "size=1000",
		"size=", "node=7", "node=-5", "node=4096",
		"layout=Highmem=8M", "layout=Normal=3M", "layout=Normal=1G",
		"layout=DMA32=8M,DMA=8M", "layout=hole=8M,Normal=*",
		"layout=Normal=*,Movable=*", "cma=1G", "cma=3M", "pb_order=20",
		"layout=Normal=64M;Normal=* distance=10,20,20",
		"layout=Normal=64M;Normal=* distance=10,5,5,10",
		"distance=20",
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, sb_load(bad[i])) TH_LOG("%s", bad[i]);
		EXPECT_FALSE(sb_module_loaded()) TH_LOG("%s", bad[i]);
	}
	EXPECT_LE(llabs(settled_memfree() - self->memfree) * 100, self->memfree);
}

TEST_F_TIMEOUT(unloaded, good_parameters_load, 300)
{
	static const char *const good[] = {
		"size=64M",
		"layout=DMA32=32M,hole=8M,Normal=*",
		"layout=DMA32=32M,Normal=32M;Normal=32M,Movable=* distance=10,30,30,10",
		"cma=16M",
		"pb_order=10",
	};

	for (unsigned int i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ASSERT_EQ(0, sb_load(good[i])) TH_LOG("%s", good[i]);
		EXPECT_TRUE(api_works()) TH_LOG("%s", good[i]);
		ASSERT_EQ(0, sb_unload());
	}
	EXPECT_LE(llabs(settled_memfree() - self->memfree) * 100, self->memfree);
}

TEST_F_TIMEOUT(unloaded, oversize_fails_cleanly, 300)
{
	long long total_mb = sb_meminfo_kb("MemTotal") / 1024;
	char params[64];
	int ret;

	/* more than the whole node: refused up front */
	snprintf(params, sizeof(params), "size=%lldM", (total_mb + 64) & ~1LL);
	ret = sb_load(params);
	EXPECT_TRUE(ret == -EINVAL || ret == -ENOMEM) TH_LOG("%s: %d", params, ret);
	EXPECT_FALSE(sb_module_loaded());

	/* less than the node, more than any free range: searched, not found */
	snprintf(params, sizeof(params), "size=%lldM", (total_mb - 16) & ~1LL);
	ret = sb_load(params);
	EXPECT_TRUE(ret == -EINVAL || ret == -ENOMEM) TH_LOG("%s: %d", params, ret);
	EXPECT_FALSE(sb_module_loaded());

	/* the machine is healthy: the default load works and nothing leaked */
	EXPECT_LE(llabs(settled_memfree() - self->memfree) * 100, self->memfree);
	ASSERT_EQ(0, sb_load(""));
	EXPECT_TRUE(api_works());
}

/*
 * The stress of one load/unload cycle, in a child holding the device open:
 * batches of orders 0-3 of every mobility, filled, some pinned, some
 * mapped and touched (the mappings stay), half freed each round, and a
 * compaction now and then, until the parent kills it.  *ops counts calls.
 */
static void stress_child(volatile unsigned long *ops, unsigned int seed)
{
	static __u64 held[4096];
	unsigned int nr = 0, round = 0;
	int fd = open(SB_DEV, O_RDWR);

	/* a failed assertion in the parent must not leave it running */
	if (fd < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL))
		_exit(2);
	srand(seed);
	for (;;) {
		__u64 h[32];
		struct sbuddy_alloc a = {
			.order = rand() % 4, .count = 1 + rand() % 32,
			.flags = (round % 3 == 1 ? SBUDDY_ALLOC_MOVABLE :
				  round % 3 == 2 ? SBUDDY_ALLOC_RECLAIMABLE : 0) |
				 SBUDDY_ALLOC_NOWARN,
			.handles = (uintptr_t)h,
		};
		struct sbuddy_free f = { .handles = (uintptr_t)held };

		if (ioctl(fd, SBUDDY_IOC_ALLOC, &a) && errno != ENOMEM)
			_exit(3);
		for (unsigned int i = 0; i < a.done; i++) {
			struct sbuddy_fill fl = { .handle = h[i], .seed = h[i] };
			struct sbuddy_handle_arg pin = { .handle = h[i] };

			/* ENOENT: reclaim took a reclaimable block */
			if (ioctl(fd, SBUDDY_IOC_FILL, &fl) && errno != ENOENT)
				_exit(4);
			if (i == 0 && round % 4 == 0 &&
			    ioctl(fd, SBUDDY_IOC_PIN, &pin) && errno != ENOENT)
				_exit(5);
			if (i == 1 && round % 4 == 1) {
				char *p = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
					       MAP_SHARED, fd, SBUDDY_MMAP_OFFSET(h[i]));

				if (p == MAP_FAILED)
					_exit(6);
				p[0] ^= 1;	/* a reclaimed block: SIGBUS */
			}
			if (nr < sizeof(held) / sizeof(held[0]))
				held[nr++] = h[i];
		}
		/* free the older half; pinned and mapped blocks may go too */
		if (nr > 64) {
			f.count = nr / 2;
			if (ioctl(fd, SBUDDY_IOC_FREE, &f) || f.done != f.count)
				_exit(7);
			memmove(held, held + f.count, (nr - f.count) * sizeof(held[0]));
			nr -= f.count;
		}
		if (round % 16 == 15) {
			int c = open(SB_DEBUGFS "/vm/compact_memory", O_WRONLY);

			if (c < 0 || write(c, "1", 1) != 1)
				_exit(8);
			close(c);
		}
		round++;
		*ops += 2 + a.done;
	}
}

/*
 * 20 load/unload cycles ($SBUDDY_LIFECYCLE_CYCLES), each under a stress in
 * a process that holds the device open with live, pinned and mapped
 * blocks: the unload is refused while it runs; once it is killed the
 * unload completes.  The host's free memory (MemFree plus the pcp lists),
 * settled, ends within 1% of where it started.
 */
TEST_F_TIMEOUT(unloaded, stress_cycles_leave_free_memory, 1500)
{
	/* SBUDDY_LIFECYCLE_CYCLES: make check's debug kernel runs fewer */
	const char *env = getenv("SBUDDY_LIFECYCLE_CYCLES");
	const int cycles = env && atoi(env) > 0 ? atoi(env) : 20;
	volatile unsigned long *ops;
	unsigned long total = 0;
	long long start = self->memfree, end;
	int refused = 0;

	ops = mmap(NULL, sizeof(*ops), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ops);
	for (int i = 0; i < cycles; i++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		int status, waited = 0, ret;
		pid_t pid, gone = 0;

		ASSERT_EQ(0, sb_load("")) TH_LOG("load %d", i);
		*ops = 0;
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			stress_child(ops, 1000 + i);
		/* let it get going (a few hundred calls; 60 s at most) */
		while (*ops < 300 && waited++ < 3000 &&
		       !(gone = waitpid(pid, &status, WNOHANG)))
			nanosleep(&ts, NULL);
		ASSERT_EQ(0, gone) TH_LOG("cycle %d: the stress exited with %d", i,
					  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		ASSERT_LE(300, *ops) TH_LOG("cycle %d: the stress is stuck", i);
		ret = sb_unload();
		EXPECT_EQ(-EWOULDBLOCK, ret) TH_LOG("cycle %d: unload under stress gave %d", i, ret);
		refused += ret == -EWOULDBLOCK;
		ASSERT_TRUE(sb_module_loaded());
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("cycle %d: stress exit %d", i,
							WEXITSTATUS(status));
		total += *ops;
		ASSERT_EQ(0, sb_unload()) TH_LOG("unload %d after the stress", i);
		ASSERT_FALSE(sb_module_loaded());
	}
	end = settled_memfree();
	ksft_print_msg("lifecycle: %d cycles under stress, %lu calls, unload refused %d times; host free %lld kB before, %lld kB after, %+.2f%%\n",
		       cycles, total, refused, start, end,
		       100.0 * (end - start) / start);
	EXPECT_EQ(cycles, refused);
	EXPECT_LE(llabs(end - start) * 100, start);
	munmap((void *)ops, sizeof(*ops));
}

TEST_HARNESS_MAIN
