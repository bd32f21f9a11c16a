// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy per-CPU page list selftests, and the many-CPU stress of issue 4.
 *
 * The small tests pin down the interface: the `pcp` view and the `drain`
 * knob, what each drain command drains, and that a CPU going offline has
 * its lists drained by the hotplug callback.
 *
 * The stress test runs one worker per online CPU, pinned to it, that
 * allocates and frees blocks of orders 0..3 and 9 with random mobility and
 * hands a share of its blocks to another CPU's worker to free (all workers
 * share one open file, so any of them may free any handle).  Meanwhile a
 * drainer writes "all", "local" and "cpu N" to `drain`, a hotplug thread
 * takes the highest CPU offline and back, and the main thread samples
 * `pcp`, `zoneinfo` and `vmstat`.  Checked throughout: no pcp COUNT or list
 * length below zero, COUNT equal to what the lists hold, no COUNT above
 * the bound Linux 6.1 guarantees (see pcp_count_bound()), no vm counter
 * absurd or going backwards, the offlined CPU's lists empty while it is
 * offline.  Checked at the end,
 * with every block freed: COUNT equals the blocks on the lists, buddy plus
 * pcp pages equal the free pages before the test, `verify` is ok, and
 * after `drain all` every COUNT is 0 and every page is back in the buddy
 * lists; pgalloc moved by exactly what the workers allocated, pgfree by
 * what they freed less the frees 6.1 does not count (a busy pcp lock).
 *
 * SB_STRESS_SECONDS (default 5) sets the length of the stress phase.
 */
#include <ctype.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define PCP_FILE	SB_DEBUGFS "/pcp"
#define DRAIN_FILE	SB_DEBUGFS "/drain"
#define NR_PCP_LISTS	14	/* orders 0..3 x 3 types, then 2 pageblock lists */
#define NR_LOWORDER	12
#define NR_ORDERS	11
#define MAX_LINES	512
#define MAX_ZONES	64
#define MAX_CPUS	64
#define BUFSZ		(256 * 1024)

/* ------------------------------------------------------------------ */
/* Reading the views                                                   */

static int drain(const char *cmd)
{
	return sb_write_file(DRAIN_FILE, cmd);
}

/* A cpulist ("0-3,5") as a mask; the number of CPUs in it. */
static int read_cpulist(const char *path, unsigned long long *mask)
{
	char buf[256], *s = buf, *end;
	int n = 0;

	*mask = 0;
	if (sb_read_all(path, buf, sizeof(buf)) <= 0)
		return -1;
	while (*s && *s != '\n') {
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			return -1;
		s = end;
		if (*s == '-')
			b = strtol(s + 1, &s, 10);
		for (long c = a; c <= b && c < MAX_CPUS; c++, n++)
			*mask |= 1ULL << c;
		if (*s == ',')
			s++;
	}
	return n;
}

struct pcp_line {
	int nid, cpu, online;
	char zone[16];
	long long count, high, batch, free_factor, l[NR_PCP_LISTS];
};

struct pcp_snap {
	int n;
	struct pcp_line line[MAX_LINES];
};

/* Parse `pcp`; 0, or -1 with what is wrong in @err. */
static int read_pcp(struct pcp_snap *s, char *buf, char *err, size_t errlen)
{
	char *line, *save = NULL;
	int r = sb_read_all(PCP_FILE, buf, BUFSZ), lineno = 0;

	s->n = 0;
	if (r < 0) {
		snprintf(err, errlen, "cannot read %s: %s", PCP_FILE, strerror(-r));
		return -1;
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct pcp_line *p = &s->line[s->n];
		int pos = 0, got;

		if (lineno++ == 0) {
			if (line[0] != '#') {
				snprintf(err, errlen, "pcp: no '#' header line: '%.80s'", line);
				return -1;
			}
			continue;
		}
		if (s->n == MAX_LINES) {
			snprintf(err, errlen, "pcp: more than %d lines", MAX_LINES);
			return -1;
		}
		got = sscanf(line, "%d %15s %d %d %lld %lld %lld %lld"
			     " %lld %lld %lld %lld %lld %lld %lld"
			     " %lld %lld %lld %lld %lld %lld %lld %n",
			     &p->nid, p->zone, &p->cpu, &p->online, &p->count,
			     &p->high, &p->batch, &p->free_factor,
			     &p->l[0], &p->l[1], &p->l[2], &p->l[3], &p->l[4],
			     &p->l[5], &p->l[6], &p->l[7], &p->l[8], &p->l[9],
			     &p->l[10], &p->l[11], &p->l[12], &p->l[13], &pos);
		if (got != 22 || line[pos]) {
			snprintf(err, errlen,
				 "pcp line %d does not read NODE ZONE CPU ONLINE COUNT HIGH BATCH FREE_FACTOR L0..L13: '%.160s'",
				 lineno, line);
			return -1;
		}
		s->n++;
	}
	if (!s->n) {
		snprintf(err, errlen, "pcp: no lines after the header");
		return -1;
	}
	return 0;
}

static unsigned int pb_order = 9;

static unsigned int pindex_order(int i)
{
	return i < NR_LOWORDER ? i / 3 : pb_order;
}

static long long pcp_list_pages(const struct pcp_line *p)
{
	long long sum = 0;

	for (int i = 0; i < NR_PCP_LISTS; i++)
		sum += p->l[i] << pindex_order(i);
	return sum;
}

/*
 * The most pages Linux 6.1 lets a CPU's pcp hold for a zone, given the
 * largest pcp->high it had since its lists were last empty:
 *
 * - free_unref_page_commit() adds a block, and once count >= high it calls
 *   free_pcppages_bulk() starting at the same list, which gives back at
 *   least that block: a free that overshoots high never raises the count;
 * - __rmqueue_pcplist() refills only an empty list, with
 *   max(batch >> order, 2) blocks (one block when batch <= 1), and hands
 *   one of them out, so a refill leaves at most (blocks - 1) << order
 *   pages on that list, and there is no trimming on the allocation side;
 * - drains only take pages off.
 *
 * So from the last time count was below high, every list holds at most
 * what it held then or what one refill left on it: count < high +
 * sum over the 14 lists of the refill remainder.  A reader that does not
 * hold the pcp lock may also see one operation in the middle (a block
 * added before the trim, or a refill before its first block is taken):
 * one more block of the largest pcp order.
 */
static long long pcp_count_bound(long long high_max, long long batch)
{
	long long slack = 0;

	for (int i = 0; i < NR_PCP_LISTS; i++) {
		unsigned int o = pindex_order(i);
		long long blocks = batch > 1 ? batch >> o : 1;

		if (batch > 1 && blocks < 2)
			blocks = 2;
		slack += (blocks - 1) << o;
	}
	return high_max + slack + (1LL << pb_order);
}

struct zinfo {
	int nid;
	char name[16];
	long long free, managed, present, nr_free;
	int nsets;
	struct { int cpu; long long count, high, batch, thresh; } set[MAX_CPUS];
};

/* The zones of `zoneinfo`, with their pagesets; the number of zones. */
static int read_zoneinfo(struct zinfo *z, char *buf)
{
	char *line, *save = NULL;
	int n = -1;

	if (sb_read_all(SB_DEBUGFS "/zoneinfo", buf, BUFSZ) <= 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct zinfo *c = n >= 0 ? &z[n] : NULL;
		long long v;
		int cpu;

		while (*line == ' ')
			line++;
		if (!strncmp(line, "Node ", 5)) {
			if (++n == MAX_ZONES)
				return -1;
			memset(&z[n], 0, sizeof(z[n]));
			if (sscanf(line, "Node %d, zone %15s", &z[n].nid, z[n].name) != 2)
				return -1;
			continue;
		}
		if (!c)
			continue;
		if (sscanf(line, "pages free %lld", &v) == 1)
			c->free = v;
		else if (sscanf(line, "managed %lld", &v) == 1)
			c->managed = v;
		else if (sscanf(line, "present %lld", &v) == 1)
			c->present = v;
		else if (sscanf(line, "nr_free_pages %lld", &v) == 1)
			c->nr_free = v;
		else if (sscanf(line, "cpu: %d", &cpu) == 1 && c->nsets < MAX_CPUS)
			c->set[c->nsets++].cpu = cpu;
		else if (c->nsets && sscanf(line, "count: %lld", &v) == 1)
			c->set[c->nsets - 1].count = v;
		else if (c->nsets && sscanf(line, "high: %lld", &v) == 1)
			c->set[c->nsets - 1].high = v;
		else if (c->nsets && sscanf(line, "batch: %lld", &v) == 1)
			c->set[c->nsets - 1].batch = v;
		else if (c->nsets && sscanf(line, "vm stats threshold: %lld", &v) == 1)
			c->set[c->nsets - 1].thresh = v;
	}
	return n + 1;
}

/* Pages in the buddy free lists: sum of buddyinfo's blocks << order. */
static long long buddy_free_pages(char *buf)
{
	char *line, *save = NULL;
	long long sum = 0;

	if (sb_read_all(SB_DEBUGFS "/buddyinfo", buf, BUFSZ) <= 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *s = strstr(line, "zone");
		char *end;

		if (!s)
			return -1;
		s += 4;
		while (*s == ' ')
			s++;
		while (*s && *s != ' ')		/* the zone's name */
			s++;
		for (int o = 0; o < NR_ORDERS; o++) {
			long long v = strtoll(s, &end, 10);

			if (end == s)
				return -1;
			sum += v << o;
			s = end;
		}
	}
	return sum;
}

#define MAX_STATS 256

struct vmstat {
	int n;
	char name[MAX_STATS][48];
	unsigned long long val[MAX_STATS];
};

static int read_vmstat(struct vmstat *v, char *buf)
{
	char *line, *save = NULL;

	v->n = 0;
	if (sb_read_all(SB_DEBUGFS "/vmstat", buf, BUFSZ) <= 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line && v->n < MAX_STATS;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%47s %llu", v->name[v->n], &v->val[v->n]) == 2)
			v->n++;
	}
	return v->n;
}

/* A counter's value, or -1 when the file has no such line. */
static long long vm_get(const struct vmstat *v, const char *name)
{
	for (int i = 0; i < v->n; i++)
		if (!strcmp(v->name[i], name))
			return (long long)v->val[i];
	return -1;
}

static long long vm_pgalloc(const struct vmstat *v)
{
	long long sum = 0;

	for (int i = 0; i < v->n; i++)
		if (!strncmp(v->name[i], "pgalloc_", 8))
			sum += v->val[i];
	return sum;
}

static int verify_ok(char *out, size_t len)
{
	int r = sb_read_all(SB_DEBUGFS "/verify", out, len);

	if (r < 0)
		snprintf(out, len, "cannot read verify: %s", strerror(-r));
	return r >= 0 && !strcmp(out, "ok\n");
}

/* The sum of COUNT over @cpu's lines, -1 when there are none. */
static long long cpu_pcp_pages(const struct pcp_snap *s, int cpu)
{
	long long sum = -1;

	for (int i = 0; i < s->n; i++)
		if (s->line[i].cpu == cpu)
			sum = (sum < 0 ? 0 : sum) + s->line[i].count;
	return sum;
}

/* ------------------------------------------------------------------ */
/* The machine as the tests see it                                    */

static int nr_possible, nr_online, hot_cpu = -1;
static int online_cpus[MAX_CPUS];

static int alloc_blocks(int fd, unsigned int order, unsigned int flags,
			unsigned int count, uint64_t *h, unsigned int *done)
{
	struct sbuddy_alloc a = {
		.order = order, .flags = flags, .count = count,
		.handles = (uintptr_t)h,
	};
	int r = ioctl(fd, SBUDDY_IOC_ALLOC, &a) ? -errno : 0;

	*done = a.done;
	return r;
}

static int free_blocks(int fd, uint64_t *h, unsigned int count)
{
	struct sbuddy_free f = { .handles = (uintptr_t)h, .count = count };

	return ioctl(fd, SBUDDY_IOC_FREE, &f) ? -errno : 0;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Put pages on @cpu's lists: allocate and free order-0 pages there. */
static int fill_pcp(int fd, int cpu)
{
	uint64_t h[64];
	unsigned int done;
	int r;

	if (pin(cpu))
		return -EINVAL;
	r = alloc_blocks(fd, 0, 0, 64, h, &done);
	if (done)
		free_blocks(fd, h, done);
	if (!r) {
		r = alloc_blocks(fd, 0, SBUDDY_ALLOC_MOVABLE, 64, h, &done);
		if (done)
			free_blocks(fd, h, done);
	}
	return r;
}

FIXTURE(pcp) {
	struct pcp_snap *snap;
	char *buf;
	char err[512];
	int fd;
	int hot_offline;	/* hot_cpu is offline because of this test */
};

FIXTURE_SETUP(pcp)
{
	unsigned long long mask;
	long long pb;

	self->fd = -1;
	self->snap = malloc(sizeof(*self->snap));
	self->buf = malloc(BUFSZ);
	ASSERT_NE(NULL, self->snap);
	ASSERT_NE(NULL, self->buf);
	pb = 0;
	if (sb_read_all("/sys/module/sbuddy/parameters/pb_order", self->buf, 64) > 0)
		pb = strtoll(self->buf, NULL, 10);
	pb_order = pb > 0 ? pb : 9;
	nr_possible = read_cpulist("/sys/devices/system/cpu/possible", &mask);
	ASSERT_LT(0, nr_possible);
	nr_online = read_cpulist("/sys/devices/system/cpu/online", &mask);
	ASSERT_LT(0, nr_online);
	for (int c = 0, i = 0; c < MAX_CPUS; c++)
		if (mask & (1ULL << c)) {
			online_cpus[i++] = c;
			hot_cpu = c;
		}
	if (hot_cpu == 0)
		hot_cpu = -1;
	self->fd = open(SB_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", SB_DEV, strerror(errno));
	ASSERT_EQ(0, access(PCP_FILE, F_OK))
		TH_LOG("no %s: this module has no per-CPU page lists", PCP_FILE);
	ASSERT_EQ(0, access(DRAIN_FILE, F_OK))
		TH_LOG("no %s: this module has no drain knob", DRAIN_FILE);
}

FIXTURE_TEARDOWN(pcp)
{
	if (self->hot_offline) {
		EXPECT_EQ(0, sb_set_cpu_online(hot_cpu, 1)) TH_LOG("bringing cpu%d back", hot_cpu);
	}
	if (self->fd >= 0)
		close(self->fd);
	sb_unpin_cpus(MAX_CPUS);
	drain("all");
	free(self->snap);
	free(self->buf);
}

#define READ_PCP() \
	ASSERT_EQ(0, read_pcp(self->snap, self->buf, self->err, sizeof(self->err))) \
		TH_LOG("%s", self->err)

static const struct pcp_line *pcp_find(const struct pcp_snap *s, const char *zone,
				       int cpu)
{
	for (int i = 0; i < s->n; i++)
		if (s->line[i].cpu == cpu && !strcmp(s->line[i].zone, zone))
			return &s->line[i];
	return NULL;
}

TEST_F(pcp, files_follow_the_contract)
{
	struct zinfo *z = calloc(MAX_ZONES, sizeof(*z));
	struct stat st;
	int nz, populated = 0;

	ASSERT_NE(NULL, z);
	ASSERT_EQ(0, stat(PCP_FILE, &st));
	EXPECT_EQ(0400, st.st_mode & 0777) TH_LOG("pcp mode %o", st.st_mode & 0777);
	ASSERT_EQ(0, stat(DRAIN_FILE, &st));
	EXPECT_EQ(0200, st.st_mode & 0777) TH_LOG("drain mode %o", st.st_mode & 0777);

	EXPECT_EQ(0, drain("all"));
	READ_PCP();
	nz = read_zoneinfo(z, self->buf);
	ASSERT_LT(0, nz);
	for (int i = 0; i < nz; i++)
		populated += z[i].present > 0;
	/* one line per (populated zone, possible CPU) */
	EXPECT_EQ(populated * nr_possible, self->snap->n)
		TH_LOG("%d populated zones, %d possible CPUs", populated, nr_possible);
	for (int i = 0; i < self->snap->n; i++) {
		const struct pcp_line *p = &self->snap->line[i];

		EXPECT_EQ(sb_cpu_online(p->cpu), p->online)
			TH_LOG("line %d: cpu %d ONLINE", i + 2, p->cpu);
		/* drained: nothing anywhere */
		EXPECT_EQ(0, p->count) TH_LOG("zone %s cpu %d after drain all", p->zone, p->cpu);
		EXPECT_EQ(0, pcp_list_pages(p)) TH_LOG("zone %s cpu %d lists", p->zone, p->cpu);
		EXPECT_LE(1, p->batch) TH_LOG("zone %s cpu %d", p->zone, p->cpu);
		EXPECT_LE(0, p->high) TH_LOG("zone %s cpu %d", p->zone, p->cpu);
	}
	/* zoneinfo's pagesets: one per online CPU in every populated zone */
	for (int i = 0; i < nz; i++) {
		if (!z[i].present)
			continue;
		EXPECT_EQ(nr_online, z[i].nsets) TH_LOG("zoneinfo zone %s pagesets", z[i].name);
		for (int j = 0; j < z[i].nsets; j++) {
			const struct pcp_line *p = pcp_find(self->snap, z[i].name,
							    z[i].set[j].cpu);

			ASSERT_NE(NULL, p) TH_LOG("zone %s cpu %d", z[i].name, z[i].set[j].cpu);
			EXPECT_EQ(p->high, z[i].set[j].high)
				TH_LOG("zoneinfo/pcp high of zone %s cpu %d", p->zone, p->cpu);
			EXPECT_EQ(p->batch, z[i].set[j].batch)
				TH_LOG("zoneinfo/pcp batch of zone %s cpu %d", p->zone, p->cpu);
		}
	}
	free(z);
	/* every command but all, local and cpu N is refused */
	EXPECT_EQ(0, drain("all\n"));
	EXPECT_EQ(0, drain("local"));
	EXPECT_EQ(0, drain("cpu 0\n"));
	EXPECT_EQ(-EINVAL, drain("bogus"));
	EXPECT_EQ(-EINVAL, drain("alll"));
	EXPECT_EQ(-EINVAL, drain("cpu"));
	EXPECT_EQ(-EINVAL, drain("cpu x"));
	EXPECT_EQ(-EINVAL, drain("cpu -1"));
	EXPECT_EQ(-EINVAL, drain("cpu 100000"));
	EXPECT_EQ(-EINVAL, drain("\n"));
}

TEST_F(pcp, drain_commands_drain_what_they_say)
{
	int a = online_cpus[0], b = online_cpus[nr_online - 1];
	char cmd[32];

	if (nr_online < 2)
		SKIP(return, "needs 2 online CPUs, has %d", nr_online);
	ASSERT_EQ(0, drain("all"));

	/* cpu N drains N only */
	ASSERT_EQ(0, fill_pcp(self->fd, a));
	ASSERT_EQ(0, fill_pcp(self->fd, b));
	READ_PCP();
	ASSERT_LT(0, cpu_pcp_pages(self->snap, a)) TH_LOG("frees on cpu %d kept nothing", a);
	ASSERT_LT(0, cpu_pcp_pages(self->snap, b)) TH_LOG("frees on cpu %d kept nothing", b);
	snprintf(cmd, sizeof(cmd), "cpu %d", b);
	ASSERT_EQ(0, drain(cmd));
	READ_PCP();
	EXPECT_EQ(0, cpu_pcp_pages(self->snap, b)) TH_LOG("after '%s'", cmd);
	EXPECT_LT(0, cpu_pcp_pages(self->snap, a)) TH_LOG("'%s' drained cpu %d too", cmd, a);

	/* local drains the writer's CPU only */
	ASSERT_EQ(0, fill_pcp(self->fd, b));
	ASSERT_EQ(0, pin(a));
	ASSERT_EQ(0, drain("local"));
	READ_PCP();
	EXPECT_EQ(0, cpu_pcp_pages(self->snap, a)) TH_LOG("'local' written on cpu %d", a);
	EXPECT_LT(0, cpu_pcp_pages(self->snap, b))
		TH_LOG("'local' written on cpu %d drained cpu %d", a, b);

	/* all drains everything; every page is back and consistent */
	ASSERT_EQ(0, fill_pcp(self->fd, a));
	ASSERT_EQ(0, drain("all"));
	READ_PCP();
	for (int i = 0; i < self->snap->n; i++) {
		EXPECT_EQ(0, self->snap->line[i].count)
			TH_LOG("zone %s cpu %d after 'all'", self->snap->line[i].zone,
			       self->snap->line[i].cpu);
		EXPECT_EQ(0, pcp_list_pages(&self->snap->line[i]));
	}
	EXPECT_TRUE(verify_ok(self->err, sizeof(self->err))) TH_LOG("verify: %s", self->err);
}

TEST_F(pcp, offline_cpu_is_drained)
{
	const struct pcp_line *p;
	long long held;

	if (nr_online < 2)
		SKIP(return, "needs 2 online CPUs, has %d", nr_online);
	if (hot_cpu < 0 || sb_cpu_online(hot_cpu) < 0)
		SKIP(return, "cpu%d cannot be taken offline (no online file)", hot_cpu);
	ASSERT_EQ(0, fill_pcp(self->fd, hot_cpu));
	sb_unpin_cpus(MAX_CPUS);
	READ_PCP();
	held = cpu_pcp_pages(self->snap, hot_cpu);
	ASSERT_LT(0, held) TH_LOG("frees on cpu %d kept nothing on its lists", hot_cpu);

	ASSERT_EQ(0, sb_set_cpu_online(hot_cpu, 0)) TH_LOG("offlining cpu%d", hot_cpu);
	self->hot_offline = 1;
	READ_PCP();
	for (int i = 0; i < self->snap->n; i++) {
		p = &self->snap->line[i];
		if (p->cpu != hot_cpu)
			continue;
		EXPECT_EQ(0, p->online) TH_LOG("zone %s cpu %d offline", p->zone, p->cpu);
		EXPECT_EQ(0, p->count)
			TH_LOG("zone %s: cpu %d went offline holding %lld pages (%lld before)",
			       p->zone, p->cpu, p->count, held);
		for (int l = 0; l < NR_PCP_LISTS; l++) {
			EXPECT_EQ(0, p->l[l]) TH_LOG("zone %s cpu %d list L%d", p->zone, p->cpu, l);
		}
	}
	/* the pages came back to the buddy lists */
	EXPECT_TRUE(verify_ok(self->err, sizeof(self->err))) TH_LOG("verify: %s", self->err);

	ASSERT_EQ(0, sb_set_cpu_online(hot_cpu, 1)) TH_LOG("onlining cpu%d", hot_cpu);
	self->hot_offline = 0;
	READ_PCP();
	for (int i = 0; i < self->snap->n; i++) {
		if (self->snap->line[i].cpu == hot_cpu) {
			EXPECT_EQ(1, self->snap->line[i].online);
		}
	}
	/* and the CPU caches pages again */
	ASSERT_EQ(0, fill_pcp(self->fd, hot_cpu));
	READ_PCP();
	EXPECT_LT(0, cpu_pcp_pages(self->snap, hot_cpu)) TH_LOG("cpu%d back online", hot_cpu);
}

/* ------------------------------------------------------------------ */
/* The stress                                                          */

#define OWN_MAX		1024	/* blocks a worker holds at most */
#define OWN_PAGES_MAX	1536	/* pages a worker holds at most */
#define INBOX		256
#define MAX_ERRS	16

struct blk {
	uint64_t h;
	unsigned int order;
	int cpu;		/* where it was allocated */
};

struct worker {
	pthread_t th;
	int idx, cpu;
	unsigned int seed;
	struct blk own[OWN_MAX];
	int nown;
	long long own_pages;
	pthread_mutex_t lock;	/* inbox: blocks other workers hand over */
	struct blk inbox[INBOX];
	int nin;
	/* what it did */
	long long allocs, frees, cross_frees, enomem, enomem_low, off_cpu;
	long long by_order[NR_ORDERS];
};

static struct {
	int fd;
	volatile int stop;
	int nworkers;
	struct worker *w;
	struct timespec t0;
	pthread_mutex_t lock;
	int nerr;
	char err[MAX_ERRS][400];
	long long alloc_pages, freed_pages;	/* under lock */
	long long drains[3], drain_errs_hot;
	int hot_cycles;
	long long hot_held_max;
	int hot_held_cycles;
	/*
	 * The hotplug thread holds the drainer off around an offline, and
	 * the hot CPU's worker from its fill to the offline: that worker's
	 * frees of order 1-3 drain its whole list (6.1's free_high).
	 */
	volatile int drain_pause, drainer_parked, hot_pause, hot_parked;
	/* the largest HIGH seen per pcp line, and the line's key */
	int nkeys;
	struct { int nid, cpu; char zone[16]; long long high_max; } key[MAX_LINES];
	long long region_pages, thresh_slack;
} st;

static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - st.t0.tv_sec) + (t.tv_nsec - st.t0.tv_nsec) / 1e9;
}

/* Record a violation: what, where, when. */
static void __attribute__((format(printf, 1, 2))) violation(const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = snprintf(msg, sizeof(msg), "t=%.2fs: ", elapsed());
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&st.lock);
	if (st.nerr < MAX_ERRS) {
		strcpy(st.err[st.nerr], msg);
		fprintf(stderr, "# violation: %s\n", msg);
	}
	st.nerr++;
	pthread_mutex_unlock(&st.lock);
}

static unsigned int rnd(unsigned int *seed)
{
	return rand_r(seed);
}

static void account(long long alloc, long long freed)
{
	pthread_mutex_lock(&st.lock);
	st.alloc_pages += alloc;
	st.freed_pages += freed;
	pthread_mutex_unlock(&st.lock);
}

static void free_batch(struct worker *w, struct blk *b, int n, const char *what)
{
	uint64_t h[INBOX];
	long long pages = 0;
	int cpu = sched_getcpu(), r;

	for (int i = 0; i < n; i++) {
		h[i] = b[i].h;
		pages += 1LL << b[i].order;
		if (b[i].cpu != cpu)
			w->cross_frees++;
	}
	r = free_blocks(st.fd, h, n);
	if (r)
		violation("worker %d on cpu %d: freeing %d %s blocks (first handle %llu, order %u, allocated on cpu %d): %s",
			  w->idx, cpu, n, what, (unsigned long long)b[0].h, b[0].order,
			  b[0].cpu, strerror(-r));
	else
		account(0, pages);
	w->frees += n;
}

static void give_away(struct worker *w, struct blk *b)
{
	struct worker *to;
	int i = rnd(&w->seed) % (st.nworkers - 1);

	to = &st.w[i >= w->idx ? i + 1 : i];
	pthread_mutex_lock(&to->lock);
	if (to->nin < INBOX) {
		to->inbox[to->nin++] = *b;
		b = NULL;
	}
	pthread_mutex_unlock(&to->lock);
	if (b)
		free_batch(w, b, 1, "own");
}

static void empty_inbox(struct worker *w)
{
	struct blk b[INBOX];
	int n;

	pthread_mutex_lock(&w->lock);
	n = w->nin;
	memcpy(b, w->inbox, n * sizeof(b[0]));
	w->nin = 0;
	pthread_mutex_unlock(&w->lock);
	if (n)
		free_batch(w, b, n, "handed-over");
}

static const unsigned int mobility[] = {
	0, SBUDDY_ALLOC_MOVABLE, SBUDDY_ALLOC_RECLAIMABLE,
};

static void worker_alloc(struct worker *w)
{
	unsigned int r = rnd(&w->seed), order, count, done;
	unsigned int flags = mobility[r % 3];
	uint64_t h[8];
	int cpu, err;

	r /= 3;
	order = r % 100 < 4 ? 9 : (r / 100) % 4;
	count = order == 9 ? 1 : 1 + (r / 400) % 8;
	if (w->nown + count > OWN_MAX ||
	    w->own_pages + ((long long)count << order) > OWN_PAGES_MAX)
		return;
	cpu = sched_getcpu();
	err = alloc_blocks(st.fd, order, flags, count, h, &done);
	if (err == -ENOMEM) {
		w->enomem++;
		if (order < 9)
			w->enomem_low++;
	} else if (err) {
		violation("worker %d on cpu %d: allocating %u blocks of order %u flags %#x: %s",
			  w->idx, cpu, count, order, flags, strerror(-err));
	}
	for (unsigned int i = 0; i < done; i++) {
		w->own[w->nown++] = (struct blk){ h[i], order, cpu };
		w->own_pages += 1LL << order;
	}
	account((long long)done << order, 0);
	w->allocs += done;
	w->by_order[order] += done;
}

static void worker_free(struct worker *w)
{
	struct blk b[8];
	int n = 0, k = 1 + rnd(&w->seed) % 8;

	while (k-- && w->nown) {
		int i = rnd(&w->seed) % w->nown;
		struct blk x = w->own[i];

		w->own[i] = w->own[--w->nown];
		w->own_pages -= 1LL << x.order;
		if (rnd(&w->seed) % 3 == 0)
			give_away(w, &x);	/* another CPU frees it */
		else
			b[n++] = x;
	}
	if (n)
		free_batch(w, b, n, "own");
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;

	pin(w->cpu);
	while (!st.stop) {
		if (st.hot_pause && w->cpu == hot_cpu) {
			st.hot_parked = 1;
			usleep(1000);
			continue;
		}
		if (sched_getcpu() != w->cpu) {
			/* its CPU went offline, or is just back: follow it */
			w->off_cpu++;
			pin(w->cpu);
		}
		empty_inbox(w);
		if (w->own_pages > OWN_PAGES_MAX * 3 / 4 || rnd(&w->seed) % 5 < 2)
			worker_free(w);
		else
			worker_alloc(w);
	}
	/* give back everything this worker still owns */
	empty_inbox(w);
	while (w->nown) {
		int n = w->nown < 64 ? w->nown : 64;

		free_batch(w, &w->own[w->nown - n], n, "own");
		w->nown -= n;
	}
	w->own_pages = 0;
	return NULL;
}

static void *drainer_fn(void *arg)
{
	unsigned int seed = 4242;
	char cmd[32];

	(void)arg;
	while (!st.stop) {
		unsigned int r = rnd(&seed);
		int kind = r % 3, cpu = -1, err;

		if (st.drain_pause) {
			st.drainer_parked = 1;
			usleep(1000);
			continue;
		}
		st.drainer_parked = 0;

		if (kind == 0) {
			strcpy(cmd, "all");
		} else if (kind == 1) {
			/* drain wherever the drainer happens to be put */
			pin(online_cpus[(r / 3) % nr_online]);
			strcpy(cmd, "local");
		} else {
			cpu = online_cpus[(r / 3) % nr_online];
			snprintf(cmd, sizeof(cmd), "cpu %d", cpu);
		}
		err = drain(cmd);
		if (err && cpu == hot_cpu) {
			st.drain_errs_hot++;	/* an offline CPU may be refused */
		} else if (err) {
			violation("drain '%s' (drainer on cpu %d): %s", cmd,
				  sched_getcpu(), strerror(-err));
		} else {
			st.drains[kind]++;
		}
		usleep(1000 + r % 4000);
	}
	return NULL;
}

/*
 * Check one pcp snapshot: nothing negative, COUNT within the bound, the
 * lines the same as at the start.  Updates the largest HIGH seen.
 */
static void check_pcp(const struct pcp_snap *s, const char *where)
{
	pthread_mutex_lock(&st.lock);
	if (s->n != st.nkeys) {
		pthread_mutex_unlock(&st.lock);
		violation("%s: pcp has %d lines, had %d", where, s->n, st.nkeys);
		return;
	}
	for (int i = 0; i < s->n; i++) {
		const struct pcp_line *p = &s->line[i];

		if (p->nid != st.key[i].nid || p->cpu != st.key[i].cpu ||
		    strcmp(p->zone, st.key[i].zone)) {
			pthread_mutex_unlock(&st.lock);
			violation("%s: pcp line %d is node %d zone %s cpu %d, was node %d zone %s cpu %d",
				  where, i + 2, p->nid, p->zone, p->cpu, st.key[i].nid,
				  st.key[i].zone, st.key[i].cpu);
			return;
		}
		if (p->high > st.key[i].high_max)
			st.key[i].high_max = p->high;
	}
	pthread_mutex_unlock(&st.lock);
	for (int i = 0; i < s->n; i++) {
		const struct pcp_line *p = &s->line[i];
		long long bound = pcp_count_bound(st.key[i].high_max, p->batch);

		if (p->count < 0)
			violation("%s: node %d zone %s cpu %d: COUNT %lld is negative",
				  where, p->nid, p->zone, p->cpu, p->count);
		/* a line is read under its pageset's lock: it is exact */
		if (p->count != pcp_list_pages(p))
			violation("%s: node %d zone %s cpu %d: COUNT %lld but its lists hold %lld pages",
				  where, p->nid, p->zone, p->cpu, p->count,
				  pcp_list_pages(p));
		else if (p->count > bound)
			violation("%s: node %d zone %s cpu %d: COUNT %lld above its bound %lld (HIGH %lld, largest HIGH seen %lld, BATCH %lld)",
				  where, p->nid, p->zone, p->cpu, p->count, bound,
				  p->high, st.key[i].high_max, p->batch);
		if (p->high < 0 || p->batch < 0 || p->free_factor < 0 ||
		    (p->online != 0 && p->online != 1))
			violation("%s: node %d zone %s cpu %d: HIGH %lld BATCH %lld FREE_FACTOR %lld ONLINE %d",
				  where, p->nid, p->zone, p->cpu, p->high, p->batch,
				  p->free_factor, p->online);
		for (int l = 0; l < NR_PCP_LISTS; l++)
			if (p->l[l] < 0)
				violation("%s: node %d zone %s cpu %d: list L%d holds %lld blocks",
					  where, p->nid, p->zone, p->cpu, l, p->l[l]);
	}
}

/* The offlined CPU's lines: ONLINE 0, COUNT 0, every list empty. */
static void check_offline(const struct pcp_snap *s, int cpu, const char *where)
{
	for (int i = 0; i < s->n; i++) {
		const struct pcp_line *p = &s->line[i];
		long long blocks = 0;

		for (int l = 0; l < NR_PCP_LISTS; l++)
			blocks += p->l[l];
		if (p->cpu != cpu) {
			if (p->online != 1)
				violation("%s: zone %s cpu %d reads ONLINE %d, it is online",
					  where, p->zone, p->cpu, p->online);
			continue;
		}
		if (p->online || p->count || blocks)
			violation("%s: offline cpu %d zone %s: ONLINE %d COUNT %lld, %lld blocks on its lists (not drained)",
				  where, cpu, p->zone, p->online, p->count, blocks);
	}
}

/* Pages on @cpu's lists, allocated and freed there by this thread. */
static void hot_fill(int cpu)
{
	uint64_t h[64];
	unsigned int done;
	int r;

	if (pin(cpu))
		return;
	for (unsigned int i = 0; i < 2; i++) {
		r = alloc_blocks(st.fd, 0, mobility[i], 64, h, &done);
		if (r && r != -ENOMEM)
			violation("hotplug: allocating 64 pages on cpu %d: %s", cpu, strerror(-r));
		account(done, 0);
		if (done && (r = free_blocks(st.fd, h, done)))
			violation("hotplug: freeing %u pages on cpu %d: %s", done, cpu, strerror(-r));
		else
			account(0, done);
	}
	sb_unpin_cpus(MAX_CPUS);
}

static void *hotplug_fn(void *arg)
{
	double period = *(double *)arg;
	struct pcp_snap *s = malloc(sizeof(*s));
	char *buf = malloc(BUFSZ), err[512], where[64];
	int r;

	if (!s || !buf) {
		violation("hotplug: out of memory");
		goto out;
	}
	for (int cycle = 0; !st.stop; cycle++) {
		double start = elapsed();

		usleep(period * 0.2 * 1e6);
		if (st.stop)
			break;
		/*
		 * No drain from here until the check right after the offline,
		 * so that what the check sees is the hotplug callback's work;
		 * and pages on the lists for it to drain, which this CPU's
		 * worker would take or drain away.  The other workers carry on.
		 */
		st.drainer_parked = 0;
		st.hot_parked = 0;
		st.drain_pause = 1;
		st.hot_pause = 1;
		while ((!st.drainer_parked || !st.hot_parked) && !st.stop)
			usleep(1000);
		hot_fill(hot_cpu);
		if (!read_pcp(s, buf, err, sizeof(err))) {
			long long held = cpu_pcp_pages(s, hot_cpu);

			if (held > st.hot_held_max)
				st.hot_held_max = held;
			if (held > 0)
				st.hot_held_cycles++;
		}
		r = sb_set_cpu_online(hot_cpu, 0);
		st.hot_pause = 0;	/* its worker runs on elsewhere */
		if (r) {
			st.drain_pause = 0;
			violation("hotplug cycle %d: taking cpu%d offline: %s", cycle,
				  hot_cpu, strerror(-r));
			break;
		}
		/* right after the offline, and again while the others run on */
		for (int k = 0; k < 2; k++) {
			snprintf(where, sizeof(where), "cycle %d, cpu%d offline (%s)",
				 cycle, hot_cpu, k ? "later" : "at once");
			if (read_pcp(s, buf, err, sizeof(err)))
				violation("%s: %s", where, err);
			else {
				check_pcp(s, where);
				check_offline(s, hot_cpu, where);
			}
			st.drain_pause = 0;	/* "cpu N" may drain it now */
			if (!k)
				usleep(period * 0.4 * 1e6);
		}
		r = sb_set_cpu_online(hot_cpu, 1);
		if (r) {
			violation("hotplug cycle %d: bringing cpu%d back: %s", cycle,
				  hot_cpu, strerror(-r));
			break;
		}
		st.hot_cycles++;
		snprintf(where, sizeof(where), "cycle %d, cpu%d back online", cycle, hot_cpu);
		if (read_pcp(s, buf, err, sizeof(err)))
			violation("%s: %s", where, err);
		else {
			check_pcp(s, where);
			for (int i = 0; i < s->n; i++)
				if (s->line[i].cpu == hot_cpu && s->line[i].online != 1)
					violation("%s: zone %s reads ONLINE %d", where,
						  s->line[i].zone, s->line[i].online);
		}
		while (!st.stop && elapsed() < start + period)
			usleep(10000);
	}
out:
	free(s);
	free(buf);
	return NULL;
}

/* vmstat: nothing absurd, the events never go backwards. */
static void check_vmstat(const struct vmstat *v, const struct vmstat *prev,
			 const char *where)
{
	for (int i = 0; i < v->n; i++) {
		const char *name = v->name[i];
		unsigned long long val = v->val[i];

		if (val >= 1ULL << 62) {
			violation("%s: vmstat %s = %llu (a negative count?)", where, name, val);
			continue;
		}
		if (!strncmp(name, "nr_", 3)) {
			long long limit = st.region_pages +
				(strcmp(name, "nr_free_pages") ? 0 : st.thresh_slack);

			if ((long long)val > limit)
				violation("%s: vmstat %s = %llu, more than the region's %lld pages",
					  where, name, val, limit);
		} else if (prev && i < prev->n && !strcmp(prev->name[i], name) &&
			   val < prev->val[i]) {
			violation("%s: vmstat event %s went back from %llu to %llu",
				  where, name, prev->val[i], val);
		}
	}
}

static void check_zoneinfo(const struct zinfo *z, int nz, const char *where)
{
	for (int i = 0; i < nz; i++) {
		long long slack = 0;

		for (int j = 0; j < z[i].nsets; j++) {
			slack += z[i].set[j].thresh;
			if (z[i].set[j].count < 0)
				violation("%s: zoneinfo zone %s cpu %d pageset count %lld",
					  where, z[i].name, z[i].set[j].cpu, z[i].set[j].count);
		}
		if (z[i].free > z[i].managed + slack || z[i].free < 0)
			violation("%s: zoneinfo zone %s: pages free %lld, managed %lld",
				  where, z[i].name, z[i].free, z[i].managed);
		if (z[i].nr_free > z[i].managed + slack || z[i].nr_free < 0)
			violation("%s: zoneinfo zone %s: nr_free_pages %lld, managed %lld",
				  where, z[i].name, z[i].nr_free, z[i].managed);
	}
}

static int stress_seconds(void)
{
	const char *s = getenv("SB_STRESS_SECONDS");
	int n = s ? atoi(s) : 0;

	return n > 0 ? n : 5;
}

TEST_F_TIMEOUT(pcp, stress_many_cpus, 180)
{
	struct zinfo *z = calloc(MAX_ZONES, sizeof(*z));
	struct vmstat *v0 = malloc(sizeof(*v0)), *v = malloc(sizeof(*v));
	struct vmstat *prev = malloc(sizeof(*prev));
	pthread_t drainer, hotplug;
	double seconds = stress_seconds(), period;
	long long free0, buddy, pcp_pages, managed = 0, zfree = 0;
	long long missing, trylock_fail;
	long long sum[8] = { 0 };
	int nz, samples = 0, threads_ok = 1;
	char where[64];

	ASSERT_NE(NULL, z);
	ASSERT_NE(NULL, v0);
	ASSERT_NE(NULL, v);
	ASSERT_NE(NULL, prev);
	if (nr_online < 2)
		SKIP(return, "needs 2 online CPUs, has %d", nr_online);
	if (hot_cpu < 0 || sb_cpu_online(hot_cpu) < 0)
		SKIP(return, "cpu%d cannot be taken offline (no online file)", hot_cpu);

	memset(&st, 0, sizeof(st));
	pthread_mutex_init(&st.lock, NULL);
	st.fd = self->fd;
	clock_gettime(CLOCK_MONOTONIC, &st.t0);

	/* the starting point: everything drained, all of it free */
	ASSERT_EQ(0, drain("all"));
	READ_PCP();
	for (int i = 0; i < self->snap->n; i++) {
		const struct pcp_line *p = &self->snap->line[i];

		st.key[i].nid = p->nid;
		st.key[i].cpu = p->cpu;
		strcpy(st.key[i].zone, p->zone);
		st.key[i].high_max = p->high;
		EXPECT_EQ(0, p->count) TH_LOG("zone %s cpu %d after drain all", p->zone, p->cpu);
	}
	st.nkeys = self->snap->n;
	nz = read_zoneinfo(z, self->buf);
	ASSERT_LT(0, nz);
	for (int i = 0; i < nz; i++) {
		long long thresh = 0;

		managed += z[i].managed;
		zfree += z[i].free;
		/* per-CPU vm_stat diffs not yet folded: at most threshold each */
		for (int j = 0; j < z[i].nsets; j++)
			if (z[i].set[j].thresh > thresh)
				thresh = z[i].set[j].thresh;
		st.thresh_slack += thresh * nr_possible;
	}
	st.region_pages = sb_read_key(SB_DEBUGFS "/region", "nr_pages");
	ASSERT_LT(0, st.region_pages);
	free0 = buddy_free_pages(self->buf);
	ASSERT_LT(0, free0);
	EXPECT_EQ(zfree, free0) TH_LOG("zoneinfo pages free vs buddyinfo at the start");
	EXPECT_GE(managed, free0);
	ASSERT_LT(0, read_vmstat(v0, self->buf));
	*prev = *v0;
	TH_LOG("%d CPUs online, cpu%d goes offline and back; %lld of %lld managed pages free; %.0f s",
	       nr_online, hot_cpu, free0, managed, seconds);

	/* the workers, one per online CPU, the drainer, the hotplug thread */
	st.nworkers = nr_online;
	st.w = calloc(st.nworkers, sizeof(*st.w));
	ASSERT_NE(NULL, st.w);
	for (int i = 0; i < st.nworkers; i++) {
		struct worker *w = &st.w[i];

		w->idx = i;
		w->cpu = online_cpus[i];
		w->seed = 1000 + i;
		pthread_mutex_init(&w->lock, NULL);
		if (pthread_create(&w->th, NULL, worker_fn, w)) {
			threads_ok = 0;
			st.nworkers = i;
			break;
		}
	}
	EXPECT_TRUE(threads_ok);
	EXPECT_EQ(0, pthread_create(&drainer, NULL, drainer_fn, NULL));
	period = seconds / 2;	/* two offline/online cycles */
	self->hot_offline = 1;	/* teardown brings it back if we die */
	EXPECT_EQ(0, pthread_create(&hotplug, NULL, hotplug_fn, &period));

	/* sample the views until the time is up */
	while (elapsed() < seconds) {
		samples++;
		snprintf(where, sizeof(where), "sample %d", samples);
		if (read_pcp(self->snap, self->buf, self->err, sizeof(self->err)))
			violation("%s: %s", where, self->err);
		else
			check_pcp(self->snap, where);
		nz = read_zoneinfo(z, self->buf);
		if (nz <= 0)
			violation("%s: cannot parse zoneinfo", where);
		else
			check_zoneinfo(z, nz, where);
		if (read_vmstat(v, self->buf) <= 0) {
			violation("%s: cannot read vmstat", where);
		} else {
			check_vmstat(v, prev, where);
			*prev = *v;
		}
		usleep(20000);
	}
	st.stop = 1;
	pthread_join(hotplug, NULL);
	self->hot_offline = sb_cpu_online(hot_cpu) == 0;
	if (self->hot_offline) {
		violation("cpu%d was left offline", hot_cpu);
		EXPECT_EQ(0, sb_set_cpu_online(hot_cpu, 1));
		self->hot_offline = 0;
	}
	pthread_join(drainer, NULL);
	for (int i = 0; i < st.nworkers; i++)
		pthread_join(st.w[i].th, NULL);
	/* hand-overs to workers that had already finished */
	for (int i = 0; i < st.nworkers; i++)
		empty_inbox(&st.w[i]);
	sb_unpin_cpus(MAX_CPUS);

	for (int i = 0; i < st.nworkers; i++) {
		struct worker *w = &st.w[i];

		TH_LOG("worker %d (cpu %d): %lld allocs (o0 %lld o1 %lld o2 %lld o3 %lld o9 %lld), %lld frees, %lld on another CPU, %lld ENOMEM (%lld below order 9), %lld times off its CPU",
		       i, w->cpu, w->allocs, w->by_order[0], w->by_order[1],
		       w->by_order[2], w->by_order[3], w->by_order[9], w->frees,
		       w->cross_frees, w->enomem, w->enomem_low, w->off_cpu);
		sum[0] += w->allocs;
		sum[1] += w->cross_frees;
		sum[2] += w->enomem_low;
	}
	TH_LOG("drains: %lld all, %lld local, %lld cpu N (%lld refused for the offline CPU); %d hotplug cycles, cpu%d held pages before going offline in %d, up to %lld; %d samples",
	       st.drains[0], st.drains[1], st.drains[2], st.drain_errs_hot,
	       st.hot_cycles, hot_cpu, st.hot_held_cycles, st.hot_held_max, samples);

	/* the stress was one */
	EXPECT_LT(0, sum[0]) TH_LOG("no allocation at all");
	EXPECT_LT(0, sum[1]) TH_LOG("no block was freed on a CPU other than its allocator's");
	EXPECT_LT(0, st.hot_cycles) TH_LOG("cpu%d never went offline and back", hot_cpu);
	EXPECT_LT(0, st.hot_held_cycles) TH_LOG("cpu%d never had pages to drain when it went offline", hot_cpu);
	EXPECT_LT(0, st.drains[0] + st.drains[1] + st.drains[2]);
	EXPECT_EQ(st.alloc_pages, st.freed_pages) TH_LOG("pages allocated vs freed by the workers");

	/* quiescent: the lists hold exactly COUNT pages; nothing is lost */
	READ_PCP();
	check_pcp(self->snap, "at the end");
	pcp_pages = 0;
	for (int i = 0; i < self->snap->n; i++) {
		const struct pcp_line *p = &self->snap->line[i];

		pcp_pages += p->count;
		EXPECT_EQ(pcp_list_pages(p), p->count)
			TH_LOG("at the end: zone %s cpu %d: COUNT vs the blocks on its lists",
			       p->zone, p->cpu);
		EXPECT_EQ(sb_cpu_online(p->cpu), p->online)
			TH_LOG("at the end: zone %s cpu %d ONLINE", p->zone, p->cpu);
	}
	EXPECT_TRUE(verify_ok(self->err, sizeof(self->err)))
		TH_LOG("verify before the final drain: %s", self->err);
	buddy = buddy_free_pages(self->buf);
	EXPECT_EQ(free0, buddy + pcp_pages)
		TH_LOG("buddy %lld + pcp %lld pages, %lld free at the start", buddy,
		       pcp_pages, free0);

	/* drain all: every page is back in the buddy lists */
	EXPECT_EQ(0, drain("all"));
	READ_PCP();
	for (int i = 0; i < self->snap->n; i++) {
		const struct pcp_line *p = &self->snap->line[i];

		EXPECT_EQ(0, p->count) TH_LOG("after drain all: zone %s cpu %d", p->zone, p->cpu);
		EXPECT_EQ(0, pcp_list_pages(p))
			TH_LOG("after drain all: zone %s cpu %d lists", p->zone, p->cpu);
	}
	EXPECT_TRUE(verify_ok(self->err, sizeof(self->err)))
		TH_LOG("verify after drain all: %s", self->err);
	EXPECT_EQ(free0, buddy_free_pages(self->buf)) TH_LOG("buddyinfo pages after drain all");
	nz = read_zoneinfo(z, self->buf);
	ASSERT_LT(0, nz);
	zfree = 0;
	for (int i = 0; i < nz; i++)
		zfree += z[i].free;
	EXPECT_EQ(free0, zfree) TH_LOG("zoneinfo pages free after drain all");

	/* the counters moved by what the workers did */
	ASSERT_LT(0, read_vmstat(v, self->buf));
	check_vmstat(v, prev, "at the end");
	EXPECT_EQ(free0, vm_get(v, "nr_free_pages"));
	EXPECT_EQ(st.alloc_pages, vm_pgalloc(v) - vm_pgalloc(v0)) TH_LOG("pgalloc_* delta");
	/*
	 * 6.1's free_unref_page() counts PGFREE in free_unref_page_commit()
	 * only: a free that finds its pcp lock busy (a drain of that CPU
	 * from elsewhere) goes to free_one_page() uncounted.  So pgfree
	 * falls short by at most one block per failed trylock.
	 */
	missing = st.freed_pages - (vm_get(v, "pgfree") - vm_get(v0, "pgfree"));
	trylock_fail = vm_get(v, "sbuddy_pcp_trylock_fail") -
		       vm_get(v0, "sbuddy_pcp_trylock_fail");
	EXPECT_LE(0, missing) TH_LOG("pgfree grew by more than the pages freed");
	EXPECT_GE(trylock_fail << pb_order, missing)
		TH_LOG("pgfree is %lld pages short of the pages freed, with %lld failed pcp trylocks",
		       missing, trylock_fail);
	EXPECT_EQ(vm_get(v0, "sbuddy_bad_page"), vm_get(v, "sbuddy_bad_page"));
	EXPECT_LT(vm_get(v0, "sbuddy_pcp_refill"), vm_get(v, "sbuddy_pcp_refill"))
		TH_LOG("no pcp refill (rmqueue_bulk) counted");
	EXPECT_LT(vm_get(v0, "sbuddy_pcp_free_bulk"), vm_get(v, "sbuddy_pcp_free_bulk"))
		TH_LOG("no free_pcppages_bulk counted");
	EXPECT_LT(vm_get(v0, "sbuddy_pcp_drain"), vm_get(v, "sbuddy_pcp_drain"))
		TH_LOG("no drain that freed pages counted");
	TH_LOG("vmstat deltas: pgalloc %lld pgfree %lld (%lld short, %lld trylock fails) pcp_refill %lld pcp_free_bulk %lld pcp_drain %lld",
	       vm_pgalloc(v) - vm_pgalloc(v0), vm_get(v, "pgfree") - vm_get(v0, "pgfree"),
	       missing, trylock_fail,
	       vm_get(v, "sbuddy_pcp_refill") - vm_get(v0, "sbuddy_pcp_refill"),
	       vm_get(v, "sbuddy_pcp_free_bulk") - vm_get(v0, "sbuddy_pcp_free_bulk"),
	       vm_get(v, "sbuddy_pcp_drain") - vm_get(v0, "sbuddy_pcp_drain"));

	EXPECT_EQ(0, st.nerr) TH_LOG("%d violations during the stress, the first: %s",
				     st.nerr, st.nerr ? st.err[0] : "");
	for (int i = 0; i < st.nworkers; i++)
		pthread_mutex_destroy(&st.w[i].lock);
	free(st.w);
	free(z);
	free(v0);
	free(v);
	free(prev);
}

TEST_HARNESS_MAIN
