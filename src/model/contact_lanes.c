/*
 * A relationship's contacts of a week for a block of people together. Each
 * person first draws their count of contacts (scalar: a table search);
 * the people with at least one are then packed into lanes, ordered by
 * count so that the people side by side in a vector run out of contacts at
 * about the same time, and their contacts run lane by lane: the ziggurat's
 * first comparison for every lane at once, the rare draws that fail it or
 * that need a word past the block's column one lane at a time through the
 * person's own stream, then the contact's arithmetic for every lane, added
 * to the sums of the lanes that still had a contact. Every lane keeps its
 * person's order of words and of floating-point operations (the build has
 * no fused multiply-add), so the sums are those of sb__person_contacts to
 * the last bit; tests/model/test_contact_lanes.c compares them.
 */
#include "model/contact_lanes.h"

#include "model/sample.h"
#include "model/ziggurat.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SB_LANES_X86 1
#include <immintrin.h>
#endif

#define W SB_RNG_LANES
#define KEYS 32 /* counts ordered exactly up to KEYS - 1, the rest after */

/* The packed lanes: slot s holds the person of lane `lane[s]`. */
typedef struct packed {
    double resp[W], spread[W], to_target_a[W], to_target_v[W], weight[W];
    double g[W], g_avoid[W];
    double bias[W], room_a[W], room_v[W], inconsistency[W], rejection[W];
    double da[W], dv[W], support[W];
    /* the stream's next word in the block (index from words[0][0]) and
     * where its column ends; 0 and 0 when it has no word left there */
    int32_t next[W], end[W];
    int32_t n[W];
    unsigned lane[W];
} packed;

#ifdef SB_LANES_X86
/* A normal for slot s the way the stream gives it when the first
 * comparison fails or the column has no word left: the person's own
 * sampler, from their stream's position. */
static double rare_normal(packed *pk, unsigned s, const sb__lane *lanes,
                          const uint32_t *base)
{
    sb__rng *rng = lanes[pk->lane[s]].rng;
    rng->next = pk->next[s] < pk->end[s] ? base + pk->next[s] : rng->end;
    double z = sb__sample_normal(rng);
    if (rng->next != rng->end) {
        pk->next[s] = (int32_t)(rng->next - base);
    } else {
        pk->next[s] = pk->end[s] = 0;
    }
    return z;
}

/* Four slots at a time. The arithmetic is sb__contact_with's, written for
 * vectors: keep the two alike. */
__attribute__((target("avx2"))) static void
run_avx2(packed *pk, unsigned slots, const sb__lane *lanes,
         const uint32_t *base)
{
    const __m256d sign = _mm256_set1_pd(-0.0);
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const __m128i low7 = _mm_set1_epi32(127), half = _mm_set1_epi32(1 << 24);
    const __m128i column_step = _mm_set1_epi32(W);
    for (unsigned s = 0; s < slots; s += 4) {
        int most = pk->n[s];
        for (unsigned l = 1; l < 4; l++)
            most = pk->n[s + l] > most ? pk->n[s + l] : most;
        __m128i n = _mm_loadu_si128((const __m128i *)&pk->n[s]);
        __m128i next = _mm_loadu_si128((const __m128i *)&pk->next[s]);
        __m128i end = _mm_loadu_si128((const __m128i *)&pk->end[s]);
        __m256d resp = _mm256_loadu_pd(&pk->resp[s]);
        __m256d spread = _mm256_loadu_pd(&pk->spread[s]);
        __m256d bias = _mm256_loadu_pd(&pk->bias[s]);
        __m256d da = _mm256_loadu_pd(&pk->da[s]);
        __m256d dv = _mm256_loadu_pd(&pk->dv[s]);
        __m256d support = _mm256_loadu_pd(&pk->support[s]);
        for (int i = 0; i < most; i++) {
            __m128i on = _mm_cmpgt_epi32(n, _mm_set1_epi32(i));
            __m128i here = _mm_and_si128(on, _mm_cmpgt_epi32(end, next));
            __m128i u = _mm_mask_i32gather_epi32(_mm_setzero_si128(),
                                                 (const int *)base, next,
                                                 here, 4);
            /* sb__sample_normal_fast, lane by lane */
            __m128i layer = _mm_and_si128(u, low7);
            __m128i j = _mm_sub_epi32(_mm_srli_epi32(u, 7), half);
            __m128i bound = _mm_i32gather_epi32((const int *)sb__zig_k25,
                                                layer, 4);
            __m128i ok = _mm_and_si128(
                here, _mm_cmpgt_epi32(bound, _mm_abs_epi32(j)));
            __m256d z = _mm256_mul_pd(_mm256_cvtepi32_pd(j),
                                      _mm256_i32gather_pd(sb__zig_w25,
                                                          layer, 8));
            next = _mm_add_epi32(next, _mm_and_si128(ok, column_step));
            int rare = _mm_movemask_ps(_mm_castsi128_ps(_mm_andnot_si128(ok, on)));
            if (rare) {
                double zs[4];
                _mm256_storeu_pd(zs, z);
                _mm_storeu_si128((__m128i *)&pk->next[s], next);
                for (unsigned l = 0; l < 4; l++)
                    if (rare >> l & 1)
                        zs[l] = rare_normal(pk, s + l, lanes, base);
                z = _mm256_loadu_pd(zs);
                next = _mm_loadu_si128((const __m128i *)&pk->next[s]);
                end = _mm_loadu_si128((const __m128i *)&pk->end[s]);
            }
            /* sb__contact_with */
            __m256d quality = _mm256_add_pd(resp, _mm256_mul_pd(spread, z));
            __m256d surprise = _mm256_andnot_pd(sign,
                                                _mm256_sub_pd(quality, resp));
            __m256d q = _mm256_min_pd(
                one, _mm256_max_pd(zero, _mm256_sub_pd(quality, bias)));
            __m256d push_a = _mm256_add_pd(
                _mm256_mul_pd(q, _mm256_loadu_pd(&pk->to_target_a[s])),
                _mm256_mul_pd(_mm256_mul_pd(_mm256_loadu_pd(&pk->inconsistency[s]),
                                            surprise),
                              _mm256_loadu_pd(&pk->room_a[s])));
            __m256d push_v = _mm256_add_pd(
                _mm256_mul_pd(q, _mm256_loadu_pd(&pk->to_target_v[s])),
                _mm256_mul_pd(_mm256_mul_pd(_mm256_loadu_pd(&pk->rejection[s]),
                                            _mm256_sub_pd(one, q)),
                              _mm256_loadu_pd(&pk->room_v[s])));
            __m256d live = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(on));
            da = _mm256_blendv_pd(
                da,
                _mm256_add_pd(da, _mm256_mul_pd(_mm256_loadu_pd(&pk->g[s]),
                                                push_a)),
                live);
            dv = _mm256_blendv_pd(
                dv,
                _mm256_add_pd(dv, _mm256_mul_pd(_mm256_loadu_pd(&pk->g_avoid[s]),
                                                push_v)),
                live);
            support = _mm256_blendv_pd(
                support,
                _mm256_add_pd(support,
                              _mm256_mul_pd(_mm256_loadu_pd(&pk->weight[s]), q)),
                live);
        }
        _mm_storeu_si128((__m128i *)&pk->next[s], next);
        _mm_storeu_si128((__m128i *)&pk->end[s], end);
        _mm256_storeu_pd(&pk->da[s], da);
        _mm256_storeu_pd(&pk->dv[s], dv);
        _mm256_storeu_pd(&pk->support[s], support);
    }
}

static int best_isa(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? SB_RNG_ISA_AVX2 : SB_RNG_ISA_SSE2;
}
#endif

/* Slot s takes lane j's person, their count n and their figures. */
static void pack(packed *pk, unsigned s, const sb__lane *ln, unsigned j,
                 int r, unsigned n, const uint32_t *base)
{
    const sb__step_plan *plan = ln->plan;
    const sb_relationship *rel = &plan->sc->relationships[r];
    const sb__step_week *st = ln->st;
    sb__partner w = sb__partner_of(ln->p, &plan->sc->params,
                                   rel->responsiveness, plan->rel_spread[r],
                                   plan->rel_target[r], rel->weight, st->gain);
    pk->resp[s] = w.resp;
    pk->spread[s] = w.spread;
    pk->to_target_a[s] = w.to_target_a;
    pk->to_target_v[s] = w.to_target_v;
    pk->weight[s] = w.weight;
    pk->g[s] = w.g;
    pk->g_avoid[s] = w.g_avoid;
    pk->bias[s] = st->me.bias;
    pk->room_a[s] = st->me.room_a;
    pk->room_v[s] = st->me.room_v;
    pk->inconsistency[s] = st->me.inconsistency;
    pk->rejection[s] = st->me.rejection;
    pk->da[s] = st->acc.da;
    pk->dv[s] = st->acc.dv;
    pk->support[s] = st->acc.support;
    const sb__rng *rng = ln->rng;
    if (rng->next != rng->end) {
        pk->next[s] = (int32_t)(rng->next - base);
        pk->end[s] = (int32_t)(rng->end - base);
    } else {
        pk->next[s] = pk->end[s] = 0;
    }
    pk->n[s] = (int32_t)n;
    pk->lane[s] = j;
}

/* An empty slot that pads the last vector: no contacts. */
static void pad(packed *pk, unsigned s)
{
    pk->resp[s] = pk->spread[s] = pk->to_target_a[s] = pk->to_target_v[s] = 0;
    pk->weight[s] = pk->g[s] = pk->g_avoid[s] = 0;
    pk->bias[s] = pk->room_a[s] = pk->room_v[s] = 0;
    pk->inconsistency[s] = pk->rejection[s] = 0;
    pk->da[s] = pk->dv[s] = pk->support[s] = 0;
    pk->next[s] = pk->end[s] = pk->n[s] = 0;
    pk->lane[s] = 0;
}

int sb__contact_lanes(const sb__lane *lanes, unsigned count, int r,
                      const uint32_t *words, int isa)
{
#ifdef SB_LANES_X86
    int best = best_isa();
#else
    int best = SB_RNG_ISA_C;
#endif
    if (isa == SB_RNG_ISA_AUTO)
        isa = best;
    if (isa > best)
        return -1;
    if (isa != SB_RNG_ISA_AVX2 && isa != SB_RNG_ISA_AVX512) {
        for (unsigned j = 0; j < count; j++)
            if (lanes[j].st->here >> r & 1)
                sb__person_contacts(lanes[j].p, lanes[j].plan, r,
                                    lanes[j].rng, lanes[j].st);
        return isa;
    }
#ifdef SB_LANES_X86
    /* Each person's count, then the people with contacts in slots by
     * count, most first (a counting sort). */
    unsigned n[W], key[W], at[KEYS + 1] = {0};
    for (unsigned j = 0; j < count; j++) {
        const sb__lane *ln = &lanes[j];
        n[j] = ln->st->here >> r & 1
                   ? sb__sample_poisson_table(ln->rng, &ln->plan->contacts[r])
                   : 0;
        key[j] = n[j] < KEYS ? KEYS - 1 - n[j] : 0;
        at[key[j] + 1] += n[j] > 0;
    }
    for (unsigned k = 0; k < KEYS; k++)
        at[k + 1] += at[k];
    unsigned slots = at[KEYS];
    if (slots == 0)
        return isa;
    const uint32_t *base = words;
    packed pk;
    for (unsigned j = 0; j < count; j++)
        if (n[j] > 0)
            pack(&pk, at[key[j]]++, &lanes[j], j, r, n[j], base);
    unsigned padded = (slots + 3) & ~3u;
    for (unsigned s = slots; s < padded; s++)
        pad(&pk, s);
    run_avx2(&pk, padded, lanes, base);
    for (unsigned s = 0; s < slots; s++) {
        const sb__lane *ln = &lanes[pk.lane[s]];
        ln->st->acc.da = pk.da[s];
        ln->st->acc.dv = pk.dv[s];
        ln->st->acc.support = pk.support[s];
        ln->rng->next = pk.next[s] < pk.end[s] ? base + pk.next[s]
                                                : ln->rng->end;
    }
#else
    (void)words;
#endif
    return isa;
}
