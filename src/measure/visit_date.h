/*
 * When an administration took place, as a survey export writes it: an ISO
 * date (YYYY-MM-DD, optionally with " HH:MM[:SS]" or "THH:MM[:SS]") that
 * exists on the calendar, or a whole session number. One reading for
 * `score --date` and for grouping by person, so both accept and refuse the
 * same cells with the same words.
 */
#ifndef SB_MEASURE_VISIT_DATE_H
#define SB_MEASURE_VISIT_DATE_H

#include <securebase/base.h>

/* A sortable key: "YYYY-MM-DD HH:MM:SS" or a zero-padded session number. */
#define SB__VISIT_KEY_SIZE 24

typedef enum sb__visit_kind {
    SB__VISIT_INVALID = 0,
    SB__VISIT_DATE = 1,    /* a calendar date, maybe with a time */
    SB__VISIT_SESSION = 2  /* a session number of up to 9 digits */
} sb__visit_kind;

/* Reads `text`; fills `key` (may be NULL) unless the text is invalid. */
sb__visit_kind sb__visit_date_key(const char *text,
                                  char key[SB__VISIT_KEY_SIZE]);

/*
 * The error for a cell that is not a date nor a session number, located at
 * origin:line:column (column 0 when unknown); `column_name` is the date
 * column's name as given.
 */
sb_status sb__visit_date_error(sb_error *err, const char *origin,
                               unsigned long line, unsigned long column,
                               const char *column_name, const char *text);

#endif
