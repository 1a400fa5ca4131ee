/*
 * libFuzzer target for the scenario loader: any bytes, loaded as a scenario
 * file, must give a scenario or a located error, never a crash, a leak or
 * undefined behaviour. A valid result must also pass the model's check, and
 * write back as YAML that loads to the same scenario (the writer's promise):
 * writing that reloaded scenario gives the same text again.
 */
#include <securebase/scenario.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scenario as YAML in a malloc'd buffer; NULL when the writer refuses. */
static char *as_yaml(const sb_scenario *sc, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        abort();
    sb_error err;
    sb_status st = sb_scenario_write_yaml(sc, f, &err);
    fclose(f);
    if (st != SB_OK) {
        free(text);
        return NULL;
    }
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sb_scenario sc;
    sb_error err;
    sb_status st = sb_scenario_load_text((const char *)data, size, "fuzz.yaml",
                                         &sc, &err);
    if (st != SB_OK) {
        if (err.status != st || err.message[0] == '\0')
            abort();
        return 0;
    }
    if (sb_scenario_check(&sc, &err) != SB_OK)
        abort();
    size_t len, len2;
    char *yaml = as_yaml(&sc, &len);
    if (!yaml) /* the writer refuses only what the loader refuses too */
        abort();
    sb_scenario again;
    if (sb_scenario_load_text(yaml, len, "written.yaml", &again, &err) != SB_OK)
        abort();
    char *yaml2 = as_yaml(&again, &len2);
    if (!yaml2 || len2 != len || memcmp(yaml, yaml2, len))
        abort();
    free(yaml);
    free(yaml2);
    return 0;
}
