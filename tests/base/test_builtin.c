/* Tests for src/base/builtin.c: the embedded data files match the tree. */
#include "support.h"

#include "base/builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void every_embedded_file_matches_its_source(void **state)
{
    (void)state;
    int n = 0;
    for (const sb__builtin_file *f = sb__builtin_files; f->path; f++, n++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", SB_SOURCE_DIR, f->path);
        char *text = sb_test_slurp(path);
        assert_non_null(text);
        assert_int_equal(strlen(text), f->size);
        assert_memory_equal(text, f->data, f->size);
        assert_int_equal(f->data[f->size], '\0');
        assert_ptr_equal(sb__builtin_find(f->path), f);
        free(text);
    }
    assert_null(sb__builtin_find("scenarios/no-such-file.yaml"));
    (void)n;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_embedded_file_matches_its_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
