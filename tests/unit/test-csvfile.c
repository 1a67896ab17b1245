/*
 * Unit tests of csvfile.c: quoting, lines, encodings, bad bytes, errors
 * with their positions, chunk boundaries anywhere, files and buffers.
 */
#include <setjmp.h>
#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "crypto.h"
#include "csvfile.h"
#include "xmalloc.h"

#define NAME	"t.csv"

static char	*serialize(struct csvfile *);
static char	*parse(const void *, size_t, enum csv_encoding, size_t);
static char	*write_temp(const void *, size_t);
static void	 check_chunks(const void *, size_t, enum csv_encoding);

/*
 * Every record as "LINE|field|field\n" (\n, \r, \t, |, \ escaped, the bad
 * byte as \xff), then "EOF" or "ERR message".
 */
static char *
serialize(struct csvfile *f)
{
	struct csv_record	 rec;
	struct buf		 b = BUF_INIT;
	size_t			 i, j;
	unsigned char		 c;
	int			 rc;

	while ((rc = csvfile_next(f, &rec)) == 1) {
		buf_printf(&b, "%lu", rec.line);
		for (i = 0; i < rec.nfields; i++) {
			buf_addch(&b, '|');
			assert_int_equal(rec.fields[i][rec.lens[i]], '\0');
			for (j = 0; j < rec.lens[i]; j++) {
				c = (unsigned char)rec.fields[i][j];
				if (c == '\n')
					buf_addstr(&b, "\\n");
				else if (c == '\r')
					buf_addstr(&b, "\\r");
				else if (c == '\t')
					buf_addstr(&b, "\\t");
				else if (c == '|' || c == '\\') {
					buf_addch(&b, '\\');
					buf_addch(&b, c);
				} else if (c == 0xff)
					buf_addstr(&b, "\\xff");
				else
					buf_addch(&b, c);
			}
		}
		buf_addch(&b, '\n');
	}
	if (rc == 0)
		buf_addstr(&b, "EOF");
	else
		buf_printf(&b, "ERR %s", csvfile_error(f));
	return buf_detach(&b, NULL);
}

/* chunk 0: the reader's own chunk size. */
static char *
parse(const void *p, size_t len, enum csv_encoding enc, size_t chunk)
{
	struct csvfile	*f;
	char		*s;

	f = csvfile_open_buffer(p, len, NAME, enc);
	assert_non_null(f);
	if (chunk > 0)
		csvfile_set_chunk_size(f, chunk);
	s = serialize(f);
	csvfile_close(f);
	return s;
}

#define PARSE(s, enc)	parse((s), sizeof(s) - 1, (enc), 0)

#define EXPECT(data, enc, want) do {					\
	char	*got_ = PARSE(data, enc);				\
	assert_string_equal(got_, want);				\
	free(got_);							\
	check_chunks(data, sizeof(data) - 1, enc);			\
} while (0)

/* The same records and errors whatever the chunk size. */
static void
check_chunks(const void *p, size_t len, enum csv_encoding enc)
{
	char	*want, *got;
	size_t	 chunk;

	want = parse(p, len, enc, 0);
	for (chunk = 1; chunk <= len + 1; chunk++) {
		got = parse(p, len, enc, chunk);
		if (strcmp(got, want) != 0)
			fail_msg("chunk %zu: got '%s', want '%s'", chunk, got,
			    want);
		free(got);
	}
	free(want);
}

static char *
write_temp(const void *p, size_t len)
{
	char	*path;
	FILE	*fp;
	int	 fd;

	path = xstrdup("/tmp/test-csvfile.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd != -1);
	fp = fdopen(fd, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void
test_csvfile__simple(void **state)
{
	(void)state;
	EXPECT("a,b,c\n1,2,3\n", CSV_UTF8, "1|a|b|c\n2|1|2|3\nEOF");
	EXPECT("", CSV_UTF8, "EOF");
	EXPECT("x", CSV_UTF8, "1|x\nEOF");
}

static void
test_csvfile__quoting(void **state)
{
	(void)state;
	EXPECT("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\n",
	    CSV_UTF8, "1|a,b|say \"hi\"|\"|\"\"\nEOF");
	/* Quoted fields are kept byte for byte, spaces and all. */
	EXPECT("\"  a  \",\"\t\",\" \"\n", CSV_UTF8, "1|  a  |\\t| \nEOF");
	/* Spaces outside the quotes go. */
	EXPECT("  \"a\"  ,\t\"b\"\t\n", CSV_UTF8, "1|a|b\nEOF");
	EXPECT("\"a\"", CSV_UTF8, "1|a\nEOF");
	EXPECT("\"\"", CSV_UTF8, "EOF");
}

static void
test_csvfile__trimming(void **state)
{
	(void)state;
	/* libcsv trims spaces and tabs around unquoted fields, not inside. */
	EXPECT("  a  , b c ,\tc\t,d\n", CSV_UTF8, "1|a|b c|c|d\nEOF");
	/* Only ASCII blanks: U+3000 (ideographic space) stays. */
	EXPECT("\xe3\x80\x80" "a\n", CSV_UTF8, "1|\xe3\x80\x80" "a\nEOF");
}

static void
test_csvfile__embedded_newlines(void **state)
{
	(void)state;
	EXPECT("\"a\nb\",c\nd,e\n\"x\r\ny\r\nz\",w\r\nlast\n", CSV_UTF8,
	    "1|a\\nb|c\n3|d|e\n4|x\\r\\ny\\r\\nz|w\n7|last\nEOF");
	EXPECT("h\n\"\n\n\n\"\nnext\n", CSV_UTF8,
	    "1|h\n2|\\n\\n\\n\n6|next\nEOF");
	/* A newline right before the closing quote. */
	EXPECT("\"a\n\",b\nc\n", CSV_UTF8, "1|a\\n|b\n3|c\nEOF");
}

static void
test_csvfile__line_endings(void **state)
{
	(void)state;
	EXPECT("a\nb\n", CSV_UTF8, "1|a\n2|b\nEOF");
	EXPECT("a\r\nb\r\n", CSV_UTF8, "1|a\n2|b\nEOF");
	EXPECT("a\r\nb\nc\r\n\r\nd", CSV_UTF8, "1|a\n2|b\n3|c\n5|d\nEOF");
	/* A bare CR ends a record but not a line, as grep -n counts. */
	EXPECT("a\rb\r\nc\rd", CSV_UTF8, "1|a\n1|b\n2|c\n2|d\nEOF");
	EXPECT("a,b\r", CSV_UTF8, "1|a|b\nEOF");
	EXPECT("\"q\"\r\n\"r\"\r", CSV_UTF8, "1|q\n2|r\nEOF");
}

static void
test_csvfile__blank_lines(void **state)
{
	(void)state;
	EXPECT("\n\n  \n\t\r\n a \n\n", CSV_UTF8, "5|a\nEOF");
	/* A row of empty cells, as spreadsheets write an empty row. */
	EXPECT("a,b\n,\n\"\",\"\"\n , \nc,d\n", CSV_UTF8,
	    "1|a|b\n5|c|d\nEOF");
	EXPECT("\n\n", CSV_UTF8, "EOF");
}

static void
test_csvfile__empty_fields(void **state)
{
	(void)state;
	EXPECT(",a,,\n", CSV_UTF8, "1||a||\nEOF");
	EXPECT("a,b,\n", CSV_UTF8, "1|a|b|\nEOF");
	EXPECT("a,b,", CSV_UTF8, "1|a|b|\nEOF");
	EXPECT("a,\"\"", CSV_UTF8, "1|a|\nEOF");
	EXPECT(",x", CSV_UTF8, "1||x\nEOF");
}

static void
test_csvfile__bom(void **state)
{
	(void)state;
	EXPECT("\xef\xbb\xbf" "a,b\n", CSV_UTF8, "1|a|b\nEOF");
	EXPECT("\xef\xbb\xbf", CSV_UTF8, "EOF");
	EXPECT("\xef\xbb", CSV_UTF8, "1|\\xff\nEOF");
	/* Only at the very start: elsewhere it is U+FEFF, kept. */
	EXPECT("a\n\xef\xbb\xbf" "b\n", CSV_UTF8,
	    "1|a\n2|\xef\xbb\xbf" "b\nEOF");
	EXPECT("\xef\xbb\xbf\xef\xbb\xbf" "x", CSV_UTF8,
	    "1|\xef\xbb\xbf" "x\nEOF");
	/* GB18030 has its own form of U+FEFF. */
	EXPECT("\x84\x31\x95\x33" "a\n", CSV_GB18030, "1|a\nEOF");
	EXPECT("a\x84\x31\x95\x33\n", CSV_GB18030, "1|a\xef\xbb\xbf\nEOF");
}

static void
test_csvfile__bom_errors(void **state)
{
	(void)state;
	EXPECT("\xff\xfe" "a\0,\0b\0", CSV_UTF8, "ERR " NAME ":1:1: file is in "
	    "UTF-16, not utf-8 (save it as CSV in UTF-8)");
	EXPECT("\xfe\xff\0a", CSV_GBK, "ERR " NAME ":1:1: file is in "
	    "UTF-16, not gbk (save it as CSV in UTF-8)");
	EXPECT("\xef\xbb\xbf" "a\n", CSV_GBK, "ERR " NAME ":1:1: file starts "
	    "with a UTF-8 byte-order mark but is read as gbk (is it utf-8?)");
	EXPECT("\xef\xbb\xbf", CSV_GB18030, "ERR " NAME ":1:1: file starts "
	    "with a UTF-8 byte-order mark but is read as gb18030 (is it "
	    "utf-8?)");
}

static void
test_csvfile__utf8_valid(void **state)
{
	(void)state;
	EXPECT("景德镇,é,𠀀,\xef\xbf\xbf,\xf4\x8f\xbf\xbf\n", CSV_UTF8,
	    "1|景德镇|é|𠀀|\xef\xbf\xbf|\xf4\x8f\xbf\xbf\nEOF");
	EXPECT("\xc2\x80,\xe0\xa0\x80,\xed\x9f\xbf,\xee\x80\x80,"
	    "\xf0\x90\x80\x80\n", CSV_UTF8, "1|\xc2\x80|\xe0\xa0\x80|"
	    "\xed\x9f\xbf|\xee\x80\x80|\xf0\x90\x80\x80\nEOF");
}

static void
test_csvfile__utf8_invalid(void **state)
{
	(void)state;
	/* Overlongs: C0 and C1 are never leads; E0 80, F0 80 too short. */
	EXPECT("a\xc0\x80" "b\n", CSV_UTF8, "1|a\\xff\\xffb\nEOF");
	EXPECT("\xc1\xbf\n", CSV_UTF8, "1|\\xff\\xff\nEOF");
	EXPECT("\xe0\x80\x80\n", CSV_UTF8, "1|\\xff\\xff\\xff\nEOF");
	EXPECT("\xf0\x80\x80\x80\n", CSV_UTF8, "1|\\xff\\xff\\xff\\xff\nEOF");
	/* Surrogates, and past U+10FFFF. */
	EXPECT("\xed\xa0\x80,\xed\xbf\xbf\n", CSV_UTF8,
	    "1|\\xff\\xff\\xff|\\xff\\xff\\xff\nEOF");
	EXPECT("\xf4\x90\x80\x80,\xf5\x80\x80\x80\n", CSV_UTF8,
	    "1|\\xff\\xff\\xff\\xff|\\xff\\xff\\xff\\xff\nEOF");
	/* Truncated: the valid prefix is one bad sequence. */
	EXPECT("\xe6\x99,x\n", CSV_UTF8, "1|\\xff|x\nEOF");
	EXPECT("\xf0\x9f\x98" "x\n", CSV_UTF8, "1|\\xffx\nEOF");
	EXPECT("\xe6\x99\n", CSV_UTF8, "1|\\xff\nEOF");
	EXPECT("x,\xe6\x99", CSV_UTF8, "1|x|\\xff\nEOF");
	EXPECT("x,\xf0", CSV_UTF8, "1|x|\\xff\nEOF");
	/* Stray continuation bytes, bytes that are never UTF-8, NUL. */
	EXPECT("\x80\xbf,\xfe\xff\n", CSV_UTF8,
	    "1|\\xff\\xff|\\xff\\xff\nEOF");
	EXPECT("a\0b\n", CSV_UTF8, "1|a\\xffb\nEOF");
	/* A bad byte cannot swallow a quote, comma or newline. */
	EXPECT("\"\xe6\",\xe6\n\xe6\"\n", CSV_UTF8,
	    "1|\\xff|\\xff\nERR " NAME ":2:2: quote inside an unquoted field");
	EXPECT("\"\xe6\",\xe6\n", CSV_UTF8, "1|\\xff|\\xff\nEOF");
	/* A bad byte right after a closing quote is an error there. */
	EXPECT("\"a\"\xff\n", CSV_UTF8,
	    "ERR " NAME ":1:4: unexpected character after closing quote");
}

static void
test_csvfile__gbk(void **state)
{
	(void)state;
	/* 景德镇 (iconv -f UTF-8 -t GBK). */
	EXPECT("\xbe\xb0\xb5\xc2\xd5\xf2,360200\r\n", CSV_GBK,
	    "1|景德镇|360200\nEOF");
	/* 珠山区,"昌江区, 浮梁县" */
	EXPECT("\xd6\xe9\xc9\xbd\xc7\xf8,\"\xb2\xfd\xbd\xad\xc7\xf8, "
	    "\xb8\xa1\xc1\xba\xcf\xd8\"\n", CSV_GBK,
	    "1|珠山区|昌江区, 浮梁县\nEOF");
	/* Trail bytes 0x40-0x7e are ASCII letters: 丂 is 81 40. */
	EXPECT("\x81\x40,\xa1\xa1\n", CSV_GBK, "1|丂|\xe3\x80\x80\nEOF");
	/* glibc's GBK is CP936: 0x80 is the euro sign, 1 byte to 3. */
	EXPECT("\x80\n", CSV_GBK, "1|€\nEOF");
	EXPECT("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80", CSV_GBK,
	    "1|€€€€€€€€€€\nEOF");
	/* ḿ (A8 BC) and 4-byte forms are GB18030 only. */
	EXPECT("\xa8\xbc\n", CSV_GBK, "1|\\xff\nEOF");
	EXPECT("\x95\x32\x82\x36\n", CSV_GBK, "1|\\xff2\\xff6\nEOF");
}

/* A whole chunk of bytes that each grow to three. */
static void
test_csvfile__gbk_growth(void **state)
{
	struct buf	 in = BUF_INIT, want = BUF_INIT;
	char		*got;
	size_t		 i;

	(void)state;
	buf_addstr(&want, "1|");
	for (i = 0; i < 100000; i++) {
		buf_addch(&in, 0x80);
		buf_addstr(&want, "€");
	}
	buf_addstr(&want, "\nEOF");
	got = parse(in.data, in.len, CSV_GBK, 0);
	assert_string_equal(got, want.data);
	free(got);
	buf_release(&in);
	buf_release(&want);
}

static void
test_csvfile__gbk_invalid(void **state)
{
	(void)state;
	/* A lead byte before ASCII: only the lead byte is bad. */
	EXPECT("\xbe,\"\xbe\",\xbe\n", CSV_GBK, "1|\\xff|\\xff|\\xff\nEOF");
	EXPECT("x\xbe\r\ny\n", CSV_GBK, "1|x\\xff\n2|y\nEOF");
	EXPECT("a,\xff\n", CSV_GBK, "1|a|\\xff\nEOF");
	/* Cut by the end of the file. */
	EXPECT("a,\xbe", CSV_GBK, "1|a|\\xff\nEOF");
	EXPECT("a\0b\n", CSV_GBK, "1|a\\xffb\nEOF");
	/* An unmapped pair with an ASCII trail byte gives that byte back. */
	EXPECT("\xa1\x40,\xa1,x\n", CSV_GBK, "1|\\xff@|\\xff|x\nEOF");
	/* The message names the column in characters. */
	EXPECT("\xbe\xb0\xb5\xc2,\xbe\"\n", CSV_GBK,
	    "ERR " NAME ":1:5: quote inside an unquoted field");
}

static void
test_csvfile__gb18030(void **state)
{
	(void)state;
	EXPECT("\xbe\xb0\xb5\xc2\xd5\xf2,\xa2\xe3,\xa8\xbc,"
	    "\x95\x32\x82\x36\n", CSV_GB18030, "1|景德镇|€|ḿ|𠀀\nEOF");
	/* 0x80 and 0xff are never GB18030; 0x81 0x30 0x81 is cut. */
	EXPECT("\x80,\xff,\xbe\n", CSV_GB18030, "1|\\xff|\\xff|\\xff\nEOF");
	EXPECT("a,\x81\x30\x81", CSV_GB18030, "1|a|\\xff\nEOF");
	EXPECT("a,\x81\x30", CSV_GB18030, "1|a|\\xff\nEOF");
	/* A broken four-byte form gives its ASCII digits back. */
	EXPECT("\x81\x30,\x81\x30\x81,\n", CSV_GB18030,
	    "1|\\xff0|\\xff0\\xff|\nEOF");
	/* Well-formed four bytes past the last mapping: one bad sequence. */
	EXPECT("\xfe\x39\xfe\x39" "x\n", CSV_GB18030, "1|\\xffx\nEOF");
}

static void
test_csvfile__error_unterminated(void **state)
{
	(void)state;
	EXPECT("a,b\nc,\"d\ne\n", CSV_UTF8, "1|a|b\nERR " NAME
	    ":2:3: unterminated quoted field");
	EXPECT("\"", CSV_UTF8, "ERR " NAME ":1:1: unterminated quoted field");
	/* Escaped quotes are no opening quote. */
	EXPECT("x,\"ab\"\"cd\n\"\"\n", CSV_UTF8,
	    "ERR " NAME ":1:3: unterminated quoted field");
	/* After closed quoted fields of earlier lines and records. */
	EXPECT("\"a\nb\",\"c\"\n\"d\",景,\"e\n", CSV_UTF8,
	    "1|a\\nb|c\nERR " NAME ":3:7: unterminated quoted field");
	EXPECT("\xbe\xb0,\"\xbe\xb0", CSV_GBK,
	    "ERR " NAME ":1:3: unterminated quoted field");
}

static void
test_csvfile__error_quote(void **state)
{
	(void)state;
	EXPECT("a,b\"c\n", CSV_UTF8,
	    "ERR " NAME ":1:4: quote inside an unquoted field");
	EXPECT("h\n\n景德镇\"\n", CSV_UTF8,
	    "1|h\nERR " NAME ":3:4: quote inside an unquoted field");
	EXPECT("a, b \"\n", CSV_UTF8,
	    "ERR " NAME ":1:6: quote inside an unquoted field");
	/* Line numbers after a record that spans lines. */
	EXPECT("\"1\n2\n3\",x\ny\"\n", CSV_UTF8,
	    "1|1\\n2\\n3|x\nERR " NAME ":4:2: quote inside an unquoted field");
}

static void
test_csvfile__error_after_quote(void **state)
{
	(void)state;
	EXPECT("\"a\"b\n", CSV_UTF8,
	    "ERR " NAME ":1:4: unexpected 'b' after closing quote");
	EXPECT("x,\"a\" \"\n", CSV_UTF8,
	    "ERR " NAME ":1:7: unexpected '\"' after closing quote");
	EXPECT("\"a\"景\n", CSV_UTF8,
	    "ERR " NAME ":1:4: unexpected character after closing quote");
	EXPECT("\"a\n\"  x\n", CSV_UTF8,
	    "ERR " NAME ":2:4: unexpected 'x' after closing quote");
}

/* An error ends the file: every later call says the same. */
static void
test_csvfile__error_sticky(void **state)
{
	static const char	 data[] = "a\nb\"\nc\n";
	struct csvfile		*f;
	struct csv_record	 rec;

	(void)state;
	f = csvfile_open_buffer(data, sizeof(data) - 1, NAME, CSV_UTF8);
	assert_non_null(f);
	assert_string_equal(csvfile_error(f), "no error");
	assert_int_equal(csvfile_next(f, &rec), 1);
	assert_int_equal(csvfile_next(f, &rec), -1);
	assert_string_equal(csvfile_error(f),
	    NAME ":2:2: quote inside an unquoted field");
	assert_int_equal(csvfile_next(f, &rec), -1);
	assert_string_equal(csvfile_error(f),
	    NAME ":2:2: quote inside an unquoted field");
	csvfile_close(f);
}

static void
test_csvfile__long_record(void **state)
{
	struct buf	 in = BUF_INIT, want = BUF_INIT;
	char		*got;
	size_t		 i;

	(void)state;
	/* Two fields longer than the 64 KiB chunk, one quoted over lines. */
	buf_addstr(&in, "h\n\"");
	buf_addstr(&want, "1|h\n2|");
	for (i = 0; i < 30000; i++) {
		buf_addstr(&in, "景\n");
		buf_addstr(&want, "景\\n");
	}
	buf_addstr(&in, "\",");
	buf_addch(&want, '|');
	for (i = 0; i < 100000; i++) {
		buf_addch(&in, 'a' + i % 26);
		buf_addch(&want, 'a' + i % 26);
	}
	buf_addstr(&in, "\nlast\"\n");
	buf_addstr(&want, "\nERR " NAME ":30003:5: quote inside an "
	    "unquoted field");
	got = parse(in.data, in.len, CSV_UTF8, 0);
	assert_string_equal(got, want.data);
	free(got);
	got = parse(in.data, in.len, CSV_UTF8, 777);
	assert_string_equal(got, want.data);
	free(got);
	buf_release(&in);
	buf_release(&want);
}

static void
test_csvfile__too_long(void **state)
{
	struct buf	 in = BUF_INIT;
	char		*got;
	size_t		 i;

	(void)state;
	buf_addstr(&in, "a\nb,\"");
	for (i = 0; i < 17 * 1024 * 1024; i++)
		buf_addch(&in, i % 100 == 99 ? '\n' : 'x');
	got = parse(in.data, in.len, CSV_UTF8, 0);
	assert_string_equal(got, "1|a\nERR " NAME ":2:3: quoted field "
	    "longer than 16 MiB (is its closing quote missing?)");
	free(got);

	buf_reset(&in);
	buf_addstr(&in, "a\n  b,");
	for (i = 0; i < 17 * 1024 * 1024; i++)
		buf_addch(&in, 'x');
	got = parse(in.data, in.len, CSV_UTF8, 0);
	assert_string_equal(got, "1|a\nERR " NAME ":2:3: record longer than "
	    "16 MiB");
	free(got);
	buf_release(&in);
}

/* Chunk boundaries, put everywhere by check_chunks, in awkward places. */
static void
test_csvfile__chunk_boundaries(void **state)
{
	(void)state;
	EXPECT("\xef\xbb\xbf景德镇,\"a\r\nb\"\r\n𠀀,é\r\n", CSV_UTF8,
	    "1|景德镇|a\\r\\nb\n3|𠀀|é\nEOF");
	EXPECT("\xbe\xb0\xb5\xc2\xd5\xf2,\"\xbe\xb0\r\n\"\r\n\xbe", CSV_GBK,
	    "1|景德镇|景\\r\\n\n3|\\xff\nEOF");
	EXPECT("\x84\x31\x95\x33\x95\x32\x82\x36,\x81\x30\x81\r\n",
	    CSV_GB18030, "1|𠀀|\\xff0\\xff\nEOF");
	EXPECT("a\r\r\n\r\"b\"\"\"\r", CSV_UTF8, "1|a\n2|b\"\nEOF");
	EXPECT("\"\"\"\"\"\"\"\"\n\"\"\"\n\"", CSV_UTF8,
	    "1|\"\"\"\n2|\"\\n\nEOF");
	EXPECT("\"\"\"\"\"\"\"\"\n\"\"\"\n", CSV_UTF8,
	    "1|\"\"\"\nERR " NAME ":2:1: unterminated quoted field");
	EXPECT("\"ab\"\"\r\n\"\"cd\r\n", CSV_UTF8,
	    "ERR " NAME ":1:1: unterminated quoted field");
}

/* The reader's own 64 KiB chunks, on a file: cut a character, a pair, CRLF. */
static void
test_csvfile__file_chunks(void **state)
{
	static const struct {
		const char		*tail;
		enum csv_encoding	 enc;
		size_t			 cut;	/* tail bytes before 64 KiB */
		const char		*want;	/* after the first record;
						   ":..." is an error */
	} cases[] = {
		{ "景,x\n", CSV_UTF8, 1, "2|景|x\nEOF" },
		{ "景,x\n", CSV_UTF8, 2, "2|景|x\nEOF" },
		{ "\xbe\xb0,x\r\n", CSV_GBK, 1, "2|景|x\nEOF" },
		{ "\x95\x32\x82\x36,x\r\n", CSV_GB18030, 3, "2|𠀀|x\nEOF" },
		{ "ab\r\ncd\r\n", CSV_UTF8, 3, "2|ab\n3|cd\nEOF" },
		{ "\"a\r\nb\"\r\nc", CSV_UTF8, 3, "2|a\\r\\nb\n4|c\nEOF" },
		{ "\"a\r\nb", CSV_UTF8, 3,
		    ":2:1: unterminated quoted field" },
	};
	struct buf	 in = BUF_INIT, want = BUF_INIT;
	struct csvfile	*f;
	char		*path, *got;
	size_t		 i, pad;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&in);
		buf_reset(&want);
		pad = 64 * 1024 - cases[i].cut - 1;
		while (in.len < pad)
			buf_addch(&in, 'p');
		buf_printf(&want, "1|%s\n", in.data);
		buf_addch(&in, '\n');
		buf_addstr(&in, cases[i].tail);
		path = write_temp(in.data, in.len);
		if (cases[i].want[0] == ':')
			buf_printf(&want, "ERR %s", path);
		buf_addstr(&want, cases[i].want);
		f = csvfile_open(path, cases[i].enc);
		assert_non_null(f);
		got = serialize(f);
		assert_string_equal(got, want.data);
		assert_int_equal(csvfile_offset(f), in.len);
		assert_int_equal(csvfile_size(f), in.len);
		csvfile_close(f);
		free(got);
		unlink(path);
		free(path);
	}
	buf_release(&in);
	buf_release(&want);
}

static void
test_csvfile__file(void **state)
{
	static const char	 data[] = "\xef\xbb\xbf" "编号,名称\r\n"
	    "1,\"景德镇\"\r\n";
	unsigned char		 d1[CRYPTO_DIGEST_BYTES], d2[32];
	struct csvfile		*f;
	struct csv_record	 rec;
	char			*path;

	(void)state;
	path = write_temp(data, sizeof(data) - 1);
	f = csvfile_open(path, CSV_UTF8);
	assert_non_null(f);
	assert_string_equal(csvfile_name(f), path);
	assert_int_equal(csvfile_size(f), sizeof(data) - 1);
	assert_int_equal(csvfile_offset(f), 0);
	assert_int_equal(csvfile_next(f, &rec), 1);
	assert_int_equal(rec.nfields, 2);
	assert_string_equal(rec.fields[0], "编号");
	assert_int_equal(rec.lens[0], strlen("编号"));
	assert_string_equal(rec.fields[1], "名称");
	assert_int_equal(csvfile_next(f, &rec), 1);
	assert_int_equal(rec.line, 2);
	assert_string_equal(rec.fields[1], "景德镇");
	assert_int_equal(csvfile_next(f, &rec), 0);
	assert_int_equal(csvfile_next(f, &rec), 0);
	assert_int_equal(csvfile_offset(f), sizeof(data) - 1);
	/* The digest is of the raw bytes, BOM and CRs included. */
	csvfile_digest(f, d1);
	crypto_digest(data, sizeof(data) - 1, d2);
	assert_memory_equal(d1, d2, sizeof(d1));
	assert_int_equal(crypto_digest_file(path, d2), 0);
	assert_memory_equal(d1, d2, sizeof(d1));
	csvfile_close(f);
	unlink(path);
	free(path);

	assert_null(csvfile_open("/nonexistent/x.csv", CSV_UTF8));
	assert_null(csvfile_open("/tmp", CSV_UTF8));

	/* Linux: reading a process's memory at address 0 fails with EIO. */
	if ((f = csvfile_open("/proc/self/mem", CSV_UTF8)) != NULL) {
		assert_int_equal(csvfile_next(f, &rec), -1);
		assert_string_equal(csvfile_error(f),
		    "cannot read '/proc/self/mem': Input/output error");
		csvfile_close(f);
	}
}

static void
test_csvfile__buffer_digest(void **state)
{
	static const char	 data[] = "a,b\n\xbe\xb0,c\n";
	unsigned char		 d1[32], d2[32];
	struct csvfile		*f;
	struct csv_record	 rec;

	(void)state;
	f = csvfile_open_buffer(data, sizeof(data) - 1, "mem", CSV_GBK);
	assert_non_null(f);
	csvfile_set_chunk_size(f, 3);
	assert_int_equal(csvfile_size(f), sizeof(data) - 1);
	assert_string_equal(csvfile_name(f), "mem");
	while (csvfile_next(f, &rec) == 1)
		;
	csvfile_digest(f, d1);
	crypto_digest(data, sizeof(data) - 1, d2);
	assert_memory_equal(d1, d2, sizeof(d1));
	assert_int_equal(csvfile_offset(f), sizeof(data) - 1);
	csvfile_close(f);

	/* Nothing read yet: the digest of nothing. */
	f = csvfile_open_buffer(data, sizeof(data) - 1, "mem", CSV_UTF8);
	csvfile_digest(f, d1);
	crypto_digest("", 0, d2);
	assert_memory_equal(d1, d2, sizeof(d1));
	csvfile_close(f);
	csvfile_close(NULL);
}

static void
test_csvfile__many_fields(void **state)
{
	struct buf		 in = BUF_INIT;
	struct csvfile		*f;
	struct csv_record	 rec;
	size_t			 i;
	char			 want[16];

	(void)state;
	for (i = 0; i < 1000; i++)
		buf_printf(&in, "%s%zu", i > 0 ? "," : "", i);
	buf_addstr(&in, "\nx\n");
	f = csvfile_open_buffer(in.data, in.len, NAME, CSV_UTF8);
	assert_int_equal(csvfile_next(f, &rec), 1);
	assert_int_equal(rec.nfields, 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(want, sizeof(want), "%zu", i);
		assert_string_equal(rec.fields[i], want);
	}
	assert_int_equal(csvfile_next(f, &rec), 1);
	assert_int_equal(rec.nfields, 1);
	assert_string_equal(rec.fields[0], "x");
	assert_int_equal(rec.line, 2);
	csvfile_close(f);
	buf_release(&in);
}

static void
test_csvfile__encoding_names(void **state)
{
	enum csv_encoding	 e;

	(void)state;
	assert_int_equal(csv_encoding_parse("utf-8", &e), 0);
	assert_int_equal(e, CSV_UTF8);
	assert_int_equal(csv_encoding_parse("UTF-8", &e), 0);
	assert_int_equal(e, CSV_UTF8);
	assert_int_equal(csv_encoding_parse("GBK", &e), 0);
	assert_int_equal(e, CSV_GBK);
	assert_int_equal(csv_encoding_parse("gb18030", &e), 0);
	assert_int_equal(e, CSV_GB18030);
	assert_int_equal(csv_encoding_parse("latin1", &e), -1);
	assert_int_equal(csv_encoding_parse("", &e), -1);
	assert_string_equal(csv_encoding_name(CSV_UTF8), "utf-8");
	assert_string_equal(csv_encoding_name(CSV_GBK), "gbk");
	assert_string_equal(csv_encoding_name(CSV_GB18030), "gb18030");
}

static void
test_csvfile__write_field(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "", "" },
		{ "abc", "abc" },
		{ "景德镇", "景德镇" },
		{ "a b", "a b" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "a\nb", "\"a\nb\"" },
		{ "a\rb", "\"a\rb\"" },
		{ " a", "\" a\"" },
		{ "a ", "\"a \"" },
		{ "\ta", "\"\ta\"" },
		{ " ", "\" \"" },
	};
	char		*out, *got;
	size_t		 i, len;
	FILE		*fp;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fp = open_memstream(&out, &len);
		assert_non_null(fp);
		csv_write_field(fp, cases[i].in, strlen(cases[i].in));
		assert_int_equal(fclose(fp), 0);
		assert_string_equal(out, cases[i].out);
		free(out);
	}

	/* Whatever is written reads back the same. */
	fp = open_memstream(&out, &len);
	for (i = 1; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (i > 1)
			putc(',', fp);
		csv_write_field(fp, cases[i].in, strlen(cases[i].in));
	}
	putc('\n', fp);
	assert_int_equal(fclose(fp), 0);
	got = parse(out, len, CSV_UTF8, 0);
	assert_string_equal(got, "1|abc|景德镇|a b|a,b|say \"hi\"|\"|a\\nb|"
	    "a\\rb| a|a |\\ta| \nEOF");
	free(got);
	free(out);
}

static void
test_csvfile__write_cell(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "", "" },
		{ "abc", "abc" },
		{ "a=b", "a=b" },
		{ "=cmd|' /c calc'!A12", "\"'=cmd|' /c calc'!A12\"" },
		{ "+1", "\"'+1\"" },
		{ "-2+3", "\"'-2+3\"" },
		{ "@SUM(A1)", "\"'@SUM(A1)\"" },
		{ "\tx", "\"'\tx\"" },
		{ "\rx", "\"'\rx\"" },
		{ "=\"a\",b", "\"'=\"\"a\"\",b\"" },
		{ "'=x", "'=x" },
	};
	char		*out;
	size_t		 i, len;
	FILE		*fp;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fp = open_memstream(&out, &len);
		assert_non_null(fp);
		csv_write_cell(fp, cases[i].in, strlen(cases[i].in));
		assert_int_equal(fclose(fp), 0);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
	assert_true(csv_formula_lead("=", 1));
	assert_false(csv_formula_lead("", 0));
	assert_false(csv_formula_lead("'=", 2));
}

static void
test_csvfile__not_regular(void **state)
{
	char		 dir[] = "/tmp/ssj-test-fifo-XXXXXX";
	char		 path[64];

	(void)state;
	assert_null(csvfile_open("/dev/zero", CSV_UTF8));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* Must return at once, not wait for a writer. */
	assert_null(csvfile_open(path, CSV_UTF8));
	unlink(path);
	rmdir(dir);
}

/* 张三 in GBK, 李四 in UTF-8; invalid in both: a lone 0xff. */
static void
test_csvfile__auto_encoding(void **state)
{
	static const char gbk[] = "name,n\n\xd5\xc5\xc8\xfd,1\n";
	static const char utf8[] = "name,n\n李四,1\n";
	static const char neither[] = "name,n\nx\xff\xfe,1\n";
	struct csvfile		*f;
	struct csv_record	 rec;
	struct buf		 b = BUF_INIT;
	char			*got;

	(void)state;
	EXPECT(gbk, CSV_AUTO, "1|name|n\n2|张三|1\nEOF");
	EXPECT(utf8, CSV_AUTO, "1|name|n\n2|李四|1\nEOF");
	EXPECT("a,b\n1,2\n", CSV_AUTO, "1|a|b\n2|1|2\nEOF");
	got = PARSE(neither, CSV_AUTO);
	assert_string_equal(got, "1|name|n\n2|x\\xff\\xff|1\nEOF");
	free(got);

	f = csvfile_open_buffer(gbk, sizeof(gbk) - 1, NAME, CSV_AUTO);
	assert_int_equal(csvfile_next(f, &rec), 1);
	assert_int_equal(csvfile_next(f, &rec), 1);
	assert_int_equal(csvfile_encoding(f), CSV_GB18030);
	assert_true(csvfile_detected(f));
	assert_false(csvfile_bom(f));
	csvfile_close(f);
	f = csvfile_open_buffer("\xef\xbb\xbfx\n", 5, NAME, CSV_AUTO);
	assert_int_equal(csvfile_next(f, &rec), 1);
	assert_int_equal(csvfile_encoding(f), CSV_UTF8);
	assert_false(csvfile_detected(f));
	assert_true(csvfile_bom(f));
	csvfile_close(f);

	/* and back: what the reject file is written in */
	csv_encode(CSV_GBK, "张三,1", strlen("张三,1"), &b);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "\xd5\xc5\xc8\xfd,1", 6);
	buf_reset(&b);
	csv_encode(CSV_UTF8, "张三", strlen("张三"), &b);
	assert_string_equal(buf_cstr(&b), "张三");
	buf_reset(&b);
	/* U+1F600 has no GBK form */
	csv_encode(CSV_GBK, "a\xf0\x9f\x98\x80z", 6, &b);
	assert_string_equal(buf_cstr(&b), "a?z");
	buf_release(&b);
}

static void
test_csvfile__workbook(void **state)
{
	static const char xlsx[] = "PK\3\4\24\0\6\0";
	static const char xls[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

	(void)state;
	EXPECT(xlsx, CSV_AUTO, "ERR t.csv:1:1: this is a spreadsheet "
	    "workbook (.xlsx), not CSV: save it as CSV (UTF-8) in the "
	    "spreadsheet and import that file");
	EXPECT(xls, CSV_GBK, "ERR t.csv:1:1: this is a spreadsheet "
	    "workbook (.xls), not CSV: save it as CSV (UTF-8) in the "
	    "spreadsheet and import that file");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csvfile__simple),
		cmocka_unit_test(test_csvfile__quoting),
		cmocka_unit_test(test_csvfile__trimming),
		cmocka_unit_test(test_csvfile__embedded_newlines),
		cmocka_unit_test(test_csvfile__line_endings),
		cmocka_unit_test(test_csvfile__blank_lines),
		cmocka_unit_test(test_csvfile__empty_fields),
		cmocka_unit_test(test_csvfile__bom),
		cmocka_unit_test(test_csvfile__bom_errors),
		cmocka_unit_test(test_csvfile__utf8_valid),
		cmocka_unit_test(test_csvfile__utf8_invalid),
		cmocka_unit_test(test_csvfile__gbk),
		cmocka_unit_test(test_csvfile__gbk_growth),
		cmocka_unit_test(test_csvfile__gbk_invalid),
		cmocka_unit_test(test_csvfile__gb18030),
		cmocka_unit_test(test_csvfile__error_unterminated),
		cmocka_unit_test(test_csvfile__error_quote),
		cmocka_unit_test(test_csvfile__error_after_quote),
		cmocka_unit_test(test_csvfile__error_sticky),
		cmocka_unit_test(test_csvfile__long_record),
		cmocka_unit_test(test_csvfile__too_long),
		cmocka_unit_test(test_csvfile__chunk_boundaries),
		cmocka_unit_test(test_csvfile__file_chunks),
		cmocka_unit_test(test_csvfile__file),
		cmocka_unit_test(test_csvfile__buffer_digest),
		cmocka_unit_test(test_csvfile__many_fields),
		cmocka_unit_test(test_csvfile__encoding_names),
		cmocka_unit_test(test_csvfile__write_field),
		cmocka_unit_test(test_csvfile__write_cell),
		cmocka_unit_test(test_csvfile__not_regular),
		cmocka_unit_test(test_csvfile__auto_encoding),
		cmocka_unit_test(test_csvfile__workbook),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
