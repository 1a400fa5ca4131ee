/*
 * A resolved scenario written back as YAML: no `base:`, every field spelled
 * out from the model's field tables, numbers in the shortest form that reads
 * back to the same double, so that loading the output gives the same struct.
 */
#include <securebase/scenario.h>

#include "scenario/value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The shortest %g form that strtod turns back into exactly `v` ("20",
 * not "2e+01") and that the loader takes (a subnormal is written with
 * enough digits to be held to full precision). */
static void format_double(char *buf, size_t size, double v)
{
    char best[64] = "", cand[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(cand, sizeof cand, "%.*g", prec, v);
        if (strtod(cand, NULL) == v &&
            sb__text_holds_double(cand, strlen(cand), v) &&
            (!best[0] || strlen(cand) < strlen(best)))
            memcpy(best, cand, sizeof best);
    }
    if (!best[0]) /* %.17g always reads back; kept for safety */
        snprintf(best, sizeof best, "%.17g", v);
    snprintf(buf, size, "%s", best);
}

/* Double-quoted YAML text; the text is already known to be printable. */
static void write_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void write_value(FILE *out, const sb_field_info *f, const void *base)
{
    const char *p = (const char *)base + f->offset;
    char num[64];
    switch (f->type) {
    case SB_FIELD_DOUBLE:
        format_double(num, sizeof num, *(const double *)p);
        fputs(num, out);
        break;
    case SB_FIELD_INT:
        fprintf(out, "%d", *(const int *)p);
        break;
    case SB_FIELD_BOOL:
        fputs(*(const int *)p ? "true" : "false", out);
        break;
    case SB_FIELD_ENUM:
        fputs(f->names[*(const int *)p - (int)f->min], out);
        break;
    case SB_FIELD_STRING:
        write_quoted(out, p);
        break;
    case SB_FIELD_DIST: {
        const sb_dist *d = (const sb_dist *)p;
        const double parts[4] = {d->mean, d->sd, d->min, d->max};
        static const char *const names[4] = {"mean", "sd", "min", "max"};
        fputc('{', out);
        for (int i = 0; i < 4; i++) {
            format_double(num, sizeof num, parts[i]);
            fprintf(out, "%s%s: %s", i ? ", " : "", names[i], num);
        }
        fputc('}', out);
        break;
    }
    }
}

/* One field per line, `indent` spaces in. */
static void write_block(FILE *out, sb_field_group group, const void *base,
                        int indent)
{
    size_t n;
    const sb_field_info *f = sb_scenario_fields(group, &n);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%*s%s: ", indent, "", f[i].key);
        write_value(out, &f[i], base);
        fputc('\n', out);
    }
}

/* All fields on one line: {a: 1, b: 2}. */
static void write_flow(FILE *out, sb_field_group group, const void *base)
{
    size_t n;
    const sb_field_info *f = sb_scenario_fields(group, &n);
    fputc('{', out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s%s: ", i ? ", " : "", f[i].key);
        write_value(out, &f[i], base);
    }
    fputc('}', out);
}

/* Whether a field of a timeline entry was given: NAN, "" and an optional
 * enum's 0 stand for "not given". */
static int given(const sb_field_info *f, const void *base)
{
    const char *p = (const char *)base + f->offset;
    switch (f->type) {
    case SB_FIELD_DOUBLE:
        return !isnan(*(const double *)p);
    case SB_FIELD_STRING:
        return *p != '\0';
    case SB_FIELD_ENUM:
        return !f->optional || *(const int *)p != 0;
    default:
        return 1;
    }
}

/* Writes the given fields of a group as "a: 1, b: 2", after `written`
 * fields already on the line; returns how many are on it then. */
static int write_given(FILE *out, sb_field_group group, const void *base,
                       int written)
{
    size_t n;
    const sb_field_info *f = sb_scenario_fields(group, &n);
    for (size_t i = 0; i < n; i++) {
        if (!given(&f[i], base))
            continue;
        fprintf(out, "%s%s: ", written++ ? ", " : "", f[i].key);
        write_value(out, &f[i], base);
    }
    return written;
}

static void write_entry(FILE *out, const sb_timeline_entry *e)
{
    /* What the loader starts an entry from is left out: a share of 1, and
     * the size of no event. */
    sb_timeline_entry shown = *e;
    if (shown.share == 1.0)
        shown.share = NAN;
    if (shown.event == SB_EVENT_NONE)
        shown.size = NAN;
    fputs("  - {", out);
    int written = write_given(out, SB_FIELDS_TIMELINE, &shown, 0);
    const sb_therapy_change *t = &e->therapy;
    if (!isnan(t->sessions_per_week) || !isnan(t->attendance) ||
        !isnan(t->alliance) || !isnan(t->consistency) || !isnan(t->weight)) {
        fprintf(out, "%stherapy: {", written ? ", " : "");
        write_given(out, SB_FIELDS_THERAPY_CHANGE, t, 0);
        fputc('}', out);
    }
    fputs("}\n", out);
}

/* The text fields the loader would refuse, and constants no file can set. */
static sb_status check_writable(const sb_scenario *sc, sb_error *err)
{
    if (!sb__text_is_name(sc->name, strlen(sc->name)))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scenario name '%s' is not a valid name", sc->name);
    if (!sb__text_is_printable(sc->description, strlen(sc->description)))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scenario '%s': the description holds a control "
                            "character or is not UTF-8",
                            sc->name);
    for (size_t i = 0; i < sc->relationship_count; i++) {
        const char *name = sc->relationships[i].name;
        if (!sb__text_is_name(name, strlen(name)))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "scenario '%s': relationship name '%s' is not "
                                "a valid name",
                                sc->name, name);
    }
    /* The check has matched `begins:` and `ends:` to relationships, whose
     * names were just checked. */
    /* Constants outside the parameter table keep their defaults in a file. */
    sb_params expected;
    sb_params_default(&expected);
    size_t n;
    const sb_param_info *t = sb_params_table(&n);
    for (size_t i = 0; i < n; i++)
        memcpy((char *)&expected + t[i].offset,
               (const char *)&sc->params + t[i].offset, sizeof(double));
    if (memcmp(&expected, &sc->params, sizeof expected))
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "scenario '%s' has model constants that are not "
                            "in the parameter table (such as the prototype "
                            "centres); a scenario file cannot set them",
                            sc->name);
    return SB_OK;
}

sb_status sb_scenario_write_yaml(const sb_scenario *sc, FILE *out,
                                 sb_error *err)
{
    sb_status st = sb_scenario_check(sc, err);
    if (st == SB_OK)
        st = check_writable(sc, err);
    if (st != SB_OK)
        return st;

    fprintf(out, "# Scenario '%s', fully resolved: every field written out, "
                 "no base.\n",
            sc->name);
    write_block(out, SB_FIELDS_SCENARIO, sc, 0);
    fputs("population:\n  prototype_share: ", out);
    write_flow(out, SB_FIELDS_PROTOTYPE_SHARE, &sc->population);
    fputc('\n', out);
    write_block(out, SB_FIELDS_POPULATION, &sc->population, 2);
    fputs("therapy:\n", out);
    write_block(out, SB_FIELDS_THERAPY, &sc->therapy, 2);
    fputs("reflection: ", out);
    write_flow(out, SB_FIELDS_HABIT, &sc->reflection);
    fputs("\npractice: ", out);
    write_flow(out, SB_FIELDS_HABIT, &sc->practice);
    /* The list replaces the default one, so its order is kept as it is. */
    fputs("\ninherit_relationships: false\nrelationships:", out);
    if (sc->relationship_count == 0)
        fputs(" []", out);
    fputc('\n', out);
    for (size_t i = 0; i < sc->relationship_count; i++) {
        fputs("  - ", out);
        write_flow(out, SB_FIELDS_RELATIONSHIP, &sc->relationships[i]);
        fputc('\n', out);
    }
    if (sc->timeline_count) {
        fputs("timeline:\n", out);
        for (size_t i = 0; i < sc->timeline_count; i++)
            write_entry(out, &sc->timeline[i]);
    }
    fputs("model:\n", out);
    size_t np;
    const sb_param_info *t = sb_params_table(&np);
    for (size_t i = 0; i < np; i++) {
        char num[64];
        format_double(num, sizeof num,
                      *(const double *)((const char *)&sc->params +
                                        t[i].offset));
        fprintf(out, "  %s: %s\n", t[i].name, num);
    }
    if (fflush(out) != 0 || ferror(out))
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot write the scenario '%s'", sc->name);
    return SB_OK;
}
