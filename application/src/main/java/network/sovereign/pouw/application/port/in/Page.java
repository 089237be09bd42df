package network.sovereign.pouw.application.port.in;

import java.util.List;
import java.util.Objects;

/**
 * One page of a list answer (SPEC §4 cursor pagination): the items, and whether more follow after the
 * last one, so the caller can hand out a cursor built from it.
 *
 * @param items the items, in list order
 * @param more  true when at least one item follows the last one
 * @param <T>   the item type
 */
public record Page<T>(List<T> items, boolean more) {

    /** The longest page a caller may ask for. */
    public static final int MAX_LIMIT = 500;

    /** Copies the items. */
    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    /**
     * Checks a page size.
     *
     * @throws IllegalArgumentException unless {@code 1 <= limit <= MAX_LIMIT}
     */
    public static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    /** The page made of the first {@code limit} of {@code fetched}, which holds up to {@code limit + 1} items. */
    public static <T> Page<T> of(List<T> fetched, int limit) {
        return fetched.size() > limit ? new Page<>(fetched.subList(0, limit), true) : new Page<>(fetched, false);
    }
}
