/*
 * Instrument files: read by the hardened YAML tree reader (size, nesting and
 * node limits; no anchors, aliases or tags; every node with its line and
 * column) and validated field by field, so a wrong key, an item outside the
 * questionnaire or an item in two subscales is reported as
 * file:line:column with the offending value. The format is in
 * docs/instruments.md.
 */
#include "measure/instrument.h"

#include "base/yaml_tree.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 32

typedef struct loader {
    const char *origin;
    sb_error *err;
    sb_instrument *inst;
} loader;

static sb_status fail_at(loader *L, const sb__ynode *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static sb_status fail_at(loader *L, const sb__ynode *n, const char *fmt, ...)
{
    char msg[SB_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned long line = n ? n->line : 0;
    unsigned long col = n ? n->column : 0;
    return sb_error_set(L->err, SB_ERR_INVALID, L->origin, line, col, "%s", msg);
}

static sb_status nomem(loader *L)
{
    return sb_error_set(L->err, SB_ERR_NOMEM, L->origin, 0, 0, "out of memory");
}

/* The text of a scalar node; rejects other nodes and embedded NULs. */
static sb_status scalar(loader *L, const sb__ynode *n, const char *what,
                        const char **out)
{
    *out = "";
    if (!n || n->kind != SB_YNODE_SCALAR)
        return fail_at(L, n, "%s must be a single value", what);
    const char *s = n->text;
    if (strlen(s) != n->len)
        return fail_at(L, n, "%s contains a NUL byte", what);
    *out = s;
    return SB_OK;
}

static sb_status text_field(loader *L, const sb__ynode *n, const char *what,
                            const char **out)
{
    const char *s;
    sb_status st = scalar(L, n, what, &s);
    if (st)
        return st;
    if (!s[0])
        return fail_at(L, n, "%s must not be empty", what);
    if (strlen(s) > 2000)
        return fail_at(L, n, "%s is longer than 2000 characters", what);
    *out = sb__inst_strdup(L->inst, s);
    return *out ? SB_OK : nomem(L);
}

static sb_status name_field(loader *L, const sb__ynode *n, const char *what,
                            int allow_dash, const char **out)
{
    const char *s;
    sb_status st = scalar(L, n, what, &s);
    if (st)
        return st;
    size_t len = strlen(s);
    int ok = len > 0 && len <= NAME_MAX_LEN && islower((unsigned char)s[0]);
    for (size_t i = 0; ok && i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        ok = islower(c) || isdigit(c) || c == '_' || (allow_dash && c == '-');
    }
    if (!ok)
        return fail_at(L, n,
                       "%s '%.64s' must be 1-%d lower-case letters, digits or "
                       "'%s', starting with a letter",
                       what, s, NAME_MAX_LEN, allow_dash ? "-" : "_");
    *out = sb__inst_strdup(L->inst, s);
    return *out ? SB_OK : nomem(L);
}

static sb_status long_field(loader *L, const sb__ynode *n, const char *what,
                            long lo, long hi, long *out)
{
    const char *s;
    sb_status st = scalar(L, n, what, &s);
    if (st)
        return st;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return fail_at(L, n, "%s must be a whole number, got '%.64s'", what, s);
    if (v < lo || v > hi)
        return fail_at(L, n, "%s must be in %ld..%ld, got %ld", what, lo, hi, v);
    *out = v;
    return SB_OK;
}

static sb_status double_field(loader *L, const sb__ynode *n, const char *what,
                              double lo, double hi, double *out)
{
    const char *s;
    sb_status st = scalar(L, n, what, &s);
    if (st)
        return st;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return fail_at(L, n, "%s must be a number, got '%.64s'", what, s);
    if (v < lo || v > hi)
        return fail_at(L, n, "%s must be in %g..%g, got %g", what, lo, hi, v);
    *out = v;
    return SB_OK;
}

static sb_status scale_field(loader *L, const sb__ynode *n, sb_scale *out)
{
    const char *s;
    sb_status st = scalar(L, n, "scale", &s);
    if (st)
        return st;
    sb_error why;
    if (sb_scale_parse(s, out, &why) != SB_OK)
        return fail_at(L, n, "scale %s", why.message);
    return SB_OK;
}

/* Checks a mapping's keys against `allowed` (NULL-terminated); the tree
 * reader has already refused a key given twice. */
static sb_status check_keys(loader *L, const sb__ynode *map, const char *what,
                            const char *const *allowed)
{
    if (!map || map->kind != SB_YNODE_MAP)
        return fail_at(L, map, "%s must be a mapping of key: value", what);
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const sb__ynode *k = map->kids[i];
        const char *key;
        sb_status st = scalar(L, k, "a key", &key);
        if (st)
            return st;
        int known = 0;
        for (const char *const *a = allowed; *a; a++)
            known |= !strcmp(*a, key);
        if (!known) {
            char list[512] = "";
            for (const char *const *a = allowed; *a; a++) {
                strncat(list, *a, sizeof list - strlen(list) - 1);
                if (a[1])
                    strncat(list, ", ", sizeof list - strlen(list) - 1);
            }
            return fail_at(L, k, "unknown key '%.64s' in %s (known: %s)", key,
                           what, list);
        }
    }
    return SB_OK;
}

static const sb__ynode *get(const sb__ynode *map, const char *key)
{
    return sb__ymap_get(map, key, NULL);
}

static sb_status require(loader *L, const sb__ynode *map, const char *key,
                         const char *what, const sb__ynode **out)
{
    *out = get(map, key);
    if (!*out)
        return fail_at(L, map, "%s needs '%s'", what, key);
    return SB_OK;
}

static sb_status sequence(loader *L, const sb__ynode *n, const char *what,
                          size_t max)
{
    if (!n || n->kind != SB_YNODE_SEQ)
        return fail_at(L, n, "%s must be a list [ ... ]", what);
    if (n->count > max)
        return fail_at(L, n, "%s has %zu entries, more than %zu", what,
                       n->count, max);
    return SB_OK;
}

/* Each element `var` of the list `n`. */
#define SEQ_EACH(n, var)                                                     \
    for (size_t var##_i = 0; var##_i < (n)->count; var##_i++)                \
        for (const sb__ynode *var = (n)->kids[var##_i]; var; var = NULL)

/*
 * A list of item numbers and ranges ("26-31") within 1..max, each at most
 * once; marks them in `seen` (1-based numbers, 0-based slots) and appends to
 * items[] (0-based) when items is not NULL.
 */
static sb_status item_list(loader *L, const sb__ynode *n, const char *what,
                           size_t max, unsigned char *seen, size_t *items,
                           size_t *count)
{
    sb_status st = sequence(L, n, what, SB_INST_MAX_ITEMS);
    if (st)
        return st;
    *count = 0;
    SEQ_EACH(n, e) {
        const char *s;
        if ((st = scalar(L, e, what, &s)))
            return st;
        long lo, hi;
        char *end;
        errno = 0;
        lo = strtol(s, &end, 10);
        int ok = end != s && !errno && isdigit((unsigned char)s[0]);
        hi = lo;
        if (ok && *end == '-') {
            const char *h = end + 1;
            hi = strtol(h, &end, 10);
            ok = end != h && !errno && isdigit((unsigned char)h[0]);
        }
        if (!ok || *end)
            return fail_at(L, e,
                           "%s: '%.64s' is not an item number or a range like "
                           "26-31", what, s);
        if (lo > hi)
            return fail_at(L, e, "%s: range '%.64s' runs backwards", what, s);
        for (long i = lo; i <= hi; i++) {
            if (i < 1 || (size_t)i > max)
                return fail_at(L, e,
                               "%s: item %ld is outside the questionnaire's "
                               "items 1..%zu", what, i, max);
            if (seen[i - 1])
                return fail_at(L, e, "%s: item %ld is listed more than once%s",
                               what, i, items ? " (an item belongs to one subscale)" : "");
            seen[i - 1] = 1;
            if (items)
                items[(*count)] = (size_t)(i - 1);
            (*count)++;
        }
    }
    return SB_OK;
}

/* A field that takes one of two words; *second says which was given. */
static sb_status two_words(loader *L, const sb__ynode *n, const char *what,
                           const char *first, const char *second_word,
                           int *second)
{
    const char *s;
    sb_status st = scalar(L, n, what, &s);
    if (st)
        return st;
    *second = !strcmp(s, second_word);
    if (!*second && strcmp(s, first))
        return fail_at(L, n, "%s must be '%s' or '%s', got '%.64s'", what,
                       first, second_word, s);
    return SB_OK;
}

static sb_status direction_field(loader *L, const sb__ynode *n,
                                 sb_direction *out)
{
    int better;
    sb_status st = two_words(L, n, "higher", "worse", "better", &better);
    if (st == SB_OK)
        *out = better ? SB_HIGHER_BETTER : SB_HIGHER_WORSE;
    return st;
}

static const char *const reliability_keys[] = {"kind", "value", "scale",
    "targets", "sample", "source", "note", NULL};
static const char *const norm_keys[] = {"population", "mean", "sd", "n",
    "scale", "targets", "sample", "source", "note", NULL};

/*
 * The optional `targets: [partner]` of a reliability or norms entry: figures
 * published per relationship (ECR-RS) apply to those relationships only.
 * Allowed on a subscale of an instrument with targets, never on a derived
 * score, which already spans all of them.
 */
static sb_status figure_targets(loader *L, const sb__ynode *entry,
                                int allowed, unsigned *mask)
{
    *mask = 0;
    const sb__ynode *n = get(entry, "targets");
    if (!n)
        return SB_OK;
    if (!allowed)
        return fail_at(L, n, "targets may only narrow a subscale's figures "
                             "in an instrument with targets");
    sb_status st = sequence(L, n, "targets", SB_INST_MAX_TARGETS);
    if (st)
        return st;
    if (n->count == 0)
        return fail_at(L, n, "targets must name at least one relationship");
    SEQ_EACH(n, e) {
        const char *t;
        if ((st = scalar(L, e, "target", &t)))
            return st;
        size_t i = 0;
        while (i < L->inst->target_count && strcmp(L->inst->targets[i], t))
            i++;
        if (i == L->inst->target_count)
            return fail_at(L, e, "targets: '%.64s' is not one of the "
                                 "instrument's targets", t);
        if (*mask & (1u << i))
            return fail_at(L, e, "targets: '%s' is listed twice", t);
        *mask |= 1u << i;
    }
    return SB_OK;
}

/* Room for one entry per element of the list `n` (at most 16). */
static sb_status entries(loader *L, const sb__ynode *n, const char *what,
                         size_t size, void **out)
{
    sb_status st = sequence(L, n, what, 16);
    if (st)
        return st;
    *out = sb__inst_alloc(L->inst, n->count * size);
    return *out ? SB_OK : nomem(L);
}

/* What every published figure states: its scale, sample, source, targets. */
static sb_status provenance(loader *L, const sb__ynode *e, const char *what,
                            int targets_allowed, sb_scale *scale,
                            const char **sample, const char **source,
                            unsigned *targets)
{
    const sb__ynode *v;
    sb_status st;
    if ((st = require(L, e, "scale", what, &v)) ||
        (st = scale_field(L, v, scale)) ||
        (st = require(L, e, "sample", what, &v)) ||
        (st = text_field(L, v, "sample", sample)) ||
        (st = require(L, e, "source", what, &v)) ||
        (st = text_field(L, v, "source", source)))
        return st;
    return figure_targets(L, e, targets_allowed, targets);
}

static sb_status reliabilities(loader *L, const sb__ynode *n,
                               int targets_allowed, sb_reliability **out,
                               size_t *count)
{
    static const char what[] = "a reliability entry";
    void *room;
    sb_status st = entries(L, n, "reliability", sizeof **out, &room);
    if (st)
        return st;
    *out = room;
    *count = 0;
    SEQ_EACH(n, e) {
        if ((st = check_keys(L, e, what, reliability_keys)))
            return st;
        sb_reliability *r = &(*out)[(*count)++];
        const sb__ynode *v;
        if ((st = require(L, e, "kind", what, &v)) ||
            (st = two_words(L, v, "kind", "alpha", "retest", &r->retest)) ||
            (st = require(L, e, "value", what, &v)) ||
            (st = double_field(L, v, "value", 0.0, 0.999, &r->value)) ||
            (st = provenance(L, e, what, targets_allowed, &r->scale,
                             &r->sample, &r->source, &r->targets)))
            return st;
    }
    return SB_OK;
}

static sb_status norms(loader *L, const sb__ynode *n, int targets_allowed,
                       sb_norm **out, size_t *count)
{
    static const char what[] = "a norms entry";
    void *room;
    sb_status st = entries(L, n, "norms", sizeof **out, &room);
    if (st)
        return st;
    *out = room;
    *count = 0;
    SEQ_EACH(n, e) {
        if ((st = check_keys(L, e, what, norm_keys)))
            return st;
        sb_norm *m = &(*out)[(*count)++];
        const sb__ynode *v;
        if ((st = require(L, e, "population", what, &v)) ||
            (st = two_words(L, v, "population", "functional", "dysfunctional",
                            &m->dysfunctional)) ||
            (st = require(L, e, "mean", what, &v)) ||
            (st = double_field(L, v, "mean", -1000, 1000, &m->mean)) ||
            (st = require(L, e, "sd", what, &v)) ||
            (st = double_field(L, v, "sd", 1e-9, 1000, &m->sd)) ||
            (st = provenance(L, e, what, targets_allowed, &m->scale,
                             &m->sample, &m->source, &m->targets)))
            return st;
        if ((v = get(e, "n")) && (st = double_field(L, v, "n", 0, 1e9, &m->n)))
            return st;
    }
    return SB_OK;
}

static const char *const subscale_keys[] = {"name", "items", "max_missing",
    "higher", "reliability", "norms", "note", NULL};

static sb_status subscales(loader *L, const sb__ynode *n)
{
    sb_instrument *inst = L->inst;
    sb_status st = sequence(L, n, "subscales", SB_INST_MAX_SUBSCALES);
    if (st)
        return st;
    if (n->count == 0)
        return fail_at(L, n, "subscales must list at least one subscale");
    unsigned char seen[SB_INST_MAX_ITEMS] = {0};
    SEQ_EACH(n, e) {
        if ((st = check_keys(L, e, "a subscale", subscale_keys)))
            return st;
        sb__inst_subscale *sub = &inst->subscales[inst->subscale_count];
        const sb__ynode *v;
        if ((st = require(L, e, "name", "a subscale", &v)) ||
            (st = name_field(L, v, "subscale name", 0, &sub->name)))
            return st;
        for (size_t i = 0; i < inst->subscale_count; i++)
            if (!strcmp(inst->subscales[i].name, sub->name))
                return fail_at(L, v, "subscale '%s' is declared twice", sub->name);
        sub->items = sb__inst_alloc(L->inst, inst->items_per_target * sizeof(size_t));
        if (!sub->items)
            return nomem(L);
        if ((st = require(L, e, "items", "a subscale", &v)) ||
            (st = item_list(L, v, "items", inst->items_per_target, seen,
                            sub->items, &sub->item_count)))
            return st;
        if (sub->item_count == 0)
            return fail_at(L, v, "subscale '%s' has no items", sub->name);
        long mm = 0;
        if ((v = get(e, "max_missing")) &&
            (st = long_field(L, v, "max_missing", 0, (long)sub->item_count - 1, &mm)))
            return st;
        sub->max_missing = (unsigned)mm;
        sub->direction = SB_HIGHER_WORSE;
        if ((st = require(L, e, "higher", "a subscale", &v)) ||
            (st = direction_field(L, v, &sub->direction)))
            return st;
        if ((v = get(e, "reliability")) &&
            (st = reliabilities(L, v, inst->target_count > 0, &sub->reliability,
                                &sub->reliability_count)))
            return st;
        if ((v = get(e, "norms")) &&
            (st = norms(L, v, inst->target_count > 0, &sub->norms,
                        &sub->norm_count)))
            return st;
        inst->subscale_count++;
    }
    return SB_OK;
}

static const char *const derived_keys[] = {"name", "plus", "minus",
    "mean_over_targets", "higher", "source", "reliability", "norms", "note",
    NULL};

/* Resolves names in a list of scores declared so far (subscales). */
static sb_status score_refs(loader *L, const sb__ynode *n, const char *what,
                            size_t *out, size_t *count)
{
    sb_status st = sequence(L, n, what, SB_INST_MAX_COMPONENTS);
    if (st)
        return st;
    *count = 0;
    SEQ_EACH(n, e) {
        const char *s;
        if ((st = scalar(L, e, what, &s)))
            return st;
        size_t idx = sb__inst_score_index(L->inst, s);
        if (idx == (size_t)-1)
            return fail_at(L, e, "%s: no score named '%.64s'", what, s);
        for (size_t i = 0; i < *count; i++)
            if (out[i] == idx)
                return fail_at(L, e, "%s: '%s' is listed twice", what, s);
        out[(*count)++] = idx;
    }
    return SB_OK;
}

static sb_status derived_first_pass(loader *L, const sb__ynode *n)
{
    sb_instrument *inst = L->inst;
    sb_status st = sequence(L, n, "derived", SB_INST_MAX_DERIVED);
    if (st)
        return st;
    SEQ_EACH(n, e) {
        if ((st = check_keys(L, e, "a derived score", derived_keys)))
            return st;
        sb__inst_derived *d = &inst->derived[inst->derived_count];
        const sb__ynode *v;
        if ((st = require(L, e, "name", "a derived score", &v)) ||
            (st = name_field(L, v, "derived score name", 0, &d->name)))
            return st;
        for (size_t i = 0; i < inst->subscale_count; i++)
            if (!strcmp(inst->subscales[i].name, d->name) && !inst->target_count)
                return fail_at(L, v, "'%s' is already a subscale", d->name);
        for (size_t i = 0; i < inst->derived_count; i++)
            if (!strcmp(inst->derived[i].name, d->name))
                return fail_at(L, v, "derived score '%s' is declared twice", d->name);
        const char *src;
        if ((st = require(L, e, "source", "a derived score", &v)) ||
            (st = text_field(L, v, "source", &src)) ||
            (st = require(L, e, "higher", "a derived score", &v)) ||
            (st = direction_field(L, v, &d->direction)))
            return st;
        const sb__ynode *mot = get(e, "mean_over_targets");
        if (mot) {
            if (get(e, "plus") || get(e, "minus"))
                return fail_at(L, mot, "a derived score is either "
                               "mean_over_targets or plus/minus, not both");
            if (!inst->target_count)
                return fail_at(L, mot, "mean_over_targets needs 'targets'");
            const char *s;
            if ((st = scalar(L, mot, "mean_over_targets", &s)))
                return st;
            d->kind = SB_DERIVED_TARGET_MEAN;
            d->subscale = (size_t)-1;
            for (size_t i = 0; i < inst->subscale_count; i++)
                if (!strcmp(inst->subscales[i].name, s))
                    d->subscale = i;
            if (d->subscale == (size_t)-1)
                return fail_at(L, mot, "mean_over_targets: no subscale named "
                               "'%.64s'", s);
        } else {
            d->kind = SB_DERIVED_SUM_DIFF;
            if (!get(e, "plus"))
                return fail_at(L, e, "a derived score needs 'plus' (and "
                               "optionally 'minus') or 'mean_over_targets'");
        }
        if ((v = get(e, "reliability")) &&
            (st = reliabilities(L, v, 0, &d->reliability, &d->reliability_count)))
            return st;
        if ((v = get(e, "norms")) &&
            (st = norms(L, v, 0, &d->norms, &d->norm_count)))
            return st;
        inst->derived_count++;
    }
    return SB_OK;
}

/* After expansion every score has an index: resolve plus/minus lists. */
static sb_status derived_second_pass(loader *L, const sb__ynode *n)
{
    sb_status st;
    size_t i = 0;
    SEQ_EACH(n, e) {
        sb__inst_derived *d = &L->inst->derived[i++];
        size_t first = L->inst->subscale_count *
                       (L->inst->target_count ? L->inst->target_count : 1);
        if (sb__inst_score_index(L->inst, d->name) != first + i - 1)
            return fail_at(L, e, "derived score '%s' has the name of another score",
                           d->name);
        if (d->kind != SB_DERIVED_SUM_DIFF)
            continue;
        const sb__ynode *v = get(e, "plus");
        if ((st = score_refs(L, v, "plus", d->plus, &d->plus_count)))
            return st;
        if ((v = get(e, "minus")) &&
            (st = score_refs(L, v, "minus", d->minus, &d->minus_count)))
            return st;
        size_t self = first + i - 1;
        for (size_t k = 0; k < d->plus_count; k++)
            for (size_t j = 0; j < d->minus_count; j++)
                if (d->plus[k] == d->minus[j])
                    return fail_at(L, v, "'%s' is both in plus and minus",
                                   L->inst->scores[d->plus[k]].name);
        for (size_t k = 0; k < d->plus_count; k++)
            if (d->plus[k] >= self)
                return fail_at(L, e, "derived score '%s' may use only "
                               "subscales and earlier derived scores", d->name);
        for (size_t k = 0; k < d->minus_count; k++)
            if (d->minus[k] >= self)
                return fail_at(L, e, "derived score '%s' may use only "
                               "subscales and earlier derived scores", d->name);
    }
    return SB_OK;
}

static const char *const category_keys[] = {"method", "scale", "source",
    "note", "functions", "of", NULL};
static const char *const function_keys[] = {"name", "constant", "weights", NULL};

static sb_status category(loader *L, const sb__ynode *n)
{
    sb__inst_category *c = &L->inst->category;
    sb_status st = check_keys(L, n, "category", category_keys);
    if (st)
        return st;
    const sb__ynode *v;
    const char *method, *src;
    if ((st = require(L, n, "method", "category", &v)) ||
        (st = scalar(L, v, "method", &method)) ||
        (st = require(L, n, "source", "category", &v)) ||
        (st = text_field(L, v, "source", &src)))
        return st;
    v = get(n, "method");
    if (!strcmp(method, "highest")) {
        c->method = SB_CATEGORY_HIGHEST;
        const sb__ynode *of;
        if ((st = require(L, n, "of", "category", &of)) ||
            (st = score_refs(L, of, "of", c->of, &c->of_count)))
            return st;
        if (c->of_count < 2)
            return fail_at(L, of, "category 'of' needs at least two scores");
        if (get(n, "functions"))
            return fail_at(L, get(n, "functions"),
                           "functions belong to method 'fisher'");
        return SB_OK;
    }
    if (strcmp(method, "fisher"))
        return fail_at(L, v, "method must be 'fisher' or 'highest', got '%.64s'",
                       method);
    c->method = SB_CATEGORY_FISHER;
    const sb__ynode *fs;
    if ((st = require(L, n, "scale", "category", &v)) ||
        (st = scale_field(L, v, &c->scale)) ||
        (st = require(L, n, "functions", "category", &fs)) ||
        (st = sequence(L, fs, "functions", SB_INST_MAX_FUNCTIONS)))
        return st;
    if (get(n, "of"))
        return fail_at(L, get(n, "of"), "'of' belongs to method 'highest'");
    SEQ_EACH(fs, e) {
        if ((st = check_keys(L, e, "a classification function", function_keys)))
            return st;
        sb__inst_function *f = &c->functions[c->function_count];
        const sb__ynode *w;
        if ((st = require(L, e, "name", "a classification function", &v)) ||
            (st = name_field(L, v, "function name", 0, &f->name)) ||
            (st = require(L, e, "constant", "a classification function", &v)) ||
            (st = double_field(L, v, "constant", -1e6, 1e6, &f->constant)) ||
            (st = require(L, e, "weights", "a classification function", &w)))
            return st;
        for (size_t i = 0; i < c->function_count; i++)
            if (!strcmp(c->functions[i].name, f->name))
                return fail_at(L, e, "function '%s' is declared twice", f->name);
        if (!w || w->kind != SB_YNODE_MAP)
            return fail_at(L, w, "weights must be a mapping score: weight");
        for (size_t p = 0; p + 1 < w->count; p += 2) {
            const char *key;
            const sb__ynode *k = w->kids[p];
            if ((st = scalar(L, k, "a weight's score", &key)))
                return st;
            size_t idx = sb__inst_score_index(L->inst, key);
            if (idx == (size_t)-1)
                return fail_at(L, k, "weights: no score named '%.64s'", key);
            if (f->count == SB_INST_MAX_COMPONENTS)
                return fail_at(L, k, "weights: more than %d scores",
                               SB_INST_MAX_COMPONENTS);
            for (size_t i = 0; i < f->count; i++)
                if (f->score[i] == idx)
                    return fail_at(L, k, "weights: '%s' appears twice", key);
            f->score[f->count] = idx;
            if ((st = double_field(L, w->kids[p + 1], "weight", -1e6, 1e6,
                                   &f->weight[f->count])))
                return st;
            f->count++;
        }
        if (f->count == 0)
            return fail_at(L, w, "weights must name at least one score");
        c->function_count++;
    }
    if (c->function_count < 2)
        return fail_at(L, fs, "fisher classification needs at least two functions");
    return SB_OK;
}

static const char *const top_keys[] = {"name", "title", "source", "items",
    "scale", "targets", "columns", "reversed", "key_source", "scoring",
    "missing_rule", "subscales", "derived", "category", "notes", NULL};

static sb_status load_root(loader *L, const sb__ynode *root)
{
    sb_instrument *inst = L->inst;
    sb_status st = check_keys(L, root, "an instrument file", top_keys);
    if (st)
        return st;
    const sb__ynode *v;
    const char *text;
    long items;
    if ((st = require(L, root, "name", "an instrument file", &v)) ||
        (st = name_field(L, v, "name", 1, &inst->name)) ||
        (st = require(L, root, "title", "an instrument file", &v)) ||
        (st = text_field(L, v, "title", &inst->title)) ||
        (st = require(L, root, "source", "an instrument file", &v)) ||
        (st = text_field(L, v, "source", &inst->source)) ||
        (st = require(L, root, "key_source", "an instrument file", &v)) ||
        (st = text_field(L, v, "key_source", &text)) ||
        (st = require(L, root, "missing_rule", "an instrument file", &v)) ||
        (st = text_field(L, v, "missing_rule", &text)) ||
        (st = require(L, root, "items", "an instrument file", &v)) ||
        (st = long_field(L, v, "items", 1, SB_INST_MAX_ITEMS, &items)) ||
        (st = require(L, root, "scale", "an instrument file", &v)) ||
        (st = scale_field(L, v, &inst->scale)))
        return st;
    inst->items_per_target = (size_t)items;
    if ((v = get(root, "scoring")) &&
        (st = two_words(L, v, "scoring", "mean", "sum", &inst->sum_rule)))
        return st;
    if ((v = get(root, "targets"))) {
        if ((st = sequence(L, v, "targets", SB_INST_MAX_TARGETS)))
            return st;
        SEQ_EACH(v, e) {
            const char *t;
            if ((st = name_field(L, e, "target", 0, &t)))
                return st;
            for (size_t i = 0; i < inst->target_count; i++)
                if (!strcmp(inst->targets[i], t))
                    return fail_at(L, e, "target '%s' is listed twice", t);
            inst->targets[inst->target_count++] = t;
        }
        if (inst->target_count < 2)
            return fail_at(L, v, "targets must list at least two relationships");
        if (inst->items_per_target * inst->target_count > SB_INST_MAX_ITEMS)
            return fail_at(L, v, "items times targets exceeds %d",
                           SB_INST_MAX_ITEMS);
    }
    inst->item_count = inst->items_per_target *
                       (inst->target_count ? inst->target_count : 1);
    if ((v = get(root, "reversed"))) {
        size_t n;
        if ((st = item_list(L, v, "reversed", inst->items_per_target,
                            inst->reversed, NULL, &n)))
            return st;
    }
    if ((st = require(L, root, "subscales", "an instrument file", &v)) ||
        (st = subscales(L, v)))
        return st;
    const sb__ynode *derived = get(root, "derived");
    if (derived && (st = derived_first_pass(L, derived)))
        return st;
    if ((st = sb__inst_expand(inst, L->origin, L->err)))
        return st;
    if (derived && (st = derived_second_pass(L, derived)))
        return st;
    if ((v = get(root, "category")) && (st = category(L, v)))
        return st;
    /* Default column names: the instrument's name with '_' for '-'. */
    char pattern[128];
    if ((v = get(root, "columns"))) {
        const char *p;
        if ((st = scalar(L, v, "columns", &p)))
            return st;
        if (strlen(p) > 100 || !strstr(p, "{n}") ||
            (!strstr(p, "{target}")) != !inst->target_count)
            return fail_at(L, v,
                           "columns must be a pattern with {n}%s, got '%.64s'",
                           inst->target_count ? " and {target}" : "", p);
        snprintf(pattern, sizeof pattern, "%s", p);
    } else {
        snprintf(pattern, sizeof pattern, "%s_%s{n}", inst->name,
                 inst->target_count ? "{target}_" : "");
        for (char *c = pattern; *c; c++)
            if (*c == '-')
                *c = '_';
    }
    inst->column_pattern = sb__inst_strdup(inst, pattern);
    return inst->column_pattern ? SB_OK : nomem(L);
}

static const sb__ytree_limits yaml_limits = {
    "an instrument file", SB_INSTRUMENT_MAX_BYTES, SB_INSTRUMENT_MAX_NESTING,
    SB_INSTRUMENT_MAX_NODES};

sb_status sb_instrument_load_text(const char *text, size_t size,
                                  const char *origin, sb_instrument **out,
                                  sb_error *err)
{
    *out = NULL;
    if (!origin)
        origin = "<instrument>";
    if (size && memchr(text, '\0', size))
        return sb_error_set(err, SB_ERR_PARSE, origin, 0, 0,
                            "instrument file contains a NUL byte");
    sb__ynode *root;
    sb_status st = sb__ytree_parse(text, size, origin, &yaml_limits, &root,
                                   err);
    if (st != SB_OK)
        return st;
    sb_instrument *inst = calloc(1, sizeof *inst);
    if (!inst) {
        sb__ytree_free(root);
        return sb_error_set(err, SB_ERR_NOMEM, origin, 0, 0, "out of memory");
    }
    loader L = {origin, err, inst};
    st = load_root(&L, root);
    sb__ytree_free(root);
    if (st != SB_OK) {
        sb_instrument_free(inst);
        return st;
    }
    *out = inst;
    return SB_OK;
}
