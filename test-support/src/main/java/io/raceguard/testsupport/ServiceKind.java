package io.raceguard.testsupport;

/**
 * The three servers tests can ask for, with the variable that points at each and where each
 * usually listens on a developer's machine.
 */
enum ServiceKind {
    POSTGRES("PostgreSQL", "RACEGUARD_POSTGRES_URL", 5432, "jdbc:postgresql://127.0.0.1:%d/test?user=postgres"),
    MARIADB("MariaDB", "RACEGUARD_MARIADB_URL", 3306, "jdbc:mariadb://127.0.0.1:%d/test?user=root"),
    REDIS("Redis", "RACEGUARD_REDIS_URL", 6379, "redis://127.0.0.1:%d");

    private final String displayName;
    private final String variable;
    private final int standardPort;
    private final String loopbackUrlFormat;

    ServiceKind(String displayName, String variable, int standardPort, String loopbackUrlFormat) {
        this.displayName = displayName;
        this.variable = variable;
        this.standardPort = standardPort;
        this.loopbackUrlFormat = loopbackUrlFormat;
    }

    String displayName() {
        return displayName;
    }

    /** The environment variable that, when set, says where this server is. */
    String variable() {
        return variable;
    }

    int standardPort() {
        return standardPort;
    }

    /** The URL of this server on loopback at {@code port}, with its default credentials. */
    String loopbackUrl(int port) {
        return String.format(loopbackUrlFormat, port);
    }

    /** The URL of this server on loopback at its standard port, also the example in messages. */
    String standardLoopbackUrl() {
        return loopbackUrl(standardPort);
    }
}
