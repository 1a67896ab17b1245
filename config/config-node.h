/*
 * Shared by config.c and plan.c only: the YAML node tree config.c builds
 * with libyaml (so that plan.c never sees libyaml), the loader that owns
 * it, and the calls through which both report messages.
 */
#ifndef SSJ_CONFIG_NODE_H
#define SSJ_CONFIG_NODE_H

#include <stddef.h>

#include "config.h"

enum cnode_kind {
	CNODE_SCALAR,
	CNODE_SEQ,
	CNODE_MAP,
};

/*
 * A node of a YAML document. Aliases share the anchored node, so the tree
 * is a DAG; the loader owns every node and frees them all at once.
 */
struct cnode {
	enum cnode_kind	  kind;
	const char	 *file;		/* owned by the loader */
	int		  line;		/* 1-based */
	int		  col;		/* 1-based, in characters */
	char		 *str;		/* scalar: text, NUL-terminated */
	size_t		  len;		/* scalar: bytes (may hold a NUL) */
	int		  plain;	/* scalar: unquoted, so may be null */
	struct cnode	**v;		/* seq: n; map: key, value, ... */
	size_t		  n;		/* entries, or key/value pairs */
	size_t		  cap;
	size_t		  weight;	/* nodes below, aliases expanded */
};

struct cload;

/* A plain empty scalar, "~" or "null": YAML's "no value". */
int	cnode_is_null(const struct cnode *);
#define CNODE_SHOW_MAX	64
/*
 * The node as a message shows it: a scalar quoted, cut short, control
 * characters as '?'; else "a mapping", "a sequence", "an empty value".
 */
const char *cnode_show(const struct cnode *, char buf[CNODE_SHOW_MAX]);
/* A map's i-th key and value. */
#define CNODE_KEY(n, i)		((n)->v[2 * (i)])
#define CNODE_VALUE(n, i)	((n)->v[2 * (i) + 1])

/* Appends an error or a warning at the node's position (node may be NULL). */
void	cload_error(struct cload *, const struct cnode *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	cload_warn(struct cload *, const struct cnode *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Loads the file a scalar node names, relative to the directory of the
 * file holding that node; returns the document's root, owned by the
 * loader, or NULL after reporting why not.
 */
const struct cnode *cload_include(struct cload *, const struct cnode *);

/* plan.c: turns a document into a plan, reporting through the loader. */
struct config	*plan_build(struct cload *, const struct cnode *root,
		    const char *path);

#endif
