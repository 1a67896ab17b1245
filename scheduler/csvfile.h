/*
 * Reading CSV as spreadsheets export it (RFC 4180 quoting with commas,
 * quotes and newlines inside fields; optional UTF-8 BOM; CRLF or LF) in
 * UTF-8, GBK or GB18030. csvfile.c is the only user of libcsv and iconv.
 * Memory use is bounded by the longest record, not by the file's size.
 */
#ifndef SSJ_CSVFILE_H
#define SSJ_CSVFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum csv_encoding {
	CSV_UTF8,
	CSV_GBK,
	CSV_GB18030,
	/*
	 * Not yet known: UTF-8 unless the first non-ASCII bytes are not
	 * valid UTF-8 but valid GB18030 (what Excel saves as "CSV" on a
	 * Chinese Windows); csvfile_encoding() says which was chosen.
	 */
	CSV_AUTO,
};

/*
 * Bytes that were not valid in the input encoding are replaced by this
 * byte, which never occurs in valid UTF-8, so that the record can still be
 * read and the caller can name the column that holds them.
 */
#define CSV_BAD_BYTE	'\xff'

struct csv_record {
	size_t		 nfields;
	char		**fields;	/* UTF-8, NUL-terminated; the reader */
	size_t		*lens;		/*   owns them until the next call */
	unsigned long	 line;		/* physical line the record starts on */
};

struct buf;
struct csvfile;

/* Parses "utf-8", "gbk" or "gb18030" (any case); -1 if unknown. */
int	csv_encoding_parse(const char *, enum csv_encoding *);
const char *csv_encoding_name(enum csv_encoding);

/* Opens path for reading; NULL with a message if it cannot be opened. */
struct csvfile	*csvfile_open(const char *path, enum csv_encoding);
/* Reads from memory (tests, fuzzing); name is used in messages. */
struct csvfile	*csvfile_open_buffer(const void *, size_t, const char *name,
		    enum csv_encoding);
/*
 * Reads the next non-empty record. Returns 1 with rec filled in, 0 at the
 * end of the file, -1 on an error that ends the file (bad quoting, an I/O
 * error): csvfile_error() then says "FILE:LINE:COL: message".
 *
 * Quoting is strict: a quote inside an unquoted field, or anything but
 * blanks, a comma or a line end after a closing quote, is an error, as is
 * a quoted field still open at the end. Spaces and tabs around unquoted
 * fields are trimmed; quoted fields are kept byte for byte. Records whose
 * fields are all empty (blank lines, ",,,") are skipped. Lines are counted
 * at LF, as grep -n does (a bare CR ends a record, not a line); columns
 * count characters. A UTF-8 BOM is dropped at the start of a utf-8 file
 * (and U+FEFF at the start of a gb18030 one) but is an error in a gbk or
 * gb18030 file, as is a UTF-16 BOM in any. NUL is a bad byte too. A
 * record longer than 16 MiB is an error; csvfile_open() refuses anything
 * but a regular file, and one larger than 16 GiB.
 */
int		 csvfile_next(struct csvfile *, struct csv_record *rec);
const char	*csvfile_error(const struct csvfile *);
const char	*csvfile_name(const struct csvfile *);
/* Raw input bytes consumed so far and the file's size (0 if unknown). */
uint64_t	 csvfile_offset(const struct csvfile *);
uint64_t	 csvfile_size(const struct csvfile *);
/*
 * BLAKE2b-256 of the raw bytes, once the file is read to its end (the
 * file cannot be read further).
 */
void		 csvfile_digest(struct csvfile *, unsigned char out[32]);
void		 csvfile_close(struct csvfile *);
/*
 * The encoding being read: CSV_AUTO's choice once made (CSV_UTF8 until
 * then); whether CSV_AUTO chose GB18030; whether the file had a BOM.
 */
enum csv_encoding csvfile_encoding(const struct csvfile *);
int		 csvfile_detected(const struct csvfile *);
int		 csvfile_bom(const struct csvfile *);
/*
 * Converts UTF-8 text to enc (GBK or GB18030; UTF-8 is copied),
 * appending to out; a character enc cannot hold becomes '?'.
 */
void		 csv_encode(enum csv_encoding enc, const char *, size_t,
		    struct buf *out);
/*
 * Tests and fuzzing: read at most n (> 0) raw bytes at a time instead of
 * 64 KiB, to put chunk boundaries anywhere. Only before the first read.
 */
void		 csvfile_set_chunk_size(struct csvfile *, size_t n);

/*
 * For a whole sheet: appends UTF-8 text in enc to out, a BOM first in
 * UTF-8 (for Excel), or converted to GBK or GB18030 where -1 said which
 * character cannot be (csv_encode writes '?' for it instead).
 */
int		 csv_encode_sheet(enum csv_encoding, const char *, size_t,
		    struct buf *out);

/* Writes one field with RFC 4180 quoting when it needs it. */
void		 csv_write_field(FILE *, const char *, size_t);
/*
 * The same for files people open in a spreadsheet: a cell starting with
 * = + - @ TAB or CR is written as "'..." (OWASP's CSV-injection rule);
 * csv_formula_lead() says whether a cell does. Importers drop such an
 * apostrophe again, so that a dump imports back to the same state.
 */
void		 csv_write_cell(FILE *, const char *, size_t);
int		 csv_formula_lead(const char *, size_t);

#endif
