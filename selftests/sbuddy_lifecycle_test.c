// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy lifecycle selftests: load/unload cycles leak nothing, bad
 * parameters and impossible sizes fail the load cleanly.  They load and
 * unload the module themselves ($SBUDDY_KO), and leave it loaded with its
 * default parameters.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

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
	long long first = 0, last = 0, before, held, nr;

	for (int i = 0; i < 10; i++) {
		before = sb_host_free_kb();
		ASSERT_EQ(0, sb_load("")) TH_LOG("load %d", i);
		ASSERT_TRUE(api_works());
		nr = sb_read_key(SB_DEBUGFS "/region", "nr_pages");
		ASSERT_EQ(32768, nr);
		/* it really holds its 128 MiB (2% slack: vmstat drift) */
		held = before - sb_host_free_kb();
		EXPECT_LE(llabs(held - nr * 4) * 50, nr * 4)
			TH_LOG("load %d: host free fell by %lld kB", i, held);
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

TEST_HARNESS_MAIN
