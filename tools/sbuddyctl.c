// SPDX-License-Identifier: GPL-2.0
/*
 * sbuddyctl: drive and read sbuddy from userspace.
 *
 * Read commands print the debugfs view as it is, or with --json the same
 * numbers as JSON.  Device commands open /dev/sbuddy once per run: the
 * device's open file owns every block it allocates, so handles live as
 * long as the run.  Batch mode (-b FILE) runs many commands on one open
 * device, where free, pin and query of earlier handles make sense.
 *
 * Exit status: 0 ok, 1 the operation failed, 2 usage error, 3 the loaded
 * module lacks the file or ioctl the command needs.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/sbuddy.h>

#define DEV	"/dev/sbuddy"
#define DBG	"/sys/kernel/debug/sbuddy/"
#define VERSION	"2"

#define EX_OK		0
#define EX_FAIL		1
#define EX_USAGE	2
#define EX_UNSUPP	3

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_WORDS	256

static const char *prog = "sbuddyctl";
static const char *sub = "";
static char where[300];		/* "FILE:LINE: " in batch mode */
static int json;		/* 1 compact, 2 pretty */
static int dev_fd = -1;
static int in_batch;

static void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: %s%s%s", prog, where, sub, *sub ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* "ENOMEM" for ENOMEM: the name the ABI documentation uses */
static const char *errname(int e)
{
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
		{ E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EINVAL, "EINVAL" },
		{ ENOSPC, "ENOSPC" }, { ENOTTY, "ENOTTY" }, { ESTALE, "ESTALE" },
		{ EOVERFLOW, "EOVERFLOW" }, { EUCLEAN, "EUCLEAN" },
		{ EAGAIN, "EAGAIN" }, { ENODEV, "ENODEV" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == e)
			return names[i].n;
	return "E?";
}

/* ---- JSON output ---- */

static int j_depth;
static int j_first[64];

static void j_sep(const char *key)
{
	if (j_depth > 0 && !j_first[j_depth])
		putchar(',');
	if (json == 2 && j_depth > 0)
		printf("\n%*s", 2 * j_depth, "");
	if (j_depth > 0)
		j_first[j_depth] = 0;
	if (key) {
		putchar('"');
		for (const char *p = key; *p; p++)
			putchar(*p == '"' || *p == '\\' ? '_' : *p);
		printf(json == 2 ? "\": " : "\":");
	}
}

static void j_open(const char *key, char c)
{
	j_sep(key);
	putchar(c);
	j_first[++j_depth] = 1;
}

static void j_close(char c)
{
	int empty = j_first[j_depth];

	j_depth--;
	if (json == 2 && !empty)
		printf("\n%*s", 2 * j_depth, "");
	putchar(c);
	if (!j_depth)
		putchar('\n');
}

#define j_obj(key)	j_open(key, '{')
#define j_arr(key)	j_open(key, '[')
#define j_end_obj()	j_close('}')
#define j_end_arr()	j_close(']')

static void j_str(const char *key, const char *s)
{
	j_sep(key);
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void j_u64(const char *key, unsigned long long v)
{
	j_sep(key);
	printf("%llu", v);
}

static void j_s64(const char *key, long long v)
{
	j_sep(key);
	printf("%lld", v);
}

static void j_null(const char *key)
{
	j_sep(key);
	printf("null");
}

static void j_dbl(const char *key, double v)
{
	j_sep(key);
	printf("%.1f", v);
}

/* an integer token ("12", "-3", "0x5c00") as a number, else as a string */
static void j_token(const char *key, const char *tok)
{
	char *end;
	unsigned long long u;

	errno = 0;
	if (tok[0] == '-') {
		long long v = strtoll(tok, &end, 0);

		if (!*end && end != tok && !errno) {
			j_s64(key, v);
			return;
		}
	} else if (isdigit((unsigned char)tok[0])) {
		u = strtoull(tok, &end, 0);
		if (!*end && !errno) {
			j_u64(key, u);
			return;
		}
	}
	j_str(key, tok);
}

/* ---- files ---- */

/* read a whole debugfs file; NULL with errno set */
static char *slurp(const char *path)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1);
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			char *nb = realloc(buf, 2 * cap + 1);

			if (!nb) {
				n = -1;
				errno = ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (n < 0) {
		int e = errno;

		close(fd);
		free(buf);
		errno = e;
		return NULL;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* a debugfs view, or NULL after an error message; *rc the exit status */
static char *view(const char *name, int *rc)
{
	char path[256];
	char *buf;

	snprintf(path, sizeof(path), DBG "%s", name);
	buf = slurp(path);
	if (!buf) {
		if (errno == ENOENT && access(DBG, F_OK) == 0) {
			err("this sbuddy has no %s (an older module?)", path);
			*rc = EX_UNSUPP;
		} else {
			err("cannot read %s: %s%s", path, strerror(errno),
			    errno == ENOENT ? " (is sbuddy loaded, debugfs mounted?)" : "");
			*rc = EX_FAIL;
		}
	}
	return buf;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* split @s into whitespace-separated words (in place) */
static int split(char *s, char **w, int max)
{
	char *save;
	int n = 0;

	for (char *t = strtok_r(s, " \t\n", &save); t && n < max;
	     t = strtok_r(NULL, " \t\n", &save))
		w[n++] = t;
	return n;
}

/* split @buf into lines (in place); the count */
static int lines(char *buf, char **l, int max)
{
	int n = 0;

	while (*buf && n < max) {
		l[n++] = buf;
		buf += strcspn(buf, "\n");
		if (*buf)
			*buf++ = '\0';
	}
	return n;
}

#define MAX_LINES	8192

static int dev_open(void)
{
	if (dev_fd >= 0)
		return dev_fd;
	dev_fd = open(DEV, O_RDWR | O_CLOEXEC);
	if (dev_fd < 0)
		err("cannot open %s: %s (is the module loaded, are you root?)",
		    DEV, strerror(errno));
	return dev_fd;
}

/*
 * ioctl with a clear message; 0, or the exit status.  -ENOTTY means the
 * loaded module does not know the command.
 */
static int dev_ioctl(unsigned long cmd, const char *name, void *arg, int quiet_errno)
{
	if (dev_open() < 0)
		return EX_FAIL;
	if (!ioctl(dev_fd, cmd, arg))
		return 0;
	if (errno == quiet_errno)
		return -1;
	if (errno == ENOTTY) {
		err("this sbuddy does not know %s (an older module?)", name);
		return EX_UNSUPP;
	}
	err("%s: %s (%s)", name, strerror(errno), errname(errno));
	return EX_FAIL;
}

/* ---- session handles: %N, %last, %all ---- */

static struct {
	uint64_t *h;
	unsigned char *live;
	size_t n, cap;
} sess;

static void sess_add(const uint64_t *h, size_t n)
{
	if (sess.n + n > sess.cap) {
		size_t cap = (sess.n + n) * 2;
		uint64_t *nh = realloc(sess.h, cap * sizeof(*nh));
		unsigned char *nl;

		if (!nh)
			return;
		sess.h = nh;
		nl = realloc(sess.live, cap);
		if (!nl)
			return;
		sess.live = nl;
		sess.cap = cap;
	}
	memcpy(sess.h + sess.n, h, n * sizeof(*h));
	memset(sess.live + sess.n, 1, n);
	sess.n += n;
}

static void sess_dead(uint64_t h)
{
	for (size_t i = 0; i < sess.n; i++)
		if (sess.h[i] == h)
			sess.live[i] = 0;
}

/*
 * Parse handle words: numbers, %N (the session's N-th block, from 0),
 * %last and %all (every block the session still holds).  Returns the
 * count, -1 after a message.
 */
static long parse_handles(int argc, char **argv, uint64_t **out)
{
	uint64_t *h = NULL;
	size_t n = 0, cap = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		size_t first = 0, last = 0;
		uint64_t one = 0;
		int refs = 0;
		char *end;

		if (!strcmp(a, "%all")) {
			first = 0;
			last = sess.n;
			refs = 1;
		} else if (!strcmp(a, "%last")) {
			if (!sess.n) {
				err("%%last: this session has allocated nothing");
				free(h);
				return -1;
			}
			first = sess.n - 1;
			last = sess.n;
			refs = 1;
		} else if (a[0] == '%') {
			unsigned long k = strtoul(a + 1, &end, 10);

			if (!a[1] || *end || k >= sess.n) {
				err("%s: no such session block (the session allocated %zu)",
				    a, sess.n);
				free(h);
				return -1;
			}
			first = k;
			last = k + 1;
			refs = 1;
		} else {
			errno = 0;
			one = strtoull(a, &end, 0);
			if (!*a || *end || errno || a[0] == '-') {
				err("'%s' is not a handle (a number, %%N, %%last or %%all)", a);
				free(h);
				return -1;
			}
		}
		for (size_t k = refs ? first : 0; refs ? k < last : k < 1; k++) {
			if (refs && !strcmp(a, "%all") && !sess.live[k])
				continue;
			if (n == cap) {
				uint64_t *nh;

				cap = cap ? 2 * cap : 16;
				nh = realloc(h, cap * sizeof(*h));
				if (!nh) {
					free(h);
					err("out of memory");
					return -1;
				}
				h = nh;
			}
			h[n++] = refs ? sess.h[k] : one;
		}
	}
	*out = h;
	return n;
}

/* "1-4,7" for 1 2 3 4 7 */
static void print_ranges(const uint64_t *h, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j + 1 < n && h[j + 1] == h[j] + 1)
			j++;
		printf("%s%llu", i ? "," : "", (unsigned long long)h[i]);
		if (j > i)
			printf("-%llu", (unsigned long long)h[j]);
		i = j + 1;
	}
}

/* ---- command table ---- */

struct cmd {
	const char *name;
	int (*fn)(const struct cmd *c, int argc, char **argv);
	const char *summary;
	const char *args;
	const char *help;	/* the rest of --help */
};

static void usage_of(const struct cmd *c, FILE *f)
{
	fprintf(f, "usage: %s %s %s\n", prog, c->name, c->args);
	if (f == stdout)
		fputs(c->help, f);
	else
		fprintf(f, "Try '%s %s --help'.\n", prog, c->name);
}

/*
 * getopt_long over a subcommand's argv, with -h/--help and (when @jsonok)
 * -j/--json and -p/--pretty for every command.  Returns the option, -1 at
 * the end, or 'h'/'?' handled here as *rc.
 */
static const struct option common_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
};

struct opts {
	struct option lo[24];
	char so[64];
};

static void opts_init(struct opts *o, const char *so, const struct option *lo,
		      size_t nlo, int jsonok)
{
	size_t n = 0;

	snprintf(o->so, sizeof(o->so), "h%s%s", jsonok ? "jp" : "", so);
	for (size_t i = 0; i < nlo; i++)
		o->lo[n++] = lo[i];
	for (size_t i = 0; i < ARRAY_SIZE(common_opts); i++)
		if (jsonok || common_opts[i].val == 'h')
			o->lo[n++] = common_opts[i];
	memset(&o->lo[n], 0, sizeof(o->lo[n]));
}

/* one option: 0 = give it to the command, else done with *rc */
static int opt_common(const struct cmd *c, int opt, int *rc)
{
	switch (opt) {
	case 'h':
		usage_of(c, stdout);
		*rc = EX_OK;
		return 1;
	case 'j':
		if (!json)
			json = 1;
		return 0;
	case 'p':
		json = 2;
		return 0;
	case '?':
	case ':':
		usage_of(c, stderr);
		*rc = EX_USAGE;
		return 1;
	}
	return 0;
}

/* commands without options of their own: 1 when done, with *rc */
static int simple_opts(const struct cmd *c, int argc, char **argv, int jsonok, int *rc)
{
	struct opts o;
	int opt;

	opts_init(&o, "", NULL, 0, jsonok);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;)
		if (opt_common(c, opt, rc))
			return 1;
	return 0;
}

static int no_more_args(const struct cmd *c, int argc, char **argv)
{
	if (optind < argc) {
		err("unexpected argument '%s'", argv[optind]);
		usage_of(c, stderr);
		return 1;
	}
	return 0;
}

/* ---- views ---- */

static int print_text(const char *name)
{
	int rc = EX_OK;
	char *buf = view(name, &rc);

	if (!buf)
		return rc;
	fputs(buf, stdout);
	free(buf);
	return EX_OK;
}

/* "key: value" lines as one object */
static void json_keyvals(const char *key, char *buf)
{
	static char *ls[MAX_LINES];
	int nl = lines(buf, ls, MAX_LINES);

	j_obj(key);
	for (int i = 0; i < nl; i++) {
		char *l = ls[i], *colon = strchr(l, ':'), *v;

		if (!colon)
			continue;
		*colon = '\0';
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		j_token(l, v);
	}
	j_end_obj();
}

/* the blank-separated words of @s as the JSON array @key */
static void j_words(const char *key, char *s)
{
	char *w[64];
	int n = split(s, w, 64);

	j_arr(key);
	for (int k = 0; k < n; k++)
		j_token(NULL, w[k]);
	j_end_arr();
}

static int json_buddyinfo(char *buf)
{
	static char *ls[MAX_LINES];
	int nl = lines(buf, ls, MAX_LINES);

	j_arr(NULL);
	for (int i = 0; i < nl; i++) {
		char zone[32], *l = ls[i];
		int nid, pos;

		if (sscanf(l, "Node %d, zone %31s %n", &nid, zone, &pos) != 2)
			continue;
		j_obj(NULL);
		j_s64("node", nid);
		j_str("zone", zone);
		j_words("free", l + pos);
		j_end_obj();
	}
	j_end_arr();
	return EX_OK;
}

/*
 * pagetypeinfo: the header numbers, the free counts per node, zone, type
 * and order, and the pageblock counts per type.
 */
static int json_pagetypeinfo(char *buf)
{
	static char *ls[MAX_LINES];
	int nl = lines(buf, ls, MAX_LINES), nt = 0, section = 0;
	char *types[16], *w[64];

	j_obj(NULL);
	for (int i = 0; i < nl; i++) {
		char *l = ls[i], zone[32], type[32];
		int nid, pos, n;
		unsigned long v;

		if (sscanf(l, "Page block order: %lu", &v) == 1) {
			j_u64("page_block_order", v);
		} else if (sscanf(l, "Pages per block: %lu", &v) == 1) {
			j_u64("pages_per_block", v);
		} else if (!strncmp(l, "Free pages count", 16)) {
			if (section)
				j_end_arr();
			j_arr("free");
			section = 1;
		} else if (!strncmp(l, "Number of blocks type", 21)) {
			if (section)
				j_end_arr();
			nt = split(l + 21, types, 16);
			j_arr("blocks");
			section = 2;
		} else if (section == 1 &&
			   sscanf(l, "Node %d, zone %31[^,], type %31s %n", &nid, zone, type,
				  &pos) == 3) {
			char *z = zone;

			while (*z == ' ')
				z++;
			j_obj(NULL);
			j_s64("node", nid);
			j_str("zone", z);
			j_str("type", type);
			j_words("free", l + pos);
			j_end_obj();
		} else if (section == 2 &&
			   sscanf(l, "Node %d, zone %31s %n", &nid, zone, &pos) == 2) {
			j_obj(NULL);
			j_s64("node", nid);
			j_str("zone", zone);
			n = split(l + pos, w, 64);
			for (int k = 0; k < n && k < nt; k++)
				j_token(types[k], w[k]);
			j_end_obj();
		}
	}
	if (section)
		j_end_arr();
	j_end_obj();
	return EX_OK;
}

/* "pages free     4096" -> key "pages_free", value "4096" */
static int key_value(char *l, char *key, size_t klen, char **val)
{
	char *w[16], *colon;
	size_t k = 0;
	int n;

	while (*l == ' ')
		l++;
	colon = strchr(l, ':');
	if (colon) {
		*colon = '\0';
		*val = colon + 1;
		while (**val == ' ')
			(*val)++;
		n = split(l, w, 16);
	} else {
		n = split(l, w, 16);
		if (n < 2)
			return -1;
		*val = w[--n];
	}
	key[0] = '\0';
	for (int i = 0; i < n; i++)
		k += snprintf(key + k, k < klen ? klen - k : 0, "%s%s", i ? "_" : "", w[i]);
	return 0;
}

/* close what json_zoneinfo() has open, innermost first */
static void zi_close(int in_cpu, int in_sets, int in_node, int in_zone)
{
	if (in_cpu)
		j_end_obj();
	if (in_sets)
		j_end_arr();
	if (in_node)
		j_end_obj();
	if (in_zone)
		j_end_obj();
}

/*
 * zoneinfo: one object per zone; the per-node stats, the pagesets (one
 * object per CPU) and "protection: (a, b)" as an array.
 */
static int json_zoneinfo(char *buf)
{
	int in_zone = 0, in_node = 0, in_sets = 0, in_cpu = 0;
	static char *ls[MAX_LINES];
	int nl = lines(buf, ls, MAX_LINES);

	j_arr(NULL);
	for (int i = 0; i < nl; i++) {
		char zone[32], key[128], *val, *t, *save, *l = ls[i];
		int nid;

		if (sscanf(l, "Node %d, zone %31s", &nid, zone) == 2) {
			zi_close(in_cpu, in_sets, in_node, in_zone);
			in_cpu = in_sets = in_node = 0;
			j_obj(NULL);
			j_s64("node", nid);
			j_str("zone", zone);
			in_zone = 1;
			continue;
		}
		if (!in_zone)
			continue;
		if (!strcmp(l, "  per-node stats")) {
			j_obj("per_node_stats");
			in_node = 1;
			continue;
		}
		if (!strcmp(l, "  pagesets")) {
			j_arr("pagesets");
			in_sets = 1;
			continue;
		}
		if (key_value(l, key, sizeof(key), &val))
			continue;
		if (in_node && !strcmp(key, "pages_free")) {
			j_end_obj();
			in_node = 0;
		}
		if (in_sets && !strcmp(key, "cpu")) {
			if (in_cpu)
				j_end_obj();
			j_obj(NULL);
			in_cpu = 1;
		} else if (in_sets && strcmp(key, "count") && strcmp(key, "high") &&
			   strcmp(key, "batch") && strcmp(key, "vm_stats_threshold")) {
			if (in_cpu)
				j_end_obj();
			j_end_arr();
			in_cpu = in_sets = 0;
		}
		if (val[0] == '(') {
			j_arr(key);
			for (t = strtok_r(val + 1, ", )", &save); t;
			     t = strtok_r(NULL, ", )", &save))
				j_token(NULL, t);
			j_end_arr();
			continue;
		}
		j_token(key, val);
	}
	zi_close(in_cpu, in_sets, in_node, in_zone);
	j_end_arr();
	return EX_OK;
}

static int json_vmstat(char *buf)
{
	static char *ls[MAX_LINES];
	int nl = lines(buf, ls, MAX_LINES);
	char *w[4];

	j_obj(NULL);
	for (int i = 0; i < nl; i++)
		if (split(ls[i], w, 4) == 2)
			j_token(w[0], w[1]);
	j_end_obj();
	return EX_OK;
}

static int json_pcp(char *buf)
{
	char *cols[64], *w[64], *save, *l;
	int nc = 0;

	j_arr(NULL);
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		int n;

		if (l[0] == '#') {
			nc = split(l + 1, cols, 64);
			continue;
		}
		n = split(l, w, 64);
		j_obj(NULL);
		for (int i = 0; i < n && i < nc; i++)
			j_token(cols[i], w[i]);
		j_end_obj();
	}
	j_end_arr();
	return EX_OK;
}

static int cmd_view(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
	};
	int opt, rc = EX_OK, raw = 0, all = 0;
	int is_vmstat = !strcmp(c->name, "vmstat");
	struct opts o;
	char *buf;

	opts_init(&o, is_vmstat ? "ra" : "", lo, is_vmstat ? 2 : 0, 1);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			return rc;
		if (opt == 'r')
			raw = 1;
		else if (opt == 'a')
			all = 1;
	}
	if (optind < argc) {
		err("unexpected argument '%s'", argv[optind]);
		usage_of(c, stderr);
		return EX_USAGE;
	}
	if (!json && (!is_vmstat || raw))
		return print_text(c->name);
	buf = view(c->name, &rc);
	if (!buf)
		return rc;
	if (json) {
		if (!strcmp(c->name, "buddyinfo"))
			rc = json_buddyinfo(buf);
		else if (!strcmp(c->name, "pagetypeinfo"))
			rc = json_pagetypeinfo(buf);
		else if (!strcmp(c->name, "zoneinfo"))
			rc = json_zoneinfo(buf);
		else if (is_vmstat)
			rc = json_vmstat(buf);
		else if (!strcmp(c->name, "pcp"))
			rc = json_pcp(buf);
		else
			json_keyvals(NULL, buf);
	} else {
		/* vmstat, pretty: nonzero counters in groups, aligned */
		char *w[4], *save, *l;
		int hidden = 0, group = -1;

		for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			int g;

			if (split(l, w, 4) != 2)
				continue;
			g = !strncmp(w[0], "sbuddy_", 7) ? 2 :
			    !strncmp(w[0], "nr_", 3) || !strncmp(w[0], "numa_", 5) ||
			    !strncmp(w[0], "workingset_", 11) ? 0 : 1;
			if (!all && !strcmp(w[1], "0")) {
				hidden++;
				continue;
			}
			if (g != group)
				printf("%s%s:\n", group < 0 ? "" : "\n",
				       g == 0 ? "counters" : g == 1 ? "events" : "sbuddy");
			group = g;
			printf("  %-34s %14s\n", w[0], w[1]);
		}
		if (hidden)
			printf("(%d zero counters not shown: --all shows them, --raw the file)\n",
			       hidden);
	}
	free(buf);
	return rc;
}

/* ---- info ---- */

/* by bit number: SBUDDY_FEAT_* */
static const char *const feat_names[] = {
	"region", "alloc", "pin", "query", "fill", "mmap", "drain", "verify",
	[16] = "contig", [17] = "workload", [18] = "held_free",
};

static int cmd_info(const struct cmd *c, int argc, char **argv)
{
	struct sbuddy_api api = { 0 };
	int rc = EX_OK;
	char *buf;

	if (simple_opts(c, argc, argv, 1, &rc))
		return rc;
	if (no_more_args(c, argc, argv))
		return EX_USAGE;
	rc = dev_ioctl(SBUDDY_IOC_GET_API, "SBUDDY_IOC_GET_API", &api, 0);
	if (rc)
		return rc;
	buf = view("region", &rc);
	if (json) {
		j_obj(NULL);
		j_u64("api_version", api.api_version);
		j_u64("features_mask", api.features);
		j_arr("features");
		for (size_t i = 0; i < ARRAY_SIZE(feat_names); i++)
			if ((api.features & (1ULL << i)) && feat_names[i])
				j_str(NULL, feat_names[i]);
		j_end_arr();
		j_u64("max_order", SBUDDY_MAX_ORDER);
		j_u64("batch_max", SBUDDY_BATCH_MAX);
		if (buf)
			json_keyvals("region", buf);
		else
			j_null("region");
		j_end_obj();
	} else {
		printf("api_version: %u\nfeatures: %#llx", api.api_version,
		       (unsigned long long)api.features);
		for (size_t i = 0; i < ARRAY_SIZE(feat_names); i++)
			if ((api.features & (1ULL << i)) && feat_names[i])
				printf(" %s", feat_names[i]);
		printf("\nmax_order: %d\nbatch_max: %d\n", SBUDDY_MAX_ORDER,
		       SBUDDY_BATCH_MAX);
		if (buf)
			fputs(buf, stdout);
	}
	free(buf);
	return rc;
}

/* ---- allocation flags and policies ---- */

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
	{ "cold", SBUDDY_ALLOC_COLD },
};

static const struct {
	uint32_t a, b;
	const char *an, *bn;
} bad_pairs[] = {
	{ SBUDDY_ALLOC_MOVABLE, SBUDDY_ALLOC_RECLAIMABLE, "movable", "reclaimable" },
	{ SBUDDY_ALLOC_ATOMIC, SBUDDY_ALLOC_NOWAIT, "atomic", "nowait" },
	{ SBUDDY_ALLOC_NOFAIL, SBUDDY_ALLOC_NORETRY, "nofail", "noretry" },
	{ SBUDDY_ALLOC_DMA, SBUDDY_ALLOC_DMA32, "dma", "dma32" },
	{ SBUDDY_ALLOC_DMA, SBUDDY_ALLOC_HIGHMEM, "dma", "highmem" },
	{ SBUDDY_ALLOC_DMA32, SBUDDY_ALLOC_HIGHMEM, "dma32", "highmem" },
};

static const char *const type_names[] = { "unmovable", "movable", "reclaimable" };

static int parse_flags(const char *arg, uint32_t *flags)
{
	char s[256], *save;

	snprintf(s, sizeof(s), "%s", arg);
	for (char *t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(flag_names); i++)
			if (!strcmp(t, flag_names[i].name))
				break;
		if (i == ARRAY_SIZE(flag_names)) {
			err("unknown flag '%s' (see --help)", t);
			return -1;
		}
		*flags |= flag_names[i].bit;
	}
	return 0;
}

static int parse_type(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(type_names); i++)
		if (!strcmp(s, type_names[i]))
			return i;
	err("unknown type '%s' (unmovable, movable, reclaimable)", s);
	return -1;
}

static uint32_t type_flag(int t)
{
	return t == 1 ? SBUDDY_ALLOC_MOVABLE : t == 2 ? SBUDDY_ALLOC_RECLAIMABLE : 0;
}

static const char *flags_type(uint32_t f)
{
	return f & SBUDDY_ALLOC_MOVABLE ? "movable" :
	       f & SBUDDY_ALLOC_RECLAIMABLE ? "reclaimable" : "unmovable";
}

/* an unsigned number in [lo, hi]; -1 after "WHAT X out of range (lo..hi)" */
static long long parse_num(const char *what, const char *s, long long lo, long long hi)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (!*s || *end || errno) {
		err("%s '%s' is not a number", what, s);
		return -1;
	}
	if (v < lo || v > hi) {
		err("%s %s out of range (%lld..%lld)", what, s, lo, hi);
		return -1;
	}
	return v;
}

/* "0,2-3" -> a node mask */
static int parse_nodes(const char *s, __u64 *mask)
{
	char buf[128], *save;

	snprintf(buf, sizeof(buf), "%s", s);
	*mask = 0;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(t, '-');
		long long a, b;

		if (dash)
			*dash = '\0';
		a = parse_num("node", t, 0, 63);
		b = dash ? parse_num("node", dash + 1, 0, 63) : a;
		if (a < 0 || b < 0)
			return -1;
		if (b < a) {
			err("node range %s-%s is backwards", t, dash + 1);
			return -1;
		}
		for (long long n = a; n <= b; n++)
			*mask |= 1ULL << n;
	}
	if (!*mask) {
		err("empty node list '%s'", s);
		return -1;
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static void catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* -H/--hold[=SECONDS] into *@hold (0: until a signal); -1 if not a number */
static int parse_hold(const char *arg, long long *hold)
{
	*hold = 0;
	if (arg) {
		*hold = parse_num("hold seconds", arg, 0, 1LL << 30);
		if (*hold < 0)
			return -1;
	}
	return 0;
}

/* --hold: wait @hold seconds, or with 0 until SIGINT/SIGTERM/SIGHUP */
static void hold_on(long long hold)
{
	if (hold) {
		struct timespec ts = { .tv_sec = hold };

		while (!stop && nanosleep(&ts, &ts))
			;
	} else {
		while (!stop)
			pause();
	}
}

static int cmd_alloc(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "type", required_argument, NULL, 't' },
		{ "flags", required_argument, NULL, 'f' },
		{ "preferred", required_argument, NULL, 'P' },
		{ "bind", required_argument, NULL, 'B' },
		{ "interleave", required_argument, NULL, 'I' },
		{ "hold", optional_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },
	};
	struct sbuddy_alloc a = { .count = 1 };
	int opt, rc = EX_OK, quiet = 0, type = -1, e;
	long long hold = -1, v, order;
	uint64_t *h;
	struct opts o;

	opts_init(&o, "n:t:f:H:q", lo, ARRAY_SIZE(lo), 1);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			return rc;
		switch (opt) {
		case 'n':
			v = parse_num("count", optarg, 1, SBUDDY_BATCH_MAX);
			if (v < 0)
				return EX_USAGE;
			a.count = v;
			break;
		case 't':
			type = parse_type(optarg);
			if (type < 0)
				return EX_USAGE;
			break;
		case 'f':
			if (parse_flags(optarg, &a.flags))
				return EX_USAGE;
			break;
		case 'P':
			v = parse_num("node", optarg, 0, 63);
			if (v < 0)
				return EX_USAGE;
			a.policy = SBUDDY_MPOL_PREFERRED;
			a.nid = v;
			break;
		case 'B':
		case 'I':
			if (parse_nodes(optarg, &a.nodemask))
				return EX_USAGE;
			a.policy = opt == 'B' ? SBUDDY_MPOL_BIND : SBUDDY_MPOL_INTERLEAVE;
			break;
		case 'H':
			if (parse_hold(optarg, &hold))
				return EX_USAGE;
			break;
		case 'q':
			quiet = 1;
			break;
		}
	}
	if (argc - optind != 1) {
		err(argc == optind ? "which order?" : "unexpected argument '%s'",
		    argv[optind + (argc != optind)]);
		usage_of(c, stderr);
		return EX_USAGE;
	}
	order = parse_num("order", argv[optind], 0, SBUDDY_MAX_ORDER);
	if (order < 0)
		return EX_USAGE;
	a.order = order;
	if (type >= 0) {
		if (a.flags & (SBUDDY_ALLOC_MOVABLE | SBUDDY_ALLOC_RECLAIMABLE)) {
			err("give the migratetype with -t or -f, not both");
			return EX_USAGE;
		}
		a.flags |= type_flag(type);
	}
	/* the pairs the module refuses, said before asking it */
	for (size_t i = 0; i < ARRAY_SIZE(bad_pairs); i++) {
		if ((a.flags & bad_pairs[i].a) && (a.flags & bad_pairs[i].b)) {
			err("flags %s and %s contradict each other", bad_pairs[i].an,
			    bad_pairs[i].bn);
			return EX_USAGE;
		}
	}
	if (in_batch && hold >= 0) {
		err("--hold makes no sense in batch mode: the batch holds its blocks");
		return EX_USAGE;
	}
	h = calloc(a.count, sizeof(*h));
	if (!h) {
		err("out of memory");
		return EX_FAIL;
	}
	a.handles = (uintptr_t)h;
	if (dev_open() < 0) {
		free(h);
		return EX_FAIL;
	}
	e = ioctl(dev_fd, SBUDDY_IOC_ALLOC, &a) ? errno : 0;
	if (e && e != ENOMEM && e != EINTR) {
		if (e == EINVAL && a.policy != SBUDDY_MPOL_DEFAULT)
			err("the module refused the memory policy (EINVAL): no populated node among those given");
		else if (e == EINVAL)
			err("the module refused the request (EINVAL)");
		else
			err("SBUDDY_IOC_ALLOC: %s (%s)", strerror(e), errname(e));
		free(h);
		return e == ENOTTY ? EX_UNSUPP : EX_FAIL;
	}
	sess_add(h, a.done);
	/* before the handles are printed: whoever reads them may signal */
	if (hold >= 0)
		catch_stop();
	if (json) {
		j_obj(NULL);
		j_u64("order", a.order);
		j_str("type", flags_type(a.flags));
		j_u64("flags_mask", a.flags);
		j_u64("requested", a.count);
		j_u64("allocated", a.done);
		if (a.error)
			j_str("error", errname(a.error));
		else
			j_null("error");
		j_arr("handles");
		for (uint32_t i = 0; i < a.done; i++)
			j_u64(NULL, h[i]);
		j_end_arr();
		if (in_batch)
			j_u64("first_ref", sess.n - a.done);
		j_end_obj();
	} else {
		printf("allocated %u of %u order-%u %s blocks\n", a.done, a.count,
		       a.order, flags_type(a.flags));
		if (!quiet && a.done) {
			printf("handles: ");
			print_ranges(h, a.done);
			if (in_batch)
				printf(" (%%%zu..%%%zu)", sess.n - a.done, sess.n - 1);
			printf("\n");
		}
	}
	fflush(stdout);
	if (a.done != a.count) {
		err("block %u of %u failed: %s (%s); %u allocated", a.done, a.count,
		    strerror(a.error), errname(a.error), a.done);
		rc = EX_FAIL;
	}
	if (hold >= 0 && a.done)
		hold_on(hold);
	free(h);
	return rc;
}

/* free, pin, unpin, query, fill, checksum: commands on handles */
static int not_ours(uint64_t h)
{
	err("handle %llu is not held by this session%s", (unsigned long long)h,
	    in_batch ? "" : " (blocks live as long as the open device: use batch mode)");
	return EX_FAIL;
}

static int handle_args(const struct cmd *c, int argc, char **argv, uint64_t **h)
{
	long n;

	if (optind == argc) {
		err("which handle?");
		usage_of(c, stderr);
		return -1;
	}
	n = parse_handles(argc - optind, argv + optind, h);
	if (n == 0)
		err("no handle left to act on");
	return n > 0 ? n : -1;
}

static int cmd_free(const struct cmd *c, int argc, char **argv)
{
	struct sbuddy_free f = { 0 };
	int rc = EX_OK;
	uint64_t *h;
	long n;

	if (simple_opts(c, argc, argv, 1, &rc))
		return rc;
	n = handle_args(c, argc, argv, &h);
	if (n < 0)
		return EX_USAGE;
	if (dev_open() < 0) {
		free(h);
		return EX_FAIL;
	}
	for (long i = 0; i < n && rc == EX_OK; i += f.done) {
		f.handles = (uintptr_t)(h + i);
		f.count = n - i > SBUDDY_BATCH_MAX ? SBUDDY_BATCH_MAX : n - i;
		f.done = 0;
		if (ioctl(dev_fd, SBUDDY_IOC_FREE, &f)) {
			for (uint32_t k = 0; k < f.done; k++)
				sess_dead(h[i + k]);
			if (errno == ENOENT) {
				f.done += i;
				rc = not_ours(h[f.done]);
				f.done -= i;
			} else {
				err("SBUDDY_IOC_FREE: %s (%s)", strerror(errno), errname(errno));
				rc = errno == ENOTTY ? EX_UNSUPP : EX_FAIL;
			}
			n = i + f.done;
			break;
		}
		for (uint32_t k = 0; k < f.done; k++)
			sess_dead(h[i + k]);
	}
	if (rc == EX_OK)
		f.done = n;
	if (json) {
		j_obj(NULL);
		j_u64("freed", n);
		j_end_obj();
	} else if (n || rc == EX_OK) {
		printf("freed %ld\n", n);
	}
	free(h);
	return rc;
}

/* what the per-handle commands give their ioctl: each starts with the handle */
union handle_io {
	__u64 handle;
	struct sbuddy_handle_arg pin;
	struct sbuddy_free_held held;
	struct sbuddy_query q;
	struct sbuddy_fill fill;
};

struct handle_op {
	unsigned long cmd;
	const char *name;
	/* an errno worded for the command: its exit status, or 0 if not */
	int (*refused)(const struct handle_op *op, uint64_t h, int e);
	/* one handle's answer, text or a JSON object */
	void (*show)(uint64_t h, const union handle_io *a);
};

/*
 * pin, unpin, free-held, query, fill and checksum: @op's ioctl on each
 * handle of the command line in turn, from @arg with the handle set (a
 * JSON array of the answers), stopping at the first refusal.
 */
static int handle_loop(const struct cmd *c, int argc, char **argv, const struct handle_op *op,
		       const union handle_io *arg)
{
	int rc = EX_OK;
	uint64_t *h;
	long n;

	n = handle_args(c, argc, argv, &h);
	if (n < 0)
		return EX_USAGE;
	if (json)
		j_arr(NULL);
	for (long i = 0; i < n; i++) {
		union handle_io a = *arg;

		a.handle = h[i];
		if (dev_open() < 0) {
			rc = EX_FAIL;
			break;
		}
		if (ioctl(dev_fd, op->cmd, &a)) {
			int e = errno;

			rc = op->refused(op, h[i], e);
			if (!rc) {
				err("%s: %s (%s)", op->name, strerror(e), errname(e));
				rc = e == ENOTTY ? EX_UNSUPP : EX_FAIL;
			}
			break;
		}
		op->show(h[i], &a);
	}
	if (json)
		j_end_arr();
	free(h);
	return rc;
}

/* handle_loop() of a command with only the common options */
static int per_handle(const struct cmd *c, int argc, char **argv, const struct handle_op *op)
{
	static const union handle_io zero;
	int rc = EX_OK;

	if (simple_opts(c, argc, argv, 1, &rc))
		return rc;
	return handle_loop(c, argc, argv, op, &zero);
}

/* as dev_ioctl(): ENOENT is not ours, ENOTTY an older module */
static int dev_refused(const struct handle_op *op, uint64_t h, int e)
{
	if (e == ENOENT)
		return not_ours(h);
	if (e == ENOTTY) {
		err("this sbuddy does not know %s (an older module?)", op->name);
		return EX_UNSUPP;
	}
	return 0;
}

static int pin_refused(const struct handle_op *op, uint64_t h, int e)
{
	(void)op;
	return e == ENOENT ? not_ours(h) : 0;
}

static int unpin_refused(const struct handle_op *op, uint64_t h, int e)
{
	if (e == EINVAL) {
		err("handle %llu holds no pin", (unsigned long long)h);
		return EX_FAIL;
	}
	return pin_refused(op, h, e);
}

static void pin_show(uint64_t h, const union handle_io *a)
{
	if (json) {
		j_obj(NULL);
		j_u64("handle", h);
		j_u64("pins", a->pin.pins);
		j_end_obj();
	} else {
		printf("handle %llu: %u pin%s\n", (unsigned long long)h, a->pin.pins,
		       a->pin.pins == 1 ? "" : "s");
	}
}

static int cmd_pin(const struct cmd *c, int argc, char **argv)
{
	static const struct handle_op pin = {
		SBUDDY_IOC_PIN, "SBUDDY_IOC_PIN", pin_refused, pin_show,
	}, unpin = {
		SBUDDY_IOC_UNPIN, "SBUDDY_IOC_UNPIN", unpin_refused, pin_show,
	};

	return per_handle(c, argc, argv, strcmp(c->name, "pin") ? &unpin : &pin);
}

static int free_held_refused(const struct handle_op *op, uint64_t h, int e)
{
	(void)op;
	if (e == ENOENT)
		err("handle %llu is not held by this session or was reclaimed",
		    (unsigned long long)h);
	else if (e == EBUSY)
		err("handle %llu is pinned", (unsigned long long)h);
	else if (e == EINVAL)
		err("handle %llu is a contiguous or CMA block (not freed through __free_pages)",
		    (unsigned long long)h);
	else
		return 0;
	return EX_FAIL;
}

static void free_held_show(uint64_t h, const union handle_io *a)
{
	const struct sbuddy_free_held *f = &a->held;

	if (json) {
		j_obj(NULL);
		j_u64("handle", h);
		j_u64("freed", f->nr_freed);
		j_u64("order", f->order);
		j_end_obj();
	} else {
		printf("handle %llu: %u page%s freed, order %u left\n",
		       (unsigned long long)h, f->nr_freed,
		       f->nr_freed == 1 ? "" : "s", f->order);
	}
}

/*
 * free-held: __free_pages() while a speculative reference is held; the
 * handle stays, naming what the held reference keeps.
 */
static int cmd_free_held(const struct cmd *c, int argc, char **argv)
{
	static const struct handle_op op = {
		SBUDDY_IOC_FREE_HELD, "SBUDDY_IOC_FREE_HELD", free_held_refused,
		free_held_show,
	};

	return per_handle(c, argc, argv, &op);
}

static const char *const zone_names[] = { "DMA", "DMA32", "Normal", "Movable" };
static const char *const mt_names[] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};

static void query_show(uint64_t h, const union handle_io *a)
{
	const struct sbuddy_query *q = &a->q;
	const char *zone = q->zone < 4 ? zone_names[q->zone] : "?";
	const char *pb = q->pageblock_type < 6 ? mt_names[q->pageblock_type] : "?";
	const char *at = q->alloc_type < 3 ? type_names[q->alloc_type] : "?";
	const char *st = q->state == SBUDDY_STATE_LIVE ? "live" : "reclaimed";

	if (json) {
		j_obj(NULL);
		j_u64("handle", h);
		j_u64("pfn", q->pfn);
		j_u64("order", q->order);
		j_u64("node", q->nid);
		j_str("zone", zone);
		j_str("pageblock_type", pb);
		j_str("alloc_type", at);
		j_str("state", st);
		j_u64("nr_migrated", q->nr_migrated);
		j_u64("pins", q->pins);
		j_end_obj();
	} else {
		printf("handle %llu: pfn %#llx order %u node %u zone %s pageblock %s alloc %s state %s migrated %u pins %u\n",
		       (unsigned long long)h, (unsigned long long)q->pfn,
		       q->order, q->nid, zone, pb, at, st, q->nr_migrated, q->pins);
	}
}

static int cmd_query(const struct cmd *c, int argc, char **argv)
{
	static const struct handle_op op = {
		SBUDDY_IOC_QUERY, "SBUDDY_IOC_QUERY", dev_refused, query_show,
	};

	return per_handle(c, argc, argv, &op);
}

static void fill_show(uint64_t h, const union handle_io *a)
{
	if (json) {
		j_obj(NULL);
		j_u64("handle", h);
		j_u64("crc32", a->fill.crc32);
		j_end_obj();
	} else {
		printf("handle %llu: crc32 %08x\n", (unsigned long long)h, a->fill.crc32);
	}
}

static int cmd_fill(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seed", required_argument, NULL, 's' },
	};
	static const struct handle_op fill_op = {
		SBUDDY_IOC_FILL, "SBUDDY_IOC_FILL", dev_refused, fill_show,
	}, checksum_op = {
		SBUDDY_IOC_CHECKSUM, "SBUDDY_IOC_CHECKSUM", dev_refused, fill_show,
	};
	int fill = !strcmp(c->name, "fill");
	int opt, rc = EX_OK;
	unsigned long long seed = 0;
	union handle_io a;
	struct opts o;
	char *end;

	opts_init(&o, fill ? "s:" : "", lo, fill, 1);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			return rc;
		if (opt == 's') {
			errno = 0;
			seed = strtoull(optarg, &end, 0);
			if (!*optarg || *end || errno) {
				err("seed '%s' is not a number", optarg);
				return EX_USAGE;
			}
		}
	}
	memset(&a, 0, sizeof(a));
	a.fill.seed = seed;
	return handle_loop(c, argc, argv, fill ? &fill_op : &checksum_op, &a);
}

/* ---- drain, verify, compact ---- */

static int cmd_drain(const struct cmd *c, int argc, char **argv)
{
	struct sbuddy_drain d = { .scope = SBUDDY_DRAIN_ALL };
	int rc = EX_OK;
	long long cpu;

	if (simple_opts(c, argc, argv, 0, &rc))
		return rc;
	argc -= optind;
	argv += optind;
	if (argc == 1 && !strcmp(argv[0], "local")) {
		d.scope = SBUDDY_DRAIN_LOCAL;
	} else if (argc == 2 && !strcmp(argv[0], "cpu")) {
		cpu = parse_num("cpu", argv[1], 0, UINT32_MAX);
		if (cpu < 0)
			return EX_USAGE;
		d.scope = SBUDDY_DRAIN_CPU;
		d.cpu = cpu;
	} else if (argc > 1 || (argc == 1 && strcmp(argv[0], "all"))) {
		err("'%s' is not a drain scope (all, local, cpu N)", argv[0]);
		usage_of(c, stderr);
		return EX_USAGE;
	}
	if (dev_open() < 0)
		return EX_FAIL;
	if (ioctl(dev_fd, SBUDDY_IOC_DRAIN, &d)) {
		if (errno == EINVAL && d.scope == SBUDDY_DRAIN_CPU)
			err("cpu %u is not a possible CPU", d.cpu);
		else
			err("SBUDDY_IOC_DRAIN: %s (%s)", strerror(errno), errname(errno));
		return errno == ENOTTY ? EX_UNSUPP : EX_FAIL;
	}
	return EX_OK;
}

static int cmd_verify(const struct cmd *c, int argc, char **argv)
{
	struct sbuddy_verify v = { 0 };
	int rc = EX_OK;

	if (simple_opts(c, argc, argv, 1, &rc))
		return rc;
	if (no_more_args(c, argc, argv))
		return EX_USAGE;
	rc = dev_ioctl(SBUDDY_IOC_VERIFY, "SBUDDY_IOC_VERIFY", &v, 0);
	if (rc)
		return rc;
	v.message[sizeof(v.message) - 1] = '\0';
	if (json) {
		j_obj(NULL);
		j_u64("status", v.status);
		j_str("message", v.message);
		j_end_obj();
	} else {
		printf("%s\n", v.message);
	}
	return v.status ? EX_FAIL : EX_OK;
}

static int cmd_compact(const struct cmd *c, int argc, char **argv)
{
	int rc = EX_OK, ret;
	char path[256], val[32] = "1";
	long long node = -1;

	if (simple_opts(c, argc, argv, 0, &rc))
		return rc;
	if (argc - optind > 1) {
		err("unexpected argument '%s'", argv[optind + 1]);
		return EX_USAGE;
	}
	if (argc - optind == 1) {
		node = parse_num("node", argv[optind], 0, 63);
		if (node < 0)
			return EX_USAGE;
	}
	snprintf(path, sizeof(path), DBG "vm/compact_memory");
	if (node >= 0) {
		/* /sys/devices/system/node/nodeN/compact's sbuddy twin */
		snprintf(path, sizeof(path), DBG "node/node%lld/compact", node);
		if (access(path, F_OK) && access(DBG "node", F_OK) == 0) {
			err("node %lld does not exist", node);
			return EX_FAIL;
		}
	}
	ret = write_file(path, val);
	if (ret == -ENOENT && access(DBG, F_OK) == 0) {
		err("this sbuddy has no compaction trigger%s (%s missing)",
		    node >= 0 ? " per node" : "", path);
		return EX_UNSUPP;
	}
	if (ret) {
		err("%s: %s", path, strerror(-ret));
		return EX_FAIL;
	}
	return EX_OK;
}

/* ---- knobs ---- */

static int knob_list(char names[][64], int max)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir(DBG "vm");

	if (!d)
		return -1;
	while ((de = readdir(d)) && n < max)
		if (de->d_name[0] != '.')
			snprintf(names[n++], 64, "%.63s", de->d_name);
	closedir(d);
	qsort(names, n, 64, (int (*)(const void *, const void *))strcmp);
	return n;
}

static int knob_check(const char *name)
{
	char names[64][64], path[256];
	int n;

	if (!*name || strchr(name, '/') || name[0] == '.') {
		err("'%s' is not a knob name", name);
		return EX_USAGE;
	}
	snprintf(path, sizeof(path), DBG "vm/%s", name);
	if (access(path, F_OK) == 0)
		return EX_OK;
	n = knob_list(names, 64);
	if (n < 0) {
		err("cannot list " DBG "vm: %s (is sbuddy loaded, debugfs mounted?)",
		    strerror(errno));
		return EX_FAIL;
	}
	fflush(stdout);
	fprintf(stderr, "%s: %s%s: no knob '%s' in " DBG "vm (knobs:", prog, where,
		sub, name);
	for (int i = 0; i < n; i++)
		fprintf(stderr, " %s", names[i]);
	fprintf(stderr, ")\n");
	return EX_USAGE;
}

/* print one knob; 0 or the exit status */
static int knob_print(const char *name, int value_only)
{
	char path[256], *buf, *w[16];
	struct stat st;
	int n;

	snprintf(path, sizeof(path), DBG "vm/%s", name);
	if (stat(path, &st) == 0 && !(st.st_mode & 0444))
		return -1;	/* a trigger, write-only */
	buf = slurp(path);
	if (!buf) {
		err("cannot read %s: %s", path, strerror(errno));
		return EX_FAIL;
	}
	if (json) {
		n = split(buf, w, 16);
		if (n == 1) {
			j_token(name, w[0]);
		} else {
			j_arr(name);
			for (int i = 0; i < n; i++)
				j_token(NULL, w[i]);
			j_end_arr();
		}
	} else {
		buf[strcspn(buf, "\n")] = '\0';
		if (value_only)
			printf("%s\n", buf);
		else
			printf("%s = %s\n", name, buf);
	}
	free(buf);
	return EX_OK;
}

static int cmd_get(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "values", no_argument, NULL, 'n' },
	};
	int opt, rc = EX_OK, value_only = 0;
	char names[64][64];
	struct opts o;
	int n;

	opts_init(&o, "n", lo, 1, 1);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			return rc;
		if (opt == 'n')
			value_only = 1;
	}
	for (int i = optind; i < argc; i++) {
		rc = knob_check(argv[i]);
		if (rc)
			return rc;
	}
	if (json)
		j_obj(NULL);
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			int r = knob_print(argv[i], value_only);

			if (r == -1) {
				err("%s is write-only (a trigger)", argv[i]);
				r = EX_USAGE;
			}
			if (r && !rc)
				rc = r;
		}
	} else {
		n = knob_list(names, 64);
		if (n < 0) {
			err("cannot list " DBG "vm: %s (is sbuddy loaded, debugfs mounted?)",
			    strerror(errno));
			rc = EX_FAIL;
		}
		for (int i = 0; i < n; i++) {
			int r = knob_print(names[i], value_only);

			if (r > 0 && !rc)
				rc = r;
		}
	}
	if (json)
		j_end_obj();
	return rc;
}

static int cmd_set(const struct cmd *c, int argc, char **argv)
{
	char path[256], val[512];
	int rc = EX_OK, ret;
	int pairs;

	if (simple_opts(c, argc, argv, 1, &rc))
		return rc;
	argc -= optind;
	argv += optind;
	if (!argc) {
		err("which knob?");
		usage_of(c, stderr);
		return EX_USAGE;
	}
	pairs = strchr(argv[0], '=') != NULL;
	if (!pairs && argc < 2) {
		err("%s: which value?", argv[0]);
		usage_of(c, stderr);
		return EX_USAGE;
	}
	/* check every name before writing any */
	for (int i = 0; i < (pairs ? argc : 1); i++) {
		char name[64];

		if (pairs && !strchr(argv[i], '=')) {
			err("'%s' is not NAME=VALUE", argv[i]);
			return EX_USAGE;
		}
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(argv[i], "="), argv[i]);
		rc = knob_check(name);
		if (rc)
			return rc;
	}
	if (json)
		j_obj(NULL);
	for (int i = 0; i < (pairs ? argc : 1); i++) {
		size_t nl = strcspn(argv[i], "=");
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)nl, argv[i]);
		val[0] = '\0';
		if (pairs) {
			snprintf(val, sizeof(val), "%s", argv[i] + nl + 1);
		} else {
			for (int k = 1; k < argc; k++)
				snprintf(val + strlen(val), sizeof(val) - strlen(val), "%s%s",
					 k > 1 ? " " : "", argv[k]);
		}
		snprintf(path, sizeof(path), DBG "vm/%s", name);
		ret = write_file(path, val);
		if (ret) {
			err("%s: '%s' refused: %s", name, val, strerror(-ret));
			rc = EX_FAIL;
			break;
		}
		ret = knob_print(name, 0);
		if (ret > 0) {
			rc = ret;
			break;
		}
	}
	if (json)
		j_end_obj();
	return rc;
}

/* ---- stress ---- */

#define MAX_ORDERS	(SBUDDY_MAX_ORDER + 1)

struct stress_stat {
	unsigned long long attempts, allocated, failed, freed, calls;
};

struct stress {
	unsigned int weights[MAX_ORDERS], wsum;
	unsigned int tweights[3], tsum;
	uint32_t flags, batch, keep;
	long long ops;			/* blocks to attempt; -1 for a time */
	double deadline;
	unsigned long long seed;
	unsigned long long budget;	/* claimed by the threads */
	unsigned long long done;	/* attempts so far, for progress */
	int errors, first_errno;
	pthread_mutex_t lock;
	struct stress_stat st[MAX_ORDERS];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct held {
	uint64_t h;
	unsigned int order;
};

struct stress_thread {
	struct stress *s;
	int id;
	pthread_t tid;
	struct stress_stat st[MAX_ORDERS];
	int error;
};

static void *stress_run(void *arg)
{
	struct stress_thread *t = arg;
	struct stress *s = t->s;
	uint64_t rng = s->seed * 0x9e3779b97f4a7c15ULL + t->id + 1, *h;
	size_t cap = s->keep + s->batch, head = 0, n = 0;
	struct held *ring;
	int fd;

	ring = calloc(cap, sizeof(*ring));
	h = calloc(s->batch, sizeof(*h));
	fd = open(DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0 || !ring || !h) {
		t->error = fd < 0 ? errno : ENOMEM;
		goto out;
	}
	while (!stop) {
		struct sbuddy_alloc a = { .handles = (uintptr_t)h };
		unsigned int r, o, ty;
		uint32_t want = s->batch;

		if (s->ops >= 0) {
			unsigned long long got = __atomic_fetch_add(&s->budget, want,
								    __ATOMIC_RELAXED);

			if (got >= (unsigned long long)s->ops)
				break;
			if (got + want > (unsigned long long)s->ops)
				want = s->ops - got;
		} else if (now() >= s->deadline) {
			break;
		}
		r = xorshift(&rng) % s->wsum;
		for (o = 0; r >= s->weights[o]; o++)
			r -= s->weights[o];
		r = xorshift(&rng) % s->tsum;
		for (ty = 0; r >= s->tweights[ty]; ty++)
			r -= s->tweights[ty];
		/* room for the batch: free the oldest blocks first */
		while (n + want > s->keep && n) {
			struct sbuddy_free f = { .handles = (uintptr_t)&ring[head].h, .count = 1 };

			if (ioctl(fd, SBUDDY_IOC_FREE, &f)) {
				t->error = errno;
				goto out;
			}
			t->st[ring[head].order].freed++;
			t->st[ring[head].order].calls++;
			head = (head + 1) % cap;
			n--;
		}
		a.order = o;
		a.count = want;
		a.flags = s->flags | type_flag(ty);
		if (ioctl(fd, SBUDDY_IOC_ALLOC, &a) && errno != ENOMEM) {
			t->error = errno;
			goto out;
		}
		t->st[o].calls++;
		t->st[o].attempts += want;
		t->st[o].allocated += a.done;
		t->st[o].failed += want - a.done;
		for (uint32_t i = 0; i < a.done; i++) {
			ring[(head + n) % cap].h = h[i];
			ring[(head + n) % cap].order = o;
			n++;
		}
		__atomic_fetch_add(&s->done, want, __ATOMIC_RELAXED);
	}
	/* the rest is freed by close, counted as freed */
	for (size_t i = 0; i < n; i++)
		t->st[ring[(head + i) % cap].order].freed++;
out:
	if (fd >= 0)
		close(fd);
	free(ring);
	free(h);
	return NULL;
}

/* "0,3:2" -> weights[0] = 1, weights[3] = 2 */
static int parse_weights(const char *arg, const char *what, unsigned int *w, int nw,
			 const char *const *names)
{
	char buf[256], *save;

	snprintf(buf, sizeof(buf), "%s", arg);
	memset(w, 0, nw * sizeof(*w));
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(t, ':');
		long long k = -1, wt = 1;

		if (colon) {
			*colon = '\0';
			wt = parse_num("weight", colon + 1, 1, 1000000);
			if (wt < 0)
				return -1;
		}
		if (names) {
			for (int i = 0; i < nw; i++)
				if (!strcmp(t, names[i]))
					k = i;
			if (k < 0) {
				err("unknown %s '%s'", what, t);
				return -1;
			}
		} else {
			k = parse_num(what, t, 0, nw - 1);
			if (k < 0)
				return -1;
		}
		w[k] += wt;
	}
	return 0;
}

static int cmd_stress(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "orders", required_argument, NULL, 'o' },
		{ "mix", required_argument, NULL, 'm' },
		{ "flags", required_argument, NULL, 'f' },
		{ "duration", required_argument, NULL, 'd' },
		{ "ops", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'b' },
		{ "keep", required_argument, NULL, 'k' },
		{ "seed", required_argument, NULL, 's' },
	};
	struct stress *s = calloc(1, sizeof(*s));
	long nthreads = sysconf(_SC_NPROCESSORS_ONLN);
	int opt, rc = EX_OK, tty = isatty(2) && !json;
	struct stress_thread *t = NULL;
	long long v, dur = -1;
	unsigned long long tot[5] = { 0 };
	double t0, el;
	struct opts o;

	if (!s) {
		err("out of memory");
		return EX_FAIL;
	}
	s->weights[0] = 1;
	s->tweights[1] = 1;
	s->batch = 1;
	s->keep = 64;
	s->ops = -1;
	opts_init(&o, "t:o:m:f:d:n:b:k:s:", lo, ARRAY_SIZE(lo), 1);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			goto out;
		rc = EX_USAGE;
		switch (opt) {
		case 't':
			v = parse_num("threads", optarg, 1, 1024);
			if (v < 0)
				goto out;
			nthreads = v;
			break;
		case 'o':
			if (parse_weights(optarg, "order", s->weights, MAX_ORDERS, NULL))
				goto out;
			break;
		case 'm':
			if (parse_weights(optarg, "type", s->tweights, 3, type_names))
				goto out;
			break;
		case 'f':
			if (parse_flags(optarg, &s->flags))
				goto out;
			if (s->flags & (SBUDDY_ALLOC_MOVABLE | SBUDDY_ALLOC_RECLAIMABLE)) {
				err("give the migratetypes with --mix, not --flags");
				goto out;
			}
			break;
		case 'd':
			dur = parse_num("duration", optarg, 1, 86400);
			if (dur < 0)
				goto out;
			break;
		case 'n':
			s->ops = parse_num("ops", optarg, 1, 1LL << 40);
			if (s->ops < 0)
				goto out;
			break;
		case 'b':
			v = parse_num("batch", optarg, 1, SBUDDY_BATCH_MAX);
			if (v < 0)
				goto out;
			s->batch = v;
			break;
		case 'k':
			v = parse_num("keep", optarg, 0, 1 << 20);
			if (v < 0)
				goto out;
			s->keep = v;
			break;
		case 's':
			v = parse_num("seed", optarg, 0, INT64_MAX);
			if (v < 0)
				goto out;
			s->seed = v;
			break;
		}
		rc = EX_OK;
	}
	if (optind < argc) {
		err("unexpected argument '%s'", argv[optind]);
		rc = EX_USAGE;
		goto out;
	}
	if (dur >= 0 && s->ops >= 0) {
		err("give --duration or --ops, not both");
		rc = EX_USAGE;
		goto out;
	}
	if (dur < 0 && s->ops < 0)
		s->ops = 10000;
	for (int i = 0; i < MAX_ORDERS; i++)
		s->wsum += s->weights[i];
	for (int i = 0; i < 3; i++)
		s->tsum += s->tweights[i];
	if (dev_open() < 0) {
		rc = EX_FAIL;
		goto out;
	}
	t = calloc(nthreads, sizeof(*t));
	if (!t) {
		err("out of memory");
		rc = EX_FAIL;
		goto out;
	}
	catch_stop();
	t0 = now();
	s->deadline = t0 + (dur < 0 ? 0 : dur);
	for (long i = 0; i < nthreads; i++) {
		t[i].s = s;
		t[i].id = i;
		if (pthread_create(&t[i].tid, NULL, stress_run, &t[i])) {
			err("cannot start thread %ld", i);
			stop = 1;
			nthreads = i;
			rc = EX_FAIL;
			break;
		}
	}
	/* the progress line, on a terminal only */
	while (tty && !stop) {
		unsigned long long d = __atomic_load_n(&s->done, __ATOMIC_RELAXED);
		struct timespec ts = { 0, 250000000 };

		el = now() - t0;
		if (s->ops >= 0 ? d >= (unsigned long long)s->ops : el >= dur)
			break;
		if (s->ops >= 0)
			fprintf(stderr, "\rstress: %llu/%lld blocks, %.1f s, %.0f/s ", d,
				s->ops, el, el > 0 ? d / el : 0.0);
		else
			fprintf(stderr, "\rstress: %.1f/%lld s, %llu blocks, %.0f/s ", el,
				dur, d, el > 0 ? d / el : 0.0);
		nanosleep(&ts, NULL);
	}
	for (long i = 0; i < nthreads; i++)
		pthread_join(t[i].tid, NULL);
	el = now() - t0;
	if (tty)
		fprintf(stderr, "\r%79s\r", "");
	for (long i = 0; i < nthreads; i++) {
		if (t[i].error) {
			err("thread %ld: %s (%s)", i, strerror(t[i].error),
			    errname(t[i].error));
			rc = EX_FAIL;
		}
		for (int k = 0; k < MAX_ORDERS; k++) {
			s->st[k].attempts += t[i].st[k].attempts;
			s->st[k].allocated += t[i].st[k].allocated;
			s->st[k].failed += t[i].st[k].failed;
			s->st[k].freed += t[i].st[k].freed;
			s->st[k].calls += t[i].st[k].calls;
		}
	}
	for (int k = 0; k < MAX_ORDERS; k++) {
		tot[0] += s->st[k].attempts;
		tot[1] += s->st[k].allocated;
		tot[2] += s->st[k].failed;
		tot[3] += s->st[k].freed;
		tot[4] += s->st[k].calls;
	}
	if (json) {
		j_obj(NULL);
		j_u64("threads", nthreads);
		j_dbl("seconds", el);
		j_u64("attempts", tot[0]);
		j_u64("allocated", tot[1]);
		j_u64("failed", tot[2]);
		j_u64("freed", tot[3]);
		j_u64("ioctls", tot[4]);
		j_dbl("ops_per_sec", el > 0 ? (tot[0] + tot[3]) / el : 0);
		j_arr("orders");
		for (int k = 0; k < MAX_ORDERS; k++) {
			if (!s->weights[k])
				continue;
			j_obj(NULL);
			j_u64("order", k);
			j_u64("attempts", s->st[k].attempts);
			j_u64("allocated", s->st[k].allocated);
			j_u64("failed", s->st[k].failed);
			j_u64("freed", s->st[k].freed);
			j_dbl("ops_per_sec", el > 0 ?
			      (s->st[k].attempts + s->st[k].freed) / el : 0);
			j_end_obj();
		}
		j_end_arr();
		j_end_obj();
	} else {
		printf("stress: %ld threads, %.2f s, %llu ops (%.0f ops/s), %llu of %llu allocations failed\n",
		       nthreads, el, tot[0] + tot[3], el > 0 ? (tot[0] + tot[3]) / el : 0,
		       tot[2], tot[0]);
		printf("order   attempts  allocated     failed  failed%%      freed      ops/s\n");
		for (int k = 0; k < MAX_ORDERS; k++) {
			struct stress_stat *x = &s->st[k];

			if (!s->weights[k])
				continue;
			printf("%5d %10llu %10llu %10llu %7.2f%% %10llu %10.0f\n", k,
			       x->attempts, x->allocated, x->failed,
			       x->attempts ? 100.0 * x->failed / x->attempts : 0.0,
			       x->freed, el > 0 ? (x->attempts + x->freed) / el : 0);
		}
	}
out:
	free(t);
	free(s);
	return rc;
}

/* ---- mix ---- */

/*
 * A short, repeatable allocation mix: blocks of several orders and
 * migratetypes, every other one freed again, so that the views show split
 * blocks, mixed types and pageblocks that changed owner.
 */
static int cmd_mix(const struct cmd *c, int argc, char **argv)
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
	uint64_t *h[ARRAY_SIZE(mix)];
	long got[ARRAY_SIZE(mix)];
	int rc = EX_OK;
	size_t i;

	if (simple_opts(c, argc, argv, 0, &rc))
		return rc;
	if (no_more_args(c, argc, argv))
		return EX_USAGE;
	if (dev_open() < 0)
		return EX_FAIL;
	for (i = 0; i < ARRAY_SIZE(mix); i++) {
		struct sbuddy_alloc a = {
			.order = mix[i].order, .flags = mix[i].flags, .count = mix[i].count,
		};

		h[i] = calloc(mix[i].count, sizeof(uint64_t));
		a.handles = (uintptr_t)h[i];
		got[i] = 0;
		if (!h[i] || (ioctl(dev_fd, SBUDDY_IOC_ALLOC, &a) && errno != ENOMEM)) {
			err("alloc: %s", strerror(h[i] ? errno : ENOMEM));
			rc = EX_FAIL;
		} else {
			got[i] = a.done;
		}
		printf("alloc order %u %-11s x%-5u -> %ld\n", mix[i].order,
		       flags_type(mix[i].flags), mix[i].count, got[i]);
	}
	/* free every other block: holes of every order */
	for (i = 0; i < ARRAY_SIZE(mix); i++) {
		for (long j = 0; j < got[i]; j += 2) {
			struct sbuddy_free f = { .handles = (uintptr_t)&h[i][j], .count = 1 };

			if (ioctl(dev_fd, SBUDDY_IOC_FREE, &f)) {
				err("free: %s", strerror(errno));
				rc = EX_FAIL;
			}
		}
	}
	for (i = 0; i < ARRAY_SIZE(mix); i++) {
		for (long j = 1; j < got[i]; j += 2)
			sess_add(&h[i][j], 1);
		free(h[i]);
	}
	printf("freed every other block; holding the rest:\n\n");
	fflush(stdout);
	rc |= print_text("buddyinfo");
	printf("\n");
	rc |= print_text("pagetypeinfo");
	return rc;
}

/* ---- history and pictures: watch, map, plot ---- */

/* the colours of mt_names in the map and the plot */
static const unsigned int mt_rgb[] = {
	0xd62728, 0x2ca02c, 0x1f77b4, 0xff7f0e, 0x9467bd, 0x8c564b,
};

#define NR_MT		ARRAY_SIZE(mt_names)
#define MT_UNKNOWN_RGB	0x222222

static int mt_index(const char *name)
{
	for (size_t i = 0; i < NR_MT; i++)
		if (!strcmp(name, mt_names[i]))
			return i;
	return -1;
}

/* @rgb mixed with white: 0 the colour, 1 white */
static unsigned int tint(unsigned int rgb, double white)
{
	unsigned int out = 0;

	for (int sh = 0; sh <= 16; sh += 8) {
		unsigned int c = (rgb >> sh) & 0xff;

		out |= (unsigned int)(c + (255 - c) * white + 0.5) << sh;
	}
	return out;
}

/* text for an SVG text node or attribute */
static void svg_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static FILE *open_out(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!f)
		err("cannot create %s: %s", path, strerror(errno));
	return f;
}

static int close_out(FILE *f, const char *path)
{
	int bad = ferror(f);

	if (f == stdout)
		bad |= fflush(f) != 0;
	else
		bad |= fclose(f) != 0;
	if (bad) {
		err("cannot write %s", path);
		return EX_FAIL;
	}
	return EX_OK;
}

/* ---- pageblocks records ---- */

struct pblock {
	int node, largest, mixed, mt;
	char zone[16], type[16];
	unsigned long index, pfn, free, pcp, used[3], stuck;
};

struct pblocks {
	struct pblock *b;
	size_t n;
	unsigned long pages;	/* per pageblock */
};

/* the lines of a pageblocks file; 0, or -1 after a message */
static int parse_pageblocks(char *buf, const char *what, struct pblocks *pb)
{
	size_t cap = 0;
	int lineno = 0;
	char *l, *nl;

	pb->b = NULL;
	pb->n = 0;
	pb->pages = 0;
	for (l = buf; *l; l = nl) {
		struct pblock b;
		int end = 0;

		nl = l + strcspn(l, "\n");
		if (*nl)
			*nl++ = '\0';
		lineno++;
		if (l[0] == '#' || !l[0])
			continue;
		if (sscanf(l, "%d %15s %lu %lx %15s %lu %lu %lu %lu %lu %lu %d %d %n",
			   &b.node, b.zone, &b.index, &b.pfn, b.type, &b.free, &b.pcp,
			   &b.used[0], &b.used[1], &b.used[2], &b.stuck, &b.largest,
			   &b.mixed, &end) != 13 || l[end]) {
			err("%s:%d: not a pageblocks line", what, lineno);
			free(pb->b);
			return -1;
		}
		b.mt = mt_index(b.type);
		if (pb->n == cap) {
			struct pblock *nb;

			cap = cap ? 2 * cap : 256;
			nb = realloc(pb->b, cap * sizeof(*nb));
			if (!nb) {
				err("out of memory");
				free(pb->b);
				return -1;
			}
			pb->b = nb;
		}
		pb->b[pb->n++] = b;
	}
	if (!pb->n) {
		err("%s: no pageblocks", what);
		return -1;
	}
	/*
	 * The pageblock size: the largest pfn step between neighbours of
	 * one zone (a zone's first and last block may be partial); a lone
	 * block's pages otherwise.
	 */
	for (size_t i = 1; i < pb->n; i++) {
		struct pblock *a = &pb->b[i - 1], *b = &pb->b[i];

		if (a->node == b->node && !strcmp(a->zone, b->zone) &&
		    b->pfn > a->pfn && b->pfn - a->pfn > pb->pages)
			pb->pages = b->pfn - a->pfn;
	}
	if (!pb->pages) {
		struct pblock *b = &pb->b[0];

		pb->pages = b->free + b->pcp + b->used[0] + b->used[1] + b->used[2];
		if (!pb->pages)
			pb->pages = 1;
	}
	return 0;
}

/* ---- watch ---- */

#define WATCH_MAX_COLS	512

struct watch_row {
	int n;
	char name[WATCH_MAX_COLS][40];
	char val[WATCH_MAX_COLS][24];
};

static void row_add(struct watch_row *r, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void row_add(struct watch_row *r, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (r->n >= WATCH_MAX_COLS)
		return;
	snprintf(r->name[r->n], sizeof(r->name[0]), "%s", name);
	va_start(ap, fmt);
	vsnprintf(r->val[r->n], sizeof(r->val[0]), fmt, ap);
	va_end(ap);
	r->n++;
}

/* the vmstat events watch samples; allocstall is the sum of allocstall_* */
static const char *const watch_events[] = {
	"sbuddy_extfrag", "sbuddy_extfrag_fragmenting", "sbuddy_steal_pageblock",
	"compact_stall", "compact_success", "compact_fail", "compact_daemon_wake",
	"pgmigrate_success", "pgmigrate_fail", "allocstall", "pageoutrun",
	"pgsteal_kswapd", "pgsteal_direct", "sbuddy_alloc_fail", "oom_kill",
};

static const unsigned int watch_orders[] = { 3, 9 };

/* "Node N, zone Z v0 v1 ..." lines: the index @order of each zone */
static int watch_index(struct watch_row *r, char *buf, const char *what)
{
	char *save, *l, *w[MAX_WORDS];

	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char zone[16], name[40];
		int nid, pos, n;

		if (sscanf(l, "Node %d, zone %15s %n", &nid, zone, &pos) != 2)
			return -1;
		n = split(l + pos, w, MAX_WORDS);
		for (size_t i = 0; i < ARRAY_SIZE(watch_orders); i++) {
			if ((int)watch_orders[i] >= n)
				return -1;
			snprintf(name, sizeof(name), "%s_o%u_%d_%s", what,
				 watch_orders[i], nid, zone);
			row_add(r, name, "%s", w[watch_orders[i]]);
		}
	}
	return 0;
}

/* one sample of every source; EX_OK or the exit status */
static int watch_sample(struct watch_row *r, double t0)
{
	static const char *const files[] = {
		"buddyinfo", "vmstat", "pageblocks", "extfrag/unusable_index",
		"extfrag/extfrag_index",
	};
	unsigned long long free_pages[MAX_ORDERS] = { 0 }, ev[ARRAY_SIZE(watch_events)];
	unsigned long blocks[NR_MT] = { 0 }, mixed = 0, nr_free = 0;
	char *buf[ARRAY_SIZE(files)] = { NULL }, *save, *l, *w[MAX_WORDS];
	int have_ev[ARRAY_SIZE(watch_events)] = { 0 }, rc = EX_OK;
	struct timespec rt;
	struct pblocks pb;
	double t;
	size_t i;

	clock_gettime(CLOCK_REALTIME, &rt);
	t = now();
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		buf[i] = view(files[i], &rc);
		if (!buf[i])
			goto out;
	}
	r->n = 0;
	row_add(r, "epoch_ms", "%lld", (long long)rt.tv_sec * 1000 + rt.tv_nsec / 1000000);
	row_add(r, "t_ms", "%.0f", (t - t0) * 1000);

	/* buddyinfo: free pages per order, all zones */
	for (l = strtok_r(buf[0], "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char zone[16];
		int nid, pos, n;

		if (sscanf(l, "Node %d, zone %15s %n", &nid, zone, &pos) != 2)
			goto bad;
		n = split(l + pos, w, MAX_WORDS);
		if (n != MAX_ORDERS)
			goto bad;
		for (int o = 0; o < n; o++)
			free_pages[o] += strtoull(w[o], NULL, 10) << o;
	}
	for (int o = 0; o < MAX_ORDERS; o++) {
		char name[24];

		snprintf(name, sizeof(name), "free_pages_o%d", o);
		row_add(r, name, "%llu", free_pages[o]);
	}

	/* vmstat: the events */
	for (l = strtok_r(buf[1], "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (split(l, w, 3) != 2)
			continue;
		if (!strcmp(w[0], "nr_free_pages"))
			nr_free = strtoul(w[1], NULL, 10);
		for (i = 0; i < ARRAY_SIZE(watch_events); i++) {
			size_t len = strlen(watch_events[i]);

			if (strncmp(w[0], watch_events[i], len) ||
			    (w[0][len] && (strcmp(watch_events[i], "allocstall") || w[0][len] != '_')))
				continue;
			if (!have_ev[i])
				ev[i] = 0;
			have_ev[i] = 1;
			ev[i] += strtoull(w[1], NULL, 10);
		}
	}
	row_add(r, "nr_free_pages", "%lu", nr_free);

	/* pageblocks: blocks per migratetype, mixed blocks */
	if (parse_pageblocks(buf[2], DBG "pageblocks", &pb)) {
		rc = EX_FAIL;
		goto out;
	}
	for (i = 0; i < pb.n; i++) {
		if (pb.b[i].mt >= 0)
			blocks[pb.b[i].mt]++;
		mixed += pb.b[i].mixed != 0;
	}
	free(pb.b);
	for (i = 0; i < NR_MT; i++) {
		char name[32];

		snprintf(name, sizeof(name), "blocks_%s", mt_names[i]);
		for (char *p = name; *p; p++)
			*p = tolower((unsigned char)*p);
		row_add(r, name, "%lu", blocks[i]);
	}
	row_add(r, "mixed_blocks", "%lu", mixed);

	if (watch_index(r, buf[3], "unusable") || watch_index(r, buf[4], "extfrag"))
		goto bad;
	for (i = 0; i < ARRAY_SIZE(watch_events); i++) {
		if (have_ev[i])
			row_add(r, watch_events[i], "%llu", ev[i]);
		else
			row_add(r, watch_events[i], "%s", "");
	}
	if (r->n >= WATCH_MAX_COLS) {
		err("too many zones for a row (at most %d columns)", WATCH_MAX_COLS);
		rc = EX_FAIL;
	}
	goto out;
bad:
	err("cannot parse the views (an older or newer module?)");
	rc = EX_FAIL;
out:
	for (i = 0; i < ARRAY_SIZE(files); i++)
		free(buf[i]);
	return rc;
}

static int cmd_watch(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
	};
	static struct watch_row first, row;
	long long interval = 1000, count = 0, k;
	const char *path = "-";
	int opt, rc = EX_OK;
	struct opts o;
	double t0, next;
	FILE *f;

	opts_init(&o, "i:n:o:", lo, ARRAY_SIZE(lo), 1);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			return rc;
		if (opt == 'i' && (interval = parse_num("interval", optarg, 1, 86400000)) < 0)
			return EX_USAGE;
		if (opt == 'n' && (count = parse_num("count", optarg, 0, 1LL << 40)) < 0)
			return EX_USAGE;
		if (opt == 'o')
			path = optarg;
	}
	if (no_more_args(c, argc, argv))
		return EX_USAGE;
	f = open_out(path);
	if (!f)
		return EX_FAIL;
	if (json && f != stdout) {
		/* the JSON helpers print to stdout */
		fflush(stdout);
		if (dup2(fileno(f), STDOUT_FILENO) < 0) {
			err("cannot write %s: %s", path, strerror(errno));
			fclose(f);
			return EX_FAIL;
		}
		fclose(f);
		f = stdout;
	}
	stop = 0;
	catch_stop();
	t0 = now();
	next = t0;
	for (k = 0; !stop && (!count || k < count);) {
		rc = watch_sample(k ? &row : &first, t0);
		if (rc)
			break;
		if (k) {
			int same = row.n == first.n;

			for (int i = 0; same && i < row.n; i++)
				same = !strcmp(row.name[i], first.name[i]);
			if (!same) {
				err("the columns changed (the module was reloaded?)");
				rc = EX_FAIL;
				break;
			}
		}
		if (json) {
			struct watch_row *r = k ? &row : &first;

			if (!k)
				j_arr(NULL);
			j_obj(NULL);
			for (int i = 0; i < r->n; i++) {
				char *e;

				if (!r->val[i][0]) {
					j_null(r->name[i]);
					continue;
				}
				/* counts and indices ("-1.000"): all JSON numbers */
				strtod(r->val[i], &e);
				j_sep(r->name[i]);
				printf(*e ? "\"%s\"" : "%s", r->val[i]);
			}
			j_end_obj();
		} else {
			struct watch_row *r = k ? &row : &first;

			if (!k)
				for (int i = 0; i < r->n; i++)
					fprintf(f, "%s%s", i ? "," : "", r->name[i]);
			if (!k)
				fputc('\n', f);
			for (int i = 0; i < r->n; i++)
				fprintf(f, "%s%s", i ? "," : "", r->val[i]);
			fputc('\n', f);
		}
		/* a row at a time: a kill loses at most the row being taken */
		fflush(f);
		if (++k == count)
			break;
		next += interval / 1000.0;
		while (!stop) {
			double left = next - now();
			struct timespec ts;

			if (left <= 0)
				break;
			ts.tv_sec = (time_t)left;
			ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
		}
	}
	if (json && k)
		j_end_arr();
	else if (json && !rc)
		printf("[]\n");
	if (close_out(f, path) && !rc)
		rc = EX_FAIL;
	return rc;
}

/* ---- map ---- */

#define MAP_PITCH	18	/* a cell and its gap */
#define MAP_CELL	16
#define MAP_BAND	4	/* the type band on top of a cell */
#define MAP_MARGIN	20
#define MAP_LEGEND_W	260

static int log2_of(unsigned long v)
{
	int o = 0;

	while ((2UL << o) <= v)
		o++;
	return o;
}

/* one text line per zone: a letter per block (lower case when mixed) */
static void map_text(const struct pblocks *pb, int free_order)
{
	for (size_t i = 0; i < pb->n; i++) {
		const struct pblock *b = &pb->b[i];
		int ch;

		if (!i || b->node != b[-1].node || strcmp(b->zone, b[-1].zone))
			printf("%sNode %d, zone %8s ", i ? "\n" : "", b->node, b->zone);
		if (b->largest >= free_order && b->used[0] + b->used[1] + b->used[2] == 0)
			ch = '.';
		else
			ch = b->mt >= 0 ? "UMRHCI"[b->mt] : '?';
		putchar(b->mixed ? tolower(ch) : ch);
	}
	printf("\n");
}

static void map_svg(FILE *f, const struct pblocks *pb, const char *facts, int free_order)
{
	int cols = pb->n > 2048 ? 64 : 32, groups = 0, rows = 0, y, width, height, grid_h;
	unsigned long first = pb->b[0].pfn, last = pb->b[pb->n - 1].pfn + pb->pages;
	unsigned long count[NR_MT + 1] = { 0 }, nmixed = 0, nfree = 0;
	size_t i, start;

	/* the height: per group a label line and its rows */
	for (i = 0, start = 0; i <= pb->n; i++) {
		if (i < pb->n && (i == start || (pb->b[i].node == pb->b[start].node &&
						 !strcmp(pb->b[i].zone, pb->b[start].zone))))
			continue;
		groups++;
		rows += (i - start + cols - 1) / cols;
		start = i;
	}
	grid_h = groups * 26 + rows * MAP_PITCH;
	width = 2 * MAP_MARGIN + cols * MAP_PITCH + 20 + MAP_LEGEND_W;
	height = MAP_MARGIN + 50 + (grid_h > 260 ? grid_h : 260) + MAP_MARGIN;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
		width, height, width, height);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"16\" font-weight=\"bold\">"
		"sbuddy pageblocks: %zu blocks of %lu pages, pfn %#lx-%#lx</text>\n",
		MAP_MARGIN, MAP_MARGIN + 14, pb->n, pb->pages, first, last);
	fprintf(f, "<text x=\"%d\" y=\"%d\">", MAP_MARGIN, MAP_MARGIN + 34);
	svg_text(f, facts);
	fprintf(f, "</text>\n<g shape-rendering=\"crispEdges\">\n");

	y = MAP_MARGIN + 50;
	for (i = 0; i < pb->n; i++) {
		const struct pblock *b = &pb->b[i];
		unsigned int rgb = b->mt >= 0 ? mt_rgb[b->mt] : MT_UNKNOWN_RGB;
		unsigned long used = b->used[0] + b->used[1] + b->used[2];
		int x, cy, h, col;

		if (!i || b->node != b[-1].node || strcmp(b->zone, b[-1].zone)) {
			size_t n = 0;

			while (i + n < pb->n && pb->b[i + n].node == b->node &&
			       !strcmp(pb->b[i + n].zone, b->zone))
				n++;
			if (i)
				y += ((i - start + cols - 1) / cols) * MAP_PITCH;
			start = i;
			fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">Node %d, zone ",
				MAP_MARGIN, y + 16, b->node);
			svg_text(f, b->zone);
			fprintf(f, ": %zu blocks, pfn %#lx-%#lx</text>\n", n, b->pfn,
				pb->b[i + n - 1].pfn + pb->pages);
			y += 26;
		}
		col = (i - start) % cols;
		x = MAP_MARGIN + col * MAP_PITCH;
		cy = y + (int)((i - start) / cols) * MAP_PITCH;
		h = (int)((double)(MAP_CELL - MAP_BAND) * (used > pb->pages ? pb->pages : used) /
			  pb->pages + 0.5);
		count[b->mt >= 0 ? (size_t)b->mt : NR_MT]++;
		fprintf(f, "<g><title>pfn %#lx ", b->pfn);
		svg_text(f, b->type);
		fprintf(f, ": free %lu pcp %lu unmovable %lu movable %lu reclaimable %lu "
			"stuck %lu largest_free_order %d%s</title>\n",
			b->free, b->pcp, b->used[0], b->used[1], b->used[2], b->stuck,
			b->largest, b->mixed ? " mixed" : "");
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#%06x\"/>\n",
			x, cy, MAP_CELL, MAP_CELL, tint(rgb, 0.85));
		if (h)
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#%06x\"/>\n",
				x, cy + MAP_CELL - h, MAP_CELL, h, tint(rgb, 0.4));
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#%06x\"/>\n",
			x, cy, MAP_CELL, MAP_BAND, rgb);
		if (b->mixed) {
			nmixed++;
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
				"stroke=\"#000000\" stroke-width=\"2\"/>\n",
				x + 1, cy + 1, MAP_CELL - 2, MAP_CELL - 2);
		}
		if (b->largest >= free_order) {
			nfree++;
			fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"#ffffff\" "
				"stroke=\"#000000\" shape-rendering=\"auto\"/>\n",
				x + MAP_CELL / 2, cy + MAP_BAND + (MAP_CELL - MAP_BAND) / 2);
		}
		fprintf(f, "</g>\n");
	}

	/* the legend: one swatch per migratetype, with its block count */
	{
		int lx = MAP_MARGIN + cols * MAP_PITCH + 20, ly = MAP_MARGIN + 64;

		fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">Pageblock type (blocks)</text>\n",
			lx, ly);
		for (i = 0; i < NR_MT; i++) {
			ly += 20;
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"#%06x\"/>\n",
				lx, ly - 10, mt_rgb[i]);
			fprintf(f, "<text x=\"%d\" y=\"%d\">%s (%lu)</text>\n", lx + 18, ly,
				mt_names[i], count[i]);
		}
		if (count[NR_MT]) {
			ly += 20;
			fprintf(f, "<text x=\"%d\" y=\"%d\">unknown type (%lu)</text>\n", lx + 18,
				ly, count[NR_MT]);
		}
		ly += 30;
		fprintf(f, "<text x=\"%d\" y=\"%d\">the band on top: the block's type;</text>\n"
			"<text x=\"%d\" y=\"%d\">the dark fill: pages in use</text>\n",
			lx, ly, lx, ly + 15);
		ly += 35;
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"none\" "
			"stroke=\"#000000\" stroke-width=\"2\"/>\n"
			"<text x=\"%d\" y=\"%d\">outlined: mixed (%lu)</text>\n",
			lx + 1, ly - 9, lx + 18, ly, nmixed);
		ly += 20;
		fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"#ffffff\" stroke=\"#000000\" "
			"shape-rendering=\"auto\"/>\n"
			"<text x=\"%d\" y=\"%d\">free block of order &#8805; %d (%lu)</text>\n",
			lx + 6, ly - 4, lx + 18, ly, free_order, nfree);
	}
	fprintf(f, "</g>\n</svg>\n");
}

static int cmd_map(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "svg", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "order", required_argument, NULL, 'O' },
		{ "title", required_argument, NULL, 't' },
	};
	const char *svg = NULL, *from = NULL, *title = NULL;
	char facts[512], when[64], *buf;
	int opt, rc = EX_OK, free_order = -1;
	struct pblocks pb;
	struct utsname u;
	struct stat st;
	struct opts o;
	time_t t;

	opts_init(&o, "s:f:O:t:", lo, ARRAY_SIZE(lo), 0);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			return rc;
		if (opt == 's')
			svg = optarg;
		else if (opt == 'f')
			from = optarg;
		else if (opt == 't')
			title = optarg;
		else if (opt == 'O' &&
			 (free_order = parse_num("order", optarg, 0, MAX_ORDERS - 1)) < 0)
			return EX_USAGE;
	}
	if (no_more_args(c, argc, argv))
		return EX_USAGE;
	if (from) {
		buf = slurp(from);
		if (!buf) {
			err("cannot read %s: %s", from, strerror(errno));
			return EX_FAIL;
		}
	} else {
		buf = view("pageblocks", &rc);
		if (!buf)
			return rc;
	}
	if (parse_pageblocks(buf, from ? from : DBG "pageblocks", &pb)) {
		free(buf);
		return EX_FAIL;
	}
	free(buf);
	/* by default: a free block as large as a pageblock */
	if (free_order < 0)
		free_order = log2_of(pb.pages);
	if (!svg) {
		map_text(&pb, free_order);
		free(pb.b);
		return EX_OK;
	}
	t = from && !stat(from, &st) ? st.st_mtime : time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
	if (title)
		snprintf(facts, sizeof(facts), "%s", title);
	else if (from)
		snprintf(facts, sizeof(facts), "from %s, %s", from, when);
	else if (!uname(&u))
		snprintf(facts, sizeof(facts), "%s, %s %s on %s", when, u.sysname,
			 u.release, u.nodename);
	else
		snprintf(facts, sizeof(facts), "%s", when);
	{
		FILE *f = open_out(svg);

		if (!f) {
			free(pb.b);
			return EX_FAIL;
		}
		map_svg(f, &pb, facts, free_order);
		rc = close_out(f, svg);
	}
	free(pb.b);
	return rc;
}

/* ---- plot ---- */

struct csv {
	int ncol;
	size_t nrow;
	char **name;
	double *v;		/* nrow * ncol, NAN for an empty cell */
};

static int csv_col(const struct csv *t, const char *name)
{
	for (int i = 0; i < t->ncol; i++)
		if (!strcmp(t->name[i], name))
			return i;
	return -1;
}

static double csv_at(const struct csv *t, size_t r, int c)
{
	return t->v[r * t->ncol + c];
}

static int csv_read(const char *path, struct csv *t)
{
	char *buf = slurp(path), *l, *nl, *end;
	size_t cap = 0;
	int lineno = 0;

	memset(t, 0, sizeof(*t));
	if (!buf) {
		err("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	for (l = buf; *l; l = nl) {
		int n = 0;
		char *p = l;

		nl = l + strcspn(l, "\n");
		if (*nl)
			*nl++ = '\0';
		lineno++;
		l[strcspn(l, "\r")] = '\0';
		if (!*l)
			continue;
		if (!t->name) {
			t->ncol = 1;
			for (char *q = l; *q; q++)
				t->ncol += *q == ',';
			t->name = calloc(t->ncol, sizeof(char *));
			if (!t->name)
				goto nomem;
			for (char *q = strtok_r(l, ",", &end); q && n < t->ncol;
			     q = strtok_r(NULL, ",", &end))
				t->name[n++] = strdup(q);
			if (n != t->ncol)
				goto bad;
			continue;
		}
		if (t->nrow == cap) {
			double *nv;

			cap = cap ? 2 * cap : 256;
			nv = realloc(t->v, cap * t->ncol * sizeof(double));
			if (!nv)
				goto nomem;
			t->v = nv;
		}
		for (;;) {
			size_t len = strcspn(p, ",");
			double *cell;
			char *e;

			if (n == t->ncol)
				goto bad;
			cell = &t->v[t->nrow * t->ncol + n++];
			if (!len) {
				*cell = NAN;
			} else {
				errno = 0;
				*cell = strtod(p, &e);
				if (errno || e != p + len)
					goto bad;
			}
			if (!p[len])
				break;
			p += len + 1;
		}
		if (n != t->ncol)
			goto bad;
		t->nrow++;
	}
	free(buf);
	if (!t->name) {
		err("%s: empty", path);
		return -1;
	}
	return 0;
bad:
	err("%s:%d: not a row of %d numbers", path, lineno, t->ncol);
	free(buf);
	return -1;
nomem:
	err("out of memory");
	free(buf);
	return -1;
}

static void csv_free(struct csv *t)
{
	for (int i = 0; t->name && i < t->ncol; i++)
		free(t->name[i]);
	free(t->name);
	free(t->v);
}

/* a tick step of 1, 2 or 5 times a power of ten: about 5 ticks over @span */
static double nice_step(double span)
{
	double raw = span / 5, p = 1;

	if (raw <= 0)
		return 1;
	while (p * 10 <= raw)
		p *= 10;
	while (p > raw)
		p /= 10;
	if (raw / p >= 5)
		return 5 * p;
	if (raw / p >= 2)
		return 2 * p;
	return p;
}

#define PLOT_W		960
#define PLOT_PANEL_H	300
#define PLOT_L		80
#define PLOT_R		190
#define PLOT_TOP	70
#define PLOT_GAP	70

/* 11 orders: a rainbow from dark blue (order 0) to dark red (order 10) */
static const unsigned int order_rgb[] = {
	0x08306b, 0x2171b5, 0x4292c6, 0x17becf, 0x2ca02c, 0x9acd32,
	0xbcbd22, 0xff7f0e, 0xd62728, 0xe377c2, 0x7b1f1f,
};

struct series {
	int col;
	const char *label;
	unsigned int rgb;
	int dashed;
};

static void plot_panel(FILE *f, const struct csv *t, int tc, int panel, const char *title,
		       const char *ylabel, const struct series *s, int ns)
{
	int px = PLOT_L, py = PLOT_TOP + panel * (PLOT_PANEL_H + PLOT_GAP);
	int pw = PLOT_W - PLOT_L - PLOT_R, ph = PLOT_PANEL_H;
	double x0 = csv_at(t, 0, tc) / 1000, x1 = csv_at(t, t->nrow - 1, tc) / 1000;
	double ymax = 0, xs, ys;

	for (int k = 0; k < ns; k++)
		for (size_t r = 0; r < t->nrow; r++)
			if (csv_at(t, r, s[k].col) > ymax)
				ymax = csv_at(t, r, s[k].col);
	if (x1 <= x0)
		x1 = x0 + 1;
	ys = nice_step(ymax > 0 ? ymax : 1);
	ymax = ys * ceil((ymax > 0 ? ymax : 1) / ys);
	xs = nice_step(x1 - x0);
	/* the axis from a tick: watch's first row is at about 0 */
	x0 = floor(x0 / xs) * xs;

	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
		px, py - 10, title);
	fprintf(f, "<rect id=\"plot-area-%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		"fill=\"#ffffff\" stroke=\"#000000\"/>\n", panel, px, py, pw, ph);
	/* ticks and grid lines */
	for (double v = 0; v <= ymax + ys / 2; v += ys) {
		double y = py + ph - v / ymax * ph;

		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n"
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#000000\"/>\n"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
			px, y, px + pw, y, px - 5, y, px, y, px - 8, y + 4, v);
	}
	for (double v = ceil(x0 / xs) * xs; v <= x1 + xs / 1e6; v += xs) {
		double x = px + (v - x0) / (x1 - x0) * pw;

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#dddddd\"/>\n"
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000000\"/>\n"
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
			x, py, x, py + ph, x, py + ph, x, py + ph + 5, x, py + ph + 18, v);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time (s)</text>\n",
		px + pw / 2, py + ph + 36);
	fprintf(f, "<text transform=\"translate(%d,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
		px - 60, py + ph / 2, ylabel);
	/* the lines, then the legend */
	for (int k = 0; k < ns; k++) {
		fprintf(f, "<polyline fill=\"none\" stroke=\"#%06x\" stroke-width=\"2\"%s points=\"",
			s[k].rgb, s[k].dashed ? " stroke-dasharray=\"6,3\"" : "");
		for (size_t r = 0; r < t->nrow; r++) {
			double v = csv_at(t, r, s[k].col);

			if (isnan(v))
				continue;
			fprintf(f, "%.1f,%.1f ", px + (csv_at(t, r, tc) / 1000 - x0) / (x1 - x0) * pw,
				py + ph - v / ymax * ph);
		}
		fprintf(f, "\"/>\n");
		if (t->nrow == 1 && !isnan(csv_at(t, 0, s[k].col)))
			fprintf(f, "<circle cx=\"%d\" cy=\"%.1f\" r=\"3\" fill=\"#%06x\"/>\n", px,
				py + ph - csv_at(t, 0, s[k].col) / ymax * ph, s[k].rgb);
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#%06x\" "
			"stroke-width=\"3\"%s/>\n<text x=\"%d\" y=\"%d\">%s</text>\n",
			px + pw + 15, py + 10 + 18 * k, px + pw + 40, py + 10 + 18 * k, s[k].rgb,
			s[k].dashed ? " stroke-dasharray=\"6,3\"" : "", px + pw + 46,
			py + 14 + 18 * k, s[k].label);
	}
}

static int cmd_plot(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "svg", required_argument, NULL, 's' },
		{ "title", required_argument, NULL, 't' },
	};
	static char labels[MAX_ORDERS + NR_MT + 1][32];
	struct series so[MAX_ORDERS], sb[NR_MT + 1];
	const char *svg = NULL, *title = NULL;
	int opt, rc = EX_OK, nso = 0, nsb = 0, tc;
	struct csv t;
	struct opts o;
	FILE *f;

	opts_init(&o, "s:t:", lo, ARRAY_SIZE(lo), 0);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			return rc;
		if (opt == 's')
			svg = optarg;
		else if (opt == 't')
			title = optarg;
	}
	if (!svg) {
		err("--svg FILE is required");
		usage_of(c, stderr);
		return EX_USAGE;
	}
	if (argc - optind != 1) {
		err(optind < argc ? "one CSV file only" : "which CSV file?");
		usage_of(c, stderr);
		return EX_USAGE;
	}
	if (csv_read(argv[optind], &t))
		return EX_FAIL;
	tc = csv_col(&t, "t_ms");
	for (int k = 0; k < MAX_ORDERS; k++) {
		char name[32];

		snprintf(name, sizeof(name), "free_pages_o%d", k);
		so[nso].col = csv_col(&t, name);
		if (so[nso].col < 0)
			continue;
		snprintf(labels[k], sizeof(labels[k]), "order %d", k);
		so[nso].label = labels[k];
		so[nso].rgb = order_rgb[k];
		so[nso++].dashed = 0;
	}
	for (size_t k = 0; k <= NR_MT; k++) {
		char *name = labels[MAX_ORDERS + k];

		if (k < NR_MT) {
			snprintf(name, 32, "blocks_%s", mt_names[k]);
			for (char *p = name; *p; p++)
				*p = tolower((unsigned char)*p);
		} else {
			snprintf(name, 32, "mixed_blocks");
		}
		sb[nsb].col = csv_col(&t, name);
		if (sb[nsb].col < 0)
			continue;
		sb[nsb].label = k < NR_MT ? mt_names[k] : "mixed";
		sb[nsb].rgb = k < NR_MT ? mt_rgb[k] : 0x000000;
		sb[nsb++].dashed = k == NR_MT;
	}
	if (tc < 0 || !nso || !nsb || !t.nrow) {
		err("%s: not a watch CSV with rows (t_ms, free_pages_oN, blocks_TYPE)",
		    argv[optind]);
		csv_free(&t);
		return EX_FAIL;
	}
	f = open_out(svg);
	if (!f) {
		csv_free(&t);
		return EX_FAIL;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		PLOT_W, PLOT_TOP + 2 * PLOT_PANEL_H + PLOT_GAP + 50,
		PLOT_W, PLOT_TOP + 2 * PLOT_PANEL_H + PLOT_GAP + 50);
	fprintf(f, "<text x=\"%d\" y=\"20\" font-size=\"16\" font-weight=\"bold\">", PLOT_L);
	svg_text(f, title ? title : argv[optind]);
	fprintf(f, "</text>\n");
	plot_panel(f, &t, tc, 0, "Free pages per order", "free pages", so, nso);
	plot_panel(f, &t, tc, 1, "Pageblocks per migratetype", "pageblocks", sb, nsb);
	fprintf(f, "</svg>\n");
	rc = close_out(f, svg);
	csv_free(&t);
	return rc;
}

/* ---- the table ---- */

/* ---- workload: a spec run by the module's threads (SBUDDY_IOC_WORKLOAD_*) ---- */

#include "sb_presets.h"

/* the spec text of FILE, or of the preset NAME when no such file exists */
static char *wl_spec_text(const char *arg)
{
	char name[64];
	char *buf = slurp(arg);

	if (buf || strchr(arg, '/'))
		return buf;
	snprintf(name, sizeof(name), "%s", arg);
	if (strlen(name) > 3 && !strcmp(name + strlen(name) - 3, ".wl"))
		name[strlen(name) - 3] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(wl_presets); i++)
		if (!strcmp(wl_presets[i].name, name))
			return strdup(wl_presets[i].text);
	errno = ENOENT;
	return NULL;
}

/* the spec's "name" directive, as the module reads it */
static void wl_spec_name(const char *text, char *name, size_t len)
{
	const char *l = text;

	snprintf(name, len, "unnamed");
	for (; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		while (*l == ' ' || *l == '\t')
			l++;
		if (!strncmp(l, "name", 4) && (l[4] == ' ' || l[4] == '\t')) {
			size_t n;

			l += 5;
			while (*l == ' ' || *l == '\t')
				l++;
			n = strcspn(l, "#\n");
			while (n && (l[n - 1] == ' ' || l[n - 1] == '\t'))
				n--;
			snprintf(name, len, "%.*s", (int)n, l);
		}
	}
}

/* allocations per order, ok and failed, of the orders that had any */
static void j_orders(const __u64 *ok, const __u64 *fail)
{
	j_arr("orders");
	for (int o = 0; o <= SBUDDY_MAX_ORDER; o++) {
		if (!ok[o] && !fail[o])
			continue;
		j_obj(NULL);
		j_u64("order", o);
		j_u64("ok", ok[o]);
		j_u64("fail", fail[o]);
		j_end_obj();
	}
	j_end_arr();
}

static void print_orders(const __u64 *ok, const __u64 *fail)
{
	printf("order ok fail\n");
	for (int o = 0; o <= SBUDDY_MAX_ORDER; o++)
		if (ok[o] || fail[o])
			printf("%d %llu %llu\n", o, (unsigned long long)ok[o],
			       (unsigned long long)fail[o]);
}

static const char *const wl_event_names[] = {
	"sbuddy_extfrag", "sbuddy_extfrag_fragmenting", "sbuddy_steal_pageblock",
	"sbuddy_steal_unclaimed", "compact_stall", "compact_success",
	"compact_fail", "compact_migrate_scanned", "compact_free_scanned",
	"pgmigrate_success",
};

static void wl_print(const char *name, const struct sbuddy_workload_result *r)
{
	const __u64 ev[] = {
		r->extfrag, r->extfrag_fragmenting, r->steal_pageblock,
		r->steal_unclaimed, r->compact_stall, r->compact_success,
		r->compact_fail, r->compact_migrate_scanned,
		r->compact_free_scanned, r->pgmigrate_success,
	};
	const char *status = r->status == SBUDDY_WL_STOPPED ? "stopped" : "ok";
	char key[16];
	int b;

	if (json) {
		j_obj(NULL);
		j_str("name", name);
		j_str("status", status);
		j_u64("threads", r->threads);
		j_orders(r->alloc_ok, r->alloc_fail);
		j_u64("frees", r->frees);
		j_u64("held_pages", r->held_pages);
		j_u64("held_blocks", r->held_blocks);
		j_obj("alloc_ns_log2");
		for (b = 0; b < SBUDDY_WL_HIST; b++)
			if (r->alloc_ns[b]) {
				snprintf(key, sizeof(key), "%d", b);
				j_u64(key, r->alloc_ns[b]);
			}
		j_end_obj();
		j_obj("free_ns_log2");
		for (b = 0; b < SBUDDY_WL_HIST; b++)
			if (r->free_ns[b]) {
				snprintf(key, sizeof(key), "%d", b);
				j_u64(key, r->free_ns[b]);
			}
		j_end_obj();
		for (size_t i = 0; i < ARRAY_SIZE(ev); i++)
			j_u64(wl_event_names[i], ev[i]);
		j_u64("elapsed_ns", r->elapsed_ns);
		j_end_obj();
		return;
	}
	printf("workload %s threads %u: %s\n", name, r->threads, status);
	print_orders(r->alloc_ok, r->alloc_fail);
	printf("frees %llu\nheld_pages %llu\nheld_blocks %llu\n",
	       (unsigned long long)r->frees, (unsigned long long)r->held_pages,
	       (unsigned long long)r->held_blocks);
	printf("alloc_ns_log2");
	for (b = 0; b < SBUDDY_WL_HIST; b++)
		if (r->alloc_ns[b])
			printf(" %d:%llu", b, (unsigned long long)r->alloc_ns[b]);
	printf("\nfree_ns_log2");
	for (b = 0; b < SBUDDY_WL_HIST; b++)
		if (r->free_ns[b])
			printf(" %d:%llu", b, (unsigned long long)r->free_ns[b]);
	printf("\n");
	for (size_t i = 0; i < ARRAY_SIZE(ev); i++)
		printf("%s %llu\n", wl_event_names[i], (unsigned long long)ev[i]);
	printf("elapsed_ms %.3f\n", r->elapsed_ns / 1e6);
}

static int cmd_workload(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "hold", optional_argument, NULL, 'H' },
		{ "list", no_argument, NULL, 'l' },
	};
	struct sbuddy_workload_start s = { 0 };
	struct sbuddy_workload_result r;
	long long hold = -1;
	char name[64], *text;
	int opt, rc = EX_OK, stopped = 0;
	struct opts o;

	opts_init(&o, "H:l", lo, ARRAY_SIZE(lo), 1);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			return rc;
		if (opt == 'l') {
			for (size_t i = 0; i < ARRAY_SIZE(wl_presets); i++)
				printf("%s\n", wl_presets[i].name);
			return EX_OK;
		}
		if (opt == 'H' && parse_hold(optarg, &hold))
			return EX_USAGE;
	}
	if (optind != argc - 1) {
		err(optind < argc ? "one spec at a time" : "which spec?");
		usage_of(c, stderr);
		return EX_USAGE;
	}
	if (in_batch && hold >= 0) {
		err("--hold makes no sense in batch mode: the batch holds its blocks");
		return EX_USAGE;
	}
	text = wl_spec_text(argv[optind]);
	if (!text) {
		err("%s: %s (not a file nor a preset: --list)", argv[optind],
		    strerror(errno));
		return EX_FAIL;
	}
	wl_spec_name(text, name, sizeof(name));
	s.spec = (uintptr_t)text;
	s.len = strlen(text);
	catch_stop();
	if (dev_open() < 0) {
		rc = EX_FAIL;
		goto out;
	}
	if (ioctl(dev_fd, SBUDDY_IOC_WORKLOAD_START, &s)) {
		int e = errno;

		fflush(stdout);
		s.error[sizeof(s.error) - 1] = '\0';
		if (e == ENOTTY) {
			err("this sbuddy does not know SBUDDY_IOC_WORKLOAD_START (an older module?)");
			rc = EX_UNSUPP;
		} else if (s.error_line && e == EINVAL) {
			fprintf(stderr, "%s: %s:%u: %s\n", prog, argv[optind],
				s.error_line, s.error);
			rc = EX_FAIL;
		} else {
			fprintf(stderr, "%s: %s: %s (%s)\n", prog, argv[optind],
				s.error[0] && (e == EINVAL || e == E2BIG) ?
				s.error : strerror(e), errname(e));
			rc = EX_FAIL;
		}
		goto out;
	}
	for (;;) {
		if (!ioctl(dev_fd, SBUDDY_IOC_WORKLOAD_WAIT, &r))
			break;
		if (errno != EINTR) {
			err("SBUDDY_IOC_WORKLOAD_WAIT: %s (%s)", strerror(errno),
			    errname(errno));
			rc = EX_FAIL;
			goto out;
		}
		/* a signal: stop the run, then collect what it did */
		if (stop && !stopped) {
			stopped = 1;
			ioctl(dev_fd, SBUDDY_IOC_WORKLOAD_STOP);
		}
	}
	wl_print(name, &r);
	if (r.status == SBUDDY_WL_STOPPED)
		rc = EX_FAIL;
	fflush(stdout);
	stop = 0;
	if (hold >= 0)
		hold_on(hold);
out:
	free(text);
	return rc;
}

/* ---- replay: a host trace of mm_page_alloc/mm_page_free on sbuddy ---- */

/* 6.1's gfp bits, as include/trace/events/mmflags.h names them */
enum {
	G_DMA = 1 << 0, G_HIGHMEM = 1 << 1, G_DMA32 = 1 << 2, G_MOVABLE = 1 << 3,
	G_RECLAIMABLE = 1 << 4, G_HIGH = 1 << 5, G_IO = 1 << 6, G_FS = 1 << 7,
	G_ZERO = 1 << 8, G_ATOMIC = 1 << 9, G_DIRECT = 1 << 10,
	G_KSWAPD = 1 << 11, G_WRITE = 1 << 12, G_NOWARN = 1 << 13,
	G_RETRY_MAYFAIL = 1 << 14, G_NOFAIL = 1 << 15, G_NORETRY = 1 << 16,
	G_MEMALLOC = 1 << 17, G_COMP = 1 << 18, G_NOMEMALLOC = 1 << 19,
	G_HARDWALL = 1 << 20, G_THISNODE = 1 << 21, G_ACCOUNT = 1 << 22,
	G_ZEROTAGS = 1 << 23, G_SKIP_ZERO = 1 << 24, G_SKIP_UNPOISON = 1 << 25,
	G_SKIP_POISON = 1 << 26,
	G_RECLAIM = G_DIRECT | G_KSWAPD,
	G_KERNEL = G_RECLAIM | G_IO | G_FS,
	G_USER = G_KERNEL | G_HARDWALL,
	G_HIGHUSER_MOVABLE = G_USER | G_HIGHMEM | G_MOVABLE | G_SKIP_POISON |
			     G_SKIP_UNPOISON,
	G_TRANSHUGE_LIGHT = (G_HIGHUSER_MOVABLE | G_COMP | G_NOMEMALLOC |
			     G_NOWARN) & ~G_RECLAIM,
};

static const struct { const char *name; uint32_t bits; } gfp_names[] = {
	{ "GFP_TRANSHUGE", G_TRANSHUGE_LIGHT | G_DIRECT },
	{ "GFP_TRANSHUGE_LIGHT", G_TRANSHUGE_LIGHT },
	{ "GFP_HIGHUSER_MOVABLE", G_HIGHUSER_MOVABLE },
	{ "GFP_HIGHUSER", G_USER | G_HIGHMEM }, { "GFP_USER", G_USER },
	{ "GFP_KERNEL_ACCOUNT", G_KERNEL | G_ACCOUNT }, { "GFP_KERNEL", G_KERNEL },
	{ "GFP_NOFS", G_RECLAIM | G_IO }, { "GFP_ATOMIC", G_HIGH | G_ATOMIC | G_KSWAPD },
	{ "GFP_NOIO", G_RECLAIM }, { "GFP_NOWAIT", G_KSWAPD }, { "GFP_DMA", G_DMA },
	{ "__GFP_HIGHMEM", G_HIGHMEM }, { "GFP_DMA32", G_DMA32 },
	{ "__GFP_HIGH", G_HIGH }, { "__GFP_ATOMIC", G_ATOMIC }, { "__GFP_IO", G_IO },
	{ "__GFP_FS", G_FS }, { "__GFP_NOWARN", G_NOWARN },
	{ "__GFP_RETRY_MAYFAIL", G_RETRY_MAYFAIL }, { "__GFP_NOFAIL", G_NOFAIL },
	{ "__GFP_NORETRY", G_NORETRY }, { "__GFP_COMP", G_COMP }, { "__GFP_ZERO", G_ZERO },
	{ "__GFP_NOMEMALLOC", G_NOMEMALLOC }, { "__GFP_MEMALLOC", G_MEMALLOC },
	{ "__GFP_HARDWALL", G_HARDWALL }, { "__GFP_THISNODE", G_THISNODE },
	{ "__GFP_RECLAIMABLE", G_RECLAIMABLE }, { "__GFP_MOVABLE", G_MOVABLE },
	{ "__GFP_ACCOUNT", G_ACCOUNT }, { "__GFP_WRITE", G_WRITE },
	{ "__GFP_RECLAIM", G_RECLAIM }, { "__GFP_DIRECT_RECLAIM", G_DIRECT },
	{ "__GFP_KSWAPD_RECLAIM", G_KSWAPD }, { "__GFP_ZEROTAGS", G_ZEROTAGS },
	{ "__GFP_SKIP_ZERO", G_SKIP_ZERO }, { "__GFP_SKIP_KASAN_POISON", G_SKIP_POISON },
	{ "__GFP_SKIP_KASAN_UNPOISON", G_SKIP_UNPOISON },
	{ "GFP_NOWAIT|__GFP_NOWARN", G_KSWAPD | G_NOWARN },
};

/* "GFP_KERNEL|__GFP_ZERO" (or "none") into G_* bits; -1 if a name is unknown */
static long long parse_gfp(const char *s)
{
	char buf[512], *tok, *save;
	long long bits = 0;

	if (!strcmp(s, "none"))
		return 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(gfp_names); i++)
			if (!strcmp(tok, gfp_names[i].name))
				break;
		if (i == ARRAY_SIZE(gfp_names))
			return -1;
		bits |= gfp_names[i].bits;
	}
	return bits;
}

/*
 * The SBUDDY_ALLOC_* request of a host allocation: no direct reclaim is
 * GFP_ATOMIC with __GFP_HIGH, else GFP_NOWAIT; the type is the traced
 * migratetype.  __GFP_NOFAIL is left out (*nofail): a replay must end.
 */
static uint32_t gfp_to_sbuddy(uint32_t g, int mt, int *nofail)
{
	static const struct { uint32_t g, f; } map[] = {
		{ G_ZERO, SBUDDY_ALLOC_ZERO }, { G_COMP, SBUDDY_ALLOC_COMP },
		{ G_NOWARN, SBUDDY_ALLOC_NOWARN }, { G_NORETRY, SBUDDY_ALLOC_NORETRY },
		{ G_RETRY_MAYFAIL, SBUDDY_ALLOC_RETRY_MAYFAIL },
		{ G_MEMALLOC, SBUDDY_ALLOC_MEMALLOC }, { G_THISNODE, SBUDDY_ALLOC_THISNODE },
		{ G_DMA, SBUDDY_ALLOC_DMA }, { G_DMA32, SBUDDY_ALLOC_DMA32 },
		{ G_HIGHMEM, SBUDDY_ALLOC_HIGHMEM },
	};
	uint32_t f = 0;

	if (!(g & G_DIRECT))
		f |= g & G_HIGH ? SBUDDY_ALLOC_ATOMIC : SBUDDY_ALLOC_NOWAIT;
	else if (g & G_HIGH)
		f |= SBUDDY_ALLOC_HIGH;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (g & map[i].g)
			f |= map[i].f;
	*nofail = !!(g & G_NOFAIL);
	if (mt == 1)
		f |= SBUDDY_ALLOC_MOVABLE;
	else if (mt == 2)
		f |= SBUDDY_ALLOC_RECLAIMABLE;
	return f;
}

/* host pfn -> sbuddy handle + 1 (0: empty), open addressing */
struct pfnmap {
	uint64_t *key, *val;
	size_t cap, used;
};

static size_t pm_slot(const struct pfnmap *m, uint64_t pfn)
{
	size_t i = (pfn * 0x9e3779b97f4a7c15ULL) >> 20 & (m->cap - 1);

	while (m->val[i] && m->key[i] != pfn)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int pm_put(struct pfnmap *m, uint64_t pfn, uint64_t handle)
{
	size_t i;

	if (2 * (m->used + 1) > m->cap) {
		struct pfnmap n = { .cap = m->cap ? 2 * m->cap : 4096 };

		n.key = calloc(n.cap, sizeof(*n.key));
		n.val = calloc(n.cap, sizeof(*n.val));
		if (!n.key || !n.val)
			return -1;
		for (i = 0; i < m->cap; i++)
			if (m->val[i]) {
				size_t j = pm_slot(&n, m->key[i]);

				n.key[j] = m->key[i];
				n.val[j] = m->val[i];
				n.used++;
			}
		free(m->key);
		free(m->val);
		*m = n;
	}
	i = pm_slot(m, pfn);
	if (!m->val[i])
		m->used++;
	m->key[i] = pfn;
	m->val[i] = handle + 1;
	return 0;
}

/* the handle of @pfn, removed; -1 if none */
static long long pm_take(struct pfnmap *m, uint64_t pfn)
{
	size_t i, j;
	long long h;

	if (!m->cap)
		return -1;
	i = pm_slot(m, pfn);
	if (!m->val[i])
		return -1;
	h = m->val[i] - 1;
	m->val[i] = 0;
	m->used--;
	/* re-seat the rest of the cluster */
	for (j = (i + 1) & (m->cap - 1); m->val[j]; j = (j + 1) & (m->cap - 1)) {
		uint64_t k = m->key[j], v = m->val[j];
		size_t to;

		m->val[j] = 0;
		to = pm_slot(m, k);
		m->key[to] = k;
		m->val[to] = v;
	}
	return h;
}

#define RP_BAD_SHOWN	5

struct replay {
	struct pfnmap map;
	/* the pending batch: allocations of one order and flags, or frees */
	int pending_alloc;
	uint32_t order, flags;
	uint64_t *pfns, *handles;
	size_t n;
	/* counts */
	unsigned long long lines, comments, irrelevant, bad, allocs, frees,
		batched, host_failed, unknown_frees, implicit_frees, nofail,
		refused, ok[SBUDDY_MAX_ORDER + 1], fail[SBUDDY_MAX_ORDER + 1],
		ioctls;
	unsigned long long bad_line[RP_BAD_SHOWN];
	char bad_why[RP_BAD_SHOWN][48];
};

static int rp_flush(struct replay *r)
{
	if (!r->n)
		return 0;
	if (r->pending_alloc) {
		struct sbuddy_alloc a = {
			.order = r->order, .flags = r->flags, .count = r->n,
			.handles = (uintptr_t)r->handles,
		};
		size_t i;

		r->ioctls++;
		if (ioctl(dev_fd, SBUDDY_IOC_ALLOC, &a)) {
			if (errno == EINVAL) {
				/* flags sbuddy does not take (sb_abi_gfp) */
				r->refused += r->n;
				r->fail[r->order] += r->n;
				r->n = 0;
				return 0;
			}
			if (errno != ENOMEM && errno != ENOSPC) {
				err("SBUDDY_IOC_ALLOC: %s (%s)", strerror(errno),
				    errname(errno));
				return EX_FAIL;
			}
		}
		r->ok[r->order] += a.done;
		for (i = 0; i < a.done; i++)
			if (r->pfns[i] != UINT64_MAX &&
			    pm_put(&r->map, r->pfns[i], r->handles[i]))
				return EX_FAIL;
		/* block a.done failed; the rest of the batch is tried again */
		if (a.done < a.count) {
			size_t rest = r->n - a.done - 1;

			r->fail[r->order]++;
			memmove(r->pfns, r->pfns + a.done + 1, rest * sizeof(*r->pfns));
			r->n = rest;
			return rp_flush(r);
		}
	} else {
		struct sbuddy_free fr = { .handles = (uintptr_t)r->handles, .count = r->n };

		r->ioctls++;
		if (ioctl(dev_fd, SBUDDY_IOC_FREE, &fr)) {
			err("SBUDDY_IOC_FREE: %s (%s)", strerror(errno), errname(errno));
			return EX_FAIL;
		}
	}
	r->n = 0;
	return 0;
}

static void rp_bad(struct replay *r, const char *why)
{
	if (r->bad < RP_BAD_SHOWN) {
		r->bad_line[r->bad] = r->lines;
		snprintf(r->bad_why[r->bad], sizeof(r->bad_why[0]), "%s", why);
	}
	r->bad++;
}

/* the value of " KEY=" in @s, as a string ending at a space */
static const char *field(const char *s, const char *key, char *out, size_t len)
{
	const char *p = s;
	size_t kl = strlen(key), n;

	while ((p = strstr(p, key))) {
		if ((p == s || p[-1] == ' ') && p[kl] == '=')
			break;
		p += kl;
	}
	if (!p)
		return NULL;
	p += kl + 1;
	n = strcspn(p, " \t\n");
	if (!n || n >= len)
		return NULL;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

static int parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return *end || errno ? -1 : 0;
}

/*
 * One line: ftrace/trace-cmd ("comm-pid [cpu] flags ts: mm_page_alloc: ...")
 * or perf script ("comm pid [cpu] ts: kmem:mm_page_alloc: ...").
 */
static int rp_line(struct replay *r, char *l)
{
	char ev[64], v[256], *p, *tok = NULL;
	unsigned long long pfn, order, mt = 0;
	int kind, nofail = 0;
	long long g = 0;
	uint32_t flags = 0;

	l[strcspn(l, "\r\n")] = '\0';
	p = l + strspn(l, " \t");
	if (!*p || *p == '#') {
		r->comments++;
		return 0;
	}
	/* the event: the first word ending in ':' that starts with a letter */
	for (char *s = p; *s; ) {
		size_t n = strcspn(s, " \t");

		if (n > 1 && s[n - 1] == ':' && isalpha((unsigned char)s[0]) &&
		    n < sizeof(ev)) {
			/* "comm-123" never ends in ':'; a CPU is "[001]" */
			memcpy(ev, s, n - 1);
			ev[n - 1] = '\0';
			tok = s + n;
			break;
		}
		s += n;
		s += strspn(s, " \t");
	}
	if (!tok) {
		rp_bad(r, "no event name");
		return 0;
	}
	p = strncmp(ev, "kmem:", 5) ? ev : ev + 5;
	if (!strcmp(p, "mm_page_alloc"))
		kind = 0;
	else if (!strcmp(p, "mm_page_free"))
		kind = 1;
	else if (!strcmp(p, "mm_page_free_batched"))
		kind = 2;
	else {
		r->irrelevant++;
		return 0;
	}
	if (parse_u64(field(tok, "pfn", v, sizeof(v)), &pfn)) {
		rp_bad(r, "no pfn=");
		return 0;
	}
	if (parse_u64(field(tok, "order", v, sizeof(v)), &order) ||
	    order > SBUDDY_MAX_ORDER || (kind == 2 && order)) {
		rp_bad(r, "bad order=");
		return 0;
	}
	if (kind == 0) {
		if (parse_u64(field(tok, "migratetype", v, sizeof(v)), &mt) || mt > 2) {
			rp_bad(r, "bad migratetype=");
			return 0;
		}
		if (!field(tok, "gfp_flags", v, sizeof(v)) || (g = parse_gfp(v)) < 0) {
			rp_bad(r, "bad gfp_flags=");
			return 0;
		}
		flags = gfp_to_sbuddy(g, mt, &nofail);
	}
	if (kind == 0) {
		long long old;

		r->allocs++;
		r->nofail += nofail;
		/* the page=NULL pfn=0x0 of a failed host allocation: tried, not mapped */
		if (!pfn) {
			r->host_failed++;
			pfn = UINT64_MAX;
		} else if ((old = pm_take(&r->map, pfn)) >= 0) {
			/* its free was not traced (lost or before the capture) */
			if (rp_flush(r))
				return EX_FAIL;
			r->implicit_frees++;
			r->pending_alloc = 0;
			r->handles[0] = old;
			r->n = 1;
			if (rp_flush(r))
				return EX_FAIL;
		}
		if (r->n && (!r->pending_alloc || r->order != order || r->flags != flags ||
			     r->n == SBUDDY_BATCH_MAX) && rp_flush(r))
			return EX_FAIL;
		r->pending_alloc = 1;
		r->order = order;
		r->flags = flags;
		r->pfns[r->n++] = pfn;
		return 0;
	}
	r->frees++;
	r->batched += kind == 2;
	if (r->n && (r->pending_alloc || r->n == SBUDDY_BATCH_MAX) && rp_flush(r))
		return EX_FAIL;
	{
		long long h = pm_take(&r->map, pfn);

		if (h < 0) {
			r->unknown_frees++;
			return 0;
		}
		r->pending_alloc = 0;
		r->handles[r->n++] = h;
	}
	return 0;
}

static const char *const rp_events[] = {
	"sbuddy_extfrag", "sbuddy_extfrag_fragmenting", "sbuddy_steal_pageblock",
	"compact_stall", "compact_success", "compact_fail", "pgmigrate_success",
	"allocstall_normal", "oom_kill",
};

static void rp_vmstat(long long *v)
{
	int rc;
	char *buf = view("vmstat", &rc), *l, *save;

	for (size_t i = 0; i < ARRAY_SIZE(rp_events); i++)
		v[i] = -1;
	if (!buf)
		return;
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char key[64];
		long long val;

		if (sscanf(l, "%63s %lld", key, &val) != 2)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(rp_events); i++)
			if (!strcmp(key, rp_events[i]))
				v[i] = val;
	}
	free(buf);
}

/* extfrag/NAME as "Node 0, zone DMA32 v v v" lines */
static void rp_index(const char *name)
{
	char path[64], *buf, *l, *save;
	int rc;

	snprintf(path, sizeof(path), "extfrag/%s", name);
	buf = view(path, &rc);
	if (!json) {
		printf("%s:\n%s", name, buf ? buf : "");
		free(buf);
		return;
	}
	j_arr(name);
	for (l = buf ? strtok_r(buf, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		char *w[MAX_WORDS];
		int n = split(l, w, MAX_WORDS), i;

		if (n < 4)
			continue;
		j_obj(NULL);
		j_token("node", strtok(w[1], ","));
		j_str("zone", w[3]);
		j_arr("index");
		for (i = 4; i < n; i++)
			j_token(NULL, w[i]);
		j_end_arr();
		j_end_obj();
	}
	j_end_arr();
	free(buf);
}

static int cmd_replay(const struct cmd *c, int argc, char **argv)
{
	struct replay *r;
	long long ev0[ARRAY_SIZE(rp_events)], ev1[ARRAY_SIZE(rp_events)];
	int rc = EX_OK;
	char *line = NULL;
	size_t cap = 0;
	double t0, t;
	FILE *f;

	if (simple_opts(c, argc, argv, 1, &rc))
		return rc;
	if (optind != argc - 1) {
		err(optind < argc ? "one trace at a time" : "which trace?");
		usage_of(c, stderr);
		return EX_USAGE;
	}
	f = strcmp(argv[optind], "-") ? fopen(argv[optind], "r") : stdin;
	if (!f) {
		err("%s: %s", argv[optind], strerror(errno));
		return EX_FAIL;
	}
	r = calloc(1, sizeof(*r));
	if (r) {
		r->pfns = calloc(SBUDDY_BATCH_MAX, sizeof(*r->pfns));
		r->handles = calloc(SBUDDY_BATCH_MAX, sizeof(*r->handles));
	}
	if (!r || !r->pfns || !r->handles) {
		err("out of memory");
		return EX_FAIL;
	}
	if (dev_open() < 0)
		return EX_FAIL;
	rp_vmstat(ev0);
	t0 = now();
	while (getline(&line, &cap, f) >= 0) {
		r->lines++;
		rc = rp_line(r, line);
		if (rc)
			break;
	}
	if (!rc)
		rc = rp_flush(r);
	t = now() - t0;
	free(line);
	if (f != stdin)
		fclose(f);
	rp_vmstat(ev1);
	if (json) {
		j_obj(NULL);
		j_str("trace", argv[optind]);
		j_u64("lines", r->lines);
		j_u64("comments", r->comments);
		j_u64("irrelevant", r->irrelevant);
		j_u64("bad", r->bad);
		j_arr("bad_lines");
		for (unsigned long long i = 0; i < r->bad && i < RP_BAD_SHOWN; i++) {
			j_obj(NULL);
			j_u64("line", r->bad_line[i]);
			j_str("why", r->bad_why[i]);
			j_end_obj();
		}
		j_end_arr();
		j_u64("allocs", r->allocs);
		j_u64("frees", r->frees);
		j_u64("frees_batched", r->batched);
		j_u64("host_failed", r->host_failed);
		j_u64("unknown_frees", r->unknown_frees);
		j_u64("implicit_frees", r->implicit_frees);
		j_u64("nofail_dropped", r->nofail);
		j_u64("flags_refused", r->refused);
		j_orders(r->ok, r->fail);
		j_obj("vmstat_delta");
		for (size_t i = 0; i < ARRAY_SIZE(rp_events); i++)
			if (ev0[i] >= 0 && ev1[i] >= 0)
				j_s64(rp_events[i], ev1[i] - ev0[i]);
		j_end_obj();
		j_u64("held_blocks", r->map.used);
		j_u64("ioctls", r->ioctls);
		j_dbl("seconds", t);
		j_dbl("events_per_sec", t > 0 ? (r->allocs + r->frees) / t : 0);
		rp_index("extfrag_index");
		rp_index("unusable_index");
		j_end_obj();
	} else {
		printf("trace %s: %llu lines, %llu comments, %llu other events, %llu bad\n",
		       argv[optind], r->lines, r->comments, r->irrelevant, r->bad);
		for (unsigned long long i = 0; i < r->bad && i < RP_BAD_SHOWN; i++)
			printf("  bad line %llu: %s\n", r->bad_line[i], r->bad_why[i]);
		printf("allocs %llu (host failed %llu, nofail dropped %llu, flags refused %llu)\n",
		       r->allocs, r->host_failed, r->nofail, r->refused);
		printf("frees %llu (batched %llu, unknown pfn %llu, implicit %llu)\n",
		       r->frees, r->batched, r->unknown_frees, r->implicit_frees);
		print_orders(r->ok, r->fail);
		for (size_t i = 0; i < ARRAY_SIZE(rp_events); i++)
			if (ev0[i] >= 0 && ev1[i] >= 0)
				printf("%s %lld\n", rp_events[i], ev1[i] - ev0[i]);
		printf("held_blocks %zu\n", r->map.used);
		printf("replayed %llu events in %.3f s (%.0f events/s, %llu ioctls)\n",
		       r->allocs + r->frees, t, t > 0 ? (r->allocs + r->frees) / t : 0,
		       r->ioctls);
		rp_index("extfrag_index");
		rp_index("unusable_index");
	}
	free(r->pfns);
	free(r->handles);
	free(r->map.key);
	free(r->map.val);
	free(r);
	return rc;
}

static int cmd_batch(const struct cmd *c, int argc, char **argv);
static int cmd_help(const struct cmd *c, int argc, char **argv);

#define JH	"  -j, --json         JSON output (-p, --pretty: indented)\n"
#define HH	"  -h, --help         this help\n"

static const struct cmd cmds[] = {
	{ "info", cmd_info, "ABI version, features and the borrowed region", "[-j]",
	  "The ABI version and feature mask (SBUDDY_IOC_GET_API) and the borrowed\n"
	  "region.\n" JH HH },
	{ "region", cmd_view, "the borrowed host region", "[-j]", "The borrowed host region (debugfs region).\n" JH HH },
	{ "buddyinfo", cmd_view, "free blocks per zone and order (/proc/buddyinfo)", "[-j]",
	  "Free blocks per node, zone and order, as /proc/buddyinfo.\n" JH HH },
	{ "pagetypeinfo", cmd_view, "free blocks per migratetype (/proc/pagetypeinfo)", "[-j]",
	  "Free blocks per migratetype and pageblocks per type, as\n"
	  "/proc/pagetypeinfo.\n" JH HH },
	{ "zoneinfo", cmd_view, "watermarks, counters, pagesets (/proc/zoneinfo)", "[-j]",
	  "Watermarks, counters and per-cpu pagesets per zone, as /proc/zoneinfo.\n"
	  JH HH },
	{ "vmstat", cmd_view, "counters and events (/proc/vmstat), pretty or raw", "[-r | -a] [-j]",
	  "The counters and events, as /proc/vmstat.  By default the nonzero ones,\n"
	  "grouped (counters, events, sbuddy's own) and aligned.\n"
	  "  -r, --raw          the file as it is\n"
	  "  -a, --all          the zero counters too\n" JH HH },
	{ "pcp", cmd_view, "the per-cpu lists", "[-j]",
	  "The per-cpu lists: count, high, batch and blocks per list, per zone and\n"
	  "CPU.\n" JH HH },
	{ "workload", cmd_workload, "run a workload spec in the module's threads",
	  "FILE|PRESET [-H SECONDS | --hold[=SECONDS]] [-j] | --list",
	  "Run a workload spec (workloads.rst) through SBUDDY_IOC_WORKLOAD_START and\n"
	  "_WAIT and print its results: allocations per order, frees, blocks held,\n"
	  "latency histograms (bucket b: [2^(b-1), 2^b) ns), fallback and\n"
	  "compaction counters.  PRESET is a built-in spec of tools/workloads/.\n"
	  "A malformed spec is reported as FILE:LINE: reason.  SIGINT stops the run\n"
	  "(status stopped, exit 1).  The blocks are freed when sbuddyctl exits.\n"
	  "  -H, --hold[=SECONDS]  keep the blocks until SIGINT/SIGTERM/SIGHUP (or\n"
	  "                     SECONDS)\n"
	  "  -l, --list         the built-in presets\n" JH HH },
	{ "replay", cmd_replay, "replay a host trace of page allocations and frees",
	  "TRACE|- [-j]",
	  "Replay the kmem:mm_page_alloc, mm_page_free and mm_page_free_batched\n"
	  "events of a trace (ftrace or trace-cmd text, perf script) on sbuddy:\n"
	  "each host pfn maps to the handle of its replayed block; order, gfp flags\n"
	  "and migratetype are honoured (workloads.rst).  Prints the lines that\n"
	  "could not be parsed (count, the first line numbers), other events, frees\n"
	  "of pfns never allocated, per-order success, the vmstat deltas and the\n"
	  "final extfrag indices.  Consecutive events are batched into one ioctl.\n"
	  JH HH },
	{ "verify", cmd_verify, "the whole-machine consistency check", "[-j]",
	  "Run the whole-machine consistency check (SBUDDY_IOC_VERIFY): \"ok\", or\n"
	  "the first inconsistency and exit status 1.\n" JH HH },
	{ "alloc", cmd_alloc, "allocate blocks, print their handles",
	  "ORDER [-n COUNT] [-t TYPE] [-f FLAG[,FLAG...]]\n"
	  "       [--preferred NODE | --bind NODES | --interleave NODES] [-H SECONDS | --hold[=SECONDS]] [-q] [-j]",
	  "Allocate COUNT blocks of 2^ORDER pages (ORDER 0..10) in one\n"
	  "SBUDDY_IOC_ALLOC and print their handles.  The blocks belong to the open\n"
	  "device: they are freed when sbuddyctl exits (or the batch ends).  A\n"
	  "partial batch prints what was allocated and exits 1.\n"
	  "  -n, --count COUNT  blocks, 1..65536 (default 1)\n"
	  "  -t, --type TYPE    unmovable (default), movable or reclaimable\n"
	  "  -f, --flags FLAGS  movable reclaimable atomic nowait high memalloc zero\n"
	  "                     comp nowarn noretry retry_mayfail nofail thisnode dma\n"
	  "                     dma32 highmem cold\n"
	  "      --preferred NODE      MPOL_PREFERRED: NODE first\n"
	  "      --bind NODES          MPOL_BIND: only NODES (\"0,2-3\")\n"
	  "      --interleave NODES    MPOL_INTERLEAVE: round robin over NODES\n"
	  "  -H, --hold[=SECONDS]  keep the blocks, printing their handles, until\n"
	  "                     SIGINT/SIGTERM/SIGHUP (or SECONDS; -H 0: a signal)\n"
	  "  -q, --quiet        no handle list\n" JH HH },
	{ "free", cmd_free, "free blocks by handle", "HANDLE... [-j]",
	  "Free blocks of this session (SBUDDY_IOC_FREE).  HANDLE is a number, %N\n"
	  "(the session's N-th block, from 0), %last or %all.  Meaningful in batch\n"
	  "mode, where earlier commands allocated on the same open device.\n" JH HH },
	{ "free-held", cmd_free_held, "free blocks while a reference is held", "HANDLE... [-j]",
	  "Free blocks as __free_pages() does while another reference to their\n"
	  "first page is held (SBUDDY_IOC_FREE_HELD): a non-compound block of order\n"
	  "N > 0 returns 2^N - 1 tail pages now and its handle keeps the first page\n"
	  "as an order-0 block; a compound block (alloc -f comp) frees nothing.\n"
	  "Prints the pages freed and the order left; free drops the rest.  HANDLE\n"
	  "as for free.\n" JH HH },
	{ "pin", cmd_pin, "take a long-term pin on blocks", "HANDLE... [-j]",
	  "Take a long-term pin on blocks (SBUDDY_IOC_PIN): compaction and reclaim\n"
	  "leave them alone.  Prints the pin count.  HANDLE as for free.\n" JH HH },
	{ "unpin", cmd_pin, "drop a pin", "HANDLE... [-j]",
	  "Drop one pin (SBUDDY_IOC_UNPIN).  HANDLE as for free.\n" JH HH },
	{ "query", cmd_query, "where a block is and what happened to it", "HANDLE... [-j]",
	  "Where a block is (SBUDDY_IOC_QUERY): pfn, order, node, zone, pageblock\n"
	  "type, requested type, state, times migrated, pins.  HANDLE as for free.\n"
	  JH HH },
	{ "fill", cmd_fill, "fill blocks with a pattern, print their crc32", "HANDLE... [-s SEED] [-j]",
	  "Fill blocks with sbuddy_pattern(SEED, i) (SBUDDY_IOC_FILL) and print the\n"
	  "crc32 of their contents.\n"
	  "  -s, --seed SEED    the pattern's seed (default 0)\n" JH HH },
	{ "checksum", cmd_fill, "the crc32 of blocks", "HANDLE... [-j]",
	  "The crc32 of blocks' contents (SBUDDY_IOC_CHECKSUM).\n" JH HH },
	{ "stress", cmd_stress, "threads allocating and freeing through the device",
	  "[-t THREADS] [-o ORDERS] [-m MIX] [-f FLAGS] [-d SECONDS | -n BLOCKS]\n"
	  "       [-b BATCH] [-k KEEP] [-s SEED] [-j]",
	  "THREADS userspace threads, each with its own open device, allocate\n"
	  "blocks with SBUDDY_IOC_ALLOC and free the oldest with SBUDDY_IOC_FREE,\n"
	  "holding at most KEEP each; then ops/s (allocation attempts plus frees)\n"
	  "and failures per order.  A failed allocation is a result, not an error;\n"
	  "any other ioctl error exits 1.  A progress line goes to a terminal.\n"
	  "  -t, --threads N    default: the online CPUs\n"
	  "  -o, --orders LIST  ORDER[:WEIGHT],...   (default 0)\n"
	  "  -m, --mix LIST     TYPE[:WEIGHT],...    (default movable)\n"
	  "  -f, --flags FLAGS  as for alloc, without the types\n"
	  "  -d, --duration S   run S seconds\n"
	  "  -n, --ops N        attempt N blocks in all (default 10000)\n"
	  "  -b, --batch N      blocks per SBUDDY_IOC_ALLOC (default 1)\n"
	  "  -k, --keep N       blocks each thread holds (default 64)\n"
	  "  -s, --seed S       random seed (default 0)\n" JH HH },
	{ "compact", cmd_compact, "trigger compaction", "[NODE]",
	  "Trigger compaction: write 1 to vm/compact_memory, or NODE's trigger.\n"
	  "Exits 3 when the loaded sbuddy has no compaction trigger.\n" HH },
	{ "drain", cmd_drain, "drain the per-cpu lists", "[all | local | cpu N]",
	  "Return per-cpu list pages to the buddy lists (SBUDDY_IOC_DRAIN): of\n"
	  "every online CPU (default), the calling CPU, or CPU N.\n" HH },
	{ "get", cmd_get, "read knobs (vm/)", "[-n] [KNOB...] [-j]",
	  "Print knobs of /sys/kernel/debug/sbuddy/vm/ as NAME = VALUE (all of\n"
	  "them without KNOB).\n"
	  "  -n, --values       the values only\n" JH HH },
	{ "set", cmd_set, "write knobs (vm/)", "KNOB VALUE... | KNOB=VALUE... [-j]",
	  "Write knobs (as sysctl -w): the module refuses what the kernel's sysctl\n"
	  "would (exit 1).  Prints the knob as read back.\n" JH HH },
	{ "mix", cmd_mix, "a short allocation mix, then the views", "",
	  "A short allocation mix of several orders and types, every other block\n"
	  "freed again, then buddyinfo and pagetypeinfo while the rest is held.\n"
	  HH },
	{ "batch", cmd_batch, "run commands from a file on one open device", "[--force] FILE|-",
	  "Run the commands of FILE (- for stdin), one per line, on one open\n"
	  "device, so blocks and handles persist between them; # starts a comment.\n"
	  "Stops at the first failing command (its exit status) unless --force.\n"
	  "  -f, --force        run every line; exit 1 if any failed\n" HH },
	{ "watch", cmd_watch, "sample the views into CSV rows", "[-i MS] [-n COUNT] [-o FILE] [-j]",
	  "Sample buddyinfo, vmstat, pageblocks and the extfrag indices every MS\n"
	  "milliseconds into CSV: a header row, then one row per sample (free pages\n"
	  "per order, pageblocks per migratetype, mixed blocks, the unusable and\n"
	  "extfrag indices of orders 3 and 9 per zone, key events).  No read walks a\n"
	  "free list under zone->lock.  Stops after COUNT rows or at SIGINT/SIGTERM,\n"
	  "with every row written.\n"
	  "  -i, --interval MS  between samples (default 1000)\n"
	  "  -n, --count N      rows to take (default 0: until a signal)\n"
	  "  -o, --output FILE  write there (default stdout)\n"
	  "  -j, --json         a JSON array of one object per sample (-p: indented)\n" HH },
	{ "map", cmd_map, "a map of the pageblocks, as text or SVG",
	  "[--svg FILE] [--from PAGEBLOCKS] [--order N] [--title TEXT]",
	  "One cell per pageblock, by node and zone, coloured by migratetype and\n"
	  "shaded by the pages in use; mixed blocks outlined, blocks holding a\n"
	  "free block of order N or more dotted.  Without --svg: a line of letters\n"
	  "per zone (U M R H C I, lower case when mixed, '.' empty with a free\n"
	  "block of order N).\n"
	  "  -s, --svg FILE     draw an SVG picture into FILE (- for stdout)\n"
	  "  -f, --from FILE    a saved pageblocks file instead of debugfs\n"
	  "  -O, --order N      the free order to mark (default: the pageblock's)\n"
	  "  -t, --title TEXT   the second title line (default: time, kernel)\n" HH },
	{ "plot", cmd_plot, "plot a watch CSV as SVG", "--svg FILE [--title TEXT] CSV",
	  "Time series of a watch CSV: free pages per order and pageblocks per\n"
	  "migratetype (with the mixed blocks dashed), one panel each.\n"
	  "  -s, --svg FILE     the SVG to write (- for stdout)\n"
	  "  -t, --title TEXT   the title (default: the CSV's name)\n" HH },
	{ "help", cmd_help, "this help, or a command's", "[COMMAND]", "This help, or COMMAND's.\n" },
};

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [-j|-p] [-b FILE] COMMAND [ARGS]\n\n"
		"Drive and read the sbuddy shadow buddy allocator.\n\n"
		"Options:\n"
		"  -j, --json         JSON output for the read commands\n"
		"  -p, --pretty       indented JSON\n"
		"  -b, --batch FILE   run the commands of FILE on one open device\n"
		"  -f, --force        with -b: go on after a failing command\n"
		"  -V, --version      the tool and ABI versions\n"
		"  -h, --help         this help\n\n"
		"Commands:\n", prog);
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-13s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'%s COMMAND --help' describes each.  Exit status: 0 ok, 1 the operation\n"
		"failed, 2 usage error, 3 the loaded module lacks what the command needs.\n",
		prog);
}

static int cmd_help(const struct cmd *c, int argc, char **argv)
{
	const struct cmd *x;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage_of(c, stdout);
		return EX_OK;
	}
	if (argc > 1) {
		x = find_cmd(argv[1]);
		if (!x) {
			err("unknown command '%s'", argv[1]);
			return EX_USAGE;
		}
		usage_of(x, stdout);
		return EX_OK;
	}
	usage(stdout);
	return EX_OK;
}

static int run(int argc, char **argv)
{
	const struct cmd *c;
	int saved = json, rc;

	c = find_cmd(argv[0]);
	sub = argv[0];
	if (!c) {
		err("unknown command (try %s --help)", prog);
		sub = "";
		return EX_USAGE;
	}
	if (in_batch && (c->fn == cmd_batch)) {
		err("batch files do not nest");
		return EX_USAGE;
	}
	rc = c->fn(c, argc, argv);
	fflush(stdout);
	json = saved;
	sub = "";
	return rc;
}

static int run_batch(const char *file, int force)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char line[4096], *w[MAX_WORDS];
	int rc = EX_OK, lineno = 0;

	if (!f) {
		err("cannot open %s: %s", file, strerror(errno));
		return EX_FAIL;
	}
	in_batch = 1;
	while (fgets(line, sizeof(line), f)) {
		int n, r;

		lineno++;
		line[strcspn(line, "#")] = '\0';
		n = split(line, w, MAX_WORDS - 1);
		if (!n)
			continue;
		w[n] = NULL;
		snprintf(where, sizeof(where), "%s:%d: ", strcmp(file, "-") ? file : "stdin",
			 lineno);
		r = run(n, w);
		where[0] = '\0';
		if (r) {
			if (!force) {
				rc = r;
				break;
			}
			rc = EX_FAIL;
		}
	}
	in_batch = 0;
	if (f != stdin)
		fclose(f);
	return rc;
}

static int cmd_batch(const struct cmd *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "force", no_argument, NULL, 'f' },
	};
	int opt, rc = EX_OK, force = 0;
	struct opts o;

	opts_init(&o, "f", lo, 1, 0);
	for (optind = 0, opterr = 1;
	     (opt = getopt_long(argc, argv, o.so, o.lo, NULL)) != -1;) {
		if (opt_common(c, opt, &rc))
			return rc;
		if (opt == 'f')
			force = 1;
	}
	if (argc - optind != 1) {
		err("which file?");
		usage_of(c, stderr);
		return EX_USAGE;
	}
	sub = "";
	return run_batch(argv[optind], force);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ "force", no_argument, NULL, 'f' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *batch = NULL;
	int opt, force = 0, rc;

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while ((opt = getopt_long(argc, argv, "+jpb:fVh", lo, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = json ? json : 1;
			break;
		case 'p':
			json = 2;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case 'V':
			printf("sbuddyctl %s (ABI %d)\n", VERSION, SBUDDY_API_VERSION);
			return EX_OK;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (batch) {
		if (optind < argc) {
			err("-b takes no command: the commands are in %s", batch);
			return EX_USAGE;
		}
		rc = run_batch(batch, force);
	} else if (optind == argc) {
		usage(stderr);
		return EX_USAGE;
	} else {
		rc = run(argc - optind, argv + optind);
	}
	fflush(stdout);
	if (dev_fd >= 0)
		close(dev_fd);
	return rc;
}
