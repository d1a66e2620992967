package dev.largo.service.methods;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.largo.api.model.FineTuningMethod;
import dev.largo.api.model.FineTuningMethodList;
import dev.largo.api.model.Method;
import dev.largo.api.model.MethodType;
import dev.largo.api.server.MethodsApi;
import dev.largo.service.jobs.JobSpecDefaults;
import dev.largo.worker.engine.method.MethodRegistry;

/**
 * {@code /v1/methods}: the engine's method registry as the contract describes it, so that the dashboard's job form
 * shows each method's settings and defaults from the one place they are declared.
 */
@RestController
public class MethodsController implements MethodsApi {

    @Override
    public ResponseEntity<FineTuningMethodList> listMethods() {
        return ResponseEntity.ok(list());
    }

    /** Every method, in the contract's order; the same for every caller. */
    public static FineTuningMethodList list() {
        List<FineTuningMethod> methods = new ArrayList<>();
        for (MethodType type : MethodType.values()) {
            methods.add(describe(type));
        }
        return new FineTuningMethodList(FineTuningMethodList.ObjectEnum.LIST, methods);
    }

    private static FineTuningMethod describe(MethodType type) {
        var traits = MethodRegistry.get(type.getValue()).traits();
        Method defaults = JobSpecDefaults.defaults(type);
        List<FineTuningMethod.SettingsEnum> settings = new ArrayList<>();
        if (defaults.getLora() != null) {
            settings.add(FineTuningMethod.SettingsEnum.LORA);
        }
        if (defaults.getLargo() != null) {
            settings.add(FineTuningMethod.SettingsEnum.LARGO);
        }
        if (defaults.getGorp() != null) {
            settings.add(FineTuningMethod.SettingsEnum.GORP);
        }
        return new FineTuningMethod()
                .type(type)
                .label(traits.label())
                .description(traits.description())
                .singleTask(traits.singleTask())
                .continual(traits.continual())
                .settings(settings)
                .loraInitConfigurable(traits.initConfigurable())
                .trainsBaseWeights(traits.trainsBaseWeights())
                .defaultLearningRate(traits.learningRate())
                .defaults(defaults);
    }
}
