// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy views selftests: buddyinfo, pagetypeinfo, zoneinfo and vmstat in
 * debugfs read like the guest kernel's own /proc files.  Every line is
 * parsed and printed again with mm/vmstat.c's format strings; the line
 * must come back byte for byte.  The same round trip is applied to the
 * guest's real /proc file first, so the formats checked are the running
 * kernel's, not this file's idea of them.
 */
#include <ctype.h>
#include <regex.h>
#include <sys/ioctl.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define MAXLINES	4096
#define NR_ORDERS	11

struct text {
	int n;
	char *line[MAXLINES];
};

static int text_read(const char *path, struct text *t)
{
	char buf[4096];
	FILE *f = fopen(path, "r");

	t->n = 0;
	if (!f)
		return -errno;
	while (t->n < MAXLINES && fgets(buf, sizeof(buf), f))
		t->line[t->n++] = strdup(buf);
	fclose(f);
	return t->n;
}

static void text_free(struct text *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->line[i]);
	t->n = 0;
}

/* Append the numbers of @s, each printed with @fmt, to @out. */
static int reprint_numbers(const char *s, const char *fmt, char *out,
			   size_t len, int *count)
{
	char *end;

	*count = 0;
	while (*s && *s != '\n') {
		unsigned long v;
		int over = 0;

		while (*s == ' ')
			s++;
		if (*s == '\n' || !*s)
			break;
		if (*s == '>') {	/* pagetypeinfo's overflow mark */
			over = 1;
			s++;
		}
		if (!isdigit((unsigned char)*s))
			return -1;
		v = strtoul(s, &end, 10);
		s = end;
		if (over)
			strncat(out, ">", len - strlen(out) - 1);
		snprintf(out + strlen(out), len - strlen(out), fmt, v);
		(*count)++;
	}
	strncat(out, "\n", len - strlen(out) - 1);
	return 0;
}

/* buddyinfo: "Node %d, zone %8s " then "%6lu " per order. */
static int buddyinfo_roundtrip(const char *line, int *orders)
{
	char name[32], out[1024];
	int nid, pos;

	if (sscanf(line, "Node %d, zone %31s %n", &nid, name, &pos) != 2)
		return -1;
	snprintf(out, sizeof(out), "Node %d, zone %8s ", nid, name);
	if (reprint_numbers(line + pos, "%6lu ", out, sizeof(out), orders))
		return -1;
	return strcmp(out, line) ? -1 : 0;
}

static void check_buddyinfo(struct __test_metadata *_metadata, const char *path)
{
	struct text t;
	int orders;

	ASSERT_LT(0, text_read(path, &t)) TH_LOG("%s", path);
	for (int i = 0; i < t.n; i++) {
		EXPECT_EQ(0, buddyinfo_roundtrip(t.line[i], &orders))
			TH_LOG("%s:%d: %s", path, i + 1, t.line[i]);
		EXPECT_EQ(NR_ORDERS, orders) TH_LOG("%s:%d", path, i + 1);
	}
	text_free(&t);
}

/*
 * Hold a fragmented mix while the views are read, so that every column
 * has numbers of several widths and blocks of every type and order show:
 * blocks of orders 0..4 and 9 of the three types, every other one freed.
 */
static int held_fd = -1;
#define MAX_HELD 8192
static uint64_t held[MAX_HELD];	/* the handles kept */
static unsigned int nr_held;

static void __attribute__((constructor)) hold_mix(void)
{
	static const struct { unsigned int order, flags, count; } mix[] = {
		{ 0, 0, 1500 }, { 0, SBUDDY_ALLOC_MOVABLE, 3000 },
		{ 0, SBUDDY_ALLOC_RECLAIMABLE, 700 }, { 1, 0, 300 },
		{ 2, SBUDDY_ALLOC_MOVABLE, 200 }, { 3, SBUDDY_ALLOC_RECLAIMABLE, 90 },
		{ 4, 0, 40 }, { 9, SBUDDY_ALLOC_MOVABLE, 3 },
	};
	static uint64_t h[3000];

	nr_held = 0;
	held_fd = open(SB_DEV, O_RDWR | O_CLOEXEC);
	if (held_fd < 0)
		return;
	for (unsigned int i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		struct sbuddy_alloc a = {
			.order = mix[i].order, .flags = mix[i].flags,
			.count = mix[i].count, .handles = (uintptr_t)h,
		};

		if (ioctl(held_fd, SBUDDY_IOC_ALLOC, &a) && errno != ENOMEM)
			continue;
		for (uint32_t j = 0; j < a.done; j += 2) {
			struct sbuddy_free f = { .handles = (uintptr_t)&h[j], .count = 1 };

			ioctl(held_fd, SBUDDY_IOC_FREE, &f);
			if (j + 1 < a.done && nr_held < MAX_HELD)
				held[nr_held++] = h[j + 1];
		}
	}
}

TEST(mix_is_held)
{
	/* the machine is not idle: some order-0 page is free on a split */
	struct text t;
	int busy = 0;

	ASSERT_LE(0, held_fd);
	ASSERT_LT(0, text_read(SB_DEBUGFS "/buddyinfo", &t));
	for (int i = 0; i < t.n; i++) {
		char name[32];
		unsigned long o0;
		int nid;

		if (sscanf(t.line[i], "Node %d, zone %31s %lu", &nid, name, &o0) == 3 && o0 >= 100)
			busy = 1;
	}
	EXPECT_TRUE(busy);
	text_free(&t);
}

TEST(buddyinfo_format_of_the_guest)
{
	check_buddyinfo(_metadata, "/proc/buddyinfo");
}

TEST(buddyinfo_format)
{
	check_buddyinfo(_metadata, SB_DEBUGFS "/buddyinfo");
}

/*
 * pagetypeinfo: the header, then free counts per zone and type, then the
 * block counts (and, where present, the mixed block counts).
 */
static void check_pagetypeinfo(struct __test_metadata *_metadata,
			       const char *path, struct text *hdr)
{
	char out[2048], name[32], type[32];
	int nid, pos, n, i = 0, ntypes = 0, pbo;
	struct text t;

	ASSERT_LT(4, text_read(path, &t)) TH_LOG("%s", path);
	/*
	 * sbuddy's pageblocks are order 9, as on the distro kernels; a guest
	 * built without CONFIG_HUGETLB_PAGE (the debug kernel) has
	 * MAX_ORDER - 1, and its own file says so in the same format.
	 */
	if (hdr || sscanf(t.line[0], "Page block order: %d", &pbo) != 1 ||
	    pbo != NR_ORDERS - 1)
		pbo = 9;
	snprintf(out, sizeof(out), "Page block order: %d\n", pbo);
	EXPECT_EQ(0, strcmp(t.line[0], out)) TH_LOG("%s", t.line[0]);
	snprintf(out, sizeof(out), "Pages per block:  %d\n", 1 << pbo);
	EXPECT_EQ(0, strcmp(t.line[1], out)) TH_LOG("%s", t.line[1]);
	EXPECT_EQ(0, strcmp(t.line[2], "\n"));
	/* the per-order header is the kernel's, byte for byte */
	snprintf(out, sizeof(out), "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o < NR_ORDERS; o++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%6d ", o);
	strcat(out, "\n");
	EXPECT_EQ(0, strcmp(out, t.line[3])) TH_LOG("%s", t.line[3]);
	if (hdr)
		EXPECT_EQ(0, strcmp(hdr->line[3], t.line[3]));
	for (i = 4; i < t.n && strcmp(t.line[i], "\n"); i++) {
		ASSERT_EQ(3, sscanf(t.line[i], "Node %d, zone %31[^,], type %31s %n",
				    &nid, name, type, &pos)) TH_LOG("%s", t.line[i]);
		snprintf(out, sizeof(out), "Node %4d, zone %8s, type %12s ",
			 nid, name + strspn(name, " "), type);
		ASSERT_EQ(0, reprint_numbers(t.line[i] + pos, "%6lu ", out,
					     sizeof(out), &n));
		EXPECT_EQ(NR_ORDERS, n);
		EXPECT_EQ(0, strcmp(out, t.line[i])) TH_LOG("%s:%d: %s", path, i + 1, t.line[i]);
	}
	/* "\n%-23s" then "%12s " per type, then rows of "%12lu " */
	while (i < t.n) {
		const char *title;
		char *p;

		ASSERT_EQ(0, strcmp(t.line[i], "\n")) TH_LOG("%s:%d", path, i + 1);
		ASSERT_LT(i + 1, t.n);
		i++;
		title = !strncmp(t.line[i], "Number of blocks type ", 22) ?
			"Number of blocks type " : "Number of mixed blocks ";
		ASSERT_EQ(0, strncmp(t.line[i], title, strlen(title))) TH_LOG("%s", t.line[i]);
		snprintf(out, sizeof(out), "%-23s", title);
		ntypes = 0;
		for (p = strtok(t.line[i] + 23, " \n"); p; p = strtok(NULL, " \n")) {
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%12s ", p);
			ntypes++;
		}
		strcat(out, "\n");
		EXPECT_LE(5, ntypes);
		/* strtok cut the line: compare against a re-read copy */
		i++;
		for (; i < t.n && strcmp(t.line[i], "\n"); i++) {
			char row[1024];

			ASSERT_EQ(2, sscanf(t.line[i], "Node %d, zone %31s %n",
					    &nid, name, &pos));
			snprintf(row, sizeof(row), "Node %d, zone %8s ", nid, name);
			ASSERT_EQ(0, reprint_numbers(t.line[i] + pos, "%12lu ", row,
						     sizeof(row), &n));
			EXPECT_EQ(ntypes, n);
			EXPECT_EQ(0, strcmp(row, t.line[i])) TH_LOG("%s:%d: %s", path, i + 1, t.line[i]);
		}
	}
	text_free(&t);
}

TEST(pagetypeinfo_format_of_the_guest)
{
	check_pagetypeinfo(_metadata, "/proc/pagetypeinfo", NULL);
}

TEST(pagetypeinfo_format)
{
	struct text hdr;

	ASSERT_LT(4, text_read("/proc/pagetypeinfo", &hdr));
	check_pagetypeinfo(_metadata, SB_DEBUGFS "/pagetypeinfo", &hdr);
	text_free(&hdr);
}

/* A zoneinfo line with every number replaced by N and lists collapsed. */
static void zoneinfo_shape(const char *line, char *out, size_t len)
{
	size_t o = 0;

	if (strstr(line, "protection: (")) {
		snprintf(out, len, "%.*sprotection: (N)\n",
			 (int)(strstr(line, "protection") - line), line);
		return;
	}
	if (!strncmp(line, "Node ", 5)) {
		snprintf(out, len, "Node N, zone NAME\n");
		return;
	}
	while (*line && o + 2 < len) {
		if (isdigit((unsigned char)*line) ||
		    (*line == '-' && isdigit((unsigned char)line[1]))) {
			out[o++] = 'N';
			line++;
			while (isdigit((unsigned char)*line))
				line++;
		} else {
			out[o++] = *line++;
		}
	}
	out[o] = 0;
}

/*
 * A "  name value" counter line whose name the guest's /proc/vmstat does
 * not have.
 */
static int counter_unknown_to_guest(const char *line)
{
	char name[64], vline[256];
	int found = 0, end = 0;
	size_t len;
	FILE *f;

	if (sscanf(line, " %63[a-z0-9_] %*d%n", name, &end) != 1 || !end ||
	    strcmp(line + end, "\n"))
		return 0;
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return 0;
	len = strlen(name);
	while (!found && fgets(vline, sizeof(vline), f))
		found = !strncmp(vline, name, len) && vline[len] == ' ';
	fclose(f);
	return !found;
}

TEST(zoneinfo_format)
{
	struct text guest, sb;
	char a[512], b[512];
	int found, zones = 0, absent = 0;

	ASSERT_LT(0, text_read("/proc/zoneinfo", &guest));
	ASSERT_LT(0, text_read(SB_DEBUGFS "/zoneinfo", &sb));
	for (int i = 0; i < sb.n; i++) {
		char name[32];
		int nid, pos = 0;

		if (sscanf(sb.line[i], "Node %d, zone %31s%n", &nid, name, &pos) == 2) {
			char head[128];

			snprintf(head, sizeof(head), "Node %d, zone %8s\n", nid, name);
			EXPECT_EQ(0, strcmp(head, sb.line[i])) TH_LOG("%s", sb.line[i]);
			zones++;
		}
		zoneinfo_shape(sb.line[i], a, sizeof(a));
		found = 0;
		for (int j = 0; j < guest.n && !found; j++) {
			zoneinfo_shape(guest.line[j], b, sizeof(b));
			found = !strcmp(a, b);
		}
		/*
		 * sbuddy shows every counter of a full 6.1 config; a guest
		 * without CONFIG_SWAP or CONFIG_NUMA_BALANCING (the debug
		 * kernel) has no nr_swapcached or pgpromote_* at all: not in
		 * its /proc/vmstat either, which lists every counter it has.
		 */
		if (!found && counter_unknown_to_guest(sb.line[i])) {
			if (!absent++)
				ksft_print_msg("not in this guest's vmstat: %s", sb.line[i]);
			continue;
		}
		EXPECT_TRUE(found) TH_LOG("zoneinfo:%d has no like in /proc/zoneinfo: %s",
					  i + 1, sb.line[i]);
	}
	EXPECT_LE(2, zones);
	/* only a handful of counters depend on the config */
	EXPECT_GT(8 * zones, absent);
	if (absent)
		ksft_print_msg("%d zoneinfo lines name counters this guest's config lacks\n",
			       absent);
	text_free(&guest);
	text_free(&sb);
}

TEST(vmstat_format)
{
	struct text t;
	regex_t re;

	ASSERT_EQ(0, regcomp(&re, "^[a-z][a-z0-9_]* [0-9]+\n$", REG_EXTENDED));
	ASSERT_LT(10, text_read(SB_DEBUGFS "/vmstat", &t));
	for (int i = 0; i < t.n; i++) {
		EXPECT_EQ(0, regexec(&re, t.line[i], 0, NULL, 0)) TH_LOG("%s", t.line[i]);
	}
	regfree(&re);
	text_free(&t);
}

/*
 * The views agree with one another: the blocks of each buddyinfo line sum
 * to the "pages free" of the same zone in zoneinfo (which, like the
 * kernel's, lists unpopulated zones too).
 */
TEST(buddyinfo_agrees_with_zoneinfo)
{
	struct text bi, zi;
	char zname[64][40];
	long long zfree[64];
	int nz = 0;

	ASSERT_LT(0, text_read(SB_DEBUGFS "/buddyinfo", &bi));
	ASSERT_LT(0, text_read(SB_DEBUGFS "/zoneinfo", &zi));
	for (int i = 0; i < zi.n && nz < 64; i++) {
		char name[32];
		long long v;
		int nid;

		if (sscanf(zi.line[i], "Node %d, zone %31s", &nid, name) == 2)
			snprintf(zname[nz], sizeof(zname[nz]), "%d/%s", nid, name);
		else if (sscanf(zi.line[i], "  pages free %lld", &v) == 1)
			zfree[nz++] = v;
	}
	ASSERT_LT(0, nz);
	for (int i = 0; i < bi.n; i++) {
		long long sum = 0;
		char name[32], key[40], *p, *end;
		int nid, pos = 0, z;

		ASSERT_EQ(2, sscanf(bi.line[i], "Node %d, zone %31s %n", &nid, name, &pos));
		p = bi.line[i] + pos;
		for (int o = 0; o < NR_ORDERS; o++) {
			sum += strtoll(p, &end, 10) << o;
			p = end;
		}
		snprintf(key, sizeof(key), "%d/%s", nid, name);
		for (z = 0; z < nz && strcmp(zname[z], key); z++)
			;
		ASSERT_LT(z, nz) TH_LOG("zone %s is not in zoneinfo", key);
		EXPECT_EQ(zfree[z], sum) TH_LOG("%s", bi.line[i]);
	}
	text_free(&bi);
	text_free(&zi);
}

/*
 * The "Number of mixed blocks" rows count, per pageblock type, the blocks
 * holding an allocation that asked for another type (page_owner's rule,
 * a CMA block counting as movable).  The held handles are every
 * allocation there is: their QUERY answers give the expected counts.
 */
TEST(mixed_blocks_match_the_handles)
{
	unsigned long expect[8] = { 0 }, got[8] = { 0 };
	long long start = sb_read_key(SB_DEBUGFS "/region", "start_pfn");
	int in_mixed = 0, ntypes = 0;
	unsigned char *mixed;
	unsigned long nblocks;
	struct text t;

	ASSERT_LE(0, held_fd);
	ASSERT_LT(100, nr_held);
	ASSERT_LT(0, start);
	nblocks = sb_read_key(SB_DEBUGFS "/region", "nr_pages") / 512 + 1;
	/* per pageblock: bit 7 mixed, low bits its type */
	mixed = calloc(nblocks, 1);
	ASSERT_NE(NULL, mixed);
	for (unsigned int i = 0; i < nr_held; i++) {
		struct sbuddy_query q = { .handle = held[i] };
		unsigned long pb;

		ASSERT_EQ(0, ioctl(held_fd, SBUDDY_IOC_QUERY, &q));
		ASSERT_EQ(SBUDDY_STATE_LIVE, q.state);
		pb = (q.pfn - start) / 512;
		ASSERT_LT(pb, nblocks);
		ASSERT_LT(q.pageblock_type, 6);
		if (q.alloc_type != q.pageblock_type)
			mixed[pb] = 0x80 | q.pageblock_type;
	}
	for (unsigned long pb = 0; pb < nblocks; pb++)
		if (mixed[pb])
			expect[(mixed[pb] & 0x7f) == 4 ? 1 : mixed[pb] & 0x7f]++;
	free(mixed);

	ASSERT_LT(4, text_read(SB_DEBUGFS "/pagetypeinfo", &t));
	for (int i = 0; i < t.n; i++) {
		char name[32];
		int nid, pos, n = 0;

		if (!strncmp(t.line[i], "Number of mixed blocks ", 23)) {
			in_mixed = 1;
			ntypes = 0;
			for (char *p = strtok(t.line[i] + 23, " \n"); p; p = strtok(NULL, " \n"))
				ntypes++;
			continue;
		}
		if (!strcmp(t.line[i], "\n") || !strncmp(t.line[i], "Page block", 10)) {
			in_mixed = 0;
			continue;
		}
		if (!in_mixed)
			continue;
		ASSERT_EQ(2, sscanf(t.line[i], "Node %d, zone %31s %n", &nid, name, &pos));
		for (char *p = t.line[i] + pos, *end; n < ntypes && n < 8; n++, p = end)
			got[n] += strtoul(p, &end, 10);
	}
	text_free(&t);
	ASSERT_EQ(6, ntypes);
	for (int mt = 0; mt < 6; mt++) {
		EXPECT_EQ(expect[mt], got[mt]) TH_LOG("migratetype %d", mt);
	}
	/*
	 * With memory to spare every steal claims a whole free block, so
	 * the held mix may have no mixed block at all; the KUnit suite
	 * sbuddy-views makes mixed blocks on purpose.
	 */
}

/*
 * extfrag/extfrag_index and extfrag/unusable_index: recomputed here from
 * buddyinfo with mm/vmstat.c's formulas (__fragmentation_index,
 * unusable_free_index) and printed with its formats, line for line.
 */
static void frag_line(const char *bi_line, int extfrag, char *out, size_t len)
{
	unsigned long long nr_free[NR_ORDERS], total = 0, pages = 0;
	char name[32], *p, *end;
	int nid, pos;

	sscanf(bi_line, "Node %d, zone %31s %n", &nid, name, &pos);
	p = (char *)bi_line + pos;
	for (int o = 0; o < NR_ORDERS; o++, p = end) {
		nr_free[o] = strtoull(p, &end, 10);
		total += nr_free[o];
		pages += nr_free[o] << o;
	}
	snprintf(out, len, "Node %d, zone %8s ", nid, name);
	for (int order = 0; order < NR_ORDERS; order++) {
		unsigned long long suitable = 0;
		int index;

		for (int o = order; o < NR_ORDERS; o++)
			suitable += nr_free[o] << (o - order);
		if (extfrag) {
			if (!total)
				index = 0;
			else if (suitable)
				index = -1000;
			else
				index = 1000 - (1000 + pages * 1000 / (1ULL << order)) / total;
			snprintf(out + strlen(out), len - strlen(out), "%2d.%03d ",
				 index / 1000, index % 1000);
		} else {
			index = !pages ? 1000 :
				(pages - (suitable << order)) * 1000 / pages;
			snprintf(out + strlen(out), len - strlen(out), "%d.%03d ",
				 index / 1000, index % 1000);
		}
	}
	strcat(out, "\n");
}

static void check_frag_file(struct __test_metadata *_metadata, const char *file,
			    int extfrag)
{
	char path[128], out[512];
	struct text bi, fi;

	snprintf(path, sizeof(path), SB_DEBUGFS "/extfrag/%s", file);
	/* nothing allocates meanwhile: the held mix is all there is */
	ASSERT_LT(0, text_read(SB_DEBUGFS "/buddyinfo", &bi));
	ASSERT_LT(0, text_read(path, &fi));
	ASSERT_EQ(bi.n, fi.n);
	for (int i = 0; i < bi.n; i++) {
		frag_line(bi.line[i], extfrag, out, sizeof(out));
		EXPECT_EQ(0, strcmp(out, fi.line[i]))
			TH_LOG("%s:%d: %s expected %s", path, i + 1, fi.line[i], out);
	}
	text_free(&bi);
	text_free(&fi);
}

TEST(extfrag_index_follows_buddyinfo)
{
	check_frag_file(_metadata, "extfrag_index", 1);
}

TEST(unusable_index_follows_buddyinfo)
{
	check_frag_file(_metadata, "unusable_index", 0);
}

/*
 * pageblocks: per zone its free pages sum to buddyinfo's, no block holds
 * more than a pageblock, and its mixed flags, counted per block type (CMA
 * as movable), give pagetypeinfo's "Number of mixed blocks".
 */
TEST(pageblocks_agree_with_the_views)
{
	static const char * const types[] = {
		"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
	};
	unsigned long mixed[6] = { 0 }, pt_mixed[6] = { 0 };
	struct text pb, bi, pt;
	int in_mixed = 0;

	ASSERT_LT(1, text_read(SB_DEBUGFS "/pageblocks", &pb));
	ASSERT_LT(0, text_read(SB_DEBUGFS "/buddyinfo", &bi));
	ASSERT_LT(4, text_read(SB_DEBUGFS "/pagetypeinfo", &pt));
	ASSERT_EQ('#', pb.line[0][0]);
	for (int i = 0; i < bi.n; i++) {
		unsigned long long bsum = 0, psum = 0;
		char name[32], *p, *end;
		int nid, pos;

		ASSERT_EQ(2, sscanf(bi.line[i], "Node %d, zone %31s %n", &nid, name, &pos));
		p = bi.line[i] + pos;
		for (int o = 0; o < NR_ORDERS; o++, p = end)
			bsum += strtoull(p, &end, 10) << o;
		for (int j = 1; j < pb.n; j++) {
			unsigned long idx, pfn, f, c, u, mv, r, st;
			char zn[32], ty[32];
			int n2, lo, mx;

			ASSERT_EQ(13, sscanf(pb.line[j], "%d %31s %lu %lx %31s %lu %lu %lu %lu %lu %lu %d %d",
					     &n2, zn, &idx, &pfn, ty, &f, &c, &u, &mv, &r, &st, &lo, &mx))
				TH_LOG("%s", pb.line[j]);
			EXPECT_GE(512, f + c + u + mv + r) TH_LOG("%s", pb.line[j]);
			EXPECT_GE(mv, st);
			if (n2 != nid || strcmp(zn, name))
				continue;
			psum += f;
			for (int t = 0; t < 6; t++)
				if (mx && !strcmp(ty, types[t]))
					mixed[t == 4 ? 1 : t]++;
		}
		EXPECT_EQ(bsum, psum) TH_LOG("%s", bi.line[i]);
	}
	for (int i = 0; i < pt.n; i++) {
		char name[32], *p, *end;
		int nid, pos;

		if (!strncmp(pt.line[i], "Number of mixed blocks ", 23)) {
			in_mixed = 1;
			continue;
		}
		if (!strcmp(pt.line[i], "\n") || !strncmp(pt.line[i], "Page block", 10))
			in_mixed = 0;
		if (!in_mixed || sscanf(pt.line[i], "Node %d, zone %31s %n", &nid, name, &pos) != 2)
			continue;
		p = pt.line[i] + pos;
		for (int t = 0; t < 6; t++, p = end)
			pt_mixed[t] += strtoul(p, &end, 10);
	}
	for (int t = 0; t < 6; t++) {
		EXPECT_EQ(pt_mixed[t], mixed[t]) TH_LOG("type %s", types[t]);
	}
	text_free(&pb);
	text_free(&bi);
	text_free(&pt);
}

TEST(verify_ok)
{
	struct text t;

	ASSERT_EQ(1, text_read(SB_DEBUGFS "/verify", &t));
	EXPECT_EQ(0, strcmp(t.line[0], "ok\n")) TH_LOG("%s", t.line[0]);
	text_free(&t);
}

TEST_HARNESS_MAIN
