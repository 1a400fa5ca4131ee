/*
 * The CSV writer's rule for text that could run as a spreadsheet formula,
 * shared with the CSV reader, which undoes it.
 */
#ifndef SB_BASE_CSV_WRITER_H
#define SB_BASE_CSV_WRITER_H

/*
 * Whether text cell `text` is written with a guarding single quote in
 * front: it begins with =, +, -, @, a tab or a carriage return and is not a
 * number (-0.5 and -3 stay as they are), or it is one or more single quotes
 * followed by such a character. A cell read back that begins with a single
 * quote, and whose rest needs the guard, lost exactly that quote.
 */
int sb__csv_needs_guard(const char *text);

#endif
