/*
 * A main() for the fuzz harnesses outside libFuzzer: runs every file named
 * on the command line through LLVMFuzzerTestOneInput and reports TAP, so
 * that `make check` keeps each harness building and its corpus passing.
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
	int		 i;

	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "rb")) == NULL ||
		    fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
		    fseek(fp, 0, SEEK_SET) != 0) {
			printf("not ok %d - %s: cannot read\n", i, argv[i]);
			if (fp != NULL)
				fclose(fp);
			continue;
		}
		if ((data = malloc((size_t)size + 1)) == NULL ||
		    fread(data, 1, (size_t)size, fp) != (size_t)size) {
			printf("not ok %d - %s: cannot read\n", i, argv[i]);
			free(data);
			fclose(fp);
			continue;
		}
		fclose(fp);
		LLVMFuzzerTestOneInput(data, (size_t)size);
		free(data);
		/* A crash or a sanitizer report ends the process first. */
		printf("ok %d - %s\n", i, argv[i]);
		fflush(stdout);
	}
	return 0;
}
