/*
 * Form bodies (application/x-www-form-urlencoded), strictly: every field is
 * NAME=VALUE, escapes are well formed, the decoded text is UTF-8 without
 * NUL or control characters, and no name comes twice. A browser never sends
 * anything else, so anything else is refused rather than guessed at.
 */
#include "serve/form.h"

#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>

static int hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Decodes data[0..n) into out (at least n + 1 bytes); returns the decoded
 * length, or -1 on a bad escape.
 */
static long decode(const char *data, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = data[i];
        if (c == '+') {
            out[k++] = ' ';
        } else if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hex((unsigned char)data[i + 1]);
            int lo = hex((unsigned char)data[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[k++] = c;
        }
    }
    out[k] = '\0';
    return (long)k;
}

/* Checks decoded text and turns CR LF and lone CR into LF in place. */
static int clean_text(char *s, size_t *n, int is_name)
{
    if (sb__utf8_valid_prefix(s, *n) != *n)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') {
            if (is_name)
                return 0;
            s[k++] = '\n';
            if (i + 1 < *n && s[i + 1] == '\n')
                i++;
            continue;
        }
        if ((c < 0x20 && (is_name || (c != '\t' && c != '\n'))) || c == 0x7F)
            return 0;
        /* C1 controls, U+0080..U+009F, are two bytes C2 80..C2 9F. */
        if (c == 0xC2 && i + 1 < *n && (unsigned char)s[i + 1] <= 0x9F)
            return 0;
        s[k++] = (char)c;
    }
    s[k] = '\0';
    *n = k;
    return 1;
}

sb_status sb_form_parse(const char *data, size_t len, sb_form *f,
                        sb_error *err)
{
    memset(f, 0, sizeof *f);
    if (!len)
        return SB_OK;
    f->buf = malloc(len + 1 + SB_FORM_FIELDS_MAX);
    if (!f->buf)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    char *out = f->buf;
    size_t pos = 0;
    while (pos <= len) {
        const char *field = data + pos;
        const char *amp = memchr(field, '&', len - pos);
        size_t flen = amp ? (size_t)(amp - field) : len - pos;
        const char *eq = memchr(field, '=', flen);
        if (!eq)
            return sb_error_set(err, SB_ERR_PARSE, NULL, 0, 0,
                                "field %zu of the form has no '='",
                                f->count + 1);
        size_t nlen = (size_t)(eq - field), vlen = flen - nlen - 1;
        if (f->count == SB_FORM_FIELDS_MAX)
            return sb_error_set(err, SB_ERR_PARSE, NULL, 0, 0,
                                "the form has more than %d fields",
                                SB_FORM_FIELDS_MAX);
        long dn = decode(field, nlen, out);
        size_t un = dn < 0 ? 0 : (size_t)dn;
        if (dn <= 0 || un >= SB_FORM_NAME_MAX || !clean_text(out, &un, 1))
            return sb_error_set(err, SB_ERR_PARSE, NULL, 0, 0,
                                "field %zu of the form has %s", f->count + 1,
                                dn == 0     ? "an empty name"
                                : dn < 0    ? "a bad %-escape in its name"
                                : un >= SB_FORM_NAME_MAX ? "too long a name"
                                                         : "a bad name");
        const char *name = out;
        out += un + 1;
        long dv = decode(eq + 1, vlen, out);
        size_t uv = dv < 0 ? 0 : (size_t)dv;
        if (dv < 0 || !clean_text(out, &uv, 0))
            return sb_error_set(err, SB_ERR_PARSE, NULL, 0, 0,
                                "field '%s' of the form has %s", name,
                                dv < 0 ? "a bad %-escape"
                                       : "a character that is not allowed "
                                         "(not UTF-8, or a control "
                                         "character)");
        if (sb_form_get(f, name))
            return sb_error_set(err, SB_ERR_PARSE, NULL, 0, 0,
                                "field '%s' is given twice", name);
        f->name[f->count] = name;
        f->value[f->count++] = out;
        out += uv + 1;
        if (!amp)
            break;
        pos += flen + 1;
    }
    return SB_OK;
}

const char *sb_form_get(const sb_form *f, const char *name)
{
    for (size_t i = 0; i < f->count; i++)
        if (!strcmp(f->name[i], name))
            return f->value[i];
    return NULL;
}

void sb_form_free(sb_form *f)
{
    free(f->buf);
    memset(f, 0, sizeof *f);
}
