/*
 * Writes a deterministic ECR-R survey export for the scoring benchmark:
 * id, date and ecr_r_1..ecr_r_36 on 1-7, one row per administration, with a
 * person-level tendency so scores spread, and about 1% missing answers.
 * usage: gen_ecr_r OUT.csv [ROWS] (default 1,000,000 rows)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* splitmix64: small, fast and the same everywhere */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: gen_ecr_r OUT.csv [ROWS]\n");
        return 2;
    }
    char *end;
    unsigned long rows = argc == 3 ? strtoul(argv[2], &end, 10) : 1000000ul;
    if (argc == 3 && (*end || rows == 0)) {
        fprintf(stderr, "gen_ecr_r: ROWS must be a positive number\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    fputs("id,date", f);
    for (int i = 1; i <= 36; i++)
        fprintf(f, ",ecr_r_%d", i);
    fputc('\n', f);
    uint64_t s = 20240101;
    for (unsigned long r = 0; r < rows; r++) {
        int person = (int)(r / 4);
        int level = 1 + (int)(next(&s) % 7);
        fprintf(f, "P%07d,2024-%02d-%02d", person, (int)(r % 4) * 3 + 1,
                1 + (int)(r % 28));
        for (int i = 0; i < 36; i++) {
            uint64_t u = next(&s);
            if (u % 100 == 0) {
                fputc(',', f);
                continue;
            }
            int x = level + (int)((u >> 8) % 5) - 2;
            x = x < 1 ? 1 : x > 7 ? 7 : x;
            fprintf(f, ",%d", x);
        }
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
