/*
 * securebase report layer: one person's journey as one self-contained HTML
 * file that a clinician can open or print. Figures are SVG drawn with cairo
 * and embedded in the page; nothing is fetched from anywhere. The report
 * takes the person's records as structs (sb_journal_load_person gives
 * them); it never reads the journal itself.
 */
#ifndef SECUREBASE_REPORT_H
#define SECUREBASE_REPORT_H

#include <securebase/measure.h>
#include <securebase/records.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sb_report_options {
    /* The date the report is as of (YYYY-MM-DD): records after it are left
     * out and the projection starts there. NULL: the last record's date. */
    const char *as_of;
    /* The date shown as "prepared on" (YYYY-MM-DD); NULL: as_of. */
    const char *prepared;
    /* An instrument (borrowed) to take reliability and norms from when it
     * has the name of the person's questionnaire; NULL: the built-in one. */
    const sb_instrument *instrument;
    int projection_weeks;      /* 0: no projection; default 26 */
    size_t projection_people;  /* simulated people; default 2000 */
    uint64_t seed;             /* default 1: the same journal gives the same report */
    /* A calibration's posterior (borrowed) that the projection draws each
     * simulated person's parameters from; NULL: the model's defaults. */
    const struct sb_posterior *posterior;
    /* Called now and then with the share of the projection simulated, the
     * long part of a report; NULL: nobody is told. */
    void (*progress)(void *ctx, double done);
    void *progress_ctx;
} sb_report_options;

void sb_report_options_default(sb_report_options *opt);

/*
 * Renders the report of one person's records (each kind in date order)
 * into a NUL-terminated buffer the caller frees.
 */
sb_status sb_report_render(const sb_person_records *records,
                           const sb_report_options *opt, char **html,
                           size_t *len, sb_error *err);

/* Renders the report into `path`, atomically and with mode 0600. */
sb_status sb_report_write(const sb_person_records *records,
                          const sb_report_options *opt, const char *path,
                          sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
