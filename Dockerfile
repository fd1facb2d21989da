# crmroute's container image: built with Maven, run on a JRE as the non-root user crmroute (uid 10001).
#   docker build -t crmroute .
#   docker run -v "$PWD/config:/etc/crmroute:ro" -v crmroute-data:/var/lib/crmroute \
#              -e CRMROUTE_AGI_ALLOW=172.28.0.10/32 -p 4573:4573 crmroute
# The config is read, never written: mount it read-only at /etc/crmroute (the image's own is config/ of
# the repository). Everything crmroute writes goes to the volume /var/lib/crmroute (server.data-dir).
# The shipped config takes its listening settings from the CRMROUTE_* variables below; compose.yaml is
# an example with PostgreSQL.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
# The jar only: the Debian package is built on Debian by `mvn package` (see README, Running in production).
RUN mvn -B -q package -DskipTests -Djdeb.skip=true

FROM eclipse-temurin:17-jre
# A fixed uid, so a bind-mounted data directory can be given to it: chown 10001:10001 ./data
RUN groupadd --system --gid 10001 crmroute \
 && useradd --system --uid 10001 --gid crmroute --home-dir /var/lib/crmroute --no-create-home --shell /usr/sbin/nologin crmroute \
 && install -d -o crmroute -g crmroute -m 0750 /var/lib/crmroute
COPY --from=build /src/target/crmroute.jar /usr/share/crmroute/crmroute.jar
# Class-data sharing for this jar at this path: one call routed through it (`crmroute selftest`) at build
# time leaves the archive that halves the time to the first answered call (README, Performance).
RUN java -XX:ArchiveClassesAtExit=/usr/share/crmroute/crmroute.jsa -Xlog:cds=error -jar /usr/share/crmroute/crmroute.jar selftest
# Owned by root, readable by all: crmroute never writes here.
COPY config/crmroute.yaml config/demo-crm.json /etc/crmroute/
# The shipped config reads these (${CRMROUTE_AGI_ALLOW:-...} and so on). FastAGI has no password: the
# default lets in this container only; set CRMROUTE_AGI_ALLOW to your Asterisk containers' addresses
# (one range, or several separated by commas or spaces). Publishing 4573 with Docker's userland proxy
# makes outside connections come from the network's gateway: allow the Asterisk addresses, not a subnet.
ENV CRMROUTE_DATA_DIR=/var/lib/crmroute \
    CRMROUTE_AGI_HOST=0.0.0.0 \
    CRMROUTE_AGI_PORT=4573 \
    CRMROUTE_AGI_ALLOW="127.0.0.1/32 ::1/128" \
    CRMROUTE_HTTP_HOST=127.0.0.1 \
    CRMROUTE_HTTP_PORT=8080
VOLUME /var/lib/crmroute
USER crmroute
WORKDIR /var/lib/crmroute
EXPOSE 4573 8080
# GET /health over bash's /dev/tcp (the JRE image has no HTTP client to rely on): healthy on 200. It runs
# inside the container, so CRMROUTE_HTTP_HOST must be 127.0.0.1 or 0.0.0.0 for it to connect.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${CRMROUTE_HTTP_PORT} && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-XX:SharedArchiveFile=/usr/share/crmroute/crmroute.jsa", "-XX:+ExitOnOutOfMemoryError", "-jar", "/usr/share/crmroute/crmroute.jar"]
CMD ["serve", "--config", "/etc/crmroute/crmroute.yaml"]
