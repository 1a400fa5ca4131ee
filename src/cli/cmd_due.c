/*
 * securebase due: the measures each person's schedules say are due or
 * overdue on a date, judged by the care layer (sb_care_due).
 */
#include "cli/cli.h"

#include <securebase/care.h>
#include <securebase/questionnaire.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
    fprintf(out,
            "usage: securebase due [--person PERSON | --all] [OPTIONS]\n\n"
            "Lists the measure schedules (an instrument every N weeks, set\n"
            "in the web app) with the date each is next due: 'due' from that\n"
            "date for %d days, 'overdue' after, 'later' before. A measure is\n"
            "next due every N weeks after it was last answered, or on the\n"
            "schedule's start date if it never was.\n\n"
            "  --person PERSON    one person (an id or an exact name)\n"
            "  --all              everyone (the default)\n"
            "  --date DATE        judge as of DATE (YYYY-MM-DD; default today)\n"
            "  --pending          only what is due or overdue\n"
            "  --db PATH          the journal (default as for 'journal')\n"
            "  -h, --help         this help\n\n"
            "Exit codes: 0 whether or not anything is due; 2 for a bad\n"
            "option, date or person.\n",
            SB_DUE_GRACE_DAYS);
}

static void today(char out[SB_DATE_SIZE])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    sb_date_format((sb_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday},
                   out);
}

static void when(const sb_due *d, char *out, size_t size)
{
    if (d->days == 0)
        snprintf(out, size, "today");
    else if (d->days < 0)
        snprintf(out, size, "in %ld day%s", -d->days, d->days == -1 ? "" : "s");
    else
        snprintf(out, size, "%ld day%s ago", d->days, d->days == 1 ? "" : "s");
}

static sb_status list(sb_journal *j, sb_id person, const char *date,
                      int pending, sb_error *err)
{
    sb_schedule *s;
    size_t n;
    sb_status st = sb_schedule_list(j, person, &s, &n, err);
    if (st != SB_OK)
        return st;
    size_t counts[3] = {0, 0, 0}, shown = 0;
    sb_rec_person who = {0};
    for (size_t i = 0; i < n && st == SB_OK; i++) {
        sb_due d;
        if ((st = sb_care_due(&s[i], date, &d, err)) != SB_OK)
            break;
        counts[d.state]++;
        if (pending && d.state == SB_DUE_LATER)
            continue;
        if (who.id != s[i].person &&
            (st = sb_journal_get(j, SB_KIND_PERSON, s[i].person, &who,
                                 err)) != SB_OK)
            break;
        if (!shown++)
            printf("%-20s %-8s %-6s %-11s %-11s %-8s %s\n", "person",
                   "measure", "every", "last done", "due on", "state",
                   "when");
        char every[16], ago[32];
        snprintf(every, sizeof every, "%dw", s[i].every_weeks);
        when(&d, ago, sizeof ago);
        printf("%-20s %-8s %-6s %-11s %-11s %-8s %s\n", who.name,
               s[i].instrument, every, s[i].last_done[0] ? s[i].last_done : "never",
               d.date, sb_due_state_name(d.state), ago);
    }
    free(s);
    if (st != SB_OK)
        return st;
    if (!n)
        printf("No measures are scheduled%s.\n", person ? " for this person" : "");
    else
        printf("%s%zu schedule%s as of %s: %zu due, %zu overdue, %zu later.\n",
               shown ? "\n" : "", n, n == 1 ? "" : "s", date,
               counts[SB_DUE_NOW], counts[SB_DUE_OVERDUE], counts[SB_DUE_LATER]);
    return SB_OK;
}

int sb__cli_due(int argc, char **argv)
{
    enum { OPT_DB = 1000, OPT_PERSON, OPT_ALL, OPT_DATE, OPT_PENDING };
    static const struct option options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"person", required_argument, NULL, OPT_PERSON},
        {"all", no_argument, NULL, OPT_ALL},
        {"date", required_argument, NULL, OPT_DATE},
        {"pending", no_argument, NULL, OPT_PENDING},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL, *person = NULL;
    char date[SB_DATE_SIZE];
    int c, all = 0, pending = 0;
    sb_error err;
    today(date);
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case OPT_DB: db = optarg; break;
        case OPT_PERSON: person = optarg; break;
        case OPT_ALL: all = 1; break;
        case OPT_PENDING: pending = 1; break;
        case OPT_DATE: {
            sb_date d;
            if (sb_date_parse(optarg, &d, &err) != SB_OK)
                return sb__cli_usage_error("due", "--date: %s", err.message);
            sb_date_format(d, date);
            break;
        }
        case 'h': usage(stdout); return SB_EXIT_OK;
        default: usage(stderr); return SB_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return sb__cli_usage_error("due", "unexpected argument '%s'",
                                  argv[optind]);
    if (person && all)
        return sb__cli_usage_error("due", "give --person or --all, not both");
    sb_journal *j;
    int rc = sb__cli_journal_open(db, SB_JOURNAL_READONLY, &j);
    if (rc)
        return rc;
    sb_status st = SB_OK;
    sb_rec_person who = {0};
    if (person)
        st = sb_journal_find_person(j, person, &who, &err);
    if (st == SB_OK)
        st = list(j, who.id, date, pending, &err);
    sb_journal_close(j);
    if (st != SB_OK) {
        sb__cli_report_error(&err);
        return sb__cli_exit_code(st);
    }
    return SB_EXIT_OK;
}
