/*
 * securebase measure layer: attachment questionnaires as data files, scoring
 * of one administration or of a whole survey export streamed from CSV,
 * Cronbach's alpha, administrations grouped by person, the Jacobson-Truax
 * reliable change index with clinical cutoffs, and sudden gains and losses.
 * It knows no database and reads no scenarios. The facts behind every
 * instrument are in docs/instruments.md.
 */
#ifndef SECUREBASE_MEASURE_H
#define SECUREBASE_MEASURE_H

#include <securebase/base.h>

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Instruments                                                         */
/* ------------------------------------------------------------------ */

/* Largest instrument file accepted, in bytes (the built-ins have 1-5 KB). */
#define SB_INSTRUMENT_MAX_BYTES (256 * 1024)
/* Deepest nesting of YAML mappings and lists (the format needs 6). */
#define SB_INSTRUMENT_MAX_NESTING 8
/* Most YAML nodes in one file (the largest built-in has a few hundred). */
#define SB_INSTRUMENT_MAX_NODES 10000

/* A validated instrument definition (items, key, scoring rule, norms). */
typedef struct sb_instrument sb_instrument;

/* Which end of a score is the better one. */
typedef enum sb_direction {
    SB_HIGHER_WORSE = 0, /* attachment anxiety, avoidance, insecure ratings */
    SB_HIGHER_BETTER,    /* security rating, RQ model of self and of other */
    SB_DIRECTION_NONE    /* no better end (not used for change status) */
} sb_direction;

/* A closed response scale, e.g. 1..7. */
typedef struct sb_scale {
    int min;
    int max;
} sb_scale;

/* The widest scale anything accepts: answers are 0..100 at most. */
#define SB_ANSWER_SCALE_MAX 100

/*
 * Parses "MIN-MAX" (whole numbers, digits only, 0 <= MIN < MAX <= 100).
 * The message starts "must be MIN-MAX", for the caller to prefix the name
 * of what was being read.
 */
sb_status sb_scale_parse(const char *text, sb_scale *out, sb_error *err);

/* A published (or clearly labelled) sample's mean and SD of one score. */
typedef struct sb_norm {
    double mean;
    double sd;
    double n;          /* sample size, 0 if not reported */
    sb_scale scale;    /* the response scale the sample answered on */
    int dysfunctional; /* 1: clinical sample, 0: functional/general sample */
    const char *sample;/* owned by the instrument */
    const char *source;
    unsigned targets;  /* bit t: applies to target t only; 0: to every score */
    const char *table; /* where in the source ("Table 2"); NULL if not given */
} sb_norm;

/* A reliability estimate of one score. */
typedef struct sb_reliability {
    double value;
    int retest;        /* 1: test-retest, 0: internal consistency (alpha) */
    sb_scale scale;
    const char *sample;
    const char *source;
    unsigned targets;  /* bit t: applies to target t only; 0: to every score */
    double n;          /* sample size, 0 if not reported */
    int interval_days; /* retest: days between the administrations */
    const char *table; /* where in the source; NULL if not given */
} sb_reliability;

/*
 * Loads and validates an instrument file (YAML, at most the limits above;
 * anchors, aliases and tags are refused). Errors carry file:line:col. The
 * caller owns *out and frees it with sb_instrument_free().
 */
sb_status sb_instrument_load_file(const char *path, sb_instrument **out,
                                  sb_error *err);
/* The same from text in memory; `origin` names it in error messages. */
sb_status sb_instrument_load_text(const char *text, size_t size,
                                  const char *origin, sb_instrument **out,
                                  sb_error *err);
/* A built-in instrument by name ("ecr-r", "ecr-s", "ecr-rs", "ecr", "rq"). */
sb_status sb_instrument_builtin(const char *name, sb_instrument **out,
                                sb_error *err);
/* A built-in name, or else a path to an instrument file. */
sb_status sb_instrument_open(const char *name_or_path, sb_instrument **out,
                             sb_error *err);
/* The longest built-in instrument name, with its NUL. */
#define SB_INSTRUMENT_NAME_MAX 64
/* Fills `names` (up to `max`) with the built-in instruments' names, as
 * sb_instrument_builtin takes them ("ecr-r"); returns how many there are. */
size_t sb_instrument_builtin_names(char (*names)[SB_INSTRUMENT_NAME_MAX],
                                   size_t max);
void sb_instrument_free(sb_instrument *inst);

const char *sb_instrument_name(const sb_instrument *inst);
const char *sb_instrument_title(const sb_instrument *inst);
const char *sb_instrument_source(const sb_instrument *inst);
/* The instrument's own response scale (e.g. 1..7). */
sb_scale sb_instrument_scale(const sb_instrument *inst);
/* All items, over all targets (ECR-RS: 4 targets x 9 = 36). */
size_t sb_instrument_item_count(const sb_instrument *inst);
/* Items per target (equal to the item count without targets). */
size_t sb_instrument_items_per_target(const sb_instrument *inst);
/* Targets (ECR-RS: mother, father, partner, friend); 0 when none. */
size_t sb_instrument_target_count(const sb_instrument *inst);
const char *sb_instrument_target_name(const sb_instrument *inst, size_t t);
/* 1 if item `item` (1-based within a target) is reverse-keyed. */
int sb_instrument_item_reversed(const sb_instrument *inst, size_t item);
/* The default column pattern, e.g. "ecr_r_{n}". */
const char *sb_instrument_column_pattern(const sb_instrument *inst);
/* 1 if the instrument assigns a category. */
int sb_instrument_has_category(const sb_instrument *inst);

/*
 * Scores, in output order: every item-based subscale (per target when the
 * instrument has targets, named "mother_avoidance"), then derived scores
 * (RQ model of self, ECR-RS global avoidance).
 */
size_t sb_instrument_score_count(const sb_instrument *inst);
const char *sb_instrument_score_name(const sb_instrument *inst, size_t s);
/* 1 for a score that is a mean (or sum) of items, 0 for a derived one. */
int sb_instrument_score_is_items(const sb_instrument *inst, size_t s);
/* Items of an item-based score (flat, 0-based indexes into the answers). */
size_t sb_instrument_score_item_list(const sb_instrument *inst, size_t s,
                                     const size_t **items);
sb_direction sb_instrument_score_direction(const sb_instrument *inst,
                                           size_t s);
/*
 * Reliability and norms that apply to score s on answers on `scale`; NULL if
 * none. A figure given for some relationships only (ECR-RS `targets:`)
 * applies to those relationships' scores only. A retest figure is preferred
 * to alpha.
 */
const sb_reliability *sb_instrument_reliability(const sb_instrument *inst,
                                                size_t s, sb_scale scale);
const sb_norm *sb_instrument_norm(const sb_instrument *inst, size_t s,
                                  sb_scale scale, int dysfunctional);

/* ------------------------------------------------------------------ */
/* Scoring one administration                                          */
/* ------------------------------------------------------------------ */

#define SB_REASON_MAX 160
#define SB_CATEGORY_MAX 96

/*
 * The scores of one administration. Allocated for one instrument by
 * sb_scores_new() and owned by the caller (sb_scores_free); reusable.
 */
typedef struct sb_scores {
    size_t count;      /* = sb_instrument_score_count() */
    double *value;     /* NaN when the score could not be computed */
    unsigned *answered;/* items answered (derived: components available) */
    unsigned *total;   /* items in the score (derived: components) */
    char (*reason)[SB_REASON_MAX]; /* why a value is empty, else "" */
    int prorated;      /* 1 if some score was computed with missing items */
    char category[SB_CATEGORY_MAX]; /* "" when none or not computable */
    char category_reason[SB_REASON_MAX];
} sb_scores;

sb_status sb_scores_new(const sb_instrument *inst, sb_scores **out,
                        sb_error *err);
void sb_scores_free(sb_scores *scores);

/*
 * Scores one administration. `answers` holds sb_instrument_item_count()
 * raw answers on `scale` (NaN = missing; pass the instrument's scale when
 * the form used it); reverse-keyed items become min + max - x. Scores are
 * kept on `scale`. A value outside the scale or not a whole number is an
 * error naming the item; missing items are prorated up to each subscale's
 * documented limit, beyond it the score is NaN with the reason.
 */
sb_status sb_instrument_score_items(const sb_instrument *inst,
                                    const double *answers, size_t n,
                                    sb_scale scale, sb_scores *out,
                                    sb_error *err);

/* ------------------------------------------------------------------ */
/* Column mapping                                                      */
/* ------------------------------------------------------------------ */

/* Which CSV column holds each item. Owned by the caller (_free). */
typedef struct sb_column_map sb_column_map;

/*
 * From a pattern with "{n}" for the item number (and "{target}" for
 * instruments with targets), e.g. "Q{n}", "ecr_{n}", "{target}_{n}".
 */
sb_status sb_column_map_pattern(const sb_instrument *inst, const char *pattern,
                                sb_column_map **out, sb_error *err);
/*
 * From a mapping file: CSV with a header "item,column" and one line per
 * item; `item` is the number, or "target:number" with targets.
 */
sb_status sb_column_map_load(const sb_instrument *inst, const char *path,
                             sb_column_map **out, sb_error *err);
/*
 * From an export's header (`names`, `count` of them), without being told:
 * the instrument's own pattern and the common export patterns are tried,
 * ignoring letter case and zero-padding of numbers: Q{n},
 * {instrument}_{n} (with '-' in the name read as '_', dropped or kept),
 * item{n} and {n}; with targets {instrument}_{target}_{n} and
 * {target}_{n}. Exactly one must fit every item: none, two, or two columns
 * for one item are errors located at `origin`:`line` that say which.
 */
sb_status sb_column_map_detect(const sb_instrument *inst,
                               const char *const *names, size_t count,
                               const char *origin, unsigned long line,
                               sb_column_map **out, sb_error *err);
/* The pattern sb_column_map_detect found, as the header spells it (e.g.
 * "ECRR_{n}"), when the columns are not the instrument's own names; NULL
 * otherwise. */
const char *sb_column_map_found(const sb_column_map *map);
/* How many other columns of that header fit the pattern with a number
 * beyond the instrument's items (e.g. Q37..Q40 next to a 36-item scale). */
size_t sb_column_map_also_fit(const sb_column_map *map);
/* The column name of flat item index i (0-based). */
const char *sb_column_map_name(const sb_column_map *map, size_t i);
void sb_column_map_free(sb_column_map *map);

/* ------------------------------------------------------------------ */
/* Streaming scorer                                                    */
/* ------------------------------------------------------------------ */

#define SB_MAX_MISSING_CODES 8

typedef struct sb_scorer_options {
    sb_scale scale;               /* answers' scale; {0,0}: the instrument's */
    const char *missing[SB_MAX_MISSING_CODES]; /* extra missing codes */
    size_t missing_count;
    const char *id_column;        /* NULL: none */
    const char *date_column;      /* NULL: none; a cell in it is empty or a
                                     date as sb_grouper_new describes */
    const sb_column_map *map;     /* NULL: found in the header */
    size_t skip_rows;             /* rows after the header to skip (Qualtrics: 2) */
    int lenient;                  /* per-row errors become flagged rows */
    int alpha;                    /* accumulate Cronbach's alpha */
    const char *origin;           /* file name for messages */
} sb_scorer_options;

/* A scored row, valid during the callback. */
typedef struct sb_scored_row {
    unsigned long line;      /* where the record starts in the file */
    const char *id;          /* "" without an id column */
    const char *date;        /* "" without a date column */
    const sb_scores *scores; /* all NaN when `error` is set */
    const char *error;       /* lenient mode: why the row was flagged, else NULL */
    const double *answers;   /* the raw answers (NaN = missing); NULL if flagged */
} sb_scored_row;

typedef sb_status (*sb_scored_row_fn)(void *ctx, const sb_scored_row *row,
                                      sb_error *err);

typedef struct sb_scorer sb_scorer;

/*
 * A scorer reads a survey export chunk by chunk in constant memory and calls
 * `fn` for each scored row. `inst` and the strings in `opts` must outlive
 * the scorer; the caller owns *out (sb_scorer_free).
 */
sb_status sb_scorer_new(const sb_instrument *inst,
                        const sb_scorer_options *opts, sb_scored_row_fn fn,
                        void *ctx, sb_scorer **out, sb_error *err);
sb_status sb_scorer_feed(sb_scorer *s, const void *data, size_t size,
                         sb_error *err);
sb_status sb_scorer_finish(sb_scorer *s, sb_error *err);
/* The item columns in use: the options' map, or the one found in the
 * header (NULL before the header is read). */
const sb_column_map *sb_scorer_column_map(const sb_scorer *s);
/* Counts after finishing. */
unsigned long sb_scorer_rows(const sb_scorer *s);
unsigned long sb_scorer_flagged(const sb_scorer *s);
void sb_scorer_free(sb_scorer *s);

/* CSV output of scored rows: header then one line per row. */
int sb_scores_write_header(FILE *out, const sb_instrument *inst, int with_id,
                           int with_date);
int sb_scores_write_row(FILE *out, const sb_instrument *inst, int with_id,
                        int with_date, const sb_scored_row *row);

/* ------------------------------------------------------------------ */
/* Cronbach's alpha                                                    */
/* ------------------------------------------------------------------ */

/* Accumulates item sums and cross-products for one set of k items. */
typedef struct sb_alpha sb_alpha;

/* The caller owns *out (sb_alpha_free). */
sb_status sb_alpha_new(size_t k, sb_alpha **out, sb_error *err);
/* Adds one complete case (k answers, already reverse-keyed). */
void sb_alpha_add(sb_alpha *a, const double *x);

typedef struct sb_alpha_item {
    double mean;
    double sd;
    double item_total_r;   /* corrected: item vs the sum of the other items */
    double alpha_if_deleted;
} sb_alpha_item;

typedef struct sb_alpha_result {
    size_t k;
    double n;              /* complete cases */
    double alpha;          /* NaN when it cannot be computed; see `why` */
    /* Why alpha is NaN (fewer than two complete cases, or a total that does
     * not vary), as a sentence; "" when alpha is a number. */
    char why[SB_REASON_MAX];
    sb_alpha_item *items;  /* k entries, owned by the sb_alpha; an item's r
                              and SD are NaN where undefined */
} sb_alpha_result;

/* Computes the result from what was added; valid until the next add/free. */
void sb_alpha_compute(sb_alpha *a, sb_alpha_result *out);
void sb_alpha_free(sb_alpha *a);

/* The scorer's alpha for item-based score s (NULL if not accumulated). */
sb_alpha *sb_scorer_alpha(sb_scorer *s, size_t score);

/* ------------------------------------------------------------------ */
/* Local norms: a practice's own figures                               */
/* ------------------------------------------------------------------ */

/*
 * Per score of one instrument: the number of administrations, mean and SD,
 * and Cronbach's alpha of item-based scores, from a practice's own sample
 * (usually each client's intake). Built from scored rows, written as a CSV
 * file labelled with instrument, date, sample size and source, and read
 * back with every field checked (docs/formats.md).
 */
typedef struct sb_norms sb_norms;

/* Empty norms of `inst` (which must outlive them) for answers on `scale`,
 * from a clinical (1) or general (0) sample. Free with sb_norms_free. */
sb_status sb_norms_new(const sb_instrument *inst, sb_scale scale,
                       int clinical, sb_norms **out, sb_error *err);
/* Adds one scored row of the instrument (flagged rows are skipped). */
sb_status sb_norms_add(sb_norms *nm, const sb_scored_row *row, sb_error *err);
/* Computes the figures and labels them: the date (YYYY-MM-DD) and what they
 * were computed on (1-200 printable characters, no quotes). */
sb_status sb_norms_finish(sb_norms *nm, const char *date, const char *label,
                          sb_error *err);
/* Writes the norms file: a row per score with at least 2 administrations
 * and an SD above 0. */
sb_status sb_norms_write(const sb_norms *nm, FILE *out, sb_error *err);

/* Reads a norms file for `inst` (which must outlive the norms); errors name
 * the file, line, column and value. */
sb_status sb_norms_load_file(const char *path, const sb_instrument *inst,
                             sb_norms **out, sb_error *err);
sb_status sb_norms_load_text(const char *text, size_t size, const char *origin,
                             const sb_instrument *inst, sb_norms **out,
                             sb_error *err);
void sb_norms_free(sb_norms *nm);

/* One score's figures. */
typedef struct sb_norms_entry {
    int present;     /* 1 when the figures can be used (n >= 2, SD > 0) */
    double n, mean, sd;
    double alpha;    /* NaN: none (a derived score, or not in [0, 1)) */
    double alpha_n;  /* complete cases behind alpha */
} sb_norms_entry;
void sb_norms_entry_get(const sb_norms *nm, size_t score, sb_norms_entry *out);

sb_scale sb_norms_scale(const sb_norms *nm);
const char *sb_norms_date(const sb_norms *nm);
const char *sb_norms_label(const sb_norms *nm);
int sb_norms_clinical(const sb_norms *nm);
/* The figures of score s as norms and reliability (alpha), for answers on
 * `scale`; NULL when the file has none for it (or is for another scale).
 * Owned by the norms. */
const sb_norm *sb_norms_norm(const sb_norms *nm, size_t score, sb_scale scale);
const sb_reliability *sb_norms_reliability(const sb_norms *nm, size_t score,
                                           sb_scale scale);
/* The instrument the norms are for. */
const sb_instrument *sb_norms_instrument(const sb_norms *nm);
/* What a page or a report says of them: "local norms of ecr-r (clinical
 * sample, N = 212, 2026-03-01, intake.csv)"; N is a range when the scores
 * rest on different numbers. */
void sb_norms_describe(const sb_norms *nm, char *buf, size_t size);
/* The instrument a norms file is for, as its first row of figures (at
 * *line) names it, with the header checked; errors name the file and
 * line. */
sb_status sb_norms_text_instrument(const char *text, size_t size,
                                   const char *origin,
                                   char name[SB_INSTRUMENT_NAME_MAX],
                                   unsigned long *line, sb_error *err);

/*
 * A practice's norms files, one per instrument, each file naming its own
 * instrument: what the faces take from repeated --norms options and hand
 * to the care layer and the report. Read once, then read-only (safe to
 * share between threads).
 */
typedef struct sb_norms_set sb_norms_set;

/* An empty set; free with sb_norms_set_free. */
sb_status sb_norms_set_new(sb_norms_set **out, sb_error *err);
/*
 * Reads the norms file at `path` for the instrument its rows name: `known`
 * (borrowed: it must outlive the set) when it has that name, else the
 * built-in one. Errors name the file, line, column and value: an
 * instrument that is neither, a second file for an instrument already in
 * the set, and whatever sb_norms_load_file refuses.
 */
sb_status sb_norms_set_add_file(sb_norms_set *set, const char *path,
                                const sb_instrument *known, sb_error *err);
size_t sb_norms_set_count(const sb_norms_set *set);
/* The i-th file's norms, and its path as given. */
const sb_norms *sb_norms_set_get(const sb_norms_set *set, size_t i);
const char *sb_norms_set_path(const sb_norms_set *set, size_t i);
/* The norms for `inst` (the same name and scores, in order), or NULL;
 * `set` may be NULL. */
const sb_norms *sb_norms_set_find(const sb_norms_set *set,
                                  const sb_instrument *inst);
void sb_norms_set_free(sb_norms_set *set);

/* ------------------------------------------------------------------ */
/* Reliable change and clinical significance (Jacobson & Truax 1991)   */
/* ------------------------------------------------------------------ */

/*
 * The standard error of the difference of two scores, sqrt(2) * SD *
 * sqrt(1 - r), and the reliable change index (post - pre) / S_diff.
 * Errors: SD <= 0 or r outside [0, 1).
 */
sb_status sb_rci_sdiff(double sd, double reliability, double *sdiff,
                       sb_error *err);
sb_status sb_rci(double pre, double post, double sd, double reliability,
                 double *rci, sb_error *err);

/* Cutoffs a, b, c; has_* is 0 when the norms needed are absent. */
typedef struct sb_cutoffs {
    double a, b, c;
    int has_a, has_b, has_c;
} sb_cutoffs;

/*
 * a: 2 SD beyond the dysfunctional mean toward the functional end;
 * b: 2 SD beyond the functional mean toward the dysfunctional end;
 * c: the point between the two means weighted by their SDs.
 * Either norm may be NULL.
 */
sb_status sb_clinical_cutoffs(const sb_norm *functional,
                              const sb_norm *dysfunctional,
                              sb_direction direction, sb_cutoffs *out,
                              sb_error *err);

typedef enum sb_change_status {
    SB_CHANGE_UNKNOWN = 0, /* no reliability or SD: RCI not computable */
    SB_CHANGE_RECOVERED,
    SB_CHANGE_IMPROVED,
    SB_CHANGE_UNCHANGED,
    SB_CHANGE_DETERIORATED
} sb_change_status;

#define SB_RCI_CRITICAL 1.96

/* The cutoff used for recovery: c, else a, else b; NaN when none. */
double sb_cutoff_used(const sb_cutoffs *c, char *which);

/*
 * Jacobson-Truax status from a reliable change index and the cutoffs:
 * recovered = reliable improvement from the dysfunctional side of the cutoff
 * to the functional side; improved = reliable improvement otherwise;
 * deteriorated = reliable worsening; else unchanged.
 */
sb_change_status sb_change_classify(double pre, double post, double rci,
                                    const sb_cutoffs *cutoffs,
                                    sb_direction direction);
const char *sb_change_status_name(sb_change_status st);

/* Where a figure of a change plan comes from. */
typedef enum sb_figure_origin {
    SB_FIGURE_NONE = 0,
    SB_FIGURE_GIVEN,        /* given by the caller (an option) */
    SB_FIGURE_NORMS,        /* local norms (sb_norms, `securebase norms`) */
    SB_FIGURE_INSTRUMENT,   /* the instrument's published figures */
    SB_FIGURE_FIRST_VISITS  /* the input's own first visits (sb_first_visits) */
} sb_figure_origin;

/* "option", "norms", "instrument", "first-visits"; "" for none. */
const char *sb_figure_origin_name(sb_figure_origin o);

/* What reliable change of one score uses, decided once per score. */
typedef struct sb_change_plan {
    double reliability;   /* NaN when there is none */
    double sd;            /* NaN when there is none */
    /* The figures used (owned by the instrument or the norms); NULL when
     * the caller gave the figure or there is none. */
    const sb_reliability *reliability_source;
    const sb_norm *sd_source;
    sb_figure_origin reliability_from, sd_from;
    double threshold;     /* the reliable change, SB_RCI_CRITICAL x S_diff;
                             NaN without a usable reliability and SD */
    sb_cutoffs cutoffs;   /* from the norms; has_* 0 where they are absent */
    sb_direction direction;
} sb_change_plan;

/* Where the figures of a plan may come from, besides the instrument. */
typedef struct sb_change_sources {
    double reliability;          /* given by the caller; NaN: none */
    double sd;                   /* given by the caller; NaN: none */
    const sb_norms *local;       /* a practice's norms; NULL: none */
    /* Norms of the input's own first visits (sb_first_visits_norms); used
     * only where they rest on SB_FIRST_VISITS_MIN people or more. */
    const sb_norms *first_visits;
} sb_change_sources;

/* No figures given, no norms. */
void sb_change_sources_init(sb_change_sources *src);

/*
 * Decides the figures for score `s` of answers on `scale`, each from the
 * first source that has it:
 * reliability: the given one, the local norms' alpha, the instrument's (a
 *   retest figure before alpha), the alpha of the first visits;
 * SD: the given one, the local norms', the instrument's clinical sample's
 *   (Jacobson & Truax use the pre-treatment SD), its general sample's, the
 *   first visits'.
 * Cutoffs come from the instrument's norms, local norms standing in for
 * those of their own population; never from first visits, since nothing
 * says whose they are.
 */
void sb_change_plan_from(const sb_instrument *inst, size_t s, sb_scale scale,
                         const sb_change_sources *src, sb_change_plan *out);
/* The same with only figures given (NaN: none) and the instrument's. */
void sb_change_plan_make(const sb_instrument *inst, size_t s, sb_scale scale,
                         double given_reliability, double given_sd,
                         sb_change_plan *out);
/* What the plan lacks for a reliable change index ("reliability", "SD" or
 * "reliability and no SD"), or NULL when it has both. */
const char *sb_change_plan_missing(const sb_change_plan *p);

/* ------------------------------------------------------------------ */
/* Administrations grouped by person                                   */
/* ------------------------------------------------------------------ */

/* One administration of one person, valid during the callback. */
typedef struct sb_administration {
    const char *id;
    const char *date;      /* as written in the file */
    unsigned long line;    /* where the row starts in the file */
    const double *value;   /* sb_instrument_score_count() scores, NaN = empty */
} sb_administration;

/* One person's administrations in date order (n >= 1). */
typedef sb_status (*sb_person_fn)(void *ctx, const sb_administration *adm,
                                  size_t n, sb_error *err);

typedef enum sb_grouping {
    /* Hold one person at a time and hand nothing on: checks every row and
     * whether the input is grouped by id. When an id comes back after other
     * people's rows, add returns SB_ERR_STATE, so that a reader stops, and
     * sb_grouper_grouped() becomes 0. */
    SB_GROUP_CHECK,
    /* The input is grouped by id: each person is handed on when the next
     * begins, holding one person's rows. An id that comes back is an error. */
    SB_GROUP_STREAM,
    /* Any order: every row is kept and people are handed on at the end. */
    SB_GROUP_SORT
} sb_grouping;

typedef struct sb_grouper sb_grouper;

/*
 * Gathers scored rows by person. Dates are ISO (YYYY-MM-DD, optionally with
 * " HH:MM[:SS]" or "THH:MM[:SS]") or whole session numbers, one kind per
 * input; a person's administrations are sorted by date, and two on the same
 * date are an error naming both lines. People are handed on in the order
 * they first appear, so STREAM and SORT give the same sequence on grouped
 * input. Flagged rows (lenient scoring) are left out. Memory: CHECK and
 * STREAM hold one person's rows plus an 8-byte hash per person seen (16-32
 * bytes with the hash table's spare room); SORT holds
 * every row's scores, id and date. `origin` and `date_column` (for messages)
 * must outlive the grouper; the caller owns *out (sb_grouper_free).
 */
sb_status sb_grouper_new(size_t score_count, sb_grouping mode,
                         const char *origin, const char *date_column,
                         sb_person_fn fn, void *ctx, sb_grouper **out,
                         sb_error *err);
sb_status sb_grouper_add(sb_grouper *g, const sb_scored_row *row,
                         sb_error *err);
/* Hands on what is held (STREAM, SORT) after the last row. */
sb_status sb_grouper_finish(sb_grouper *g, sb_error *err);
/* 1 while no id has come back after other people's rows. */
int sb_grouper_grouped(const sb_grouper *g);
/* People handed on (or, in CHECK, completed) so far. */
unsigned long sb_grouper_people(const sb_grouper *g);
/* The most rows held at once. */
size_t sb_grouper_peak_rows(const sb_grouper *g);
void sb_grouper_free(sb_grouper *g);

/* ------------------------------------------------------------------ */
/* First visits: each person's earliest administration                 */
/* ------------------------------------------------------------------ */

/*
 * The fewest first visits from which `change` takes a file's own alpha and
 * SD when no other figure exists (docs/instruments.md says why 30).
 */
#define SB_FIRST_VISITS_MIN 30

typedef struct sb_first_visits sb_first_visits;

/*
 * Keeps, per id, the scored row with the earliest date (dates as the
 * grouper reads them), answers included, so that norms of the intake can
 * be computed from a file of repeated administrations. Flagged rows are
 * left out. Memory: one row's answers and scores plus its id per person.
 * `inst` and `origin` (for messages) must outlive it; the caller owns *out
 * (sb_first_visits_free).
 */
sb_status sb_first_visits_new(const sb_instrument *inst, const char *origin,
                              sb_first_visits **out, sb_error *err);
/* Errors: a row without an id or with a date that is neither YYYY-MM-DD
 * (with an optional time) nor a session number. */
sb_status sb_first_visits_add(sb_first_visits *fv, const sb_scored_row *row,
                              sb_error *err);
/* People seen so far. */
size_t sb_first_visits_people(const sb_first_visits *fv);
/* Norms (N, mean, SD and alpha per score) of the first visits on answers on
 * `scale`, as a clinical sample labelled `label` and dated `date`
 * (YYYY-MM-DD); the caller owns *out (sb_norms_free). */
sb_status sb_first_visits_norms(const sb_first_visits *fv, sb_scale scale,
                                const char *date, const char *label,
                                sb_norms **out, sb_error *err);
void sb_first_visits_free(sb_first_visits *fv);

/* ------------------------------------------------------------------ */
/* Sudden gains and losses                                             */
/* ------------------------------------------------------------------ */

/*
 * Finds sudden gains and losses in one person's series of `n` scores in
 * session order (an interval whose window holds a NaN is skipped), each
 * interval tested with sb_sudden_test() (base.h: the Tang & DeRubeis
 * criteria), `threshold` being the reliable change (1.96 S_diff) and the
 * scale's better end that of `scale` and `direction`. Writes up to `max`
 * events to `out` and returns how many were found (may exceed max).
 */
size_t sb_sudden_find(const double *scores, size_t n, double threshold,
                      sb_scale scale, sb_direction direction, sb_sudden *out,
                      size_t max);

#ifdef __cplusplus
}
#endif
#endif
