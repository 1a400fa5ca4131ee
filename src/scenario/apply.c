/*
 * A scenario file applied onto its base: field by field through the model's
 * tables, relationships merged by name (override, append, remove).
 */
#include "scenario/apply.h"

#include <securebase/scenario.h>

#include <stdio.h>
#include <string.h>

/* Top-level keys that are not plain fields of sb_scenario. */
static const char *const section_keys[] = {
    "base", "population", "therapy", "reflection", "practice",
    "inherit_relationships", "relationships", "inherit_timeline", "timeline",
    "model", NULL};
static const char *const population_keys[] = {"prototype_share", NULL};
static const char *const dist_keys[] = {"mean", "sd", "min", "max", NULL};

void sb_scenario_relationship_default(sb_relationship *r)
{
    /* An assumption: an added relationship that says nothing more is one
     * everybody has, of middling quality, seen weekly, with an insecure
     * other, there from the start to the end. */
    memset(r, 0, sizeof *r);
    r->kind = SB_REL_OTHER;
    r->share = 1.0;
    r->responsiveness = 0.5;
    r->consistency = 0.5;
    r->contacts_per_week = 1.0;
    r->weight = 0.25;
    r->secure = 0;
    r->start_week = 0;
    r->end_week = -1;
}

size_t sb__apply_count_nodes(const sb__ynode *node)
{
    size_t n = 1;
    for (size_t i = 0; i < node->count; i++)
        n += sb__apply_count_nodes(node->kids[i]);
    return n;
}

/* Whether to apply a value node; records it as a unit when asked. */
static int take(sb__apply *ap, const sb__ynode *value)
{
    if (value == ap->skip)
        return 0;
    if (ap->units && ap->unit_count < ap->unit_cap)
        ap->units[ap->unit_count++] = value;
    return 1;
}

static int in_list(const char *const *list, const sb__ynode *key)
{
    for (size_t i = 0; list && list[i]; i++)
        if (sb__yscalar_is(key, list[i]))
            return 1;
    return 0;
}

/* The list of allowed keys of a mapping, for messages. */
typedef struct key_set {
    const sb_field_info *fields; /* may be NULL */
    size_t field_count;
    const char *const *extra;    /* NULL-terminated, may be NULL */
} key_set;

/* The i-th allowed key: the table's, then extras not already in it. */
static const char *key_at(const key_set *ks, size_t i)
{
    if (i < ks->field_count)
        return ks->fields[i].key;
    i -= ks->field_count;
    for (size_t k = 0; ks->extra && ks->extra[k]; k++) {
        int dup = 0;
        for (size_t f = 0; f < ks->field_count; f++)
            dup |= !strcmp(ks->fields[f].key, ks->extra[k]);
        if (dup)
            continue;
        if (i-- == 0)
            return ks->extra[k];
    }
    return NULL;
}

static const char *closest_key(const key_set *ks, const sb__ynode *key)
{
    const char *best = NULL;
    size_t best_d = 3; /* suggest only near misses */
    for (size_t i = 0; key_at(ks, i); i++) {
        size_t d = sb__text_distance(key->text, key->len, key_at(ks, i));
        if (d < best_d) {
            best_d = d;
            best = key_at(ks, i);
        }
    }
    return best;
}

static sb_status unknown_key(sb__apply *ap, const sb__ynode *key,
                             const char *where, const key_set *ks)
{
    char shown[64], allowed[512], hint[96] = "";
    sb__ytext_show(key->text, key->len, shown, sizeof shown);
    size_t o = 0;
    allowed[0] = '\0';
    for (size_t i = 0; key_at(ks, i) && o < sizeof allowed; i++)
        o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s%s",
                              i ? ", " : "", key_at(ks, i));
    const char *near = closest_key(ks, key);
    if (near)
        snprintf(hint, sizeof hint, "did you mean '%s'? ", near);
    return sb__yfail(&ap->ctx, SB_ERR_INVALID, key,
                     "unknown key '%s' %s; %sallowed: %s", shown, where, hint,
                     allowed);
}

static void join_path(char *buf, size_t size, const char *path,
                      const sb__ynode *key)
{
    char shown[64];
    sb__ytext_show(key->text, key->len, shown, sizeof shown);
    if (path[0])
        snprintf(buf, size, "%s.%s", path, shown);
    else
        snprintf(buf, size, "%s", shown);
}

/* A distribution: {mean, sd, min, max}, any of them, merged into `d`. */
static sb_status apply_dist(sb__apply *ap, const sb__ynode *map,
                            const sb_field_info *f, const char *path,
                            sb_dist *d)
{
    sb_status st = sb__yexpect(&ap->ctx, map, SB_YNODE_MAP, path);
    if (st != SB_OK)
        return st;
    const key_set ks = {NULL, 0, dist_keys};
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const sb__ynode *key = map->kids[i], *value = map->kids[i + 1];
        char sub[160];
        join_path(sub, sizeof sub, path, key);
        double *slot;
        double lo = f->min, hi = f->max;
        if (sb__yscalar_is(key, "mean")) {
            slot = &d->mean;
        } else if (sb__yscalar_is(key, "sd")) {
            slot = &d->sd;
            lo = 0;
            hi = f->max - f->min;
        } else if (sb__yscalar_is(key, "min")) {
            slot = &d->min;
        } else if (sb__yscalar_is(key, "max")) {
            slot = &d->max;
        } else {
            char where[192];
            snprintf(where, sizeof where, "in %s", path);
            return unknown_key(ap, key, where, &ks);
        }
        if (!take(ap, value))
            continue;
        st = sb__yget_double(&ap->ctx, value, sub, lo, hi, slot);
        if (st != SB_OK)
            return st;
    }
    return SB_OK;
}

static const sb_field_info *find_field(const sb_field_info *fields, size_t n,
                                       const sb__ynode *key)
{
    for (size_t i = 0; i < n; i++)
        if (sb__yscalar_is(key, fields[i].key))
            return &fields[i];
    return NULL;
}

/*
 * Applies the fields of one group from a mapping onto `target`. Keys in
 * `handled` are left to the caller (and allowed).
 */
static sb_status apply_group(sb__apply *ap, const sb__ynode *map,
                             const char *path, sb_field_group group,
                             void *target, const char *const *handled)
{
    sb_status st = sb__yexpect(&ap->ctx, map, SB_YNODE_MAP, path);
    if (st != SB_OK)
        return st;
    size_t n;
    const sb_field_info *fields = sb_scenario_fields(group, &n);
    const key_set ks = {fields, n, handled};
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const sb__ynode *key = map->kids[i], *value = map->kids[i + 1];
        if (in_list(handled, key))
            continue;
        const sb_field_info *f = find_field(fields, n, key);
        if (!f) {
            char where[192];
            if (path[0])
                snprintf(where, sizeof where, "in %s", path);
            else
                snprintf(where, sizeof where, "at the top level");
            return unknown_key(ap, key, where, &ks);
        }
        char sub[160];
        join_path(sub, sizeof sub, path, key);
        if (f->type == SB_FIELD_DIST) {
            st = apply_dist(ap, value, f, sub,
                            (sb_dist *)((char *)target + f->offset));
        } else {
            if (!take(ap, value))
                continue;
            st = sb__yget_field(&ap->ctx, f, value, sub, target);
        }
        if (st != SB_OK)
            return st;
    }
    return SB_OK;
}

static sb_status apply_population(sb__apply *ap, const sb__ynode *map,
                                  sb_population *pop)
{
    sb_status st = apply_group(ap, map, "population", SB_FIELDS_POPULATION,
                               pop, population_keys);
    if (st != SB_OK)
        return st;
    const sb__ynode *shares = sb__ymap_get(map, "prototype_share", NULL);
    if (!shares)
        return SB_OK;
    return apply_group(ap, shares, "population.prototype_share",
                       SB_FIELDS_PROTOTYPE_SHARE, pop, NULL);
}

static sb_status apply_model(sb__apply *ap, const sb__ynode *map, sb_params *p)
{
    sb_status st = sb__yexpect(&ap->ctx, map, SB_YNODE_MAP, "model");
    if (st != SB_OK)
        return st;
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const sb__ynode *key = map->kids[i], *value = map->kids[i + 1];
        const sb_param_info *info =
            memchr(key->text, '\0', key->len) ? NULL : sb_params_find(key->text);
        if (!info) {
            size_t n;
            const sb_param_info *t = sb_params_table(&n);
            const char *near = NULL;
            size_t best = 3;
            for (size_t k = 0; k < n; k++) {
                size_t d = sb__text_distance(key->text, key->len, t[k].name);
                if (d < best) {
                    best = d;
                    near = t[k].name;
                }
            }
            char shown[64], hint[96] = "";
            sb__ytext_show(key->text, key->len, shown, sizeof shown);
            if (near)
                snprintf(hint, sizeof hint, "did you mean '%s'? ", near);
            return sb__yfail(&ap->ctx, SB_ERR_INVALID, key,
                             "unknown model parameter '%s'; %sthe %zu "
                             "parameters are listed in docs/model.md and by "
                             "`securebase params`",
                             shown, hint, n);
        }
        if (!take(ap, value))
            continue;
        char sub[160];
        join_path(sub, sizeof sub, "model", key);
        st = sb__yget_double(&ap->ctx, value, sub, info->min, info->max,
                             (double *)((char *)p + info->offset));
        if (st != SB_OK)
            return st;
    }
    return SB_OK;
}

static int find_relationship(const sb_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->relationship_count; i++)
        if (!strcmp(sc->relationships[i].name, name))
            return (int)i;
    return -1;
}

static void remove_relationship(sb_scenario *sc, size_t at)
{
    memmove(&sc->relationships[at], &sc->relationships[at + 1],
            (sc->relationship_count - at - 1) * sizeof sc->relationships[0]);
    sc->relationship_count--;
    memset(&sc->relationships[sc->relationship_count], 0,
           sizeof sc->relationships[0]);
}

static void list_names(const sb_scenario *sc, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    if (sc->relationship_count == 0)
        snprintf(buf, size, "none");
    for (size_t i = 0; i < sc->relationship_count && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
                              sc->relationships[i].name);
}

/* `{name: X, remove: true}`: takes nothing else, and X must be there. */
static sb_status remove_entry(sb__apply *ap, const sb__ynode *entry,
                              const sb__ynode *name_node, const char *name,
                              const sb__ynode *remove_node, const char *path,
                              sb_scenario *out)
{
    for (size_t k = 0; k + 1 < entry->count; k += 2) {
        const sb__ynode *key = entry->kids[k];
        if (!sb__yscalar_is(key, "name") && !sb__yscalar_is(key, "remove")) {
            char shown[64];
            sb__ytext_show(key->text, key->len, shown, sizeof shown);
            return sb__yfail(&ap->ctx, SB_ERR_INVALID, key,
                             "%s: an entry with `remove: true` takes only "
                             "`name`; '%s' is not allowed here",
                             path, shown);
        }
    }
    int at = find_relationship(out, name);
    if (at < 0) {
        char names[SB_MAX_RELATIONSHIPS * (SB_NAME_MAX + 2) + 8];
        list_names(out, names, sizeof names);
        return sb__yfail(&ap->ctx, SB_ERR_NOTFOUND, name_node,
                         "%s: there is no relationship named '%s' to remove; "
                         "there are: %s",
                         path, name, names);
    }
    if (take(ap, remove_node))
        remove_relationship(out, (size_t)at);
    return SB_OK;
}

static sb_status apply_relationship(sb__apply *ap, const sb__ynode *entry,
                                    const char *path,
                                    const sb__ynode **seen_names, size_t seen,
                                    sb_scenario *out)
{
    sb_status st = sb__yexpect(&ap->ctx, entry, SB_YNODE_MAP, path);
    if (st != SB_OK)
        return st;
    size_t nf;
    const sb_field_info *fields = sb_scenario_fields(SB_FIELDS_RELATIONSHIP,
                                                     &nf);
    const sb_field_info *name_field = NULL;
    for (size_t i = 0; i < nf; i++)
        if (!strcmp(fields[i].key, "name"))
            name_field = &fields[i];
    const sb__ynode *name_node = sb__ymap_get(entry, "name", NULL);
    if (!name_node || !name_field)
        return sb__yfail(&ap->ctx, SB_ERR_INVALID, entry,
                         "%s: a relationship needs a `name`", path);
    char sub[160], name[SB_NAME_MAX];
    snprintf(sub, sizeof sub, "%s.name", path);
    st = sb__yget_string(&ap->ctx, name_node, sub, name_field->size, 1, name);
    if (st != SB_OK)
        return st;
    seen_names[seen] = name_node;
    for (size_t k = 0; k < seen; k++) {
        const sb__ynode *other = seen_names[k];
        if (other->len == name_node->len &&
            !memcmp(other->text, name_node->text, other->len))
            return sb__yfail(&ap->ctx, SB_ERR_INVALID, name_node,
                             "%s: relationship '%s' is listed twice (first at "
                             "line %lu, column %lu)",
                            path, name, other->line, other->column);
    }
    const sb__ynode *remove_node = sb__ymap_get(entry, "remove", NULL);
    if (remove_node) {
        int remove;
        snprintf(sub, sizeof sub, "%s.remove", path);
        st = sb__yget_bool(&ap->ctx, remove_node, sub, &remove);
        if (st != SB_OK)
            return st;
        if (remove)
            return remove_entry(ap, entry, name_node, name, remove_node, path,
                                out);
    }
    int at = find_relationship(out, name);
    if (at < 0) {
        if (out->relationship_count >= SB_MAX_RELATIONSHIPS)
            return sb__yfail(&ap->ctx, SB_ERR_INVALID, entry,
                             "%s: too many relationships; a scenario has at "
                             "most %d",
                             path, SB_MAX_RELATIONSHIPS);
        at = (int)out->relationship_count++;
        sb_relationship *r = &out->relationships[at];
        sb_scenario_relationship_default(r);
        memcpy(r->name, name, sizeof r->name);
    }
    static const char *const handled[] = {"name", "remove", NULL};
    return apply_group(ap, entry, path, SB_FIELDS_RELATIONSHIP,
                       &out->relationships[at], handled);
}

static sb_status apply_relationships(sb__apply *ap, const sb__ynode *list,
                                     sb_scenario *out)
{
    sb_status st = sb__yexpect(&ap->ctx, list, SB_YNODE_SEQ, "relationships");
    if (st != SB_OK)
        return st;
    /* Every name at most once, and each one either in the base (at most
     * SB_MAX_RELATIONSHIPS) or new (at most as many): more entries than
     * twice the limit cannot all be right. */
    enum { MAX_ENTRIES = 2 * SB_MAX_RELATIONSHIPS };
    const sb__ynode *seen[MAX_ENTRIES];
    for (size_t i = 0; i < list->count; i++) {
        char path[64];
        snprintf(path, sizeof path, "relationships[%zu]", i);
        if (i >= MAX_ENTRIES)
            return sb__yfail(&ap->ctx, SB_ERR_INVALID, list->kids[i],
                             "%s: too many relationships; a scenario has at "
                             "most %d",
                             path, SB_MAX_RELATIONSHIPS);
        st = apply_relationship(ap, list->kids[i], path, seen, i, out);
        if (st != SB_OK)
            return st;
    }
    return SB_OK;
}

/* `begins:` and `ends:` name a relationship: a name, not any text. */
static sb_status check_relationship_name(sb__apply *ap, const sb__ynode *entry,
                                         const char *key, const char *path)
{
    const sb__ynode *node = sb__ymap_get(entry, key, NULL);
    if (!node || sb__text_is_name(node->text, node->len))
        return SB_OK;
    char shown[64];
    sb__ytext_show(node->text, node->len, shown, sizeof shown);
    return sb__yfail(&ap->ctx, SB_ERR_INVALID, node,
                     "%s.%s: expected the name of one of the scenario's "
                     "relationships, got '%s'",
                     path, key, shown);
}

/* One timeline entry: `week` and any of the timeline keys, `therapy` a
 * mapping of the settings that change. */
static sb_status apply_entry(sb__apply *ap, const sb__ynode *entry,
                             const char *path, sb_timeline_entry *e)
{
    sb_status st = sb__yexpect(&ap->ctx, entry, SB_YNODE_MAP, path);
    if (st != SB_OK)
        return st;
    sb_timeline_entry_default(e);
    if (!sb__ymap_get(entry, "week", NULL))
        return sb__yfail(&ap->ctx, SB_ERR_INVALID, entry,
                         "%s: a timeline entry needs a `week`", path);
    static const char *const handled[] = {"therapy", NULL};
    st = apply_group(ap, entry, path, SB_FIELDS_TIMELINE, e, handled);
    if (st == SB_OK)
        st = check_relationship_name(ap, entry, "begins", path);
    if (st == SB_OK)
        st = check_relationship_name(ap, entry, "ends", path);
    const sb__ynode *therapy = sb__ymap_get(entry, "therapy", NULL);
    if (st == SB_OK && therapy) {
        char sub[96];
        snprintf(sub, sizeof sub, "%s.therapy", path);
        st = apply_group(ap, therapy, sub, SB_FIELDS_THERAPY_CHANGE,
                         &e->therapy, NULL);
    }
    if (st != SB_OK)
        return st;
    /* An event of a named kind has that kind's size unless given (a size
     * left out to locate an error counts as not given). */
    const sb__ynode *size = sb__ymap_get(entry, "size", NULL);
    if (e->event != SB_EVENT_NONE && (!size || size == ap->skip))
        e->size = sb_event_kind_info(e->event)->size;
    return SB_OK;
}

/* The file's entries come after the base's (unless `inherit_timeline:
 * false` dropped those); at most SB_TIMELINE_MAX in all. */
static sb_status apply_timeline(sb__apply *ap, const sb__ynode *list,
                                sb_scenario *out)
{
    sb_status st = sb__yexpect(&ap->ctx, list, SB_YNODE_SEQ, "timeline");
    if (st != SB_OK)
        return st;
    for (size_t i = 0; i < list->count; i++) {
        char path[64];
        snprintf(path, sizeof path, "timeline[%zu]", i);
        if (out->timeline_count >= SB_TIMELINE_MAX)
            return sb__yfail(&ap->ctx, SB_ERR_INVALID, list->kids[i],
                             "%s: too many timeline entries; a scenario has at "
                             "most %d, its base's included",
                             path, SB_TIMELINE_MAX);
        sb_timeline_entry e;
        st = apply_entry(ap, list->kids[i], path, &e);
        if (st != SB_OK)
            return st;
        /* memcpy, not assignment: padding stays as the default left it */
        memcpy(&out->timeline[out->timeline_count++], &e, sizeof e);
    }
    return SB_OK;
}

/* Reads `inherit_NAME:`; *drop is 1 when it is false, so that what the
 * base gave is dropped. */
static sb_status inherit(sb__apply *ap, const sb__ynode *root, const char *key,
                         int *drop)
{
    *drop = 0;
    const sb__ynode *node = sb__ymap_get(root, key, NULL);
    if (!node)
        return SB_OK;
    int yes;
    sb_status st = sb__yget_bool(&ap->ctx, node, key, &yes);
    if (st == SB_OK && take(ap, node))
        *drop = !yes;
    return st;
}

sb_status sb__apply_scenario(sb__apply *ap, const sb__ynode *root,
                             const sb_scenario *base, sb_scenario *out)
{
    sb_status st = sb__yexpect(&ap->ctx, root, SB_YNODE_MAP, "the top level");
    if (st != SB_OK)
        return st;
    *out = *base;
    /* The name and the description belong to the file, never inherited. */
    memset(out->description, 0, sizeof out->description);
    if (!sb__ymap_get(root, "name", NULL))
        return sb__yfail(&ap->ctx, SB_ERR_INVALID, root,
                         "a scenario needs a `name:`");

    /* The relationships and the timeline start from the base's unless told
     * otherwise. */
    int drop;
    st = inherit(ap, root, "inherit_relationships", &drop);
    if (st != SB_OK)
        return st;
    if (drop) {
        memset(out->relationships, 0, sizeof out->relationships);
        out->relationship_count = 0;
    }
    st = inherit(ap, root, "inherit_timeline", &drop);
    if (st != SB_OK)
        return st;
    if (drop) {
        memset(out->timeline, 0, sizeof out->timeline);
        out->timeline_count = 0;
    }

    st = apply_group(ap, root, "", SB_FIELDS_SCENARIO, out, section_keys);
    if (st != SB_OK)
        return st;
    for (size_t i = 0; i + 1 < root->count; i += 2) {
        const sb__ynode *key = root->kids[i], *value = root->kids[i + 1];
        if (sb__yscalar_is(key, "population"))
            st = apply_population(ap, value, &out->population);
        else if (sb__yscalar_is(key, "therapy"))
            st = apply_group(ap, value, "therapy", SB_FIELDS_THERAPY,
                             &out->therapy, NULL);
        else if (sb__yscalar_is(key, "reflection"))
            st = apply_group(ap, value, "reflection", SB_FIELDS_HABIT,
                             &out->reflection, NULL);
        else if (sb__yscalar_is(key, "practice"))
            st = apply_group(ap, value, "practice", SB_FIELDS_HABIT,
                             &out->practice, NULL);
        else if (sb__yscalar_is(key, "relationships"))
            st = apply_relationships(ap, value, out);
        else if (sb__yscalar_is(key, "timeline"))
            st = apply_timeline(ap, value, out);
        else if (sb__yscalar_is(key, "model"))
            st = apply_model(ap, value, &out->params);
        if (st != SB_OK)
            return st;
    }
    return SB_OK;
}
