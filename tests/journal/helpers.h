/*
 * Helpers shared by the journal's tests: a fresh journal in a scratch
 * directory, and records filled in the way a user would give them.
 */
#ifndef SB_TEST_JOURNAL_HELPERS_H
#define SB_TEST_JOURNAL_HELPERS_H

#include "support.h"

#include <securebase/journal.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for a record of any kind. */
typedef union tj_any {
    sb_rec_person person;
    sb_rec_relationship relationship;
    sb_rec_session session;
    sb_rec_assessment assessment;
    sb_rec_reflection reflection;
    sb_rec_practice practice;
} tj_any;

typedef struct test_journal {
    char *dir;
    char path[4200];
    sb_journal *j;
} test_journal;

static inline void tj_open(test_journal *t)
{
    t->dir = sb_test_tmpdir();
    snprintf(t->path, sizeof t->path, "%s/journal.db", t->dir);
    sb_error err;
    sb_status st = sb_journal_open(t->path, SB_JOURNAL_CREATE, &t->j, &err);
    if (st != SB_OK)
        fail_msg("open: %s", err.message);
}

static inline void tj_close(test_journal *t)
{
    sb_journal_close(t->j);
    t->j = NULL;
    sb_test_rmtree(t->dir);
    free(t->dir);
}

/* Sets fields from "name=value" pairs (NULL-terminated) after init. */
static inline void tj_fill(sb_journal_kind kind, void *rec, const char *pair, ...)
{
    va_list ap;
    sb_journal_record_init(kind, rec);
    va_start(ap, pair);
    for (const char *p = pair; p; p = va_arg(ap, const char *)) {
        const char *eq = strchr(p, '=');
        assert_non_null(eq);
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
        const sb_journal_field *f = sb_journal_field_find(kind, name);
        if (!f)
            fail_msg("no field %s", name);
        sb_error err;
        if (sb_journal_field_parse(f, eq + 1, rec, &err) != SB_OK)
            fail_msg("%s: %s", p, err.message);
    }
    va_end(ap);
}

/* Adds a record and returns its id; fails the test on error. */
static inline sb_id tj_add(sb_journal *j, sb_journal_kind kind, void *rec)
{
    sb_error err;
    if (sb_journal_add(j, kind, rec, &err) != SB_OK)
        fail_msg("add %s: %s", sb_journal_kind_name(kind), err.message);
    return *(sb_id *)rec;
}

static inline sb_id tj_person(sb_journal *j, const char *name)
{
    sb_rec_person p;
    char arg[200];
    snprintf(arg, sizeof arg, "name=%s", name);
    tj_fill(SB_KIND_PERSON, &p, arg, NULL);
    return tj_add(j, SB_KIND_PERSON, &p);
}

static inline size_t tj_count(sb_journal *j, sb_journal_kind kind)
{
    size_t n = 0;
    assert_int_equal(sb_journal_count(j, kind, 0, &n, NULL), SB_OK);
    return n;
}

#endif
