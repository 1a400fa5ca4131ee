/* Tests for src/cli/cmd_journal.c: the journal as a user drives it. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>

typedef struct fixture {
    char *dir;
    char db[4200];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = sb_test_tmpdir();
    snprintf(f->db, sizeof f->db, "%s/j.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sb_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* Runs `securebase journal --db DB args...` and checks the exit code. */
#define JOURNAL(f, code, ...)                                                  \
    expect_run(sb_test_cli("journal", "--db", (f)->db, __VA_ARGS__, NULL),     \
               code, #__VA_ARGS__)

static sb_test_run expect_run(sb_test_run r, int code, const char *what)
{
    if (r.exit_code != code)
        fail_msg("%s: exit %d, expected %d\nstdout: %s\nstderr: %s", what,
                 r.exit_code, code, r.out, r.err);
    return r;
}

static void init_creates_a_private_journal(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    assert_non_null(strstr(r.out, "journal ready at"));
    assert_non_null(strstr(r.out, "schema version 5"));
    sb_test_run_free(&r);
    struct stat st;
    assert_int_equal(stat(f->db, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    r = JOURNAL(f, 0, "init"); /* again: harmless */
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "check");
    assert_string_equal(r.out, "ok\n");
    sb_test_run_free(&r);
}

/* A count another program's write left wrong: check fails naming it
 * (exit 1), repair counts afresh and check passes again. */
static void repair_mends_what_check_finds(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "person", "--name", "Ana");
    sb_test_run_free(&r);
    char items[200] = "";
    for (int i = 0; i < 12; i++)
        strcat(items, "4 ");
    r = JOURNAL(f, 0, "add", "assessment", "--person", "1", "--instrument",
                "ecr-s", "--date", "2026-01-05", "--items", items);
    sb_test_run_free(&r);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE assessment_series SET scored "
                                      "= 4",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    r = JOURNAL(f, 1, "check");
    assert_non_null(strstr(r.err, f->db));
    assert_non_null(strstr(r.err, "person 1 ('ecr-s') is kept as 4"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "repair");
    assert_string_equal(r.out, "ok\n");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "check");
    sb_test_run_free(&r);
}

static void missing_journal_suggests_init(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 2, "list", "person");
    assert_non_null(strstr(r.err, "no journal exists at this path"));
    assert_non_null(strstr(r.err, "init"));
    sb_test_run_free(&r);
}

static void add_list_edit_delete(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "person", "--name", "Ana", "--notes", "pseudonym");
    assert_string_equal(r.out, "added person 1\n");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "session", "--person", "Ana", "--date",
                "2026-01-05", "--attended", "yes", "--minutes", "50");
    assert_string_equal(r.out, "added session 1\n");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "reflection", "--person", "1", "--date",
                "2026-01-07", "--trigger", "late reply", "--old-response",
                "sent five messages", "--new-response", "waited, then asked",
                "--tried", "yes", "--intensity", "7");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "assessment", "--person", "Ana", "--date",
                "2026-01-05", "--instrument", "RQ", "--items", "2 5 6 3");
    assert_string_equal(r.out, "added assessment 1\n"
                               "rq scores: secure=2 fearful=5 preoccupied=6 "
                               "dismissing=3 model_of_self=-6 "
                               "model_of_other=0\n");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "assessment", "--person", "Ana", "--date",
                "2026-01-05", "--instrument", "rq", "--items", "2 5 6");
    assert_non_null(strstr(r.err, "rq has 4 items, got 3 answers"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "list", "session", "--person", "Ana");
    assert_non_null(strstr(r.out, "attended"));
    assert_non_null(strstr(r.out, "2026-01-05  yes"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "list", "reflection");
    assert_non_null(strstr(r.out, "waited, then asked"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "edit", "session", "1", "--attended", "no");
    assert_string_equal(r.out, "changed session 1\n");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "list", "session");
    assert_non_null(strstr(r.out, "2026-01-05  no"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "delete", "person", "1");
    assert_non_null(strstr(r.err, "still has 1 session, 1 assessment, "
                                  "1 reflection"));
    assert_non_null(strstr(r.err, "--cascade"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "delete", "person", "1", "--cascade");
    assert_string_equal(r.out, "deleted person 1\n");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "list", "session");
    assert_null(strstr(r.out, "2026"));
    sb_test_run_free(&r);
}

static void validation_errors_exit_2_and_store_nothing(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "person", "--name", "Ana");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "session", "--person", "1", "--date",
                "2026-02-30", "--attended", "yes", "--minutes", "50");
    assert_non_null(strstr(r.err, "'2026-02-30' is not a real date"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "session", "--person", "1", "--date",
                "2026-02-03", "--attended", "perhaps", "--minutes", "50");
    assert_non_null(strstr(r.err, "must be yes or no, got 'perhaps'"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "session", "--person", "7", "--date",
                "2026-02-03", "--attended", "yes", "--minutes", "50");
    assert_non_null(strstr(r.err, "there is no person with id 7"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "session", "--person", "1", "--date",
                "2026-02-03", "--minutes", "50");
    assert_non_null(strstr(r.err, "'attended' is required"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "reflection", "--person", "1", "--date",
                "2026-02-03", "--trigger", "x", "--intensity", "11");
    assert_non_null(strstr(r.err, "from 0 to 10, got 11"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "relationship", "--person", "1", "--kind",
                "partner", "--name", "Sam", "--supportive", "yes", "--secure",
                "no", "--start", "2025-06-01", "--end", "2025-01-01");
    assert_non_null(strstr(r.err, "is before 'start'"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "session", "--intensity", "3");
    assert_non_null(strstr(r.err, "a session has no field '--intensity'"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "meeting");
    assert_non_null(strstr(r.err, "unknown kind of record 'meeting'"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "edit", "session", "x1", "--minutes", "3");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "frobnicate");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "list", "session");
    assert_null(strstr(r.out, "2026"));
    sb_test_run_free(&r);
}

static void help_lists_fields(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "add", "reflection", "--help");
    assert_non_null(strstr(r.out, "--old-response"));
    assert_non_null(strstr(r.out, "--intensity      *"));
    sb_test_run_free(&r);
    r = expect_run(sb_test_cli("journal", "--help", NULL), 0, "help");
    assert_non_null(strstr(r.out, "backup DEST"));
    sb_test_run_free(&r);
    r = expect_run(sb_test_cli("--help", NULL), 0, "help");
    assert_non_null(strstr(r.out, "journal"));
    sb_test_run_free(&r);
}

static void import_export_backup(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    sb_test_run_free(&r);
    char *csv = sb_test_write(f->dir, "in.csv",
                              "record,id,person,name,date,attended,minutes\n"
                              "person,1,,Ana,,,\n"
                              "session,,1,,2026-01-05,yes,50\n"
                              "session,,1,,2026-01-12,no,50\n");
    char *bad = sb_test_write(f->dir, "bad.csv",
                              "record,person,date,attended,minutes\n"
                              "session,1,2026-01-19,yes,50\n"
                              "session,1,2026-01-26,yes,-5\n");
    r = JOURNAL(f, 0, "import", csv, "--dry-run");
    assert_non_null(strstr(r.out, "dry run"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "import", csv);
    assert_string_equal(r.out, "imported 3 rows: 1 person 2 sessions\n");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "import", bad);
    assert_non_null(strstr(r.err, "bad.csv:3:5: row 2, column 'minutes'"));
    assert_non_null(strstr(r.err, "Nothing was imported."));
    sb_test_run_free(&r);

    char out[4300], copy[4300];
    snprintf(out, sizeof out, "%s/all.csv", f->dir);
    r = JOURNAL(f, 0, "export", "--format", "csv", "--out", out);
    sb_test_run_free(&r);
    char *text = sb_test_slurp(out);
    assert_non_null(strstr(text, "\nsession,2,"));
    free(text);
    r = JOURNAL(f, 0, "export", "--format", "json", "--person", "Ana");
    assert_non_null(strstr(r.out, "\"sessions\""));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "export", "--format", "xml");
    assert_non_null(strstr(r.err, "unknown format 'xml' (expected csv, json or "
                                  "fhir)"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "export");
    sb_test_run_free(&r);
    /* FHIR: a bundle, private like the journal; to stdout when no --out */
    r = JOURNAL(f, 0, "add", "assessment", "--person", "Ana", "--instrument",
                "rq", "--date", "2026-01-05", "--items", "6 2 3 5");
    sb_test_run_free(&r);
    char fhir[4300];
    snprintf(fhir, sizeof fhir, "%s/bundle.json", f->dir);
    r = JOURNAL(f, 0, "export", "--format", "fhir", "--out", fhir);
    assert_string_equal(r.out, "");
    sb_test_run_free(&r);
    struct stat sb;
    assert_int_equal(stat(fhir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    text = sb_test_slurp(fhir);
    assert_non_null(strstr(text, "\"resourceType\": \"Bundle\""));
    assert_non_null(strstr(text, "\"id\": \"assessment-1-model-of-self\""));
    r = JOURNAL(f, 0, "export", "--format", "fhir", "--person", "Ana");
    assert_string_equal(r.out, text);
    sb_test_run_free(&r);
    free(text);

    snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
    r = JOURNAL(f, 0, "backup", copy);
    sb_test_run_free(&r);
    r = expect_run(sb_test_cli("journal", "--db", copy, "list", "session", NULL),
                   0, "list copy");
    assert_non_null(strstr(r.out, "2026-01-12"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 1, "backup", "/nonexistent/dir/copy.db");
    sb_test_run_free(&r);
    free(csv);
    free(bad);
}

/* --person that names nobody is an input error, and nothing is listed. */
static void unknown_person_exits_2_with_nothing_written(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "person", "--name", "Ana");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "list", "session", "--person", "Bea");
    assert_non_null(strstr(r.err, "there is no person with id or name 'Bea'"));
    assert_string_equal(r.out, "");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "export", "--format", "json", "--person", "9");
    assert_non_null(strstr(r.err, "there is no person with id 9"));
    assert_string_equal(r.out, "");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "session", "--person", "Bea", "--date",
                "2026-01-05", "--attended", "yes", "--minutes", "50");
    assert_non_null(strstr(r.err, "'Bea'"));
    sb_test_run_free(&r);
}

/* Commands that only read work on a read-only mount (a 0444 journal in a
 * 0555 directory; run as `nobody` when the tests run as root). */
static void reading_commands_work_on_a_read_only_directory(void **state)
{
    fixture *f = *state;
    assert_int_equal(chmod(f->dir, 0755), 0);
    char ro[4300], db[4400], out[4300], file[4500];
    snprintf(ro, sizeof ro, "%s/ro", f->dir);
    snprintf(db, sizeof db, "%s/j.db", ro);
    snprintf(out, sizeof out, "%s/out", f->dir);
    assert_int_equal(mkdir(ro, 0755), 0);
    assert_int_equal(mkdir(out, 0777), 0);
    assert_int_equal(chmod(out, 0777), 0);
    sb_test_run r = expect_run(sb_test_cli("journal", "--db", db, "init", NULL),
                               0, "init");
    sb_test_run_free(&r);
    r = expect_run(sb_test_cli("journal", "--db", db, "add", "person",
                               "--name", "Ana", NULL),
                   0, "add");
    sb_test_run_free(&r);
    size_t len_before, len_after;
    char *before = sb_test_bytes(db, &len_before);
    assert_int_equal(chmod(db, 0444), 0);
    assert_int_equal(chmod(ro, 0555), 0);
    r = expect_run(sb_test_cli_unprivileged("journal", "--db", db, "list",
                                            "person", NULL),
                   0, "list");
    assert_non_null(strstr(r.out, "Ana"));
    sb_test_run_free(&r);
    r = expect_run(sb_test_cli_unprivileged("journal", "--db", db, "check",
                                            NULL),
                   0, "check");
    assert_string_equal(r.out, "ok\n");
    sb_test_run_free(&r);
    r = expect_run(sb_test_cli_unprivileged("journal", "--db", db, "export",
                                            "--format", "json", NULL),
                   0, "export");
    assert_non_null(strstr(r.out, "\"Ana\""));
    sb_test_run_free(&r);
    snprintf(file, sizeof file, "%s/copy.db", out);
    r = expect_run(sb_test_cli_unprivileged("journal", "--db", db, "backup",
                                            file, NULL),
                   0, "backup");
    sb_test_run_free(&r);
    snprintf(file, sizeof file, "%s/r.html", out);
    r = expect_run(sb_test_cli_unprivileged("report", "Ana", "--db", db,
                                            "--weeks", "0", "--out", file,
                                            NULL),
                   0, "report");
    sb_test_run_free(&r);
    /* ... and writing ones fail cleanly */
    r = expect_run(sb_test_cli_unprivileged("journal", "--db", db, "add",
                                            "person", "--name", "Bo", NULL),
                   1, "add");
    sb_test_run_free(&r);
    assert_false(sb_test_exists(db, "-wal"));
    assert_false(sb_test_exists(db, "-shm"));
    assert_false(sb_test_exists(db, "-journal"));
    char *after = sb_test_bytes(db, &len_after);
    assert_int_equal(len_after, len_before);
    assert_memory_equal(after, before, len_before);
    free(before);
    free(after);
    assert_int_equal(chmod(ro, 0755), 0);
}

/* A backup stays a single self-contained file when it is read: listing it
 * neither turns on WAL nor leaves -wal and -shm files beside it. */
static void listing_a_backup_leaves_it_as_it_is(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "person", "--name", "Ana");
    sb_test_run_free(&r);
    char copy[4300];
    snprintf(copy, sizeof copy, "%s/copy.db", f->dir);
    r = JOURNAL(f, 0, "backup", copy);
    sb_test_run_free(&r);
    size_t len_before, len_after;
    char *before = sb_test_bytes(copy, &len_before);
    assert_true(len_before > 19);
    assert_int_equal(before[18], 1); /* rollback journal, not WAL (2) */
    const char *reads[][3] = {{"list", "person", NULL},
                              {"check", NULL, NULL},
                              {"export", "--format", "csv"}};
    for (size_t i = 0; i < 3; i++) {
        r = expect_run(sb_test_cli("journal", "--db", copy, reads[i][0],
                                   reads[i][1], reads[i][2], NULL),
                       0, reads[i][0]);
        sb_test_run_free(&r);
        assert_false(sb_test_exists(copy, "-wal"));
        assert_false(sb_test_exists(copy, "-shm"));
    }
    char *after = sb_test_bytes(copy, &len_after);
    assert_int_equal(len_after, len_before);
    assert_memory_equal(after, before, len_before);
    free(before);
    free(after);
}

/* Only init makes a journal: every other command refuses a missing or empty
 * file and leaves it as it was. */
static void only_init_creates_a_journal(void **state)
{
    fixture *f = *state;
    char *empty = sb_test_write(f->dir, "empty.db", "");
    assert_int_equal(chmod(empty, 0644), 0);
    char missing[4300], out[4300], csv_path[4300];
    snprintf(missing, sizeof missing, "%s/missing.db", f->dir);
    snprintf(out, sizeof out, "%s/out.file", f->dir);
    char *csv = sb_test_write(f->dir, "p.csv", "record,name\nperson,Ana\n");
    snprintf(csv_path, sizeof csv_path, "%s", csv);
    const char *paths[] = {empty, missing};
    for (size_t p = 0; p < 2; p++) {
        const char *cmds[][6] = {
            {"list", "person"},
            {"check"},
            {"repair"},
            {"add", "person", "--name", "Ana"},
            {"edit", "person", "1", "--name", "Bo"},
            {"delete", "person", "1"},
            {"import", csv_path},
            {"export", "--format", "csv"},
            {"backup", out},
        };
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
            sb_test_run r = sb_test_cli("journal", "--db", paths[p], cmds[i][0],
                                        cmds[i][1], cmds[i][2], cmds[i][3],
                                        cmds[i][4], NULL);
            if (r.exit_code != 2 || !strstr(r.err, "init"))
                fail_msg("%s on %s: exit %d\nstderr: %s", cmds[i][0],
                         p ? "a missing file" : "an empty file", r.exit_code,
                         r.err);
            sb_test_run_free(&r);
        }
        sb_test_run r = sb_test_cli("report", "Ana", "--db", paths[p], "--out",
                                    out, NULL);
        assert_int_equal(r.exit_code, 2);
        sb_test_run_free(&r);
    }
    struct stat st;
    assert_int_equal(stat(empty, &st), 0);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_not_equal(stat(missing, &st), 0);
    assert_int_not_equal(stat(out, &st), 0);
    /* init makes the empty file a private journal */
    sb_test_run r = expect_run(sb_test_cli("journal", "--db", empty, "init",
                                           NULL),
                               0, "init");
    sb_test_run_free(&r);
    assert_int_equal(stat(empty, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(empty);
    free(csv);
}

/* "--person 1" always means id 1: a person cannot be named "1" or "007",
 * so no record can go to someone else; import takes names as add does. */
static void names_and_ids_never_mix(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "person", "--name", "Ana");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "person", "--name", "1");
    assert_non_null(strstr(r.err, "'1' is only digits, which would read as "
                                  "a person's id; add a letter"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "person", "--name", "007");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "edit", "person", "1", "--name", "2");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "person", "--name", "Client 007");
    assert_string_equal(r.out, "added person 2\n");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "session", "--person", "Client 007", "--date",
                "2026-01-05", "--attended", "yes", "--minutes", "50");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "session", "--person", "1", "--date",
                "2026-01-06", "--attended", "yes", "--minutes", "50");
    sb_test_run_free(&r);
    char *csv = sb_test_write(f->dir, "named.csv",
                              "record,person,date,attended,minutes\n"
                              "session,Ana,2026-01-12,no,50\n"
                              "session,Client 007,2026-01-13,yes,50\n");
    r = JOURNAL(f, 0, "import", csv);
    assert_string_equal(r.out, "imported 2 rows: 2 sessions\n");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "list", "session", "--person", "Ana");
    assert_non_null(strstr(r.out, "2026-01-06"));
    assert_non_null(strstr(r.out, "2026-01-12"));
    assert_null(strstr(r.out, "2026-01-05"));
    assert_null(strstr(r.out, "2026-01-13"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "list", "session", "--person", "2");
    assert_non_null(strstr(r.out, "2026-01-05"));
    assert_non_null(strstr(r.out, "2026-01-13"));
    sb_test_run_free(&r);
    free(csv);
}

/* Names and free text refuse C1 controls (NEL, CSI) and bidirectional
 * overrides and isolates, from the command line and from an import. */
static void text_refuses_c1_and_bidi_controls(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "person", "--name", "Ana\xc2\x85");
    assert_non_null(strstr(r.err, "field 'name' contains U+0085 at byte 4: "
                                  "a control character"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "person", "--name", "Ana\xe2\x80\xae" "evil");
    assert_non_null(strstr(r.err, "U+202E at byte 4: a bidirectional "
                                  "override or isolate"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "person", "--name", "Ana\xe2\x81\xa6");
    assert_non_null(strstr(r.err, "U+2066"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "person", "--name", "Ana");
    sb_test_run_free(&r);
    r = JOURNAL(f, 2, "add", "practice", "--person", "Ana", "--date",
                "2026-01-05", "--behaviour", "asked\xc2\x9b" "2J",
                "--outcome", "positive");
    assert_non_null(strstr(r.err, "field 'behaviour' contains U+009B"));
    sb_test_run_free(&r);
    char *csv = sb_test_write(f->dir, "c1.csv",
                              "record,name,notes\n"
                              "person,Bea,fine\n"
                              "person,Cy,\"note \xe2\x80\xae" "desrever\"\n");
    r = JOURNAL(f, 2, "import", csv);
    assert_non_null(strstr(r.err, "c1.csv:3:3: row 2, column 'notes': field "
                                  "'notes' contains U+202E at byte 6"));
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "list", "person");
    assert_null(strstr(r.out, "Bea"));
    sb_test_run_free(&r);
    free(csv);
}

/* Text from the journal cannot steer the terminal: no C0 or C1 codes, even
 * in a journal written by an older version that let them in. */
static void list_shows_control_characters_as_spaces(void **state)
{
    fixture *f = *state;
    sb_test_run r = JOURNAL(f, 0, "init");
    sb_test_run_free(&r);
    r = JOURNAL(f, 0, "add", "person", "--name", "Ana");
    sb_test_run_free(&r);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE person SET notes = 'a' || "
                                      "char(9) || 'b c' || char(155) || "
                                      "'31md' || char(160) || 'e'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    r = JOURNAL(f, 0, "list", "person");
    assert_null(strchr(r.out, '\t'));
    assert_null(strstr(r.out, "\xc2\x9b"));
    /* A printable non-ASCII character (no-break space) is kept. */
    assert_non_null(strstr(r.out, "a b c 31md\xc2\xa0" "e"));
    sb_test_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(repair_mends_what_check_finds, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(init_creates_a_private_journal, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(missing_journal_suggests_init, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(add_list_edit_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(validation_errors_exit_2_and_store_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(help_lists_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(import_export_backup, setup, teardown),
        cmocka_unit_test_setup_teardown(
            unknown_person_exits_2_with_nothing_written, setup, teardown),
        cmocka_unit_test_setup_teardown(names_and_ids_never_mix, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            reading_commands_work_on_a_read_only_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(listing_a_backup_leaves_it_as_it_is,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(only_init_creates_a_journal, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            text_refuses_c1_and_bidi_controls, setup, teardown),
        cmocka_unit_test_setup_teardown(
            list_shows_control_characters_as_spaces, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
