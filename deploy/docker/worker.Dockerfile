# syntax=docker/dockerfile:1
#
# A CPU worker: claims queued jobs from PostgreSQL and trains them on libtorch (CPU build).
#
#   docker build -f deploy/docker/worker.Dockerfile -t largo-worker:0.1.0-SNAPSHOT .
#
# The build context is the repository root (see /.dockerignore). The CUDA worker is worker-cuda.Dockerfile.

ARG JDK_IMAGE=eclipse-temurin:17-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven repository lives in a BuildKit cache, so a rebuild downloads nothing that did not change.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -pl worker/runtime -am package
RUN java -Djarmode=tools -jar worker/runtime/target/largo-worker-exec.jar extract --layers --destination /extracted
# libtorch is copied out of the native jar now, not at container start (see DjlWarmup.java).
ENV DJL_CACHE_DIR=/opt/largo/djl
RUN java -Dai.djl.offline=true -cp '/extracted/dependencies/lib/*:/extracted/snapshot-dependencies/lib/*' \
        deploy/docker/DjlWarmup.java \
    && chmod -R a+rX "$DJL_CACHE_DIR"

FROM ${JRE_IMAGE}
RUN groupadd --system --gid 10001 largo \
    && useradd --system --uid 10001 --gid largo --home-dir /app --no-create-home --shell /usr/sbin/nologin largo \
    && mkdir -p /var/lib/largo/work \
    && chown largo:largo /var/lib/largo/work
WORKDIR /app
COPY --from=build /opt/largo/djl /opt/largo/djl
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
COPY --chmod=0755 deploy/docker/worker-healthcheck.sh /usr/local/bin/worker-healthcheck
# DJL_CACHE_DIR: where the warm-up put libtorch (read by DJL's ai.djl.util.Utils). The work directory holds
# each attempt's staged inputs and checkpoints while it runs (largo.worker.work-dir).
ENV DJL_CACHE_DIR=/opt/largo/djl \
    LARGO_WORKER_WORK_DIR=/var/lib/largo/work
# MALLOC_*: keep libtorch's freed step memory instead of returning it to the kernel and faulting it back in
# every training step (BENCHMARKS.md, "where the time goes").
ENV MALLOC_MMAP_THRESHOLD_=33554432 \
    MALLOC_TRIM_THRESHOLD_=1073741824
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["/usr/local/bin/worker-healthcheck"]
# Exec form: java is PID 1 and receives SIGTERM itself; the worker then checkpoints and releases its jobs
# within largo.worker.shutdown-timeout, so give the container longer than that to stop. libtorch lives
# outside the Java heap: the heap gets half of the container's memory. JAVA_TOOL_OPTIONS stays free for
# operators.
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/app/largo-worker-exec.jar"]
