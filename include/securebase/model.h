/*
 * securebase model layer: the scenario structs, the model constants, and the
 * population simulator. The model reads no files and prints nothing:
 * scenarios arrive as validated structs, results leave as structs.
 * The equations are in docs/model.md.
 */
#ifndef SECUREBASE_MODEL_H
#define SECUREBASE_MODEL_H

#include <securebase/base.h>

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SB_NAME_MAX 64
#define SB_TEXT_MAX 256
#define SB_MAX_RELATIONSHIPS 16
/* Most dated entries in a scenario's timeline. */
#define SB_TIMELINE_MAX 64
/* Longest run, in weeks after week 0. */
#define SB_MAX_WEEKS 4160

/* Scale of the simulated working model: ECR-R mean scores. */
#define SB_SCALE_MIN 1.0
#define SB_SCALE_MAX 7.0

/* The four prototypes of early caregiving (Bartholomew & Horowitz 1991). */
enum {
    SB_PROTO_SECURE = 0,
    SB_PROTO_PREOCCUPIED, /* high anxiety, low avoidance */
    SB_PROTO_DISMISSING,  /* low anxiety, high avoidance */
    SB_PROTO_FEARFUL,     /* high anxiety, high avoidance */
    SB_PROTO_COUNT
};

/* A normal distribution truncated to [min, max] (resampled, not clipped). */
typedef struct sb_dist {
    double mean;
    double sd;
    double min;
    double max;
} sb_dist;

/*
 * Model constants: every one is a double, listed with its unit, range,
 * default and source in the table returned by sb_params_table(), which the
 * scenario loader and docs/model.md are driven from.
 */
typedef struct sb_params {
    /* prototype and its pull */
    double proto_center[SB_PROTO_COUNT][2]; /* not in the table: per class */
    double proto_sd;          /* within-class SD of the prototype */
    double pull;              /* weekly pull of x toward the prototype */
    double pull_consolidation;/* how much c weakens the pull (0..1) */
    double revision;          /* weekly prototype revision toward x, times c */
    /* experiences in relationships */
    double learning;          /* update per contact, times weight */
    double learning_awareness;/* extra update per unit of s */
    double session_intensity; /* a therapy session counts as this many contacts */
    double avoidance_learning;/* avoidance updates this fraction as fast */
    double quality_noise;     /* SD of a contact's quality when inconsistent */
    double bias_anxiety;      /* perceived-quality bias per unit anxiety */
    double bias_avoidance;    /* perceived-quality discount per unit avoidance */
    double target_secure;     /* where good contact with a secure other pulls */
    double target_insecure;   /* where good contact with an insecure other pulls */
    double rejection_push;    /* avoidance push of a poorly perceived contact */
    double inconsistency_push;/* anxiety push of an unpredictable contact */
    double breakthrough_rate; /* chance per well-perceived attended session, times s */
    double breakthrough_share;/* share of the gap to target closed at once */
    /* self-awareness and consolidation */
    double awareness_therapy; /* s gain per attended session, times (1-s) */
    double awareness_reflection; /* s gain per reflection, times (1-s) */
    double awareness_decay;   /* weekly decay of s toward the person's baseline */
    double consolidation_practice; /* c gain per practice, times (0.5+s)(1-c) */
    double consolidation_therapy;  /* c gain per attended session */
    double consolidation_decay;    /* weekly decay of c */
    /* stressful life events */
    double stress_size;       /* mean size of an event (exponential) */
    double stress_buffer;     /* share of an event that full support absorbs */
    double stress_to_prototype; /* share of the gap to the prototype closed per
                                 * unit buffered size, at most 1 */
    double stress_anxiety;    /* anxiety push per unit size */
    double stress_avoidance;  /* avoidance push per unit size */
    double stress_consolidation; /* how much c shrinks a stressful event */
    double stress_awareness;  /* how much s shrinks a stressful event */
    double stress_lasting;    /* share of events that leave lasting change */
    double residue_decay;     /* weekly decay of a lasting event's residue */
    /* noise, measurement, and definitions used in summaries */
    double noise;             /* SD of the residue's weekly drift */
    double state_sd;          /* SD of a week's momentary state */
    double sem_anxiety;       /* measurement error SD of an observed score */
    double sem_avoidance;
    double secure_cutoff;     /* secure: anxiety and avoidance below this */
    double stable_weeks;      /* weeks in a row for "stable security" */
    double setback_rise;      /* rise of the composite that is a setback */
    double burn_in_weeks;     /* weeks run before week 0 to reach equilibrium */
} sb_params;

/* Describes one member of sb_params for loaders, docs and validation. */
typedef struct sb_param_info {
    const char *name;    /* key in a scenario's `model:` mapping */
    size_t offset;       /* offsetof(sb_params, member) */
    double min, max;     /* allowed range, inclusive */
    const char *unit;
    const char *meaning;
    const char *source;  /* citation, or "assumption" */
    int whole;           /* 1: a count (of weeks) that must be a whole number */
} sb_param_info;

/* The defaults, with their sources in the table. */
void sb_params_default(sb_params *p);
/* The table of scalar parameters (static storage; not to be freed). */
const sb_param_info *sb_params_table(size_t *count);
/* Looks a parameter up by name; NULL when unknown. */
const sb_param_info *sb_params_find(const char *name);

typedef enum sb_relationship_kind {
    SB_REL_PARTNER = 0,
    SB_REL_FRIEND,
    SB_REL_FAMILY,
    SB_REL_OTHER,
    SB_REL_KIND_COUNT
} sb_relationship_kind;

/* A kind of relationship that a share of the population has. */
typedef struct sb_relationship {
    char name[SB_NAME_MAX];
    sb_relationship_kind kind;
    double share;             /* share of people who have it, 0..1 */
    double responsiveness;    /* how sensitively the other responds, 0..1 */
    double consistency;       /* how predictably, 0..1 */
    double contacts_per_week; /* mean contacts a week (Poisson), 0..50 */
    double weight;            /* attachment weight, 0..1 */
    int secure;               /* the other person is secure (1) or not (0) */
    int start_week;           /* first week it is there (0 = already there) */
    int end_week;             /* first week it is gone; -1 = never ends */
} sb_relationship;

/* Therapy: a scheduled reparative relationship. */
typedef struct sb_therapy {
    double sessions_per_week; /* 0 = no therapy; 0.5 = fortnightly; max 7 */
    int start_week;
    int weeks;                /* length of the course, >= 0 */
    double attendance;        /* chance a scheduled session is attended */
    double alliance;          /* the therapist's responsiveness, 0..1 */
    double consistency;       /* the therapist's predictability, 0..1 */
    double weight;            /* attachment weight of the therapist, 0..1 */
} sb_therapy;

/* A habit (reflection, practice) that runs from start to end. */
typedef struct sb_habit {
    double per_week;          /* mean episodes a week (Poisson), 0..50 */
    int start_week;
    int end_week;             /* -1 = to the end of the run */
} sb_habit;

/*
 * Kinds of life event that a timeline can schedule. Each has a direction
 * (toward insecurity or toward security) and a default size; the sizes are
 * on the scale of the random stressful events (mean `stress_size`).
 */
typedef enum sb_event_kind {
    SB_EVENT_NONE = 0,            /* the entry changes inputs only */
    SB_EVENT_NEGATIVE,            /* a stressful event of a given size */
    SB_EVENT_POSITIVE,            /* a good event of a given size */
    SB_EVENT_BREAKUP,             /* a partner relationship ends badly */
    SB_EVENT_LOSS,                /* the death of someone close */
    SB_EVENT_NEW_SECURE_PARTNER,  /* a new partner who is secure */
    SB_EVENT_RECONCILIATION,      /* a rift with someone close is mended */
    SB_EVENT_KIND_COUNT
} sb_event_kind;

/* Describes one kind of event for loaders and docs (static storage). */
typedef struct sb_event_info {
    const char *name;     /* as written in a scenario file: "breakup" */
    int positive;         /* 1: pushes toward security; 0: toward insecurity */
    double size;          /* default size */
    const char *meaning;
} sb_event_info;

/* The kind's description; NULL when out of range. */
const sb_event_info *sb_event_kind_info(int kind);

/* Therapy settings that a timeline entry changes; NAN leaves one as it is. */
typedef struct sb_therapy_change {
    double sessions_per_week, attendance, alliance, consistency, weight;
} sb_therapy_change;

/*
 * One dated entry of a scenario's timeline: a life event, changes of inputs
 * from that week on, or both, for a share of the people. What an entry does
 * in week `week` shows from week + 1, as with every input. A NAN number or an
 * empty name means "no change".
 */
typedef struct sb_timeline_entry {
    int week;                 /* 0..SB_MAX_WEEKS */
    double share;             /* share of people the entry applies to */
    int event;                /* sb_event_kind; SB_EVENT_NONE: no event */
    double size;              /* the event's size before buffering, > 0 */
    sb_therapy_change therapy;/* within the course only */
    double reflection_per_week; /* mean reflections a week from now on */
    double practice_per_week;   /* mean practice episodes a week */
    double stress_factor;     /* random stressful events: the person's own
                               * rate times this, from now on */
    double positive_factor;   /* random good events: likewise */
    char begins[SB_NAME_MAX]; /* a relationship that begins (again) */
    char ends[SB_NAME_MAX];   /* a relationship that ends */
} sb_timeline_entry;

/* An entry that does nothing yet: week 0, share 1, no event, no change. */
void sb_timeline_entry_default(sb_timeline_entry *e);

/* Who is simulated. */
typedef struct sb_population {
    double prototype_share[SB_PROTO_COUNT]; /* sums to 1 */
    sb_dist plasticity;       /* multiplier of experience updates */
    sb_dist stress_per_year;  /* rate of stressful life events */
    sb_dist positive_per_year;/* rate of good life events */
    sb_dist awareness;        /* baseline self-awareness s, 0..1 */
    /* 0: the working model starts at prototype + residue, where a person's
     * life holds it (a population). 1: it starts at the prototype drawn
     * from proto_center and proto_sd, and the prototype is set back by the
     * residue (a projection from one person's known scores). Not in
     * scenario files; the care layer sets it. */
    int start_at_prototype;
} sb_population;

/* One scenario, fully resolved (no `base:` left) and validated. */
typedef struct sb_scenario {
    char name[SB_NAME_MAX];
    char description[SB_TEXT_MAX];
    sb_population population;
    sb_therapy therapy;
    sb_habit reflection;
    sb_habit practice;
    size_t relationship_count;
    sb_relationship relationships[SB_MAX_RELATIONSHIPS];
    size_t timeline_count;    /* any order; in one week, in this order */
    sb_timeline_entry timeline[SB_TIMELINE_MAX];
    int followup_weeks;       /* weeks after therapy ends */
    sb_params params;
} sb_scenario;

/* Fills a scenario with the defaults (general population, no therapy). */
void sb_scenario_default(sb_scenario *sc);
/* Checks every field against its range; names the field and value. */
sb_status sb_scenario_check(const sb_scenario *sc, sb_error *err);
/* Total simulated weeks: therapy start + length + follow-up. */
int sb_scenario_weeks(const sb_scenario *sc);
/* Week at which therapy ends (start + weeks). */
int sb_scenario_therapy_end(const sb_scenario *sc);

/*
 * Field tables: the one description of every scenario field, its type and
 * allowed range, shared by sb_scenario_check() and the scenario loader (which
 * adds file:line:column to the same messages).
 */
typedef enum sb_field_type {
    SB_FIELD_DOUBLE,
    SB_FIELD_INT,
    SB_FIELD_BOOL,   /* stored as int 0/1 */
    SB_FIELD_STRING, /* char array of `size` bytes */
    SB_FIELD_ENUM,   /* int: min + the index of one of `names` */
    SB_FIELD_DIST    /* sb_dist; min/max bound mean, min and max; sd <= max-min */
} sb_field_type;

typedef struct sb_field_info {
    const char *key;
    sb_field_type type;
    size_t offset;          /* within the group's struct */
    double min, max;        /* inclusive range of numbers */
    size_t size;            /* strings: buffer size */
    const char *const *names; /* enums: NULL-terminated names; the value
                               * is min + the index of the name */
    const char *meaning;
    int optional;           /* 1: NAN, "" or an enum's 0 mean "not given" */
} sb_field_info;

typedef enum sb_field_group {
    SB_FIELDS_SCENARIO,     /* sb_scenario top level scalars */
    SB_FIELDS_POPULATION,   /* sb_population (prototype_share is separate) */
    SB_FIELDS_PROTOTYPE_SHARE, /* the four shares, keyed by prototype name */
    SB_FIELDS_THERAPY,      /* sb_therapy */
    SB_FIELDS_HABIT,        /* sb_habit (reflection, practice) */
    SB_FIELDS_RELATIONSHIP, /* sb_relationship */
    SB_FIELDS_TIMELINE,     /* sb_timeline_entry's own scalars */
    SB_FIELDS_THERAPY_CHANGE /* sb_therapy_change (timeline `therapy:`) */
} sb_field_group;

/* The fields of a group (static storage). */
const sb_field_info *sb_scenario_fields(sb_field_group group, size_t *count);
/* Name of a prototype class, e.g. "preoccupied". */
const char *sb_prototype_name(int proto);
/* Name of a relationship kind, e.g. "partner". */
const char *sb_relationship_kind_name(sb_relationship_kind kind);
/* Index of the relationship named `name`, or -1. */
int sb_scenario_relationship_index(const sb_scenario *sc, const char *name);

#ifdef __cplusplus
}
#endif
#endif
