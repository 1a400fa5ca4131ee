/*
 * docs/cli.md is true to the code: it holds the main help and every
 * command's help text (the journal's subcommands' too) exactly as the
 * built command prints them.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether the help of `command` (and `sub`, may be NULL) is in the doc. */
static void help_is_in(const char *doc, const char *command, const char *sub)
{
    sb_test_run r = sub ? sb_test_cli(command, sub, "--help", NULL)
                        : sb_test_cli(command, "--help", NULL);
    assert_int_equal(r.exit_code, 0);
    if (!strstr(doc, r.out))
        print_error("docs/cli.md lacks the current help of '%s%s%s'; run "
                    "scripts/gen-cli-doc\n", command, sub ? " " : "",
                    sub ? sub : "");
    assert_non_null(strstr(doc, r.out));
    sb_test_run_free(&r);
}

static void every_help_text_is_in_the_reference(void **state)
{
    (void)state;
    char *doc = sb_test_slurp(SB_SOURCE_DIR "/docs/cli.md");
    assert_non_null(doc);
    sb_test_run top = sb_test_cli("--help", NULL);
    assert_int_equal(top.exit_code, 0);
    assert_non_null(strstr(doc, top.out));
    const char *list = strstr(top.out, "commands:\n");
    assert_non_null(list);
    int commands = 0;
    for (const char *line = strchr(list, '\n') + 1; strncmp(line, "  ", 2) == 0;
         line = strchr(line, '\n') + 1) {
        char name[32];
        assert_int_equal(sscanf(line, " %31s", name), 1);
        help_is_in(doc, name, NULL);
        commands++;
    }
    assert_true(commands >= 7);
    /* The journal's subcommands (export --format fhir among them). */
    sb_test_run journal = sb_test_cli("journal", "--help", NULL);
    const char *subs = strstr(journal.out, "subcommands:\n");
    assert_non_null(subs);
    int subcommands = 0;
    for (const char *line = strchr(subs, '\n') + 1; strncmp(line, "  ", 2) == 0;
         line = strchr(line, '\n') + 1) {
        char name[32];
        if (line[2] == ' ')
            continue; /* a description's second line */
        assert_int_equal(sscanf(line, " %31s", name), 1);
        help_is_in(doc, "journal", name);
        subcommands++;
    }
    assert_int_equal(subcommands, 10);
    assert_non_null(strstr(doc, "### securebase journal export"));
    sb_test_run_free(&journal);
    sb_test_run_free(&top);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_help_text_is_in_the_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
