/*
 * Result files for the 国家企业信用信息公示系统 (GSXT): the 双随机抽查结果
 * records (domain.md §4.2) as CSV for people and JSON with the GSXT keys,
 * and the plan and task numbers in the national publication form.
 */
#ifndef SSJ_GSXT_H
#define SSJ_GSXT_H

#include <stddef.h>

struct buf;
struct config;
struct config_batch;
struct config_task;

struct gsxt_detail {
	char		*item;		/* 检查事项 */
	char		*result;	/* 检查结果, the names */
};

/* One target's published result (双随机抽查结果信息). */
struct gsxt_record {
	char			*id;		/* batch/uscc/publication */
	char			*replaces;	/* the record corrected; NULL */
	char			*reason;	/* 更正原因 of a correction */
	char			*plan_id;	/* raninsPlanId */
	char			*plan_name;
	char			*task_id;	/* raninsTaskId */
	char			*task_name;
	char			*type;		/* 定向 / 不定向 */
	char			*authority;	/* insAuth */
	char			*name;		/* 市场主体名称 */
	char			*uscc;		/* 统一社会信用代码/注册号 */
	char			*date;		/* insDate */
	struct gsxt_detail	*details;
	size_t			 ndetails;
};

void	gsxt_record_release(struct gsxt_record *);

/*
 * 抽查计划编号: division(6) year(4) "1" seq(3); a plan id of the form
 * division year seq is completed with the "1". Returns a new string.
 */
char	*gsxt_plan_number(const struct config *);
/*
 * 抽查任务编号: division(6) yyyyMMdd(8) "1" seq(3), the date the batch is
 * drawn on and seq its order among the plan's batches drawn that day.
 */
char	*gsxt_task_number(const struct config *, const struct config_batch *);

/*
 * The records as UTF-8 CSV (one row per record and item) and JSON (an
 * array of records with their details), appended to out. Corrections
 * (更正) have two more columns: the record replaced and the reason.
 */
void	gsxt_csv(const struct gsxt_record *, size_t, int corrections,
	    struct buf *out);
void	gsxt_json(const struct gsxt_record *, size_t, int corrections,
	    struct buf *out);
/* A JSON string, quoted and escaped. */
void	gsxt_json_string(struct buf *, const char *);
/* A CSV field with RFC 4180 quoting when it needs it. */
void	gsxt_csv_field(struct buf *, const char *, int last);

#endif
