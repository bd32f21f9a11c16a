/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by sbuddy's selftests. */
#ifndef _SB_SELFTEST_UTIL_H
#define _SB_SELFTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/sbuddy.h>

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

/* Write @s to @path in one write(); 0, -errno, or -EIO if it was short. */
static inline int sb_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = write(fd, s, strlen(s));
	r = r < 0 ? -errno : (r == (ssize_t)strlen(s) ? 0 : -EIO);
	close(fd);
	return (int)r;
}

/*
 * All of @path up to @len - 1 bytes, NUL-terminated, into @buf (seq_file
 * hands a view out a page or so per read); the length or -errno.
 */
static inline int sb_read_all(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t r = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (got < len - 1 && (r = read(fd, buf + got, len - 1 - got)) > 0)
		got += r;
	r = r < 0 ? -errno : 0;
	close(fd);
	buf[got] = 0;
	return r ? (int)r : (int)got;
}

/* A knob of debugfs vm/ as a number, or -1. */
static inline long long sb_knob_read(const char *name)
{
	char path[128], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), SB_DEBUGFS "/vm/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strtoll(buf, NULL, 10);
}

/* Write @val to the knob @name of debugfs vm/; 0 or -errno. */
static inline int sb_knob_write(const char *name, const char *val)
{
	char path[200];

	snprintf(path, sizeof(path), SB_DEBUGFS "/vm/%s", name);
	return sb_write_file(path, val);
}

/* The knob @name set to the number @val; 0 or -errno. */
static inline int sb_knob_set(const char *name, long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", val);
	return sb_knob_write(name, buf);
}

/* A "name value" line of sbuddy's debugfs vmstat, or -1. */
static inline long long sb_vmstat(const char *name)
{
	char line[256], key[128];
	long long v, val = -1;
	FILE *f = fopen(SB_DEBUGFS "/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %lld", key, &v) == 2 &&
		    !strcmp(key, name)) {
			val = v;
			break;
		}
	fclose(f);
	return val;
}

/*
 * Pages in sbuddy's buddy free lists in blocks of order @min_order or
 * more: buddyinfo's counts << order over every zone, or -1.
 */
static inline long long sb_buddy_pages(int min_order)
{
	char line[512];
	long long sum = 0;
	FILE *f = fopen(SB_DEBUGFS "/buddyinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *s = strstr(line, "zone"), *end;

		if (!s)
			continue;
		s += 4;
		while (*s == ' ')
			s++;
		s += strcspn(s, " ");	/* the zone's name */
		for (int o = 0;; o++) {
			long long v = strtoll(s, &end, 10);

			if (end == s)
				break;
			if (o >= min_order)
				sum += v << o;
			s = end;
		}
	}
	fclose(f);
	return sum;
}

/*
 * Pages not allocated: "pages free" over sbuddy's zones plus the pages
 * on the per-cpu lists (which zoneinfo, as the kernel's, counts as taken).
 */
static inline long long sb_free_pages(void)
{
	char line[256];
	long long sum = 0, v, pcp = sb_pcp_pages();
	FILE *f = fopen(SB_DEBUGFS "/zoneinfo", "r");

	if (!f || pcp < 0)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "  pages free %lld", &v) == 1)
			sum += v;
	fclose(f);
	return sum + pcp;
}

/* Emulated nodes: the highest "Node N" of zoneinfo, plus one. */
static inline int sb_nr_nodes(void)
{
	char line[256];
	int nid, n = 0;
	FILE *f = fopen(SB_DEBUGFS "/zoneinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %d,", &nid) == 1 && nid + 1 > n)
			n = nid + 1;
	fclose(f);
	return n;
}

/* 1 if debugfs verify says "ok"; @say prints what it says instead. */
static inline int sb_verify_ok(int say)
{
	char buf[512] = "";
	FILE *f = fopen(SB_DEBUGFS "/verify", "r");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	if (say && strcmp(buf, "ok\n"))
		fprintf(stderr, "# verify: %s", buf);
	return !strcmp(buf, "ok\n");
}

/* ioctl() on /dev/sbuddy; 0 or -errno. */
static inline int sb_io(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* Every CPU's per-cpu lists back to the buddy lists; 0 or -errno. */
static inline int sb_drain_all(int fd)
{
	struct sbuddy_drain d = { .scope = SBUDDY_DRAIN_ALL };

	return sb_io(fd, SBUDDY_IOC_DRAIN, &d);
}

/* @name of the vmstat view after a drain of every CPU, or -1. */
static inline long long sb_vmstat_drained(int fd, const char *name)
{
	if (sb_drain_all(fd))
		return -1;
	return sb_vmstat(name);
}

/* One block of @order and @flags: its handle, or 0. */
static inline uint64_t sb_alloc_one(int fd, uint32_t order, uint32_t flags)
{
	uint64_t h = 0;
	struct sbuddy_alloc a = {
		.order = order, .flags = flags, .count = 1,
		.handles = (uintptr_t)&h,
	};

	return ioctl(fd, SBUDDY_IOC_ALLOC, &a) ? 0 : h;
}

/* SBUDDY_IOC_FREE of one handle; 0 or -errno. */
static inline int sb_free_one(int fd, uint64_t h)
{
	struct sbuddy_free f = { .handles = (uintptr_t)&h, .count = 1 };

	return sb_io(fd, SBUDDY_IOC_FREE, &f);
}

/* 1 if CPU @cpu is online, 0 if not, -errno (x86's cpu0 has no file: 1). */
static inline int sb_cpu_online(int cpu)
{
	char path[96], buf[16];
	int r;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	r = sb_read_all(path, buf, sizeof(buf));
	if (r == -ENOENT && cpu == 0)
		return 1;
	return r < 0 ? r : buf[0] == '1';
}

/*
 * Tracing's record-cmd option set to @on; returns what it was (0 or 1),
 * or -errno.  With it on, enabling any event also hooks sched_switch and
 * sched_wakeup, patching the scheduler's hot paths on every CPU: where
 * multi-threaded TCG once ran a stale int3 (testing.rst, "The test VM").
 * sbuddy's tests read no task names, so they trace with it off.
 */
static inline int sb_trace_record_cmd(int on)
{
	const char *path = "/sys/kernel/debug/tracing/options/record-cmd";
	char buf[8];
	int r = sb_read_all(path, buf, sizeof(buf));

	if (r < 0)
		return r;
	r = buf[0] == '1';
	return sb_write_file(path, on ? "1" : "0") ?: r;
}

/* CPU hotplug: CPU @cpu online (@on) or offline; 0 or -errno. */
static inline int sb_set_cpu_online(int cpu, int on)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	return sb_write_file(path, on ? "1" : "0");
}

/* Let the calling thread run on any of the first @max_cpus CPUs again. */
static inline void sb_unpin_cpus(int max_cpus)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int c = 0; c < max_cpus && c < CPU_SETSIZE; c++)
		CPU_SET(c, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* sb_read_bus()'s way back from its SIGBUS handler */
static inline sigjmp_buf *sb_bus_env(void)
{
	static sigjmp_buf env;

	return &env;
}

static inline void sb_on_sigbus(int sig)
{
	siglongjmp(*sb_bus_env(), 1);
}

/* *@p into *@val; 1 when reading it raises SIGBUS (and *@val is untouched). */
static inline int sb_read_bus(volatile uint64_t *p, uint64_t *val)
{
	struct sigaction sa = { .sa_handler = sb_on_sigbus }, old;
	int bus = 0;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(*sb_bus_env(), 1))
		bus = 1;
	else
		*val = *p;
	sigaction(SIGBUS, &old, NULL);
	return bus;
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
