package network.sovereign.pouw.adapters.web.api;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a request's CPU-heavy step (decoding a large body) on a pool of platform threads, one per core,
 * while the request's virtual thread waits without holding a carrier: however many hostile bodies are
 * being decoded, the carriers stay free for health checks and every other request.
 */
final class CpuWork {

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, new Namer());

    private CpuWork() {
    }

    /** Something to compute that may throw a checked exception of type {@code E}. */
    @FunctionalInterface
    public interface Step<T, E extends Exception> {
        /** Computes the result. */
        T run() throws E;
    }

    /**
     * Runs the step on the pool and waits for it; its result or its exception comes back as if it had
     * run here.
     */
    @SuppressWarnings("unchecked")
    static <T, E extends Exception> T call(Step<T, E> step) throws E {
        Future<T> running = POOL.submit((Callable<T>) step::run);
        try {
            return running.get();
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw (E) cause;
        }
    }

    /** Daemon platform threads named {@code pouw-decode-N}. */
    private static final class Namer implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public Thread newThread(Runnable task) {
            return Thread.ofPlatform().daemon().name("pouw-decode-" + next.getAndIncrement()).unstarted(task);
        }
    }
}
