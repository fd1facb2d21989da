# Build with Maven, run on a JRE. The shipped config binds the HTTP port to 127.0.0.1: set
# server.http.host to 0.0.0.0 in a mounted config to reach /health and /metrics from outside.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /opt/crmroute
COPY --from=build /src/target/crmroute.jar crmroute.jar
COPY config config
# The console keeps its routes beside the config when there is no database: the config folder must be writable.
RUN useradd --system --no-create-home crmroute && chown crmroute config
USER crmroute
EXPOSE 4573 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "crmroute.jar"]
CMD ["serve", "--config", "config/crmroute.yaml"]
