// SPDX-License-Identifier: GPL-2.0
/*
 * sb_json: a strict JSON (RFC 8259) checker for the shell tests, which run
 * in a VM without python.  It shares no code with sbuddyctl's writer.
 *
 *   sb_json [-f] < FILE
 *
 * Exit 0 when stdin holds exactly one valid JSON text, else 1 with the
 * offset and reason.  With -f it prints every scalar as "PATH VALUE", the
 * path in jq's syntax ([0].free[3], .region.nr_pages), strings unquoted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *s, *start;
static int flat;
static char path[4096];

static int fail(const char *why)
{
	fprintf(stderr, "sb_json: invalid JSON at offset %ld: %s\n", (long)(s - start), why);
	return -1;
}

static void ws(void)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
}

static int value(void);

static int string(char *out, size_t len)
{
	size_t n = 0;

	if (*s != '"')
		return fail("expected a string");
	s++;
	while (*s != '"') {
		unsigned char c = *s;

		if (!c)
			return fail("unterminated string");
		if (c < 0x20)
			return fail("control character in a string");
		if (c == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
						return fail("bad \\u escape");
				s += 4;
			} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
				return fail("bad escape");
			}
		}
		if (out && n + 1 < len)
			out[n++] = *s;
		s++;
	}
	s++;
	if (out)
		out[n] = '\0';
	return 0;
}

static int number(void)
{
	const char *b = s;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return fail("bad number");
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return fail("bad fraction");
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return fail("bad exponent");
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (flat)
		printf("%s %.*s\n", path, (int)(s - b), b);
	return 0;
}

static int literal(const char *w)
{
	size_t n = strlen(w);

	if (strncmp(s, w, n))
		return fail("unknown literal");
	s += n;
	if (flat)
		printf("%s %s\n", path, w);
	return 0;
}

static int object(void)
{
	size_t base = strlen(path);
	char key[256];

	s++;
	ws();
	if (*s == '}') {
		s++;
		return 0;
	}
	for (;;) {
		ws();
		if (string(key, sizeof(key)))
			return -1;
		ws();
		if (*s != ':')
			return fail("expected ':'");
		s++;
		snprintf(path + base, sizeof(path) - base, ".%s", key);
		if (value())
			return -1;
		path[base] = '\0';
		ws();
		if (*s == '}') {
			s++;
			return 0;
		}
		if (*s != ',')
			return fail("expected ',' or '}'");
		s++;
	}
}

static int array(void)
{
	size_t base = strlen(path);
	int i = 0;

	s++;
	ws();
	if (*s == ']') {
		s++;
		return 0;
	}
	for (;; i++) {
		snprintf(path + base, sizeof(path) - base, "[%d]", i);
		if (value())
			return -1;
		path[base] = '\0';
		ws();
		if (*s == ']') {
			s++;
			return 0;
		}
		if (*s != ',')
			return fail("expected ',' or ']'");
		s++;
	}
}

static int value(void)
{
	const char *b;

	ws();
	switch (*s) {
	case '{':
		return object();
	case '[':
		return array();
	case '"':
		b = s;
		if (string(NULL, 0))
			return -1;
		if (flat)
			printf("%s %.*s\n", path, (int)(s - b - 2), b + 1);
		return 0;
	case 't':
		return literal("true");
	case 'f':
		return literal("false");
	case 'n':
		return literal("null");
	default:
		return number();
	}
}

int main(int argc, char **argv)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	size_t n;

	flat = argc > 1 && !strcmp(argv[1], "-f");
	if (!buf)
		return 2;
	while ((n = fread(buf + len, 1, cap - len, stdin)) > 0) {
		len += n;
		if (len == cap) {
			buf = realloc(buf, 2 * cap + 1);
			if (!buf)
				return 2;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		fprintf(stderr, "sb_json: NUL byte in the input\n");
		return 1;
	}
	s = start = buf;
	ws();
	if (!*s) {
		fprintf(stderr, "sb_json: empty input\n");
		return 1;
	}
	if (value())
		return 1;
	ws();
	if (*s)
		return fail("trailing data after the JSON text") ? 1 : 1;
	return 0;
}
