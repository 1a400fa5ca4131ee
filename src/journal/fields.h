/*
 * Field checks shared by the journal's files: one field of a record at a
 * time, as an import row is read column by column.
 */
#ifndef SB_JOURNAL_FIELDS_H
#define SB_JOURNAL_FIELDS_H

#include <securebase/journal.h>

/* Checks one field of a record, as sb_journal_record_check does for all. */
sb_status sb__journal_field_check(const sb_journal_field *f, const void *record,
                                  sb_error *err);

#endif
