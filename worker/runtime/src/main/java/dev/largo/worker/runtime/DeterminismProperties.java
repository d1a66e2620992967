package dev.largo.worker.runtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code largo.worker.determinism.enabled}: make a run reproducible from its seed on a GPU too, at some speed
 * ({@link GpuDeterminism}). On the CPU the engine is deterministic either way.
 */
@ConfigurationProperties("largo.worker.determinism")
public record DeterminismProperties(@DefaultValue("true") boolean enabled) {
}
