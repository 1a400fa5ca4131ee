/*
 * Every route of the web app with who may use it: the one place where
 * authorization is decided (authz.c applies this table; handlers never
 * check roles or ownership themselves). A route is a method and a path
 * pattern, the roles allowed, the rule its ids must satisfy (whose record
 * it is), and, for pages that show a client's record, what the audit log
 * calls the read.
 *
 * Roles: admins manage accounts, assignments and the audit log and see no
 * records; clinicians see the clients on their caseload; clients see their
 * own record, under /me, where no id of a person appears at all.
 */
#include "serve/internal.h"

#define ANY (SB_ANON | SB_ROLE_BIT(SB_ROLE_ADMIN) | \
             SB_ROLE_BIT(SB_ROLE_CLINICIAN) | SB_ROLE_BIT(SB_ROLE_CLIENT))
#define SIGNED_IN (ANY & ~SB_ANON)
#define ADMIN SB_ROLE_BIT(SB_ROLE_ADMIN)
#define CLINICIAN SB_ROLE_BIT(SB_ROLE_CLINICIAN)
#define CLIENT SB_ROLE_BIT(SB_ROLE_CLIENT)

#define NONE SB_OWN_NONE, 0
#define SELF SB_OWN_SELF, 0
#define SELF_RECORD(k) SB_OWN_SELF_RECORD, k
#define CASELOAD SB_OWN_CASELOAD, 0
#define CASELOAD_RECORD(k) SB_OWN_CASELOAD_RECORD, k
#define ACCOUNT SB_OWN_ACCOUNT, 0

const sb_route sb_routes[] = {
    /* open to everyone */
    {"GET", "/", ANY, NONE, sb_page_root, NULL},
    {"GET", "/static/{name}", ANY, NONE, sb_page_static, NULL},
    {"GET", "/login", ANY, NONE, sb_page_login, NULL},
    {"POST", "/login", ANY, NONE, sb_page_login_post, NULL},
    {"GET", "/join/{token}", ANY, NONE, sb_page_join, NULL},
    {"POST", "/join/{token}", ANY, NONE, sb_page_join_post, NULL},
    {"GET", "/reset/{token}", ANY, NONE, sb_page_reset, NULL},
    {"POST", "/reset/{token}", ANY, NONE, sb_page_reset_post, NULL},
    /* any signed-in account, acting on itself */
    {"POST", "/logout", SIGNED_IN, NONE, sb_page_logout, NULL},
    {"GET", "/account", SIGNED_IN, NONE, sb_page_account, NULL},
    {"POST", "/account", SIGNED_IN, NONE, sb_page_account_post, NULL},

    /* a client's own record */
    {"GET", "/me", CLIENT, SELF, sb_page_me, "home page"},
    {"GET", "/me/questionnaires", CLIENT, SELF, sb_page_questionnaires,
     "questionnaires"},
    {"GET", "/me/questionnaires/{name}", CLIENT, SELF, sb_page_questionnaire,
     "questionnaire draft"},
    {"POST", "/me/questionnaires/{name}", CLIENT, SELF,
     sb_page_questionnaire_post, NULL},
    {"GET", "/me/reflections", CLIENT, SELF, sb_page_reflections,
     "reflections"},
    {"POST", "/me/reflections", CLIENT, SELF, sb_page_reflections_post, NULL},
    {"POST", "/me/reflections/{id}/delete", CLIENT,
     SELF_RECORD(SB_KIND_REFLECTION), sb_page_reflection_delete, NULL},
    {"GET", "/me/practice", CLIENT, SELF, sb_page_practice, "practice"},
    {"POST", "/me/practice", CLIENT, SELF, sb_page_practice_post, NULL},
    {"POST", "/me/practice/{id}/delete", CLIENT,
     SELF_RECORD(SB_KIND_PRACTICE), sb_page_practice_delete, NULL},
    {"GET", "/me/relationships", CLIENT, SELF, sb_page_relationships,
     "relationships"},
    {"POST", "/me/relationships", CLIENT, SELF, sb_page_relationships_post,
     NULL},
    {"POST", "/me/relationships/{id}/end", CLIENT,
     SELF_RECORD(SB_KIND_RELATIONSHIP), sb_page_relationship_end, NULL},
    {"GET", "/me/report", CLIENT, SELF, sb_page_my_report, "journey report"},
    {"GET", "/me/data", CLIENT, SELF, sb_page_my_data, NULL},
    {"GET", "/me/data/{name}", CLIENT, SELF, sb_page_my_download, NULL},

    /* a clinician's caseload */
    {"GET", "/caseload", CLINICIAN, NONE, sb_page_caseload, NULL},
    {"POST", "/clients", CLINICIAN, NONE, sb_page_client_new_post, NULL},
    {"GET", "/clients/{person}", CLINICIAN, CASELOAD, sb_page_client,
     "client page"},
    {"GET", "/clients/{person}/report", CLINICIAN, CASELOAD,
     sb_page_client_report, "journey report"},
    {"GET", "/clients/{person}/whatif", CLINICIAN, CASELOAD,
     sb_page_client_whatif, "what-if plans"},
    {"GET", "/clients/{person}/data/{name}", CLINICIAN, CASELOAD,
     sb_page_client_download, NULL},
    {"POST", "/clients/{person}/sessions", CLINICIAN, CASELOAD,
     sb_page_client_session_post, NULL},
    {"POST", "/clients/{person}/sessions/{id}/delete", CLINICIAN,
     CASELOAD_RECORD(SB_KIND_SESSION), sb_page_client_session_delete, NULL},
    {"POST", "/clients/{person}/schedules", CLINICIAN, CASELOAD,
     sb_page_client_schedule_post, NULL},
    {"POST", "/clients/{person}/schedules/{id}/delete", CLINICIAN,
     CASELOAD_RECORD(SB_CHILD_SCHEDULE), sb_page_client_schedule_delete,
     NULL},
    {"POST", "/clients/{person}/invites", CLINICIAN, CASELOAD,
     sb_page_client_invite_post, NULL},
    {"POST", "/clients/{person}/invites/{id}/revoke", CLINICIAN,
     CASELOAD_RECORD(SB_CHILD_INVITE), sb_page_client_invite_revoke, NULL},

    /* administration: accounts, assignments, the audit log */
    {"GET", "/admin/accounts", ADMIN, NONE, sb_page_admin_accounts, NULL},
    {"POST", "/admin/accounts", ADMIN, NONE, sb_page_admin_accounts_post,
     NULL},
    {"POST", "/admin/accounts/{id}/disable", ADMIN, ACCOUNT,
     sb_page_admin_account_disable, NULL},
    {"POST", "/admin/accounts/{id}/enable", ADMIN, ACCOUNT,
     sb_page_admin_account_enable, NULL},
    {"POST", "/admin/accounts/{id}/reset", ADMIN, ACCOUNT,
     sb_page_admin_account_reset, NULL},
    {"GET", "/admin/assignments", ADMIN, NONE, sb_page_admin_assignments,
     NULL},
    {"POST", "/admin/assignments", ADMIN, NONE,
     sb_page_admin_assignments_post, NULL},
    {"POST", "/admin/assignments/{id}/clients/{person}/delete", ADMIN,
     ACCOUNT, sb_page_admin_assignment_delete, NULL},
    {"GET", "/admin/audit", ADMIN, NONE, sb_page_admin_audit, NULL},
    {"GET", "/admin/audit.csv", ADMIN, NONE, sb_page_admin_audit_csv, NULL},
    {NULL, NULL, 0, NONE, NULL, NULL},
};
