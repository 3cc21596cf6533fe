/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON as indented text for people: "name: value" lines, "- " for array
 * items. Input comes from the library but carries claim text from hostile
 * tokens, so control characters stay escaped and never reach a terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define TEXT_MAX_DEPTH 64

struct text {
	const char *p;
	FILE *f;
	unsigned depth;
};

/*
 * How a container starts: its members on the following lines (LEAD_LINES),
 * its first member on the current line after "- " (LEAD_INLINE, a list of
 * records), or at the margin (LEAD_TOP, the document itself).
 */
enum lead { LEAD_LINES, LEAD_INLINE, LEAD_TOP };

static int render_value(struct text *t, int indent, enum lead lead);

static void skip_blanks(struct text *t)
{
	while (*t->p == ' ' || *t->p == '\n' || *t->p == '\t' || *t->p == '\r')
		t->p++;
}

/* A string's content, unescaping only what is safe to show. */
static int render_string(struct text *t)
{
	const unsigned char *s = (const unsigned char *)t->p + 1;

	for (; *s != '"'; s++) {
		if (!*s)
			return -1;
		if (*s == '\\' && (s[1] == '"' || s[1] == '\\' || s[1] == '/')) {
			fputc(*++s, t->f);
		} else if (*s == '\\') {
			if (!s[1])
				return -1;
			fputc(*s++, t->f);
			fputc(*s, t->f);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(t->f, "\\u%04x", *s);
		} else if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) { /* C1 controls */
			fprintf(t->f, "\\u%04x", *++s);
		} else {
			fputc(*s, t->f);
		}
	}
	t->p = (const char *)s + 1;
	return 0;
}

static int render_scalar(struct text *t)
{
	size_t n;

	if (*t->p == '"')
		return render_string(t);
	n = strspn(t->p, "0123456789+-.eEtrufalsn");
	if (!n)
		return -1;
	fwrite(t->p, 1, n, t->f);
	t->p += n;
	return 0;
}

/* One member ("key:") or item ("-") and its value. */
static int render_entry(struct text *t, bool object, int indent)
{
	if (object) {
		if (*t->p != '"' || render_string(t) < 0)
			return -1;
		skip_blanks(t);
		if (*t->p++ != ':')
			return -1;
	}
	fputc(object ? ':' : '-', t->f);
	skip_blanks(t);
	return render_value(t, indent + 2, object ? LEAD_LINES : LEAD_INLINE);
}

static int render_container(struct text *t, int indent, enum lead lead)
{
	bool object = *t->p == '{';
	char close = object ? '}' : ']';

	if (++t->depth > TEXT_MAX_DEPTH)
		return -1;
	t->p++;
	skip_blanks(t);
	if (*t->p == close) {
		t->p++;
		t->depth--;
		fputs(object ? " {}\n" : " []\n", t->f);
		return 0;
	}
	if (lead != LEAD_TOP)
		fputc(lead == LEAD_INLINE ? ' ' : '\n', t->f);
	for (bool first = true;; first = false) {
		skip_blanks(t);
		if (!first || lead != LEAD_INLINE)
			fprintf(t->f, "%*s", indent, "");
		if (render_entry(t, object, indent) < 0)
			return -1;
		skip_blanks(t);
		if (*t->p == close)
			break;
		if (*t->p++ != ',')
			return -1;
	}
	t->p++;
	t->depth--;
	return 0;
}

static int render_value(struct text *t, int indent, enum lead lead)
{
	if (*t->p == '{')
		return render_container(t, indent, lead);
	if (*t->p == '[') /* a list never shares its parent's line */
		return render_container(t, indent, lead == LEAD_TOP ? LEAD_TOP : LEAD_LINES);
	fputc(' ', t->f);
	if (render_scalar(t) < 0)
		return -1;
	fputc('\n', t->f);
	return 0;
}

int json_print_text(FILE *f, const char *json)
{
	char *buf = NULL;
	size_t len = 0;
	struct text t = { .p = json, .f = open_memstream(&buf, &len) };
	int r;

	if (!t.f)
		return -1;
	skip_blanks(&t);
	r = *t.p == '{' || *t.p == '[' ? render_container(&t, 0, LEAD_TOP) : -1;
	skip_blanks(&t);
	if (fclose(t.f) != 0 || r < 0 || *t.p) {
		free(buf);
		return -1;
	}
	fputs(buf, f);
	free(buf);
	return 0;
}
