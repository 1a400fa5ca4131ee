/*
 * Exports of the journal: CSV in exactly the import format (one header with
 * a `record` column and the union of all fields; through the one CSV
 * writer, so formula-like text is neutralised and reads back unchanged), or
 * JSON with one array per kind. Files are written atomically and privately
 * (0600).
 */
#include <securebase/journal.h>

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

sb_status sb_export_format_parse(const char *name, sb_export_format *out,
                                 sb_error *err)
{
    if (!strcmp(name, "csv"))
        *out = SB_EXPORT_CSV;
    else if (!strcmp(name, "json"))
        *out = SB_EXPORT_JSON;
    else
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "unknown export format '%s' (expected csv or json)",
                            name);
    return SB_OK;
}

/* The CSV columns: `record`, then every field name once, in kind order. */
static size_t csv_columns(const char **names, size_t cap)
{
    size_t n = 0;
    names[n++] = "record";
    for (int k = 0; k < SB_KIND_COUNT; k++) {
        size_t count;
        const sb_journal_field *f = sb_journal_fields((sb_journal_kind)k, &count);
        for (size_t i = 0; i < count; i++) {
            size_t d = 0;
            while (d < n && strcmp(names[d], f[i].name))
                d++;
            if (d == n && n < cap)
                names[n++] = f[i].name;
        }
    }
    return n;
}

static sb_status write_csv(sb_journal *j, sb_id person, FILE *out,
                           sb_error *err)
{
    const char *cols[64];
    size_t ncols = csv_columns(cols, 64);
    sb_csv_writer w;
    sb_csv_writer_init(&w, out);
    for (size_t c = 0; c < ncols; c++)
        sb_csv_text(&w, cols[c]);
    sb_csv_end_row(&w);
    char value[SB_JOURNAL_VALUE_MAX];
    for (int k = 0; k < SB_KIND_COUNT && !sb_csv_writer_status(&w); k++) {
        sb_journal_kind kind = (sb_journal_kind)k;
        void *records;
        size_t n;
        sb_status st = sb_journal_list(j, kind, person, &records, &n, err);
        if (st != SB_OK)
            return st;
        size_t size = sb_journal_record_size(kind);
        for (size_t r = 0; r < n && !sb_csv_writer_status(&w); r++) {
            const char *rec = (const char *)records + r * size;
            sb_csv_text(&w, sb_journal_kind_name(kind));
            for (size_t c = 1; c < ncols; c++) {
                const sb_journal_field *f = sb_journal_field_find(kind, cols[c]);
                value[0] = '\0';
                if (f)
                    sb_journal_field_format(f, rec, value, sizeof value);
                sb_csv_text(&w, value);
            }
            sb_csv_end_row(&w);
        }
        free(records);
    }
    if (sb_csv_writer_status(&w))
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot write the export");
    return SB_OK;
}

/* A field as JSON; NULL only when out of memory or the text is not UTF-8. */
static json_t *field_json(const sb_journal_field *f, const void *record)
{
    const char *p = (const char *)record + f->offset;
    switch (f->type) {
    case SB_JFIELD_ID:
    case SB_JFIELD_PERSON:
        return json_integer((json_int_t) * (const sb_id *)p);
    case SB_JFIELD_TEXT:
    case SB_JFIELD_DATE:
        return p[0] || f->required ? json_string(p) : json_null();
    case SB_JFIELD_BOOL:
        return json_boolean(*(const int *)p == 1);
    case SB_JFIELD_INT:
        return json_integer(*(const int *)p);
    case SB_JFIELD_ENUM:
        return json_string(f->names[*(const int *)p]);
    case SB_JFIELD_ITEMS: {
        const sb_rec_assessment *a = record;
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < a->item_count; i++)
            if (json_array_append_new(arr, isnan(a->items[i])
                                               ? json_null()
                                               : json_real(a->items[i])))
                return json_decref(arr), NULL;
        return arr;
    }
    case SB_JFIELD_SCORES: {
        const sb_rec_assessment *a = record;
        json_t *obj = json_object();
        for (size_t i = 0; obj && i < a->score_count; i++)
            if (json_object_set_new(obj, a->scores[i].scale,
                                    json_real(a->scores[i].value)))
                return json_decref(obj), NULL;
        return obj;
    }
    }
    return NULL;
}

static sb_status write_json(sb_journal *j, sb_id person, FILE *out,
                            sb_error *err)
{
    json_t *root = json_object();
    int bad = !root || json_object_set_new(root, "format",
                                           json_string("securebase-journal")) ||
              json_object_set_new(root, "schema",
                                  json_integer(sb_journal_schema_version()));
    for (int k = 0; k < SB_KIND_COUNT && !bad; k++) {
        sb_journal_kind kind = (sb_journal_kind)k;
        void *records;
        size_t n, nf;
        sb_status st = sb_journal_list(j, kind, person, &records, &n, err);
        if (st != SB_OK) {
            json_decref(root);
            return st;
        }
        const sb_journal_field *f = sb_journal_fields(kind, &nf);
        size_t size = sb_journal_record_size(kind);
        json_t *arr = json_array();
        bad = !arr || json_object_set_new(root, sb_journal_kind_plural(kind), arr);
        for (size_t r = 0; r < n && !bad; r++) {
            const char *rec = (const char *)records + r * size;
            json_t *obj = json_object();
            bad = !obj || json_array_append_new(arr, obj);
            for (size_t i = 0; i < nf && !bad; i++) {
                json_t *v = field_json(&f[i], rec);
                bad = !v || json_object_set_new(obj, f[i].name, v);
            }
        }
        free(records);
    }
    if (!bad)
        bad = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
              fputc('\n', out) == EOF;
    json_decref(root);
    if (bad)
        return sb_error_set(err, SB_ERR_IO, NULL, 0, 0,
                            "cannot write the JSON export");
    return SB_OK;
}

sb_status sb_journal_export_stream(sb_journal *j, sb_export_format format,
                                   sb_id person, FILE *out, sb_error *err)
{
    if (person) {
        sb_rec_person p;
        sb_status st = sb_journal_get(j, SB_KIND_PERSON, person, &p, err);
        if (st != SB_OK)
            return st;
    }
    if (format == SB_EXPORT_CSV)
        return write_csv(j, person, out, err);
    if (format == SB_EXPORT_JSON)
        return write_json(j, person, out, err);
    return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                        "unknown export format %d", (int)format);
}

sb_status sb_journal_export_file(sb_journal *j, sb_export_format format,
                                 sb_id person, const char *path, sb_error *err)
{
    sb_atomic_file *af;
    sb_status st = sb_journal_guard_output(j, path, err);
    /* The export holds the same private data as the journal. */
    if (st == SB_OK)
        st = sb_atomic_open_mode(path, 0600, &af, err);
    if (st != SB_OK)
        return st;
    st = sb_journal_export_stream(j, format, person, sb_atomic_stream(af), err);
    if (st != SB_OK) {
        sb_atomic_abort(af);
        if (err && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", path);
        return st;
    }
    return sb_atomic_commit(af, err);
}
