/**
 * Logging that stays safe and bounded whatever strangers send: {@link LogText} escapes values from
 * the wire before they reach a log line, {@link RepeatedWarning} keeps a flood of identical warnings
 * to one line per interval with a count, and {@link PriorityAsyncAppender} never drops WARN or ERROR
 * when the log queue is full. Depends on nothing of crmroute's.
 */
package io.crmroute.logging;
