/*
 * Helpers that the record pages of clients and clinicians share
 * (records_page.c).
 */
#ifndef SB_SERVE_RECORDS_H
#define SB_SERVE_RECORDS_H

#include <securebase/caseload.h>

#include "serve/internal.h"

/*
 * Fills `rec` of `kind` for `person` from the request's form through the
 * journal's field table, then checks it; 0 with a message in `problem` if
 * a value is wrong or a required one missing.
 */
int sb_record_from_form(sb_req *r, sb_journal_kind kind, sb_id person,
                        void *rec, char *problem, size_t size);
/* Adds a record and its audit entry in one transaction. */
sb_status sb_record_add(sb_req *r, sb_journal_kind kind, void *rec,
                        sb_id person, sb_error *err);
/* Replaces (remove = 0) or deletes (1) a record, with its audit entry. */
sb_status sb_record_change(sb_req *r, sb_journal_kind kind, void *rec,
                           sb_id person, int remove, sb_error *err);
/* A plain-language paragraph on a person's latest and first scores. */
void sb_scores_summary(sb_req *r, const sb_caseload_row *row, int to_client);
/* Says that the reliable change on the page uses the local norms `used`
 * (n of them, each once): instrument, sample, N and date. */
void sb_local_norms_note(sb_req *r, const sb_norms *const *used, size_t n,
                         int to_client);

#endif
