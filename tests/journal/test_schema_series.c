/*
 * Tests for src/journal/schema_series.c: each person's questionnaire series
 * kept counted through every kind of write, the check that finds a count
 * gone wrong, the count of a journal migrated to it, and the caseload row
 * that reads it.
 */
#include "journal/helpers.h"
#include "journal/db.h"
#include "journal/schema.h"

#include <securebase/caseload.h>

/* An assessment of `instrument` (36 or 12 items) with every answer `v`. */
static sb_id questionnaire(sb_journal *j, sb_id person, const char *instrument,
                           const char *date, const char *scale, int v)
{
    int n = strcmp(instrument, "ecr-s") ? 36 : 12;
    char who[32], inst[64], when[32], sc[32], items[200] = "items=";
    snprintf(who, sizeof who, "person=%lld", (long long)person);
    snprintf(inst, sizeof inst, "instrument=%s", instrument);
    snprintf(when, sizeof when, "date=%s", date);
    snprintf(sc, sizeof sc, "scale=%s", scale ? scale : "");
    for (int i = 0; i < n; i++)
        snprintf(items + strlen(items), sizeof items - strlen(items), "%d ",
                 v);
    sb_rec_assessment a;
    tj_fill(SB_KIND_ASSESSMENT, &a, who, inst, when, sc, items, NULL);
    return tj_add(j, SB_KIND_ASSESSMENT, &a);
}

/* The kept count of a series (0 when there is no row) and its latest date. */
static long kept(sb_journal *j, sb_id person, const char *instrument,
                 const char *scale, char latest[16])
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(j->db,
                                        "SELECT scored, latest FROM "
                                        "assessment_series WHERE person = ? "
                                        "AND instrument = ? AND scale = ?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, person);
    sqlite3_bind_text(st, 2, instrument, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, scale, -1, SQLITE_STATIC);
    long n = 0;
    latest[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int(st, 0);
        snprintf(latest, 16, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return n;
}

/* The kept counts agree with the assessments (the journal's own check). */
static void agree(sb_journal *j)
{
    sb_error err;
    if (sb_journal_check_integrity(j, &err) != SB_OK)
        fail_msg("check: %s", err.message);
}

/* The caseload's row of `person` over 2026. */
static sb_caseload_row row_of(sb_journal *j, sb_id person)
{
    sb_caseload_row row;
    sb_error err;
    if (sb_caseload_person(j, person, "2026-01-01", "2026-12-31", &row,
                           &err) != SB_OK)
        fail_msg("row: %s", err.message);
    return row;
}

static void sql(sb_journal *j, const char *text)
{
    char *msg = NULL;
    if (sqlite3_exec(j->db, text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg);
}

static void series_follow_every_kind_of_write(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    char latest[16];
    sb_id ana = tj_person(t.j, "Ana"), ben = tj_person(t.j, "Ben");

    /* Added out of order: the latest is the latest date, not the last. */
    sb_id first = questionnaire(t.j, ana, "ecr-r", "2026-01-05", NULL, 4);
    questionnaire(t.j, ana, "ecr-r", "2026-03-02", NULL, 3);
    sb_id middle = questionnaire(t.j, ana, "ecr-r", "2026-02-01", NULL, 5);
    questionnaire(t.j, ana, "ecr-s", "2026-02-10", NULL, 2);
    questionnaire(t.j, ana, "ecr", "2026-02-11", "1-5", 2);
    /* The RQ has no anxiety and avoidance scores: it makes no series. */
    sb_rec_assessment rq;
    tj_fill(SB_KIND_ASSESSMENT, &rq, "person=1", "instrument=rq",
            "date=2026-04-01", "items=2 5 6 3", NULL);
    tj_add(t.j, SB_KIND_ASSESSMENT, &rq);
    assert_int_equal(kept(t.j, ana, "ecr-r", "", latest), 3);
    assert_string_equal(latest, "2026-03-02");
    assert_int_equal(kept(t.j, ana, "ecr-s", "", latest), 1);
    assert_int_equal(kept(t.j, ana, "ecr", "1-5", latest), 1);
    assert_int_equal(kept(t.j, ana, "ecr", "", latest), 0);
    assert_int_equal(kept(t.j, ana, "rq", "", latest), 0);
    agree(t.j);

    /* Edited: a later date, then another questionnaire, then another
     * person; each time both series it left and joined are right. */
    sb_rec_assessment a;
    assert_int_equal(sb_journal_get(t.j, SB_KIND_ASSESSMENT, first, &a, &err),
                     SB_OK);
    snprintf(a.date, sizeof a.date, "2026-05-01");
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_ASSESSMENT, &a, &err), SB_OK);
    assert_int_equal(kept(t.j, ana, "ecr-r", "", latest), 3);
    assert_string_equal(latest, "2026-05-01");
    agree(t.j);
    a.person = ben;
    assert_int_equal(sb_journal_edit(t.j, SB_KIND_ASSESSMENT, &a, &err), SB_OK);
    assert_int_equal(kept(t.j, ana, "ecr-r", "", latest), 2);
    assert_string_equal(latest, "2026-03-02");
    assert_int_equal(kept(t.j, ben, "ecr-r", "", latest), 1);
    assert_string_equal(latest, "2026-05-01");
    agree(t.j);

    /* Deleted: the count and the latest date come from what is left; the
     * series' last assessment takes its row with it. */
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_ASSESSMENT, a.id, 0, &err),
                     SB_OK);
    assert_int_equal(kept(t.j, ben, "ecr-r", "", latest), 0);
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_ASSESSMENT, middle, 0,
                                       &err),
                     SB_OK);
    assert_int_equal(kept(t.j, ana, "ecr-r", "", latest), 1);
    assert_string_equal(latest, "2026-03-02");
    agree(t.j);

    /* By SQL, as another program might: a dimension's score removed, a
     * score renamed, then put back. */
    sql(t.j, "DELETE FROM assessment_score WHERE scale = 'avoidance' AND "
             "assessment = (SELECT id FROM assessment WHERE instrument = "
             "'ecr-s')");
    assert_int_equal(kept(t.j, ana, "ecr-s", "", latest), 0);
    agree(t.j);
    sql(t.j, "UPDATE assessment_score SET scale = 'other' WHERE scale = "
             "'anxiety' AND assessment = (SELECT id FROM assessment WHERE "
             "instrument = 'ecr' AND scale = '1-5')");
    assert_int_equal(kept(t.j, ana, "ecr", "1-5", latest), 0);
    agree(t.j);
    sql(t.j, "UPDATE assessment_score SET scale = 'anxiety' WHERE scale = "
             "'other'");
    assert_int_equal(kept(t.j, ana, "ecr", "1-5", latest), 1);
    agree(t.j);
    /* A rolled-back write leaves the counts as they were. */
    assert_int_equal(sb_journal_transaction(t.j, &err), SB_OK);
    questionnaire(t.j, ana, "ecr-r", "2026-06-01", NULL, 4);
    assert_int_equal(kept(t.j, ana, "ecr-r", "", latest), 2);
    sb_journal_transaction_rollback(t.j);
    assert_int_equal(kept(t.j, ana, "ecr-r", "", latest), 1);
    agree(t.j);
    /* A person deleted with their records takes their series. */
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_PERSON, ana,
                                       SB_JOURNAL_CASCADE, &err),
                     SB_OK);
    assert_int_equal(kept(t.j, ana, "ecr-r", "", latest), 0);
    assert_int_equal(kept(t.j, ana, "ecr", "1-5", latest), 0);
    agree(t.j);
    tj_close(&t);
}

/* REPLACE removes rows as a deletion would (the journal's connections run
 * with recursive triggers on); scores written before their assessment;
 * many assessments deleted at once. */
static void replaces_early_scores_and_bulk_deletes_keep_the_count(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    char latest[16];
    sb_id ana = tj_person(t.j, "Ana"), ben = tj_person(t.j, "Ben");
    sb_id one = questionnaire(t.j, ana, "ecr-r", "2026-01-05", NULL, 4);
    questionnaire(t.j, ana, "ecr-r", "2026-02-05", NULL, 4);
    char text[512];
    const char *replaces[] = {
        /* the same position: the old score goes, the new one completes */
        "INSERT OR REPLACE INTO assessment_score VALUES(%lld, 1, "
        "'anxiety', 5)",
        /* another position, the same scale: a conflict on the scale */
        "INSERT OR REPLACE INTO assessment_score VALUES(%lld, 9, "
        "'anxiety', 5)",
        /* a score replaced by one of another scale: no longer counted */
        "REPLACE INTO assessment_score VALUES(%lld, 9, 'other', 5)",
    };
    const long expect[] = {2, 2, 1};
    for (size_t i = 0; i < sizeof replaces / sizeof replaces[0]; i++) {
        snprintf(text, sizeof text, replaces[i], (long long)one);
        sql(t.j, text);
        assert_int_equal(kept(t.j, ana, "ecr-r", "", latest), expect[i]);
        agree(t.j);
    }
    /* The assessment itself replaced by one of another person: its scores
     * go with it (a cascade). */
    snprintf(text, sizeof text,
             "INSERT OR REPLACE INTO assessment(id, person, instrument, date) "
             "VALUES(%lld, %lld, 'ecr-r', '2026-03-01')",
             (long long)one, (long long)ben);
    sql(t.j, text);
    assert_int_equal(kept(t.j, ben, "ecr-r", "", latest), 0);
    agree(t.j);

    /* Scores first, their assessment after, in one transaction. */
    sql(t.j, "PRAGMA defer_foreign_keys = ON; BEGIN;"
             "INSERT INTO assessment_score VALUES(900, 1, 'anxiety', 1),"
             "  (900, 2, 'avoidance', 2);"
             "INSERT INTO assessment(id, person, instrument, date) "
             "  VALUES(900, 2, 'ecr-s', '2026-07-07'); COMMIT;");
    assert_int_equal(kept(t.j, ben, "ecr-s", "", latest), 1);
    assert_string_equal(latest, "2026-07-07");
    agree(t.j);

    /* A person with 2,000 scored assessments deleted with them: each
     * deletion counts down (a recount each made it quadratic). */
    sb_id cy = tj_person(t.j, "Cy");
    assert_int_equal(sb_journal_transaction(t.j, &err), SB_OK);
    for (int d = 0; d < 2000; d++) {
        char date[16];
        snprintf(date, sizeof date, "20%02d-%02d-%02d", 20 + d / 336,
                 1 + d / 28 % 12, 1 + d % 28);
        questionnaire(t.j, cy, "ecr-s", date, NULL, 1 + d % 7);
    }
    assert_int_equal(sb_journal_transaction_commit(t.j, &err), SB_OK);
    assert_int_equal(kept(t.j, cy, "ecr-s", "", latest), 2000);
    assert_string_equal(latest, "2025-12-12");
    agree(t.j);
    /* The latest one first: the latest date is read again. */
    sql(t.j, "DELETE FROM assessment WHERE date = '2025-12-12'");
    assert_int_equal(kept(t.j, cy, "ecr-s", "", latest), 1999);
    assert_string_equal(latest, "2025-12-11");
    assert_int_equal(sb_journal_delete(t.j, SB_KIND_PERSON, cy,
                                       SB_JOURNAL_CASCADE, &err),
                     SB_OK);
    assert_int_equal(kept(t.j, cy, "ecr-s", "", latest), 0);
    agree(t.j);
    tj_close(&t);
}

/* A count another program's write left wrong: the caseload row shows no
 * series rather than failing, and repair counts afresh. */
static void repair_counts_afresh(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id ana = tj_person(t.j, "Ana");
    questionnaire(t.j, ana, "ecr-r", "2026-01-05", NULL, 4);
    /* As a program without the triggers' settings could leave it. */
    sql(t.j, "INSERT INTO assessment_series VALUES(1, 'ecr-s', '', 5, "
             "'2026-09-09')");
    sb_caseload_row row = row_of(t.j, ana);
    assert_string_equal(row.instrument, "");
    assert_int_equal(row.assessments, 0);
    assert_int_equal(sb_journal_check_integrity(t.j, &err), SB_ERR_DB);
    assert_int_equal(sb_journal_repair(t.j, &err), SB_OK);
    agree(t.j);
    row = row_of(t.j, ana);
    assert_string_equal(row.instrument, "ecr-r");
    assert_int_equal(row.assessments, 1);
    tj_close(&t);
}

static void the_check_names_a_count_gone_wrong(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_error err;
    sb_id ana = tj_person(t.j, "Ana");
    questionnaire(t.j, ana, "ecr-r", "2026-01-05", NULL, 4);
    questionnaire(t.j, ana, "ecr-r", "2026-02-05", NULL, 4);
    agree(t.j);
    const struct {
        const char *tamper, *undo, *says;
    } cases[] = {
        {"UPDATE assessment_series SET scored = 7",
         "UPDATE assessment_series SET scored = 2",
         "('ecr-r') is kept as 7 scored assessment(s), latest 2026-02-05, "
         "but the assessments give 2, latest 2026-02-05"},
        {"UPDATE assessment_series SET latest = '2030-01-01'",
         "UPDATE assessment_series SET latest = '2026-02-05'",
         "kept as 2 scored assessment(s), latest 2030-01-01, but the "
         "assessments give 2, latest 2026-02-05"},
        {"DELETE FROM assessment_series",
         "INSERT INTO assessment_series VALUES(1, 'ecr-r', '', 2, "
         "'2026-02-05')",
         "is kept as 0 scored assessment(s), latest none, but the "
         "assessments give 2"},
        {"INSERT INTO assessment_series VALUES(1, 'ecr-s', '1-5', 1, "
         "'2026-01-01')",
         "DELETE FROM assessment_series WHERE instrument = 'ecr-s'",
         "('ecr-s', scale 1-5) is kept as 1 scored assessment(s), latest "
         "2026-01-01, but the assessments give 0, latest none"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sql(t.j, cases[i].tamper);
        assert_int_equal(sb_journal_check_integrity(t.j, &err), SB_ERR_DB);
        if (!strstr(err.message, "person 1") ||
            !strstr(err.message, cases[i].says) ||
            strcmp(err.file, t.path))
            fail_msg("%s: %s", cases[i].tamper, err.message);
        sql(t.j, cases[i].undo);
        agree(t.j);
    }
    /* The table refuses a count below one. */
    int rc = sqlite3_exec(t.j->db, "UPDATE assessment_series SET scored = 0",
                          NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    tj_close(&t);
}

static void a_migrated_journal_has_its_series_counted(void **state)
{
    (void)state;
    char *dir = sb_test_tmpdir();
    char path[4200];
    snprintf(path, sizeof path, "%s/old.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sb__journal_migrate(db, path, 4, NULL), SB_OK);
    /* Three scored ECR-R, one with a single dimension, one ECR-S. */
    const char *rows =
        "INSERT INTO person(name) VALUES('Ana');"
        "INSERT INTO assessment(person, instrument, date) VALUES"
        "  (1, 'ecr-r', '2025-09-01'), (1, 'ecr-r', '2025-11-01'),"
        "  (1, 'ecr-r', '2025-10-01'), (1, 'ecr-r', '2025-12-01'),"
        "  (1, 'ecr-s', '2025-12-02');"
        "INSERT INTO assessment_score VALUES"
        "  (1, 1, 'anxiety', 3), (1, 2, 'avoidance', 2),"
        "  (2, 1, 'anxiety', 3), (2, 2, 'avoidance', 2),"
        "  (3, 1, 'anxiety', 3), (3, 2, 'avoidance', 2),"
        "  (4, 1, 'anxiety', 3),"
        "  (5, 1, 'anxiety', 3), (5, 2, 'avoidance', 2);";
    assert_int_equal(sqlite3_exec(db, rows, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    sb_journal *j;
    sb_error err;
    assert_int_equal(sb_journal_open(path, 0, &j, &err), SB_OK);
    char latest[16];
    assert_int_equal(kept(j, 1, "ecr-r", "", latest), 3);
    assert_string_equal(latest, "2025-11-01");
    assert_int_equal(kept(j, 1, "ecr-s", "", latest), 1);
    agree(j);
    sb_journal_close(j);
    sb_test_rmtree(dir);
    free(dir);
}

/* The caseload's main series: most scored assessments; on a tie, the one
 * with the latest; first and latest scores of that series. */
static void the_caseload_row_reads_the_kept_series(void **state)
{
    (void)state;
    test_journal t;
    tj_open(&t);
    sb_id ana = tj_person(t.j, "Ana");
    sb_caseload_row row = row_of(t.j, ana);
    assert_string_equal(row.instrument, "");
    assert_int_equal(row.assessments, 0);
    questionnaire(t.j, ana, "ecr-s", "2026-01-05", NULL, 2);
    questionnaire(t.j, ana, "ecr-r", "2026-02-05", NULL, 4);
    /* One each: the later wins. */
    row = row_of(t.j, ana);
    assert_string_equal(row.instrument, "ecr-r");
    assert_int_equal(row.assessments, 1);
    questionnaire(t.j, ana, "ecr-s", "2026-01-19", NULL, 6);
    row = row_of(t.j, ana);
    assert_string_equal(row.instrument, "ecr-s");
    assert_int_equal(row.assessments, 2);
    assert_string_equal(row.first_date, "2026-01-05");
    assert_string_equal(row.latest_date, "2026-01-19");
    assert_true(row.latest[0] > row.first[0]);
    questionnaire(t.j, ana, "ecr", "2026-03-01", "1-5", 3);
    questionnaire(t.j, ana, "ecr", "2026-03-02", "1-5", 3);
    questionnaire(t.j, ana, "ecr", "2026-03-03", "1-5", 3);
    row = row_of(t.j, ana);
    assert_string_equal(row.instrument, "ecr");
    assert_string_equal(row.scale, "1-5");
    assert_int_equal(row.assessments, 3);
    tj_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(series_follow_every_kind_of_write),
        cmocka_unit_test(replaces_early_scores_and_bulk_deletes_keep_the_count),
        cmocka_unit_test(repair_counts_afresh),
        cmocka_unit_test(the_check_names_a_count_gone_wrong),
        cmocka_unit_test(a_migrated_journal_has_its_series_counted),
        cmocka_unit_test(the_caseload_row_reads_the_kept_series),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
