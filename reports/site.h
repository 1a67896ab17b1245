/*
 * The report site's pages: HTML written into a buffer -- the head with
 * the one stylesheet, headings, paragraphs, tables, and charts (svg.h)
 * each followed by a table of the same data, for screen readers and
 * copy-paste. No script, nothing fetched from elsewhere.
 */
#ifndef SSJ_SITE_H
#define SSJ_SITE_H

#include <stddef.h>

#include "svg.h"

struct buf;

/* The site's stylesheet, written as style.css beside the pages. */
extern const char	 site_stylesheet[];

/*
 * Starts a page: title (also its <h1>), a subtitle line (NULL: none) and
 * a link back to the index unless the page is the index.
 */
void	site_begin(struct buf *, const char *title, const char *subtitle,
	    int index);
/* Ends it with a footer line. */
void	site_end(struct buf *, const char *footer);
void	site_h2(struct buf *, const char *id, const char *text);
void	site_h3(struct buf *, const char *text);
void	site_p(struct buf *, const char *text);
/* Preformatted text, e.g. a command to run. */
void	site_code(struct buf *, const char *text);
/* Text, HTML-escaped. */
void	site_text(struct buf *, const char *text);
/* <a href=...>text</a>; href is a file name of the site. */
void	site_link(struct buf *, const char *href, const char *text);

/*
 * A table: columns NULL-terminated (at most SITE_MAX_COLUMNS); a column
 * whose name starts with '#' is numeric (right-aligned, the '#' not
 * shown). Rows are a cell per column; a cell starting with '\x01' is a
 * link: "\x01href\x01text".
 */
#define SITE_MAX_COLUMNS	16
struct site_table {
	struct buf	*out;
	size_t		 ncolumns;
	char		 numeric[SITE_MAX_COLUMNS];
};

void	site_table_begin(struct site_table *, struct buf *, const char *caption,
	    const char *const *columns);
void	site_table_row(struct site_table *, const char *const *cells);
void	site_table_end(struct site_table *);

/*
 * A chart and, beside it, the same data as a table: the category, the
 * value, and the mark where the chart has marks.
 */
void	site_chart(struct buf *, const struct svg_chart *);

#endif
