/*
 * JSON written for machines (ssj status --json, ssj show --json): a tree
 * built key by key, printed with its keys in the order given. jsonw.c
 * wraps jansson for writing, as beacon.c does for reading records.
 */
#ifndef SSJ_JSONW_H
#define SSJ_JSONW_H

#include <stdint.h>
#include <stdio.h>

struct jsonw;	/* an object or an array being built */

struct jsonw	*jsonw_object(void);
/* Members of an object; a NULL string is written as null. */
void		 jsonw_str(struct jsonw *, const char *key, const char *);
void		 jsonw_int(struct jsonw *, const char *key, int64_t);
void		 jsonw_bool(struct jsonw *, const char *key, int);
/* A new object or array as a member, or as an array's next element. */
struct jsonw	*jsonw_add_object(struct jsonw *, const char *key);
struct jsonw	*jsonw_add_array(struct jsonw *, const char *key);
struct jsonw	*jsonw_push_object(struct jsonw *array);
void		 jsonw_push_str(struct jsonw *array, const char *);
/* Prints the whole tree, indented, then a newline; -1 said why not. */
int		 jsonw_print(struct jsonw *, FILE *);
/* Frees the tree (its root). */
void		 jsonw_free(struct jsonw *);

#endif
