/**
 * Several crmroute nodes sharing one PostgreSQL ({@link io.crmroute.cluster.Cluster}, the
 * {@link io.crmroute.crm.CrmSharing} the {@code crm} package asks): each node's heartbeat
 * ({@code Membership}, who is up), each CRM's {@code rate-limit} leased window by window from a shared
 * counter so the account never sees more than its limit ({@code LeasedRateBudget}), and each CRM's
 * credential fetched by one node under an advisory lock and kept sealed with AES-GCM
 * ({@code SharedTokenStore}, {@link io.crmroute.cluster.SecretBox}). Blocking JDBC runs on the cluster's
 * own threads; times come from the injected clock and scheduler, so tests drive them.
 */
package io.crmroute.cluster;
