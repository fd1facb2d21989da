/**
 * Routes checked against the CRMs' own schemas ({@code crmroute check --online}): each route's object
 * exists, its match field can be filtered on, and every field it compares or retrieves exists and can be
 * read, as {@link io.crmroute.crm.CrmConnector#objects()} and {@link io.crmroute.crm.CrmConnector#fields}
 * list them for the configured CRM user. Problems are {@link io.crmroute.config.ConfigProblem}s with the
 * key path of the offline check.
 */
package io.crmroute.schema;
