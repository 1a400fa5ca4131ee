/*
 * securebase scenarios: lists the built-in scenarios and sets, shows a
 * built-in file as written, prints a scenario fully resolved, checks a
 * scenario file, and prints the reference tables of docs/scenarios.md.
 */
#include "cli/cli.h"

#include <securebase/scenario.h>

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase scenarios [--show NAME | --resolved NAME|FILE |\n"
            "                             --check FILE | --reference]\n\n"
            "Without options, lists the built-in scenarios and sets: name,\n"
            "kind and description.\n\n"
            "  --show NAME           print a built-in file as written\n"
            "  --resolved NAME|FILE  print a scenario with its base applied and\n"
            "                        every field written out (YAML); a set\n"
            "                        prints one document per scenario\n"
            "  --check FILE          load and check a scenario or set file;\n"
            "                        exit 0 when it is valid, 2 with the\n"
            "                        file:line:column of the first problem\n"
            "  --reference           print the tables of scenario keys, types,\n"
            "                        ranges and defaults (docs/scenarios.md)\n"
            "  -h, --help            this help\n\n"
            "The file format is described in docs/scenarios.md.\n");
}

static int list_builtins(void)
{
    size_t n = sb_scenario_builtin_count();
    printf("%-28s %-9s %s\n", "NAME", "KIND", "DESCRIPTION");
    for (size_t i = 0; i < n; i++)
        printf("%-28s %-9s %s\n", sb_scenario_builtin_name(i),
               sb_scenario_builtin_is_set(i) ? "set" : "scenario",
               sb_scenario_builtin_description(i));
    return SB_EXIT_OK;
}

static int show(const char *name)
{
    const char *text = sb_scenario_builtin_text(name);
    if (!text) {
        char names[1024] = "";
        size_t o = 0, n = sb_scenario_builtin_count();
        for (size_t i = 0; i < n && o < sizeof names; i++)
            o += (size_t)snprintf(names + o, sizeof names - o, "%s%s",
                                  i ? ", " : "", sb_scenario_builtin_name(i));
        return sb__cli_usage_error("scenarios",
                                   "no built-in scenario or set is named '%s'; "
                                   "the built-ins are: %s",
                                   name, names);
    }
    fputs(text, stdout);
    return SB_EXIT_OK;
}

/* Resolves what the user named; on failure reports it and returns the
 * exit code, else 0 with the list (caller frees). */
static int resolve_or_report(const char *arg, sb_scenario **list,
                             size_t *count)
{
    sb_error err;
    sb_status st = sb_scenario_resolve(arg, list, count, &err);
    if (st == SB_OK)
        return SB_EXIT_OK;
    sb__cli_report_error(&err);
    return sb__cli_input_exit_code(st);
}

static int resolved(const char *arg)
{
    sb_scenario *list;
    size_t count;
    int rc = resolve_or_report(arg, &list, &count);
    if (rc)
        return rc;
    sb_error err;
    sb_status st = SB_OK;
    for (size_t i = 0; i < count && st == SB_OK; i++) {
        if (count > 1)
            printf("---\n");
        st = sb_scenario_write_yaml(&list[i], stdout, &err);
    }
    free(list);
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        return SB_EXIT_FAILURE;
    }
    return SB_EXIT_OK;
}

static int check(const char *arg)
{
    sb_scenario *list;
    size_t count;
    int rc = resolve_or_report(arg, &list, &count);
    if (rc)
        return rc;
    if (count == 1) {
        printf("%s: ok, scenario '%s'\n", arg, list[0].name);
    } else {
        printf("%s: ok, a set of %zu scenarios:", arg, count);
        for (size_t i = 0; i < count; i++)
            printf(" %s", list[i].name);
        printf("\n");
    }
    free(list);
    return SB_EXIT_OK;
}

/* ------------------------------------------------------------------------
 * --reference: Markdown tables generated from the field tables, so that the
 * reference in docs/scenarios.md can be checked against the code.
 */

static void print_type_and_range(const sb_field_info *f)
{
    switch (f->type) {
    case SB_FIELD_DOUBLE:
        printf("number | %g..%g", f->min, f->max);
        break;
    case SB_FIELD_INT:
        printf("whole number | %g..%g", f->min, f->max);
        break;
    case SB_FIELD_BOOL:
        printf("boolean | `true`, `false`");
        break;
    case SB_FIELD_STRING:
        if (f->optional)
            printf("name | the name of one of the scenario's relationships");
        else if (!strcmp(f->key, "name"))
            printf("name | 1..%zu of letters, digits, `. _ + -`; first a "
                   "letter or digit",
                   f->size - 1);
        else
            printf("text | up to %zu bytes, one line", f->size - 1);
        break;
    case SB_FIELD_ENUM:
        printf("choice |");
        for (int i = 0; f->names[i]; i++)
            printf("%s `%s`", i ? "," : "", f->names[i]);
        break;
    case SB_FIELD_DIST:
        printf("distribution `{mean, sd, min, max}` | mean, min, max in "
               "%g..%g; sd in 0..%g",
               f->min, f->max, f->max - f->min);
        break;
    }
}

static void print_value(const sb_field_info *f, const void *base)
{
    const char *p = (const char *)base + f->offset;
    switch (f->type) {
    case SB_FIELD_DOUBLE:
        if (f->optional && isnan(*(const double *)p))
            printf("(no change)");
        else
            printf("%g", *(const double *)p);
        break;
    case SB_FIELD_INT:
        printf("%d", *(const int *)p);
        break;
    case SB_FIELD_BOOL:
        printf("%s", *(const int *)p ? "true" : "false");
        break;
    case SB_FIELD_ENUM:
        if (f->optional && *(const int *)p == 0)
            printf("(none)");
        else
            printf("`%s`", f->names[*(const int *)p - (int)f->min]);
        break;
    case SB_FIELD_STRING:
        printf("%s", *p ? p : "(none)");
        break;
    case SB_FIELD_DIST: {
        const sb_dist *d = (const sb_dist *)p;
        printf("`{mean: %g, sd: %g, min: %g, max: %g}`", d->mean, d->sd,
               d->min, d->max);
        break;
    }
    }
}

static void print_table(const char *title, sb_field_group group,
                        const void *defaults, const char *default_header)
{
    size_t n;
    const sb_field_info *f = sb_scenario_fields(group, &n);
    printf("#### %s\n\n| key | type | allowed | %s | meaning |\n"
           "|---|---|---|---|---|\n",
           title, default_header);
    for (size_t i = 0; i < n; i++) {
        printf("| `%s` | ", f[i].key);
        print_type_and_range(&f[i]);
        printf(" | ");
        if (group == SB_FIELDS_SCENARIO && !strcmp(f[i].key, "name"))
            printf("(required)");
        else if (group == SB_FIELDS_RELATIONSHIP && !strcmp(f[i].key, "name"))
            printf("(required)");
        else if (group == SB_FIELDS_TIMELINE && !strcmp(f[i].key, "week"))
            printf("(required)");
        else if (group == SB_FIELDS_SCENARIO &&
                 !strcmp(f[i].key, "description"))
            printf("(none)");
        else
            print_value(&f[i], defaults);
        printf(" | %s |\n", f[i].meaning);
    }
    printf("\n");
}

static int reference(void)
{
    sb_scenario def;
    sb_scenario_default(&def);
    sb_relationship rel;
    sb_scenario_relationship_default(&rel);
    const char *no_base = "default without `base:`";
    print_table("Top level", SB_FIELDS_SCENARIO, &def, no_base);
    print_table("`population.prototype_share`", SB_FIELDS_PROTOTYPE_SHARE,
                &def.population, no_base);
    print_table("`population`", SB_FIELDS_POPULATION, &def.population,
                no_base);
    print_table("`therapy`", SB_FIELDS_THERAPY, &def.therapy, no_base);
    print_table("`reflection` and `practice`", SB_FIELDS_HABIT,
                &def.reflection, no_base);
    print_table("`relationships` entries", SB_FIELDS_RELATIONSHIP, &rel,
                "default of a new entry");
    sb_timeline_entry entry;
    sb_timeline_entry_default(&entry);
    print_table("`timeline` entries", SB_FIELDS_TIMELINE, &entry,
                "default of an entry");
    print_table("`therapy` in a `timeline` entry", SB_FIELDS_THERAPY_CHANGE,
                &entry.therapy, "default of an entry");
    printf("#### Kinds of `event`\n\n| kind | direction | default size | "
           "meaning |\n|---|---|---|---|\n");
    for (int k = 1; k < SB_EVENT_KIND_COUNT; k++) {
        const sb_event_info *e = sb_event_kind_info(k);
        printf("| `%s` | %s | %g | %s |\n", e->name,
               e->positive ? "toward security" : "toward insecurity", e->size,
               e->meaning);
    }
    printf("\n");
    return SB_EXIT_OK;
}

int sb__cli_scenarios(int argc, char **argv)
{
    static const struct option options[] = {
        {"show", required_argument, NULL, 's'},
        {"resolved", required_argument, NULL, 'r'},
        {"check", required_argument, NULL, 'c'},
        {"reference", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int mode = 0, c;
    const char *arg = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 's':
        case 'r':
        case 'c':
        case 'f':
            if (mode)
                return sb__cli_usage_error(
                    "scenarios", "give only one of --show, --resolved, "
                                 "--check and --reference");
            mode = c;
            arg = optarg;
            break;
        case 'h':
            usage(stdout);
            return SB_EXIT_OK;
        default:
            usage(stderr);
            return SB_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return sb__cli_usage_error("scenarios", "unexpected argument '%s'",
                                   argv[optind]);
    switch (mode) {
    case 's': return show(arg);
    case 'r': return resolved(arg);
    case 'c': return check(arg);
    case 'f': return reference();
    default: return list_builtins();
    }
}
