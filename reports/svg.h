/*
 * Charts as inline SVG, written by hand: horizontal bars with an optional
 * mark per bar (the plan's target), and vertical columns (a histogram)
 * with an optional limit (a cap). Integer arithmetic only, so that the
 * same data gives the same bytes on every machine; every chart has a
 * title, both axis labels and each value as text.
 */
#ifndef SSJ_SVG_H
#define SSJ_SVG_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum svg_scale {
	SVG_COUNT,		/* values are counts: num/1 */
	SVG_PERCENT,		/* values are fractions num/den of 1 */
};

struct svg_bar {
	const char	*label;		/* the category */
	uint64_t	 num;		/* the value num/den; den 0 reads as */
	uint64_t	 den;		/*   no value (drawn empty, "—") */
	int		 has_mark;
	uint64_t	 mark_num;	/* the mark mark_num/mark_den */
	uint64_t	 mark_den;
};

struct svg_chart {
	const char		*id;		/* unique in the page */
	const char		*title;
	const char		*category_label;	/* the axis of labels */
	const char		*value_label;	/* the axis of values */
	const char		*mark_label;	/* what the marks are; NULL */
	enum svg_scale		 scale;
	const struct svg_bar	*bars;
	size_t			 nbars;
	int			 columns;	/* vertical columns */
	size_t			 limit_after;	/* columns: a line after this */
	const char		*limit_label;	/*   bar (0-based), if set */
};

/* Appends the chart as one <svg> element. */
void		svg_chart(const struct svg_chart *, struct buf *out);
/*
 * A value as the chart prints it: a count as an integer, a fraction as
 * a percentage with one decimal, rounded half up ("12.5%"); "—" when
 * den is 0.
 */
void		svg_value(enum svg_scale, uint64_t num, uint64_t den,
		    struct buf *out);
/* XML text: & < > " escaped, control characters dropped. */
void		svg_escape(struct buf *, const char *);
/*
 * The axis of counts up to max: the smallest multiple of a step (1, 2,
 * 5 times a power of ten) that reaches max in at most 5 steps.
 */
uint64_t	svg_axis_max(uint64_t max, uint64_t *step);

#endif
