/*
 * Column mapping: which column of a survey export holds which item, from a
 * pattern ("Q{n}", "ecr_{n}", "{target}_{n}"), from a small CSV file with
 * the header "item,column" (REDCap and Qualtrics names vary by project), or
 * found in the export's header among the patterns exports commonly use.
 */
#include "measure/instrument.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct sb_column_map {
    size_t count;
    char **name;   /* one per flat item, owned */
    char *found;   /* the pattern found in a header, as spelled there, when
                      it is not the instrument's own names; else NULL */
    size_t also_fit; /* other header columns that fit that pattern */
};

void sb_column_map_free(sb_column_map *map)
{
    if (!map)
        return;
    for (size_t i = 0; i < map->count; i++)
        free(map->name[i]);
    free(map->name);
    free(map->found);
    free(map);
}

const char *sb_column_map_found(const sb_column_map *map)
{
    return map ? map->found : NULL;
}

size_t sb_column_map_also_fit(const sb_column_map *map)
{
    return map ? map->also_fit : 0;
}

const char *sb_column_map_name(const sb_column_map *map, size_t i)
{
    return i < map->count ? map->name[i] : NULL;
}

static sb_status map_new(const sb_instrument *inst, sb_column_map **out,
                         sb_error *err)
{
    sb_column_map *m = calloc(1, sizeof *m);
    if (m) {
        m->count = inst->item_count;
        m->name = calloc(m->count, sizeof *m->name);
    }
    if (!m || !m->name) {
        sb_column_map_free(m);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    *out = m;
    return SB_OK;
}

/*
 * Writes the pattern with {n} and {target} replaced into `out` (NULL: only
 * counts); returns the length of the name.
 */
static size_t expand_into(char *out, const char *pattern, const char *number,
                          const char *target)
{
    size_t n = 0;
    for (const char *p = pattern; *p;) {
        const char *put = p;
        size_t len = 1;
        if (!strncmp(p, "{n}", 3)) {
            put = number;
            len = strlen(number);
            p += 3;
        } else if (target && !strncmp(p, "{target}", 8)) {
            put = target;
            len = strlen(target);
            p += 8;
        } else {
            p++;
        }
        if (out)
            memcpy(out + n, put, len);
        n += len;
    }
    if (out)
        out[n] = '\0';
    return n;
}

/*
 * One column name from the pattern, in a fresh string sized by a first
 * count (a pattern may repeat a long {target} many times); NULL if out of
 * memory.
 */
static char *expand(const char *pattern, size_t number, const char *target)
{
    char digits[24];
    snprintf(digits, sizeof digits, "%zu", number);
    char *s = malloc(expand_into(NULL, pattern, digits, target) + 1);
    if (s)
        expand_into(s, pattern, digits, target);
    return s;
}

sb_status sb_column_map_pattern(const sb_instrument *inst, const char *pattern,
                                sb_column_map **out, sb_error *err)
{
    *out = NULL;
    if (!strstr(pattern, "{n}"))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "column pattern '%.100s' has no {n} for the item "
                            "number", pattern);
    if (inst->target_count && !strstr(pattern, "{target}"))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "column pattern '%.100s' needs {target}: %s asks "
                            "the same items about %zu relationships",
                            pattern, inst->name, inst->target_count);
    if (strlen(pattern) > 200)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "column pattern is longer than 200 characters");
    sb_column_map *m = NULL;
    sb_status st = map_new(inst, &m, err);
    if (st)
        return st;
    for (size_t i = 0; i < inst->item_count; i++) {
        size_t t = i / inst->items_per_target;
        m->name[i] = expand(pattern, i % inst->items_per_target + 1,
                            inst->target_count ? inst->targets[t] : NULL);
        if (!m->name[i]) {
            sb_column_map_free(m);
            return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
        }
    }
    *out = m;
    return SB_OK;
}

typedef struct map_loader {
    const sb_instrument *inst;
    sb_column_map *map;
    const char *path;
    unsigned long *line_of; /* where each item was mapped */
} map_loader;

/* "12" or "partner:3" -> flat index; (size_t)-1 with a message otherwise. */
static size_t parse_item(const sb_instrument *inst, const char *s, char *why,
                         size_t why_size)
{
    size_t t = 0;
    const char *num = s;
    const char *colon = strchr(s, ':');
    if (inst->target_count) {
        if (!colon) {
            snprintf(why, why_size, "item '%.64s' needs a relationship, e.g. "
                     "'%s:1'", s, inst->targets[0]);
            return (size_t)-1;
        }
        size_t len = (size_t)(colon - s);
        for (t = 0; t < inst->target_count; t++)
            if (strlen(inst->targets[t]) == len && !strncmp(inst->targets[t], s, len))
                break;
        if (t == inst->target_count) {
            snprintf(why, why_size, "unknown relationship in '%.64s'", s);
            return (size_t)-1;
        }
        num = colon + 1;
    } else if (colon) {
        snprintf(why, why_size, "%s has no relationships; item '%.64s' should "
                 "be a number", inst->name, s);
        return (size_t)-1;
    }
    char *end;
    errno = 0;
    long v = strtol(num, &end, 10);
    if (!isdigit((unsigned char)num[0]) || errno || *end || v < 1 ||
        (size_t)v > inst->items_per_target) {
        snprintf(why, why_size, "item '%.64s' is not a number in 1..%zu", s,
                 inst->items_per_target);
        return (size_t)-1;
    }
    return t * inst->items_per_target + (size_t)(v - 1);
}

static sb_status on_map_record(void *ctx, const sb_csv_record *rec,
                               sb_error *err)
{
    map_loader *ml = ctx;
    if (rec->count != 2)
        return sb_error_set(err, SB_ERR_INVALID, ml->path, rec->line, 0,
                            "a mapping line has two fields: item,column");
    if (rec->number == 1) {
        if (strcmp(rec->field[0], "item") || strcmp(rec->field[1], "column"))
            return sb_error_set(err, SB_ERR_INVALID, ml->path, rec->line, 1,
                                "the mapping file must start with the header "
                                "'item,column'");
        return SB_OK;
    }
    char why[200];
    size_t i = parse_item(ml->inst, rec->field[0], why, sizeof why);
    if (i == (size_t)-1)
        return sb_error_set(err, SB_ERR_INVALID, ml->path, rec->line, 1, "%s",
                            why);
    if (ml->map->name[i])
        return sb_error_set(err, SB_ERR_INVALID, ml->path, rec->line, 1,
                            "item '%s' is mapped twice (first on line %lu)",
                            rec->field[0], ml->line_of[i]);
    if (!rec->field[1][0] || rec->length[1] > 200)
        return sb_error_set(err, SB_ERR_INVALID, ml->path, rec->line, 2,
                            "the column name must have 1-200 characters");
    for (size_t k = 0; k < ml->map->count; k++)
        if (ml->map->name[k] && !strcmp(ml->map->name[k], rec->field[1]))
            return sb_error_set(err, SB_ERR_INVALID, ml->path, rec->line, 2,
                                "column '%s' is already mapped to another item "
                                "(line %lu)", rec->field[1], ml->line_of[k]);
    ml->map->name[i] = strdup(rec->field[1]);
    if (!ml->map->name[i])
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    ml->line_of[i] = rec->line;
    return SB_OK;
}

sb_status sb_column_map_load(const sb_instrument *inst, const char *path,
                             sb_column_map **out, sb_error *err)
{
    *out = NULL;
    FILE *f;
    sb_status st = sb_file_open_read(path, &f, err);
    if (st != SB_OK)
        return st;
    sb_column_map *m = NULL;
    sb_csv_reader *r = NULL;
    unsigned long *line_of = calloc(inst->item_count, sizeof *line_of);
    st = line_of ? map_new(inst, &m, err)
                           : sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                          "out of memory");
    map_loader ml = {inst, m, path, line_of};
    sb_csv_options o = {.origin = path, .max_record_bytes = 4096,
                        .max_fields = 4, .allow_ragged = 1};
    if (!st)
        st = sb_csv_reader_new(&o, on_map_record, &ml, &r, err);
    if (!st)
        st = sb_csv_reader_read_stream(r, f, err);
    for (size_t i = 0; !st && i < inst->item_count; i++)
        if (!m->name[i]) {
            char label[96];
            if (inst->target_count)
                snprintf(label, sizeof label, "%s:%zu",
                         inst->targets[i / inst->items_per_target],
                         i % inst->items_per_target + 1);
            else
                snprintf(label, sizeof label, "%zu", i + 1);
            st = sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                              "item %s of %s is not mapped to a column", label,
                              inst->name);
        }
    sb_csv_reader_free(r);
    free(line_of);
    fclose(f);
    if (st) {
        sb_column_map_free(m);
        return st;
    }
    *out = m;
    return SB_OK;
}

/* ---- finding the pattern in a header ------------------------------------ */

#define MAX_CANDIDATES 8
#define CANDIDATE_MAX 240

/* The patterns tried, the instrument's own first; each one only once. */
static size_t candidates(const sb_instrument *inst,
                         char out[MAX_CANDIDATES][CANDIDATE_MAX])
{
    char names[3][64];
    /* The instrument's name with '-' read as '_', dropped, or kept. */
    for (int v = 0; v < 3; v++) {
        size_t k = 0;
        for (const char *c = inst->name; *c && k + 1 < sizeof names[v]; c++) {
            if (*c == '-' && v == 1)
                continue;
            names[v][k++] = *c == '-' && v == 0 ? '_' : *c;
        }
        names[v][k] = '\0';
    }
    const char *tail = inst->target_count ? "_{target}_{n}" : "_{n}";
    char list[MAX_CANDIDATES][CANDIDATE_MAX];
    size_t n = 0;
    snprintf(list[n++], CANDIDATE_MAX, "%s", inst->column_pattern);
    if (inst->target_count) {
        for (int v = 0; v < 3; v++)
            snprintf(list[n++], CANDIDATE_MAX, "%s%s", names[v], tail);
        snprintf(list[n++], CANDIDATE_MAX, "{target}_{n}");
    } else {
        snprintf(list[n++], CANDIDATE_MAX, "Q{n}");
        for (int v = 0; v < 3; v++)
            snprintf(list[n++], CANDIDATE_MAX, "%s%s", names[v], tail);
        snprintf(list[n++], CANDIDATE_MAX, "item{n}");
        snprintf(list[n++], CANDIDATE_MAX, "{n}");
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < kept && strcasecmp(out[j], list[i]))
            j++;
        if (j == kept)
            memcpy(out[kept++], list[i], CANDIDATE_MAX);
    }
    return kept;
}

/* Where a header name fits a pattern: the target (0 without) and the
 * number read for {n}, from 1 to 6 digits, zero-padded or not. */
typedef struct fit {
    size_t target;
    unsigned long number;
    int has_target, has_number;
} fit;

/* Does `s` fit `p` (letter case aside)? Literal characters one by one; at
 * {target}, each of the instrument's targets in turn. */
static int fits(const sb_instrument *inst, const char *p, const char *s,
                fit f, fit *out)
{
    for (;;) {
        if (!*p) {
            if (*s)
                return 0;
            *out = f;
            return f.has_number;
        }
        if (!strncmp(p, "{n}", 3)) {
            size_t digits = 0;
            unsigned long v = 0;
            while (isdigit((unsigned char)s[digits]) && digits < 6)
                v = v * 10 + (unsigned long)(s[digits++] - '0');
            if (!digits || isdigit((unsigned char)s[digits]) ||
                (f.has_number && f.number != v))
                return 0;
            f.number = v;
            f.has_number = 1;
            p += 3;
            s += digits;
            continue;
        }
        if (inst->target_count && !strncmp(p, "{target}", 8)) {
            for (size_t t = 0; t < inst->target_count; t++) {
                size_t len = strlen(inst->targets[t]);
                if ((f.has_target && f.target != t) ||
                    strncasecmp(s, inst->targets[t], len))
                    continue;
                fit g = f;
                g.target = t;
                g.has_target = 1;
                if (fits(inst, p + 8, s + len, g, out))
                    return 1;
            }
            return 0;
        }
        if (tolower((unsigned char)*p) != tolower((unsigned char)*s))
            return 0;
        p++;
        s++;
    }
}

/* One pattern tried on the whole header. */
typedef struct trial {
    size_t matched;          /* items with a column */
    size_t also_fit;         /* columns that fit with a number beyond */
    size_t clash[2];         /* two columns that fit one item, if any */
    size_t clash_item;
    int clashed;
} trial;

static void try_pattern(const sb_instrument *inst, const char *pattern,
                        const char *const *names, size_t count, size_t *column,
                        trial *t)
{
    memset(t, 0, sizeof *t);
    for (size_t k = 0; k < inst->item_count; k++)
        column[k] = (size_t)-1;
    for (size_t i = 0; i < count; i++) {
        fit f = {0, 0, 0, 0}, got;
        if (!names[i][0] || !fits(inst, pattern, names[i], f, &got))
            continue;
        if (got.number < 1 || got.number > inst->items_per_target) {
            t->also_fit++;
            continue;
        }
        size_t k = got.target * inst->items_per_target + got.number - 1;
        if (column[k] != (size_t)-1) {
            if (!t->clashed) {
                t->clash[0] = column[k];
                t->clash[1] = i;
                t->clash_item = k;
                t->clashed = 1;
            }
            continue;
        }
        column[k] = i;
        t->matched++;
    }
}

/* The pattern as the header spells it: `name` fits `pattern`, so literal
 * characters are taken from the name and the placeholders kept. */
static void spelled(const sb_instrument *inst, const char *pattern,
                    const char *name, size_t target, char *out, size_t size)
{
    size_t n = 0;
    const char *s = name;
    for (const char *p = pattern; *p && n + 9 < size;) {
        if (!strncmp(p, "{n}", 3)) {
            memcpy(out + n, "{n}", 3);
            n += 3;
            p += 3;
            while (isdigit((unsigned char)*s))
                s++;
        } else if (inst->target_count && !strncmp(p, "{target}", 8)) {
            memcpy(out + n, "{target}", 8);
            n += 8;
            p += 8;
            s += strlen(inst->targets[target]);
        } else {
            out[n++] = *s ? *s++ : *p;
            p++;
        }
    }
    out[n] = '\0';
}

sb_status sb_column_map_detect(const sb_instrument *inst,
                               const char *const *names, size_t count,
                               const char *origin, unsigned long line,
                               sb_column_map **out, sb_error *err)
{
    *out = NULL;
    char cand[MAX_CANDIDATES][CANDIDATE_MAX];
    size_t nc = candidates(inst, cand);
    size_t *column = malloc(inst->item_count * sizeof *column);
    size_t *best_column = malloc(inst->item_count * sizeof *best_column);
    if (!column || !best_column) {
        free(column);
        free(best_column);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    size_t full[MAX_CANDIDATES], nfull = 0, best = 0;
    trial tr[MAX_CANDIDATES];
    for (size_t c = 0; c < nc; c++) {
        try_pattern(inst, cand[c], names, count, column, &tr[c]);
        if (tr[c].matched == inst->item_count)
            full[nfull++] = c;
        if (c == 0 || tr[c].matched > tr[best].matched) {
            best = c;
            memcpy(best_column, column, inst->item_count * sizeof *column);
        }
    }
    free(column);
    char list[MAX_CANDIDATES * (CANDIDATE_MAX + 2)] = "";
    for (size_t c = 0; c < nc; c++) {
        if (c)
            strcat(list, ", ");
        strcat(list, cand[c]);
    }
    const char *hint = "name the columns with --columns, e.g. 'Q{n}', or a "
                       "mapping file";
    sb_status st = SB_OK;
    if (nfull > 1) {
        char a[CANDIDATE_MAX], b[CANDIDATE_MAX];
        snprintf(a, sizeof a, "%s", cand[full[0]]);
        snprintf(b, sizeof b, "%s", cand[full[1]]);
        st = sb_error_set(err, SB_ERR_INVALID, origin, line, 0,
                          "the header fits more than one column pattern for "
                          "the %zu items of %s: '%s' and '%s'; say which with "
                          "--columns", inst->item_count, inst->name, a, b);
    } else if (nfull == 0 && tr[best].matched == 0) {
        st = sb_error_set(err, SB_ERR_INVALID, origin, line, 0,
                          "no columns for the items of %s in the header: none "
                          "fits %s (%s)", inst->name, list, hint);
    } else if (nfull == 0) {
        size_t k = 0;
        while (best_column[k] != (size_t)-1)
            k++;
        char *want = expand(cand[best], k % inst->items_per_target + 1,
                            inst->target_count
                                ? inst->targets[k / inst->items_per_target]
                                : NULL);
        st = want ? sb_error_set(err, SB_ERR_INVALID, origin, line, 0,
                                 "no column '%.100s' for item %zu of %s in the "
                                 "header (%zu of its %zu items fit '%s'; %s)",
                                 want, k % inst->items_per_target + 1,
                                 inst->name, tr[best].matched,
                                 inst->item_count, cand[best], hint)
                  : sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory");
        free(want);
    } else if (tr[full[0]].clashed) {
        const trial *t = &tr[full[0]];
        st = sb_error_set(err, SB_ERR_INVALID, origin, line, t->clash[1] + 1,
                          "columns '%.100s' and '%.100s' both fit item %zu "
                          "of %s under the pattern '%s' (%s)",
                          names[t->clash[0]], names[t->clash[1]],
                          t->clash_item % inst->items_per_target + 1,
                          inst->name, cand[full[0]], hint);
    }
    if (st == SB_OK) {
        /* The one pattern that fits: map it, in the header's spelling. */
        size_t c = full[0];
        try_pattern(inst, cand[c], names, count, best_column, &tr[c]);
        sb_column_map *m = NULL;
        st = map_new(inst, &m, err);
        int own = 1;
        for (size_t k = 0; st == SB_OK && k < inst->item_count; k++) {
            m->name[k] = strdup(names[best_column[k]]);
            char *mine = expand(inst->column_pattern,
                                k % inst->items_per_target + 1,
                                inst->target_count
                                    ? inst->targets[k / inst->items_per_target]
                                    : NULL);
            if (!m->name[k] || !mine)
                st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                  "out of memory");
            else if (strcmp(mine, m->name[k]))
                own = 0;
            free(mine);
        }
        if (st == SB_OK && !own) {
            char shown[CANDIDATE_MAX + 16];
            spelled(inst, cand[c], m->name[0], 0, shown, sizeof shown);
            m->found = strdup(shown);
            m->also_fit = tr[c].also_fit;
            if (!m->found)
                st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                  "out of memory");
        }
        if (st == SB_OK)
            *out = m;
        else
            sb_column_map_free(m);
    }
    free(best_column);
    return st;
}
