/*
 * Values in the forms offices and spreadsheets write them: dates, months,
 * yes/no, GB/T 2260 prefixes, and the telltales of a spreadsheet that
 * changed a cell before saving (scientific notation, day numbers).
 */
#ifndef SSJ_CELL_H
#define SSJ_CELL_H

#include <stddef.h>

#include "calendar.h"

/* What cell_date() accepts, for messages and the manual. */
#define CELL_DATE_FORMS	"2026-01-05, 2026-1-5, 2026/1/5, 2026.1.5, " \
	"2026年1月5日 or 20260105"
#define CELL_MONTH_FORMS "2026-01, 2026-1, 2026/1, 2026.1, 2026年1月, " \
	"202601 or any date of the month"
#define CELL_BOOL_FORMS	"是/否, Y/N, yes/no, 1/0, true/false, 有/无, √/×"

/*
 * A date with the year first and four digits long, which no spreadsheet
 * locale misreads: YYYY-M-D, YYYY/M/D or YYYY.M.D (one or two digits for
 * the month and day, the same separator twice), YYYY年M月D日, YYYYMMDD.
 * -1 for anything else, including a day the month does not have.
 */
int	cell_date(const char *, size_t, day_t *);
/* A month: the forms above without the day, YYYYMM, or a whole date. */
int	cell_month(const char *, size_t, day_t *);
/* Yes (1) or no (0) in any spelling of CELL_BOOL_FORMS (any case). */
int	cell_bool(const char *, size_t, int *);
/* "9.13607E+17": a long number a spreadsheet has already rounded. */
int	cell_scientific(const char *, size_t);
/* "46027": a date a spreadsheet wrote as its day number. */
int	cell_day_number(const char *, size_t);
/*
 * A GB/T 2260 division or prefix of 2, 4 or 6 digits as the six-digit
 * code that means the same (a province or city code ends in zeros):
 * "36" is 360000, "3602" is 360200. -1 for anything else.
 */
int	cell_division(const char *, size_t, char out[7]);
/* Edit distance in characters (UTF-8), at most 255. */
unsigned	cell_distance(const char *, const char *);

#endif
