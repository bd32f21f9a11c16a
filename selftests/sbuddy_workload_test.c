// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy workload selftests: a spec runs and reports, bad specs are
 * refused with EINVAL, and one CPU with one seed gives byte-identical
 * buddyinfo and pagetypeinfo on a fresh module twice.
 */
#include "kselftest_harness.h"
#include "sb_util.h"

#define WL	SB_DEBUGFS "/workload"

static const char spec[] =
	"name det\n"
	"seed 7\n"
	"cpus 0\n"
	"phase fill 60 orders=0:70,1:10,2:10,3:10 types=u:10,m:80,r:10\n"
	"phase churn 20000 orders=0:80,3:10,9:10 types=u:10,m:80,r:10 life=3000\n"
	"phase free 60\n";

/*
 * The spec without reclaimable blocks: kswapd, woken as the churn runs
 * out of memory, works at its own pace and would make the end state
 * depend on when it ran.
 */
static const char det_spec[] =
	"name det\n"
	"seed 7\n"
	"cpus 0\n"
	"phase fill 60 orders=0:70,1:10,2:10,3:10 types=u:20,m:80\n"
	"phase churn 20000 orders=0:80,3:10,9:10 types=u:20,m:80 life=3000\n"
	"phase free 60\n";

/* the whole file (seq_file hands it out a page at a time) */
static char *slurp(const char *path)
{
	size_t cap = 1 << 16;
	char *buf = malloc(cap);

	if (buf && sb_read_all(path, buf, cap) < 0) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

static long long result_key(const char *key)
{
	char *r = slurp(WL), *p;
	long long v = -1;

	if (!r)
		return -1;
	p = strstr(r, key);
	if (p && p[strlen(key)] == ' ')
		v = strtoll(p + strlen(key) + 1, NULL, 10);
	free(r);
	return v;
}

TEST(runs_reports_and_releases)
{
	char *r;

	ASSERT_EQ(0, sb_write_file(WL, spec));
	r = slurp(WL);
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "workload det seed 7 threads 1: ok"))
		TH_LOG("%s", r ? r : "");
	EXPECT_NE(NULL, strstr(r, "\n0 "));
	EXPECT_NE(NULL, strstr(r, "alloc_ns_log2 "));
	free(r);
	EXPECT_LT(0, result_key("held_pages"));
	EXPECT_LT(0, result_key("frees"));
	ASSERT_EQ(0, sb_write_file(WL, "release"));
	r = slurp(SB_DEBUGFS "/verify");
	ASSERT_NE(NULL, r);
	EXPECT_STREQ("ok\n", r);
	free(r);
}

TEST(bad_specs_einval)
{
	static const char *const bad[] = {
		"phase fill 50\nbogus 1\n",
		"phase bogus 1\n",
		"phase fill 101\n",
		"phase fill x\n",
		"phase fill 50 orders=11:1\n",
		"phase fill 50 orders=0:0\n",
		"phase fill 50 types=x:1\n",
		"phase fill 50 flags=bogus\n",
		"phase fill 50 life=-1\n",
		"phase fill 50 nonsense\n",
		"cpus 100000\nphase fill 1\n",
		"seed x\nphase fill 1\n",
		"name\nphase fill 1\n",
		"seed 1\n",
		"",
	};
	char many[1024] = "";
	int i;

	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++)
		EXPECT_EQ(-EINVAL, sb_write_file(WL, bad[i])) TH_LOG("spec %d", i);
	for (i = 0; i < 17; i++)
		strcat(many, "phase idle 0\n");
	EXPECT_EQ(-EINVAL, sb_write_file(WL, many));
}

FIXTURE(deterministic) {
	int unused;
};

FIXTURE_SETUP(deterministic)
{
}

FIXTURE_TEARDOWN(deterministic)
{
}

/*
 * one CPU, one seed, a fresh module: the same machine at the end (two
 * module reloads and two runs: 23 s of the harness' default 30 once on
 * 6.1 under load, more on the debug kernel)
 */
TEST_F_TIMEOUT(deterministic, on_one_cpu, 600)
{
	char *bi[2], *pti[2];
	int run;

	for (run = 0; run < 2; run++) {
		ASSERT_EQ(0, sb_unload());
		ASSERT_EQ(0, sb_load(""));
		/* no background compaction between the two */
		sb_write_file(SB_DEBUGFS "/vm/compaction_proactiveness", "0");
		/* nor a watermark boost for kswapd to reclaim and clear */
		ASSERT_EQ(0, sb_write_file(SB_DEBUGFS "/vm/watermark_boost_factor", "0"));
		/*
		 * nor compaction: its async mode gives up on a contended lock
		 * (kcompactd, kswapd), which is timing, as in the kernel
		 */
		ASSERT_EQ(0, sb_write_file(SB_DEBUGFS "/vm/compaction_enabled", "0"));
		ASSERT_EQ(0, sb_write_file(WL, det_spec));
		bi[run] = slurp(SB_DEBUGFS "/buddyinfo");
		pti[run] = slurp(SB_DEBUGFS "/pagetypeinfo");
		ASSERT_NE(NULL, bi[run]);
		ASSERT_NE(NULL, pti[run]);
	}
	EXPECT_STREQ(bi[0], bi[1]);
	EXPECT_STREQ(pti[0], pti[1]);
	ASSERT_EQ(0, sb_write_file(WL, "release"));
	free(bi[0]);
	free(bi[1]);
	free(pti[0]);
	free(pti[1]);
}

TEST_HARNESS_MAIN
