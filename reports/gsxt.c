/*
 * GSXT result records as CSV and JSON, and the national publication form
 * of plan and task numbers (domain.md §4.2).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "calendar.h"
#include "config.h"
#include "gsxt.h"
#include "xmalloc.h"

void
gsxt_record_release(struct gsxt_record *r)
{
	size_t	 i;

	for (i = 0; i < r->ndetails; i++) {
		free(r->details[i].item);
		free(r->details[i].result);
	}
	free(r->details);
	free(r->id);
	free(r->replaces);
	free(r->reason);
	free(r->plan_id);
	free(r->plan_name);
	free(r->task_id);
	free(r->task_name);
	free(r->type);
	free(r->authority);
	free(r->name);
	free(r->uscc);
	free(r->date);
	memset(r, 0, sizeof(*r));
}

static int
all_digits(const char *s, size_t n)
{
	size_t	 i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

char *
gsxt_plan_number(const struct config *cfg)
{
	const char	*id = cfg->plan_id;

	if (all_digits(id, 14) && id[10] == '1')
		return xstrdup(id);
	if (all_digits(id, 13))
		return xasprintf("%.10s1%s", id, id + 10);
	return xasprintf("%.6s%04d1001", cfg->division, cfg->year);
}

char *
gsxt_task_number(const struct config *cfg, const struct config_batch *b)
{
	const struct config_batch	*o;
	size_t				 i, j;
	int				 y, m, d, seq = 0;

	for (i = 0; i < cfg->ntasks; i++)
		for (j = 0; j < cfg->tasks[i].nbatches; j++) {
			o = &cfg->tasks[i].batches[j];
			if (o->draw_date == b->draw_date)
				seq++;
			if (o == b)
				goto found;
		}
found:
	date_to_ymd(b->draw_date, &y, &m, &d);
	return xasprintf("%.6s%04d%02d%02d1%03d", cfg->division, y, m, d,
	    seq);
}

void
gsxt_csv_field(struct buf *b, const char *s, int last)
{
	const char	*p;

	if (strpbrk(s, ",\"\r\n") == NULL && *s != ' ' && *s != '\t' &&
	    (*s == '\0' || (s[strlen(s) - 1] != ' ' &&
	    s[strlen(s) - 1] != '\t')))
		buf_addstr(b, s);
	else {
		buf_addch(b, '"');
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				buf_addch(b, '"');
			buf_addch(b, *p);
		}
		buf_addch(b, '"');
	}
	buf_addstr(b, last ? "\r\n" : ",");
}

void
gsxt_json_string(struct buf *b, const char *s)
{
	const unsigned char	*p;

	buf_addch(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			buf_addstr(b, "\\n");
		else if (*p == '\r')
			buf_addstr(b, "\\r");
		else if (*p == '\t')
			buf_addstr(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\u%04x", *p);
		else
			buf_addch(b, *p);
	}
	buf_addch(b, '"');
}

static const char *const csv_header[] = {
	"记录编号", "抽查计划编号", "抽查计划名称", "抽查任务编号", "抽查任务名称",
	"抽查类型", "检查机关", "市场主体名称", "统一社会信用代码/注册号",
	"检查完成日期", "检查事项", "检查结果", NULL
};

void
gsxt_csv(const struct gsxt_record *v, size_t n, int corrections,
    struct buf *out)
{
	const struct gsxt_record	*r;
	size_t				 i, j, k;

	for (k = 0; csv_header[k] != NULL; k++)
		gsxt_csv_field(out, csv_header[k], !corrections &&
		    csv_header[k + 1] == NULL);
	if (corrections) {
		gsxt_csv_field(out, "更正记录编号", 0);
		gsxt_csv_field(out, "更正原因", 1);
	}
	for (i = 0; i < n; i++) {
		r = &v[i];
		for (j = 0; j < r->ndetails; j++) {
			gsxt_csv_field(out, r->id, 0);
			gsxt_csv_field(out, r->plan_id, 0);
			gsxt_csv_field(out, r->plan_name, 0);
			gsxt_csv_field(out, r->task_id, 0);
			gsxt_csv_field(out, r->task_name, 0);
			gsxt_csv_field(out, r->type, 0);
			gsxt_csv_field(out, r->authority, 0);
			gsxt_csv_field(out, r->name, 0);
			gsxt_csv_field(out, r->uscc, 0);
			gsxt_csv_field(out, r->date, 0);
			gsxt_csv_field(out, r->details[j].item, 0);
			gsxt_csv_field(out, r->details[j].result,
			    !corrections);
			if (corrections) {
				gsxt_csv_field(out, r->replaces != NULL ?
				    r->replaces : "", 0);
				gsxt_csv_field(out, r->reason != NULL ?
				    r->reason : "", 1);
			}
		}
	}
}

static void
json_member(struct buf *b, const char *key, const char *value, int comma)
{
	gsxt_json_string(b, key);
	buf_addch(b, ':');
	gsxt_json_string(b, value);
	if (comma)
		buf_addch(b, ',');
}

void
gsxt_json(const struct gsxt_record *v, size_t n, int corrections,
    struct buf *out)
{
	const struct gsxt_record	*r;
	size_t				 i, j;

	buf_addstr(out, "[");
	for (i = 0; i < n; i++) {
		r = &v[i];
		buf_addstr(out, i > 0 ? ",\n{" : "\n{");
		json_member(out, "recordId", r->id, 1);
		if (corrections) {
			json_member(out, "replaces", r->replaces != NULL ?
			    r->replaces : "", 1);
			json_member(out, "correctionReason", r->reason !=
			    NULL ? r->reason : "", 1);
		}
		json_member(out, "raninsPlanId", r->plan_id, 1);
		/* sic: the GSXT's own spelling */
		json_member(out, "raninsPlaneName", r->plan_name, 1);
		json_member(out, "raninsTaskId", r->task_id, 1);
		json_member(out, "raninsTaskName", r->task_name, 1);
		json_member(out, "raninsTypeName", r->type, 1);
		json_member(out, "insAuth", r->authority, 1);
		json_member(out, "entName", r->name, 1);
		json_member(out, "uniscId", r->uscc, 1);
		json_member(out, "insDate", r->date, 1);
		buf_addstr(out, "\"details\":[");
		for (j = 0; j < r->ndetails; j++) {
			buf_addstr(out, j > 0 ? ",{" : "{");
			json_member(out, "raninsItemName", r->details[j].item,
			    1);
			json_member(out, "raninsCheckResName",
			    r->details[j].result, 0);
			buf_addch(out, '}');
		}
		buf_addstr(out, "]}");
	}
	buf_addstr(out, n > 0 ? "\n]\n" : "]\n");
}
