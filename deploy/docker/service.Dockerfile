# syntax=docker/dockerfile:1
#
# The service: REST API, dashboard, lease reaper. The image runs largo-service-api.jar, the service without
# its in-process worker and without libtorch (121 MB instead of the default jar's 231 MB): compose and
# Kubernetes run separate worker images. It still starts an embedded PostgreSQL when no database is configured.
#
#   docker build -f deploy/docker/service.Dockerfile -t largo-service:0.1.0-SNAPSHOT .
#
# The build context is the repository root (see /.dockerignore).

ARG JDK_IMAGE=eclipse-temurin:17-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven repository lives in a BuildKit cache, so a rebuild downloads nothing that did not change.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -pl service -am package
# Layered extraction: the dependency layers change rarely, the application layer on every commit.
RUN java -Djarmode=tools -jar service/target/largo-service-api.jar extract --layers --destination /extracted

FROM ${JRE_IMAGE}
# A fixed numeric user, so Kubernetes' runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 largo \
    && useradd --system --uid 10001 --gid largo --home-dir /app --no-create-home --shell /usr/sbin/nologin largo \
    && mkdir -p /app/data \
    && chown largo:largo /app/data
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
USER 10001:10001
EXPOSE 8080
# the actuator, when MANAGEMENT_SERVER_PORT moves it off the API port (compose and Kubernetes do)
EXPOSE 9090
# The default mode (no SPRING_DATASOURCE_URL) keeps its embedded database under /app/data/postgres: mount a
# volume there to keep it (docker run -v largo-data:/app/data ...). With a database URL it stays empty.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${MANAGEMENT_SERVER_PORT:-${PORT:-8080}}/actuator/health/readiness" > /dev/null || exit 1
# Exec form: java is PID 1 and receives SIGTERM itself (graceful shutdown). ai.djl.offline=true: should an
# upload inspection ever touch DJL, it must not reach the network. JAVA_TOOL_OPTIONS stays free for operators.
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/app/largo-service-api.jar"]
