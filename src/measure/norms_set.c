/*
 * A practice's norms files, one per instrument. Each file names its
 * instrument in its rows, so a face takes any number of --norms FILE
 * options without being told which is which; two files for one instrument
 * would leave it unclear which figures a page shows, so the second is
 * refused. The set owns the built-in instruments it opened for its files.
 */
#include <securebase/measure.h>

#include <stdlib.h>
#include <string.h>

/* More files than there are instruments to norm is a mistake. */
#define NORMS_SET_MAX 64
#define NORMS_FILE_MAX_BYTES (1u << 20)

typedef struct norms_file {
    char *path;
    sb_instrument *owned;   /* opened here; NULL when `known` was used */
    sb_norms *norms;
} norms_file;

struct sb_norms_set {
    norms_file file[NORMS_SET_MAX];
    size_t count;
};

sb_status sb_norms_set_new(sb_norms_set **out, sb_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SB_OK;
}

void sb_norms_set_free(sb_norms_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++) {
        sb_norms_free(set->file[i].norms);
        sb_instrument_free(set->file[i].owned);
        free(set->file[i].path);
    }
    free(set);
}

/* The same instrument as far as norms go: name and scores, in order. */
static int same_scores(const sb_instrument *a, const sb_instrument *b)
{
    size_t n = sb_instrument_score_count(a);
    if (strcmp(sb_instrument_name(a), sb_instrument_name(b)) ||
        n != sb_instrument_score_count(b))
        return 0;
    for (size_t s = 0; s < n; s++)
        if (strcmp(sb_instrument_score_name(a, s),
                   sb_instrument_score_name(b, s)))
            return 0;
    return 1;
}

sb_status sb_norms_set_add_file(sb_norms_set *set, const char *path,
                                const sb_instrument *known, sb_error *err)
{
    if (set->count == NORMS_SET_MAX)
        return sb_error_set(err, SB_ERR_INVALID, path, 0, 0,
                            "more than %d norms files", NORMS_SET_MAX);
    char *text;
    size_t size;
    sb_status st = sb_read_file_max(path, NORMS_FILE_MAX_BYTES, &text, &size,
                                    err);
    if (st)
        return st;
    char name[SB_INSTRUMENT_NAME_MAX];
    unsigned long line;
    st = sb_norms_text_instrument(text, size, path, name, &line, err);
    norms_file f = {NULL, NULL, NULL};
    const sb_instrument *inst = known;
    if (!st && (!known || strcmp(sb_instrument_name(known), name))) {
        inst = NULL;
        if (sb_instrument_builtin(name, &f.owned, NULL) == SB_OK)
            inst = f.owned;
        else
            st = sb_error_set(err, SB_ERR_INVALID, path, line, 1,
                              "column 'instrument': '%s' is not a built-in "
                              "instrument%s",
                              name, known ? " nor the one given" : "");
    }
    for (size_t i = 0; !st && i < set->count; i++)
        if (!strcmp(sb_instrument_name(sb_norms_instrument(set->file[i].norms)),
                    name))
            st = sb_error_set(err, SB_ERR_INVALID, path, line, 1,
                              "column 'instrument': norms for '%s' were "
                              "already given in %s; give one norms file per "
                              "instrument",
                              name, set->file[i].path);
    if (!st)
        st = sb_norms_load_text(text, size, path, inst, &f.norms, err);
    free(text);
    if (!st && !(f.path = strdup(path))) {
        st = sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
        sb_norms_free(f.norms);
    }
    if (st) {
        sb_instrument_free(f.owned);
        return st;
    }
    set->file[set->count++] = f;
    return SB_OK;
}

size_t sb_norms_set_count(const sb_norms_set *set)
{
    return set ? set->count : 0;
}

const sb_norms *sb_norms_set_get(const sb_norms_set *set, size_t i)
{
    return set->file[i].norms;
}

const char *sb_norms_set_path(const sb_norms_set *set, size_t i)
{
    return set->file[i].path;
}

const sb_norms *sb_norms_set_find(const sb_norms_set *set,
                                  const sb_instrument *inst)
{
    for (size_t i = 0; set && inst && i < set->count; i++)
        if (same_scores(sb_norms_instrument(set->file[i].norms), inst))
            return set->file[i].norms;
    return NULL;
}
