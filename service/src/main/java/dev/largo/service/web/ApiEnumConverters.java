package dev.largo.service.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.converter.ConverterFactory;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Query parameters such as {@code ?status=queued} or {@code ?task_type=image_classification} carry the
 * contract's wire values; the generated enums ({@code dev.largo.api.model}) know them through their
 * {@code fromValue} factory, which Spring's default enum conversion (by constant name) does not use.
 */
@Configuration(proxyBeanMethods = false)
public class ApiEnumConverters implements WebMvcConfigurer {

    private static final String API_MODEL_PACKAGE = "dev.largo.api.model";

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverterFactory(new WireValueConverterFactory());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class WireValueConverterFactory implements ConverterFactory<String, Enum> {

        @Override
        public <T extends Enum> Converter<String, T> getConverter(Class<T> targetType) {
            if (!targetType.getPackageName().equals(API_MODEL_PACKAGE)) {
                return source -> (T) Enum.valueOf(targetType, source.trim());
            }
            Method fromValue;
            try {
                fromValue = targetType.getMethod("fromValue", String.class);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(targetType + " has no fromValue(String)", e);
            }
            return source -> {
                try {
                    return (T) fromValue.invoke(null, source.trim());
                } catch (InvocationTargetException e) {
                    // IllegalArgumentException "Unexpected value": Spring reports it as a type mismatch (400)
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalArgumentException(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    }
}
