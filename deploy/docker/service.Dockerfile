# syntax=docker/dockerfile:1
#
# The service: REST API, dashboard, lease reaper (and, in its default mode, an embedded PostgreSQL and an
# in-process worker; compose and Kubernetes turn both off and run separate workers).
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
RUN java -Djarmode=tools -jar service/target/largo-service.jar extract --layers --destination /extracted
# libtorch is copied out of the native jar now, not at container start (see DjlWarmup.java).
ENV DJL_CACHE_DIR=/opt/largo/djl
RUN java -Dai.djl.offline=true -cp '/extracted/dependencies/lib/*:/extracted/snapshot-dependencies/lib/*' \
        deploy/docker/DjlWarmup.java \
    && chmod -R a+rX "$DJL_CACHE_DIR"

FROM ${JRE_IMAGE}
# A fixed numeric user, so Kubernetes' runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 largo \
    && useradd --system --uid 10001 --gid largo --home-dir /app --no-create-home --shell /usr/sbin/nologin largo \
    && mkdir -p /app/data \
    && chown largo:largo /app/data
WORKDIR /app
COPY --from=build /opt/largo/djl /opt/largo/djl
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
# DJL_CACHE_DIR: where the warm-up above put libtorch (read by DJL's ai.djl.util.Utils).
ENV DJL_CACHE_DIR=/opt/largo/djl
# MALLOC_*: keep libtorch's freed step memory instead of returning it to the kernel and faulting it back in
# every training step (BENCHMARKS.md, "where the time goes").
ENV MALLOC_MMAP_THRESHOLD_=33554432 \
    MALLOC_TRIM_THRESHOLD_=1073741824
USER 10001:10001
EXPOSE 8080
# The default mode (no SPRING_DATASOURCE_URL) keeps its embedded database under /app/data/postgres: mount a
# volume there to keep it (docker run -v largo-data:/app/data ...). With a database URL it stays empty.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT:-8080}/actuator/health/readiness" > /dev/null || exit 1
# Exec form: java is PID 1 and receives SIGTERM itself (graceful shutdown). ai.djl.offline=true: libtorch
# comes from the image, never from the network. JAVA_TOOL_OPTIONS stays free for operators.
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/app/largo-service.jar"]
