/*
 * What the measure layer's readers of administrations by person share
 * besides the visit date (visit_date.h): the hash of an id.
 */
#ifndef SB_MEASURE_GROUP_INTERNAL_H
#define SB_MEASURE_GROUP_INTERNAL_H

#include <securebase/measure.h>

#include <stdint.h>

/* FNV-1a of an id; never 0, which tables keep for free slots. */
uint64_t sb__id_hash(const char *s);

#endif
