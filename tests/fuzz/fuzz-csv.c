/*
 * libFuzzer harness for csvfile.c: the first byte picks the encoding and a
 * chunk size, the rest is read as a CSV file. Broken invariants abort().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "csvfile.h"

#define NAME	"fuzz.csv"

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 utf8_ok(const unsigned char *, size_t);
static void	 check_record(const struct csv_record *, unsigned long,
		    unsigned long);
static int	 run(const uint8_t *, size_t, enum csv_encoding, size_t,
		    int, struct buf *, struct buf *);

/* Valid UTF-8 with no NUL, CSV_BAD_BYTE allowed anywhere between. */
static int
utf8_ok(const unsigned char *p, size_t n)
{
	size_t		 i = 0, len, k;
	unsigned char	 c, lo, hi;

	while (i < n) {
		c = p[i];
		lo = 0x80;
		hi = 0xbf;
		if (c == 0)
			return 0;
		if (c < 0x80 || c == 0xff) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			lo = c == 0xe0 ? 0xa0 : 0x80;
			hi = c == 0xed ? 0x9f : 0xbf;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			lo = c == 0xf0 ? 0x90 : 0x80;
			hi = c == 0xf4 ? 0x8f : 0xbf;
		} else
			return 0;
		for (k = 1; k < len; k++) {
			if (i + k >= n || p[i + k] < lo || p[i + k] > hi)
				return 0;
			lo = 0x80;
			hi = 0xbf;
		}
		i += len;
	}
	return 1;
}

static void
check_record(const struct csv_record *rec, unsigned long prev,
    unsigned long maxline)
{
	size_t	 i;
	int	 empty = 1;

	if (rec->nfields == 0 || rec->line < 1 || rec->line < prev ||
	    rec->line > maxline)
		abort();
	for (i = 0; i < rec->nfields; i++) {
		if (rec->fields[i][rec->lens[i]] != '\0')
			abort();
		if (!utf8_ok((const unsigned char *)rec->fields[i],
		    rec->lens[i]))
			abort();
		if (rec->lens[i] > 0)
			empty = 0;
	}
	if (empty)
		abort();
}

/*
 * Reads data and appends every record (with its line if lines is set) to
 * out, unambiguously, then the outcome; rewrites the records as CSV into
 * csv if it is not NULL. Returns csvfile_next's last result.
 */
static int
run(const uint8_t *data, size_t size, enum csv_encoding enc, size_t chunk,
    int lines, struct buf *out, struct buf *csv)
{
	struct csvfile		*f;
	struct csv_record	 rec;
	unsigned char		 d1[CRYPTO_DIGEST_BYTES];
	unsigned char		 d2[CRYPTO_DIGEST_BYTES];
	unsigned long		 prev = 0, maxline = 1;
	size_t			 i, len;
	char			*mem = NULL;
	FILE			*fp = NULL;
	int			 rc;

	for (i = 0; i < size; i++)
		maxline += data[i] == '\n';
	if ((f = csvfile_open_buffer(data, size, NAME, enc)) == NULL)
		abort();
	if (chunk > 0)
		csvfile_set_chunk_size(f, chunk);
	if (csv != NULL && (fp = open_memstream(&mem, &len)) == NULL)
		abort();
	while ((rc = csvfile_next(f, &rec)) == 1) {
		check_record(&rec, prev, maxline);
		prev = rec.line;
		if (lines)
			buf_printf(out, "%lu", rec.line);
		for (i = 0; i < rec.nfields; i++) {
			buf_printf(out, ":%zu:", rec.lens[i]);
			buf_add(out, rec.fields[i], rec.lens[i]);
			if (fp != NULL) {
				if (i > 0)
					putc(',', fp);
				csv_write_field(fp, rec.fields[i],
				    rec.lens[i]);
			}
		}
		buf_addch(out, '\n');
		if (fp != NULL)
			putc('\n', fp);
	}
	if (csvfile_offset(f) > size || csvfile_size(f) != size)
		abort();
	if (rc == 0) {
		buf_addstr(out, "EOF");
		if (csvfile_offset(f) != size)
			abort();
		csvfile_digest(f, d1);
		crypto_digest(data, size, d2);
		if (memcmp(d1, d2, sizeof(d1)) != 0)
			abort();
		if (csvfile_next(f, &rec) != 0)
			abort();
	} else {
		if (strncmp(csvfile_error(f), NAME ":", strlen(NAME) + 1) != 0)
			abort();
		buf_printf(out, "ERR %s", lines ? csvfile_error(f) : "");
		if (csvfile_next(f, &rec) != -1)
			abort();
	}
	csvfile_close(f);
	if (fp != NULL) {
		if (fclose(fp) != 0)
			abort();
		buf_add(csv, mem, len);
		free(mem);
	}
	return rc;
}

static int
starts(const struct buf *b, const char *magic)
{
	return b->len >= strlen(magic) &&
	    memcmp(b->data, magic, strlen(magic)) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum csv_encoding	 encs[4] = {
		CSV_UTF8, CSV_GBK, CSV_GB18030, CSV_UTF8
	};
	struct buf			 a = BUF_INIT, b = BUF_INIT;
	struct buf			 csv = BUF_INIT, c = BUF_INIT;
	enum csv_encoding		 enc;
	size_t				 chunk;

	if (size < 1 || size > 65536)
		return 0;
	enc = encs[data[0] & 3];
	chunk = data[0] >> 2;		/* 0: the reader's own 64 KiB */
	data++;
	size--;

	/* Where the chunks end changes nothing. */
	run(data, size, enc, chunk, 1, &a, &csv);
	run(data, size, enc, 0, 1, &b, NULL);
	if (a.len != b.len || memcmp(buf_cstr(&a), buf_cstr(&b), a.len) != 0)
		abort();

	/*
	 * The records csv_write_field wrote read back the same in UTF-8,
	 * unless the first starts with U+FEFF, which would read as a BOM,
	 * or with a workbook's magic, which the reader refuses.
	 */
	if (!starts(&csv, "\xef\xbb\xbf") && !starts(&csv, "PK\3\4") &&
	    !starts(&csv, "\xd0\xcf\x11\xe0")) {
		buf_reset(&a);
		a.len -= run(data, size, enc, 0, 0, &a, NULL) == 0 ?
		    strlen("EOF") : strlen("ERR ");
		if (run((const uint8_t *)buf_cstr(&csv), csv.len, CSV_UTF8, 0,
		    0, &c, NULL) != 0)
			abort();
		c.len -= strlen("EOF");
		if (a.len != c.len || memcmp(buf_cstr(&a), buf_cstr(&c),
		    a.len) != 0)
			abort();
	}
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	buf_release(&csv);
	return 0;
}
