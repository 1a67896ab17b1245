/*
 * The plan's YAML layer, the only includer of <yaml.h>: libyaml events to
 * a node tree with 1-based marks, include files, and the message list.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "config.h"
#include "config-node.h"
#include "crypto.h"
#include "log.h"
#include "xmalloc.h"

#define CLOAD_MAX_SIZE		(16 * 1024 * 1024)	/* bytes per file */
#define CLOAD_MAX_INCLUDE	8	/* include nesting */
#define CLOAD_MAX_FILES		64	/* files per plan */
#define CLOAD_MAX_ALIASED	100000	/* nodes aliases may add */
#define CLOAD_MAX_NESTING	64	/* a plan needs fewer than 10 */

struct cfile {
	char		*name;
	int		 depth;		/* include nesting; 0: the plan */
	int		 has_id;
	dev_t		 dev;
	ino_t		 ino;
};

/* An anchor, registered once its node is complete: no cycles. */
struct canchor {
	char		*name;
	struct cnode	*node;
};

/* An open collection while events arrive. */
struct cframe {
	struct cnode	*node;
	char		*anchor;
};

struct cload {
	struct config_errors	*errs;
	size_t			 first;		/* errs->v[first..] are ours */
	size_t			*ranks;		/* file of each of ours */
	size_t			 nranks;
	int			 flags;
	struct cfile		*files;
	size_t			 nfiles;
	struct cnode		**nodes;
	size_t			 nnodes;
	size_t			 aliased;
};

/* Sort key for messages: file, then position, then arrival. */
struct cload_order {
	size_t		rank;
	int		line;
	int		col;
	size_t		seq;
};

/* Sort key for duplicate detection in a mapping. */
struct cload_pair {
	const struct cnode	*key;
	size_t			 i;
};

static void	 cload_vmsg(struct cload *, size_t, int, int, int,
		    const char *, va_list)
		    __attribute__((format(printf, 6, 0)));
static void	 cload_msg(struct cload *, size_t, int, int, int,
		    const char *, ...) __attribute__((format(printf, 6, 7)));
static size_t	 cload_rank(const struct cload *, const char *);
static size_t	 cload_add_file(struct cload *, const char *, int);
static int	 cload_read(const char *, char **, size_t *, dev_t *,
		    ino_t *);
static size_t	 cload_sat_add(size_t, size_t);
static struct cnode *cload_node(struct cload *, enum cnode_kind, size_t,
		    const yaml_mark_t *);
static void	 cload_push(struct cnode *, struct cnode *);
static int	 cload_pair_cmp(const void *, const void *);
static void	 cload_map_done(struct cload *, struct cnode *);
static void	 cload_syntax(struct cload *, size_t, const yaml_parser_t *,
		    const char *, size_t);
static struct cnode *cload_parse(struct cload *, size_t, const char *,
		    size_t);
static int	 cload_order_cmp(const void *, const void *);
static void	 cload_sort(struct cload *);
static struct config *cload_run(struct cload *, const char *, size_t,
		    const char *);
static void	 cload_release(struct cload *);

int
cnode_is_null(const struct cnode *n)
{
	if (n == NULL)
		return 1;
	if (n->kind != CNODE_SCALAR || !n->plain)
		return 0;
	return n->len == 0 || strcmp(n->str, "~") == 0 ||
	    strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
	    strcmp(n->str, "NULL") == 0;
}

const char *
cnode_show(const struct cnode *n, char buf[CNODE_SHOW_MAX])
{
	size_t	 i, len, o = 0;

	if (n == NULL || cnode_is_null(n))
		return "an empty value";
	if (n->kind == CNODE_SEQ)
		return "a sequence";
	if (n->kind == CNODE_MAP)
		return "a mapping";
	len = n->len;
	if (len > CNODE_SHOW_MAX - 8) {
		/* Cut before a UTF-8 continuation byte, never inside. */
		len = CNODE_SHOW_MAX - 8;
		while (len > 0 && ((unsigned char)n->str[len] & 0xc0) == 0x80)
			len--;
	}
	buf[o++] = '\'';
	for (i = 0; i < len; i++)
		buf[o++] = (unsigned char)n->str[i] < 0x20 ||
		    n->str[i] == 0x7f ? '?' : n->str[i];
	if (len < n->len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}

static size_t
cload_rank(const struct cload *ld, const char *file)
{
	size_t	 i;

	for (i = 0; i < ld->nfiles; i++)
		if (ld->files[i].name == file)
			return i;
	return 0;
}

static void
cload_vmsg(struct cload *ld, size_t file, int line, int col, int warning,
    const char *fmt, va_list ap)
{
	struct config_errors	*errs = ld->errs;
	struct config_error	*e;
	va_list			 ap2;
	int			 len;

	errs->v = xreallocarray(errs->v, errs->n + 1, sizeof(*errs->v));
	e = &errs->v[errs->n++];
	e->file = xstrdup(ld->files[file].name);
	e->line = line;
	e->col = col;
	e->warning = warning;
	va_copy(ap2, ap);
	len = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (len < 0)
		fatalx("%s: bad message format", __func__);
	e->msg = xmalloc((size_t)len + 1);
	vsnprintf(e->msg, (size_t)len + 1, fmt, ap);
	if (!warning)
		errs->nerrors++;
	ld->ranks = xreallocarray(ld->ranks, ld->nranks + 1,
	    sizeof(*ld->ranks));
	ld->ranks[ld->nranks++] = file;
}

static void
cload_msg(struct cload *ld, size_t file, int line, int col, int warning,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	cload_vmsg(ld, file, line, col, warning, fmt, ap);
	va_end(ap);
}

void
cload_error(struct cload *ld, const struct cnode *n, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	if (n == NULL)
		cload_vmsg(ld, 0, 0, 0, 0, fmt, ap);
	else
		cload_vmsg(ld, cload_rank(ld, n->file), n->line, n->col, 0,
		    fmt, ap);
	va_end(ap);
}

void
cload_warn(struct cload *ld, const struct cnode *n, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	if (n == NULL)
		cload_vmsg(ld, 0, 0, 0, 1, fmt, ap);
	else
		cload_vmsg(ld, cload_rank(ld, n->file), n->line, n->col, 1,
		    fmt, ap);
	va_end(ap);
}

static size_t
cload_add_file(struct cload *ld, const char *name, int depth)
{
	struct cfile	*f;

	ld->files = xreallocarray(ld->files, ld->nfiles + 1,
	    sizeof(*ld->files));
	f = &ld->files[ld->nfiles];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	f->depth = depth;
	return ld->nfiles++;
}

/* Why cload_read() failed, for a message. */
static const char *
cload_why(int e)
{
	if (e == EINVAL)
		return "not a regular file (a directory, FIFO or device)";
	if (e == EFBIG)
		return "larger than 16 MiB";
	return strerror(e);
}

/*
 * Opens a regular file; NULL with errno set (EINVAL: not a regular
 * file). Without blocking, so that a FIFO is refused, not waited on.
 */
static FILE *
cload_open(const char *path, struct stat *st)
{
	FILE	*fp;
	int	 fd, saved;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY))
	    == -1)
		return NULL;
	if (fstat(fd, st) == -1)
		fp = NULL;
	else if (!S_ISREG(st->st_mode)) {
		errno = EINVAL;
		fp = NULL;
	} else if ((fp = fdopen(fd, "rb")) != NULL)
		return fp;
	saved = errno;
	close(fd);
	errno = saved;
	return NULL;
}

/* Reads a whole regular file of at most CLOAD_MAX_SIZE; -1 with errno. */
static int
cload_read(const char *path, char **bufp, size_t *lenp, dev_t *dev,
    ino_t *ino)
{
	struct stat	 st;
	FILE		*fp;
	char		*buf = NULL;
	size_t		 len = 0, cap = 0, n;
	int		 ret = -1, saved;

	if ((fp = cload_open(path, &st)) == NULL)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	for (;;) {
		if (len == cap) {
			if (cap >= CLOAD_MAX_SIZE) {
				errno = EFBIG;
				goto out;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp))
		goto out;
	*bufp = buf;
	*lenp = len;
	buf = NULL;
	ret = 0;
out:
	saved = errno;
	free(buf);
	fclose(fp);
	errno = saved;
	return ret;
}

static size_t
cload_sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static struct cnode *
cload_node(struct cload *ld, enum cnode_kind kind, size_t file,
    const yaml_mark_t *m)
{
	struct cnode	*n;

	n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->file = ld->files[file].name;
	n->line = m->line >= INT_MAX ? INT_MAX : (int)m->line + 1;
	n->col = m->column >= INT_MAX ? INT_MAX : (int)m->column + 1;
	n->weight = 1;
	ld->nodes = xreallocarray(ld->nodes, ld->nnodes + 1,
	    sizeof(*ld->nodes));
	ld->nodes[ld->nnodes++] = n;
	return n;
}

/* While a mapping is open, n counts slots (keys and values), not pairs. */
static void
cload_push(struct cnode *parent, struct cnode *child)
{
	if (parent->n == parent->cap) {
		parent->cap = parent->cap == 0 ? 8 : parent->cap * 2;
		parent->v = xreallocarray(parent->v, parent->cap,
		    sizeof(*parent->v));
	}
	parent->v[parent->n++] = child;
	parent->weight = cload_sat_add(parent->weight, child->weight);
}

static int
cload_pair_cmp(const void *a, const void *b)
{
	const struct cload_pair	*pa = a, *pb = b;
	size_t			 n;
	int			 c;

	n = pa->key->len < pb->key->len ? pa->key->len : pb->key->len;
	if ((c = memcmp(pa->key->str, pb->key->str, n)) != 0)
		return c;
	if (pa->key->len != pb->key->len)
		return pa->key->len < pb->key->len ? -1 : 1;
	return pa->i < pb->i ? -1 : pa->i > pb->i;
}

/*
 * Drops pairs whose key is not a scalar or repeats an earlier key, with an
 * error for each: later stages may assume unique scalar keys.
 */
static void
cload_map_done(struct cload *ld, struct cnode *map)
{
	struct cload_pair	*pairs;
	const struct cnode	*k, *first;
	unsigned char		*drop;
	size_t			 npairs, i, j, np = 0;
	char			 show[CNODE_SHOW_MAX];

	npairs = map->n / 2;
	map->n = npairs;
	if (npairs == 0)
		return;
	pairs = xcalloc(npairs, sizeof(*pairs));
	drop = xcalloc(npairs, 1);
	for (i = 0; i < npairs; i++) {
		k = CNODE_KEY(map, i);
		if (k->kind != CNODE_SCALAR) {
			cload_error(ld, k, "mapping keys must be scalars");
			drop[i] = 1;
			continue;
		}
		pairs[np].key = k;
		pairs[np++].i = i;
	}
	qsort(pairs, np, sizeof(*pairs), cload_pair_cmp);
	for (i = 1, first = np > 0 ? pairs[0].key : NULL; i < np; i++) {
		if (pairs[i].key->len == first->len &&
		    memcmp(pairs[i].key->str, first->str, first->len) == 0) {
			k = pairs[i].key;
			cload_error(ld, k, "duplicate key %s (first at %d:%d)",
			    cnode_show(k, show), first->line, first->col);
			drop[pairs[i].i] = 1;
		} else
			first = pairs[i].key;
	}
	for (i = j = 0; i < npairs; i++) {
		if (drop[i])
			continue;
		map->v[2 * j] = map->v[2 * i];
		map->v[2 * j + 1] = map->v[2 * i + 1];
		j++;
	}
	map->n = j;
	free(drop);
	free(pairs);
}

/* libyaml's problem and context; marks are 0-based, hence the +1. */
static void
cload_syntax(struct cload *ld, size_t file, const yaml_parser_t *p,
    const char *buf, size_t len)
{
	const char	*problem = p->problem != NULL ? p->problem : "error";
	size_t		 i, off;
	int		 line = 1, col = 1;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		fatalx("libyaml: out of memory");
	case YAML_READER_ERROR:
		/* The reader reports a byte offset, not a mark. */
		off = p->problem_offset < len ? p->problem_offset : len;
		for (i = 0; i < off; i++) {
			if (buf[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
				col++;
		}
		if (p->problem_value != -1)
			cload_msg(ld, file, line, col, 0,
			    "syntax error: %s (0x%02X)", problem,
			    (unsigned)p->problem_value);
		else
			cload_msg(ld, file, line, col, 0, "syntax error: %s",
			    problem);
		break;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		line = p->problem_mark.line >= INT_MAX ? INT_MAX :
		    (int)p->problem_mark.line + 1;
		col = p->problem_mark.column >= INT_MAX ? INT_MAX :
		    (int)p->problem_mark.column + 1;
		if (p->context != NULL)
			cload_msg(ld, file, line, col, 0,
			    "syntax error: %s (%s at %zu:%zu)", problem,
			    p->context, p->context_mark.line + 1,
			    p->context_mark.column + 1);
		else
			cload_msg(ld, file, line, col, 0, "syntax error: %s",
			    problem);
		break;
	default:
		cload_msg(ld, file, 0, 0, 0, "syntax error: %s", problem);
		break;
	}
}

/*
 * Builds the tree of the one document in buf. Returns its root, or NULL
 * after an error: a file must hold exactly one document.
 */
static struct cnode *
cload_parse(struct cload *ld, size_t file, const char *buf, size_t len)
{
	yaml_parser_t	 parser;
	yaml_event_t	 ev;
	struct cframe	*stack = NULL;
	struct canchor	*anchors = NULL;
	struct cnode	*n, *root = NULL, *ret = NULL;
	const char	*anchor;
	size_t		 nstack = 0, nanchors = 0, i;
	int		 ndocs = 0, done = 0, have_ev = 0;

	if (!yaml_parser_initialize(&parser))
		fatalx("libyaml: cannot initialise the parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf,
	    len);
	stack = xcalloc(CLOAD_MAX_NESTING + 1, sizeof(*stack));
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			cload_syntax(ld, file, &parser, buf, len);
			goto out;
		}
		have_ev = 1;
		n = NULL;
		anchor = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (ndocs++ > 0) {
				cload_msg(ld, file,
				    (int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1, 0,
				    "more than one document in the file");
				goto out;
			}
			break;
		case YAML_SCALAR_EVENT:
			n = cload_node(ld, CNODE_SCALAR, file, &ev.start_mark);
			n->len = ev.data.scalar.length;
			n->str = xmalloc(n->len + 1);
			memcpy(n->str, ev.data.scalar.value, n->len);
			n->str[n->len] = '\0';
			n->plain = ev.data.scalar.style ==
			    YAML_PLAIN_SCALAR_STYLE;
			anchor = (const char *)ev.data.scalar.anchor;
			break;
		case YAML_ALIAS_EVENT:
			for (i = nanchors; i > 0; i--)
				if (strcmp(anchors[i - 1].name,
				    (const char *)ev.data.alias.anchor) == 0)
					break;
			if (i == 0) {
				cload_msg(ld, file,
				    (int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1, 0,
				    "unknown alias '%s'",
				    (const char *)ev.data.alias.anchor);
				goto out;
			}
			n = anchors[i - 1].node;
			/* Each use costs its size: no billion laughs. */
			ld->aliased = cload_sat_add(ld->aliased, n->weight);
			if (ld->aliased > CLOAD_MAX_ALIASED) {
				cload_msg(ld, file,
				    (int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1, 0,
				    "aliases expand to more than %d nodes",
				    CLOAD_MAX_ALIASED);
				goto out;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (nstack == CLOAD_MAX_NESTING) {
				cload_msg(ld, file,
				    (int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1, 0,
				    "nesting deeper than %d levels",
				    CLOAD_MAX_NESTING);
				goto out;
			}
			stack[nstack].node = cload_node(ld,
			    ev.type == YAML_SEQUENCE_START_EVENT ? CNODE_SEQ :
			    CNODE_MAP, file, &ev.start_mark);
			anchor = ev.type == YAML_SEQUENCE_START_EVENT ?
			    (const char *)ev.data.sequence_start.anchor :
			    (const char *)ev.data.mapping_start.anchor;
			stack[nstack++].anchor = anchor != NULL ?
			    xstrdup(anchor) : NULL;
			anchor = NULL;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			n = stack[--nstack].node;
			if (n->kind == CNODE_MAP)
				cload_map_done(ld, n);
			anchor = stack[nstack].anchor;
			break;
		default:
			break;
		}
		if (n != NULL && anchor != NULL) {
			anchors = xreallocarray(anchors, nanchors + 1,
			    sizeof(*anchors));
			anchors[nanchors].name = xstrdup(anchor);
			anchors[nanchors++].node = n;
		}
		if (ev.type == YAML_SEQUENCE_END_EVENT ||
		    ev.type == YAML_MAPPING_END_EVENT) {
			free(stack[nstack].anchor);
			stack[nstack].anchor = NULL;
		}
		if (n != NULL) {
			if (nstack > 0)
				cload_push(stack[nstack - 1].node, n);
			else
				root = n;
		}
		yaml_event_delete(&ev);
		have_ev = 0;
	}
	if (ndocs == 0) {
		cload_msg(ld, file, 0, 0, 0, "no YAML document in the file");
		goto out;
	}
	ret = root;
out:
	if (have_ev)
		yaml_event_delete(&ev);
	for (i = 0; i < nstack; i++)
		free(stack[i].anchor);
	for (i = 0; i < nanchors; i++)
		free(anchors[i].name);
	free(anchors);
	free(stack);
	yaml_parser_delete(&parser);
	return ret;
}

const struct cnode *
cload_include(struct cload *ld, const struct cnode *name)
{
	const struct cfile	*from;
	struct cnode		*root = NULL;
	char			*path, *buf = NULL;
	const char		*slash;
	size_t			 len, i, file;
	dev_t			 dev;
	ino_t			 ino;

	if (ld->flags & CONFIG_NO_INCLUDE) {
		cload_error(ld, name, "cannot include '%s': includes are "
		    "disabled here", name->str);
		return NULL;
	}
	from = &ld->files[cload_rank(ld, name->file)];
	if (from->depth >= CLOAD_MAX_INCLUDE) {
		cload_error(ld, name, "cannot include '%s': includes nested "
		    "deeper than %d", name->str, CLOAD_MAX_INCLUDE);
		return NULL;
	}
	if (ld->nfiles >= CLOAD_MAX_FILES) {
		cload_error(ld, name, "cannot include '%s': more than %d "
		    "files", name->str, CLOAD_MAX_FILES);
		return NULL;
	}
	/* Relative to the including file, as a C compiler does. */
	slash = strrchr(from->name, '/');
	if (name->str[0] == '/' || slash == NULL)
		path = xstrdup(name->str);
	else
		path = xasprintf("%.*s/%s", (int)(slash - from->name),
		    from->name, name->str);
	if (cload_read(path, &buf, &len, &dev, &ino) == -1) {
		cload_error(ld, name, "cannot include '%s': %s", path,
		    cload_why(errno));
		goto out;
	}
	/* Twice is a cycle or a duplicate: either way, days counted twice. */
	for (i = 0; i < ld->nfiles; i++) {
		if (ld->files[i].has_id && ld->files[i].dev == dev &&
		    ld->files[i].ino == ino) {
			cload_error(ld, name, "cannot include '%s': it is "
			    "already included", path);
			goto out;
		}
	}
	file = cload_add_file(ld, path, from->depth + 1);
	ld->files[file].has_id = 1;
	ld->files[file].dev = dev;
	ld->files[file].ino = ino;
	root = cload_parse(ld, file, buf, len);
out:
	free(buf);
	free(path);
	return root;
}

static int
cload_order_cmp(const void *a, const void *b)
{
	const struct cload_order	*oa = a, *ob = b;

	if (oa->rank != ob->rank)
		return oa->rank < ob->rank ? -1 : 1;
	if (oa->line != ob->line)
		return oa->line < ob->line ? -1 : 1;
	if (oa->col != ob->col)
		return oa->col < ob->col ? -1 : 1;
	return oa->seq < ob->seq ? -1 : oa->seq > ob->seq;
}

/*
 * Puts this load's messages in file order, once each; earlier ones stay
 * first.
 */
static void
cload_sort(struct cload *ld)
{
	struct config_errors	*errs = ld->errs;
	struct cload_order	*ord;
	struct config_error	*tmp, *e, *prev = NULL;
	size_t			 i, j, n = errs->n - ld->first;

	if (n < 2)
		return;
	ord = xcalloc(n, sizeof(*ord));
	tmp = xcalloc(n, sizeof(*tmp));
	for (i = 0; i < n; i++) {
		ord[i].rank = ld->ranks[i];
		ord[i].line = errs->v[ld->first + i].line;
		ord[i].col = errs->v[ld->first + i].col;
		ord[i].seq = i;
		tmp[i] = errs->v[ld->first + i];
	}
	qsort(ord, n, sizeof(*ord), cload_order_cmp);
	/* A node reached twice through an alias says the same thing twice. */
	for (i = j = 0; i < n; i++) {
		e = &tmp[ord[i].seq];
		if (j > 0 && ord[i].rank == ord[i - 1].rank &&
		    e->line == prev->line && e->col == prev->col &&
		    e->warning == prev->warning &&
		    strcmp(e->msg, prev->msg) == 0) {
			if (!e->warning)
				errs->nerrors--;
			free(e->file);
			free(e->msg);
			continue;
		}
		errs->v[ld->first + j++] = *e;
		prev = e;
	}
	errs->n = ld->first + j;
	free(tmp);
	free(ord);
}

static struct config *
cload_run(struct cload *ld, const char *buf, size_t len, const char *name)
{
	struct config	*cfg = NULL;
	struct cnode	*root;
	size_t		 before = ld->errs->nerrors;

	if ((root = cload_parse(ld, 0, buf, len)) != NULL)
		cfg = plan_build(ld, root, name);
	if (cfg != NULL)
		crypto_digest(buf, len, cfg->digest);
	cload_sort(ld);
	if (ld->errs->nerrors > before) {
		config_free(cfg);
		cfg = NULL;
	}
	return cfg;
}

static void
cload_release(struct cload *ld)
{
	size_t	 i;

	for (i = 0; i < ld->nnodes; i++) {
		free(ld->nodes[i]->str);
		free(ld->nodes[i]->v);
		free(ld->nodes[i]);
	}
	for (i = 0; i < ld->nfiles; i++)
		free(ld->files[i].name);
	free(ld->nodes);
	free(ld->files);
	free(ld->ranks);
}

struct config *
config_load(const char *path, struct config_errors *errs)
{
	struct cload	 ld;
	struct config	*cfg = NULL;
	char		*buf = NULL;
	size_t		 len;
	dev_t		 dev;
	ino_t		 ino;

	memset(&ld, 0, sizeof(ld));
	ld.errs = errs;
	ld.first = errs->n;
	cload_add_file(&ld, path, 0);
	if (cload_read(path, &buf, &len, &dev, &ino) == -1) {
		cload_msg(&ld, 0, 0, 0, 0, "cannot read the plan: %s",
		    cload_why(errno));
		goto out;
	}
	ld.files[0].has_id = 1;
	ld.files[0].dev = dev;
	ld.files[0].ino = ino;
	cfg = cload_run(&ld, buf, len, path);
out:
	free(buf);
	cload_release(&ld);
	return cfg;
}

struct config *
config_load_buffer(const char *buf, size_t len, const char *name, int flags,
    struct config_errors *errs)
{
	struct cload	 ld;
	struct config	*cfg;
	struct stat	 st;

	if (name == NULL)
		name = "<buffer>";
	memset(&ld, 0, sizeof(ld));
	ld.errs = errs;
	ld.first = errs->n;
	ld.flags = flags;
	cload_add_file(&ld, name, 0);
	/* So that a plan including itself by name is caught. */
	if (!(flags & CONFIG_NO_INCLUDE) && stat(name, &st) == 0) {
		ld.files[0].has_id = 1;
		ld.files[0].dev = st.st_dev;
		ld.files[0].ino = st.st_ino;
	}
	cfg = cload_run(&ld, buf, len, name);
	cload_release(&ld);
	return cfg;
}

void
config_errors_release(struct config_errors *errs)
{
	size_t	 i;

	for (i = 0; i < errs->n; i++) {
		free(errs->v[i].file);
		free(errs->v[i].msg);
	}
	free(errs->v);
	memset(errs, 0, sizeof(*errs));
}

void
config_errors_print(const struct config_errors *errs, FILE *fp)
{
	const struct config_error	*e;
	size_t				 i;

	for (i = 0; i < errs->n; i++) {
		e = &errs->v[i];
		if (e->line > 0)
			fprintf(fp, "%s:%d:%d: %s%s\n", e->file, e->line,
			    e->col, e->warning ? "warning: " : "", e->msg);
		else
			fprintf(fp, "%s: %s%s\n", e->file,
			    e->warning ? "warning: " : "", e->msg);
	}
}
