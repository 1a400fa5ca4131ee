/*
 * The web face's own request parsing: form bodies, the Cookie header and
 * paths against every route pattern. The first byte chooses the parser;
 * the rest is the input. Nothing may crash, leak or read out of bounds,
 * and a parsed form's values must be NUL-terminated UTF-8.
 */
#include "serve/form.h"
#include "serve/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    int which = data[0] % 3;
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    char *z = malloc(n + 1);
    if (!z)
        return 0;
    memcpy(z, text, n);
    z[n] = '\0';
    if (which == 0) {
        sb_form f;
        sb_error err;
        if (sb_form_parse(text, n, &f, &err) == SB_OK)
            for (size_t i = 0; i < f.count; i++)
                if (!sb_form_get(&f, f.name[i]) || strlen(f.value[i]) > n)
                    abort();
        sb_form_free(&f);
    } else if (which == 1) {
        char v[64];
        (void)sb_cookie_find(z, "sb_session", v, sizeof v);
        (void)sb_cookie_find(z, "__Host-sb_form", v, sizeof v);
    } else if (sb_path_valid(z)) {
        sb_path_params p;
        for (const sb_route *rt = sb_routes; rt->pattern; rt++)
            (void)sb_path_match(rt->pattern, z, &p);
    }
    free(z);
    return 0;
}
