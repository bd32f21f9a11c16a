// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddy tracepoint selftests: sbuddy:mm_page_* events print like the
 * guest kernel's kmem:mm_page_* events (same format string, every kmem
 * field present with its type), so existing trace scripts work with the
 * system name swapped; and an allocation through the device really emits
 * them.
 */
#include <sys/ioctl.h>

#include <linux/sbuddy.h>

#include "kselftest_harness.h"
#include "sb_util.h"

#define TRACING "/sys/kernel/debug/tracing"

static const char *const events[] = {
	"mm_page_alloc", "mm_page_free", "mm_page_alloc_zone_locked",
	"mm_page_alloc_extfrag", "mm_page_pcpu_drain",
};

static char *slurp(const char *path)
{
	static char buf[3][65536];
	static int which;
	char *b = buf[which++ % 3];

	return sb_read_all(path, b, sizeof(buf[0])) < 0 ? NULL : b;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	int ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -EIO;
}

/* The quoted format string of a "print fmt:" line. */
static int print_fmt(const char *format, char *out, size_t len)
{
	const char *p = strstr(format, "print fmt: \"");
	const char *q;

	if (!p)
		return -1;
	p += strlen("print fmt: \"");
	q = strchr(p, '"');
	if (!q || (size_t)(q - p) >= len)
		return -1;
	memcpy(out, p, q - p);
	out[q - p] = 0;
	return 0;
}

TEST(formats_match_kmem)
{
	for (unsigned int i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char path[256], a[512], b[512], *kmem, *sb, *line, *save;

		snprintf(path, sizeof(path), TRACING "/events/kmem/%s/format", events[i]);
		kmem = slurp(path);
		ASSERT_NE(NULL, kmem) TH_LOG("%s", path);
		snprintf(path, sizeof(path), TRACING "/events/sbuddy/%s/format", events[i]);
		sb = slurp(path);
		ASSERT_NE(NULL, sb) TH_LOG("%s", path);
		ASSERT_EQ(0, print_fmt(kmem, a, sizeof(a)));
		ASSERT_EQ(0, print_fmt(sb, b, sizeof(b)));
		EXPECT_EQ(0, strcmp(a, b)) TH_LOG("%s: \"%s\" vs \"%s\"", events[i], a, b);
		/* every kmem field, "field:TYPE NAME;", is in sbuddy's event */
		for (line = strtok_r(kmem, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *f = strstr(line, "field:"), decl[128];
			char *semi;

			if (!f || strstr(f, "common_"))
				continue;
			semi = strchr(f, ';');
			ASSERT_NE(NULL, semi);
			snprintf(decl, sizeof(decl), "%.*s", (int)(semi - f + 1), f);
			EXPECT_NE(NULL, strstr(sb, decl)) TH_LOG("%s lacks %s", events[i], decl);
		}
	}
}

TEST(allocation_emits_events)
{
	uint64_t h[4];
	struct sbuddy_alloc a = {
		.order = 2, .count = 4, .handles = (uintptr_t)h,
		.flags = SBUDDY_ALLOC_MOVABLE,
	};
	int fd, allocs = 0, frees = 0, cmd;
	char *trace, *line, *save;

	ASSERT_EQ(0, write_str(TRACING "/trace", ""));
	cmd = sb_trace_record_cmd(0);
	ASSERT_LE(0, cmd);
	ASSERT_EQ(0, write_str(TRACING "/events/sbuddy/enable", "1"));
	fd = open(SB_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, SBUDDY_IOC_ALLOC, &a));
	close(fd);
	ASSERT_EQ(0, write_str(TRACING "/events/sbuddy/enable", "0"));
	EXPECT_LE(0, sb_trace_record_cmd(cmd));
	trace = slurp(TRACING "/trace");
	ASSERT_NE(NULL, trace);
	for (line = strtok_r(trace, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, " mm_page_alloc: ")) {
			allocs++;
			EXPECT_NE(NULL, strstr(line, " order=2 migratetype=1 gfp_flags=GFP_KERNEL|__GFP_MOVABLE"))
				TH_LOG("%s", line);
		} else if (strstr(line, " mm_page_free: ")) {
			frees++;
			EXPECT_NE(NULL, strstr(line, " order=2")) TH_LOG("%s", line);
		}
	}
	EXPECT_EQ(4, allocs);
	EXPECT_EQ(4, frees);
}

TEST_HARNESS_MAIN
