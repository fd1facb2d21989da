package io.crmroute.config;

/** {@code database:}: a PostgreSQL JDBC URL and its credentials (the password from the environment). */
public record DatabaseSettings(String url, String user, String password) {

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=****]";
    }
}
