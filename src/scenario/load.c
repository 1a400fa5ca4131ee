/*
 * Loading one scenario: reading its text, following `base:` (built-in names
 * or paths relative to the file) with cycle and depth checks, applying the
 * file onto its base, and the final sb_scenario_check(), whose cross-field
 * errors are located at the given value they depend on.
 */
#include "scenario/load.h"

#include "base/str.h"
#include "scenario/apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const sb__ytree_limits sb__scenario_yaml_limits = {
    "a scenario file", SB_SCENARIO_MAX_BYTES, SB_SCENARIO_MAX_NESTING,
    SB_SCENARIO_MAX_NODES};

void sb__source_free(sb__source *src)
{
    if (!src)
        return;
    free(src->origin);
    free(src->dir);
    free(src->identity);
    free(src->buffer);
    memset(src, 0, sizeof *src);
}

/* The directory part of a path, with its trailing slash ("" for none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) + 1 : 0;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

sb_status sb__source_builtin(const char *name, sb__source *src, sb_error *err)
{
    memset(src, 0, sizeof *src);
    const char *text = sb_scenario_builtin_text(name);
    if (!text) {
        char names[1024], hint[SB_NAME_MAX + 32] = "";
        sb__scenario_builtin_names(names, sizeof names);
        const char *near = sb__scenario_builtin_closest(name);
        if (near)
            snprintf(hint, sizeof hint, "did you mean '%s'? ", near);
        return sb_error_set(err, SB_ERR_NOTFOUND, NULL, 0, 0,
                            "no built-in scenario is named '%s'; %sthe "
                            "built-ins are: %s",
                            name, hint, names);
    }
    src->text = text;
    src->len = strlen(text);
    size_t n = strlen(name) + 16;
    src->origin = malloc(n);
    if (src->origin)
        snprintf(src->origin, n, "scenarios/%s.yaml", name);
    src->identity = sb__str_concat("builtin:", name);
    if (!src->origin || !src->identity) {
        sb__source_free(src);
        return sb_error_set(err, SB_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    return SB_OK;
}

/* Fills origin, dir and identity of a source that is a file on disk. */
static sb_status file_names(const char *path, sb__source *src, sb_error *err)
{
    src->origin = sb__str_dup(path);
    src->dir = dir_of(path);
    char *real = realpath(path, NULL);
    src->identity = sb__str_concat("file:", real ? real : path);
    free(real);
    if (!src->origin || !src->dir || !src->identity)
        return sb_error_set(err, SB_ERR_NOMEM, path, 0, 0, "out of memory");
    return SB_OK;
}

sb_status sb__source_file(const char *path, sb__source *src, sb_error *err)
{
    memset(src, 0, sizeof *src);
    sb_status st = sb_read_file_max(path, SB_SCENARIO_MAX_BYTES, &src->buffer,
                                    &src->len, err);
    if (st == SB_ERR_INVALID) /* the size limit: say whose limit it is */
        sb_error_set(err, st, path, 0, 0,
                     "the file is larger than %d bytes, the most a scenario "
                     "file may have",
                     SB_SCENARIO_MAX_BYTES);
    if (st == SB_OK)
        st = file_names(path, src, err);
    if (st != SB_OK) {
        sb__source_free(src);
        return st;
    }
    src->text = src->buffer;
    return SB_OK;
}

sb_status sb__source_text(const char *text, size_t len, const char *origin,
                          sb__source *src, sb_error *err)
{
    memset(src, 0, sizeof *src);
    if (!origin || !origin[0])
        origin = "<text>";
    src->text = text ? text : "";
    src->len = text ? len : 0;
    struct stat sbuf;
    sb_status st;
    if (stat(origin, &sbuf) == 0 && S_ISREG(sbuf.st_mode)) {
        st = file_names(origin, src, err);
    } else {
        src->origin = sb__str_dup(origin);
        src->identity = sb__str_concat("text:", origin);
        st = src->origin && src->identity
                 ? SB_OK
                 : sb_error_set(err, SB_ERR_NOMEM, origin, 0, 0,
                                "out of memory");
    }
    if (st != SB_OK)
        sb__source_free(src);
    return st;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

int sb__source_is_path(const char *ref)
{
    return strchr(ref, '/') || ends_with(ref, ".yaml") ||
           ends_with(ref, ".yml");
}

sb_status sb__source_ref(const sb__source *from, const sb__ynode *node,
                         const char *what, sb__source *out, sb_error *err)
{
    memset(out, 0, sizeof *out);
    const sb__yctx c = {from->origin, err};
    char shown[64];
    if (!node || node->kind != SB_YNODE_SCALAR || node->len == 0 ||
        memchr(node->text, '\0', node->len)) {
        char got[96];
        sb__ynode_describe(node, got, sizeof got);
        return sb__yfail(&c, SB_ERR_INVALID, node,
                         "%s: expected the name of a built-in scenario or a "
                         "file path, got %s",
                         what, got);
    }
    sb__ytext_show(node->text, node->len, shown, sizeof shown);
    if (!sb__source_is_path(node->text)) {
        sb_error inner;
        sb_status st = sb__source_builtin(node->text, out, &inner);
        if (st != SB_OK)
            return sb__yfail(&c, st, node,
                             "unknown %s '%s': %s (a file path ends in .yaml "
                             "or holds a /)",
                            what, shown, inner.message);
        return SB_OK;
    }
    if (!from->dir)
        return sb__yfail(&c, SB_ERR_INVALID, node,
                         "%s '%s' is a file path, but %s is not a file on "
                         "disk, so it may name built-in scenarios only",
                         what, shown, from->origin);
    char *path = node->text[0] == '/' ? sb__str_dup(node->text)
                                      : sb__str_concat(from->dir, node->text);
    if (!path)
        return sb__yfail(&c, SB_ERR_NOMEM, node, "out of memory");
    sb_error inner;
    sb_status st = sb__source_file(path, out, &inner);
    if (st != SB_OK)
        sb__yfail(&c, st, node, "%s '%s': %s: %s", what, shown, path,
                  inner.message);
    free(path);
    return st;
}

/* "a.yaml -> b.yaml -> a.yaml", for cycle messages. */
static void chain_text(const sb__loader *ld, const sb__source *last, char *buf,
                       size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ld->depth && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s -> ",
                              ld->chain[i]->origin);
    if (o < size)
        snprintf(buf + o, size - o, "%s", last->origin);
}

sb_status sb__load_ref(sb__loader *ld, const sb__source *from,
                       const sb__ynode *node, const char *what,
                       sb_scenario *out)
{
    const sb__yctx c = {from->origin, ld->err};
    if (ld->depth > SB_SCENARIO_MAX_BASE_DEPTH)
        return sb__yfail(&c, SB_ERR_INVALID, node,
                         "`base:` references are nested more than %d deep",
                         SB_SCENARIO_MAX_BASE_DEPTH);
    sb__source ref;
    sb_status st = sb__source_ref(from, node, what, &ref, ld->err);
    if (st != SB_OK)
        return st;
    for (size_t i = 0; i < ld->depth; i++)
        if (!strcmp(ld->chain[i]->identity, ref.identity)) {
            char chain[SB_ERROR_MSG_MAX];
            chain_text(ld, &ref, chain, sizeof chain);
            st = sb__yfail(&c, SB_ERR_INVALID, node,
                           "`base:` leads round in a circle: %s", chain);
            sb__source_free(&ref);
            return st;
        }
    sb__ynode *root;
    st = sb__ytree_parse(ref.text, ref.len, ref.origin,
                         &sb__scenario_yaml_limits, &root, ld->err);
    if (st == SB_OK) {
        if (root->kind == SB_YNODE_MAP && sb__ymap_get(root, "set", NULL)) {
            char shown[64];
            sb__ytext_show(node->text, node->len, shown, sizeof shown);
            st = sb__yfail(&c, SB_ERR_INVALID, node,
                           "%s '%s' is a set of scenarios, not a scenario",
                           what, shown);
        } else {
            ld->chain[ld->depth++] = &ref;
            st = sb__load_scenario_tree(ld, &ref, root, out);
            ld->depth--;
        }
        sb__ytree_free(root);
    }
    sb__source_free(&ref);
    return st;
}

static int by_position(const void *a, const void *b)
{
    const sb__ynode *x = *(const sb__ynode *const *)a;
    const sb__ynode *y = *(const sb__ynode *const *)b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    return 0;
}

/*
 * The given value that a cross-field error depends on: the last one (in the
 * order written) without which the check passes or fails differently.
 */
static const sb__ynode *locate_check_error(const sb__apply *ap,
                                           const sb__ynode *root,
                                           const sb_scenario *base,
                                           const sb_error *failure)
{
    sb_scenario *trial = malloc(sizeof *trial);
    const sb__ynode *found = NULL;
    for (size_t i = ap->unit_count; trial && i-- > 0 && !found;) {
        sb_error scratch;
        sb__apply again = {{ap->ctx.origin, &scratch}, ap->units[i], NULL, 0, 0};
        if (sb__apply_scenario(&again, root, base, trial) != SB_OK)
            continue;
        if (sb_scenario_check(trial, &scratch) == SB_OK ||
            strcmp(scratch.message, failure->message))
            found = ap->units[i];
    }
    free(trial);
    return found ? found : root;
}

sb_status sb__load_scenario_tree(sb__loader *ld, const sb__source *src,
                                 const sb__ynode *root, sb_scenario *out)
{
    const sb__yctx c = {src->origin, ld->err};
    sb_status st = sb__yexpect(&c, root, SB_YNODE_MAP, "the top level");
    if (st != SB_OK)
        return st;
    const sb__ynode *set_key;
    if (sb__ymap_get(root, "set", &set_key))
        return sb__yfail(&c, SB_ERR_INVALID, set_key,
                         "this is a set of scenarios (it has `set:`); a single "
                         "scenario is expected here");
    /* Two scenarios of about 3 kB each per level of `base:`. */
    sb_scenario *base = malloc(sizeof *base), *work = malloc(sizeof *work);
    size_t cap = sb__apply_count_nodes(root);
    const sb__ynode **units = malloc(cap * sizeof *units);
    if (!base || !work || !units) {
        st = sb__yfail(&c, SB_ERR_NOMEM, root, "out of memory");
        goto done;
    }
    const sb__ynode *base_node = sb__ymap_get(root, "base", NULL);
    if (base_node)
        st = sb__load_ref(ld, src, base_node, "base", base);
    else
        sb_scenario_default(base);
    if (st != SB_OK)
        goto done;
    sb__apply ap = {c, NULL, units, 0, cap};
    st = sb__apply_scenario(&ap, root, base, work);
    if (st != SB_OK)
        goto done;
    sb_error check;
    if (sb_scenario_check(work, &check) != SB_OK) {
        qsort(ap.units, ap.unit_count, sizeof *ap.units, by_position);
        const sb__ynode *at = locate_check_error(&ap, root, base, &check);
        st = sb_error_set(ld->err, check.status, src->origin, at->line,
                          at->column, "%s", check.message);
        goto done;
    }
    *out = *work;
done:
    free(base);
    free(work);
    free(units);
    return st;
}

sb_status sb__load_scenario_source(const sb__source *src, sb_scenario *out,
                                   sb_error *err)
{
    sb__ynode *root;
    sb_status st = sb__ytree_parse(src->text, src->len, src->origin,
                                   &sb__scenario_yaml_limits, &root, err);
    if (st != SB_OK)
        return st;
    sb__loader ld = {.err = err, .depth = 1, .chain = {src}};
    st = sb__load_scenario_tree(&ld, src, root, out);
    sb__ytree_free(root);
    return st;
}

/* Loads the one scenario of a source just made (`made` is how making it
 * went) and frees the source. The work reports into `local`, so that `err`
 * may be NULL and is only written once, at the end. */
static sb_status load_made(sb_status made, sb__source *src, sb_error *local,
                           sb_scenario *out, sb_error *err)
{
    sb_status st = made;
    if (st == SB_OK) {
        st = sb__load_scenario_source(src, out, local);
        sb__source_free(src);
    }
    if (st == SB_OK)
        sb_error_clear(err);
    else if (err)
        *err = *local;
    return st;
}

sb_status sb_scenario_load_text(const char *text, size_t len,
                                const char *origin, sb_scenario *out,
                                sb_error *err)
{
    sb_error local;
    sb__source src;
    sb_status made = sb__source_text(text, len, origin, &src, &local);
    return load_made(made, &src, &local, out, err);
}

sb_status sb_scenario_load_file(const char *path, sb_scenario *out,
                                sb_error *err)
{
    sb_error local;
    sb__source src;
    sb_status made = sb__source_file(path, &src, &local);
    return load_made(made, &src, &local, out, err);
}

sb_status sb_scenario_builtin(const char *name, sb_scenario *out,
                              sb_error *err)
{
    sb_error local;
    sb__source src;
    sb_status made = sb__source_builtin(name ? name : "", &src, &local);
    return load_made(made, &src, &local, out, err);
}
