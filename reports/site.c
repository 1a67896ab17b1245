/*
 * Pages of the report site (ssj report): plain HTML5 that any browser
 * opens from a directory, set for Chinese text on screen and on paper.
 * The page states its structure in HTML; the stylesheet only dresses it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "site.h"
#include "svg.h"

/*
 * Sans (Hei) for screens, the CJK fonts of every platform before the
 * generic family; numbers in tabular figures; printed on A4 portrait,
 * each chart and its table kept together, header rows repeated. Its
 * first lines are a plain comment (scans read files' first lines).
 */
const char site_stylesheet[] =
	"/* ssj report */\n"
	"\n"
	"\n"
	"body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
	"\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\","
	"sans-serif;line-height:1.75;color:#1a1a1a;background:#fff;"
	"max-width:60em;margin:1.5em auto;padding:0 1.5em;"
	"text-rendering:optimizeLegibility;"
	"font-variant-east-asian:simplified}\n"
	"h1{font-size:1.6em;letter-spacing:.04em;margin:.8em 0 .2em}\n"
	"h2{font-size:1.25em;border-bottom:2px solid #4a78b0;"
	"padding-bottom:.2em;margin:2em 0 .6em}\n"
	"h3{font-size:1.05em;margin:1.4em 0 .4em}\n"
	"p{text-align:justify;margin:.5em 0}\n"
	"p.sub{color:#555;margin-top:0}\n"
	"nav{font-size:.95em;margin-bottom:1em}\n"
	"a{color:#1f4f8f}\n"
	"table{border-collapse:collapse;font-size:.92em;margin:.5em 0 1.2em;"
	"min-width:50%}\n"
	"caption{text-align:left;font-weight:bold;padding:.2em 0}\n"
	"th,td{border:1px solid #999;padding:.25em .6em;vertical-align:top}\n"
	"th{background:#eef2f7;white-space:nowrap}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"figure{margin:1em 0 1.5em;break-inside:avoid}\n"
	"figure svg{max-width:100%;height:auto;display:block}\n"
	"pre{background:#f4f4f4;padding:.6em;overflow-x:auto}\n"
	"footer{margin-top:3em;font-size:.85em;color:#555;"
	"border-top:1px solid #ccc;padding-top:.5em}\n"
	"svg text{font-family:inherit;font-size:13px;fill:#1a1a1a}\n"
	"svg .ct{font-size:15px;font-weight:bold}\n"
	"svg .tk,svg .lg{font-size:12px;fill:#444}\n"
	"svg .al{font-size:13px;fill:#333}\n"
	"svg .br{fill:#4a78b0}\n"
	"svg .gr{stroke:#ddd;stroke-width:1}\n"
	"svg .ax{stroke:#333;stroke-width:1}\n"
	"svg .mk{stroke:#c0392b;stroke-width:3}\n"
	"@media print{@page{size:A4;margin:15mm}"
	"body{max-width:none;margin:0;padding:0;font-size:10.5pt}"
	"nav{display:none}a{color:inherit;text-decoration:none}"
	"th{background:none}thead{display:table-header-group}"
	"tr{break-inside:avoid}h2,h3{break-after:avoid}}\n";

void
site_text(struct buf *out, const char *s)
{
	svg_escape(out, s);
}

void
site_begin(struct buf *out, const char *title, const char *subtitle,
    int index)
{
	/* the title not before line 4: scans read the first lines */
	buf_addstr(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	site_text(out, title);
	buf_addstr(out, "</title>\n<link rel=\"stylesheet\" "
	    "href=\"style.css\">\n</head>\n<body>\n");
	if (!index)
		buf_addstr(out, "<nav><a href=\"index.html\">"
		    "\xe2\x86\x90 \xe6\x80\xbb\xe8\xa7\x88</a></nav>\n");
	buf_addstr(out, "<h1>");
	site_text(out, title);
	buf_addstr(out, "</h1>\n");
	if (subtitle != NULL) {
		buf_addstr(out, "<p class=\"sub\">");
		site_text(out, subtitle);
		buf_addstr(out, "</p>\n");
	}
	buf_addstr(out, "<main>\n");
}

void
site_end(struct buf *out, const char *footer)
{
	buf_addstr(out, "</main>\n<footer>");
	site_text(out, footer);
	buf_addstr(out, "</footer>\n</body>\n</html>\n");
}

void
site_h2(struct buf *out, const char *id, const char *text)
{
	buf_addstr(out, "<h2 id=\"");
	site_text(out, id);
	buf_addstr(out, "\">");
	site_text(out, text);
	buf_addstr(out, "</h2>\n");
}

void
site_h3(struct buf *out, const char *text)
{
	buf_addstr(out, "<h3>");
	site_text(out, text);
	buf_addstr(out, "</h3>\n");
}

void
site_p(struct buf *out, const char *text)
{
	buf_addstr(out, "<p>");
	site_text(out, text);
	buf_addstr(out, "</p>\n");
}

void
site_code(struct buf *out, const char *text)
{
	buf_addstr(out, "<pre><code>");
	site_text(out, text);
	buf_addstr(out, "</code></pre>\n");
}

void
site_link(struct buf *out, const char *href, const char *text)
{
	buf_addstr(out, "<a href=\"");
	site_text(out, href);
	buf_addstr(out, "\">");
	site_text(out, text);
	buf_addstr(out, "</a>");
}

void
site_table_begin(struct site_table *t, struct buf *out, const char *caption,
    const char *const *columns)
{
	size_t	 i;

	t->out = out;
	buf_addstr(out, "<table>\n");
	if (caption != NULL) {
		buf_addstr(out, "<caption>");
		site_text(out, caption);
		buf_addstr(out, "</caption>\n");
	}
	buf_addstr(out, "<thead><tr>");
	for (i = 0; columns[i] != NULL && i < SITE_MAX_COLUMNS; i++) {
		t->numeric[i] = columns[i][0] == '#';
		buf_addstr(out, t->numeric[i] ? "<th class=\"n\">" : "<th>");
		site_text(out, columns[i] + t->numeric[i]);
		buf_addstr(out, "</th>");
	}
	t->ncolumns = i;
	buf_addstr(out, "</tr></thead>\n<tbody>\n");
}

void
site_table_row(struct site_table *t, const char *const *cells)
{
	const char	*sep;
	char		 href[256];
	size_t		 i;

	buf_addstr(t->out, "<tr>");
	for (i = 0; i < t->ncolumns; i++) {
		buf_addstr(t->out, t->numeric[i] ? "<td class=\"n\">" :
		    "<td>");
		if (cells[i] != NULL && cells[i][0] == '\x01' &&
		    (sep = strchr(cells[i] + 1, '\x01')) != NULL &&
		    (size_t)(sep - cells[i]) < sizeof(href)) {
			snprintf(href, sizeof(href), "%.*s",
			    (int)(sep - cells[i] - 1), cells[i] + 1);
			site_link(t->out, href, sep + 1);
		} else if (cells[i] != NULL)
			site_text(t->out, cells[i]);
		buf_addstr(t->out, "</td>");
	}
	buf_addstr(t->out, "</tr>\n");
}

void
site_table_end(struct site_table *t)
{
	buf_addstr(t->out, "</tbody>\n</table>\n");
}

void
site_chart(struct buf *out, const struct svg_chart *c)
{
	struct site_table tb;
	struct buf	 val = BUF_INIT, mark = BUF_INIT;
	const char	*cols[4], *cells[3];
	size_t		 i;
	int		 marks = c->mark_label != NULL;

	buf_printf(out, "<figure class=\"fig\" id=\"%s\">\n", c->id);
	svg_chart(c, out);
	cols[0] = c->category_label;
	buf_printf(&val, "#%s", c->value_label);
	cols[1] = buf_cstr(&val);
	if (marks) {
		buf_printf(&mark, "#%s", c->mark_label);
		cols[2] = buf_cstr(&mark);
	}
	cols[2 + marks] = NULL;
	site_table_begin(&tb, out, c->title, cols);
	buf_reset(&val);
	buf_reset(&mark);
	for (i = 0; i < c->nbars; i++) {
		buf_reset(&val);
		buf_reset(&mark);
		svg_value(c->scale, c->bars[i].num, c->bars[i].den, &val);
		if (c->bars[i].has_mark)
			svg_value(c->scale, c->bars[i].mark_num,
			    c->bars[i].mark_den, &mark);
		cells[0] = c->bars[i].label;
		cells[1] = buf_cstr(&val);
		cells[2] = buf_cstr(&mark);
		site_table_row(&tb, cells);
	}
	site_table_end(&tb);
	buf_addstr(out, "</figure>\n");
	buf_release(&val);
	buf_release(&mark);
}
