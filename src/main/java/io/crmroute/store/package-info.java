/**
 * PostgreSQL persistence, optional: {@link io.crmroute.store.Database} (HikariCP pool, Flyway migrations
 * from {@code db/migration}, a small executor of its own for all blocking JDBC, started even with the
 * database down), {@link io.crmroute.store.RouteStore} (routes as admins write them, versioned),
 * {@link io.crmroute.store.LiveRouteTable} (the routes calls read, following LISTEN/NOTIFY and polling)
 * {@link io.crmroute.store.DecisionLog} (the asynchronous, batched, outage-proof audit of decisions) and
 * {@link io.crmroute.store.OutboxTable} (the async write actions every node claims rows of).
 * When to flush, retry and poll comes from a {@link io.crmroute.store.StoreTime}, so tests move time
 * themselves. Without a database, {@link io.crmroute.store.LocalRouteStore} (a file in the data directory, {@code server.data-dir}) and
 * {@link io.crmroute.store.RecentDecisions} (the last decisions in memory) stand in, behind the same
 * {@link io.crmroute.store.RouteRepository} and {@link io.crmroute.store.DecisionHistory}.
 */
package io.crmroute.store;
