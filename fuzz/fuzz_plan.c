/*
 * libFuzzer target for the what-if plan parser: any bytes, as one plan's
 * text, must give a plan that applies to a person's inputs within the
 * model's ranges, or an error naming the plan, never a crash or a leak.
 */
#include <securebase/whatif.h>

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    sb_plan p;
    sb_error err;
    if (sb_plan_parse(text, &p, &err) == SB_OK) {
        sb_care_inputs in, out;
        memset(&in, 0, sizeof in);
        in.sessions_per_week = 1;
        in.attendance = 0.8;
        in.relationships_recorded = 1;
        in.relationship_count = 1;
        strcpy(in.relationships[0].name, "Sam");
        if (sb_plan_apply(&p, &in, &out, &err) == SB_OK) {
            sb_scenario sc;
            sb_care_scenario(&out, 4, 4, 52, &sc);
            if (sb_scenario_check(&sc, &err) != SB_OK)
                abort(); /* a parsed plan must give a valid scenario */
        }
    } else if (!strstr(err.message, "plan")) {
        abort(); /* every error names the plan */
    }
    free(text);
    return 0;
}
