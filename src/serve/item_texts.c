/*
 * The words a questionnaire shows. Item wording belongs to the authors of
 * each questionnaire and is not shipped: a practice that holds a licence
 * puts it in a directory given with --item-texts, one file per instrument
 * (DIR/ecr-r.txt), in this format:
 *
 *   # a comment
 *   anchor 1: Disagree strongly
 *   anchor 7: Agree strongly
 *   1: The text of item 1
 *   2: The text of item 2
 *
 * Items are numbered within a relationship for instruments that ask about
 * several (ECR-RS: 1-9). Without a file a form shows "Item N" and the
 * scale's ends in our own generic words; the demo shows invented
 * placeholders, marked as such.
 *
 * The built-in instruments themselves are parsed here once, when the
 * server starts, and read by every page after that.
 */
#include "serve/internal.h"

#include "base/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEMS_MAX 64
#define ANCHORS_MAX (SB_ANSWER_SCALE_MAX + 1)
#define TEXT_MAX 600
#define FILE_MAX (256 * 1024)

typedef struct texts_of {
    char name[SB_JOURNAL_NAME_MAX];
    sb_instrument *inst;           /* parsed once, read by every thread */
    int placeholder;
    char *item[ITEMS_MAX + 1];     /* 1-based */
    char *anchor[ANCHORS_MAX];
} texts_of;

struct sb_item_texts {
    size_t count;
    texts_of inst[SB_INSTRUMENTS_MAX];
};

static texts_of *find(const sb_item_texts *t, const char *name)
{
    for (size_t i = 0; t && i < t->count; i++)
        if (!strcmp(t->inst[i].name, name))
            return (texts_of *)&t->inst[i];
    return NULL;
}

static sb_status store(char **slot, const char *text, size_t n,
                       const char *path, unsigned long line, sb_error *err)
{
    if (!n || n >= TEXT_MAX)
        return sb_error_set(err, SB_ERR_INVALID, path, line, 0,
                            "a text has 1 to %d bytes, this one %zu",
                            TEXT_MAX - 1, n);
    if (sb__utf8_valid_prefix(text, n) != n)
        return sb_error_set(err, SB_ERR_INVALID, path, line, 0,
                            "the text is not valid UTF-8");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7F)
            return sb_error_set(err, SB_ERR_INVALID, path, line, 0,
                                "the text contains a control character");
    if (*slot)
        return sb_error_set(err, SB_ERR_INVALID, path, line, 0,
                            "this number was given a text already");
    *slot = malloc(n + 1);
    if (!*slot)
        return sb_error_set(err, SB_ERR_NOMEM, path, line, 0, "out of memory");
    memcpy(*slot, text, n);
    (*slot)[n] = '\0';
    return SB_OK;
}

/* Parses one file's text into `to`; errors name the file and line. */
static sb_status parse(const char *data, size_t size, const char *path,
                       size_t items, sb_scale scale, texts_of *to,
                       sb_error *err)
{
    unsigned long line = 0;
    for (size_t pos = 0; pos < size;) {
        const char *start = data + pos;
        const char *nl = memchr(start, '\n', size - pos);
        size_t n = nl ? (size_t)(nl - start) : size - pos;
        pos += n + 1;
        line++;
        if (n && start[n - 1] == '\r')
            n--;
        while (n && isspace((unsigned char)start[n - 1]))
            n--;
        size_t i = 0;
        while (i < n && (start[i] == ' ' || start[i] == '\t'))
            i++;
        if (i == n || start[i] == '#')
            continue;
        int anchor = n - i > 7 && !strncmp(start + i, "anchor ", 7);
        if (anchor)
            i += 7;
        char *end;
        errno = 0;
        long num = strtol(start + i, &end, 10);
        if (end == start + i || !isdigit((unsigned char)start[i]) || errno ||
            end >= start + n || *end != ':')
            return sb_error_set(err, SB_ERR_PARSE, path, line, i + 1,
                                "expected 'N: text' or 'anchor N: text'");
        long lo = anchor ? scale.min : 1;
        long hi = anchor ? scale.max : (long)items;
        if (num < lo || num > hi)
            return sb_error_set(err, SB_ERR_INVALID, path, line, i + 1,
                                "%s %ld is not in %ld..%ld", anchor ? "anchor"
                                                                    : "item",
                                num, lo, hi);
        const char *text = end + 1;
        while (text < start + n && (*text == ' ' || *text == '\t'))
            text++;
        sb_status st = store(anchor ? &to->anchor[num] : &to->item[num], text,
                             (size_t)(start + n - text), path, line, err);
        if (st != SB_OK)
            return st;
    }
    return SB_OK;
}

static void free_texts(texts_of *t)
{
    for (size_t i = 0; i <= ITEMS_MAX; i++)
        free(t->item[i]);
    for (size_t i = 0; i < ANCHORS_MAX; i++)
        free(t->anchor[i]);
    sb_instrument_free(t->inst);
}

void sb_item_texts_free(sb_item_texts *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++)
        free_texts(&t->inst[i]);
    free(t);
}

/* Invented placeholder texts, clearly not any questionnaire's wording. */
static sb_status demo_texts(const sb_instrument *inst, texts_of *to,
                            sb_error *err)
{
    size_t items = sb_instrument_items_per_target(inst);
    char text[200];
    for (size_t i = 1; i <= items && i <= ITEMS_MAX; i++) {
        snprintf(text, sizeof text,
                 "Demo statement %zu: a placeholder written for this demo, "
                 "not the questionnaire's wording.",
                 i);
        sb_status st = store(&to->item[i], text, strlen(text), "demo", 0, err);
        if (st != SB_OK)
            return st;
    }
    to->placeholder = 1;
    return SB_OK;
}

size_t sb_serve_instruments(char names[SB_INSTRUMENTS_MAX][32])
{
    char found[SB_INSTRUMENTS_MAX][SB_INSTRUMENT_NAME_MAX];
    size_t n = sb_instrument_builtin_names(found, SB_INSTRUMENTS_MAX);
    if (n > SB_INSTRUMENTS_MAX)
        n = SB_INSTRUMENTS_MAX;
    for (size_t i = 0; i < n; i++)
        snprintf(names[i], 32, "%.31s", found[i]);
    return n;
}

sb_status sb_item_texts_load(const char *dir, int demo, sb_item_texts **out,
                             sb_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    char names[SB_INSTRUMENTS_MAX][32];
    size_t n = sb_serve_instruments(names);
    sb_status st = SB_OK;
    for (size_t k = 0; k < n && st == SB_OK; k++) {
        sb_instrument *inst;
        if ((st = sb_instrument_builtin(names[k], &inst, err)) != SB_OK)
            break;
        texts_of *to = &(*out)->inst[(*out)->count];
        snprintf(to->name, sizeof to->name, "%s", names[k]);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.txt", dir ? dir : "", names[k]);
        char *data = NULL;
        size_t size = 0;
        int have = 0;
        if (dir) {
            FILE *f = fopen(path, "rb");
            if (f) {
                fclose(f);
                have = 1;
                st = sb_read_file_max(path, FILE_MAX, &data, &size, err);
            }
        }
        if (st == SB_OK && have)
            st = parse(data, size, path, sb_instrument_items_per_target(inst),
                       sb_instrument_scale(inst), to, err);
        else if (st == SB_OK && demo)
            st = demo_texts(inst, to, err);
        free(data);
        to->inst = inst;
        (*out)->count++;
    }
    if (st != SB_OK) {
        sb_item_texts_free(*out);
        *out = NULL;
    }
    return st;
}

const char *sb_item_text(const sb_item_texts *t, const char *instrument,
                         size_t n)
{
    texts_of *to = find(t, instrument);
    return to && n >= 1 && n <= ITEMS_MAX ? to->item[n] : NULL;
}

const char *sb_item_anchor(const sb_item_texts *t, const char *instrument,
                           int value)
{
    texts_of *to = find(t, instrument);
    return to && value >= 0 && value < ANCHORS_MAX ? to->anchor[value] : NULL;
}

const sb_instrument *sb_item_texts_instrument(const sb_item_texts *t,
                                              const char *instrument)
{
    texts_of *to = find(t, instrument);
    return to ? to->inst : NULL;
}

int sb_item_texts_placeholder(const sb_item_texts *t, const char *instrument)
{
    texts_of *to = find(t, instrument);
    return to && to->placeholder;
}
