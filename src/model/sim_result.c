/*
 * Read-only accessors of a simulation result. None of them allocates.
 */
#include "model/sim.h"

#include <math.h>
#include <stddef.h>

int sb_sim_weeks(const sb_sim_result *res)
{
    return res->weeks;
}

size_t sb_sim_persons(const sb_sim_result *res)
{
    return res->persons;
}

const sb_week_stats *sb_sim_week(const sb_sim_result *res, int week)
{
    if (week < 0 || week > res->weeks)
        return NULL;
    return &res->week[week];
}

const sb_sim_summary *sb_sim_get_summary(const sb_sim_result *res)
{
    return &res->summary;
}

uint64_t sb_sim_draws(const sb_sim_result *res)
{
    return res->draws;
}

int sb__sim_snapshot_index(const sb_sim_result *res, int week)
{
    for (size_t i = 0; i < res->snapshot_count; i++)
        if (res->snapshot_week[i] == week)
            return (int)i;
    return -1;
}

const sb_snapshot *sb_sim_snapshot(const sb_sim_result *res, int week)
{
    int i = sb__sim_snapshot_index(res, week);
    return i >= 0 ? res->snapshot[i] : NULL;
}

double sb_sim_dose(const sb_sim_result *res, size_t person, int k)
{
    if (!res->dose || k < 1 || k > res->dose_sessions || person >= res->persons)
        return NAN;
    return res->dose[person * (size_t)res->dose_sessions + (size_t)(k - 1)];
}

const float *sb_sim_baseline_composite(const sb_sim_result *res)
{
    return res->baseline_composite;
}

double sb_sim_share_improved(const sb_sim_result *res, int session,
                             double threshold)
{
    size_t reached = 0, better = 0;
    for (size_t i = 0; i < res->persons; i++) {
        double x = sb_sim_dose(res, i, session);
        if (isnan(x))
            continue;
        reached++;
        better += x <= res->baseline_composite[i] - threshold;
    }
    return reached ? (double)better / (double)reached : NAN;
}

size_t sb_sim_trajectory_count(const sb_sim_result *res)
{
    return res->trajectory_count;
}

size_t sb_sim_trajectory_person(const sb_sim_result *res, size_t i)
{
    return i < res->trajectory_count ? res->trajectory_person[i] : 0;
}

const sb_trajectory_point *sb_sim_trajectory(const sb_sim_result *res,
                                             size_t i)
{
    if (i >= res->trajectory_count)
        return NULL;
    return res->trajectory + i * ((size_t)res->weeks + 1);
}
