// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddyctl: drive and read sbuddy from userspace.
 *
 *   sbuddyctl info
 *   sbuddyctl {region|buddyinfo|pagetypeinfo|zoneinfo|vmstat|verify|pcp}
 *   sbuddyctl drain [all|local|cpu N]
 *   sbuddyctl alloc ORDER [-n COUNT] [-t TYPE] [-f FLAG[,FLAG...]] [-H SECONDS]
 *   sbuddyctl mix [-s SEED]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sbuddy.h>

#define DEV	"/dev/sbuddy"
#define DBG	"/sys/kernel/debug/sbuddy/"

static const char *prog = "sbuddyctl";
static const char *sub = "";

static void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s%s", prog, sub, *sub ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int dev_open(void)
{
	int fd = open(DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		err("cannot open %s: %s (is the module loaded, are you root?)",
		    DEV, strerror(errno));
	return fd;
}

static int cat(const char *name)
{
	char path[256], buf[65536];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), DBG "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err("cannot read %s: %s", path, strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, n, stdout) != (size_t)n)
			break;
	close(fd);
	return n < 0;
}

static int cmd_info(void)
{
	struct sbuddy_api api = { 0 };
	int fd = dev_open();

	if (fd < 0)
		return 1;
	if (ioctl(fd, SBUDDY_IOC_GET_API, &api)) {
		err("SBUDDY_IOC_GET_API: %s", strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	printf("api_version: %u\nfeatures: %#llx%s%s\n", api.api_version,
	       (unsigned long long)api.features,
	       api.features & SBUDDY_FEAT_REGION ? " region" : "",
	       api.features & SBUDDY_FEAT_ALLOC ? " alloc" : "");
	return cat("region");
}

static const struct {
	const char *name;
	uint32_t bit;
} flag_names[] = {
	{ "movable", SBUDDY_ALLOC_MOVABLE }, { "reclaimable", SBUDDY_ALLOC_RECLAIMABLE },
	{ "atomic", SBUDDY_ALLOC_ATOMIC }, { "nowait", SBUDDY_ALLOC_NOWAIT },
	{ "high", SBUDDY_ALLOC_HIGH }, { "memalloc", SBUDDY_ALLOC_MEMALLOC },
	{ "zero", SBUDDY_ALLOC_ZERO }, { "comp", SBUDDY_ALLOC_COMP },
	{ "nowarn", SBUDDY_ALLOC_NOWARN }, { "noretry", SBUDDY_ALLOC_NORETRY },
	{ "retry_mayfail", SBUDDY_ALLOC_RETRY_MAYFAIL }, { "nofail", SBUDDY_ALLOC_NOFAIL },
	{ "thisnode", SBUDDY_ALLOC_THISNODE }, { "dma", SBUDDY_ALLOC_DMA },
	{ "dma32", SBUDDY_ALLOC_DMA32 }, { "highmem", SBUDDY_ALLOC_HIGHMEM },
};

static int parse_flags(char *s, uint32_t *flags)
{
	for (char *t = strtok(s, ","); t; t = strtok(NULL, ",")) {
		size_t i;

		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (!strcmp(t, flag_names[i].name))
				break;
		if (i == sizeof(flag_names) / sizeof(flag_names[0])) {
			err("unknown flag '%s'", t);
			return -1;
		}
		*flags |= flag_names[i].bit;
	}
	return 0;
}

static int parse_type(const char *s, uint32_t *flags)
{
	if (!strcmp(s, "unmovable"))
		return 0;
	if (!strcmp(s, "movable")) {
		*flags |= SBUDDY_ALLOC_MOVABLE;
		return 0;
	}
	if (!strcmp(s, "reclaimable")) {
		*flags |= SBUDDY_ALLOC_RECLAIMABLE;
		return 0;
	}
	err("unknown type '%s' (unmovable, movable, reclaimable)", s);
	return -1;
}

/* Allocate; returns the number of blocks allocated, -1 on a hard error. */
static long do_alloc(int fd, unsigned int order, uint32_t flags, uint32_t count,
		     uint64_t *handles)
{
	struct sbuddy_alloc a = {
		.order = order, .flags = flags, .count = count,
		.handles = (uintptr_t)handles,
	};

	if (ioctl(fd, SBUDDY_IOC_ALLOC, &a) && errno != ENOMEM) {
		err("alloc: %s", strerror(errno));
		return -1;
	}
	return a.done;
}

static void usage_alloc(FILE *f)
{
	fprintf(f, "usage: %s alloc ORDER [-n COUNT] [-t unmovable|movable|reclaimable]\n"
		"       [-f FLAG[,FLAG...]] [-H SECONDS]\n"
		"Allocate COUNT (default 1) blocks of 2^ORDER pages, hold them SECONDS\n"
		"(default 0), then free them by closing the device.  FLAGs:", prog);
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		fprintf(f, " %s", flag_names[i].name);
	fprintf(f, "\n");
}

static int cmd_alloc(int argc, char **argv)
{
	uint32_t flags = 0, count = 1;
	unsigned int hold = 0;
	long order, done;
	uint64_t *h;
	char *end;
	int c, fd;

	while ((c = getopt(argc, argv, "n:t:f:H:h")) != -1) {
		switch (c) {
		case 'n':
			count = strtoul(optarg, &end, 0);
			if (*end || !count || count > SBUDDY_BATCH_MAX) {
				err("count %s out of range (1..%u)", optarg, SBUDDY_BATCH_MAX);
				return 2;
			}
			break;
		case 't':
			if (parse_type(optarg, &flags))
				return 2;
			break;
		case 'f':
			if (parse_flags(optarg, &flags))
				return 2;
			break;
		case 'H':
			hold = strtoul(optarg, NULL, 0);
			break;
		case 'h':
			usage_alloc(stdout);
			return 0;
		default:
			usage_alloc(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage_alloc(stderr);
		return 2;
	}
	order = strtol(argv[optind], &end, 0);
	if (*end || order < 0 || order > SBUDDY_MAX_ORDER) {
		err("order %s out of range (0..%d)", argv[optind], SBUDDY_MAX_ORDER);
		return 2;
	}
	fd = dev_open();
	if (fd < 0)
		return 1;
	h = calloc(count, sizeof(*h));
	done = h ? do_alloc(fd, order, flags, count, h) : -1;
	if (done >= 0)
		printf("allocated %ld of %u order-%ld blocks\n", done, count, order);
	if (hold)
		sleep(hold);
	free(h);
	close(fd);
	return done == (long)count ? 0 : 1;
}

/*
 * A short, repeatable allocation mix: blocks of several orders and
 * migratetypes, every other one freed again, so that the views show split
 * blocks, mixed types and pageblocks that changed owner.
 */
static int cmd_mix(int argc, char **argv)
{
	static const struct {
		unsigned int order;
		uint32_t flags;
		uint32_t count;
	} mix[] = {
		{ 0, 0, 512 }, { 0, SBUDDY_ALLOC_MOVABLE, 2048 },
		{ 0, SBUDDY_ALLOC_RECLAIMABLE, 512 }, { 1, 0, 128 },
		{ 2, SBUDDY_ALLOC_MOVABLE, 128 }, { 3, SBUDDY_ALLOC_RECLAIMABLE, 64 },
		{ 9, SBUDDY_ALLOC_MOVABLE, 4 }, { 4, 0, 32 },
	};
	uint64_t *h[sizeof(mix) / sizeof(mix[0])];
	long got[sizeof(mix) / sizeof(mix[0])];
	int fd = dev_open(), ret = 0;
	size_t i;

	(void)argc;
	(void)argv;
	if (fd < 0)
		return 1;
	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		h[i] = calloc(mix[i].count, sizeof(uint64_t));
		got[i] = h[i] ? do_alloc(fd, mix[i].order, mix[i].flags, mix[i].count, h[i]) : -1;
		if (got[i] < 0) {
			ret = 1;
			got[i] = 0;
		}
		printf("alloc order %u %-11s x%-5u -> %ld\n", mix[i].order,
		       mix[i].flags & SBUDDY_ALLOC_MOVABLE ? "movable" :
		       mix[i].flags & SBUDDY_ALLOC_RECLAIMABLE ? "reclaimable" : "unmovable",
		       mix[i].count, got[i]);
	}
	/* free every other block: holes of every order */
	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		for (long j = 0; j < got[i]; j += 2) {
			struct sbuddy_free f = { .handles = (uintptr_t)&h[i][j], .count = 1 };

			if (ioctl(fd, SBUDDY_IOC_FREE, &f)) {
				err("free: %s", strerror(errno));
				ret = 1;
			}
		}
	}
	printf("freed every other block; holding the rest:\n\n");
	fflush(stdout);
	ret |= cat("buddyinfo");
	printf("\n");
	fflush(stdout);
	ret |= cat("pagetypeinfo");
	fflush(stdout);
	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
		free(h[i]);
	close(fd);
	return ret;
}

/* drain [all|local|cpu N]: write the drain file; "all" by default */
static int cmd_drain(int argc, char **argv)
{
	char what[32] = "all";
	int fd, ret = 0;

	if (argc == 2 && (!strcmp(argv[1], "all") || !strcmp(argv[1], "local")))
		snprintf(what, sizeof(what), "%s", argv[1]);
	else if (argc == 3 && !strcmp(argv[1], "cpu"))
		snprintf(what, sizeof(what), "cpu %s", argv[2]);
	else if (argc != 1) {
		err("usage: %s drain [all|local|cpu N]", prog);
		return 2;
	}
	fd = open(DBG "drain", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		err("cannot open " DBG "drain: %s", strerror(errno));
		return 1;
	}
	if (write(fd, what, strlen(what)) < 0) {
		err("%s: %s", what, strerror(errno));
		ret = 1;
	}
	close(fd);
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s COMMAND [ARGS]\n"
		"  info                      ABI version, features and the borrowed region\n"
		"  region|buddyinfo|pagetypeinfo|zoneinfo|vmstat|verify|pcp\n"
		"                            print that debugfs view\n"
		"  drain [all|local|cpu N]   return per-cpu list pages to the buddy lists\n"
		"  alloc ORDER [OPTIONS]     allocate blocks (alloc -h for the options)\n"
		"  mix                       a short allocation mix, then buddyinfo and\n"
		"                            pagetypeinfo while it is held\n", prog);
}

int main(int argc, char **argv)
{
	static const char *const views[] = {
		"region", "buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "verify",
		"pcp",
	};

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (!strcmp(sub, views[i]))
			return cat(sub);
	if (!strcmp(sub, "info"))
		return cmd_info();
	if (!strcmp(sub, "alloc"))
		return cmd_alloc(argc - 1, argv + 1);
	if (!strcmp(sub, "mix"))
		return cmd_mix(argc - 1, argv + 1);
	if (!strcmp(sub, "drain"))
		return cmd_drain(argc - 1, argv + 1);
	err("unknown command (try %s --help)", prog);
	return 2;
}
