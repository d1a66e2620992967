package dev.largo.service.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * The settings a process's code reads, and which of them an environment variable sets.
 *
 * <p>Read by the code means: a property of a {@code @ConfigurationProperties} type of ours (records or beans,
 * found by scanning the process's packages), a property in Spring Boot's configuration metadata
 * ({@code META-INF/spring-configuration-metadata.json} of the jars the process runs with), a {@code ${...}}
 * placeholder in the process's application.yaml or in a {@code @Value}, or one of the few variables read
 * outside Spring (the JVM's, DJL's: checked in the library's class file). Whether a variable sets a property
 * is decided by Spring Boot's own relaxed binding ({@link SystemEnvironmentPropertySource} mapping), not by a
 * copy of its rules.
 */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
final class CodeSettings {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:$]+)");
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** Variables read by the platform rather than by code on the classpath. */
    private static final Map<String, String> PLATFORM_VARIABLES = Map.of(
            "JAVA_TOOL_OPTIONS", "the JVM (options prepended to every java command line)",
            "LANG", "the JVM (default locale and charset)",
            "PATH", "the container runtime (finds the ENTRYPOINT's java)",
            "MALLOC_MMAP_THRESHOLD_", "glibc's malloc (keeps libtorch's freed step memory in the process)",
            "MALLOC_TRIM_THRESHOLD_", "glibc's malloc (keeps libtorch's freed step memory in the process)",
            "CUBLAS_WORKSPACE_CONFIG", "cuBLAS (deterministic matrix products; the worker checks it at start)");

    /** Variables read by a library through System.getenv; each is checked in the named class file. */
    private static final Map<String, String> LIBRARY_VARIABLES = Map.of(
            "DJL_CACHE_DIR", "ai.djl.util.Utils");

    private final ProcessKind process;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> mapProperties = new LinkedHashMap<>();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Set<String> ownSettings = new LinkedHashSet<>();
    private final List<Class<?>> propertiesTypes = new ArrayList<>();

    static CodeSettings of(ProcessKind process) {
        CodeSettings settings = new CodeSettings(process);
        List<String> packages = switch (process) {
            case SERVICE -> List.of("dev.largo");
            case WORKER -> List.of("dev.largo.db", "dev.largo.worker");
        };
        List<Path> applicationFiles = switch (process) {
            case SERVICE -> List.of(RepositoryLayout.root().resolve("service/src/main/resources"));
            case WORKER -> List.of(RepositoryLayout.root().resolve("worker/runtime/src/main/resources"));
        };
        packages.forEach(settings::addPackage);
        applicationFiles.forEach(settings::addApplicationFiles);
        settings.addSpringBootMetadata(jarsOf(process));
        PLATFORM_VARIABLES.forEach(settings.variables::put);
        LIBRARY_VARIABLES.forEach((variable, className) -> {
            if (classMentions(className, variable)) {
                settings.variables.put(variable, className + " (System.getenv)");
            }
        });
        return settings;
    }

    ProcessKind process() {
        return process;
    }

    /** The @ConfigurationProperties types of ours in this process, with their prefixes. */
    List<Class<?>> propertiesTypes() {
        return Collections.unmodifiableList(propertiesTypes);
    }

    /**
     * The settings our code declares (properties of our settings types, variables our application.yaml or a
     * {@code @Value} reads by name), as opposed to Spring Boot's and the platform's.
     */
    Set<String> ownSettings() {
        return Collections.unmodifiableSet(ownSettings);
    }

    /** What reads {@code variable} in this process, or empty if nothing does. */
    Optional<String> reader(String variable) {
        if (variables.containsKey(variable)) {
            return Optional.of(variables.get(variable));
        }
        PropertySource<?> environment = new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, "set"));
        ConfigurationPropertySource source = ConfigurationPropertySource.from(environment);
        for (Map.Entry<String, String> property : properties.entrySet()) {
            if (source.getConfigurationProperty(ConfigurationPropertyName.of(property.getKey())) != null) {
                return Optional.of(property.getKey() + " (" + property.getValue() + ")");
            }
        }
        for (Map.Entry<String, String> map : mapProperties.entrySet()) {
            if (source.containsDescendantOf(ConfigurationPropertyName.of(map.getKey())) == ConfigurationPropertyState.PRESENT) {
                return Optional.of(map.getKey() + ".* (" + map.getValue() + ")");
            }
        }
        return Optional.empty();
    }

    private void addPackage(String basePackage) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter((reader, factory) -> true);
        for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
            Class<?> type = load(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            if (annotation != null) {
                propertiesTypes.add(type);
                addProperties(prefix(annotation), type, type.getName());
            }
            valuePlaceholders(type).forEach(p -> addPlaceholder(p, "@Value in " + type.getName()));
        }
    }

    static String prefix(ConfigurationProperties annotation) {
        return annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
    }

    private void addProperties(String prefix, Class<?> type, String declaredBy) {
        Map<String, Class<?>> members = new LinkedHashMap<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                members.put(component.getName(), component.getType());
            }
        } else {
            Stream.of(BeanUtils.getPropertyDescriptors(type)).filter(d -> d.getWriteMethod() != null)
                    .forEach(d -> members.put(d.getName(), d.getPropertyType()));
        }
        members.forEach((name, memberType) -> {
            String property = prefix + "." + DataObjectPropertyName.toDashedForm(name);
            if (Map.class.isAssignableFrom(memberType)) {
                mapProperties.put(property, declaredBy);
            } else if (memberType.getName().startsWith("dev.largo.") && !memberType.isEnum()) {
                addProperties(property, memberType, declaredBy);
            } else {
                properties.put(property, declaredBy);
                ownSettings.add(property);
            }
        });
    }

    private static Set<String> valuePlaceholders(Class<?> type) {
        Set<String> placeholders = new LinkedHashSet<>();
        List<AnnotatedElement> elements = new ArrayList<>();
        try {
            elements.addAll(List.of(type.getDeclaredFields()));
            for (Executable executable : concat(type.getDeclaredConstructors(), type.getDeclaredMethods())) {
                elements.add(executable);
                elements.addAll(List.of(executable.getParameters()));
            }
        } catch (LinkageError e) {
            // a class whose members need a missing optional dependency declares no @Value we could honour
            return placeholders;
        }
        for (AnnotatedElement element : elements) {
            Value value = element.getAnnotation(Value.class);
            if (value != null) {
                placeholders.addAll(placeholders(value.value()));
            }
        }
        return placeholders;
    }

    private static List<Executable> concat(Executable[] a, Method[] b) {
        List<Executable> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all;
    }

    private void addApplicationFiles(Path resources) {
        if (!Files.isDirectory(resources)) {
            return;
        }
        try (Stream<Path> files = Files.list(resources)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("application.*\\.(ya?ml|properties)"))
                    .toList()) {
                for (String placeholder : placeholdersIn(file)) {
                    addPlaceholder(placeholder, RepositoryLayout.root().relativize(file) + " ${" + placeholder + "}");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> placeholdersIn(Path file) throws IOException {
        List<String> placeholders = new ArrayList<>();
        if (file.toString().endsWith(".properties")) {
            java.util.Properties values = new java.util.Properties();
            try (InputStream in = Files.newInputStream(file)) {
                values.load(in);
            }
            values.values().forEach(v -> placeholders.addAll(placeholders(String.valueOf(v))));
            return placeholders;
        }
        for (PropertySource<?> source : new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file))) {
            EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) source;
            for (String name : enumerable.getPropertyNames()) {
                placeholders.addAll(placeholders(String.valueOf(enumerable.getProperty(name))));
            }
        }
        return placeholders;
    }

    private static List<String> placeholders(String text) {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1).trim());
        }
        return names;
    }

    /** ${NAME} reads the variable NAME as it is; ${some.property} reads the property (and its variable forms). */
    private void addPlaceholder(String placeholder, String declaredBy) {
        if (ENVIRONMENT_NAME.matcher(placeholder).matches()) {
            variables.putIfAbsent(placeholder, declaredBy);
            ownSettings.add(placeholder);
        } else {
            ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(placeholder);
            if (name != null) {
                properties.putIfAbsent(name.toString(), declaredBy);
                if (name.toString().startsWith("largo.")) {
                    ownSettings.add(name.toString());
                }
            }
        }
    }

    private void addSpringBootMetadata(Predicate<String> jarFilter) {
        try {
            Enumeration<URL> resources = getClass().getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json");
            for (URL url : Collections.list(resources)) {
                String jar = jarName(url);
                if (!jarFilter.test(jar)) {
                    continue;
                }
                String json;
                try (InputStream in = url.openStream()) {
                    json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Object list = JsonParserFactory.getJsonParser().parseMap(json).get("properties");
                for (Object item : list instanceof List<?> l ? l : List.of()) {
                    Map<?, ?> property = (Map<?, ?>) item;
                    ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(String.valueOf(property.get("name")));
                    if (name == null) {
                        continue;
                    }
                    String type = String.valueOf(property.get("type"));
                    if (type.startsWith("java.util.Map<")) {
                        mapProperties.putIfAbsent(name.toString(), "Spring Boot, " + jar);
                    } else {
                        properties.putIfAbsent(name.toString(), "Spring Boot, " + jar);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Spring Boot configuration metadata", e);
        }
    }

    /**
     * The jars the process runs with. The service's are this test's classpath (it is the service module's);
     * the worker's are listed in its executable jar, when it has been built.
     */
    private static Predicate<String> jarsOf(ProcessKind process) {
        Path workerJar = RepositoryLayout.root().resolve("worker/runtime/target/largo-worker-exec.jar");
        if (process == ProcessKind.SERVICE || !Files.isRegularFile(workerJar)) {
            return jar -> true;
        }
        try (JarFile jar = new JarFile(workerJar.toFile())) {
            var index = jar.getEntry("BOOT-INF/classpath.idx");
            if (index == null) {
                throw new IllegalStateException(workerJar + " has no BOOT-INF/classpath.idx");
            }
            Set<String> names = new LinkedHashSet<>();
            try (InputStream in = jar.getInputStream(index)) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String entry = line.replaceAll("^- \"|\"$", "").trim();
                    names.add(entry.substring(entry.lastIndexOf('/') + 1));
                }
            }
            return names::contains;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + workerJar, e);
        }
    }

    private static String jarName(URL url) {
        String path = url.getPath();
        int bang = path.indexOf("!/");
        String file = bang < 0 ? path : path.substring(0, bang);
        return file.substring(file.lastIndexOf('/') + 1);
    }

    private static boolean classMentions(String className, String text) {
        String resource = className.replace('.', '/') + ".class";
        try (InputStream in = CodeSettings.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, CodeSettings.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("scanned class " + className + " cannot be loaded", e);
        }
    }

    @Override
    public String toString() {
        return process + ": " + properties.size() + " properties, " + mapProperties.size() + " map properties, "
                + variables.keySet() + " read directly";
    }
}
