/** Small helpers for futures that every asynchronous package needs; depends on nothing of crmroute's. */
package io.crmroute.concurrent;
