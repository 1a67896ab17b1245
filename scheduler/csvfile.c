/*
 * Streaming CSV reader: raw chunks are decoded to UTF-8 (bad sequences
 * become CSV_BAD_BYTE), cut into physical lines and fed to libcsv.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <csv.h>

#include "bg.h"
#include "buf.h"
#include "crypto.h"
#include "csvfile.h"
#include "log.h"
#include "xmalloc.h"

#define CSV_CHUNK	(64 * 1024)
/* Undecoded bytes kept between reads: a partial sequence or a BOM. */
#define CSV_CARRY	8
/* No real registry row comes near this; a missing quote soon does. */
#define CSV_MAX_RECORD	(16 * 1024 * 1024)
#define CSV_MAX_MIB	(CSV_MAX_RECORD / (1024 * 1024))
/* Ten times the largest registry bench/ makes (10 M enterprises). */
#define CSV_MAX_GIB	16
#define CSV_MAX_FILE	((uint64_t)CSV_MAX_GIB * 1024 * 1024 * 1024)

#define BAD		((unsigned char)CSV_BAD_BYTE)

enum csvfile_state {
	CSVFILE_READING,
	CSVFILE_DONE,
	CSVFILE_FAILED,
};

/* Where the quotes seen so far leave us, as libcsv in strict mode sees it. */
enum csvfile_quote {
	Q_OUT,		/* not in a quoted field */
	Q_IN,		/* in one */
	Q_MAYBE,	/* just after a quote inside one: closed, or escaped */
};

struct csvfile {
	char			*name;
	int			 fd;		/* -1 when reading memory */
	const unsigned char	*mem;
	size_t			 memlen;
	size_t			 mempos;
	enum csv_encoding	 enc;
	int			 detected;	/* CSV_AUTO chose GB18030 */
	int			 bom;
	iconv_t			 cd;
	uint64_t		 size;
	uint64_t		 offset;	/* raw bytes read */
	/* on a second thread: 2.5 s of a 10 M-row file's import */
	struct crypto_digest	 digest;
	struct bg		*hashing;	/* NULL once final */
	unsigned char		 final[CRYPTO_DIGEST_BYTES];
	enum csvfile_state	 state;
	char			*error;

	unsigned char		*raw;		/* read, not yet decoded */
	size_t			 rawlen;
	size_t			 rawcap;
	size_t			 chunk;
	int			 eof;		/* nothing more to read */
	int			 started;	/* the BOM has been looked at */

	unsigned char		*dec;		/* decoded, not yet fed */
	size_t			 decpos;
	size_t			 declen;
	size_t			 deccap;
	uint64_t		 decabs;	/* stream offset of dec[0] */

	struct csv_parser	 parser;
	unsigned long		 line;		/* line of dec[decpos] */
	size_t			 col;		/* characters before it */
	int			 inrec;		/* libcsv is inside a record */
	int			 recdone;	/* and has just ended it */
	unsigned long		 recline;
	size_t			 reccol;
	size_t			 recbytes;

	enum csvfile_quote	 qstate;
	uint64_t		 qlast;		/* offset of the last quote */
	unsigned long		 qline;		/* where the open quoted */
	size_t			 qcol;		/*   field began */

	struct buf		 fbuf;		/* the fields, NUL-separated */
	size_t			*offs;
	size_t			*lens;
	char			**fields;
	size_t			 nfields;
	size_t			 fcap;
};

static struct csvfile	*csvfile_new(const char *, enum csv_encoding);
static void	 csvfile_setbuffers(struct csvfile *, size_t);
static void	 csvfile_fail(struct csvfile *, unsigned long, size_t,
		    const char *, ...) __attribute__((format(printf, 4, 5)));
static int	 csvfile_fill(struct csvfile *);
static int	 csvfile_decode(struct csvfile *);
static int	 csvfile_choose(struct csvfile *, enum csv_encoding);
static int	 csvfile_detect(struct csvfile *, size_t, size_t *);
static size_t	 utf8_decode(const unsigned char *, size_t, unsigned char *,
		    size_t *, int);
static size_t	 utf8_valid(const unsigned char *, size_t);
static size_t	 utf8_seq(const unsigned char *, size_t, size_t *);
static size_t	 gb_decode(struct csvfile *, unsigned char *, size_t,
		    unsigned char *, size_t *);
static size_t	 gb_badlen(const unsigned char *, size_t, enum csv_encoding,
		    int);
static size_t	 csvfile_piece(struct csvfile *, int *);
static int	 csvfile_feed(struct csvfile *, const unsigned char *, size_t,
		    int);
static void	 csvfile_quotes(struct csvfile *, const unsigned char *,
		    size_t, uint64_t);
static int	 csvfile_finish(struct csvfile *);
static int	 csvfile_emit(struct csvfile *, struct csv_record *);
static void	 csvfile_field(void *, size_t, void *);
static void	 csvfile_row(int, void *);
static void	*csvfile_realloc(void *, size_t);
static size_t	 utf8_count(const unsigned char *, size_t);
static int	 needs_quotes(const char *, size_t);

int
csv_encoding_parse(const char *s, enum csv_encoding *enc)
{
	if (strcasecmp(s, "utf-8") == 0)
		*enc = CSV_UTF8;
	else if (strcasecmp(s, "gbk") == 0)
		*enc = CSV_GBK;
	else if (strcasecmp(s, "gb18030") == 0)
		*enc = CSV_GB18030;
	else
		return -1;
	return 0;
}

const char *
csv_encoding_name(enum csv_encoding enc)
{
	switch (enc) {
	case CSV_UTF8:
		return "utf-8";
	case CSV_GBK:
		return "gbk";
	case CSV_GB18030:
		return "gb18030";
	case CSV_AUTO:
		return "utf-8";		/* until something else is seen */
	}
	return "unknown";
}

static struct csvfile *
csvfile_new(const char *name, enum csv_encoding enc)
{
	struct csvfile	*f;
	const char	*from = NULL;
	iconv_t		 cd = (iconv_t)-1;

	if (enc == CSV_GBK)
		from = "GBK";
	else if (enc == CSV_GB18030)
		from = "GB18030";
	if (from != NULL && (cd = iconv_open("UTF-8", from)) == (iconv_t)-1) {
		log_warn("cannot convert from '%s' to UTF-8",
		    csv_encoding_name(enc));
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->name = xstrdup(name);
	f->fd = -1;
	f->enc = enc;
	f->cd = cd;
	f->line = 1;
	f->state = CSVFILE_READING;
	crypto_digest_init(&f->digest, CRYPTO_DIGEST_BYTES);
	f->hashing = bg_start(crypto_digest_consume, &f->digest);
	buf_init(&f->fbuf);
	csvfile_setbuffers(f, CSV_CHUNK);
	/*
	 * Strict: a stray quote is an error, not a guess. Spaces and tabs
	 * around unquoted fields are trimmed (libcsv's default); quoted
	 * fields are kept exactly.
	 */
	if (csv_init(&f->parser, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_APPEND_NULL) != 0)
		fatalx("%s: csv_init failed", __func__);
	csv_set_realloc_func(&f->parser, csvfile_realloc);
	csv_set_blk_size(&f->parser, CSV_CHUNK);
	return f;
}

static void
csvfile_setbuffers(struct csvfile *f, size_t chunk)
{
	f->chunk = chunk;
	f->rawcap = chunk + CSV_CARRY;
	f->raw = xreallocarray(f->raw, f->rawcap, 1);
	/* At most 3 bytes a byte: CP936's euro sign, 0x80, is U+20AC. */
	f->deccap = 3 * f->rawcap + 16;
	f->dec = xreallocarray(f->dec, f->deccap, 1);
}

void
csvfile_set_chunk_size(struct csvfile *f, size_t chunk)
{
	if (chunk == 0 || f->offset != 0 || f->rawlen != 0 || f->eof)
		fatalx("%s: only before reading, and not 0", __func__);
	csvfile_setbuffers(f, chunk);
}

struct csvfile *
csvfile_open(const char *path, enum csv_encoding enc)
{
	struct csvfile	*f = NULL;
	struct stat	 st;
	int		 fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		log_warn("cannot open '%s'", path);
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		log_warn("cannot stat '%s'", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		log_warn("cannot read '%s'", path);
		goto out;
	}
	/* A device or a pipe may never end: /dev/zero would run forever. */
	if (!S_ISREG(st.st_mode)) {
		log_warnx("cannot read '%s': not a regular file; save the data "
		    "to a file and import that", path);
		goto out;
	}
	if ((uint64_t)st.st_size > CSV_MAX_FILE) {
		log_warnx("cannot read '%s': larger than %d GiB; split it and "
		    "import the parts with --partial", path, CSV_MAX_GIB);
		goto out;
	}
	if (fcntl(fd, F_SETFL, 0) == -1) {
		log_warn("cannot read '%s'", path);
		goto out;
	}
	if ((f = csvfile_new(path, enc)) == NULL)
		goto out;
	f->fd = fd;
	fd = -1;
	f->size = (uint64_t)st.st_size;
out:
	if (fd != -1)
		close(fd);
	return f;
}

struct csvfile *
csvfile_open_buffer(const void *p, size_t len, const char *name,
    enum csv_encoding enc)
{
	struct csvfile	*f;

	if ((f = csvfile_new(name, enc)) == NULL)
		return NULL;
	f->mem = p;
	f->memlen = len;
	f->size = len;
	return f;
}

void
csvfile_close(struct csvfile *f)
{
	if (f == NULL)
		return;
	if (f->fd != -1)
		close(f->fd);
	if (f->cd != (iconv_t)-1)
		iconv_close(f->cd);
	bg_finish(f->hashing);
	csv_free(&f->parser);
	buf_release(&f->fbuf);
	free(f->offs);
	free(f->lens);
	free(f->fields);
	free(f->raw);
	free(f->dec);
	free(f->error);
	free(f->name);
	free(f);
}

enum csv_encoding
csvfile_encoding(const struct csvfile *f)
{
	return f->enc == CSV_AUTO ? CSV_UTF8 : f->enc;
}

int
csvfile_detected(const struct csvfile *f)
{
	return f->detected;
}

int
csvfile_bom(const struct csvfile *f)
{
	return f->bom;
}

const char *
csvfile_error(const struct csvfile *f)
{
	return f->error != NULL ? f->error : "no error";
}

const char *
csvfile_name(const struct csvfile *f)
{
	return f->name;
}

uint64_t
csvfile_offset(const struct csvfile *f)
{
	return f->offset;
}

uint64_t
csvfile_size(const struct csvfile *f)
{
	return f->size;
}

void
csvfile_digest(struct csvfile *f, unsigned char out[32])
{
	if (f->hashing != NULL) {
		bg_finish(f->hashing);
		f->hashing = NULL;
		crypto_digest_final(&f->digest, f->final);
	}
	memcpy(out, f->final, CRYPTO_DIGEST_BYTES);
}

static void
csvfile_fail(struct csvfile *f, unsigned long line, size_t col,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		fatalx("%s: bad format '%s'", __func__, fmt);
	msg = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	va_end(ap);
	free(f->error);
	if (line == 0)
		f->error = msg;
	else {
		f->error = xasprintf("%s:%lu:%zu: %s", f->name, line, col,
		    msg);
		free(msg);
	}
	f->state = CSVFILE_FAILED;
}

int
csvfile_next(struct csvfile *f, struct csv_record *rec)
{
	size_t	 len;
	int	 eol;

	if (f->state == CSVFILE_FAILED)
		return -1;
	if (f->state == CSVFILE_DONE)
		return 0;
	/* The previous record's storage is the caller's until now. */
	buf_reset(&f->fbuf);
	f->nfields = 0;
	for (;;) {
		if (f->decpos < f->declen) {
			len = csvfile_piece(f, &eol);
			if (csvfile_feed(f, f->dec + f->decpos, len, eol) == -1)
				return -1;
			f->decpos += len;
			if (f->recdone && csvfile_emit(f, rec))
				return 1;
			continue;
		}
		if (f->eof && f->rawlen == 0) {
			if (csvfile_finish(f) == -1)
				return -1;
			if (f->recdone && csvfile_emit(f, rec))
				return 1;
			f->state = CSVFILE_DONE;
			return 0;
		}
		if (csvfile_fill(f) == -1)
			return -1;
	}
}

/*
 * The length of the next piece of dec to feed: up to and including the
 * next LF (*eol set), CRLF or bare CR, or all there is. libcsv ends a record
 * at a bare CR too: cutting there keeps it to one record per piece.
 */
static size_t
csvfile_piece(struct csvfile *f, int *eol)
{
	const unsigned char	*p = f->dec + f->decpos, *lf, *cr;
	size_t			 n = f->declen - f->decpos, lim, i;

	*eol = 0;
	lf = memchr(p, '\n', n);
	lim = lf != NULL ? (size_t)(lf - p) : n;
	if ((cr = memchr(p, '\r', lim)) != NULL) {
		i = (size_t)(cr - p);
		if (i + 1 < n && p[i + 1] == '\n') {
			*eol = 1;
			return i + 2;
		}
		/* A CR last in the buffer may still get its LF: no matter. */
		return i + 1;
	}
	if (lf != NULL) {
		*eol = 1;
		return lim + 1;
	}
	return n;
}

static int
csvfile_feed(struct csvfile *f, const unsigned char *p, size_t n, int eol)
{
	uint64_t	 abs = f->decabs + f->decpos;
	size_t		 i, done;
	int		 c;

	f->recdone = 0;
	if (!f->inrec) {
		/* libcsv skips these between records: blank lines. */
		for (i = 0; i < n; i++)
			if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
			    p[i] != '\n')
				break;
		if (i == n)
			goto advance;
		f->inrec = 1;
		f->recline = f->line;
		f->reccol = f->col + utf8_count(p, i) + 1;
		f->recbytes = 0;
	}
	f->recbytes += n;
	csvfile_quotes(f, p, n, abs);
	done = csv_parse(&f->parser, p, n, csvfile_field, csvfile_row, f);
	if (done < n) {
		if (csv_error(&f->parser) != CSV_EPARSE)
			fatalx("%s: %s", __func__,
			    csv_strerror(csv_error(&f->parser)));
		c = p[done];
		i = f->col + utf8_count(p, done) + 1;
		/* libcsv's own flag: was the field quoted? */
		if (!f->parser.quoted)
			csvfile_fail(f, f->line, i,
			    "quote inside an unquoted field");
		else if (c > ' ' && c < 0x7f)
			csvfile_fail(f, f->line, i,
			    "unexpected '%c' after closing quote", c);
		else
			csvfile_fail(f, f->line, i,
			    "unexpected character after closing quote");
		return -1;
	}
	if (f->recdone)
		f->inrec = 0;
	else if (f->recbytes > CSV_MAX_RECORD) {
		if (f->qstate == Q_IN)
			csvfile_fail(f, f->qline, f->qcol, "quoted field "
			    "longer than %d MiB (is its closing quote missing?)",
			    CSV_MAX_MIB);
		else
			csvfile_fail(f, f->recline, f->reccol,
			    "record longer than %d MiB", CSV_MAX_MIB);
		return -1;
	}
advance:
	if (eol) {
		f->line++;
		f->col = 0;
	} else
		f->col += utf8_count(p, n);
	return 0;
}

/*
 * Follows the quotes of a piece, only to be able to say where a quoted
 * field that never ends began; libcsv knows only that it has not ended.
 * Strict mode has already refused every quote that does not fit.
 */
static void
csvfile_quotes(struct csvfile *f, const unsigned char *p, size_t n,
    uint64_t abs)
{
	const unsigned char	*q = p, *end = p + n;
	uint64_t		 qa;
	size_t			 open = 0;
	int			 opened = 0;

	while (q < end && (q = memchr(q, '"', (size_t)(end - q))) != NULL) {
		qa = abs + (uint64_t)(q - p);
		if (f->qstate == Q_IN)
			f->qstate = Q_MAYBE;
		else if (f->qstate == Q_MAYBE && qa == f->qlast + 1)
			f->qstate = Q_IN;
		else {
			f->qstate = Q_IN;
			f->qline = f->line;
			open = (size_t)(q - p);
			opened = 1;
		}
		f->qlast = qa;
		q++;
	}
	/* The column is needed only if the field may go on past here. */
	if (opened && (f->qstate == Q_IN ||
	    (f->qstate == Q_MAYBE && f->qlast == abs + n - 1)))
		f->qcol = f->col + utf8_count(p, open) + 1;
}

static int
csvfile_finish(struct csvfile *f)
{
	f->recdone = 0;
	if (csv_fini(&f->parser, csvfile_field, csvfile_row, f) != 0) {
		csvfile_fail(f, f->qline, f->qcol, "unterminated quoted field");
		return -1;
	}
	f->inrec = 0;
	return 0;
}

/* Hands the record over; 0 (and nothing) if all its fields are empty. */
static int
csvfile_emit(struct csvfile *f, struct csv_record *rec)
{
	size_t	 i;
	int	 empty = 1;

	f->recdone = 0;
	for (i = 0; i < f->nfields; i++)
		if (f->lens[i] > 0)
			empty = 0;
	if (empty) {
		buf_reset(&f->fbuf);
		f->nfields = 0;
		return 0;
	}
	for (i = 0; i < f->nfields; i++)
		f->fields[i] = f->fbuf.data + f->offs[i];
	rec->nfields = f->nfields;
	rec->fields = f->fields;
	rec->lens = f->lens;
	rec->line = f->recline;
	return 1;
}

static void
csvfile_field(void *s, size_t len, void *arg)
{
	struct csvfile	*f = arg;

	if (f->nfields == f->fcap) {
		f->fcap = f->fcap == 0 ? 32 : f->fcap * 2;
		f->offs = xreallocarray(f->offs, f->fcap, sizeof(*f->offs));
		f->lens = xreallocarray(f->lens, f->fcap, sizeof(*f->lens));
		f->fields = xreallocarray(f->fields, f->fcap,
		    sizeof(*f->fields));
	}
	f->offs[f->nfields] = f->fbuf.len;
	f->lens[f->nfields] = len;
	/* CSV_APPEND_NULL: s[len] is a NUL; keep it as the separator. */
	buf_add(&f->fbuf, s, len + 1);
	f->nfields++;
}

static void
csvfile_row(int c, void *arg)
{
	struct csvfile	*f = arg;

	(void)c;
	f->recdone = 1;
}

static void *
csvfile_realloc(void *p, size_t n)
{
	return xreallocarray(p, n, 1);
}

/* Reads the next chunk (if any is left) and decodes what can be. */
static int
csvfile_fill(struct csvfile *f)
{
	size_t	 want;
	ssize_t	 n;

	/* Every piece of dec has been fed. */
	f->decabs += f->declen;
	f->decpos = 0;
	f->declen = 0;

	if (!f->eof) {
		want = f->rawcap - f->rawlen;
		if (want > f->chunk)
			want = f->chunk;
		if (f->fd == -1) {
			n = (ssize_t)(f->memlen - f->mempos < want ?
			    f->memlen - f->mempos : want);
			if (n > 0)
				memcpy(f->raw + f->rawlen, f->mem + f->mempos,
				    (size_t)n);
			f->mempos += (size_t)n;
		} else {
			while ((n = read(f->fd, f->raw + f->rawlen, want)) ==
			    -1 && errno == EINTR)
				continue;
			if (n == -1) {
				csvfile_fail(f, 0, 0, "cannot read '%s': %s",
				    f->name, strerror(errno));
				return -1;
			}
		}
		if (n == 0)
			f->eof = 1;
		else if (f->offset + (uint64_t)n > CSV_MAX_FILE) {
			/* It grew while we read it. */
			csvfile_fail(f, 0, 0, "cannot read '%s': larger than "
			    "%d GiB", f->name, CSV_MAX_GIB);
			return -1;
		} else {
			if (f->hashing == NULL)
				fatalx("csvfile: '%s' read after its digest",
				    f->name);
			bg_add(f->hashing, f->raw + f->rawlen, (size_t)n);
			f->offset += (uint64_t)n;
			f->rawlen += (size_t)n;
		}
	}
	return csvfile_decode(f);
}

/* Decodes raw into dec, keeping a sequence cut by the chunk's end. */
static int
csvfile_decode(struct csvfile *f)
{
	const unsigned char	*r = f->raw;
	size_t			 used = 0, out = 0;

	if (!f->started) {
		/* Up to 4 bytes decide which byte-order mark this is. */
		if (f->rawlen < 4 && !f->eof)
			return 0;
		f->started = 1;
		/* A zip (.xlsx, .ods) or an OLE2 compound file (.xls). */
		if (f->rawlen >= 4 && ((memcmp(r, "PK\3\4", 4) == 0) ||
		    memcmp(r, "\xd0\xcf\x11\xe0", 4) == 0)) {
			csvfile_fail(f, 1, 1, "this is a spreadsheet workbook "
			    "(.%s), not CSV: save it as CSV (UTF-8) in the "
			    "spreadsheet and import that file",
			    r[0] == 'P' ? "xlsx" : "xls");
			return -1;
		}
		if (f->rawlen >= 2 && ((r[0] == 0xff && r[1] == 0xfe) ||
		    (r[0] == 0xfe && r[1] == 0xff))) {
			csvfile_fail(f, 1, 1, "file is in UTF-16, not %s (save "
			    "it as CSV in UTF-8)", csv_encoding_name(f->enc));
			return -1;
		}
		if (f->rawlen >= 3 && r[0] == 0xef && r[1] == 0xbb &&
		    r[2] == 0xbf) {
			if (f->enc == CSV_AUTO)
				f->enc = CSV_UTF8;
			if (f->enc != CSV_UTF8) {
				csvfile_fail(f, 1, 1, "file starts with a "
				    "UTF-8 byte-order mark but is read as %s "
				    "(is it utf-8?)", csv_encoding_name(f->enc));
				return -1;
			}
			used = 3;
			f->bom = 1;
		} else if ((f->enc == CSV_GB18030 || f->enc == CSV_AUTO) &&
		    f->rawlen >= 4 &&
		    r[0] == 0x84 && r[1] == 0x31 && r[2] == 0x95 &&
		    r[3] == 0x33) {
			used = 4;	/* U+FEFF in GB18030 */
			f->bom = 1;
			if (f->enc == CSV_AUTO && csvfile_choose(f,
			    CSV_GB18030) == -1)
				return -1;
		}
	}
	if (f->enc == CSV_AUTO && csvfile_detect(f, used, &out) == -1)
		return -1;
	if (f->enc == CSV_AUTO) {
		/* Undecided: only the ASCII so far, the same in all. */
		memcpy(f->dec + f->declen, f->raw + used, out);
		used += out;
	} else if (f->enc == CSV_UTF8)
		used += utf8_decode(f->raw + used, f->rawlen - used,
		    f->dec + f->declen, &out, f->eof);
	else
		used += gb_decode(f, f->raw + used, f->rawlen - used,
		    f->dec + f->declen, &out);
	f->declen += out;
	if (f->declen > f->deccap)
		fatalx("%s: decoded past the buffer", __func__);
	f->rawlen -= used;
	if (f->rawlen > 0)
		memmove(f->raw, f->raw + used, f->rawlen);
	if (f->rawlen >= CSV_CARRY)
		fatalx("%s: %zu bytes left undecoded", __func__, f->rawlen);
	return 0;
}

static int
csvfile_choose(struct csvfile *f, enum csv_encoding enc)
{
	if (enc != CSV_UTF8 && (f->cd = iconv_open("UTF-8", "GB18030")) ==
	    (iconv_t)-1) {
		csvfile_fail(f, 0, 0, "cannot convert from 'gb18030' to "
		    "UTF-8: %s", strerror(errno));
		return -1;
	}
	f->enc = enc;
	f->detected = enc != CSV_UTF8;
	return 0;
}

/*
 * CSV_AUTO decides at the first non-ASCII byte, on what the buffer holds
 * from there: valid UTF-8 is UTF-8; else valid GB18030 is GB18030; else
 * UTF-8, whose bad bytes the caller then reports. ASCII reads the same in
 * all three, so what came before needs no second look.
 */
static int
csvfile_detect(struct csvfile *f, size_t from, size_t *ascii)
{
	const unsigned char	*p = f->raw + from, *end = f->raw + f->rawlen;
	char			 tmp[16384], *ip, *op;
	size_t			 n, il, ol, bad;
	iconv_t			 cd;
	int			 ok = 1;

	while (p < end && *p < 0x80 && *p != '\0')
		p++;
	*ascii = (size_t)(p - (f->raw + from));
	n = (size_t)(end - p);
	if (p == end)
		return f->eof ? csvfile_choose(f, CSV_UTF8) : 0;
	/* A few bytes more, unless there are none: one whole character. */
	if (n < 4 && !f->eof && *p != '\0')
		return 0;
	if (*p == '\0')
		return csvfile_choose(f, CSV_UTF8);
	il = utf8_valid(p, n);
	if (il == n || (!f->eof && n - il < 4 &&
	    utf8_seq(p + il, n - il, &bad) == 0 && bad == 0))
		return csvfile_choose(f, CSV_UTF8);
	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return csvfile_choose(f, CSV_UTF8);
	ip = (char *)(uintptr_t)p;
	il = n;
	while (il > 0) {
		op = tmp;
		ol = sizeof(tmp);
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EINVAL: cut by the chunk, which is no proof against */
		ok = errno == EINVAL && !f->eof;
		break;
	}
	iconv_close(cd);
	return csvfile_choose(f, ok ? CSV_GB18030 : CSV_UTF8);
}

void
csv_encode(enum csv_encoding enc, const char *s, size_t n, struct buf *out)
{
	char	 tmp[4096], *ip = (char *)(uintptr_t)s, *op;
	size_t	 il = n, ol;
	iconv_t	 cd;

	if (enc == CSV_UTF8 || enc == CSV_AUTO || (cd = iconv_open(
	    enc == CSV_GBK ? "GBK" : "GB18030", "UTF-8")) == (iconv_t)-1) {
		buf_add(out, s, n);
		return;
	}
	while (il > 0) {
		op = tmp;
		ol = sizeof(tmp);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 &&
		    errno != E2BIG) {
			buf_add(out, tmp, sizeof(tmp) - ol);
			buf_addch(out, '?');
			/* skip one UTF-8 character */
			do {
				ip++;
				il--;
			} while (il > 0 && ((unsigned char)*ip & 0xc0) == 0x80);
			continue;
		}
		buf_add(out, tmp, sizeof(tmp) - ol);
	}
	iconv_close(cd);
}

/*
 * Copies valid UTF-8 and replaces each maximal ill-formed subpart (Unicode
 * 3.9, "U+FFFD substitution of maximal subparts") with one BAD byte, as
 * well as NUL, which no spreadsheet writes and C strings cannot hold.
 * Returns the bytes used: all of them at EOF, else up to a cut sequence.
 */
static size_t
utf8_decode(const unsigned char *in, size_t n, unsigned char *out,
    size_t *outlen, int eof)
{
	size_t	 i = 0, o = 0, run, bad;

	while (i < n) {
		run = i;
		i += utf8_valid(in + i, n - i);
		memcpy(out + o, in + run, i - run);
		o += i - run;
		if (i >= n)
			break;
		utf8_seq(in + i, n - i, &bad);
		if (bad == 0) {
			if (!eof)
				break;	/* cut by the chunk: wait for more */
			bad = n - i;
		}
		out[o++] = BAD;
		i += bad;
	}
	*outlen = o;
	return i;
}

/* The length of the longest valid UTF-8 prefix without NUL. */
static size_t
utf8_valid(const unsigned char *p, size_t n)
{
	const uint64_t	 ones = UINT64_C(0x0101010101010101);
	const uint64_t	 highs = UINT64_C(0x8080808080808080);
	uint64_t	 v;
	size_t		 i = 0, len, bad;
	unsigned char	 c;

	while (i < n) {
		/* Eight ASCII bytes, none of them NUL, at a time. */
		if (i + 8 <= n) {
			memcpy(&v, p + i, 8);
			if ((v & highs) == 0 &&
			    ((v - ones) & ~v & highs) == 0) {
				i += 8;
				continue;
			}
		}
		c = p[i];
		if (c >= 0x01 && c < 0x80)
			i++;
		else if (c >= 0xe1 && c <= 0xef && c != 0xed) {
			/* Most of CJK: no special second-byte range. */
			if (i + 2 >= n || (p[i + 1] & 0xc0) != 0x80 ||
			    (p[i + 2] & 0xc0) != 0x80)
				break;
			i += 3;
		} else {
			if ((len = utf8_seq(p + i, n - i, &bad)) == 0)
				break;
			i += len;
		}
	}
	return i;
}

/*
 * The length of the valid sequence at p (NUL is not one); else 0 with *bad
 * the length of its maximal ill-formed subpart, or 0 if the buffer ends
 * before it can be told.
 */
static size_t
utf8_seq(const unsigned char *p, size_t n, size_t *bad)
{
	size_t		 len, k;
	unsigned char	 c = p[0], lo = 0x80, hi = 0xbf;

	*bad = 1;
	if (c < 0x80)
		return c == 0 ? 0 : 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* past U+10FFFF */
	} else
		return 0;
	for (k = 1; k < len; k++) {
		if (k >= n) {
			*bad = 0;
			return 0;
		}
		if (p[k] < lo || p[k] > hi) {
			*bad = k;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return len;
}

/*
 * GBK and GB18030 through iconv(3). Where iconv stops at a bad sequence we
 * replace the bytes that form it -- never an ASCII byte, so that a bad lead
 * byte cannot swallow a quote, comma or newline -- with one BAD byte.
 */
static size_t
gb_decode(struct csvfile *f, unsigned char *in, size_t n, unsigned char *out,
    size_t *outlen)
{
	char		*ip = (char *)in, *op = (char *)out;
	size_t		 il = n, ol = f->deccap - f->declen, skip;
	unsigned char	*z, *end;

	while (il > 0) {
		if (iconv(f->cd, &ip, &il, &op, &ol) != (size_t)-1)
			break;
		if (errno == E2BIG)
			fatalx("%s: output buffer too small", __func__);
		if (errno == EINVAL && !f->eof)
			break;		/* cut by the chunk: wait for more */
		if (errno == EINVAL)
			skip = il;	/* cut by the end of the file */
		else if (errno == EILSEQ) {
			skip = gb_badlen((unsigned char *)ip, il, f->enc,
			    f->eof);
			if (skip == 0)
				break;
		} else
			fatalx("%s: iconv: %s", __func__, strerror(errno));
		if (ol == 0)
			fatalx("%s: output buffer too small", __func__);
		*op++ = (char)BAD;
		ol--;
		ip += skip;
		il -= skip;
	}
	end = (unsigned char *)op;
	for (z = out; z < end && (z = memchr(z, '\0', (size_t)(end - z))) !=
	    NULL; z++)
		*z = BAD;
	*outlen = (size_t)(end - out);
	return n - il;
}

/*
 * The length of the bad sequence at p: a lead byte with a non-ASCII trail
 * byte is a pair, a complete four-byte form (GB18030) is four, anything
 * else one. 0: cannot tell before the next read.
 */
static size_t
gb_badlen(const unsigned char *p, size_t n, enum csv_encoding enc, int eof)
{
	if (p[0] < 0x81 || p[0] > 0xfe)
		return 1;
	if (n < 2)
		return eof ? 1 : 0;
	if (p[1] >= 0x80 && p[1] <= 0xfe)
		return 2;
	if (enc != CSV_GB18030 || p[1] < 0x30 || p[1] > 0x39)
		return 1;
	if (n < 3)
		return eof ? 1 : 0;
	if (p[2] < 0x81 || p[2] > 0xfe)
		return 1;
	if (n < 4)
		return eof ? 1 : 0;
	if (p[3] < 0x30 || p[3] > 0x39)
		return 1;
	return 4;
}

/* Characters, for columns: every byte but UTF-8 continuation bytes. */
static size_t
utf8_count(const unsigned char *p, size_t n)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++)
		c += (p[i] & 0xc0) != 0x80;
	return c;
}

/* Our reader trims unquoted spaces and tabs, so those need quotes too. */
static int
needs_quotes(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t')
		return 1;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n')
			return 1;
	return 0;
}

int
csv_formula_lead(const char *s, size_t n)
{
	return n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
	    s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

/*
 * OWASP's rule against CSV injection: a cell a spreadsheet would take for
 * a formula gets a leading apostrophe (which spreadsheets hide) and is
 * quoted; every other cell is written as csv_write_field does.
 */
void
csv_write_cell(FILE *fp, const char *s, size_t n)
{
	const char	*q, *end = s + n;

	if (!csv_formula_lead(s, n)) {
		csv_write_field(fp, s, n);
		return;
	}
	fputs("\"'", fp);
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		fwrite(s, 1, (size_t)(q - s) + 1, fp);
		putc('"', fp);
		s = q + 1;
	}
	fwrite(s, 1, (size_t)(end - s), fp);
	putc('"', fp);
}

void
csv_write_field(FILE *fp, const char *s, size_t n)
{
	const char	*q, *end = s + n;

	if (!needs_quotes(s, n)) {
		fwrite(s, 1, n, fp);
		return;
	}
	putc('"', fp);
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		fwrite(s, 1, (size_t)(q - s) + 1, fp);
		putc('"', fp);
		s = q + 1;
	}
	fwrite(s, 1, (size_t)(end - s), fp);
	putc('"', fp);
}

/*
 * Files written for spreadsheets: UTF-8 text in the encoding asked for,
 * a UTF-8 file with a BOM so that Excel takes it for UTF-8.
 */
int
csv_encode_sheet(enum csv_encoding enc, const char *s, size_t len,
    struct buf *out)
{
	const char	*to = enc == CSV_GBK ? "GBK" : "GB18030";
	iconv_t		 cd;
	char		*ip = (char *)(uintptr_t)s, *op;
	size_t		 il = len, ol, done;
	int		 ret = 0;

	if (enc == CSV_UTF8) {
		buf_add(out, "\xef\xbb\xbf", 3);
		buf_add(out, s, len);
		return 0;
	}
	if ((cd = iconv_open(to, "UTF-8")) == (iconv_t)-1)
		return error("cannot convert to %s: %s", to, strerror(errno));
	while (il > 0) {
		buf_grow(out, il * 2 + 16);
		op = out->data + out->len;
		ol = out->cap - out->len - 1;
		done = ol;
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 &&
		    errno != E2BIG) {
			ret = error("character at byte %zu cannot be written "
			    "in %s; write the file in utf-8", (size_t)(ip - s),
			    csv_encoding_name(enc));
			break;
		}
		out->len += done - ol;
		out->data[out->len] = '\0';
	}
	iconv_close(cd);
	return ret;
}
