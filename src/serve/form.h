/*
 * Request parsing that the web face does itself (fuzzed in fuzz/): form
 * bodies in application/x-www-form-urlencoded, the Cookie header, and
 * paths matched against the route patterns.
 */
#ifndef SB_SERVE_FORM_H
#define SB_SERVE_FORM_H

#include <securebase/accounts.h>

#include <stddef.h>

#define SB_FORM_FIELDS_MAX 128 /* fields in one form */
#define SB_FORM_NAME_MAX 48    /* bytes of a field's name */

/* A parsed form: names and values point into one buffer the form owns. */
typedef struct sb_form {
    size_t count;
    const char *name[SB_FORM_FIELDS_MAX];
    const char *value[SB_FORM_FIELDS_MAX];
    char *buf;
} sb_form;

/*
 * Parses a urlencoded body: fields separated by '&', each NAME=VALUE with
 * '+' for a space and %XX escapes. Refused (SB_ERR_PARSE, saying why): a
 * field without '=', an empty or over-long name, a bad escape, a NUL or a
 * control character other than tab and newline, text that is not UTF-8,
 * a name given twice, more than SB_FORM_FIELDS_MAX fields. CR LF and a
 * lone CR become LF. Free with sb_form_free, also after a failure.
 */
sb_status sb_form_parse(const char *data, size_t len, sb_form *out,
                        sb_error *err);
/* The value of a field, or NULL if the form has none of that name. */
const char *sb_form_get(const sb_form *f, const char *name);
void sb_form_free(sb_form *f);

/*
 * Finds cookie `name` in a Cookie header ("a=1; b=2"). Returns 1 and copies
 * the value (without quotes) when it is there exactly once and fits in
 * `size` with its NUL; 0 when it is absent, given twice, or malformed.
 */
int sb_cookie_find(const char *header, const char *name, char *out,
                   size_t size);

#define SB_PATH_MAX 512

/* What a route pattern's placeholders matched. */
typedef struct sb_path_params {
    sb_id person;                /* {person}: 1..2^53 */
    sb_id id;                    /* {id}: 1..2^53 */
    char token[SB_TOKEN_TEXT]; /* {token}: 43 URL-safe base64 characters */
    char name[SB_JOURNAL_NAME_MAX]; /* {name}: [a-z0-9.-]{1,64} */
} sb_path_params;

/*
 * 1 if a decoded request path is well formed: starts with '/', at most
 * SB_PATH_MAX bytes, segments of letters, digits and . _ - only, no empty
 * segment except a final one, and no "." or ".." segment.
 */
int sb_path_valid(const char *path);
/*
 * 1 if `path` matches `pattern` ("/clients/{person}/schedules/{id}"),
 * filling the placeholders' values; 0 otherwise (a number out of range
 * or with a leading zero does not match).
 */
int sb_path_match(const char *pattern, const char *path, sb_path_params *out);

#endif
