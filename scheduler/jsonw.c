/*
 * The JSON writer: jansson's values behind a small interface, so that
 * only two files include jansson.h (this one writes, beacon.c reads).
 * Text that is not UTF-8 (the imports refuse it; an old database may
 * hold some) is written as null rather than as broken JSON.
 */
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "jsonw.h"
#include "log.h"

#define J(p)	((json_t *)(void *)(p))
#define W(p)	((struct jsonw *)(void *)(p))

static json_t *
must(json_t *v)
{
	if (v == NULL)
		fatalx("jansson: out of memory");
	return v;
}

struct jsonw *
jsonw_object(void)
{
	return W(must(json_object()));
}

static void
set(struct jsonw *o, const char *key, json_t *v)
{
	if (json_object_set_new(J(o), key, must(v)) == -1)
		fatalx("jansson: cannot set '%s'", key);
}

void
jsonw_str(struct jsonw *o, const char *key, const char *s)
{
	json_t	*v = s != NULL ? json_string(s) : NULL;

	set(o, key, v != NULL ? v : json_null());
}

void
jsonw_int(struct jsonw *o, const char *key, int64_t n)
{
	set(o, key, json_integer((json_int_t)n));
}

void
jsonw_bool(struct jsonw *o, const char *key, int b)
{
	set(o, key, json_boolean(b));
}

struct jsonw *
jsonw_add_object(struct jsonw *o, const char *key)
{
	json_t	*v = must(json_object());

	set(o, key, v);
	return W(v);
}

struct jsonw *
jsonw_add_array(struct jsonw *o, const char *key)
{
	json_t	*v = must(json_array());

	set(o, key, v);
	return W(v);
}

struct jsonw *
jsonw_push_object(struct jsonw *a)
{
	json_t	*v = must(json_object());

	if (json_array_append_new(J(a), v) == -1)
		fatalx("jansson: cannot append");
	return W(v);
}

void
jsonw_push_str(struct jsonw *a, const char *s)
{
	json_t	*v = s != NULL ? json_string(s) : NULL;

	if (json_array_append_new(J(a), v != NULL ? v : json_null()) == -1)
		fatalx("jansson: cannot append");
}

int
jsonw_print(struct jsonw *o, FILE *fp)
{
	if (json_dumpf(J(o), fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ==
	    -1 || fputc('\n', fp) == EOF || fflush(fp) == EOF) {
		log_warn("cannot write the JSON");
		return -1;
	}
	return 0;
}

void
jsonw_free(struct jsonw *o)
{
	json_decref(J(o));
}
