/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by sbuddy's selftests. */
#ifndef _SB_SELFTEST_UTIL_H
#define _SB_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SB_DEV		"/dev/sbuddy"
#define SB_DEBUGFS	"/sys/kernel/debug/sbuddy"

/* The value of "key: value" in a file, or -1. */
static inline long long sb_read_key(const char *path, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long long val = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			val = strtoll(line + klen + 1, NULL, 0);
			break;
		}
	}
	fclose(f);
	return val;
}

/*
 * Pages on sbuddy's per-cpu lists: the COUNT column of the pcp view
 * ("node zone cpu online count ..."), or -1.
 */
static inline long long sb_pcp_pages(void)
{
	char line[512], zone[16];
	long long sum = 0;
	int node, cpu, online, count;
	FILE *f = fopen(SB_DEBUGFS "/pcp", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %15s %d %d %d", &node, zone, &cpu, &online,
			   &count) == 5)
			sum += count;
	fclose(f);
	return sum;
}

/* Write @s to @path in one write(); 0 or -errno. */
static inline int sb_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -errno;
	close(fd);
	return ret;
}

/* The start of @path, NUL-terminated, into @buf; the length or -errno. */
static inline int sb_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return n;
}

/* A /proc/meminfo field in KiB, or -1. */
static inline long long sb_meminfo_kb(const char *field)
{
	return sb_read_key("/proc/meminfo", field);
}

/*
 * Host memory KASAN may hold back, in KiB: freed slab objects wait in its
 * quarantine, up to 1/32 of RAM (QUARANTINE_FRACTION), before they are
 * really freed, so MemFree drifts by that much with no leak.  0 without
 * KASAN (no __asan_load8 in /proc/kallsyms).
 */
static inline long long sb_kasan_slack_kb(void)
{
	static long long slack = -1;
	char line[256];
	FILE *f;

	if (slack >= 0)
		return slack;
	slack = 0;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return slack;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " __asan_load8\n")) {
			slack = sb_meminfo_kb("MemTotal") / 32;
			break;
		}
	fclose(f);
	return slack;
}

static inline int sb_module_loaded(void)
{
	return access("/sys/module/sbuddy", F_OK) == 0;
}

/* Load sbuddy.ko ($SBUDDY_KO) with @params; 0 or -errno. */
static inline int sb_load(const char *params)
{
	const char *ko = getenv("SBUDDY_KO");
	int fd, ret;

	if (!ko)
		ko = "/lib/modules/sbuddy.ko";
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

static inline int sb_unload(void)
{
	return syscall(SYS_delete_module, "sbuddy", O_NONBLOCK) ? -errno : 0;
}

/*
 * Free host memory in KiB, counting the pages parked on the per-CPU lists
 * (the "count:" lines of /proc/zoneinfo), which MemFree leaves out: pages
 * free_contig_range() gives back land there first.
 */
static inline long long sb_host_free_kb(void)
{
	long long pcp = 0, v;
	char line[256];
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %lld", &v) == 1)
			pcp += v;
	fclose(f);
	return sb_meminfo_kb("MemFree") + pcp * (getpagesize() / 1024);
}

#endif /* _SB_SELFTEST_UTIL_H */
