package network.sovereign.pouw.adapters.web.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when a test says so. */
final class ManualNanoClock implements LongSupplier {

    // Not zero, so that a bug that treats the clock's origin as time zero shows.
    private final AtomicLong nanos = new AtomicLong(7_777_777_777_777L);

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    void advanceNanos(long by) {
        nanos.addAndGet(by);
    }
}
