/**
 * CRM connectors: one {@link io.crmroute.crm.CrmConnector} per configured CRM, built by
 * {@link io.crmroute.crm.CrmConnectors#create} from a {@link io.crmroute.crm.CrmSpec} and the shared
 * {@link io.crmroute.crm.CrmContext}. A connector turns a {@link io.crmroute.crm.LookupRequest}
 * (match a value against a field of an object, retrieve some fields) into the vendor's own API
 * call and answers with the records found, asynchronously and never blocking a thread.
 * Single-flight, caching, rate limiting and circuit breaking wrap every connector the same way
 * ({@code ResilientConnector}). Vendor connectors are built on the package's shared parts:
 * {@code CrmHttp} (send a {@code CrmCall} within the budget, map failures, Retry-After, JSON),
 * {@code AccessTokens} (one shared token, refreshed once), {@code PhoneNumbers} (notations of a
 * number) and {@code CrmRecords} (vendor JSON to flat records), plus {@code OAuthTokenRequest} for
 * OAuth2 token grants. {@code HubSpotCrm} is the smallest vendor connector to read first.
 * Each connector declares its {@link io.crmroute.crm.CrmType} ({@code TYPE}): the {@code type:} name,
 * its keys as {@link io.crmroute.crm.CrmKey}s with typed parsers ({@code KeyParsers}) and defaults,
 * and a {@code Settings} record built from their values. The config loader reads every key through
 * it at load, so connectors take typed settings and never check their config per call.
 * {@link io.crmroute.crm.CrmTypes} lists the types: a new CRM is its connector class, one line
 * there, its page under {@code docs/crms/} and its test.
 */
package io.crmroute.crm;
