package dev.largo.worker.engine.method;

import dev.largo.worker.engine.method.ftp.FtpMethod;
import dev.largo.worker.engine.method.full.FullMethod;
import dev.largo.worker.engine.method.gorp.GorpMethod;
import dev.largo.worker.engine.method.joint.JointMethod;
import dev.largo.worker.engine.method.largo.LargoMethod;
import dev.largo.worker.engine.method.linear_probe.LinearProbeMethod;
import dev.largo.worker.engine.method.lora.LoraMethod;
import dev.largo.worker.engine.method.pissa.PissaMethod;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every method, registered once, in the contract's order. Adding a method is a package under
 * {@code engine.method}, a line here and the contract's {@code MethodType} enum (MethodContractTest in the
 * service checks the two lists and the defaults agree).
 */
public final class MethodRegistry {

    private static final List<Method> METHODS = List.of(LargoMethod.METHOD, LoraMethod.METHOD, PissaMethod.METHOD,
            FtpMethod.METHOD, FullMethod.METHOD, LinearProbeMethod.METHOD, GorpMethod.METHOD, JointMethod.METHOD);

    private MethodRegistry() {
    }

    public static List<Method> all() {
        return METHODS;
    }

    public static Optional<Method> find(String id) {
        return METHODS.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** @throws IllegalArgumentException naming the supported ids when none has this id */
    public static Method get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown method.type \"" + id
                + "\" (supported: " + METHODS.stream().map(Method::id).collect(Collectors.joining(", ")) + ")"));
    }
}
