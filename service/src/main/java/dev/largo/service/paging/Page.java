package dev.largo.service.paging;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import dev.largo.service.errors.ApiProblem;

/**
 * One page of a keyset-paginated list. Callers fetch {@code limit + 1} rows: the extra row only tells
 * whether there is a next page, and is not returned.
 */
public record Page<E>(List<E> items, boolean hasMore) {

    public static <E> Page<E> of(List<E> fetchedLimitPlusOne, int limit) {
        boolean more = fetchedLimitPlusOne.size() > limit;
        return new Page<>(more ? List.copyOf(fetchedLimitPlusOne.subList(0, limit)) : List.copyOf(fetchedLimitPlusOne),
                more);
    }

    /** The cursor of the next page (the last item's key), or null when this is the last page. */
    public <K> K nextAfter(Function<E, K> key) {
        return hasMore ? key.apply(items.get(items.size() - 1)) : null;
    }

    public <D> List<D> map(Function<E, D> mapper) {
        return items.stream().map(mapper).toList();
    }

    /** An {@code after} cursor of a list whose items have UUID ids. */
    public static UUID uuidCursor(String after) {
        if (after == null) {
            return null;
        }
        try {
            return UUID.fromString(after);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badParam("after", "not a cursor of this list: '" + after + "'");
        }
    }
}
