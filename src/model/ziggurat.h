/*
 * Tables of the 128-layer ziggurat for the standard normal (Marsaglia &
 * Tsang 2000, "The Ziggurat Method for Generating Random Variables", J Stat
 * Softw 5(8)): layer edges r = 3.442619855899, layer area v =
 * 9.91256303526217e-3. Constant data computed from the paper's recurrence;
 * tests/model/test_sample.c recomputes and compares them.
 */
#ifndef SB_MODEL_ZIGGURAT_H
#define SB_MODEL_ZIGGURAT_H

#include <stdint.h>

#define SB_ZIG_R 3.442619855899

extern const uint32_t sb__zig_k[128]; /* layer bounds, scaled to 2^31 */
extern const double sb__zig_w[128];   /* layer widths, per unit of 2^31 */
extern const double sb__zig_f[128];   /* the density at the layer edges */
/* The first two for a 25-bit position: sb__zig_k >> 7, sb__zig_w x 128. */
extern const uint32_t sb__zig_k25[128];
extern const double sb__zig_w25[128];

#endif
