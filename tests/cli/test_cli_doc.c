/*
 * docs/cli.md is true to the code: it holds the main help and every
 * command's help text exactly as the built command prints them.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        sb_test_run r = sb_test_cli(name, "--help", NULL);
        assert_int_equal(r.exit_code, 0);
        if (!strstr(doc, r.out))
            print_error("docs/cli.md lacks the current help of '%s'; run "
                        "scripts/gen-cli-doc\n", name);
        assert_non_null(strstr(doc, r.out));
        sb_test_run_free(&r);
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
        sb_test_run r = sb_test_cli("journal", name, "--help", NULL);
        assert_int_equal(r.exit_code, 0);
        if (!strstr(doc, r.out))
            print_error("docs/cli.md lacks the current help of 'journal %s'; "
                        "run scripts/gen-cli-doc\n", name);
        assert_non_null(strstr(doc, r.out));
        sb_test_run_free(&r);
        subcommands++;
    }
    assert_int_equal(subcommands, 9);
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
