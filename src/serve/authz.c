/*
 * Authorization: applies the route table (routes.c) to one request. First
 * the role (not signed in: sign in first; wrong role: 403), then whose
 * record the ids in the path name (not the asker's to see: 404, exactly as
 * for a record that does not exist, so ids cannot be probed).
 */
#include <securebase/questionnaire.h>

#include "serve/internal.h"

/* The person a record of `kind` with `id` belongs to; 0 if none. */
static sb_status owner_of(sb_journal *j, int kind, sb_id id, sb_id *person,
                          sb_error *err)
{
    *person = 0;
    sb_status st;
    if (kind == SB_CHILD_SCHEDULE) {
        sb_schedule s;
        st = sb_schedule_get(j, id, &s, err);
        if (st == SB_OK)
            *person = s.person;
    } else if (kind == SB_CHILD_INVITE) {
        sb_invite inv;
        st = sb_invite_get(j, id, &inv, err);
        if (st == SB_OK)
            *person = inv.person;
    } else {
        union {
            sb_rec_relationship r;
            sb_rec_session s;
            sb_rec_assessment a;
            sb_rec_reflection f;
            sb_rec_practice p;
        } rec;
        st = sb_journal_get(j, (sb_journal_kind)kind, id, &rec, err);
        if (st == SB_OK)
            /* Every record but a person's has its person second. */
            *person = rec.s.person;
    }
    return st == SB_ERR_NOTFOUND ? SB_OK : st;
}

/* SB_ALLOW if record {id} of the route's kind belongs to `person`. */
static sb_verdict record_of(sb_req *r, sb_id person, sb_error *err)
{
    sb_id owner;
    if (owner_of(r->j, r->route->kind, r->params.id, &owner, err) != SB_OK)
        return SB_DENY_OWNER;
    return owner && owner == person ? SB_ALLOW : SB_DENY_OWNER;
}

static sb_verdict on_caseload(sb_req *r, sb_error *err)
{
    int yes = 0;
    if (r->user.role != SB_ROLE_CLINICIAN ||
        sb_assignment_exists(r->j, r->user.id, r->params.person, &yes, err) !=
            SB_OK)
        return SB_DENY_OWNER;
    return yes ? SB_ALLOW : SB_DENY_OWNER;
}

sb_verdict sb_authorize(sb_req *r, sb_error *err)
{
    const sb_route *rt = r->route;
    unsigned who = r->signed_in ? SB_ROLE_BIT(r->user.role) : SB_ANON;
    if (!(rt->roles & who))
        return r->signed_in ? SB_DENY_ROLE : SB_DENY_SIGN_IN;
    switch (rt->owner) {
    case SB_OWN_NONE:
        return SB_ALLOW;
    case SB_OWN_SELF:
        return r->user.role == SB_ROLE_CLIENT && r->user.person
                   ? SB_ALLOW
                   : SB_DENY_ROLE;
    case SB_OWN_SELF_RECORD:
        if (r->user.role != SB_ROLE_CLIENT || !r->user.person)
            return SB_DENY_ROLE;
        return record_of(r, r->user.person, err);
    case SB_OWN_CASELOAD:
        return on_caseload(r, err);
    case SB_OWN_CASELOAD_RECORD: {
        sb_verdict v = on_caseload(r, err);
        return v != SB_ALLOW ? v : record_of(r, r->params.person, err);
    }
    case SB_OWN_ACCOUNT: {
        sb_account a;
        return sb_account_get(r->j, r->params.id, &a, err) == SB_OK
                   ? SB_ALLOW
                   : SB_DENY_OWNER;
    }
    }
    return SB_DENY_ROLE;
}
