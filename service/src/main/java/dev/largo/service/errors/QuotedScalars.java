package dev.largo.service.errors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Words for a number or boolean sent as a JSON string ({@code "epochs": "3"}), which {@code StrictJsonScalars}
 * refuses: Jackson's own message names its coercion settings and Java types, which mean nothing to a client.
 */
final class QuotedScalars {

    private QuotedScalars() {
    }

    private static final Pattern COERCED_STRING =
            Pattern.compile("^Cannot coerce String value \\(\"(.*)\"\\) to `([\\w.$]+)`");

    /** For a number or boolean sent as a JSON string, what to send instead; else null. */
    static String describe(MismatchedInputException mismatch) {
        String typeName = mismatch.getTargetType() == null ? null : mismatch.getTargetType().getSimpleName();
        Object value = mismatch instanceof InvalidFormatException invalid ? invalid.getValue() : null;
        if (value == null && mismatch.processor() instanceof JsonParser parser
                && parser.currentToken() == JsonToken.VALUE_STRING) {
            // a refused coercion (StrictJsonScalars) carries no value: the parser still stands on the string
            value = parser.getString();
        }
        if (value == null) {
            // Jackson reports a refused coercion in words only: "Cannot coerce String value ("3") to ..."
            Matcher quoted = COERCED_STRING.matcher(String.valueOf(mismatch.getOriginalMessage()));
            if (quoted.find()) {
                value = quoted.group(1);
                typeName = quoted.group(2).substring(quoted.group(2).lastIndexOf('.') + 1);
            }
        }
        if (typeName == null || !(value instanceof String text)) {
            return null;
        }
        String expected = switch (typeName) {
            case "Integer", "int", "Long", "long" -> "a JSON number (integer)";
            case "Double", "double", "Float", "float", "BigDecimal" -> "a JSON number";
            case "Boolean", "boolean" -> "a JSON boolean (true or false)";
            default -> null;
        };
        return expected == null ? null : "\"" + text + "\" is a string; send it as " + expected + ", without quotes";
    }

}
