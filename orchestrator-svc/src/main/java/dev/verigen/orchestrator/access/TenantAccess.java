package dev.verigen.orchestrator.access;

import dev.verigen.support.problems.ApiProblem;

/**
 * The operator / tenant-admin split of the admin API. A tenant admin manages only its own tenant: another tenant's id
 * answers 404 exactly as an unknown one does, so a tenant admin learns nothing about which tenants exist. Only an
 * operator lists or creates tenants (403 for anyone else: the path exists, the caller may not use it).
 */
public final class TenantAccess {

    private TenantAccess() {
    }

    /** Refuses (404) a caller that may not administer {@code tenant}. */
    public static void requireAdministers(Caller caller, String tenant) {
        if (!caller.administers(tenant)) {
            throw ApiProblem.notFound("no tenant '" + (tenant.length() > 64 ? tenant.substring(0, 64) + "…" : tenant)
                                      + "'");
        }
    }

    /** Refuses (403) a caller that is not a platform operator. */
    public static void requireOperator(Caller caller, String what) {
        if (!caller.isOperator()) {
            throw ApiProblem.forbidden(what + " needs a platform operator's key (scope 'operator'); a tenant admin "
                                       + "manages only its own tenant");
        }
    }
}
