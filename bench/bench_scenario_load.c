/*
 * How long loading a scenario takes: each built-in scenario (with its chain
 * of bases) loaded many times, and the same scenario loaded from its fully
 * resolved YAML (no base), side by side in microseconds per load.
 */
#include <securebase/scenario.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void)
{
    enum { ROUNDS = 2000 };
    printf("%-28s %14s %14s %10s\n", "scenario", "builtin us", "resolved us",
           "yaml bytes");
    for (size_t i = 0; i < sb_scenario_builtin_count(); i++) {
        if (sb_scenario_builtin_is_set(i))
            continue;
        const char *name = sb_scenario_builtin_name(i);
        sb_scenario sc;
        sb_error err;
        double t0 = now_seconds();
        for (int r = 0; r < ROUNDS; r++)
            if (sb_scenario_builtin(name, &sc, &err) != SB_OK) {
                fprintf(stderr, "%s: %s\n", name, err.message);
                return 1;
            }
        double builtin_us = (now_seconds() - t0) / ROUNDS * 1e6;

        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (!f || sb_scenario_write_yaml(&sc, f, &err) != SB_OK) {
            fprintf(stderr, "%s: cannot write\n", name);
            return 1;
        }
        fclose(f);
        t0 = now_seconds();
        for (int r = 0; r < ROUNDS; r++)
            if (sb_scenario_load_text(text, len, "resolved.yaml", &sc, &err) !=
                SB_OK) {
                fprintf(stderr, "%s resolved: %s\n", name, err.message);
                return 1;
            }
        double resolved_us = (now_seconds() - t0) / ROUNDS * 1e6;
        printf("%-28s %14.1f %14.1f %10zu\n", name, builtin_us, resolved_us,
               len);
        free(text);
    }
    return 0;
}
