/*
 * docs/journal.md is true to the code: every field of every kind is in the
 * data model table of its kind, marked required exactly when it is.
 */
#include "support.h"

#include <securebase/journal.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void data_model_lists_every_field(void **state)
{
    (void)state;
    char *doc = sb_test_slurp(SB_SOURCE_DIR "/docs/journal.md");
    assert_non_null(doc);
    for (int k = 0; k < SB_KIND_COUNT; k++) {
        char heading[64];
        snprintf(heading, sizeof heading, "\n### %s\n",
                 sb_journal_kind_name((sb_journal_kind)k));
        char *section = strstr(doc, heading);
        if (!section)
            fail_msg("docs/journal.md has no section '%s'",
                     sb_journal_kind_name((sb_journal_kind)k));
        char *end = strstr(section + 1, "\n### ");
        size_t n;
        const sb_journal_field *f = sb_journal_fields((sb_journal_kind)k, &n);
        for (size_t i = 0; i < n; i++) {
            if (f[i].type == SB_JFIELD_ID)
                continue;
            char row[96];
            snprintf(row, sizeof row, "| `%s`%s |", f[i].name,
                     f[i].required ? " *" : "");
            char *at = strstr(section, row);
            if (!at || (end && at > end))
                fail_msg("docs/journal.md, %s: no row '%s'",
                         sb_journal_kind_name((sb_journal_kind)k), row);
        }
    }
    char version[64];
    snprintf(version, sizeof version, "\n| %d | ", sb_journal_schema_version());
    assert_non_null(strstr(doc, version));
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(data_model_lists_every_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
