/*
 * gen-registry: writes deterministic synthetic registries (enterprises,
 * inspectors, conflicts, risk classes) as CSV for ssj's benchmark and demo.
 */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define LINE_MAX_LEN	2048
#define OUTBUF_SIZE	(4 << 20)
#define PERM_ROUNDS	4

/*
 * Row counts are capped by the smallest domain a bijection maps the row
 * index into: 10^8 eight-digit organisation codes and 注册号 sequences,
 * 13.1 M (birth date, sequence) pairs of the ID numbers.
 */
#define MAX_ENTERPRISES	UINT64_C(100000000)
#define MAX_INSPECTORS	UINT64_C(10000000)

enum kind {
	K_ENTERPRISES,
	K_INSPECTORS,
	K_CONFLICTS,
	K_RISK,
};

/*
 * Every row draws from its own stream, keyed by (seed, stream, row), so
 * that risk and conflicts can rebuild any enterprise or inspector row
 * without generating the rows before it.
 */
enum stream {
	S_ENTERPRISE = 1,
	S_INSPECTOR,
	S_CONFLICT,
	S_RISK,
	S_RISK_MONTH,
	S_PERM,
};

/* Tags of the keyed permutations, one per identifier space. */
enum perm_tag {
	P_ORG_MA = 1,
	P_ORG_NUM,
	P_REGNO,
	P_IDCARD,
	P_PHONE,
	P_PAIR,
};

enum etype {
	E_COMPANY,		/* 企业 */
	E_SOLE,			/* 个体工商户 */
	E_COOP,			/* 农民专业合作社 */
};

enum cert {
	C_NONE,
	C_CCC,			/* products under compulsory certification */
	C_TEST,			/* testing laboratories: CMA, often CNAS */
	C_CERTBODY,		/* certification bodies: CNAS */
};

struct opts {
	enum kind	 kind;
	uint64_t	 n;
	uint64_t	 seed;
	uint64_t	 nent;		/* conflicts: --enterprises */
	uint64_t	 ninsp;		/* conflicts: --inspectors */
	unsigned	 year;		/* risk: --month */
	unsigned	 month;
	int		 jdz;		/* --jingdezhen */
	int		 gbk;		/* --encoding gbk */
	int		 crlf;		/* --crlf */
	const char	*outpath;
};

struct rng {
	uint64_t	 s;
};

struct perm {
	uint64_t	 dom;
	unsigned	 half;
	uint64_t	 mask;
	uint64_t	 key[PERM_ROUNDS];
};

/* A bounded text buffer; rows and fields are far below LINE_MAX_LEN. */
struct line {
	size_t		 len;
	char		 b[LINE_MAX_LEN];
};

struct sink {
	FILE		*fp;
	iconv_t		 cd;
	int		 gbk;
	char		*conv;
	const char	*eol;
};

struct division {
	const char	*code;
	const char	*county;
	const char	*city;
	const char	*city_short;
	unsigned	 weight;	/* per mille of all enterprises */
	int		 jdz;
};

struct industry {
	const char	*code;
	unsigned	 w[3];		/* per mille within each enum etype */
	enum cert	 cert;
	const char	*words[5];	/* company name words, NULL-ended */
	const char	*shops[4];	/* sole proprietor / co-op endings */
};

struct enterprise {
	char			 id[19];	/* USCC, or a 15-digit 注册号 */
	const struct division	*div;
	const struct industry	*ind;
	enum etype		 etype;
	const char		*status;
	int			 abnormal;
	int			 serious;
	struct line		 name;
	struct line		 addr;
	struct line		 certs;
};

struct inspector {
	char			 cred[32];
	const char		*unit;
	const char		*dept;
	const char		*jurisdiction;
	struct line		 name;
	struct line		 quals;
	int64_t			 valid_until;
	int			 active;
	int			 expert;
	char			 idcard[19];
	char			 phone[12];
};

/* Jingdezhen (70 %) and other Jiangxi county-level divisions (30 %). */
static const struct division divisions[] = {
	{ "360202", "昌江区", "景德镇市", "景德镇", 150, 1 },
	{ "360203", "珠山区", "景德镇市", "景德镇", 250, 1 },
	{ "360222", "浮梁县", "景德镇市", "景德镇", 100, 1 },
	{ "360281", "乐平市", "景德镇市", "景德镇", 200, 1 },
	{ "360102", "东湖区", "南昌市", "南昌", 25, 0 },
	{ "360103", "西湖区", "南昌市", "南昌", 25, 0 },
	{ "360104", "青云谱区", "南昌市", "南昌", 15, 0 },
	{ "360111", "青山湖区", "南昌市", "南昌", 25, 0 },
	{ "360121", "南昌县", "南昌市", "南昌", 20, 0 },
	{ "360302", "安源区", "萍乡市", "萍乡", 15, 0 },
	{ "360402", "濂溪区", "九江市", "九江", 20, 0 },
	{ "360403", "浔阳区", "九江市", "九江", 20, 0 },
	{ "360502", "渝水区", "新余市", "新余", 15, 0 },
	{ "360602", "月湖区", "鹰潭市", "鹰潭", 10, 0 },
	{ "360681", "贵溪市", "鹰潭市", "鹰潭", 10, 0 },
	{ "360702", "章贡区", "赣州市", "赣州", 25, 0 },
	{ "360802", "吉州区", "吉安市", "吉安", 15, 0 },
	{ "360902", "袁州区", "宜春市", "宜春", 15, 0 },
	{ "360981", "丰城市", "宜春市", "宜春", 10, 0 },
	{ "361002", "临川区", "抚州市", "抚州", 15, 0 },
	{ "361102", "信州区", "上饶市", "上饶", 20, 0 },
};

#define JDZ_CITY	"360200"
#define JDZ_ALL		"360202;360203;360222;360281"

/* GB/T 4754-2017 classes; weights per mille for 企业, 个体, 合作社. */
static const struct industry industries[] = {
	{ "C3071", { 20, 0, 0 }, C_NONE,
	    { "建筑陶瓷", "瓷砖", "陶瓷建材", NULL }, { NULL } },
	{ "C3072", { 20, 0, 0 }, C_NONE,
	    { "卫生陶瓷", "卫浴", "洁具", NULL }, { NULL } },
	{ "C3073", { 50, 0, 0 }, C_NONE,
	    { "特种陶瓷", "精密陶瓷", "陶瓷新材料", "先进陶瓷", NULL },
	    { NULL } },
	{ "C3074", { 205, 150, 0 }, C_NONE,
	    { "陶瓷", "瓷业", "日用陶瓷", "瓷器", NULL },
	    { "陶瓷厂", "瓷器作坊", "陶瓷经营部", NULL } },
	{ "C3075", { 120, 300, 0 }, C_NONE,
	    { "艺术陶瓷", "陶瓷艺术", "瓷艺", "陶艺", NULL },
	    { "陶艺工作室", "瓷艺工作室", "艺术瓷坊", NULL } },
	{ "C3076", { 20, 0, 0 }, C_NONE,
	    { "园艺陶瓷", "园林陶瓷", NULL }, { NULL } },
	{ "C3079", { 60, 0, 0 }, C_NONE,
	    { "陶瓷制品", "陶瓷", "陶瓷工艺", NULL }, { NULL } },
	{ "C3831", { 30, 0, 0 }, C_CCC,
	    { "电线电缆", "线缆", "电缆", NULL }, { NULL } },
	{ "C3851", { 30, 0, 0 }, C_CCC,
	    { "电器", "制冷设备", "冷链设备", NULL }, { NULL } },
	{ "C3854", { 30, 0, 0 }, C_CCC,
	    { "厨房电器", "电器", "厨具电器", NULL }, { NULL } },
	{ "C3872", { 40, 0, 0 }, C_CCC,
	    { "照明", "灯饰", "光电", NULL }, { NULL } },
	{ "C3595", { 40, 0, 0 }, C_CCC,
	    { "消防设备", "消防器材", "消防科技", "安全设备", NULL },
	    { NULL } },
	{ "M7452", { 40, 0, 0 }, C_TEST,
	    { "检测技术", "检验检测", "产品质量检测", "陶瓷检测", NULL },
	    { NULL } },
	{ "M7455", { 15, 0, 0 }, C_CERTBODY,
	    { "认证", "认证服务", "质量认证", NULL }, { NULL } },
	{ "F5246", { 90, 250, 0 }, C_NONE,
	    { "陶瓷商贸", "瓷器贸易", "工艺品", "陶瓷艺术品", NULL },
	    { "瓷器店", "陶瓷经营部", "工艺品店", NULL } },
	{ "F5272", { 40, 80, 0 }, C_NONE,
	    { "家电", "电器商贸", "家用电器", NULL },
	    { "家电经营部", "电器商行", "家电维修部", NULL } },
	{ "F5287", { 40, 0, 0 }, C_NONE,
	    { "建材", "装饰材料", "陶瓷建材", NULL }, { NULL } },
	{ "F5212", { 30, 100, 0 }, C_NONE,
	    { "超市", "百货", "商贸", NULL },
	    { "超市", "便利店", "百货店", NULL } },
	{ "H6210", { 40, 120, 0 }, C_NONE,
	    { "餐饮", "酒店管理", "餐饮管理", NULL },
	    { "饭店", "小吃店", "农家乐", NULL } },
	{ "I6510", { 40, 0, 0 }, C_NONE,
	    { "信息科技", "软件", "网络科技", "数字科技", NULL }, { NULL } },
	{ "A0111", { 0, 0, 200 }, C_NONE,
	    { NULL }, { "水稻种植专业合作社", "粮食专业合作社", NULL } },
	{ "A0141", { 0, 0, 300 }, C_NONE,
	    { NULL }, { "蔬菜专业合作社", "蔬菜种植专业合作社", NULL } },
	{ "A0164", { 0, 0, 500 }, C_NONE,
	    { NULL }, { "茶叶专业合作社", "茶叶种植专业合作社", NULL } },
};

static const char *const etype_names[] = {
	"企业", "个体工商户", "农民专业合作社"
};

/* 200 characters common in trade names (字号), 3 bytes each in UTF-8. */
static const char zihao_chars[] =
	"华鑫盛昌源德泰兴隆恒宏达祥瑞丰福金玉新景"
	"天宇博成佳和美正安康明光永利顺通汇信诚合"
	"嘉鸿旺润远志益荣发富贵春秋清云海山川林森"
	"晟东南中龙凤鹏飞腾越航伟俊杰雅致精品艺青"
	"白彩珍宝鼎尚御乾坤久长城创联星辰阳月江湖"
	"河泉溪峰岭松竹梅兰菊荷莲桂桃李杨柳红绿蓝"
	"紫翠碧锦绣文武礼义仁智忠孝廉良善真实朴素"
	"雄豪英贤圣宁静雪霞虹彬斌浩涛洪波澜瀚渊淳"
	"晶莹璐琪瑶琳珊璇君民友邦家园田堂楼阁亭台"
	"轩庭院门窗九百千万亿壹众聚鸣欣悦乐喜庆吉";

static const char surname_chars[] =
	"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
	"彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
	"石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万"
	"钱严武戴莫孔向汤";

static const char given_chars[] =
	"伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉红玲"
	"飞鹏波斌宇浩凯健俊帆帅旭宁琳晨欣瑶婷雪梅兰慧颖倩洁琴云莉萍燕"
	"丹蕾璐瑞婕晶妍茜秋珊莎锦黛青勤毅峰志坚德荣海昊天佳豪子轩思远"
	"嘉怡雨梓涵一诺晓东春生小龙立新永胜";

static const char *const roads[] = {
	"珠山中路", "珠山西路", "莲社北路", "莲社南路", "新厂东路",
	"新厂西路", "瓷都大道", "昌江大道", "朝阳路", "陶阳南路",
	"广场北路", "曙光路", "胜利路", "新华路", "人民路", "建设路",
	"迎宾大道", "沿江东路", "沿江西路", "昌南大道", "紫晶路",
	"梧桐大道", "金岭大道", "东郊路", "里村路", "翠屏路", "解放路",
	"中山路", "北京路", "长江路",
};

static const char *const buildings[] = {
	"金鼎大厦", "国贸大厦", "陶瓷大厦", "华银广场", "御窑商务中心",
	"昌南商务楼", "景城国际",
};

static const char *const quoted_places[] = {
	"\"陶溪川\"文创街区", "\"国贸\"广场", "\"瓷都\"商贸城",
	"\"三宝\"国际陶艺村", "\"雕塑瓷厂\"创意集市",
};

static const char *const statuses[] = {
	"存续", "在业", "停业", "吊销", "注销"
};
static const unsigned status_w[] = { 930, 30, 10, 15, 15 };

static const char *const depts[] = { "ZJ", "RZ", "XY", "XF" };

/* Qualifications, bit k of a mask is quals[k], written in this order. */
enum {
	Q_CCC = 1 << 0,
	Q_CERT = 1 << 1,
	Q_INFO = 1 << 2,
	Q_FIRE = 1 << 3,
};
static const char *const quals[] = { "CCC", "CERT", "INFO", "FIRE" };

/* Inspectors' units in Jingdezhen: the city bureau and the four counties. */
static const char *const jdz_units[] = {
	JDZ_CITY, "360202", "360203", "360222", "360281"
};
static const unsigned jdz_unit_w[] = { 250, 190, 190, 180, 190 };

static const char *const reasons[] = {
	"亲属关系", "曾任职", "持股", "其他"
};
static const unsigned reason_w[] = { 40, 25, 15, 20 };
static const char *const sources[] = {
	"本人申报", "企业申请", "举报核实"
};
static const unsigned source_w[] = { 60, 25, 15 };

static const char risk_classes[] = "ABCD";
static const unsigned risk_w[] = { 300, 550, 100, 50 };

static const char *const phone_prefixes[] = {
	"130", "131", "132", "133", "135", "136", "137", "138", "139",
	"150", "151", "152", "155", "157", "158", "159", "170", "173",
	"177", "180", "181", "182", "183", "186", "187", "188", "189",
	"191", "193", "199",
};

/* GB 32100: the 31 characters of a USCC, in check-value order. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const char *const headers[] = {
	"统一社会信用代码,企业名称,行政区划,行业代码,主体类型,登记状态,"
	"住所,经营异常名录,严重违法失信,证书类型",
	"执法证号,姓名,部门,管辖区域,资质,证件有效期至,在岗,专家,身份证号码,"
	"手机号码",
	"执法证号,统一社会信用代码,回避事由,来源,生效日期,失效日期",
	"统一社会信用代码,风险等级,分类月份",
};

static const char	*progname = "gen-registry";

static void	usage(void) __attribute__((noreturn));
static void	die(const char *, ...)
		    __attribute__((noreturn, format(printf, 1, 2)));

static void
usage(void)
{
	fprintf(stderr,
	    "usage: %s enterprises -n N [common options]\n"
	    "       %s inspectors -n N [common options]\n"
	    "       %s conflicts -n N --enterprises N --inspectors N "
	    "[common options]\n"
	    "       %s risk -n N [--month YYYY-MM] [common options]\n"
	    "common options: [-s seed] [-o file] [--jingdezhen] "
	    "[--encoding utf-8|gbk] [--crlf]\n",
	    progname, progname, progname, progname);
	exit(2);
}

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* splitmix64's finaliser: a good 64-bit mixer. */
static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void
rng_row(struct rng *r, uint64_t seed, enum stream st, uint64_t row)
{
	r->s = mix64(seed ^ mix64(((uint64_t)st << 56) ^ row));
}

static uint64_t
rng_next(struct rng *r)
{
	r->s += UINT64_C(0x9e3779b97f4a7c15);
	return mix64(r->s);
}

/* Test data only: the modulo bias of a 64-bit draw does not matter. */
static uint64_t
rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

static int
rng_permille(struct rng *r, unsigned p)
{
	return rng_below(r, 1000) < p;
}

static size_t
rng_weighted(struct rng *r, const unsigned *w, size_t n)
{
	uint64_t	 total = 0, x;
	size_t		 i;

	for (i = 0; i < n; i++)
		total += w[i];
	x = rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/*
 * A keyed bijection of [0, dom): a balanced Feistel network on the
 * smallest even number of bits that covers dom, with cycle walking. It
 * turns row indices into unique identifiers without remembering any.
 */
static void
perm_init(struct perm *p, uint64_t dom, uint64_t seed, enum perm_tag tag)
{
	unsigned	 bits = 1, i;

	while (bits < 62 && (UINT64_C(1) << bits) < dom)
		bits++;
	p->dom = dom;
	p->half = (bits + 1) / 2;
	p->mask = (UINT64_C(1) << p->half) - 1;
	for (i = 0; i < PERM_ROUNDS; i++)
		p->key[i] = mix64(seed ^ mix64(((uint64_t)S_PERM << 56) ^
		    ((uint64_t)tag << 8) ^ i));
}

static uint64_t
perm_apply(const struct perm *p, uint64_t x)
{
	uint64_t	 l, r, t;
	unsigned	 i;

	do {
		l = x >> p->half;
		r = x & p->mask;
		for (i = 0; i < PERM_ROUNDS; i++) {
			t = l ^ (mix64(r ^ p->key[i]) & p->mask);
			l = r;
			r = t;
		}
		x = (l << p->half) | r;
	} while (x >= p->dom);
	return x;
}

/* Days since 1970-01-01 and back (H. Hinnant's civil calendar). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t		 era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static void
line_reset(struct line *l)
{
	l->len = 0;
}

static void
line_add(struct line *l, const char *s, size_t n)
{
	if (n > sizeof(l->b) - 1 - l->len)
		die("internal error: line longer than %zu bytes",
		    sizeof(l->b));
	memcpy(l->b + l->len, s, n);
	l->len += n;
}

static void
line_str(struct line *l, const char *s)
{
	line_add(l, s, strlen(s));
}

static void
line_chr(struct line *l, char c)
{
	line_add(l, &c, 1);
}

/* v in decimal, zero-padded to at least width digits. */
static void
line_num(struct line *l, uint64_t v, unsigned width)
{
	char		 tmp[24];
	unsigned	 n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n < width && n < sizeof(tmp))
		tmp[sizeof(tmp) - 1 - n++] = '0';
	line_add(l, tmp + sizeof(tmp) - n, n);
}

static void
line_date(struct line *l, int64_t days)
{
	int64_t		 y;
	unsigned	 m, d;

	civil_from_days(days, &y, &m, &d);
	line_num(l, (uint64_t)y, 4);
	line_chr(l, '-');
	line_num(l, m, 2);
	line_chr(l, '-');
	line_num(l, d, 2);
}

/* One 3-byte UTF-8 character out of a list of them. */
static void
line_cjk(struct line *l, struct rng *r, const char *list, size_t size)
{
	line_add(l, list + 3 * rng_below(r, (size - 1) / 3), 3);
}

/* A CSV field, quoted (RFC 4180) only when it has to be. */
static void
line_field(struct line *l, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n')
			break;
	if (i == n) {
		line_add(l, s, n);
		return;
	}
	line_chr(l, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			line_chr(l, '"');
		line_chr(l, s[i]);
	}
	line_chr(l, '"');
}

static const char *
pick_word(struct rng *r, const char *const *words)
{
	size_t	 n = 0;

	while (words[n] != NULL)
		n++;
	return words[rng_below(r, n)];
}

static const struct division *
pick_division(struct rng *r, int jdz_only, int others_only)
{
	uint64_t	 total = 0, x;
	size_t		 i;

	for (i = 0; i < NITEMS(divisions); i++)
		if ((!jdz_only || divisions[i].jdz) &&
		    (!others_only || !divisions[i].jdz))
			total += divisions[i].weight;
	x = rng_below(r, total);
	for (i = 0; i < NITEMS(divisions); i++) {
		if ((jdz_only && !divisions[i].jdz) ||
		    (others_only && divisions[i].jdz))
			continue;
		if (x < divisions[i].weight)
			break;
		x -= divisions[i].weight;
	}
	return &divisions[i];
}

static const struct division *
find_division(const char *code)
{
	size_t	 i;

	for (i = 0; i < NITEMS(divisions); i++)
		if (strcmp(divisions[i].code, code) == 0)
			return &divisions[i];
	return &divisions[0];
}

static const struct industry *
pick_industry(struct rng *r, enum etype et)
{
	uint64_t	 total = 0, x;
	size_t		 i;

	for (i = 0; i < NITEMS(industries); i++)
		total += industries[i].w[et];
	x = rng_below(r, total);
	for (i = 0; i < NITEMS(industries); i++) {
		if (x < industries[i].w[et])
			break;
		x -= industries[i].w[et];
	}
	return &industries[i];
}

static unsigned
uscc_value(char c)
{
	const char	*p = strchr(uscc_alphabet, c);

	return p == NULL ? 0 : (unsigned)(p - uscc_alphabet);
}

/* GB 32100 check character over the first 17 characters. */
static char
uscc_check_char(const char *s)
{
	unsigned	 i, w = 1, sum = 0, c;

	for (i = 0; i < 17; i++) {
		sum += uscc_value(s[i]) * w;
		w = w * 3 % 31;
	}
	c = 31 - sum % 31;
	return uscc_alphabet[c == 31 ? 0 : c];
}

/* GB 11714 check of an 8-character organisation code (A-Z = 10-35). */
static char
orgcode_check_char(const char *s)
{
	static const unsigned	 w[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	unsigned		 i, sum = 0, v, c;

	for (i = 0; i < 8; i++) {
		v = s[i] >= 'A' ? (unsigned)(s[i] - 'A' + 10) :
		    (unsigned)(s[i] - '0');
		sum += v * w[i];
	}
	c = 11 - sum % 11;
	return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

/* ISO 7064 MOD 11,10, the check digit of a GS15-2006 注册号. */
static char
regno_check_char(const char *s)
{
	unsigned	 i, p = 10, t;

	for (i = 0; i < 14; i++) {
		t = (p + (unsigned)(s[i] - '0')) % 10;
		p = (t == 0 ? 10 : t) * 2 % 11;
	}
	return (char)('0' + (11 - p) % 10);
}

/* ISO 7064 MOD 11-2, the check character of a 居民身份证号码. */
static char
idcard_check_char(const char *s)
{
	static const unsigned	 w[17] = {
		7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
	};
	static const char	 map[] = "10X98765432";
	unsigned		 i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (unsigned)(s[i] - '0') * w[i];
	return map[sum % 11];
}

static void
digits(char *dst, uint64_t v, unsigned width)
{
	while (width-- > 0) {
		dst[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

struct gen {
	const struct opts	*o;
	struct perm		 org_ma;
	struct perm		 org_num;
	struct perm		 regno;
	struct perm		 idcard;
	struct perm		 phone;
	unsigned		 cred_width;
	int64_t			 birth_first;
	uint64_t		 birth_days;
};

static void
gen_init(struct gen *g, const struct opts *o)
{
	uint64_t	 ninsp;

	g->o = o;
	perm_init(&g->org_ma, UINT64_C(887503681), o->seed, P_ORG_MA);
	perm_init(&g->org_num, UINT64_C(100000000), o->seed, P_ORG_NUM);
	perm_init(&g->regno, UINT64_C(100000000), o->seed, P_REGNO);
	g->birth_first = days_from_civil(1965, 1, 1);
	g->birth_days = (uint64_t)(days_from_civil(2001, 1, 1) -
	    g->birth_first);
	perm_init(&g->idcard, g->birth_days * 1000, o->seed, P_IDCARD);
	perm_init(&g->phone, UINT64_C(100000000), o->seed, P_PHONE);
	/* Wide enough for the last sequence number, at least 3 digits. */
	ninsp = o->kind == K_CONFLICTS ? o->ninsp : o->n;
	g->cred_width = 3;
	for (; ninsp >= 1000; ninsp /= 10)
		g->cred_width++;
}

/* The identifier of enterprise i: a USCC, or rarely a legacy 注册号. */
static void
make_id(struct gen *g, struct rng *r, uint64_t i, struct enterprise *e)
{
	char		 body[9];
	uint64_t	 v;
	unsigned	 k, good;

	if (rng_permille(r, 5)) {
		/* Positions 7-14 are a sequence; 6-9 first mark 个体. */
		v = perm_apply(&g->regno, i);
		memcpy(e->id, e->div->code, 6);
		digits(e->id + 6, v, 8);
		e->id[14] = regno_check_char(e->id);
		e->id[15] = '\0';
		e->etype = e->id[6] >= '6' ? E_SOLE : E_COMPANY;
		return;
	}
	k = (unsigned)rng_below(r, 1000);
	e->etype = k < 850 ? E_COMPANY : k < 970 ? E_SOLE : E_COOP;
	if (e->etype == E_COMPANY && rng_permille(r, 250)) {
		/* An organisation code issued before 2015: eight digits. */
		digits(body, perm_apply(&g->org_num, i), 8);
	} else {
		body[0] = 'M';
		body[1] = 'A';
		v = perm_apply(&g->org_ma, i);
		for (k = 0; k < 6; k++) {
			body[7 - k] = uscc_alphabet[v % 31];
			v /= 31;
		}
	}
	body[8] = orgcode_check_char(body);
	if (rng_permille(r, 1)) {
		/* Deliberately wrong: ssj only warns about it. */
		good = body[8] == 'X' ? 10 : (unsigned)(body[8] - '0');
		k = (good + 1 + (unsigned)rng_below(r, 10)) % 11;
		body[8] = k == 10 ? 'X' : (char)('0' + k);
	}
	e->id[0] = '9';
	e->id[1] = (char)('1' + e->etype);
	memcpy(e->id + 2, e->div->code, 6);
	memcpy(e->id + 8, body, 9);
	e->id[17] = uscc_check_char(e->id);
	e->id[18] = '\0';
}

static void
make_name(struct rng *r, struct enterprise *e)
{
	const struct division	*d = e->div;
	struct line		*l = &e->name;
	unsigned		 k;

	line_reset(l);
	switch (e->etype) {
	case E_COMPANY:
		k = (unsigned)rng_below(r, 100);
		if (k < 55)
			line_str(l, d->city);
		else if (k < 75)
			line_str(l, d->city_short);
		else if (k < 85)
			line_str(l, "江西");
		else {
			/* A district (区) is named with its city. */
			if (strstr(d->county, "区") != NULL)
				line_str(l, d->city);
			line_str(l, d->county);
		}
		line_cjk(l, r, zihao_chars, sizeof(zihao_chars));
		line_cjk(l, r, zihao_chars, sizeof(zihao_chars));
		if (rng_permille(r, 300))
			line_cjk(l, r, zihao_chars, sizeof(zihao_chars));
		line_str(l, pick_word(r, e->ind->words));
		k = (unsigned)rng_below(r, 100);
		line_str(l, k < 85 ? "有限公司" : k < 95 ? "有限责任公司" :
		    "股份有限公司");
		break;
	case E_SOLE:
		if (rng_permille(r, 400))
			line_str(l, d->city);
		line_str(l, d->county);
		if (rng_permille(r, 300)) {
			line_cjk(l, r, surname_chars, sizeof(surname_chars));
			line_str(l, "记");
		} else {
			line_cjk(l, r, zihao_chars, sizeof(zihao_chars));
			line_cjk(l, r, zihao_chars, sizeof(zihao_chars));
		}
		line_str(l, pick_word(r, e->ind->shops));
		break;
	case E_COOP:
		line_str(l, d->county);
		line_cjk(l, r, zihao_chars, sizeof(zihao_chars));
		line_cjk(l, r, zihao_chars, sizeof(zihao_chars));
		line_str(l, pick_word(r, e->ind->shops));
		break;
	}
}

/*
 * Some addresses carry an ASCII comma or double quotes, as typed into
 * spreadsheets, so that readers must handle RFC 4180 quoting.
 */
static void
make_address(struct rng *r, struct enterprise *e)
{
	struct line	*l = &e->addr;
	unsigned	 k;

	line_reset(l);
	line_str(l, "江西省");
	line_str(l, e->div->city);
	line_str(l, e->div->county);
	line_str(l, roads[rng_below(r, NITEMS(roads))]);
	line_num(l, 1 + rng_below(r, 999), 0);
	line_str(l, "号");
	k = (unsigned)rng_below(r, 1000);
	if (k < 600)
		return;
	if (k < 750) {
		line_num(l, 1 + rng_below(r, 30), 0);
		line_str(l, "栋");
		line_num(l, 101 + rng_below(r, 20) * 100 + rng_below(r, 20),
		    0);
		line_str(l, "室");
	} else if (k < 850) {
		line_str(l, "陶瓷工业园区");
		line_num(l, 1 + rng_below(r, 60), 0);
		line_str(l, "号厂房");
	} else if (k < 900) {
		line_chr(l, ',');
		line_str(l, buildings[rng_below(r, NITEMS(buildings))]);
		line_num(l, 1 + rng_below(r, 28), 0);
		line_str(l, "楼");
	} else if (k < 920) {
		line_str(l, quoted_places[rng_below(r,
		    NITEMS(quoted_places))]);
		line_num(l, 1 + rng_below(r, 200), 0);
		line_str(l, "号");
	} else if (k < 930) {
		line_chr(l, ',');
		line_str(l, quoted_places[rng_below(r,
		    NITEMS(quoted_places))]);
		line_num(l, 1 + rng_below(r, 9), 0);
		line_str(l, "层");
	} else {
		line_str(l, "，");
		line_num(l, 1 + rng_below(r, 40), 0);
		line_str(l, "号门面");
	}
}

static void
make_certs(struct rng *r, struct enterprise *e)
{
	struct line	*l = &e->certs;

	line_reset(l);
	switch (e->ind->cert) {
	case C_NONE:
		break;
	case C_CCC:
		if (rng_permille(r, 920))
			line_str(l, "CCC");
		break;
	case C_TEST:
		line_str(l, "CMA");
		if (rng_permille(r, 600))
			line_str(l, ";CNAS");
		break;
	case C_CERTBODY:
		if (rng_permille(r, 850))
			line_str(l, "CNAS");
		break;
	}
}

static void
make_enterprise(struct gen *g, uint64_t i, struct enterprise *e)
{
	struct rng	 r;

	rng_row(&r, g->o->seed, S_ENTERPRISE, i);
	e->div = pick_division(&r, g->o->jdz, 0);
	make_id(g, &r, i, e);
	e->ind = pick_industry(&r, e->etype);
	e->status = statuses[rng_weighted(&r, status_w, NITEMS(status_w))];
	e->abnormal = rng_permille(&r, 20);
	e->serious = rng_permille(&r, 3);
	if (e->serious)
		e->abnormal = 1;
	make_name(&r, e);
	make_address(&r, e);
	make_certs(&r, e);
}

static void
make_inspector(struct gen *g, uint64_t i, struct inspector *p)
{
	const struct division	*d;
	struct rng		 r;
	uint64_t		 v;
	int64_t			 day, y;
	unsigned		 dept, k, q, m, dd;
	char			*c;

	rng_row(&r, g->o->seed, S_INSPECTOR, i);
	/* Round robin: equal department sizes, whatever n is. */
	dept = (unsigned)(i % NITEMS(depts));
	p->dept = depts[dept];
	if (!g->o->jdz && rng_permille(&r, 300))
		p->unit = pick_division(&r, 0, 1)->code;
	else
		p->unit = jdz_units[rng_weighted(&r, jdz_unit_w,
		    NITEMS(jdz_unit_w))];
	p->jurisdiction = strcmp(p->unit, JDZ_CITY) == 0 ? JDZ_ALL : p->unit;

	c = p->cred;
	if (dept == 3) {
		memcpy(c, "XF-", 3);
		memcpy(c + 3, p->unit, 6);
		c[9] = '-';
		c += 10;
	} else {
		memcpy(c, p->unit, 6);
		digits(c + 6, 10 + rng_below(&r, 16), 2);
		c += 8;
	}
	digits(c, i + 1, g->cred_width);
	c[g->cred_width] = '\0';

	line_reset(&p->name);
	line_cjk(&p->name, &r, surname_chars, sizeof(surname_chars));
	line_cjk(&p->name, &r, given_chars, sizeof(given_chars));
	if (rng_permille(&r, 700))
		line_cjk(&p->name, &r, given_chars, sizeof(given_chars));

	switch (dept) {
	case 0:
		q = Q_CCC | (rng_permille(&r, 150) ? Q_FIRE : 0);
		break;
	case 1:
		q = Q_CERT | (rng_permille(&r, 300) ? Q_CCC : 0);
		break;
	case 2:
		q = Q_INFO;
		break;
	default:
		q = Q_FIRE;
		break;
	}
	if (rng_permille(&r, 100))
		q |= Q_INFO;
	line_reset(&p->quals);
	for (k = 0; k < NITEMS(quals); k++) {
		if ((q & (1U << k)) == 0)
			continue;
		if (p->quals.len > 0)
			line_chr(&p->quals, ';');
		line_str(&p->quals, quals[k]);
	}

	if (rng_permille(&r, 60))
		p->valid_until = days_from_civil(2026, 1, 1) +
		    (int64_t)rng_below(&r, 365);
	else
		p->valid_until = days_from_civil(2027, 1, 1) +
		    (int64_t)rng_below(&r, 5 * 365);
	p->active = rng_permille(&r, 950);
	p->expert = rng_permille(&r, 100);

	/* Born in the unit's county, or elsewhere in Jiangxi. */
	if (strcmp(p->unit, JDZ_CITY) == 0 || rng_permille(&r, 200))
		d = pick_division(&r, g->o->jdz, 0);
	else
		d = find_division(p->unit);
	v = perm_apply(&g->idcard, i);
	day = g->birth_first + (int64_t)(v / 1000);
	civil_from_days(day, &y, &m, &dd);
	memcpy(p->idcard, d->code, 6);
	digits(p->idcard + 6, (uint64_t)y, 4);
	digits(p->idcard + 10, m, 2);
	digits(p->idcard + 12, dd, 2);
	digits(p->idcard + 14, v % 1000, 3);
	p->idcard[17] = idcard_check_char(p->idcard);
	p->idcard[18] = '\0';

	k = (unsigned)rng_below(&r, NITEMS(phone_prefixes));
	memcpy(p->phone, phone_prefixes[k], 3);
	digits(p->phone + 3, perm_apply(&g->phone, i), 8);
	p->phone[11] = '\0';
}

static const char *
yesno(int b)
{
	return b ? "是" : "否";
}

static void
sink_open(struct sink *s, const struct opts *o)
{
	if (o->outpath == NULL || strcmp(o->outpath, "-") == 0)
		s->fp = stdout;
	else if ((s->fp = fopen(o->outpath, "w")) == NULL)
		die("cannot open '%s': %s", o->outpath, strerror(errno));
	/* One write(2) per 4 MiB instead of per row. */
	if (setvbuf(s->fp, NULL, _IOFBF, OUTBUF_SIZE) != 0)
		die("setvbuf: %s", strerror(errno));
	s->gbk = o->gbk;
	s->eol = o->crlf ? "\r\n" : "\n";
	s->conv = NULL;
	if (s->gbk) {
		if ((s->cd = iconv_open("GBK", "UTF-8")) == (iconv_t)-1)
			die("iconv_open: UTF-8 to GBK: %s", strerror(errno));
		if ((s->conv = malloc(2 * LINE_MAX_LEN)) == NULL)
			die("out of memory");
	}
}

static void
sink_line(struct sink *s, struct line *l)
{
	char	*in, *out;
	size_t	 inleft, outleft;

	line_str(l, s->eol);
	if (!s->gbk) {
		fwrite(l->b, 1, l->len, s->fp);
		return;
	}
	in = l->b;
	inleft = l->len;
	out = s->conv;
	outleft = 2 * LINE_MAX_LEN;
	if (iconv(s->cd, &in, &inleft, &out, &outleft) == (size_t)-1)
		die("cannot convert a row to GBK: %s", strerror(errno));
	fwrite(s->conv, 1, (size_t)(out - s->conv), s->fp);
}

static void
sink_close(struct sink *s, const struct opts *o)
{
	if (s->gbk) {
		iconv_close(s->cd);
		free(s->conv);
	}
	if (fflush(s->fp) != 0 || ferror(s->fp))
		die("write error on '%s': %s", o->outpath == NULL ? "stdout" :
		    o->outpath, strerror(errno));
	if (s->fp != stdout && fclose(s->fp) != 0)
		die("cannot close '%s': %s", o->outpath, strerror(errno));
}

static void
gen_enterprises(struct gen *g, struct sink *s)
{
	struct enterprise	 e;
	struct line		 l;
	uint64_t		 i;

	for (i = 0; i < g->o->n; i++) {
		make_enterprise(g, i, &e);
		line_reset(&l);
		line_str(&l, e.id);
		line_chr(&l, ',');
		line_field(&l, e.name.b, e.name.len);
		line_chr(&l, ',');
		line_str(&l, e.div->code);
		line_chr(&l, ',');
		line_str(&l, e.ind->code);
		line_chr(&l, ',');
		line_str(&l, etype_names[e.etype]);
		line_chr(&l, ',');
		line_str(&l, e.status);
		line_chr(&l, ',');
		line_field(&l, e.addr.b, e.addr.len);
		line_chr(&l, ',');
		line_str(&l, yesno(e.abnormal));
		line_chr(&l, ',');
		line_str(&l, yesno(e.serious));
		line_chr(&l, ',');
		line_add(&l, e.certs.b, e.certs.len);
		sink_line(s, &l);
	}
}

static void
gen_inspectors(struct gen *g, struct sink *s)
{
	struct inspector	 p;
	struct line		 l;
	uint64_t		 i;

	for (i = 0; i < g->o->n; i++) {
		make_inspector(g, i, &p);
		line_reset(&l);
		line_str(&l, p.cred);
		line_chr(&l, ',');
		line_add(&l, p.name.b, p.name.len);
		line_chr(&l, ',');
		line_str(&l, p.dept);
		line_chr(&l, ',');
		line_str(&l, p.jurisdiction);
		line_chr(&l, ',');
		line_add(&l, p.quals.b, p.quals.len);
		line_chr(&l, ',');
		line_date(&l, p.valid_until);
		line_chr(&l, ',');
		line_str(&l, yesno(p.active));
		line_chr(&l, ',');
		line_str(&l, yesno(p.expert));
		line_chr(&l, ',');
		line_str(&l, p.idcard);
		line_chr(&l, ',');
		line_str(&l, p.phone);
		sink_line(s, &l);
	}
}

/*
 * Distinct (enterprise, inspector) pairs: a bijection of the row index
 * into [0, enterprises x inspectors).
 */
static void
gen_conflicts(struct gen *g, struct sink *s)
{
	struct perm		 pairs;
	struct enterprise	 e;
	struct inspector	 p;
	struct line		 l;
	struct rng		 r;
	uint64_t		 i, v;
	int64_t			 from;

	perm_init(&pairs, g->o->nent * g->o->ninsp, g->o->seed, P_PAIR);
	for (i = 0; i < g->o->n; i++) {
		v = perm_apply(&pairs, i);
		make_enterprise(g, v / g->o->ninsp, &e);
		make_inspector(g, v % g->o->ninsp, &p);
		rng_row(&r, g->o->seed, S_CONFLICT, i);
		line_reset(&l);
		line_str(&l, p.cred);
		line_chr(&l, ',');
		line_str(&l, e.id);
		line_chr(&l, ',');
		line_str(&l, reasons[rng_weighted(&r, reason_w,
		    NITEMS(reason_w))]);
		line_chr(&l, ',');
		line_str(&l, sources[rng_weighted(&r, source_w,
		    NITEMS(source_w))]);
		line_chr(&l, ',');
		from = days_from_civil(2023, 1, 1) +
		    (int64_t)rng_below(&r, 1368);
		line_date(&l, from);
		line_chr(&l, ',');
		if (rng_permille(&r, 300))
			line_date(&l, from + 180 +
			    (int64_t)rng_below(&r, 1280));
		sink_line(s, &l);
	}
}

/*
 * A class per enterprise that holds across months, then a month-keyed
 * 1.5 % of them moves one class up or down: two months differ a little.
 */
static void
gen_risk(struct gen *g, struct sink *s)
{
	struct enterprise	 e;
	struct line		 l;
	struct rng		 r;
	uint64_t		 i, mkey;
	size_t			 c;

	mkey = mix64((uint64_t)g->o->year * 100 + g->o->month);
	for (i = 0; i < g->o->n; i++) {
		make_enterprise(g, i, &e);
		rng_row(&r, g->o->seed, S_RISK, i);
		c = rng_weighted(&r, risk_w, NITEMS(risk_w));
		if (e.serious)
			c = 3;
		else if (e.abnormal && c < 2)
			c = rng_permille(&r, 700) ? 2 : 3;
		rng_row(&r, g->o->seed ^ mkey, S_RISK_MONTH, i);
		if (rng_permille(&r, 15) && !e.serious) {
			if (c == 0 || (c < 3 && rng_permille(&r, 500)))
				c++;
			else
				c--;
		}
		line_reset(&l);
		line_str(&l, e.id);
		line_chr(&l, ',');
		line_chr(&l, risk_classes[c]);
		line_chr(&l, ',');
		line_num(&l, g->o->year, 4);
		line_chr(&l, '-');
		line_num(&l, g->o->month, 2);
		sink_line(s, &l);
	}
}

static uint64_t
parse_count(const char *opt, const char *s)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0)
		die("%s: '%s' is not a number", opt, s);
	return (uint64_t)v;
}

static void
parse_month(struct opts *o, const char *s)
{
	if (strlen(s) != 7 || s[4] != '-' ||
	    strspn(s, "0123456789-") != 7 || s[0] == '-' || s[5] == '-')
		die("--month: '%s' is not YYYY-MM", s);
	o->year = (unsigned)((s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0'));
	o->month = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	if (o->month < 1 || o->month > 12 || s[1] == '-' || s[2] == '-' ||
	    s[3] == '-' || s[6] == '-')
		die("--month: '%s' is not YYYY-MM", s);
}

static void
parse_args(struct opts *o, int argc, char **argv)
{
	static const char *const kinds[] = {
		"enterprises", "inspectors", "conflicts", "risk"
	};
	const char	*a;
	size_t		 k;
	int		 i, have_n = 0;

	if (argc < 2)
		usage();
	for (k = 0; k < NITEMS(kinds); k++)
		if (strcmp(argv[1], kinds[k]) == 0)
			break;
	if (k == NITEMS(kinds))
		usage();
	memset(o, 0, sizeof(*o));
	o->kind = (enum kind)k;
	o->seed = 1;
	o->year = 2026;
	o->month = 10;
	for (i = 2; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--jingdezhen") == 0) {
			o->jdz = 1;
			continue;
		}
		if (strcmp(a, "--crlf") == 0) {
			o->crlf = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(a, "-n") == 0) {
			o->n = parse_count(a, argv[++i]);
			have_n = 1;
		} else if (strcmp(a, "-s") == 0)
			o->seed = parse_count(a, argv[++i]);
		else if (strcmp(a, "-o") == 0)
			o->outpath = argv[++i];
		else if (strcmp(a, "--enterprises") == 0)
			o->nent = parse_count(a, argv[++i]);
		else if (strcmp(a, "--inspectors") == 0)
			o->ninsp = parse_count(a, argv[++i]);
		else if (strcmp(a, "--month") == 0)
			parse_month(o, argv[++i]);
		else if (strcmp(a, "--encoding") == 0) {
			a = argv[++i];
			if (strcmp(a, "gbk") == 0 || strcmp(a, "GBK") == 0)
				o->gbk = 1;
			else if (strcmp(a, "utf-8") != 0 &&
			    strcmp(a, "UTF-8") != 0 && strcmp(a, "utf8") != 0)
				die("--encoding: unknown encoding '%s'", a);
		} else
			usage();
	}
	if (!have_n)
		usage();
	switch (o->kind) {
	case K_ENTERPRISES:
	case K_RISK:
		if (o->n > MAX_ENTERPRISES)
			die("-n: at most %llu enterprises",
			    (unsigned long long)MAX_ENTERPRISES);
		break;
	case K_INSPECTORS:
		if (o->n > MAX_INSPECTORS)
			die("-n: at most %llu inspectors",
			    (unsigned long long)MAX_INSPECTORS);
		break;
	case K_CONFLICTS:
		if (o->nent == 0 || o->ninsp == 0)
			die("conflicts needs --enterprises and --inspectors");
		if (o->nent > MAX_ENTERPRISES || o->ninsp > MAX_INSPECTORS)
			die("--enterprises or --inspectors too large");
		if (o->n > o->nent * o->ninsp)
			die("-n: at most %llu distinct pairs",
			    (unsigned long long)(o->nent * o->ninsp));
		break;
	}
}

int
main(int argc, char **argv)
{
	struct opts	 o;
	struct gen	 g;
	struct sink	 s;
	struct line	 h;

	parse_args(&o, argc, argv);
	gen_init(&g, &o);
	sink_open(&s, &o);
	line_reset(&h);
	line_str(&h, headers[o.kind]);
	sink_line(&s, &h);
	switch (o.kind) {
	case K_ENTERPRISES:
		gen_enterprises(&g, &s);
		break;
	case K_INSPECTORS:
		gen_inspectors(&g, &s);
		break;
	case K_CONFLICTS:
		gen_conflicts(&g, &s);
		break;
	case K_RISK:
		gen_risk(&g, &s);
		break;
	}
	sink_close(&s, &o);
	return 0;
}
