package dev.largo.service.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Other spellings of a request path, each named: the ones a router or a servlet container may read as the same
 * path ({@code ;params}, percent-encoded letters, {@code //}, dot segments, an encoded {@code /}), and ones it
 * must not ({@code /} at the end, another case). Plus random mutations of the same kinds for fuzzing.
 */
final class PathSpellings {

    /** Spellings StrictHttpFirewall refuses: none of them may reach a handler. */
    static final List<String> REFUSED_MARKERS = List.of(";", "//", "/./", "/../", "%2F", "%2f", "%2e", "%2E", "%25");

    private PathSpellings() {
    }

    /** {@code path} itself ("plain") and its variants; {@code path} starts with {@code /}, has no query. */
    static Map<String, String> of(String path) {
        String[] segments = path.substring(1).split("/");
        Map<String, String> spellings = new LinkedHashMap<>();
        spellings.put("plain", path);
        for (int i = 0; i < segments.length; i++) {
            String[] changed = segments.clone();
            changed[i] = changed[i] + ";x=1";
            spellings.put(";x=1 on segment " + i, join(changed));
            changed = segments.clone();
            changed[i] = encodeFirstLetter(changed[i]);
            spellings.put("percent-encoded letter in segment " + i, join(changed));
        }
        String first = "/" + segments[0];
        String rest = path.substring(first.length());
        spellings.put("leading //", "/" + path);
        spellings.put("// after segment 0", first + "/" + rest);
        spellings.put("trailing /", path + "/");
        spellings.put("/./ after segment 0", first + "/." + rest);
        spellings.put("/x/../ after segment 0", first + "/x/.." + rest);
        spellings.put("%2F for the first /", first + "%2F" + rest.substring(1));
        spellings.put("%2e segment", first + "/%2e" + rest);
        spellings.put("%25-encoded percent", first + "/%2574" + rest);
        String[] upper = segments.clone();
        upper[1] = upper[1].toUpperCase(Locale.ROOT);
        spellings.put("upper-case segment 1", join(upper));
        upper = segments.clone();
        upper[segments.length - 1] = upper[segments.length - 1].toUpperCase(Locale.ROOT);
        spellings.put("upper-case last segment", join(upper));
        spellings.put("upper-case path", path.toUpperCase(Locale.ROOT));
        return spellings;
    }

    /** One to three random mutations of the kinds above, at random places. */
    static String mutate(String path, Random random) {
        String mutated = path;
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String next = mutateOnce(mutated, random);
            if (sendable(next)) { // e.g. encoding the 'f' of "%2f" leaves "%2%66", which no client can send
                mutated = next;
            }
        }
        return mutated;
    }

    private static boolean sendable(String path) {
        try {
            java.net.URI.create("http://localhost" + path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String mutateOnce(String path, Random random) {
        List<Integer> slashes = new ArrayList<>();
        List<Integer> letters = new ArrayList<>();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                slashes.add(i);
            } else if (Character.isLetter(path.charAt(i))) {
                letters.add(i);
            }
        }
        int slash = slashes.get(random.nextInt(slashes.size()));
        int letter = letters.isEmpty() ? -1 : letters.get(random.nextInt(letters.size()));
        String[] inserts = {";", ";x=1", ";jsessionid=1", "/", "/.", "/x/..", "/%2e", "/%2E%2E", "%2F", "%2f", "%25",
            "%5C", "%00", "%20", "%09", ".", "..", "%3B", "~", "%7E", "+", "*"};
        return switch (random.nextInt(5)) {
            // (never before the leading slash: that would be no path at all)
            case 0 -> path.substring(0, Math.max(slash, 1)) + inserts[random.nextInt(inserts.length)]
                    + path.substring(Math.max(slash, 1));
            case 1 -> letter < 0 ? path : path.substring(0, letter) + encode(path.charAt(letter), random.nextBoolean())
                    + path.substring(letter + 1);
            case 2 -> letter < 0 ? path : path.substring(0, letter) + flipCase(path.charAt(letter))
                    + path.substring(letter + 1);
            case 3 -> path + (random.nextBoolean() ? "/" : inserts[random.nextInt(inserts.length)]);
            default -> path.substring(0, slash + 1) + inserts[random.nextInt(inserts.length)] + "/"
                    + path.substring(slash + 1);
        };
    }

    private static String encodeFirstLetter(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            if (Character.isLetter(segment.charAt(i))) {
                return segment.substring(0, i) + encode(segment.charAt(i), false) + segment.substring(i + 1);
            }
        }
        return segment;
    }

    private static String encode(char c, boolean upperHex) {
        String hex = String.format("%02x", (int) c);
        return "%" + (upperHex ? hex.toUpperCase(Locale.ROOT) : hex);
    }

    private static char flipCase(char c) {
        return Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
    }

    private static String join(String[] segments) {
        return "/" + String.join("/", segments);
    }
}
