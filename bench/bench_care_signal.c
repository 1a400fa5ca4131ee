/*
 * The not-on-track signal on simulated cohorts whose outcomes the model
 * knows: for each scenario, the share of poor outcomes (no reliable
 * improvement, or a reliable deterioration, at the end of the course)
 * flagged by an assessment between sessions 3 and 8, the share of good
 * outcomes flagged (false alarms), and the weeks from the first flag to
 * the reliable-change verdict, for the empirical band, the model band and
 * reliable change alone side by side, with the time each took. Simulated
 * courses are not clinical data: these figures test the method and the
 * code, not the clinic.
 * usage: bench_care_signal [--quick]
 */
#include <securebase/care.h>
#include <securebase/scenario.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int fail(const sb_error *err)
{
    char buf[2048];
    sb_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench_care_signal: %s\n", buf);
    return 1;
}

static void row(const char *label, const sb_care_eval *e, int which)
{
    printf("  %-34s", label);
    for (int s = 0; s < 3; s++) {
        const sb_care_eval_side *d = &e->side[s];
        if (which == 0)
            printf(" %17.1f%%", 100 * d->hit_rate);
        else if (which == 1)
            printf(" %17.1f%%", 100 * d->false_alarm_rate);
        else if (d->lead_n) {
            char buf[48];
            snprintf(buf, sizeof buf, "%.1f [%.1f, %.1f]", d->lead_median,
                     d->lead_q1, d->lead_q3);
            printf(" %18s", buf);
        } else {
            printf(" %18s", "-");
        }
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    size_t people = quick ? 200 : 1000;
    static const char *const scenarios[] = {"therapy-only", "therapy+support",
                                            "all-factors"};
    printf("simulated cohorts (not clinical data): %zu courses of 20 weekly "
           "sessions each, seed 1; model bands of %d simulated people\n",
           people, SB_CARE_MODEL_PEOPLE);
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        sb_scenario sc;
        sb_error err;
        if (sb_scenario_builtin(scenarios[i], &sc, &err) != SB_OK)
            return fail(&err);
        double t0 = now();
        sb_care_cohort cohort;
        if (sb_care_cohort_simulate(&sc, people, 20, 1, &cohort, &err) != SB_OK)
            return fail(&err);
        double t1 = now();
        sb_care_options o;
        sb_care_options_default(&o);
        o.as_of = LONG_MAX / 4;
        sb_care_eval e;
        /* The empirical band and reliable change alone first (no model),
         * then everything, so that the model's cost shows on its own. */
        o.model_people = 0;
        if (sb_care_evaluate(cohort.people, cohort.count, &o, &e, &err) !=
            SB_OK)
            return fail(&err);
        double t2 = now();
        o.model_people = SB_CARE_MODEL_PEOPLE;
        if (sb_care_evaluate(cohort.people, cohort.count, &o, &e, &err) !=
            SB_OK)
            return fail(&err);
        double t3 = now();
        sb_care_cohort_free(&cohort);
        printf("\n%s: %zu courses, %zu poor outcomes (%zu deteriorated), %zu "
               "good\n",
               scenarios[i], e.courses, e.bad, e.deteriorated, e.good);
        printf("  %-34s %18s %18s %18s\n", "", "empirical", "model",
               "RCI alone");
        row("poor outcomes flagged by session 8", &e, 0);
        row("good outcomes flagged", &e, 1);
        row("lead, weeks: median [q1, q3]", &e, 2);
        printf("  time: cohort %.2f s, empirical + RCI %.2f s, with the model "
               "band %.2f s\n",
               t1 - t0, t2 - t1, t3 - t2);
    }
    return 0;
}
