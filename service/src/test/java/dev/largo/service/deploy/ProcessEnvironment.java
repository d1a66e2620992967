package dev.largo.service.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * The Spring environment a process would see with a given set of environment variables: those variables
 * (and nothing of this JVM's own environment) above the process's application.yaml, with placeholders
 * resolved, so that binding the settings types shows what the process would bind at start.
 */
final class ProcessEnvironment {

    private final ProcessKind process;
    private final StandardEnvironment environment = new StandardEnvironment();

    ProcessEnvironment(ProcessKind process, Map<String, String> variables) {
        this.process = process;
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new LinkedHashMap<>(variables)));
        Path applicationYaml = RepositoryLayout.root()
                .resolve(process == ProcessKind.SERVICE ? "service" : "worker")
                .resolve("src/main/resources/application.yaml");
        if (Files.isRegularFile(applicationYaml)) {
            try {
                for (PropertySource<?> source : new YamlPropertySourceLoader()
                        .load("application.yaml", new FileSystemResource(applicationYaml))) {
                    sources.addLast(source);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ConfigurationPropertySources.attach(environment);
    }

    Binder binder() {
        return Binder.get(environment);
    }

    /** Binds every settings type of the process, as Spring does at start (a value the code refuses throws). */
    Map<Class<?>, Object> bindSettings(CodeSettings settings) {
        if (settings.process() != process) {
            throw new IllegalArgumentException(settings.process() + " settings in a " + process + " environment");
        }
        Map<Class<?>, Object> bound = new LinkedHashMap<>();
        for (Class<?> type : settings.propertiesTypes()) {
            String prefix = CodeSettings.prefix(type.getAnnotation(ConfigurationProperties.class));
            bound.put(type, binder().bindOrCreate(prefix, Bindable.of(type)));
        }
        return bound;
    }

    <T> T bind(String property, Class<T> type, T otherwise) {
        return binder().bind(property, type).orElse(otherwise);
    }
}
