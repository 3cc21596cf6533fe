/* SPDX-License-Identifier: Apache-2.0 */
#include "oci/jsonw.h"

void oci_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", f);
		else if (*c == '\t')
			fputs("\\t", f);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(f, "\\u%04x", *c);
		else
			fputc(*c, f);
	}
	fputc('"', f);
}

void oci_json_annotations(FILE *f, const struct oci_annotations *a)
{
	fputc('{', f);
	for (size_t i = 0; i < a->n; i++) {
		if (i)
			fputc(',', f);
		oci_json_string(f, a->v[i].key);
		fputc(':', f);
		oci_json_string(f, a->v[i].value);
	}
	fputc('}', f);
}
