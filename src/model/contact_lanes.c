/*
 * A week's relationship contacts for a block of people together, four
 * people at a time, one to a vector lane, in two passes.
 *
 * The first, person by person, draws each relationship's count of contacts
 * and sets aside, for each contact, the word of the block's column its
 * normal will come from: the next one, as it is for the 99% of normals
 * that end at the ziggurat's first comparison. The second takes the lanes'
 * contacts side by side, in each person's order: the first comparison and
 * the contact's arithmetic for four people at once, each lane adding to
 * its own person's sums. A lane whose word fails the first comparison
 * leaves the vector there: that normal and everything its person draws
 * after it (the words set aside after it were guesses) are done one by one
 * through the person's stream. So are contacts that the first pass could
 * not set aside (past the block's column, more than a week here holds, a
 * mean without a table).
 *
 * Every person draws the same words in the same order as
 * sb__person_contacts, relationship by relationship, and every lane does
 * its person's floating-point operations in the scalar order (the build
 * has no fused multiply-add), so the sums are the same to the last bit;
 * tests/model/test_contact_lanes.c compares them.
 */
#include "model/contact_lanes.h"

#include "model/sample.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SB_LANES_X86 1
#include <immintrin.h>
#endif

#define GROUP 4  /* people side by side (four doubles in AVX2) */
#define ITEMS 32 /* contacts a person's week can set aside */

#ifdef SB_LANES_X86
/* A group's contacts set aside: person l's i-th at [i][l]. */
typedef struct group {
    uint32_t word[ITEMS][GROUP];
    double resp[ITEMS][GROUP], spread[ITEMS][GROUP];
    double target[ITEMS][GROUP], weight[ITEMS][GROUP];
    /* the word's row counted from `start`, the contact's relationship
     * << 8 and the number of its relationship's contacts after it << 16 */
    uint32_t where[ITEMS][GROUP];
    int32_t count[GROUP];             /* contacts set aside */
    const uint32_t *start[GROUP];     /* the stream's position before */
    /* what the first pass left: relationship `rest` on (none: -1), with
     * its count `rest_n` already drawn (or -1: not yet) */
    int rest[GROUP], rest_n[GROUP];
} group;

/* One contact the scalar way. */
static void contact_alone(const sb__lane *ln, int r, double z)
{
    const sb__step_plan *plan = ln->plan;
    const sb_relationship *rel = &plan->sc->relationships[r];
    sb__partner w = sb__partner_of(ln->p, &plan->sc->params,
                                   rel->responsiveness, plan->rel_spread[r],
                                   plan->rel_target[r], rel->weight,
                                   ln->st->gain);
    sb__contact_with(&ln->st->me, &w, z, &ln->st->acc);
}

/* The person's contacts from relationship r on, one by one: n of r's
 * (its count drawn already; -1: not yet), then the later relationships'. */
static void contacts_alone(const sb__lane *ln, int r, int n)
{
    uint32_t here = ln->st->here & ~((2u << r) - 1); /* after r */
    if (n < 0) {
        here |= 1u << r;
    } else {
        for (int i = 0; i < n; i++)
            contact_alone(ln, r, sb__sample_normal(ln->rng));
    }
    for (; here; here &= here - 1)
        sb__person_contacts(ln->p, ln->plan, __builtin_ctz(here), ln->rng,
                            ln->st);
}

/*
 * The first pass for person l of the group, from contact k on: n more of
 * relationship r's (its count drawn already; r = -1: none), then the
 * relationships after r. It reads only words of the column, so that the
 * stream can be set back to any of them.
 */
static void set_aside(const sb__lane *ln, unsigned l, group *g, unsigned k,
                      int r, unsigned n)
{
    sb__rng *rng = ln->rng;
    const sb__step_plan *plan = ln->plan;
    const sb_scenario *sc = plan->sc;
    const uint32_t *next = rng->next, *end = rng->end;
    unsigned row = (unsigned)((next - g->start[l]) / SB_RNG_LANES);
    uint32_t here = r < 0 ? ln->st->here : ln->st->here & ~((2u << r) - 1);
    g->rest[l] = -1;
    for (;;) {
        if (n > 0) {
            if (k + n > ITEMS ||
                (size_t)(end - next) < (size_t)n * SB_RNG_LANES) {
                g->rest[l] = r;
                g->rest_n[l] = (int)n;
                break;
            }
            double resp = sc->relationships[r].responsiveness;
            double weight = sc->relationships[r].weight;
            double spread = plan->rel_spread[r], target = plan->rel_target[r];
            /* row and relationship; the count after it goes down by one */
            uint32_t where = row | (uint32_t)r << 8 | (n - 1) << 16;
            for (unsigned i = k; i < k + n; i++) {
                g->word[i][l] = *next;
                g->where[i][l] = where;
                g->resp[i][l] = resp;
                g->spread[i][l] = spread;
                g->target[i][l] = target;
                g->weight[i][l] = weight;
                next += SB_RNG_LANES;
                where += 1 - (1u << 16);
            }
            k += n;
            row += n;
        }
        if (!here)
            break;
        r = __builtin_ctz(here); /* in order, lowest first */
        here &= here - 1;
        const sb__poisson_table *t = &plan->contacts[r];
        if (t->size == 0 || next == end) {
            g->rest[l] = r;
            g->rest_n[l] = -1;
            break;
        }
        rng->next = next; /* one word of the column */
        n = sb__sample_poisson_table(rng, t);
        next = rng->next;
        row++;
    }
    rng->next = next;
    g->count[l] = (int32_t)k;
}

/* Person l's contact i failed the first comparison: its normal the rest of
 * the way, through the stream from that word, and the person's contacts
 * after it set aside again from where the stream is then. */
static double redraw(const sb__lane *ln, unsigned l, int i, group *g)
{
    sb__rng *rng = ln->rng;
    uint32_t where = g->where[i][l];
    rng->next = g->start[l] + (size_t)(where & 0xff) * SB_RNG_LANES;
    double z = sb__sample_normal(rng);
    set_aside(ln, l, g, (unsigned)i + 1, (int)(where >> 8 & 0xff),
              where >> 16);
    return z;
}

static int most_of(const group *g)
{
    int most = 0;
    for (unsigned l = 0; l < GROUP; l++)
        most = g->count[l] > most ? g->count[l] : most;
    return most;
}

/* The second pass. The arithmetic is sb__partner_of's and
 * sb__contact_with's, written for vectors: keep them alike. */
__attribute__((target("avx2"))) static void
contacts_avx2(const sb__lane *ln, group *g, unsigned people)
{
    const __m256d sign = _mm256_set1_pd(-0.0);
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const __m128i low7 = _mm_set1_epi32(127), half = _mm_set1_epi32(1 << 24);
    double f[9][GROUP] = {{0}};
    for (unsigned l = 0; l < people; l++) {
        const sb__step_week *st = ln[l].st;
        f[0][l] = ln[l].p->a;
        f[1][l] = ln[l].p->v;
        f[2][l] = st->gain;
        f[3][l] = st->me.bias;
        f[4][l] = st->me.room_a;
        f[5][l] = st->me.room_v;
        f[6][l] = st->acc.da;
        f[7][l] = st->acc.dv;
        f[8][l] = st->acc.support;
    }
    /* the people share one plan */
    const sb_params *k = &ln[0].plan->sc->params;
    const __m256d inconsistency = _mm256_set1_pd(ln[0].st->me.inconsistency);
    const __m256d rejection = _mm256_set1_pd(ln[0].st->me.rejection);
    const __m256d avoidance = _mm256_set1_pd(k->avoidance_learning);
    __m256d a = _mm256_loadu_pd(f[0]), v = _mm256_loadu_pd(f[1]);
    __m256d gain = _mm256_loadu_pd(f[2]), bias = _mm256_loadu_pd(f[3]);
    __m256d room_a = _mm256_loadu_pd(f[4]), room_v = _mm256_loadu_pd(f[5]);
    __m256d da = _mm256_loadu_pd(f[6]), dv = _mm256_loadu_pd(f[7]);
    __m256d support = _mm256_loadu_pd(f[8]);
    int most = most_of(g);
    __m128i count = _mm_loadu_si128((const __m128i *)g->count);
    for (int i = 0; i < most; i++) {
        __m128i on = _mm_cmpgt_epi32(count, _mm_set1_epi32(i));
        /* sb__sample_normal_fast, lane by lane */
        __m128i u = _mm_loadu_si128((const __m128i *)g->word[i]);
        __m128i layer = _mm_and_si128(u, low7);
        __m128i j = _mm_sub_epi32(_mm_srli_epi32(u, 7), half);
        __m128i bound = _mm_i32gather_epi32((const int *)sb__zig_k25, layer, 4);
        __m128i ok = _mm_cmpgt_epi32(bound, _mm_abs_epi32(j));
        __m256d z = _mm256_mul_pd(_mm256_cvtepi32_pd(j),
                                  _mm256_i32gather_pd(sb__zig_w25, layer, 8));
        int fail = _mm_movemask_ps(_mm_castsi128_ps(_mm_andnot_si128(ok, on)));
        if (fail) {
            double zs[GROUP];
            _mm256_storeu_pd(zs, z);
            for (unsigned l = 0; l < GROUP; l++)
                if (fail >> l & 1)
                    zs[l] = redraw(&ln[l], l, i, g);
            z = _mm256_loadu_pd(zs);
            most = most_of(g);
            count = _mm_loadu_si128((const __m128i *)g->count);
        }
        __m256d live = _mm256_castsi256_pd(_mm256_cvtepi32_epi64(on));
        __m256d resp = _mm256_loadu_pd(g->resp[i]);
        __m256d spread = _mm256_loadu_pd(g->spread[i]);
        __m256d target = _mm256_loadu_pd(g->target[i]);
        __m256d weight = _mm256_loadu_pd(g->weight[i]);
        /* sb__partner_of */
        __m256d to_target_a = _mm256_sub_pd(target, a);
        __m256d to_target_v = _mm256_sub_pd(target, v);
        __m256d gw = _mm256_mul_pd(gain, weight);
        __m256d gw_avoid = _mm256_mul_pd(gw, avoidance);
        /* sb__contact_with */
        __m256d quality = _mm256_add_pd(resp, _mm256_mul_pd(spread, z));
        __m256d surprise = _mm256_andnot_pd(sign, _mm256_sub_pd(quality, resp));
        __m256d q = _mm256_min_pd(
            one, _mm256_max_pd(zero, _mm256_sub_pd(quality, bias)));
        __m256d push_a = _mm256_add_pd(
            _mm256_mul_pd(q, to_target_a),
            _mm256_mul_pd(_mm256_mul_pd(inconsistency, surprise), room_a));
        __m256d push_v = _mm256_add_pd(
            _mm256_mul_pd(q, to_target_v),
            _mm256_mul_pd(_mm256_mul_pd(rejection, _mm256_sub_pd(one, q)),
                          room_v));
        da = _mm256_blendv_pd(da, _mm256_add_pd(da, _mm256_mul_pd(gw, push_a)),
                              live);
        dv = _mm256_blendv_pd(
            dv, _mm256_add_pd(dv, _mm256_mul_pd(gw_avoid, push_v)), live);
        support = _mm256_blendv_pd(
            support, _mm256_add_pd(support, _mm256_mul_pd(weight, q)), live);
    }
    _mm256_storeu_pd(f[6], da);
    _mm256_storeu_pd(f[7], dv);
    _mm256_storeu_pd(f[8], support);
    for (unsigned l = 0; l < people; l++) {
        sb__step_week *st = ln[l].st;
        st->acc.da = f[6][l];
        st->acc.dv = f[7][l];
        st->acc.support = f[8][l];
        if (g->rest[l] >= 0)
            contacts_alone(&ln[l], g->rest[l], g->rest_n[l]);
    }
}

/* The block in lanes, when every person shares the first one's plan. */
static int lanes_avx2(const sb__lane *lanes, unsigned count)
{
    const sb__step_plan *plan = lanes[0].plan;
    for (unsigned j = 1; j < count; j++)
        if (lanes[j].plan != plan)
            return 0;
    /* rows past a lane's contacts are read too (and not used): from the
     * group before, or these zeros */
    group g;
    memset(&g, 0, sizeof g);
    for (unsigned j0 = 0; j0 < count; j0 += GROUP) {
        unsigned people = count - j0 < GROUP ? count - j0 : GROUP;
        for (unsigned l = 0; l < GROUP; l++) {
            g.count[l] = 0;
            g.rest[l] = -1;
            if (l < people) {
                g.start[l] = lanes[j0 + l].rng->next;
                set_aside(&lanes[j0 + l], l, &g, 0, -1, 0);
            }
        }
        contacts_avx2(&lanes[j0], &g, people);
    }
    return 1;
}

static int best_isa(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? SB_RNG_ISA_AVX2 : SB_RNG_ISA_SSE2;
}
#endif

int sb__contact_lanes(const sb__lane *lanes, unsigned count, int isa)
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
#ifdef SB_LANES_X86
    if (isa == SB_RNG_ISA_AVX2 && count > 0 && lanes_avx2(lanes, count))
        return isa;
#endif
    for (unsigned j = 0; j < count; j++)
        for (uint32_t here = lanes[j].st->here; here; here &= here - 1)
            sb__person_contacts(lanes[j].p, lanes[j].plan, __builtin_ctz(here),
                                lanes[j].rng, lanes[j].st);
    return isa;
}
