package io.durablestreams.engine.live;

/**
 * A live reader waiting for a stream to change. {@link #wake()} is called by the writer's thread
 * after the change is visible; implementations only hand work to their own executor so that the
 * writer is never delayed by readers.
 */
@FunctionalInterface
public interface Waiter {
    void wake();
}
