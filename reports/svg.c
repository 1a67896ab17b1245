/*
 * Bar charts and histograms as inline SVG for the report site. No chart
 * library: a few rectangles, lines and texts, laid out in whole pixels
 * from exact fractions, styled by the page's stylesheet (classes below),
 * readable without it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "svg.h"

#define WIDTH		760	/* the whole chart */
#define TOP		44	/* the title, the legend */
#define BAR_H		20	/* horizontal bars */
#define BAR_GAP		10
#define BAR_LEFT	250	/* the labels' column */
#define BAR_RIGHT	90	/* the values' column */
#define COL_LEFT	70	/* columns: the value axis */
#define COL_RIGHT	20
#define COL_H		200	/* the plot's height */
#define BOTTOM		56	/* ticks and the axis label */
#define MAX_LABEL	17	/* characters of a bar's label shown */

void
svg_escape(struct buf *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
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
		default:
			/* XML 1.0 has no place for control characters */
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				buf_addch(out, *s);
		}
	}
}

/* At most max characters (UTF-8 code points) of s, then "…". */
static void
escape_short(struct buf *out, const char *s, size_t max)
{
	struct buf	 tmp = BUF_INIT;
	size_t		 i, n = 0;

	for (i = 0; s != NULL && s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && n++ == max) {
			buf_addstr(&tmp, "\xe2\x80\xa6");
			break;
		}
		buf_addch(&tmp, s[i]);
	}
	svg_escape(out, buf_cstr(&tmp));
	buf_release(&tmp);
}

void
svg_value(enum svg_scale scale, uint64_t num, uint64_t den, struct buf *out)
{
	uint64_t	 tenths;

	if (den == 0) {
		buf_addstr(out, "\xe2\x80\x94");	/* — */
		return;
	}
	if (scale == SVG_COUNT) {
		buf_printf(out, "%llu", (unsigned long long)(num / den));
		return;
	}
	/* tenths of a percent, rounded half up: (2 * 1000 num + den) / 2den */
	tenths = (2000 * num + den) / (2 * den);
	buf_printf(out, "%llu.%llu%%", (unsigned long long)(tenths / 10),
	    (unsigned long long)(tenths % 10));
}

uint64_t
svg_axis_max(uint64_t max, uint64_t *step)
{
	static const uint64_t	 mant[] = { 1, 2, 5 };
	uint64_t		 pow = 1, s, n;
	size_t			 i;

	if (max == 0)
		max = 1;
	for (;;) {
		for (i = 0; i < 3; i++) {
			s = mant[i] * pow;
			n = (max + s - 1) / s;
			if (n <= 5) {
				*step = s;
				return n * s;
			}
		}
		pow *= 10;
	}
}

/*
 * Pixels of the fraction num/den of an axis reaching amax (a count, or 1
 * for percentages) over width: floor(width * num / (den * amax)),
 * clamped to the axis.
 */
static uint64_t
px(uint64_t num, uint64_t den, uint64_t amax, uint64_t width)
{
	uint64_t	 v;

	if (den == 0 || amax == 0)
		return 0;
	/* the values are small next to 2^64 / width; stay safe anyway */
	if (num > UINT64_MAX / width / 2)
		return width;
	v = num * width / den / amax;
	return v > width ? width : v;
}

/* The axis of the chart: its top value and the step of its ticks. */
static uint64_t
axis(const struct svg_chart *c, uint64_t *step)
{
	uint64_t	 max = 0, v;
	size_t		 i;

	if (c->scale == SVG_PERCENT) {
		*step = 25;	/* percent */
		return 1;
	}
	for (i = 0; i < c->nbars; i++) {
		if (c->bars[i].den != 0 &&
		    (v = c->bars[i].num / c->bars[i].den) > max)
			max = v;
		if (c->bars[i].has_mark && c->bars[i].mark_den != 0 &&
		    (v = (c->bars[i].mark_num + c->bars[i].mark_den - 1) /
		    c->bars[i].mark_den) > max)
			max = v;
	}
	return svg_axis_max(max, step);
}

static void
tick_text(const struct svg_chart *c, uint64_t t, struct buf *out)
{
	if (c->scale == SVG_PERCENT)
		buf_printf(out, "%llu%%", (unsigned long long)t);
	else
		buf_printf(out, "%llu", (unsigned long long)t);
}

static void
head(const struct svg_chart *c, unsigned int height, struct buf *out)
{
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart\" role=\"img\" viewBox=\"0 0 %d %u\" "
	    "width=\"%d\" height=\"%u\" aria-labelledby=\"%s-t\">\n"
	    "<title id=\"%s-t\">", WIDTH, height, WIDTH, height, c->id, c->id);
	svg_escape(out, c->title);
	buf_printf(out, "</title>\n<text class=\"ct\" x=\"%d\" y=\"20\" "
	    "text-anchor=\"middle\">", WIDTH / 2);
	svg_escape(out, c->title);
	buf_addstr(out, "</text>\n");
	if (c->mark_label != NULL) {
		buf_printf(out, "<line class=\"mk\" x1=\"%d\" y1=\"28\" "
		    "x2=\"%d\" y2=\"40\"/><text class=\"lg\" x=\"%d\" y=\"38\">",
		    WIDTH - 200, WIDTH - 200, WIDTH - 194);
		svg_escape(out, c->mark_label);
		buf_addstr(out, "</text>\n");
	}
}

static void
hbars(const struct svg_chart *c, struct buf *out)
{
	const struct svg_bar	*b;
	uint64_t		 amax, step, t, w, m, pw;
	unsigned int		 height, y, x0 = BAR_LEFT, i;

	pw = WIDTH - BAR_LEFT - BAR_RIGHT;
	amax = axis(c, &step);
	height = TOP + (unsigned int)c->nbars * (BAR_H + BAR_GAP) + BOTTOM;
	head(c, height, out);
	y = TOP + (unsigned int)c->nbars * (BAR_H + BAR_GAP);
	/* the grid and its ticks along the value axis */
	for (t = 0; t <= (c->scale == SVG_PERCENT ? 100 : amax); t += step) {
		w = c->scale == SVG_PERCENT ? px(t, 100, 1, pw) :
		    px(t, 1, amax, pw);
		buf_printf(out, "<line class=\"gr\" x1=\"%llu\" y1=\"%d\" "
		    "x2=\"%llu\" y2=\"%u\"/><text class=\"tk\" x=\"%llu\" "
		    "y=\"%u\" text-anchor=\"middle\">",
		    (unsigned long long)(x0 + w), TOP - 4,
		    (unsigned long long)(x0 + w), y,
		    (unsigned long long)(x0 + w), y + 16);
		tick_text(c, t, out);
		buf_addstr(out, "</text>\n");
	}
	buf_printf(out, "<line class=\"ax\" x1=\"%u\" y1=\"%d\" x2=\"%u\" "
	    "y2=\"%u\"/>\n", x0, TOP - 4, x0, y);
	for (i = 0; i < c->nbars; i++) {
		b = &c->bars[i];
		y = TOP + i * (BAR_H + BAR_GAP);
		w = c->scale == SVG_PERCENT ? px(b->num, b->den, 1, pw) :
		    px(b->num, b->den, amax, pw);
		buf_printf(out, "<text class=\"lb\" x=\"%u\" y=\"%u\" "
		    "text-anchor=\"end\">", x0 - 6, y + BAR_H - 5);
		escape_short(out, b->label, MAX_LABEL);
		buf_printf(out, "</text>\n<rect class=\"br\" x=\"%u\" y=\"%u\" "
		    "width=\"%llu\" height=\"%d\"/>\n", x0, y,
		    (unsigned long long)w, BAR_H);
		m = w;
		if (b->has_mark) {
			m = c->scale == SVG_PERCENT ? px(b->mark_num,
			    b->mark_den, 1, pw) : px(b->mark_num,
			    b->mark_den, amax, pw);
			buf_printf(out, "<line class=\"mk\" x1=\"%llu\" "
			    "y1=\"%u\" x2=\"%llu\" y2=\"%u\"/>\n",
			    (unsigned long long)(x0 + m), y - 3,
			    (unsigned long long)(x0 + m), y + BAR_H + 3);
			if (m < w)
				m = w;
		}
		buf_printf(out, "<text class=\"vl\" x=\"%llu\" y=\"%u\">",
		    (unsigned long long)(x0 + m + 6), y + BAR_H - 5);
		svg_value(c->scale, b->num, b->den, out);
		buf_addstr(out, "</text>\n");
	}
	y = TOP + (unsigned int)c->nbars * (BAR_H + BAR_GAP);
	buf_printf(out, "<text class=\"al\" x=\"%llu\" y=\"%u\" "
	    "text-anchor=\"middle\">", (unsigned long long)(x0 + pw / 2),
	    y + 40);
	svg_escape(out, c->value_label);
	buf_printf(out, "</text>\n<text class=\"al\" x=\"14\" y=\"%u\" "
	    "text-anchor=\"middle\" transform=\"rotate(-90 14 %u)\">",
	    TOP + (y - TOP) / 2, TOP + (y - TOP) / 2);
	svg_escape(out, c->category_label);
	buf_addstr(out, "</text>\n</svg>\n");
}

static void
vcolumns(const struct svg_chart *c, struct buf *out)
{
	const struct svg_bar	*b;
	uint64_t		 amax, step, t, h;
	unsigned int		 height, base, cw, x, i;

	amax = axis(c, &step);
	height = TOP + COL_H + BOTTOM;
	base = TOP + COL_H;
	cw = c->nbars > 0 ? (WIDTH - COL_LEFT - COL_RIGHT) /
	    (unsigned int)c->nbars : 0;
	if (cw > 60)
		cw = 60;
	head(c, height, out);
	for (t = 0; t <= (c->scale == SVG_PERCENT ? 100 : amax); t += step) {
		h = c->scale == SVG_PERCENT ? px(t, 100, 1, COL_H) :
		    px(t, 1, amax, COL_H);
		buf_printf(out, "<line class=\"gr\" x1=\"%d\" y1=\"%llu\" "
		    "x2=\"%d\" y2=\"%llu\"/><text class=\"tk\" x=\"%d\" "
		    "y=\"%llu\" text-anchor=\"end\">", COL_LEFT,
		    (unsigned long long)(base - h), WIDTH - COL_RIGHT,
		    (unsigned long long)(base - h), COL_LEFT - 6,
		    (unsigned long long)(base - h + 4));
		tick_text(c, t, out);
		buf_addstr(out, "</text>\n");
	}
	buf_printf(out, "<line class=\"ax\" x1=\"%d\" y1=\"%u\" x2=\"%d\" "
	    "y2=\"%u\"/>\n", COL_LEFT, base, WIDTH - COL_RIGHT, base);
	for (i = 0; i < c->nbars; i++) {
		b = &c->bars[i];
		x = COL_LEFT + i * cw;
		h = c->scale == SVG_PERCENT ? px(b->num, b->den, 1, COL_H) :
		    px(b->num, b->den, amax, COL_H);
		buf_printf(out, "<rect class=\"br\" x=\"%u\" y=\"%llu\" "
		    "width=\"%u\" height=\"%llu\"/>\n<text class=\"vl\" "
		    "x=\"%u\" y=\"%llu\" text-anchor=\"middle\">", x + 2,
		    (unsigned long long)(base - h), cw > 4 ? cw - 4 : 1,
		    (unsigned long long)h, x + cw / 2,
		    (unsigned long long)(base - h - 4));
		svg_value(c->scale, b->num, b->den, out);
		buf_printf(out, "</text>\n<text class=\"tk\" x=\"%u\" "
		    "y=\"%u\" text-anchor=\"middle\">", x + cw / 2, base + 16);
		escape_short(out, b->label, 6);
		buf_addstr(out, "</text>\n");
	}
	if (c->limit_label != NULL && c->limit_after < c->nbars) {
		x = COL_LEFT + ((unsigned int)c->limit_after + 1) * cw;
		buf_printf(out, "<line class=\"mk\" x1=\"%u\" y1=\"%d\" "
		    "x2=\"%u\" y2=\"%u\"/><text class=\"lg\" x=\"%u\" "
		    "y=\"%d\">", x, TOP, x, base, x + 4, TOP + 12);
		svg_escape(out, c->limit_label);
		buf_addstr(out, "</text>\n");
	}
	buf_printf(out, "<text class=\"al\" x=\"%d\" y=\"%u\" "
	    "text-anchor=\"middle\">", COL_LEFT + (WIDTH - COL_LEFT -
	    COL_RIGHT) / 2, base + 44);
	svg_escape(out, c->category_label);
	buf_printf(out, "</text>\n<text class=\"al\" x=\"16\" y=\"%d\" "
	    "text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">",
	    TOP + COL_H / 2, TOP + COL_H / 2);
	svg_escape(out, c->value_label);
	buf_addstr(out, "</text>\n</svg>\n");
}

void
svg_chart(const struct svg_chart *c, struct buf *out)
{
	if (c->columns)
		vcolumns(c, out);
	else
		hbars(c, out);
}
