package io.crmroute.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Blocking JDBC work done with one connection, on threads that may block (never an event loop). */
@FunctionalInterface
public interface SqlWork<T> {

    T apply(Connection connection) throws SQLException;
}
