/*
 * libFuzzer target for the journal's CSV import: any bytes must give either
 * a clean import or a located error, never a crash, a leak or a half-written
 * journal. One in-memory journal with a person is reused; every import is a
 * dry run, so it is rolled back and runs stay independent. A first byte
 * below 5 puts one of the headers below in front of the input.
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

/*
 * Most random bytes fail at the header; so that rows get explored too, the
 * first byte may choose a valid header to put in front of the rest.
 */
static const char *const headers[] = {
    "record,id,person,name,notes,date,attended,minutes\n",
    "record,person,instrument,date,scale,items,scores\n",
    "record,person,kind,name,supportive,secure,start,end\n",
    ("record,person,date,trigger,situation,old_response,new_response,tried,"
     "intensity\n"),
    "record,person,date,behaviour,outcome,notes\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sb_journal *j = journal();
    sb_import_options opt = {.dry_run = 1};
    sb_import_summary sum;
    sb_error err;
    size_t nh = sizeof headers / sizeof headers[0];
    const char *header = "";
    if (size && data[0] < nh) {
        header = headers[data[0]];
        data++;
        size--;
    }
    size_t hlen = strlen(header);
    char *text = malloc(hlen + size + 1);
    if (!text)
        return 0;
    memcpy(text, header, hlen);
    if (size)
        memcpy(text + hlen, data, size);
    sb_status st = sb_journal_import_csv_buffer(j, "fuzz.csv", text, hlen + size,
                                                &opt, &sum, &err);
    free(text);
    if (st != SB_OK && !err.message[0])
        abort(); /* every failure says what went wrong */
    size_t people = 0;
    if (sb_journal_count(j, SB_KIND_PERSON, 0, &people, NULL) != SB_OK ||
        people != 1)
        abort(); /* nothing from a dry run may stay */
    return 0;
}
