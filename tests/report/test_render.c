/*
 * Renders a report in headless Chromium, as a reader would open it: the
 * example person is made with examples/make-example-person.sh through the
 * command line, the report is written by `securebase report`, and the
 * screenshot must exist, have the window's size and not be blank. Skipped
 * only when Chromium is not installed.
 */
#include "support.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOT_W 1200
#define SHOT_H 3000

static char *find_chromium(void)
{
    const char *names[] = {"chromium", "chromium-browser"};
    const char *path = getenv("PATH");
    if (!path)
        return NULL;
    for (size_t n = 0; n < 2; n++) {
        char *copy = strdup(path);
        for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":")) {
            char full[4200];
            snprintf(full, sizeof full, "%s/%s", dir, names[n]);
            if (access(full, X_OK) == 0) {
                free(copy);
                return strdup(full);
            }
        }
        free(copy);
    }
    return NULL;
}

/* Runs argv with stdout and stderr into `log`; returns the exit status. */
static int run(char *const argv[], const char *log, const char *env_name,
               const char *env_value)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen(log, "w", stdout) || !freopen(log, "a", stderr) ||
            !freopen("/dev/null", "r", stdin))
            _exit(126);
        if (env_name)
            setenv(env_name, env_value, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void fail_with_log(const char *what, const char *log)
{
    char *text = sb_test_slurp(log);
    fail_msg("%s failed:\n%s", what, text ? text : "(no output)");
}

/* Share of pixels that are neither white nor the page's grey background,
 * and whether some of them are strongly coloured (the figures). */
static void inspect(const char *png, double *ink, int *coloured)
{
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(img), SHOT_W);
    assert_int_equal(cairo_image_surface_get_height(img), SHOT_H);
    cairo_surface_flush(img);
    const unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    long marked = 0, strong = 0;
    for (int y = 0; y < SHOT_H; y++)
        for (int x = 0; x < SHOT_W; x++) {
            const unsigned char *px = data + (long)y * stride + 4L * x;
            int b = px[0], g = px[1], r = px[2];
            int max = r > g ? (r > b ? r : b) : (g > b ? g : b);
            int min = r < g ? (r < b ? r : b) : (g < b ? g : b);
            int background = min >= 0xe8;
            if (!background)
                marked++;
            if (max - min > 80)
                strong++;
        }
    cairo_surface_destroy(img);
    *ink = (double)marked / ((double)SHOT_W * SHOT_H);
    *coloured = strong > 2000;
}

static void report_renders_in_chromium(void **state)
{
    (void)state;
    char *chromium = find_chromium();
    if (!chromium) {
        printf("chromium not installed: skipping the render test\n");
        skip();
    }
    char *dir = sb_test_tmpdir();
    char db[4300], html[4300], png[4300], log[4300], profile[4300], url[4400];
    char script[4300];
    snprintf(db, sizeof db, "%s/example.db", dir);
    snprintf(html, sizeof html, "%s/report.html", dir);
    snprintf(png, sizeof png, "%s/report.png", dir);
    snprintf(log, sizeof log, "%s/log.txt", dir);
    snprintf(profile, sizeof profile, "%s/profile", dir);
    snprintf(url, sizeof url, "file://%s", html);
    snprintf(script, sizeof script, "%s/examples/make-example-person.sh",
             SB_SOURCE_DIR);

    /* On a terminal, as a user runs it, but told to be quiet. */
    char env[4400];
    snprintf(env, sizeof env, "SECUREBASE=%s", SB_CLI_PATH);
    char *make[] = {"sh", script, "--quiet", db, NULL};
    sb_test_run made = sb_test_run_tty(make, env);
    if (made.exit_code != 0)
        fail_msg("examples/make-example-person.sh failed:\n%s%s", made.out,
                 made.err);
    assert_null(strstr(made.err, "%"));
    sb_test_run_free(&made);
    char *report[] = {SB_CLI_PATH, "report", "Alex (example)", "--db", db,
                      "--out", html, "--people", "500", NULL};
    if (run(report, log, NULL, NULL) != 0)
        fail_with_log("securebase report", log);

    char shot[4400], size[64], user[4400];
    snprintf(shot, sizeof shot, "--screenshot=%s", png);
    snprintf(size, sizeof size, "--window-size=%d,%d", SHOT_W, SHOT_H);
    snprintf(user, sizeof user, "--user-data-dir=%s", profile);
    char *browser[] = {chromium, "--headless", "--no-sandbox", "--disable-gpu",
                       "--disable-quic", "--no-first-run",
                       "--disable-background-networking",
                       "--disable-component-update", "--disable-sync", user,
                       shot, size, url, NULL};
    if (run(browser, log, NULL, NULL) != 0 || access(png, R_OK) != 0)
        fail_with_log("chromium", log);
    double ink;
    int coloured;
    inspect(png, &ink, &coloured);
    /* Text, tables and figures cover a good part of the page; a blank or
     * unstyled page would not, nor would one without coloured figures. */
    if (ink < 0.05 || !coloured)
        fail_msg("the screenshot looks blank (%.1f%% marked, coloured %d)",
                 100 * ink, coloured);
    free(chromium);
    sb_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_renders_in_chromium),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
