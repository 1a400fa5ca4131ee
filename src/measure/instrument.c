/*
 * Instruments: the built-in table, look-ups, the expansion of declared
 * subscales into output scores (one per target for ECR-RS), and accessors.
 * Parsing and validation of instrument files is in instrument_load.c.
 */
#include "measure/instrument.h"

#include "base/builtin.h"
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void *sb__inst_alloc(sb_instrument *inst, size_t size)
{
    void **owned = sb__grow(inst->owned, &inst->owned_cap,
                            inst->owned_count + 1, sizeof *owned);
    if (!owned)
        return NULL;
    inst->owned = owned;
    void *p = calloc(1, size ? size : 1);
    if (p)
        inst->owned[inst->owned_count++] = p;
    return p;
}

char *sb__inst_strdup(sb_instrument *inst, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = sb__inst_alloc(inst, n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void sb_instrument_free(sb_instrument *inst)
{
    if (!inst)
        return;
    for (size_t i = 0; i < inst->owned_count; i++)
        free(inst->owned[i]);
    free(inst->owned);
    free(inst);
}

size_t sb__inst_score_index(const sb_instrument *inst, const char *name)
{
    for (size_t i = 0; i < inst->score_count; i++)
        if (!strcmp(inst->scores[i].name, name))
            return i;
    return (size_t)-1;
}

sb_status sb__inst_expand(sb_instrument *inst, const char *origin,
                          sb_error *err)
{
    size_t targets = inst->target_count ? inst->target_count : 1;
    size_t n = inst->subscale_count * targets + inst->derived_count;
    inst->scores = sb__inst_alloc(inst, n * sizeof *inst->scores);
    if (!inst->scores)
        return sb_error_set(err, SB_ERR_NOMEM, origin, 0, 0, "out of memory");
    size_t k = 0;
    for (size_t t = 0; t < targets; t++) {
        for (size_t s = 0; s < inst->subscale_count; s++) {
            const sb__inst_subscale *sub = &inst->subscales[s];
            sb__inst_score *sc = &inst->scores[k++];
            sc->is_items = 1;
            sc->subscale = sub;
            sc->target = t;
            sc->direction = sub->direction;
            sc->max_missing = sub->max_missing;
            sc->item_count = sub->item_count;
            sc->items = sb__inst_alloc(inst, sub->item_count * sizeof(size_t));
            if (!sc->items)
                return sb_error_set(err, SB_ERR_NOMEM, origin, 0, 0,
                                    "out of memory");
            for (size_t i = 0; i < sub->item_count; i++)
                sc->items[i] = t * inst->items_per_target + sub->items[i];
            if (inst->target_count) {
                char buf[256];
                snprintf(buf, sizeof buf, "%s_%s", inst->targets[t], sub->name);
                sc->name = sb__inst_strdup(inst, buf);
                if (!sc->name)
                    return sb_error_set(err, SB_ERR_NOMEM, origin, 0, 0,
                                        "out of memory");
            } else {
                sc->name = sub->name;
            }
        }
    }
    for (size_t d = 0; d < inst->derived_count; d++) {
        sb__inst_score *sc = &inst->scores[k++];
        sc->derived = &inst->derived[d];
        sc->name = inst->derived[d].name;
        sc->direction = inst->derived[d].direction;
    }
    inst->score_count = k;
    return SB_OK;
}

/* ---- built-in instruments ---- */

static const char builtin_prefix[] = "instruments/";
static const char builtin_suffix[] = ".yaml";

size_t sb_instrument_builtin_names(const char **names, size_t max)
{
    size_t n = 0;
    for (const sb__builtin_file *f = sb__builtin_files; f->path; f++) {
        if (strncmp(f->path, builtin_prefix, sizeof builtin_prefix - 1))
            continue;
        if (n < max)
            names[n] = f->path + sizeof builtin_prefix - 1;
        n++;
    }
    return n;
}

sb_status sb_instrument_builtin(const char *name, sb_instrument **out,
                                sb_error *err)
{
    *out = NULL;
    char path[256];
    if (strlen(name) > 64 || strchr(name, '/'))
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "no built-in instrument named '%.64s'", name);
    snprintf(path, sizeof path, "%s%s%s", builtin_prefix, name, builtin_suffix);
    const sb__builtin_file *f = sb__builtin_find(path);
    if (!f)
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "no built-in instrument named '%s' (built in: "
                            "ecr-r, ecr-s, ecr-rs, ecr, rq; or give a file path)",
                            name);
    return sb_instrument_load_text(f->data, f->size, path, out, err);
}

sb_status sb_instrument_open(const char *name_or_path, sb_instrument **out,
                             sb_error *err)
{
    char path[256];
    if (strlen(name_or_path) <= 64 && !strchr(name_or_path, '/')) {
        snprintf(path, sizeof path, "%s%s%s", builtin_prefix, name_or_path,
                 builtin_suffix);
        if (sb__builtin_find(path))
            return sb_instrument_builtin(name_or_path, out, err);
        /* a bare word that is no file was meant as a built-in name (stat,
         * not open: opening a FIFO would wait for a writer) */
        struct stat sbuf;
        if (stat(name_or_path, &sbuf) != 0)
            return sb_instrument_builtin(name_or_path, out, err);
    }
    return sb_instrument_load_file(name_or_path, out, err);
}

sb_status sb_instrument_load_file(const char *path, sb_instrument **out,
                                  sb_error *err)
{
    *out = NULL;
    char *text;
    size_t size;
    sb_status st = sb_read_file_max(path, SB_INSTRUMENT_MAX_BYTES, &text,
                                    &size, err);
    if (st == SB_ERR_INVALID) /* the size limit: say whose limit it is */
        sb_error_set(err, st, path, 0, 0,
                     "the file is larger than %d bytes, the most an "
                     "instrument file may have",
                     SB_INSTRUMENT_MAX_BYTES);
    if (st != SB_OK)
        return st;
    st = sb_instrument_load_text(text, size, path, out, err);
    free(text);
    return st;
}

/* ---- accessors ---- */

const char *sb_instrument_name(const sb_instrument *inst) { return inst->name; }
const char *sb_instrument_title(const sb_instrument *inst) { return inst->title; }
const char *sb_instrument_source(const sb_instrument *inst) { return inst->source; }
sb_scale sb_instrument_scale(const sb_instrument *inst) { return inst->scale; }
size_t sb_instrument_item_count(const sb_instrument *inst) { return inst->item_count; }

size_t sb_instrument_items_per_target(const sb_instrument *inst)
{
    return inst->items_per_target;
}

size_t sb_instrument_target_count(const sb_instrument *inst)
{
    return inst->target_count;
}

const char *sb_instrument_target_name(const sb_instrument *inst, size_t t)
{
    return t < inst->target_count ? inst->targets[t] : NULL;
}

int sb_instrument_item_reversed(const sb_instrument *inst, size_t item)
{
    return item >= 1 && item <= inst->items_per_target &&
           inst->reversed[item - 1];
}

const char *sb_instrument_column_pattern(const sb_instrument *inst)
{
    return inst->column_pattern;
}

int sb_instrument_has_category(const sb_instrument *inst)
{
    return inst->category.method != SB_CATEGORY_NONE;
}

size_t sb_instrument_score_count(const sb_instrument *inst)
{
    return inst->score_count;
}

const char *sb_instrument_score_name(const sb_instrument *inst, size_t s)
{
    return s < inst->score_count ? inst->scores[s].name : NULL;
}

int sb_instrument_score_is_items(const sb_instrument *inst, size_t s)
{
    return s < inst->score_count && inst->scores[s].is_items;
}

size_t sb_instrument_score_item_list(const sb_instrument *inst, size_t s,
                                 const size_t **items)
{
    if (s >= inst->score_count || !inst->scores[s].is_items) {
        *items = NULL;
        return 0;
    }
    *items = inst->scores[s].items;
    return inst->scores[s].item_count;
}

sb_direction sb_instrument_score_direction(const sb_instrument *inst, size_t s)
{
    return s < inst->score_count ? inst->scores[s].direction
                                 : SB_DIRECTION_NONE;
}

static int same_scale(sb_scale a, sb_scale b)
{
    return a.min == b.min && a.max == b.max;
}

/* A figure with a `targets` list applies to those relationships' scores. */
static int applies_to(unsigned targets, const sb__inst_score *sc)
{
    return !targets || (sc->is_items && (targets & (1u << sc->target)));
}

/* Reliability is a property of the scores, so a retest figure is preferred
 * (Jacobson & Truax 1991 use test-retest); alpha otherwise. */
const sb_reliability *sb_instrument_reliability(const sb_instrument *inst,
                                                size_t s, sb_scale scale)
{
    if (s >= inst->score_count)
        return NULL;
    const sb__inst_score *sc = &inst->scores[s];
    const sb_reliability *r = sc->is_items ? sc->subscale->reliability
                                           : sc->derived->reliability;
    size_t n = sc->is_items ? sc->subscale->reliability_count
                            : sc->derived->reliability_count;
    const sb_reliability *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (same_scale(r[i].scale, scale) && applies_to(r[i].targets, sc) &&
            (!best || (r[i].retest && !best->retest)))
            best = &r[i];
    return best;
}

const sb_norm *sb_instrument_norm(const sb_instrument *inst, size_t s,
                                  sb_scale scale, int dysfunctional)
{
    if (s >= inst->score_count)
        return NULL;
    const sb__inst_score *sc = &inst->scores[s];
    /* A subscale's norms without `targets` hold for every relationship. */
    const sb_norm *nm = sc->is_items ? sc->subscale->norms : sc->derived->norms;
    size_t n = sc->is_items ? sc->subscale->norm_count : sc->derived->norm_count;
    for (size_t i = 0; i < n; i++)
        if (same_scale(nm[i].scale, scale) && applies_to(nm[i].targets, sc) &&
            !!nm[i].dysfunctional == !!dysfunctional)
            return &nm[i];
    return NULL;
}
