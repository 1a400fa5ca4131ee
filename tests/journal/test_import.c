/*
 * Tests for src/journal/import.c: a good import, every kind of bad input
 * (with its location), all-or-nothing, and an import killed with SIGKILL.
 */
#include "journal/helpers.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static sb_status import_text(sb_journal *j, const char *text, sb_error *err)
{
    return sb_journal_import_csv_buffer(j, "in.csv", text, strlen(text), NULL,
                                        NULL, err);
}

static const char good[] =
    "record,id,person,name,date,attended,minutes,kind,supportive,secure,start,"
    "end,trigger,intensity,tried,new_response,behaviour,outcome,instrument,"
    "items\n"
    "person,1,,Ana,,,,,,,,,,,,,,,,\n"
    "person,2,,\"Lind, Bo\",,,,,,,,,,,,,,,,\n"
    "relationship,,1,Sam,,,,partner,no,no,2020-05-01,2025-11-30,,,,,,,,\n"
    "session,,1,,2026-01-05,yes,50,,,,,,,,,,,,,\n"
    "session,,1,,2026-01-12,no,50,,,,,,,,,,,,,\n"
    "reflection,,1,,2026-01-07,,,,,,,,late reply,7,yes,\"waited,\n"
    "then asked\",,,,\n"
    "practice,,2,,2026-01-09,,,,,,,,,,,,asked for help,positive,,\n"
    "assessment,,1,,2026-01-05,,,,,,,,,,,,,,RQ,1 2 NA 4\n";

static void imports_every_kind(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_import_summary sum;
    sb_error err;
    sb_status st = sb_journal_import_csv_buffer(t.j, "in.csv", good,
                                                strlen(good), NULL, &sum, &err);
    if (st != SB_OK)
        fail_msg("%s:%lu:%lu: %s", err.file, err.line, err.column, err.message);
    assert_int_equal(sum.rows, 8);
    assert_int_equal(sum.added[SB_KIND_PERSON], 2);
    assert_int_equal(sum.added[SB_KIND_SESSION], 2);
    assert_int_equal(sum.added[SB_KIND_ASSESSMENT], 1);
    assert_int_equal(tj_count(t.j, SB_KIND_RELATIONSHIP), 1);
    sb_rec_person p;
    assert_int_equal(sb_journal_get(t.j, SB_KIND_PERSON, 2, &p, NULL), SB_OK);
    assert_string_equal(p.name, "Lind, Bo");
    sb_rec_reflection r;
    assert_int_equal(sb_journal_get(t.j, SB_KIND_REFLECTION, 1, &r, NULL), SB_OK);
    assert_string_equal(r.new_response, "waited,\nthen asked");
    assert_int_equal(r.intensity, 7);
    tj_close(&t);
}

/* Imports `text` into a journal holding one person and expects a failure. */
static void expect_failure(const char *text, sb_status status,
                           unsigned long line, unsigned long column,
                           const char *message_part)
{
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    sb_error err;
    sb_error_clear(&err);
    sb_status st = import_text(t.j, text, &err);
    if (st != status || err.line != line || err.column != column ||
        !strstr(err.message, message_part))
        fail_msg("for %s\ngot status %d at %lu:%lu: %s", text, (int)st,
                 err.line, err.column, err.message);
    assert_string_equal(err.file, "in.csv");
    /* All or nothing: the one person from before, no more. */
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 1);
    assert_int_equal(tj_count(t.j, SB_KIND_SESSION), 0);
    tj_close(&t);
}

/* The person column takes a name as `journal add` does, also of someone
 * added by an earlier row; digits are an id. */
static void people_are_named_or_numbered(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    sb_error err;
    const char *rows = "record,name,person,date,attended,minutes\n"
                       "person,\"Lind, Bo\",,,,\n"
                       "session,,Ana,2026-01-05,yes,50\n"
                       "session,,\"Lind, Bo\",2026-01-06,no,50\n"
                       "session,,2,2026-01-07,yes,45\n";
    sb_status st = import_text(t.j, rows, &err);
    if (st != SB_OK)
        fail_msg("%s", err.message);
    void *recs;
    size_t n;
    assert_int_equal(sb_journal_list(t.j, SB_KIND_SESSION, 0, &recs, &n, NULL),
                     SB_OK);
    assert_int_equal(n, 3);
    const sb_rec_session *s = recs;
    assert_int_equal(s[0].person, 1);
    assert_int_equal(s[1].person, 2);
    assert_int_equal(s[2].person, 2);
    free(recs);
    assert_int_equal(import_text(t.j, "record,person,date,attended,minutes\n"
                                      "session,Ana,2026-02-02,yes,50\n"
                                      "session,Cy,2026-02-09,yes,50\n",
                                 &err),
                     SB_ERR_NOTFOUND);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_string_equal(err.message, "row 2, column 'person': field "
                                     "'person': there is no person with id "
                                     "or name 'Cy'");
    /* all or nothing: Ana's row of that file is not kept */
    assert_int_equal(sb_journal_count(t.j, SB_KIND_SESSION, 1, &n, NULL),
                     SB_OK);
    assert_int_equal(n, 1);
    /* a name of digits is refused on import too */
    assert_int_equal(import_text(t.j, "record,name\nperson,42\n", &err),
                     SB_ERR_INVALID);
    assert_non_null(strstr(err.message, "'42' is only digits"));
    tj_close(&t);
}

static void names_file_row_column_and_value(void **state)
{
    (void)state;
    const char *head = "record,person,date,attended,minutes\n";
    char text[1024];
    /* A bad date in the third data row: the first two are rolled back. */
    snprintf(text, sizeof text,
             "%ssession,1,2026-01-05,yes,50\nsession,1,2026-01-12,yes,50\n"
             "session,1,2026-02-30,yes,50\n",
             head);
    expect_failure(text, SB_ERR_INVALID, 4, 3,
                   "row 3, column 'date': field 'date': '2026-02-30' is not a "
                   "real date");
    snprintf(text, sizeof text, "%ssession,1,2026-01-05,perhaps,50\n", head);
    expect_failure(text, SB_ERR_INVALID, 2, 4,
                   "row 1, column 'attended': field 'attended' must be yes or "
                   "no, got 'perhaps'");
    snprintf(text, sizeof text, "%ssession,1,2026-01-05,yes,0\n", head);
    expect_failure(text, SB_ERR_INVALID, 2, 5, "must be from 1 to 600, got 0");
    snprintf(text, sizeof text, "%ssession,1,2026-01-05,yes,\n", head);
    expect_failure(text, SB_ERR_INVALID, 2, 5, "'minutes' is required");
    snprintf(text, sizeof text, "%ssession,5,2026-01-05,yes,50\n", head);
    expect_failure(text, SB_ERR_NOTFOUND, 2, 2,
                   "row 1, column 'person': field 'person': there is no "
                   "person with id 5");
    snprintf(text, sizeof text, "%smeeting,1,2026-01-05,yes,50\n", head);
    expect_failure(text, SB_ERR_INVALID, 2, 1, "unknown kind of record 'meeting'");
    snprintf(text, sizeof text, "%ssession,1,2026-01-05,yes\n", head);
    expect_failure(text, SB_ERR_INVALID, 2, 0,
                   "has 4 values but the header has 5 columns");
    snprintf(text, sizeof text, "%ssession,1,2026-01-05,yes,50,extra\n", head);
    expect_failure(text, SB_ERR_INVALID, 2, 0, "has 6 values");
    expect_failure("record,person,date,intensity\nsession,1,2026-01-05,3\n",
                   SB_ERR_INVALID, 2, 4,
                   "a session has no field 'intensity' (leave it empty)");
    expect_failure("record,person,whenever\n", SB_ERR_INVALID, 1, 3,
                   "unknown column 'whenever'");
    expect_failure("record,date,date\n", SB_ERR_INVALID, 1, 3,
                   "column 'date' appears twice");
    expect_failure("person,date\n", SB_ERR_INVALID, 1, 0,
                   "no 'record' column");
    expect_failure("", SB_ERR_PARSE, 0, 0, "is empty");
    expect_failure("record,name\nperson,\"Ana\"x\n", SB_ERR_PARSE, 2, 2,
                   "malformed CSV");
    expect_failure("record,name\nperson,\"unclosed\n", SB_ERR_PARSE, 2, 2,
                   "not closed");
    expect_failure("record,name\nperson,Bo\nperson,Ana\n", SB_ERR_INVALID, 3,
                   0, "a person named 'Ana' already exists");
    expect_failure("record,name\nperson,\"two\nlines\"\n", SB_ERR_INVALID, 2, 2,
                   "must be one line");
    expect_failure("record,name\nperson,\xC3\x28\n", SB_ERR_INVALID, 2, 2,
                   "not valid UTF-8");
    /* A multi-line cell: the row after it is located on its own line. */
    expect_failure("record,name,notes\nperson,Bo,\"a\nb\nc\"\nperson,,x\n",
                   SB_ERR_INVALID, 5, 2, "row 2, column 'name'");
    static const char nul[] = "record,name\nperson,B\0o\n";
    test_journal t;
    tj_open(&t);
    sb_error err;
    assert_int_equal(sb_journal_import_csv_buffer(t.j, "in.csv", nul,
                                                  sizeof nul - 1, NULL, NULL,
                                                  &err),
                     SB_ERR_PARSE);
    assert_non_null(strstr(err.message, "NUL byte"));
    assert_int_equal(err.line, 2);
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 0);
    tj_close(&t);
}

static void refuses_huge_cells_and_rows(void **state)
{
    (void)state;
    size_t n = 200 * 1024;
    char *text = malloc(n + 64);
    strcpy(text, "record,name\nperson,");
    size_t len = strlen(text);
    memset(text + len, 'x', n);
    strcpy(text + len + n, "\n");
    expect_failure(text, SB_ERR_PARSE, 2, 2, "longer than 64 KiB");
    strcpy(text, "record,name\nperson,");
    len = strlen(text);
    for (int i = 0; i < 100; i++)
        len += (size_t)sprintf(text + len, "x,");
    strcpy(text + len, "\n");
    expect_failure(text, SB_ERR_PARSE, 2, 65, "more than 64 fields");
    free(text);
}

static void accepts_a_byte_order_mark_and_crlf(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    const char *text = "\xEF\xBB\xBFrecord,name\r\nperson,Ana\r\n"
                       "person,  Bo  \r\n\r\n";
    sb_error err;
    sb_status st = import_text(t.j, text, &err);
    if (st != SB_OK)
        fail_msg("%s", err.message);
    sb_rec_person p;
    assert_int_equal(sb_journal_get(t.j, SB_KIND_PERSON, 2, &p, NULL), SB_OK);
    assert_string_equal(p.name, "Bo"); /* unquoted cells are trimmed */
    tj_close(&t);
}

/* CR-only line ends (old spreadsheet exports): errors name the row's own
 * line, not line 1. */
static void cr_only_line_ends_locate_errors(void **state)
{
    (void)state;
    expect_failure("record,person,date,attended,minutes\r"
                   "session,1,2026-01-05,yes,50\r\r"
                   "session,1,2026-02-30,yes,50\r",
                   SB_ERR_INVALID, 4, 3, "row 2, column 'date'");
    expect_failure("record,name\rperson,Bo\rperson,\"a\"b\r", SB_ERR_PARSE, 3,
                   2, "malformed CSV");
}

static void dry_run_checks_but_keeps_nothing(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_import_options opt = {.dry_run = 1};
    sb_import_summary sum;
    assert_int_equal(sb_journal_import_csv_buffer(t.j, "in.csv", good,
                                                  strlen(good), &opt, &sum,
                                                  NULL),
                     SB_OK);
    assert_int_equal(sum.added[SB_KIND_SESSION], 2);
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 0);
    assert_int_equal(tj_count(t.j, SB_KIND_SESSION), 0);
    tj_close(&t);
}

static void reads_from_a_file_and_reports_a_missing_one(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    char *path = sb_test_write(t.dir, "in.csv", good);
    assert_int_equal(sb_journal_import_csv(t.j, path, NULL, NULL, NULL), SB_OK);
    assert_int_equal(tj_count(t.j, SB_KIND_PERSON), 2);
    sb_error err;
    assert_int_equal(sb_journal_import_csv(t.j, "/nonexistent/x.csv", NULL, NULL,
                                           &err),
                     SB_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/x.csv");
    free(path);
    tj_close(&t);
}

/* ---- killed in the middle ------------------------------------------------- */

#define BIG_ROWS 40000

static char *write_big_csv(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/big.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("record,person,date,attended,minutes,notes\n", f);
    for (long i = 0; i < BIG_ROWS; i++) {
        sb_date d = sb_date_from_days(sb_date_days((sb_date){2000, 1, 1}) + i % 50000);
        char text[SB_DATE_SIZE];
        sb_date_format(d, text);
        fprintf(f, "session,1,%s,%s,50,\"row %ld, padded so pages spill to "
                   "the write-ahead log before the transaction ends\"\n",
                text, i % 3 ? "yes" : "no", i);
    }
    fclose(f);
    return strdup(path);
}

typedef struct progress_pipe {
    int fd;
    int stop; /* wait for the kill after signalling */
} progress_pipe;

static void signal_parent(size_t rows, void *ctx)
{
    progress_pipe *p = ctx;
    (void)rows;
    char c = 'r';
    if (write(p->fd, &c, 1) != 1)
        _exit(3);
    if (p->stop)
        for (;;)
            pause();
}

/* Runs the import in a child and SIGKILLs it after `after` rows. */
static void kill_import_after(const char *journal, const char *csv,
                              size_t after, int stop)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        sb_journal *j;
        if (sb_journal_open(journal, 0, &j, NULL) != SB_OK)
            _exit(2);
        progress_pipe pp = {fds[1], stop};
        sb_import_options opt = {.progress_every = after,
                                 .progress = signal_parent, .ctx = &pp};
        sb_status st = sb_journal_import_csv(j, csv, &opt, NULL, NULL);
        sb_journal_close(j);
        _exit(st == SB_OK ? 0 : 1);
    }
    close(fds[1]);
    char c;
    ssize_t got = read(fds[0], &c, 1);
    close(fds[0]);
    assert_int_equal(got, 1); /* the import is under way */
    assert_int_equal(kill(pid, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (stop)
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void survives_sigkill_in_the_middle_of_an_import(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    tj_person(t.j, "Ana");
    sb_journal_close(t.j);
    t.j = NULL;
    char *csv = write_big_csv(t.dir);
    /* Killed at the first row, in the middle, near the end: held inside the
     * transaction each time, so exactly nothing may remain. */
    size_t points[] = {1, BIG_ROWS / 2, BIG_ROWS - 100};
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
        kill_import_after(t.path, csv, points[i], 1);
        sb_journal *j;
        sb_error err;
        if (sb_journal_open(t.path, 0, &j, &err) != SB_OK)
            fail_msg("reopen after kill: %s", err.message);
        if (sb_journal_check_integrity(j, &err) != SB_OK)
            fail_msg("after kill at row %zu: %s", points[i], err.message);
        assert_int_equal(tj_count(j, SB_KIND_SESSION), 0);
        assert_int_equal(tj_count(j, SB_KIND_PERSON), 1);
        sb_journal_close(j);
    }
    /* Killed while running freely: the import is whole or absent. */
    kill_import_after(t.path, csv, BIG_ROWS / 4, 0);
    sb_journal *j;
    assert_int_equal(sb_journal_open(t.path, 0, &j, NULL), SB_OK);
    assert_int_equal(sb_journal_check_integrity(j, NULL), SB_OK);
    size_t n = tj_count(j, SB_KIND_SESSION);
    assert_true(n == 0 || n == BIG_ROWS);
    /* And the journal still works: the whole import now goes in. */
    if (n == 0)
        assert_int_equal(sb_journal_import_csv(j, csv, NULL, NULL, NULL), SB_OK);
    assert_int_equal(tj_count(j, SB_KIND_SESSION), BIG_ROWS);
    sb_journal_close(j);
    free(csv);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(imports_every_kind),
        cmocka_unit_test(people_are_named_or_numbered),
        cmocka_unit_test(names_file_row_column_and_value),
        cmocka_unit_test(refuses_huge_cells_and_rows),
        cmocka_unit_test(accepts_a_byte_order_mark_and_crlf),
        cmocka_unit_test(cr_only_line_ends_locate_errors),
        cmocka_unit_test(dry_run_checks_but_keeps_nothing),
        cmocka_unit_test(reads_from_a_file_and_reports_a_missing_one),
        cmocka_unit_test(survives_sigkill_in_the_middle_of_an_import),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
