# syntax=docker/dockerfile:1
#
# A CUDA worker: the worker built with the Maven `cuda` profile, which swaps the CPU libtorch for
# ai.djl.pytorch:pytorch-native-cu124:2.5.1:linux-x86_64 (libtorch with its CUDA 12.4 libraries). The host
# needs an NVIDIA driver for CUDA 12.4 and the NVIDIA container toolkit; in Kubernetes, the NVIDIA device
# plugin (the gpu overlay requests nvidia.com/gpu: 1).
#
#   docker build -f deploy/docker/worker-cuda.Dockerfile -t largo-worker-cuda:0.1.0-SNAPSHOT .
#
# The build context is the repository root (see /.dockerignore).

ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy
# Only the driver-facing parts of CUDA: libtorch brings its own CUDA runtime, cuBLAS and cuDNN. The image's
# NVIDIA_VISIBLE_DEVICES / NVIDIA_DRIVER_CAPABILITIES tell the container toolkit to mount the driver.
ARG CUDA_IMAGE=nvidia/cuda:12.4.1-base-ubuntu22.04

FROM ${JRE_IMAGE} AS jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -Pcuda -pl worker/runtime -am package
RUN java -Djarmode=tools -jar worker/runtime/target/largo-worker-exec.jar extract --layers --destination /extracted \
    && test -n "$(find /extracted -name 'pytorch-native-cu124-*.jar')"
# No warm-up here, unlike the CPU images: DJL refuses to load a CUDA libtorch on a machine without a GPU,
# and the build has none. The worker copies libtorch out of the native jar into DJL_CACHE_DIR the first time
# it loads the engine: a local copy, no download (ai.djl.offline=true).

FROM ${CUDA_IMAGE}
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
# PATH: where the ENTRYPOINT's `java` is found; LANG: the JVM's default charset and locale (UTF-8, as in
# the CPU images).
ENV PATH="/opt/java/openjdk/bin:${PATH}" \
    LANG=C.UTF-8
RUN groupadd --system --gid 10001 largo \
    && useradd --system --uid 10001 --gid largo --home-dir /app --no-create-home --shell /usr/sbin/nologin largo \
    && mkdir -p /var/lib/largo/work /var/cache/largo/djl \
    && chown largo:largo /var/lib/largo/work /var/cache/largo/djl
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
COPY --chmod=0755 deploy/docker/worker-healthcheck.sh /usr/local/bin/worker-healthcheck
# CUBLAS_WORKSPACE_CONFIG: deterministic cuBLAS (a run repeats from its seed, a resumed run ends bit-identical);
# the worker checks it at start while largo.worker.determinism.enabled is true (the default).
ENV DJL_CACHE_DIR=/var/cache/largo/djl \
    LARGO_WORKER_WORK_DIR=/var/lib/largo/work \
    CUBLAS_WORKSPACE_CONFIG=:4096:8 \
    LARGO_WORKER_DETERMINISM_ENABLED=true
# MALLOC_*: keep libtorch's freed step memory instead of returning it to the kernel and faulting it back in
# every training step (BENCHMARKS.md, "where the time goes").
ENV MALLOC_MMAP_THRESHOLD_=33554432 \
    MALLOC_TRIM_THRESHOLD_=1073741824
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s --retries=3 CMD ["/usr/local/bin/worker-healthcheck"]
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/app/largo-worker-exec.jar"]
