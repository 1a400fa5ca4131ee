/*
 * What the measure layer's readers of administrations by person share: the
 * sortable key of a date and the hash of an id.
 */
#ifndef SB_MEASURE_GROUP_INTERNAL_H
#define SB_MEASURE_GROUP_INTERNAL_H

#include <securebase/measure.h>

#include <stdint.h>

#define SB__DATE_KEY_SIZE 24

/* YYYY-MM-DD with an optional " HH:MM[:SS]" or "THH:MM[:SS]": 1; a whole
 * session number of up to 9 digits: 2; anything else: 0. The key (at most
 * SB__DATE_KEY_SIZE bytes with its NUL) sorts as the dates do
 * ("YYYY-MM-DD HH:MM:SS", or the number with leading zeros). */
int sb__date_key(const char *s, char *key);

/* FNV-1a of an id; never 0, which tables keep for free slots. */
uint64_t sb__id_hash(const char *s);

#endif
