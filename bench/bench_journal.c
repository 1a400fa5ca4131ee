/*
 * How fast the journal takes records in and gives them out, on a real file
 * in $TMPDIR (WAL, synchronous FULL): a bulk CSV import in one transaction
 * against one transaction per record, exports, a backup, and rendering one
 * person's report with and without the model projection. Figures side by
 * side; `--quick` uses fewer rows.
 */
#include <securebase/journal.h>
#include <securebase/report.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, const sb_error *err)
{
    fprintf(stderr, "bench_journal: %s: %s\n", what, err->message);
    exit(1);
}

/* Sessions, one a day from 2000-01-01, for person 1. */
static char *sessions_csv(size_t rows, size_t *len)
{
    size_t cap = 64 + rows * 64;
    char *text = malloc(cap);
    if (!text)
        exit(1);
    size_t n = (size_t)snprintf(text, cap, "record,person,date,attended,minutes\n");
    long first = sb_date_days((sb_date){2000, 1, 1});
    for (size_t i = 0; i < rows; i++) {
        char date[SB_DATE_SIZE];
        sb_date_format(sb_date_from_days(first + (long)(i % 70000)), date);
        n += (size_t)snprintf(text + n, cap - n, "session,1,%s,%s,50\n", date,
                              i % 5 ? "yes" : "no");
    }
    *len = n;
    return text;
}

static sb_journal *fresh(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sb_journal *j;
    sb_error err;
    if (sb_journal_open(path, SB_JOURNAL_CREATE, &j, &err) != SB_OK)
        die("open", &err);
    sb_rec_person p;
    sb_journal_record_init(SB_KIND_PERSON, &p);
    snprintf(p.name, sizeof p.name, "bench");
    if (sb_journal_add(j, SB_KIND_PERSON, &p, &err) != SB_OK)
        die("add person", &err);
    return j;
}

static void row(const char *what, size_t count, const char *unit, double secs)
{
    printf("%-40s %10zu %-8s %10.3f s %14.0f /s\n", what, count, unit, secs,
           (double)count / secs);
}

/* A year of weekly sessions, monthly ECR, reflections and practice. */
static void fill_person(sb_journal *j)
{
    sb_error err;
    long first = sb_date_days((sb_date){2025, 1, 6});
    for (int w = 0; w < 52; w++) {
        char date[SB_DATE_SIZE];
        sb_date_format(sb_date_from_days(first + 7 * w), date);
        sb_rec_session s;
        sb_journal_record_init(SB_KIND_SESSION, &s);
        s.person = 1;
        snprintf(s.date, sizeof s.date, "%s", date);
        s.attended = w % 9 != 4;
        s.minutes = 50;
        sb_rec_reflection r;
        sb_journal_record_init(SB_KIND_REFLECTION, &r);
        r.person = 1;
        snprintf(r.date, sizeof r.date, "%s", date);
        snprintf(r.trigger, sizeof r.trigger, "trigger %d", w % 6);
        r.intensity = 8 - w / 8;
        r.tried = w % 3 == 0;
        snprintf(r.new_response, sizeof r.new_response, "asked directly");
        if (sb_journal_add(j, SB_KIND_SESSION, &s, &err) != SB_OK ||
            sb_journal_add(j, SB_KIND_REFLECTION, &r, &err) != SB_OK)
            die("fill", &err);
        if (w % 4)
            continue;
        sb_rec_assessment a;
        sb_journal_record_init(SB_KIND_ASSESSMENT, &a);
        a.person = 1;
        snprintf(a.instrument, sizeof a.instrument, "ecr");
        snprintf(a.scale, sizeof a.scale, "1-5");
        snprintf(a.date, sizeof a.date, "%s", date);
        a.item_count = 36;
        for (int i = 0; i < 36; i++)
            a.items[i] = 1 + (i + w / 4) % 5;
        if (sb_journal_add(j, SB_KIND_ASSESSMENT, &a, &err) != SB_OK)
            die("fill assessment", &err);
    }
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    size_t bulk = quick ? 20000 : 200000, single = quick ? 200 : 1000;
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/bench_journal.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    sb_error err;
    printf("%-40s %10s %-8s %12s %16s\n", "operation", "count", "unit", "time",
           "rate");

    size_t len;
    char *csv = sessions_csv(bulk, &len);
    sb_journal *j = fresh(dir, "bulk.db");
    double t0 = now_seconds();
    if (sb_journal_import_csv_buffer(j, "bench.csv", csv, len, NULL, NULL,
                                     &err) != SB_OK)
        die("import", &err);
    row("CSV import, one transaction", bulk, "rows", now_seconds() - t0);

    sb_journal *k = fresh(dir, "single.db");
    t0 = now_seconds();
    for (size_t i = 0; i < single; i++) {
        sb_rec_session s;
        sb_journal_record_init(SB_KIND_SESSION, &s);
        s.person = 1;
        snprintf(s.date, sizeof s.date, "2026-01-05");
        s.attended = 1;
        s.minutes = 50;
        if (sb_journal_add(k, SB_KIND_SESSION, &s, &err) != SB_OK)
            die("add", &err);
    }
    row("add, one transaction per record", single, "records",
        now_seconds() - t0);
    sb_journal_close(k);

    char out[4300];
    snprintf(out, sizeof out, "%s/export.csv", dir);
    t0 = now_seconds();
    if (sb_journal_export_file(j, SB_EXPORT_CSV, 0, out, &err) != SB_OK)
        die("export csv", &err);
    row("export CSV", bulk, "rows", now_seconds() - t0);
    snprintf(out, sizeof out, "%s/export.json", dir);
    t0 = now_seconds();
    if (sb_journal_export_file(j, SB_EXPORT_JSON, 0, out, &err) != SB_OK)
        die("export JSON", &err);
    row("export JSON", bulk, "rows", now_seconds() - t0);

    snprintf(out, sizeof out, "%s/backup.db", dir);
    t0 = now_seconds();
    if (sb_journal_backup(j, out, &err) != SB_OK)
        die("backup", &err);
    struct stat st;
    double secs = now_seconds() - t0;
    stat(out, &st);
    row("online backup (KiB)", (size_t)(st.st_size / 1024), "KiB", secs);
    sb_journal_close(j);

    sb_journal *p = fresh(dir, "person.db");
    fill_person(p);
    sb_report_options opt;
    sb_report_options_default(&opt);
    sb_person_records records;
    if (sb_journal_load_person(p, 1, &records, &err) != SB_OK)
        die("load the person", &err);
    for (int with = 0; with < 2; with++) {
        opt.projection_weeks = with ? 26 : 0;
        char *html;
        size_t hlen;
        t0 = now_seconds();
        if (sb_report_render(&records, &opt, &html, &hlen, &err) != SB_OK)
            die("report", &err);
        secs = now_seconds() - t0;
        printf("%-40s %10zu %-8s %10.3f s\n",
               with ? "report, projection of 2000 people" : "report, no projection",
               hlen / 1024, "KiB", secs);
        free(html);
    }
    sb_person_records_free(&records);
    sb_journal_close(p);
    free(csv);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
