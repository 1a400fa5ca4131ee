/*
 * Column mapping: which column of a survey export holds which item, from a
 * pattern ("Q{n}", "ecr_{n}", "{target}_{n}") or from a small CSV file with
 * the header "item,column" (REDCap and Qualtrics names vary by project).
 */
#include "measure/instrument_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sb_column_map {
    size_t count;
    char **name; /* one per flat item, owned */
};

void sb_column_map_free(sb_column_map *map)
{
    if (!map)
        return;
    for (size_t i = 0; i < map->count; i++)
        free(map->name[i]);
    free(map->name);
    free(map);
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
