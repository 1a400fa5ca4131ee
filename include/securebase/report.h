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
#include <securebase/questionnaire.h>
#include <securebase/records.h>
#include <securebase/whatif.h>

#include <stddef.h>
#include <stdio.h>
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
    /* Simulated people per plan of the what-if section (keep, therapy
     * weekly, practice 3 a week, therapy stopped); 0 leaves it out;
     * default 2000. */
    size_t whatif_people;
    uint64_t seed;             /* default 1: the same journal gives the same report */
    /* A calibration's posterior (borrowed) that the projection draws each
     * simulated person's parameters from; NULL: the model's defaults. */
    const struct sb_posterior *posterior;
    /* Called now and then with the share of the projection simulated, the
     * long part of a report; NULL: nobody is told. */
    void (*progress)(void *ctx, double done);
    void *progress_ctx;
    /* A norms file from `securebase norms` for the person's questionnaire:
     * its figures come before the instrument's published ones. NULL: none. */
    const char *norms_file;
    /* Local norms of several instruments (borrowed), the person's
     * questionnaire's used when norms_file is NULL. NULL: none. */
    const sb_norms_set *norms;
    /* Every assessment of the practice (borrowed), from which completed
     * courses on the person's questionnaire make the empirical band of
     * expected recovery; NULL: the model's band alone. */
    const sb_rec_assessment *practice_assessments;
    size_t practice_assessment_count;
    /* The person's measure schedules (borrowed, sb_schedule_list gives
     * them with last_done) for the measures-due section; none: left out. */
    const sb_schedule *schedules;
    size_t schedule_count;
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

/* ---- FHIR R4 export ------------------------------------------------------ */

/* What a FHIR export holds, as read from the journal (owned by the caller):
 * every assessment's person must be among `people`. */
typedef struct sb_fhir_records {
    const sb_rec_person *people;
    size_t person_count;
    const sb_rec_assessment *assessments;
    size_t assessment_count;
} sb_fhir_records;

/*
 * Writes a FHIR R4 Bundle of type "collection": a CodeSystem of scores and a
 * Questionnaire (items numbered, without wording) per instrument and answer
 * scale, a Patient per person (known by the journal's name, marked as a
 * pseudonym), a QuestionnaireResponse per assessment and an Observation per
 * score, linked by urn:uuid references. The same records give the same
 * bytes. docs/formats.md describes the layout.
 */
sb_status sb_fhir_write(const sb_fhir_records *rec, FILE *out, sb_error *err);
/* The same into `path`, atomically and with mode 0600. */
sb_status sb_fhir_write_file(const sb_fhir_records *rec, const char *path,
                             sb_error *err);

/*
 * What-if plans for the person of `records` (sb_journal_load_person gives
 * them), as of `as_of` (YYYY-MM-DD; NULL: their last record's date, written
 * to `used`): their records up to then are handed to sb_whatif_run. Free *out with
 * sb_whatif_free, also after a failure.
 */
sb_status sb_report_whatif(const sb_person_records *records,
                           const char *as_of, const sb_plan *plans,
                           size_t plan_count, const sb_whatif_options *o,
                           sb_whatif *out, char used[SB_DATE_SIZE],
                           sb_error *err);

#ifdef __cplusplus
}
#endif
#endif
