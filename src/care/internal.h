/*
 * Names shared between the files of the care layer, not public.
 */
#ifndef SB_CARE_INTERNAL_H
#define SB_CARE_INTERNAL_H

#include <securebase/care.h>

/* Allocates weeks 0..weeks of every percentile of b, all NAN. */
sb_status sb__care_band_alloc(sb_care_band *b, int weeks, sb_error *err);
/* Week w of dimension d from v[0..n), n >= 1 (sorted in place). */
void sb__care_band_fill(sb_care_band *b, int d, int w, double *v, size_t n);

#endif
