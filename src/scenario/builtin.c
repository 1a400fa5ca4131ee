/*
 * The built-in scenarios and sets: the files scenarios/NAME.yaml compiled
 * into the library (see cmake/embed.cmake). Their names and descriptions are
 * read once, on first use, into a table that never changes afterwards.
 */
#include "scenario/load.h"

#include "base/builtin.h"
#include "scenario/value.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define PREFIX "scenarios/"
#define SUFFIX ".yaml"
/* More built-ins than this are left out of the listing (a test guards it). */
#define BUILTIN_MAX 64

typedef struct builtin_entry {
    char name[SB_NAME_MAX];
    char description[SB_TEXT_MAX];
    int is_set;
    const char *text;
} builtin_entry;

static struct {
    size_t count;
    builtin_entry entries[BUILTIN_MAX];
} table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* The NAME of "scenarios/NAME.yaml", or 0 when `path` is not one. */
static int name_of(const char *path, char *name, size_t size)
{
    size_t np = strlen(PREFIX), ns = strlen(SUFFIX), n = strlen(path);
    if (n <= np + ns || strncmp(path, PREFIX, np) ||
        strcmp(path + n - ns, SUFFIX))
        return 0;
    size_t len = n - np - ns;
    if (len >= size || !sb__text_is_name(path + np, len))
        return 0;
    memcpy(name, path + np, len);
    name[len] = '\0';
    return 1;
}

static void fill_entry(builtin_entry *e, const sb__builtin_file *f)
{
    e->text = f->data;
    sb__ynode *root;
    sb_error err;
    if (sb__ytree_parse(f->data, f->size, f->path, &sb__scenario_yaml_limits,
                        &root, &err) != SB_OK)
        return;
    const sb__ynode *d = sb__ymap_get(root, "description", NULL);
    if (d && d->kind == SB_YNODE_SCALAR && d->len < sizeof e->description &&
        sb__text_is_printable(d->text, d->len))
        memcpy(e->description, d->text, d->len);
    e->is_set = sb__ymap_get(root, "set", NULL) != NULL;
    sb__ytree_free(root);
}

static void fill_table(void)
{
    for (const sb__builtin_file *f = sb__builtin_files; f->path; f++) {
        if (table.count == BUILTIN_MAX)
            break;
        builtin_entry *e = &table.entries[table.count];
        if (!name_of(f->path, e->name, sizeof e->name))
            continue;
        fill_entry(e, f);
        table.count++;
    }
}

static void ensure_table(void)
{
    pthread_once(&table_once, fill_table);
}

size_t sb_scenario_builtin_count(void)
{
    ensure_table();
    return table.count;
}

const char *sb_scenario_builtin_name(size_t i)
{
    ensure_table();
    return i < table.count ? table.entries[i].name : NULL;
}

const char *sb_scenario_builtin_description(size_t i)
{
    ensure_table();
    return i < table.count ? table.entries[i].description : NULL;
}

int sb_scenario_builtin_is_set(size_t i)
{
    ensure_table();
    return i < table.count ? table.entries[i].is_set : 0;
}

const char *sb_scenario_builtin_text(const char *name)
{
    if (!name || !sb__text_is_name(name, strlen(name)))
        return NULL;
    char path[SB_NAME_MAX + 32];
    if (strlen(name) >= SB_NAME_MAX)
        return NULL;
    snprintf(path, sizeof path, PREFIX "%s" SUFFIX, name);
    const sb__builtin_file *f = sb__builtin_find(path);
    return f ? f->data : NULL;
}

const char *sb__scenario_builtin_closest(const char *name)
{
    const char *best = NULL;
    size_t best_d = 3, n = sb_scenario_builtin_count();
    for (size_t i = 0; i < n; i++) {
        size_t d = sb__text_distance(name, strlen(name),
                                     sb_scenario_builtin_name(i));
        if (d < best_d) {
            best_d = d;
            best = sb_scenario_builtin_name(i);
        }
    }
    return best;
}

void sb__scenario_builtin_names(char *buf, size_t size)
{
    size_t o = 0, n = sb_scenario_builtin_count();
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
                              sb_scenario_builtin_name(i));
}
