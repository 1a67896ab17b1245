/*
 * JSON written for machines (ssj status --json, ssj show --json): a tree
 * built key by key, printed with its keys in the order given. jsonw.c
 * wraps jansson for writing, as beacon.c does for reading records.
 */
#ifndef SSJ_JSONW_H
#define SSJ_JSONW_H

#include <stdint.h>
#include <stdio.h>

struct jw;	/* an object or an array being built */

struct jw	*jw_object(void);
/* Members of an object; a NULL string is written as null. */
void		 jw_str(struct jw *, const char *key, const char *);
void		 jw_int(struct jw *, const char *key, int64_t);
void		 jw_bool(struct jw *, const char *key, int);
/* A new object or array as a member, or as an array's next element. */
struct jw	*jw_add_object(struct jw *, const char *key);
struct jw	*jw_add_array(struct jw *, const char *key);
struct jw	*jw_push_object(struct jw *array);
void		 jw_push_str(struct jw *array, const char *);
/* Prints the whole tree, indented, then a newline; -1 said why not. */
int		 jw_print(struct jw *, FILE *);
/* Frees the tree (its root). */
void		 jw_free(struct jw *);

#endif
