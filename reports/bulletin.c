/*
 * Public notices written three ways: CSV for spreadsheets, JSON for
 * machines, and an HTML page that reads well on screen and on paper.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "bulletin.h"
#include "gsxt.h"
#include "xmalloc.h"

void
bulletin_init(struct bulletin *b, const char *kind, const char *title,
    const char *authority, const char *date)
{
	memset(b, 0, sizeof(*b));
	b->kind = xstrdup(kind);
	b->title = xstrdup(title);
	b->authority = xstrdup(authority);
	b->date = xstrdup(date);
}

void
bulletin_release(struct bulletin *b)
{
	struct bulletin_table	*t;
	size_t			 i, j;

	for (i = 0; i < b->nparagraphs; i++)
		free(b->paragraphs[i]);
	free(b->paragraphs);
	for (i = 0; i < b->ntables; i++) {
		t = &b->tables[i];
		for (j = 0; j < t->ncolumns; j++)
			free(t->columns[j]);
		for (j = 0; j < t->nrows * t->ncolumns; j++)
			free(t->cells[j]);
		free(t->columns);
		free(t->cells);
		free(t->heading);
	}
	free(b->tables);
	free(b->kind);
	free(b->title);
	free(b->authority);
	free(b->date);
	memset(b, 0, sizeof(*b));
}

void
bulletin_paragraph(struct bulletin *b, const char *text)
{
	b->paragraphs = xreallocarray(b->paragraphs, b->nparagraphs + 1,
	    sizeof(*b->paragraphs));
	b->paragraphs[b->nparagraphs++] = xstrdup(text);
}

struct bulletin_table *
bulletin_table(struct bulletin *b, const char *heading,
    const char *const *columns)
{
	struct bulletin_table	*t;
	size_t			 n;

	b->tables = xreallocarray(b->tables, b->ntables + 1,
	    sizeof(*b->tables));
	t = &b->tables[b->ntables++];
	memset(t, 0, sizeof(*t));
	t->heading = heading != NULL ? xstrdup(heading) : NULL;
	for (n = 0; columns[n] != NULL; n++)
		;
	t->ncolumns = n;
	t->columns = xcalloc(n + 1, sizeof(*t->columns));
	for (n = 0; n < t->ncolumns; n++)
		t->columns[n] = xstrdup(columns[n]);
	return t;
}

void
bulletin_row(struct bulletin_table *t, const char *const *values)
{
	size_t	 i;

	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncolumns,
	    sizeof(*t->cells));
	for (i = 0; i < t->ncolumns; i++)
		t->cells[t->nrows * t->ncolumns + i] = xstrdup(values[i] !=
		    NULL ? values[i] : "");
	t->nrows++;
}

static void
table_csv(const struct bulletin_table *t, struct buf *out)
{
	size_t	 r, c;

	for (c = 0; c < t->ncolumns; c++)
		gsxt_csv_field(out, t->columns[c], c + 1 == t->ncolumns);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncolumns; c++)
			gsxt_csv_field(out, t->cells[r * t->ncolumns + c],
			    c + 1 == t->ncolumns);
}

void
bulletin_rows_csv(const struct bulletin *b, struct buf *out)
{
	size_t	 i;

	for (i = 0; i < b->ntables; i++)
		table_csv(&b->tables[i], out);
}

void
bulletin_csv(const struct bulletin *b, struct buf *out)
{
	size_t	 i;

	gsxt_csv_field(out, b->title, 1);
	for (i = 0; i < b->ntables; i++) {
		buf_addstr(out, "\r\n");
		if (b->tables[i].heading != NULL)
			gsxt_csv_field(out, b->tables[i].heading, 1);
		table_csv(&b->tables[i], out);
	}
	buf_addstr(out, "\r\n");
	gsxt_csv_field(out, b->authority, 1);
	gsxt_csv_field(out, b->date, 1);
}

void
bulletin_json(const struct bulletin *b, struct buf *out)
{
	const struct bulletin_table	*t;
	size_t				 i, r, c;

	buf_addstr(out, "{\"kind\":");
	gsxt_json_string(out, b->kind);
	buf_addstr(out, ",\"title\":");
	gsxt_json_string(out, b->title);
	buf_addstr(out, ",\"authority\":");
	gsxt_json_string(out, b->authority);
	buf_addstr(out, ",\"date\":");
	gsxt_json_string(out, b->date);
	buf_addstr(out, ",\"paragraphs\":[");
	for (i = 0; i < b->nparagraphs; i++) {
		if (i > 0)
			buf_addch(out, ',');
		gsxt_json_string(out, b->paragraphs[i]);
	}
	buf_addstr(out, "],\"tables\":[");
	for (i = 0; i < b->ntables; i++) {
		t = &b->tables[i];
		buf_addstr(out, i > 0 ? ",\n{\"heading\":" : "\n{\"heading\":");
		if (t->heading != NULL)
			gsxt_json_string(out, t->heading);
		else
			buf_addstr(out, "null");
		buf_addstr(out, ",\"rows\":[");
		for (r = 0; r < t->nrows; r++) {
			buf_addstr(out, r > 0 ? ",\n{" : "\n{");
			for (c = 0; c < t->ncolumns; c++) {
				if (c > 0)
					buf_addch(out, ',');
				gsxt_json_string(out, t->columns[c]);
				buf_addch(out, ':');
				gsxt_json_string(out,
				    t->cells[r * t->ncolumns + c]);
			}
			buf_addch(out, '}');
		}
		buf_addstr(out, "]}");
	}
	buf_addstr(out, "]}\n");
}

static void
html_text(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			buf_addstr(out, "&amp;");
			break;
		case '<':
			buf_addstr(out, "&lt;");
			break;
		case '>':
			buf_addstr(out, "&gt;");
			break;
		case '"':
			buf_addstr(out, "&quot;");
			break;
		case '\n':
			buf_addstr(out, "<br>");
			break;
		default:
			buf_addch(out, *s);
		}
	}
}

/*
 * Song (serif) for the text as official notices are set, Hei (sans) for
 * the headings; CJK fonts of every platform before the generic family.
 * Printed: A4 landscape, header rows repeated, no row split.
 */
static const char style[] =
	"body{font-family:\"Noto Serif CJK SC\",\"Source Han Serif SC\","
	"\"Songti SC\",SimSun,serif;line-height:1.75;color:#111;"
	"max-width:72em;margin:2em auto;padding:0 1.5em;"
	"text-rendering:optimizeLegibility}\n"
	"h1,h2,th{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
	"\"PingFang SC\",\"Microsoft YaHei\",sans-serif}\n"
	"h1{font-size:1.6em;text-align:center;letter-spacing:.05em;"
	"margin:1em 0}\n"
	"h2{font-size:1.15em;margin:1.5em 0 .5em}\n"
	"p{text-indent:2em;text-align:justify;margin:.5em 0}\n"
	"table{border-collapse:collapse;width:100%;font-size:.9em;"
	"margin:.5em 0 1em}\n"
	"th,td{border:1px solid #555;padding:.3em .5em;vertical-align:top}\n"
	"th{background:#eee;font-weight:bold;white-space:nowrap}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	".sign{text-align:right;margin-top:2em;text-indent:0}\n"
	"@media print{@page{size:A4 landscape;margin:15mm}"
	"body{max-width:none;margin:0;padding:0;font-size:10.5pt}"
	"th{background:none}thead{display:table-header-group}"
	"tr{break-inside:avoid}}\n";

void
bulletin_html(const struct bulletin *b, struct buf *out)
{
	const struct bulletin_table	*t;
	size_t				 i, r, c;

	buf_addstr(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	html_text(out, b->title);
	buf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
	    "<h1>", style);
	html_text(out, b->title);
	buf_addstr(out, "</h1>\n");
	for (i = 0; i < b->nparagraphs; i++) {
		buf_addstr(out, "<p>");
		html_text(out, b->paragraphs[i]);
		buf_addstr(out, "</p>\n");
	}
	for (i = 0; i < b->ntables; i++) {
		t = &b->tables[i];
		if (t->heading != NULL) {
			buf_addstr(out, "<h2>");
			html_text(out, t->heading);
			buf_addstr(out, "</h2>\n");
		}
		buf_addstr(out, "<table>\n<thead><tr>");
		for (c = 0; c < t->ncolumns; c++) {
			buf_addstr(out, "<th>");
			html_text(out, t->columns[c]);
			buf_addstr(out, "</th>");
		}
		buf_addstr(out, "</tr></thead>\n<tbody>\n");
		for (r = 0; r < t->nrows; r++) {
			buf_addstr(out, "<tr>");
			for (c = 0; c < t->ncolumns; c++) {
				buf_addstr(out, strcmp(t->columns[c], "序号")
				    == 0 ? "<td class=\"n\">" : "<td>");
				html_text(out, t->cells[r * t->ncolumns + c]);
				buf_addstr(out, "</td>");
			}
			buf_addstr(out, "</tr>\n");
		}
		buf_addstr(out, "</tbody>\n</table>\n");
	}
	buf_addstr(out, "<p class=\"sign\">");
	html_text(out, b->authority);
	buf_addstr(out, "<br>");
	html_text(out, b->date);
	buf_addstr(out, "</p>\n</body>\n</html>\n");
}
