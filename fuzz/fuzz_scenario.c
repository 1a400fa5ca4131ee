/*
 * libFuzzer target for the scenario loader: any bytes, loaded as a scenario
 * file, must give a scenario or a located error, never a crash, a leak or
 * undefined behaviour. A valid result must also pass the model's check.
 */
#include <securebase/scenario.h>

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sb_scenario sc;
    sb_error err;
    sb_status st = sb_scenario_load_text((const char *)data, size, "fuzz.yaml",
                                         &sc, &err);
    if (st == SB_OK && sb_scenario_check(&sc, &err) != SB_OK)
        abort();
    if (st != SB_OK && (err.status != st || err.message[0] == '\0'))
        abort();
    return 0;
}
