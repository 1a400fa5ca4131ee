/*
 * libFuzzer target for the journal's CSV import: any bytes must give either
 * a clean import or a located error, never a crash, a leak or a half-written
 * journal. One in-memory journal with a person is reused; every import is a
 * dry run, so it is rolled back and runs stay independent.
 */
#include <securebase/journal.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static sb_journal *journal(void)
{
    static sb_journal *j;
    if (!j) {
        if (sb_journal_open(":memory:", 0, &j, NULL) != SB_OK)
            abort();
        sb_rec_person p;
        sb_journal_record_init(SB_KIND_PERSON, &p);
        strcpy(p.name, "fuzz");
        if (sb_journal_add(j, SB_KIND_PERSON, &p, NULL) != SB_OK)
            abort();
    }
    return j;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sb_journal *j = journal();
    sb_import_options opt = {.dry_run = 1};
    sb_import_summary sum;
    sb_error err;
    sb_status st = sb_journal_import_csv_buffer(j, "fuzz.csv", (const char *)data,
                                                size, &opt, &sum, &err);
    if (st != SB_OK && !err.message[0])
        abort(); /* every failure says what went wrong */
    size_t people = 0;
    if (sb_journal_count(j, SB_KIND_PERSON, 0, &people, NULL) != SB_OK ||
        people != 1)
        abort(); /* nothing from a dry run may stay */
    return 0;
}
