package dev.largo.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * deploy/CONFIGURATION.md (the configuration table of the README) stays true: it lists every setting of the
 * code, every variable it names is read (except the few it lists as deployment-only), and the defaults it
 * gives are the ones the code binds.
 */
class ConfigurationReferenceTest {

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+");
    private static final String DEPLOYMENT_ONLY = "## Deployment-only names";

    @Test
    void everySettingOfTheCodeIsInTheReference() throws IOException {
        Set<String> documented = codeSpans(reference());
        List<String> missing = new ArrayList<>();
        for (ProcessKind process : ProcessKind.values()) {
            CodeSettings.of(process).ownSettings().stream().filter(s -> !documented.contains(s))
                    .forEach(s -> missing.add(s + " (" + process + ")"));
        }
        assertThat(missing).as("settings of the code missing from deploy/CONFIGURATION.md").isEmpty();
    }

    @Test
    void everyVariableTheReferenceNamesIsReadUnlessItIsDeploymentOnly() throws IOException {
        String reference = reference();
        int deploymentOnly = reference.indexOf(DEPLOYMENT_ONLY);
        assertThat(deploymentOnly).as("section '%s'", DEPLOYMENT_ONLY).isPositive();
        Set<String> variables = new LinkedHashSet<>();
        codeSpans(reference.substring(0, deploymentOnly)).stream().filter(s -> VARIABLE.matcher(s).matches())
                .forEach(variables::add);
        assertThat(variables).contains("SPRING_DATASOURCE_URL", "LARGO_QUEUE_LEASE", "DJL_CACHE_DIR");
        CodeSettings service = CodeSettings.of(ProcessKind.SERVICE);
        CodeSettings worker = CodeSettings.of(ProcessKind.WORKER);
        assertThat(variables.stream().filter(v -> service.reader(v).isEmpty() && worker.reader(v).isEmpty()))
                .as("variables in deploy/CONFIGURATION.md that no process reads").isEmpty();
    }

    /** A row's default, where it is one literal value, binds to what the code binds when the setting is absent. */
    @Test
    void theDefaultsInTheReferenceAreTheCodes() throws IOException {
        Map<Class<?>, String> types = new java.util.LinkedHashMap<>();
        for (ProcessKind process : ProcessKind.values()) {
            CodeSettings.of(process).propertiesTypes().forEach(t ->
                    types.put(t, CodeSettings.prefix(t.getAnnotation(ConfigurationProperties.class))));
        }
        int checked = 0;
        for (String row : reference().lines().filter(l -> l.startsWith("| `largo.")).toList()) {
            String[] cells = row.split("\\s*\\|\\s*");
            String property = unquote(cells[1]);
            String documentedDefault = cells[3];
            Matcher single = Pattern.compile("`([^`<>]+)`").matcher(documentedDefault);
            if (!single.matches()) {
                continue;   // a description ("the JVM's temporary directory"), not a value
            }
            Map.Entry<Class<?>, String> type = types.entrySet().stream()
                    .filter(e -> property.startsWith(e.getValue() + ".")).findFirst()
                    .orElseThrow(() -> new AssertionError(property + " belongs to no settings type of the code"));
            Bindable<?> bindable = Bindable.of(type.getKey());
            Object withDocumented = new Binder(new MapConfigurationPropertySource(Map.of(property, single.group(1))))
                    .bindOrCreate(type.getValue(), bindable);
            Object withNothing = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate(type.getValue(), bindable);
            assertThat(withDocumented).as("default of %s documented as %s", property, documentedDefault).isEqualTo(withNothing);
            checked++;
        }
        assertThat(checked).as("rows with a literal default").isGreaterThan(10);
    }

    private static String reference() throws IOException {
        return Files.readString(RepositoryLayout.deploy().resolve("CONFIGURATION.md"));
    }

    private static Set<String> codeSpans(String text) {
        Set<String> spans = new LinkedHashSet<>();
        Matcher matcher = CODE_SPAN.matcher(text);
        while (matcher.find()) {
            spans.add(matcher.group(1));
        }
        return spans;
    }

    private static String unquote(String cell) {
        return cell.replace("`", "").trim();
    }
}
