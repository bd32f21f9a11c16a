// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy knob selftests: the vm/ files take what the kernel's sysctls take
 * and refuse what they refuse, and a change moves the watermarks and the
 * protection arrays in zoneinfo as __setup_per_zone_wmarks() and
 * setup_per_zone_lowmem_reserve() would.
 */
#include <stdint.h>
#include <sys/ioctl.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define VM SB_DEBUGFS "/vm/"

/* A zoneinfo value ("min", "low", "high", "managed") of the Normal zone. */
static long long normal_zone(const char *key)
{
	char line[256], k[32];
	long long v, found = -1;
	int in_normal = 0;
	FILE *f = fopen(SB_DEBUGFS "/zoneinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Node ", 5))
			in_normal = !!strstr(line, "zone   Normal");
		else if (in_normal && sscanf(line, " %31s %lld", k, &v) == 2 && !strcmp(k, key))
			found = v;
	}
	fclose(f);
	return found;
}

/* The DMA zone's protection array, as text. */
static void dma_protection(char *out, size_t len)
{
	char line[256];
	int in_dma = 0;
	FILE *f = fopen(SB_DEBUGFS "/zoneinfo", "r");

	out[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Node ", 5))
			in_dma = !!strstr(line, "zone      DMA\n");
		else if (in_dma && strstr(line, "protection:"))
			snprintf(out, len, "%s", line);
	}
	fclose(f);
}

TEST(min_free_kbytes_moves_the_watermarks)
{
	long long old = sb_knob_read("min_free_kbytes");
	long long min1, min2;

	ASSERT_LT(0, old);
	ASSERT_EQ(0, sb_knob_write("min_free_kbytes", "1024"));
	EXPECT_EQ(1024, sb_knob_read("min_free_kbytes"));
	min1 = normal_zone("min");
	ASSERT_EQ(0, sb_knob_write("min_free_kbytes", "4096"));
	min2 = normal_zone("min");
	/* min is the zone's share of min_free_kbytes: 4x the KiB, 4x the pages */
	EXPECT_LE(llabs(min2 - 4 * min1), 4) TH_LOG("min %lld then %lld", min1, min2);
	EXPECT_EQ(-EINVAL, sb_knob_write("min_free_kbytes", "-1"));
	EXPECT_EQ(-EINVAL, sb_knob_write("min_free_kbytes", "abc"));
	EXPECT_EQ(-EINVAL, sb_knob_write("min_free_kbytes", "99999999999"));
	EXPECT_EQ(4096, sb_knob_read("min_free_kbytes"));
	char v[32];

	snprintf(v, sizeof(v), "%lld", old);
	ASSERT_EQ(0, sb_knob_write("min_free_kbytes", v));
}

TEST(watermark_scale_factor_range_and_gap)
{
	long long old = sb_knob_read("watermark_scale_factor");
	long long managed = normal_zone("managed");
	long long gap;
	char v[32];

	ASSERT_EQ(10, old);
	EXPECT_EQ(-EINVAL, sb_knob_write("watermark_scale_factor", "0"));
	EXPECT_EQ(-EINVAL, sb_knob_write("watermark_scale_factor", "3001"));
	ASSERT_EQ(0, sb_knob_write("watermark_scale_factor", "1000"));
	/* low - min = max(min/4, managed * factor / 10000) */
	gap = normal_zone("low") - normal_zone("min");
	EXPECT_EQ(managed * 1000 / 10000, gap);
	EXPECT_EQ(gap, normal_zone("high") - normal_zone("low"));
	snprintf(v, sizeof(v), "%lld", old);
	ASSERT_EQ(0, sb_knob_write("watermark_scale_factor", v));
}

TEST(watermark_boost_factor_range)
{
	long long old = sb_knob_read("watermark_boost_factor");
	char v[32];

	EXPECT_EQ(15000, old);
	EXPECT_EQ(-EINVAL, sb_knob_write("watermark_boost_factor", "-5"));
	ASSERT_EQ(0, sb_knob_write("watermark_boost_factor", "0"));
	EXPECT_EQ(0, sb_knob_read("watermark_boost_factor"));
	snprintf(v, sizeof(v), "%lld", old);
	ASSERT_EQ(0, sb_knob_write("watermark_boost_factor", v));
}

TEST(lowmem_reserve_ratio_sets_protection)
{
	char before[256], after[256], buf[128] = "";
	FILE *f = fopen(VM "lowmem_reserve_ratio", "r");

	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), f));
	fclose(f);
	EXPECT_EQ(0, strcmp(buf, "256\t256\t32\t0\n")) TH_LOG("%s", buf);
	dma_protection(before, sizeof(before));
	/* DMA is protected from allocations that could use higher zones */
	EXPECT_EQ(NULL, strstr(before, "protection: (0, 0, 0, 0")) TH_LOG("%s", before);
	EXPECT_EQ(-EINVAL, sb_knob_write("lowmem_reserve_ratio", "1 2 3"));
	EXPECT_EQ(-EINVAL, sb_knob_write("lowmem_reserve_ratio", "1 2 3 4 5"));
	EXPECT_EQ(-EINVAL, sb_knob_write("lowmem_reserve_ratio", "1 x 3 4"));
	/* as the sysctl: values below 1 mean no reserve */
	ASSERT_EQ(0, sb_knob_write("lowmem_reserve_ratio", "0 0 0 0"));
	dma_protection(after, sizeof(after));
	EXPECT_NE(NULL, strstr(after, "protection: (0, 0, 0, 0"))  TH_LOG("%s", after);
	ASSERT_EQ(0, sb_knob_write("lowmem_reserve_ratio", "256 256 32 0"));
	dma_protection(after, sizeof(after));
	EXPECT_EQ(0, strcmp(before, after)) TH_LOG("%s vs %s", before, after);
}

/* high and batch of CPU 0's pageset of the Normal zone, from the pcp view */
static int normal_pcp(long long *high, long long *batch)
{
	char line[512], zone[16];
	int node, cpu, online, count, h, b, found = -1;
	FILE *f = fopen(SB_DEBUGFS "/pcp", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %15s %d %d %d %d %d", &node, zone, &cpu,
			   &online, &count, &h, &b) == 7 &&
		    !strcmp(zone, "Normal") && cpu == 0) {
			*high = h;
			*batch = b;
			found = 0;
		}
	fclose(f);
	return found;
}

static long long max_ll(long long a, long long b)
{
	return a > b ? a : b;
}

/*
 * zone_highsize(): the low watermark split over the online CPUs (all on
 * the one emulated node), or managed / fraction, at least 4 * batch; the
 * sysctl refuses 1..7.  It also follows min_free_kbytes.
 */
TEST(percpu_pagelist_high_fraction_sets_high)
{
	long long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long long high, batch, mfk = sb_knob_read("min_free_kbytes");
	char v[32];

	ASSERT_EQ(0, sb_knob_read("percpu_pagelist_high_fraction"));
	ASSERT_EQ(0, normal_pcp(&high, &batch));
	EXPECT_EQ(max_ll(normal_zone("low") / cpus, 4 * batch), high);

	ASSERT_EQ(0, sb_knob_write("percpu_pagelist_high_fraction", "8"));
	ASSERT_EQ(0, normal_pcp(&high, &batch));
	EXPECT_EQ(max_ll(normal_zone("managed") / 8 / cpus, 4 * batch), high);
	EXPECT_EQ(-EINVAL, sb_knob_write("percpu_pagelist_high_fraction", "7"));
	EXPECT_EQ(-EINVAL, sb_knob_write("percpu_pagelist_high_fraction", "1"));
	EXPECT_EQ(-EINVAL, sb_knob_write("percpu_pagelist_high_fraction", "-1"));
	EXPECT_EQ(-EINVAL, sb_knob_write("percpu_pagelist_high_fraction", "x"));
	EXPECT_EQ(8, sb_knob_read("percpu_pagelist_high_fraction"));
	ASSERT_EQ(0, sb_knob_write("percpu_pagelist_high_fraction", "0"));

	/* a new low watermark resizes the pagesets */
	ASSERT_EQ(0, sb_knob_write("min_free_kbytes", "8192"));
	ASSERT_EQ(0, normal_pcp(&high, &batch));
	EXPECT_EQ(max_ll(normal_zone("low") / cpus, 4 * batch), high);
	snprintf(v, sizeof(v), "%lld", mfk);
	ASSERT_EQ(0, sb_knob_write("min_free_kbytes", v));
}

TEST(legacy_cold_pages_is_a_switch)
{
	EXPECT_EQ(0, sb_knob_read("legacy_cold_pages"));
	EXPECT_EQ(-EINVAL, sb_knob_write("legacy_cold_pages", "2"));
	EXPECT_EQ(-EINVAL, sb_knob_write("legacy_cold_pages", "-1"));
	ASSERT_EQ(0, sb_knob_write("legacy_cold_pages", "1"));
	EXPECT_EQ(1, sb_knob_read("legacy_cold_pages"));
	ASSERT_EQ(0, sb_knob_write("legacy_cold_pages", "0"));
}

/* sbuddy's compaction switch: 0 or 1, default 1 */
TEST(compaction_enabled_is_a_switch)
{
	EXPECT_EQ(1, sb_knob_read("compaction_enabled"));
	EXPECT_EQ(-EINVAL, sb_knob_write("compaction_enabled", "2"));
	EXPECT_EQ(-EINVAL, sb_knob_write("compaction_enabled", "-1"));
	EXPECT_EQ(1, sb_knob_read("compaction_enabled"));
	ASSERT_EQ(0, sb_knob_write("compaction_enabled", "0"));
	EXPECT_EQ(0, sb_knob_read("compaction_enabled"));
	ASSERT_EQ(0, sb_knob_write("compaction_enabled", "1"));
}

/* a movable request lands in a Movable pageblock only while grouping is on */
static int movable_alloc_pageblock_type(int fd)
{
	uint64_t h = 0;
	struct sbuddy_alloc a = {
		.order = 0, .flags = SBUDDY_ALLOC_MOVABLE, .count = 1,
		.handles = (uintptr_t)&h,
	};
	struct sbuddy_query q = { 0 };
	struct sbuddy_drain d = { .scope = SBUDDY_DRAIN_ALL };

	/*
	 * A page on a per-cpu list keeps the list it was refilled for even
	 * when a steal since relabelled its pageblock (6.1 does the same):
	 * after the tests before this one, only a fresh refill from the buddy
	 * lists says where the request's type leads.
	 */
	if (ioctl(fd, SBUDDY_IOC_DRAIN, &d))
		return -1;
	if (ioctl(fd, SBUDDY_IOC_ALLOC, &a))
		return -1;
	q.handle = h;
	if (ioctl(fd, SBUDDY_IOC_QUERY, &q))
		return -1;
	return q.pageblock_type;
}

TEST(page_group_by_mobility_disabled_mixes_types)
{
	int fd = open(SB_DEV, O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sb_knob_read("page_group_by_mobility_disabled"));
	EXPECT_EQ(-EINVAL, sb_knob_write("page_group_by_mobility_disabled", "2"));
	EXPECT_EQ(1, movable_alloc_pageblock_type(fd));
	ASSERT_EQ(0, sb_knob_write("page_group_by_mobility_disabled", "1"));
	/* as Unmovable: it falls back into a block it claims unmovable */
	EXPECT_EQ(0, movable_alloc_pageblock_type(fd));
	ASSERT_EQ(0, sb_knob_write("page_group_by_mobility_disabled", "0"));
	close(fd);
}

TEST_HARNESS_MAIN
