/*
 * Priors of calibrated parameters: uniform, normal and lognormal, each
 * truncated to the parameter's legal range. Draws use the inverse
 * distribution function, so a truncated prior is sampled exactly with one
 * uniform number and no rejection loop.
 */
#include <securebase/fit.h>

#include <math.h>

static const char *const kind_names[] = {"uniform", "normal", "lognormal"};

const char *sb_prior_kind_name(sb_prior_kind kind)
{
    return (unsigned)kind < 3 ? kind_names[kind] : "?";
}

/* Standard normal distribution function. */
static double phi(double z)
{
    return 0.5 * erfc(-z / M_SQRT2);
}

/*
 * Inverse of phi: Acklam's rational approximation (relative error below
 * 1.2e-9), then one Halley step on erfc, which brings it to about machine
 * precision.
 */
static double phi_inverse(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    if (p <= 0)
        return -INFINITY;
    if (p >= 1)
        return INFINITY;
    double x;
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - 0.02425) {
        double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        double q = sqrt(-2 * log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double e = phi(x) - p;
    double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

/* The prior's variable on the normal scale: x itself or log x. */
static double to_normal(const sb_prior *p, double x)
{
    if (p->kind == SB_PRIOR_LOGNORMAL)
        return x > 0 ? (log(x) - p->a) / p->b : -INFINITY;
    return (x - p->a) / p->b;
}

static double from_normal(const sb_prior *p, double z)
{
    double y = p->a + p->b * z;
    return p->kind == SB_PRIOR_LOGNORMAL ? exp(y) : y;
}

/* Mass of the untruncated prior inside [lo, hi]. */
static double mass(const sb_prior *p)
{
    if (p->kind == SB_PRIOR_UNIFORM)
        return 1;
    return phi(to_normal(p, p->hi)) - phi(to_normal(p, p->lo));
}

sb_status sb_prior_check(const sb_prior *p, const char *name, sb_error *err)
{
    if (!(isfinite(p->a) && isfinite(p->b) && isfinite(p->lo) &&
          isfinite(p->hi)) || p->lo > p->hi)
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "the prior of %s needs finite numbers and a "
                            "range with lo <= hi; got %g, %g on %g..%g",
                            name, p->a, p->b, p->lo, p->hi);
    switch (p->kind) {
    case SB_PRIOR_UNIFORM:
        if (!(p->a < p->b))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "the uniform prior of %s needs min < max; "
                                "got %g..%g",
                                name, p->a, p->b);
        break;
    case SB_PRIOR_NORMAL:
    case SB_PRIOR_LOGNORMAL:
        if (!(p->b > 0))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "the %s prior of %s needs a spread above 0; "
                                "got %g",
                                sb_prior_kind_name(p->kind), name, p->b);
        if (!(mass(p) >= 1e-9))
            return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                                "the %s prior of %s puts almost no weight "
                                "(%.3g) on the legal range %g..%g",
                                sb_prior_kind_name(p->kind), name, mass(p),
                                p->lo, p->hi);
        break;
    default:
        return sb_error_set(err, SB_ERR_INVALID, NULL, 0, 0,
                            "the prior of %s has an unknown kind %d", name,
                            (int)p->kind);
    }
    return SB_OK;
}

double sb_prior_density(const sb_prior *p, double x)
{
    if (!(x >= p->lo && x <= p->hi))
        return 0;
    switch (p->kind) {
    case SB_PRIOR_UNIFORM:
        return 1.0 / (p->hi - p->lo);
    case SB_PRIOR_NORMAL: {
        double z = (x - p->a) / p->b;
        return exp(-0.5 * z * z) / p->b;
    }
    case SB_PRIOR_LOGNORMAL: {
        if (x <= 0)
            return 0;
        double z = (log(x) - p->a) / p->b;
        return exp(-0.5 * z * z) / (p->b * x);
    }
    }
    return 0;
}

double sb_prior_quantile(const sb_prior *p, double u)
{
    double x;
    if (p->kind == SB_PRIOR_UNIFORM) {
        x = p->lo + u * (p->hi - p->lo);
    } else {
        double flo = phi(to_normal(p, p->lo)), fhi = phi(to_normal(p, p->hi));
        x = from_normal(p, phi_inverse(flo + u * (fhi - flo)));
    }
    /* Rounding can step a hair outside the range at its ends. */
    return x < p->lo ? p->lo : x > p->hi ? p->hi : x;
}
