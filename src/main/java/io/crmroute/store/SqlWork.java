package io.crmroute.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Blocking JDBC work done with one connection, on the store's own threads only. */
@FunctionalInterface
interface SqlWork<T> {

    T apply(Connection connection) throws SQLException;
}
