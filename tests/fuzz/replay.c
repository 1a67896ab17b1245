/*
 * A main() for the fuzz harnesses outside libFuzzer: runs every file named
 * on the command line through LLVMFuzzerTestOneInput and reports one TAP
 * result for the corpus, so that `make check` keeps each harness building
 * and its whole corpus passing. A crash or a sanitizer report ends it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(int argc, char **argv)
{
	FILE		*fp;
	unsigned char	*data;
	long		 size;
	int		 i, bad = 0;

	printf("1..1\n");
	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "rb")) == NULL ||
		    fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
		    fseek(fp, 0, SEEK_SET) != 0) {
			printf("# %s: cannot read\n", argv[i]);
			bad++;
			if (fp != NULL)
				fclose(fp);
			continue;
		}
		if ((data = malloc((size_t)size + 1)) == NULL ||
		    fread(data, 1, (size_t)size, fp) != (size_t)size) {
			printf("# %s: cannot read\n", argv[i]);
			bad++;
			free(data);
			fclose(fp);
			continue;
		}
		fclose(fp);
		LLVMFuzzerTestOneInput(data, (size_t)size);
		free(data);
	}
	printf("%s 1 - %s: %d corpus files\n", bad ? "not ok" : "ok", argv[0],
	    argc - 1);
	return bad ? 1 : 0;
}
