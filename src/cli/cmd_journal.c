/*
 * securebase journal: keep a person's record from the command line. Each
 * subcommand (init, add, list, edit, delete, import, export, backup, check)
 * is a thin face over the journal layer; the options of `add` and `edit`
 * come from the journal's field tables, so they always match the records.
 */
#include "cli/cli.h"

#include <securebase/journal.h>
#include <securebase/report.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FIELDS 16

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase journal [--db PATH] SUBCOMMAND [ARGS]\n\n"
            "Keeps a person's record in one local SQLite file: people, their\n"
            "relationships, therapy sessions, questionnaires, reflections on\n"
            "triggers and practice of new responses.\n\n"
            "subcommands:\n"
            "  init                      create the journal (mode 0600); the\n"
            "                            only subcommand that creates one\n"
            "  add KIND --FIELD VALUE..  add a record\n"
            "  list KIND [--person P]    list records\n"
            "  edit KIND ID --FIELD V..  change fields of a record\n"
            "  delete KIND ID [--cascade]\n"
            "                            delete a record (--cascade: a person\n"
            "                            with everything recorded about them)\n"
            "  import FILE.csv [--dry-run]\n"
            "                            add every row of a CSV file, or none\n"
            "  export --format csv|json|fhir [--out FILE] [--person P]\n"
            "  backup DEST               copy the journal safely while in use\n"
            "  check                     verify the file's integrity\n"
            "  repair                    count each person's questionnaire series afresh\n\n"
            "kinds: person, relationship, session, assessment, reflection,\n"
            "practice. 'securebase journal add KIND --help' lists the fields.\n\n"
            "  --db PATH    the journal (default $XDG_DATA_HOME/securebase/\n"
            "               journal.db or ~/.local/share/securebase/journal.db)\n"
            "  -h, --help   this help\n\n"
            "Dates are YYYY-MM-DD (or 'today'); yes/no fields take yes or no;\n"
            "--person takes an id or an exact name: digits are always an id,\n"
            "and a name may not be digits only.\n");
}

/* ---- shared pieces ------------------------------------------------------- */

typedef struct ctx {
    const char *db; /* NULL: the default path */
} ctx;

static int fail(sb_status st, const sb_error *err)
{
    sb__cli_report_error(err);
    return sb__cli_exit_code(st);
}

static int open_journal(const ctx *c, unsigned flags, sb_journal **j)
{
    return sb__cli_journal_open(c->db, flags, j);
}

static int parse_kind(const char *sub, const char *text, sb_journal_kind *kind)
{
    sb_error err;
    if (sb_journal_kind_parse(text, kind, &err) != SB_OK)
        return sb__cli_usage_error(sub, "%s", err.message);
    return SB_EXIT_OK;
}

static int parse_id(const char *sub, const char *text, sb_id *id)
{
    long v;
    int rc = sb__cli_parse_long(sub, "ID", text, 1, 2147483647L, &v);
    *id = v;
    return rc;
}

/* The id of --person (an id or a name); 0, everyone, when it was not given. */
static sb_status find_person_id(sb_journal *j, const char *id_or_name,
                                sb_id *id, sb_error *err)
{
    *id = 0;
    if (!id_or_name)
        return SB_OK;
    sb_rec_person p;
    sb_status st = sb_journal_find_person(j, id_or_name, &p, err);
    if (st == SB_OK)
        *id = p.id;
    return st;
}

/* Options --db and --help, plus one per field for add and edit. */
typedef struct field_options {
    struct option opts[MAX_FIELDS + 4];
    char names[MAX_FIELDS][40];
    const sb_journal_field *fields;
    size_t count;
} field_options;

enum { OPT_DB = 1000, OPT_HELP, OPT_CASCADE, OPT_PERSON, OPT_DRY_RUN,
       OPT_FORMAT, OPT_OUT, OPT_FIELD = 2000 };

static void build_field_options(sb_journal_kind kind, field_options *fo)
{
    size_t n = 0, k = 0;
    fo->fields = sb_journal_fields(kind, &fo->count);
    for (size_t i = 0; i < fo->count && i < MAX_FIELDS; i++) {
        const sb_journal_field *f = &fo->fields[i];
        if (f->type == SB_JFIELD_ID || f->type == SB_JFIELD_SCORES)
            continue;
        snprintf(fo->names[k], sizeof fo->names[k], "%s", f->name);
        for (char *p = fo->names[k]; *p; p++)
            if (*p == '_')
                *p = '-';
        fo->opts[n++] = (struct option){fo->names[k], required_argument, NULL,
                                        OPT_FIELD + (int)i};
        k++;
    }
    fo->opts[n++] = (struct option){"db", required_argument, NULL, OPT_DB};
    fo->opts[n++] = (struct option){"help", no_argument, NULL, OPT_HELP};
    fo->opts[n] = (struct option){NULL, 0, NULL, 0};
}

static void field_help(FILE *out, const char *sub, sb_journal_kind kind)
{
    size_t n;
    const sb_journal_field *f = sb_journal_fields(kind, &n);
    fprintf(out, "usage: securebase journal %s %s%s [--FIELD VALUE]...\n\n"
                 "fields of a %s (* = required when adding):\n",
            sub, sb_journal_kind_name(kind), strcmp(sub, "add") ? " ID" : "",
            sb_journal_kind_name(kind));
    for (size_t i = 0; i < n; i++) {
        if (f[i].type == SB_JFIELD_ID || f[i].type == SB_JFIELD_SCORES)
            continue;
        char opt[48];
        snprintf(opt, sizeof opt, "--%s", f[i].name);
        for (char *p = opt + 2; *p; p++)
            if (*p == '_')
                *p = '-';
        fprintf(out, "  %-16s %c %s\n", opt, f[i].required ? '*' : ' ',
                f[i].meaning);
    }
    if (kind == SB_KIND_ASSESSMENT)
        fprintf(out, "\nScores are computed from the answers when stored.\n");
}

static void today(char out[SB_DATE_SIZE])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    sb_date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    sb_date_format(d, out);
}

/* Sets one field from an option's value, resolving names and 'today'. */
static int set_field(sb_journal *j, const char *sub, const sb_journal_field *f,
                     const char *value, void *rec)
{
    sb_error err;
    char buf[32];
    if (f->type == SB_JFIELD_DATE && !strcmp(value, "today")) {
        today(buf);
        value = buf;
    }
    if (f->type == SB_JFIELD_PERSON) {
        sb_id id;
        sb_status st = find_person_id(j, value, &id, &err);
        if (st != SB_OK)
            return fail(st, &err);
        snprintf(buf, sizeof buf, "%lld", (long long)id);
        value = buf;
    }
    if (sb_journal_field_parse(f, value, rec, &err) != SB_OK)
        return sb__cli_usage_error(sub, "%s", err.message);
    return SB_EXIT_OK;
}

/* ---- add and edit -------------------------------------------------------- */

static int add_or_edit(ctx *c, int argc, char **argv, int editing)
{
    const char *sub = editing ? "journal edit" : "journal add";
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        int asked = argc >= 2;
        FILE *out = asked ? stdout : stderr;
        fprintf(out, "usage: securebase journal %s KIND%s --FIELD VALUE...\n"
                     "Run 'securebase journal %s KIND --help' for the fields "
                     "of a kind.\n",
                editing ? "edit" : "add", editing ? " ID" : "",
                editing ? "edit" : "add");
        return asked ? SB_EXIT_OK : SB_EXIT_USAGE;
    }
    sb_journal_kind kind;
    int rc = parse_kind(sub, argv[1], &kind);
    if (rc)
        return rc;
    field_options fo;
    build_field_options(kind, &fo);
    /* Options are parsed after KIND (argv[1] acts as the program name).
     * First pass: --help and --db, before the journal is opened. */
    int o, oargc = argc - 1;
    char **oargv = argv + 1;
    optind = 0; /* glibc: start afresh, after the parent's '+' parse */
    while ((o = getopt_long(oargc, oargv, ":", fo.opts, NULL)) != -1) {
        if (o == OPT_HELP) {
            field_help(stdout, editing ? "edit" : "add", kind);
            return SB_EXIT_OK;
        }
        if (o == OPT_DB)
            c->db = optarg;
        if (o == ':')
            return sb__cli_usage_error(sub, "option '%s' needs a value",
                                       oargv[optind - 1]);
        if (o == '?')
            return sb__cli_usage_error(sub, "a %s has no field '%s'",
                                       sb_journal_kind_name(kind),
                                       oargv[optind - 1]);
    }
    int first_arg = optind;
    sb_id id = 0;
    if (editing) {
        if (first_arg >= oargc)
            return sb__cli_usage_error(sub, "which %s? give its ID",
                                       sb_journal_kind_name(kind));
        if ((rc = parse_id(sub, oargv[first_arg], &id)))
            return rc;
        first_arg++;
    }
    if (first_arg < oargc)
        return sb__cli_usage_error(sub, "unexpected argument '%s'",
                                   oargv[first_arg]);
    sb_journal *j;
    if ((rc = open_journal(c, 0, &j)))
        return rc;
    union {
        sb_rec_person p;
        sb_rec_relationship r;
        sb_rec_session s;
        sb_rec_assessment a;
        sb_rec_reflection f;
        sb_rec_practice x;
    } rec;
    sb_error err;
    sb_status st = SB_OK;
    if (editing)
        st = sb_journal_get(j, kind, id, &rec, &err);
    else
        sb_journal_record_init(kind, &rec);
    int changed = 0;
    optind = 0;
    while (st == SB_OK && !rc &&
           (o = getopt_long(oargc, oargv, ":", fo.opts, NULL)) != -1)
        if (o >= OPT_FIELD) {
            rc = set_field(j, sub, &fo.fields[o - OPT_FIELD], optarg, &rec);
            changed++;
        }
    if (st == SB_OK && !rc && editing && !changed)
        rc = sb__cli_usage_error(sub, "nothing to change: give --FIELD VALUE");
    if (st == SB_OK && !rc)
        st = editing ? sb_journal_edit(j, kind, &rec, &err)
                     : sb_journal_add(j, kind, &rec, &err);
    if (st != SB_OK)
        rc = fail(st, &err);
    else if (!rc)
        printf("%s %s %lld\n", editing ? "changed" : "added",
               sb_journal_kind_name(kind), (long long)*(sb_id *)&rec);
    if (st == SB_OK && !rc && kind == SB_KIND_ASSESSMENT) {
        char scores[SB_JOURNAL_VALUE_MAX];
        sb_journal_field_format(sb_journal_field_find(kind, "scores"), &rec,
                                scores, sizeof scores);
        printf("%s scores: %s\n", rec.a.instrument,
               scores[0] ? scores : "none (too many answers missing)");
    }
    sb_journal_close(j);
    return rc;
}

/* ---- list ---------------------------------------------------------------- */

#define CELL_WIDTH 36

/* A cell for the terminal: one line of printable text, at most CELL_WIDTH
 * characters. */
static void cell_text(const char *in, char *out, size_t size)
{
    size_t chars = 0, n = 0, cut = 0;
    for (const char *p = in; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    size_t keep = chars > CELL_WIDTH ? CELL_WIDTH - 3 : chars;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        if ((*p & 0xC0) != 0x80 && cut++ == keep)
            break;
        if (n + 4 >= size)
            break;
        /* Control characters, C1 ones (U+0080-U+009F) included, could steer
         * the terminal: each shows as a space. */
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            out[n++] = ' ';
            p++;
            continue;
        }
        out[n++] = *p < 0x20 || *p == 0x7F ? ' ' : (char)*p;
    }
    if (chars > keep)
        memcpy(out + n, "...", 3), n += 3;
    out[n] = '\0';
}

static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void print_table(sb_journal_kind kind, const void *records, size_t n)
{
    size_t nf;
    const sb_journal_field *f = sb_journal_fields(kind, &nf);
    size_t size = sb_journal_record_size(kind);
    size_t width[MAX_FIELDS];
    char value[SB_JOURNAL_VALUE_MAX], cell[CELL_WIDTH * 4 + 8];
    for (size_t i = 0; i < nf; i++)
        width[i] = strlen(f[i].name);
    for (size_t r = 0; r < n; r++)
        for (size_t i = 0; i < nf; i++) {
            sb_journal_field_format(&f[i], (const char *)records + r * size,
                                    value, sizeof value);
            cell_text(value, cell, sizeof cell);
            size_t w = display_width(cell);
            if (w > width[i])
                width[i] = w;
        }
    for (size_t i = 0; i < nf; i++)
        printf("%-*s%s", (int)width[i], f[i].name, i + 1 < nf ? "  " : "\n");
    for (size_t r = 0; r < n; r++)
        for (size_t i = 0; i < nf; i++) {
            sb_journal_field_format(&f[i], (const char *)records + r * size,
                                    value, sizeof value);
            cell_text(value, cell, sizeof cell);
            if (i + 1 == nf) {
                printf("%s\n", cell);
                continue;
            }
            size_t pad = width[i] - display_width(cell);
            printf("%s%*s  ", cell, (int)pad, "");
        }
}

static int list(ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"person", required_argument, NULL, OPT_PERSON},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    const char *person_arg = NULL;
    int o;
    optind = 0; /* glibc: start afresh, after the parent's '+' parse */
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case OPT_PERSON: person_arg = optarg; break;
        case OPT_DB: c->db = optarg; break;
        case OPT_HELP:
            printf("usage: securebase journal list KIND [--person ID|NAME]\n\n"
                   "Lists the records of a kind (of one person), by date.\n");
            return SB_EXIT_OK;
        default:
            return sb__cli_usage_error("journal list", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return sb__cli_usage_error("journal list", "give one KIND to list");
    sb_journal_kind kind;
    int rc = parse_kind("journal list", argv[optind], &kind);
    sb_journal *j;
    if (rc || (rc = open_journal(c, SB_JOURNAL_READONLY, &j)))
        return rc;
    sb_error err;
    sb_id person = 0;
    sb_status st = find_person_id(j, person_arg, &person, &err);
    void *records = NULL;
    size_t n = 0;
    if (st == SB_OK)
        st = sb_journal_list(j, kind, person, &records, &n, &err);
    if (st == SB_OK)
        print_table(kind, records, n);
    free(records);
    sb_journal_close(j);
    return st == SB_OK ? SB_EXIT_OK : fail(st, &err);
}

/* ---- delete -------------------------------------------------------------- */

static int delete_record(ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"cascade", no_argument, NULL, OPT_CASCADE},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    unsigned flags = 0;
    int o;
    optind = 0; /* glibc: start afresh, after the parent's '+' parse */
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case OPT_CASCADE: flags |= SB_JOURNAL_CASCADE; break;
        case OPT_DB: c->db = optarg; break;
        case OPT_HELP:
            printf("usage: securebase journal delete KIND ID [--cascade]\n\n"
                   "Deletes one record. A person who still has records is only\n"
                   "deleted with --cascade, which deletes those records too.\n");
            return SB_EXIT_OK;
        default:
            return sb__cli_usage_error("journal delete", "unknown option");
        }
    }
    if (optind + 2 != argc)
        return sb__cli_usage_error("journal delete", "give a KIND and an ID");
    sb_journal_kind kind;
    sb_id id;
    int rc = parse_kind("journal delete", argv[optind], &kind);
    if (!rc)
        rc = parse_id("journal delete", argv[optind + 1], &id);
    sb_journal *j;
    if (rc || (rc = open_journal(c, 0, &j)))
        return rc;
    sb_error err;
    sb_status st = sb_journal_delete(j, kind, id, flags, &err);
    sb_journal_close(j);
    if (st == SB_ERR_STATE) {
        /* Not a failure of the program: the request needs --cascade. */
        sb__cli_report_error(&err);
        fprintf(stderr, "Add --cascade to delete them together.\n");
        return SB_EXIT_USAGE;
    }
    if (st != SB_OK)
        return fail(st, &err);
    printf("deleted %s %lld\n", sb_journal_kind_name(kind), (long long)id);
    return SB_EXIT_OK;
}

/* ---- import, export, backup, check --------------------------------------- */

static int import_file(ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    sb_import_options opt = {0};
    int o;
    optind = 0; /* glibc: start afresh, after the parent's '+' parse */
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case OPT_DRY_RUN: opt.dry_run = 1; break;
        case OPT_DB: c->db = optarg; break;
        case OPT_HELP:
            printf("usage: securebase journal import FILE.csv [--dry-run]\n\n"
                   "Adds every row of a CSV file in one transaction: all rows or\n"
                   "none. The header names the columns: 'record' (person,\n"
                   "relationship, session, assessment, reflection or practice)\n"
                   "and the fields of those kinds; a row leaves the columns of\n"
                   "other kinds empty. 'journal export --format csv' writes this\n"
                   "format. --dry-run checks every row and keeps nothing.\n");
            return SB_EXIT_OK;
        default:
            return sb__cli_usage_error("journal import", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return sb__cli_usage_error("journal import", "give one CSV file");
    const char *path = argv[optind];
    sb_error err;
    FILE *in;
    if (sb_file_open_read(path, &in, &err) != SB_OK) {
        /* Input that cannot be opened is an input error (2), not a failure. */
        sb__cli_report_error(&err);
        fprintf(stderr, "Nothing was imported.\n");
        return SB_EXIT_USAGE;
    }
    sb_journal *j;
    int rc = open_journal(c, 0, &j);
    if (rc) {
        fclose(in);
        return rc;
    }
    sb_import_summary sum;
    sb_status st = sb_journal_import_csv_stream(j, in, path, &opt, &sum, &err);
    fclose(in);
    sb_journal_close(j);
    if (st != SB_OK) {
        rc = fail(st, &err);
        fprintf(stderr, "Nothing was imported.\n");
        return rc;
    }
    printf("%s %zu rows:", opt.dry_run ? "checked" : "imported", sum.rows);
    for (int k = 0; k < SB_KIND_COUNT; k++)
        if (sum.added[k])
            printf(" %zu %s", sum.added[k],
                   sum.added[k] == 1 ? sb_journal_kind_name((sb_journal_kind)k)
                                     : sb_journal_kind_plural((sb_journal_kind)k));
    printf("%s\n", opt.dry_run ? " (dry run: nothing kept)" : "");
    return SB_EXIT_OK;
}

/* The FHIR bundle: the journal's people and assessments, handed to the
 * report layer's writer. */
static sb_status export_fhir(sb_journal *j, sb_id person, const char *out,
                             sb_error *err)
{
    void *people = NULL, *assessments = NULL;
    size_t np = 0, na = 0;
    sb_status st = SB_OK;
    if (person) {
        people = malloc(sizeof(sb_rec_person));
        np = 1;
        st = people ? sb_journal_get(j, SB_KIND_PERSON, person, people, err)
                    : sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0,
                                   "out of memory");
    } else {
        st = sb_journal_list(j, SB_KIND_PERSON, 0, &people, &np, err);
    }
    if (st == SB_OK)
        st = sb_journal_list(j, SB_KIND_ASSESSMENT, person, &assessments, &na,
                             err);
    if (st == SB_OK) {
        sb_fhir_records rec = {people, np, assessments, na};
        st = out ? sb_fhir_write_file(&rec, out, err)
                 : sb_fhir_write(&rec, stdout, err);
    }
    free(people);
    free(assessments);
    return st;
}

static int export_records(ctx *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"out", required_argument, NULL, OPT_OUT},
        {"person", required_argument, NULL, OPT_PERSON},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    const char *format = NULL, *out = NULL, *person_arg = NULL;
    int o;
    optind = 0; /* glibc: start afresh, after the parent's '+' parse */
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case OPT_FORMAT: format = optarg; break;
        case OPT_OUT: out = optarg; break;
        case OPT_PERSON: person_arg = optarg; break;
        case OPT_DB: c->db = optarg; break;
        case OPT_HELP:
            printf("usage: securebase journal export --format csv|json|fhir "
                   "[--out FILE] [--person ID|NAME]\n\n"
                   "Writes every record (or one person's) as CSV in the import\n"
                   "format, or as JSON. 'fhir' writes people and questionnaires\n"
                   "as a FHIR R4 Bundle: a Patient per person (by pseudonym), a\n"
                   "Questionnaire per instrument (no item wording), a\n"
                   "QuestionnaireResponse per assessment and an Observation per\n"
                   "score (docs/formats.md). With --out the file is written\n"
                   "atomically with mode 0600; otherwise to standard output.\n");
            return SB_EXIT_OK;
        default:
            return sb__cli_usage_error("journal export", "unknown option");
        }
    }
    if (optind != argc)
        return sb__cli_usage_error("journal export", "unexpected argument '%s'",
                                   argv[optind]);
    if (!format)
        return sb__cli_usage_error("journal export", "--format csv|json|fhir "
                                                    "is required");
    int fhir = !strcmp(format, "fhir");
    sb_export_format fmt = SB_EXPORT_CSV;
    sb_error err;
    if (!fhir && sb_export_format_parse(format, &fmt, &err) != SB_OK)
        return sb__cli_usage_error("journal export", "unknown format '%s' "
                                   "(expected csv, json or fhir)", format);
    sb_journal *j;
    int rc = open_journal(c, SB_JOURNAL_READONLY, &j);
    if (rc)
        return rc;
    sb_id person = 0;
    sb_status st = find_person_id(j, person_arg, &person, &err);
    if (out)
        sb__cli_remove_on_signal(out);
    if (st == SB_OK && fhir && out)
        st = sb_journal_guard_output(j, out, &err);
    if (st == SB_OK && fhir)
        st = export_fhir(j, person, out, &err);
    else if (st == SB_OK)
        st = out ? sb_journal_export_file(j, fmt, person, out, &err)
                 : sb_journal_export_stream(j, fmt, person, stdout, &err);
    sb_journal_close(j);
    if (st == SB_OK && !out && fflush(stdout) != 0)
        return SB_EXIT_FAILURE;
    return st == SB_OK ? SB_EXIT_OK : fail(st, &err);
}

static int simple(ctx *c, int argc, char **argv, const char *name,
                  const char *help, int nargs)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    char sub[32];
    snprintf(sub, sizeof sub, "journal %s", name);
    int o;
    optind = 0; /* glibc: start afresh, after the parent's '+' parse */
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == OPT_DB) {
            c->db = optarg;
        } else if (o == OPT_HELP) {
            fputs(help, stdout);
            return SB_EXIT_OK;
        } else {
            return sb__cli_usage_error(sub, "unknown option");
        }
    }
    if (argc - optind > nargs)
        return sb__cli_usage_error(sub, "unexpected argument '%s'",
                                   argv[optind + nargs]);
    if (argc - optind < nargs)
        return sb__cli_usage_error(sub, "give the destination file");
    return -1; /* go on */
}

static int init(ctx *c, int argc, char **argv)
{
    int rc = simple(c, argc, argv, "init",
                    "usage: securebase journal init\n\nCreates the journal "
                    "(mode 0600, in a 0700 directory) or\nbrings an existing "
                    "one to the current schema. The only command\nthat "
                    "creates a journal: the others refuse a missing or empty "
                    "file.\n",
                    0);
    if (rc >= 0)
        return rc;
    sb_journal *j;
    if ((rc = open_journal(c, SB_JOURNAL_CREATE, &j)))
        return rc;
    printf("journal ready at %s (schema version %d)\n", sb_journal_path(j),
           sb_journal_schema_version());
    sb_journal_close(j);
    return SB_EXIT_OK;
}

static int backup(ctx *c, int argc, char **argv)
{
    int rc = simple(c, argc, argv, "backup",
                    "usage: securebase journal backup DEST\n\nCopies the "
                    "journal to DEST with SQLite's online backup,\nsafely "
                    "even while it is in use. The copy is checked, has\nmode "
                    "0600 and replaces DEST only when complete.\n",
                    1);
    if (rc >= 0)
        return rc;
    sb_journal *j;
    if ((rc = open_journal(c, SB_JOURNAL_READONLY, &j)))
        return rc;
    sb_error err;
    sb__cli_remove_on_signal(argv[optind]);
    sb_status st = sb_journal_backup(j, argv[optind], &err);
    sb_journal_close(j);
    if (st != SB_OK)
        return fail(st, &err);
    printf("backed up to %s\n", argv[optind]);
    return SB_EXIT_OK;
}

static int check(ctx *c, int argc, char **argv)
{
    int rc = simple(c, argc, argv, "check",
                    "usage: securebase journal check\n\nRuns SQLite's "
                    "integrity and foreign key checks, and compares\neach "
                    "person's questionnaire series, which the journal keeps\n"
                    "counted, with a fresh count.\n",
                    0);
    if (rc >= 0)
        return rc;
    sb_journal *j;
    if ((rc = open_journal(c, SB_JOURNAL_READONLY, &j)))
        return rc;
    sb_error err;
    sb_status st = sb_journal_check_integrity(j, &err);
    sb_journal_close(j);
    if (st != SB_OK)
        return fail(st, &err);
    printf("ok\n");
    return SB_EXIT_OK;
}

static int repair(ctx *c, int argc, char **argv)
{
    int rc = simple(c, argc, argv, "repair",
                    "usage: securebase journal repair\n\nCounts each "
                    "person's questionnaire series afresh (the\njournal keeps "
                    "them counted as records are written; a program\nthat "
                    "writes the file without foreign keys and recursive "
                    "triggers\non can leave them wrong, which journal check "
                    "reports), then\nruns journal check.\n",
                    0);
    if (rc >= 0)
        return rc;
    sb_journal *j;
    if ((rc = open_journal(c, 0, &j)))
        return rc;
    sb_error err;
    sb_status st = sb_journal_repair(j, &err);
    if (st == SB_OK)
        st = sb_journal_check_integrity(j, &err);
    sb_journal_close(j);
    if (st != SB_OK)
        return fail(st, &err);
    printf("ok\n");
    return SB_EXIT_OK;
}

/* ---- dispatch ------------------------------------------------------------ */

int sb__cli_journal(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0}};
    ctx c = {NULL};
    int o;
    optind = 0;
    /* '+': stop at the subcommand; its options are its own. */
    while ((o = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (o) {
        case OPT_DB: c.db = optarg; break;
        case 'h':
        case OPT_HELP: usage(stdout); return SB_EXIT_OK;
        default: usage(stderr); return SB_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return SB_EXIT_USAGE;
    }
    static const struct {
        const char *name;
        int (*run)(ctx *, int, char **);
    } subs[] = {{"init", init},           {"list", list},
                {"delete", delete_record}, {"import", import_file},
                {"export", export_records}, {"backup", backup},
                {"check", check},
                {"repair", repair}};
    const char *name = argv[optind];
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    if (!strcmp(name, "add"))
        return add_or_edit(&c, sub_argc, sub_argv, 0);
    if (!strcmp(name, "edit"))
        return add_or_edit(&c, sub_argc, sub_argv, 1);
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(name, subs[i].name))
            return subs[i].run(&c, sub_argc, sub_argv);
    return sb__cli_usage_error("journal", "unknown subcommand '%s'", name);
}
