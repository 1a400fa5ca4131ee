/*
 * The instrument struct, shared inside the measure layer only: the loader
 * fills it, scoring, alpha and change read it. Everything it points to is
 * owned by the instrument and freed by sb_instrument_free().
 */
#ifndef SB_MEASURE_INSTRUMENT_H
#define SB_MEASURE_INSTRUMENT_H

#include <securebase/measure.h>

#define SB_INST_MAX_ITEMS 512
#define SB_INST_MAX_TARGETS 8
#define SB_INST_MAX_SUBSCALES 16
#define SB_INST_MAX_DERIVED 16
#define SB_INST_MAX_FUNCTIONS 8
#define SB_INST_MAX_COMPONENTS 8

/* A subscale as declared: items numbered within one target (0-based). */
typedef struct sb__inst_subscale {
    const char *name;
    size_t *items;
    size_t item_count;
    unsigned max_missing;
    sb_direction direction;
    sb_reliability *reliability;
    size_t reliability_count;
    sb_norm *norms;
    size_t norm_count;
} sb__inst_subscale;

typedef enum sb__derived_kind {
    SB_DERIVED_SUM_DIFF,    /* sum of `plus` scores minus sum of `minus` */
    SB_DERIVED_TARGET_MEAN  /* mean of one subscale over all targets */
} sb__derived_kind;

typedef struct sb__inst_derived {
    const char *name;
    sb__derived_kind kind;
    size_t plus[SB_INST_MAX_COMPONENTS]; /* score indexes */
    size_t plus_count;
    size_t minus[SB_INST_MAX_COMPONENTS];
    size_t minus_count;
    size_t subscale;                     /* TARGET_MEAN: declared subscale */
    sb_direction direction;
    sb_reliability *reliability;
    size_t reliability_count;
    sb_norm *norms;
    size_t norm_count;
} sb__inst_derived;

typedef enum sb__category_method {
    SB_CATEGORY_NONE = 0,
    SB_CATEGORY_FISHER,  /* highest of linear classification functions */
    SB_CATEGORY_HIGHEST  /* highest of some scores, ties reported */
} sb__category_method;

typedef struct sb__inst_function {
    const char *name;
    double constant;
    double weight[SB_INST_MAX_COMPONENTS];
    size_t score[SB_INST_MAX_COMPONENTS];
    size_t count;
} sb__inst_function;

typedef struct sb__inst_category {
    sb__category_method method;
    sb_scale scale;          /* FISHER: the scale the functions were fitted on */
    sb__inst_function functions[SB_INST_MAX_FUNCTIONS];
    size_t function_count;
    size_t of[SB_INST_MAX_COMPONENTS]; /* HIGHEST: score indexes */
    size_t of_count;
} sb__inst_category;

/* One output score after expansion over targets. */
typedef struct sb__inst_score {
    const char *name;
    int is_items;
    size_t *items;           /* flat indexes into the answers */
    size_t item_count;
    unsigned max_missing;
    sb_direction direction;
    const sb__inst_subscale *subscale; /* item-based: its declaration */
    const sb__inst_derived *derived;   /* derived: its declaration */
    size_t target;           /* item-based with targets */
} sb__inst_score;

struct sb_instrument {
    const char *name;
    const char *title;
    const char *source;
    const char *column_pattern;
    sb_scale scale;
    int sum_rule;            /* 0: mean of items, 1: (prorated) sum */
    size_t items_per_target;
    size_t item_count;       /* items_per_target * max(1, target_count) */
    const char *targets[SB_INST_MAX_TARGETS];
    size_t target_count;
    unsigned char reversed[SB_INST_MAX_ITEMS]; /* within a target */
    sb__inst_subscale subscales[SB_INST_MAX_SUBSCALES];
    size_t subscale_count;
    sb__inst_derived derived[SB_INST_MAX_DERIVED];
    size_t derived_count;
    sb__inst_category category;
    sb__inst_score *scores;
    size_t score_count;
    /* every allocation above, freed together */
    void **owned;
    size_t owned_count, owned_cap;
};

/* Allocates memory owned by the instrument (zeroed); NULL on failure. */
void *sb__inst_alloc(sb_instrument *inst, size_t size);
char *sb__inst_strdup(sb_instrument *inst, const char *s);
/* Builds inst->scores from the declarations (after loading). */
sb_status sb__inst_expand(sb_instrument *inst, const char *origin,
                          sb_error *err);
/* Index of a score by name, or (size_t)-1. */
size_t sb__inst_score_index(const sb_instrument *inst, const char *name);

#endif
