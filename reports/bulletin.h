/*
 * Public notices (公告): the plan notice, the task notice (a drawn list)
 * and the result notice, each as CSV, JSON and a standalone HTML page
 * (Chinese typography, a print stylesheet, nothing loaded from outside).
 */
#ifndef SSJ_BULLETIN_H
#define SSJ_BULLETIN_H

#include <stddef.h>

struct buf;

/* One table of a notice under its heading (NULL: none). */
struct bulletin_table {
	char		 *heading;
	char		**columns;
	size_t		  ncolumns;
	char		**cells;	/* nrows * ncolumns, row by row */
	size_t		  nrows;
};

struct bulletin {
	char			*kind;		/* plan, task, result */
	char			*title;
	char			*authority;	/* signs the notice */
	char			*date;		/* "2026年12月3日" */
	char			**paragraphs;	/* before the tables */
	size_t			  nparagraphs;
	struct bulletin_table	*tables;
	size_t			  ntables;
};

void	bulletin_init(struct bulletin *, const char *kind, const char *title,
	    const char *authority, const char *date);
void	bulletin_release(struct bulletin *);
void	bulletin_paragraph(struct bulletin *, const char *);
/* Starts a table with the columns given, NULL-terminated. */
struct bulletin_table *bulletin_table(struct bulletin *, const char *heading,
	    const char *const *columns);
/* Appends a row: exactly ncolumns values. */
void	bulletin_row(struct bulletin_table *, const char *const *values);

/* The rows only (no title, no date), to tell a repeated notice. */
void	bulletin_rows_csv(const struct bulletin *, struct buf *);
/* UTF-8 CSV: the title, then each table (heading, header, rows). */
void	bulletin_csv(const struct bulletin *, struct buf *);
void	bulletin_json(const struct bulletin *, struct buf *);
void	bulletin_html(const struct bulletin *, struct buf *);

#endif
