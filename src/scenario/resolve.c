/*
 * From a command-line argument to a list of scenarios: a built-in scenario
 * or set by name, or a scenario or set file. A set file names its members
 * (built-in names or paths relative to it); sets do not nest.
 */
#include "scenario/load.h"

#include "scenario/value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const set_keys[] = {"name", "description", "set", NULL};

static sb_status check_set_keys(const sb__yctx *c, const sb__ynode *root)
{
    for (size_t i = 0; i + 1 < root->count; i += 2) {
        const sb__ynode *key = root->kids[i];
        int known = 0;
        for (size_t k = 0; set_keys[k]; k++)
            known |= sb__yscalar_is(key, set_keys[k]);
        if (!known) {
            char shown[64];
            sb__ytext_show(key->text, key->len, shown, sizeof shown);
            return sb__yfail(c, SB_ERR_INVALID, key,
                             "unknown key '%s' in a set file; allowed: name, "
                             "description, set",
                             shown);
        }
    }
    char buf[SB_TEXT_MAX];
    const sb__ynode *name = sb__ymap_get(root, "name", NULL);
    if (!name)
        return sb__yfail(c, SB_ERR_INVALID, root, "a set needs a `name:`");
    sb_status st = sb__yget_string(c, name, "name", SB_NAME_MAX, 1, buf);
    const sb__ynode *d = sb__ymap_get(root, "description", NULL);
    if (st == SB_OK && d)
        st = sb__yget_string(c, d, "description", SB_TEXT_MAX, 0, buf);
    return st;
}

/* Loads member `node` of the set in `src` into `out`; a member's chain of
 * bases starts afresh, and a member that is itself a set is refused. */
static sb_status load_member(const sb__source *src, const sb__ynode *node,
                             sb_scenario *out, sb_error *err)
{
    sb__loader ld = {.err = err, .depth = 0};
    return sb__load_ref(&ld, src, node, "set member", out);
}

static sb_status load_set(const sb__source *src, const sb__ynode *root,
                          sb_scenario **list, size_t *count, sb_error *err)
{
    const sb__yctx c = {src->origin, err};
    sb_status st = check_set_keys(&c, root);
    if (st != SB_OK)
        return st;
    const sb__ynode *members = sb__ymap_get(root, "set", NULL);
    st = sb__yexpect(&c, members, SB_YNODE_SEQ, "set");
    if (st != SB_OK)
        return st;
    if (members->count == 0 || members->count > SB_SCENARIO_SET_MAX)
        return sb__yfail(&c, SB_ERR_INVALID, members,
                         "set: a set has 1 to %d scenarios; this one has %zu",
                         SB_SCENARIO_SET_MAX, members->count);
    sb_scenario *out = calloc(members->count, sizeof *out);
    if (!out)
        return sb__yfail(&c, SB_ERR_NOMEM, members, "out of memory");
    for (size_t i = 0; i < members->count && st == SB_OK; i++) {
        st = load_member(src, members->kids[i], &out[i], err);
        for (size_t j = 0; j < i && st == SB_OK; j++)
            if (!strcmp(out[i].name, out[j].name))
                st = sb__yfail(&c, SB_ERR_INVALID, members->kids[i],
                               "set member %zu is a scenario named '%s', as "
                               "is member %zu (line %lu); names in a set must "
                               "differ",
                               i + 1, out[i].name, j + 1,
                               members->kids[j]->line);
    }
    if (st != SB_OK) {
        free(out);
        return st;
    }
    *list = out;
    *count = members->count;
    return SB_OK;
}

static sb_status resolve_source(const sb__source *src, sb_scenario **list,
                                size_t *count, sb_error *err)
{
    sb__ynode *root;
    sb_status st = sb__ytree_parse(src->text, src->len, src->origin,
                                   &sb__scenario_yaml_limits, &root, err);
    if (st != SB_OK)
        return st;
    if (root->kind == SB_YNODE_MAP && sb__ymap_get(root, "set", NULL)) {
        st = load_set(src, root, list, count, err);
    } else {
        sb_scenario *one = malloc(sizeof *one);
        if (!one) {
            st = sb_error_set(err, SB_ERR_NOMEM, src->origin, 0, 0,
                              "out of memory");
        } else {
            sb__loader ld = {.err = err, .depth = 1, .chain = {src}};
            st = sb__load_scenario_tree(&ld, src, root, one);
            if (st == SB_OK) {
                *list = one;
                *count = 1;
            } else {
                free(one);
            }
        }
    }
    sb__ytree_free(root);
    return st;
}

sb_status sb_scenario_resolve(const char *arg, sb_scenario **list,
                              size_t *count, sb_error *err)
{
    *list = NULL;
    *count = 0;
    sb_error local;
    sb_error_clear(&local);
    sb__source src;
    sb_status st;
    struct stat sbuf;
    if (!arg || !arg[0]) {
        st = sb_error_set(&local, SB_ERR_NOTFOUND, NULL, 0, 0,
                          "no scenario named: give a built-in name or a file");
    } else if (!sb__source_is_path(arg) && sb_scenario_builtin_text(arg)) {
        st = sb__source_builtin(arg, &src, &local);
    } else if (sb__source_is_path(arg) || stat(arg, &sbuf) == 0) {
        st = sb__source_file(arg, &src, &local);
    } else {
        char names[1024], hint[SB_NAME_MAX + 32] = "";
        sb__scenario_builtin_names(names, sizeof names);
        const char *near = sb__scenario_builtin_closest(arg);
        if (near)
            snprintf(hint, sizeof hint, "; did you mean '%s'?", near);
        st = sb_error_set(&local, SB_ERR_NOTFOUND, NULL, 0, 0,
                          "'%s' is neither a built-in scenario or set (%s) "
                          "nor a file%s",
                          arg, names, hint);
    }
    if (st == SB_OK) {
        st = resolve_source(&src, list, count, &local);
        sb__source_free(&src);
    }
    if (st == SB_OK)
        sb_error_clear(err);
    else if (err)
        *err = local;
    return st;
}
