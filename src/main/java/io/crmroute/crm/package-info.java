/**
 * CRM connectors: one {@link io.crmroute.crm.CrmConnector} per configured CRM, built by
 * {@link io.crmroute.crm.CrmConnectors#create}. A connector turns a {@link io.crmroute.crm.LookupRequest}
 * (match a value against a field of an object, retrieve some fields) into the vendor's own API
 * call and answers with the records found, asynchronously and never blocking a thread. Caching,
 * single-flight, rate limiting and circuit breaking wrap every connector the same way.
 */
package io.crmroute.crm;
