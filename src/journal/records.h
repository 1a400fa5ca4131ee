/*
 * Adding records inside a transaction the caller holds (a bulk import adds
 * every row in one).
 */
#ifndef SB_JOURNAL_RECORDS_H
#define SB_JOURNAL_RECORDS_H

#include <securebase/journal.h>

/* sb_journal_add without its own transaction (for import). */
sb_status sb__journal_add_in_tx(sb_journal *j, sb_journal_kind kind,
                                void *record, sb_error *err);

#endif
