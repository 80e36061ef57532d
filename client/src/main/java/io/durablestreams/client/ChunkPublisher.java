package io.durablestreams.client;

import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Adapts a pull-based {@link ReadSession} to {@link Flow.Publisher}: one delivery task pulls chunks
 * while there is demand and parks when there is none. Single subscriber (Reactive Streams rule 1.9:
 * later subscribers get {@code onError}).
 */
final class ChunkPublisher implements Flow.Publisher<Chunk> {
    private final ReadSession session;
    private final Executor executor;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    ChunkPublisher(ReadSession session, Executor executor) {
        this.session = session;
        this.executor = executor;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Chunk> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("this publisher allows a single subscriber"));
            return;
        }
        Delivery delivery = new Delivery(subscriber);
        subscriber.onSubscribe(delivery);
        if (executor == null) {
            Thread t = new Thread(delivery, "durable-streams-read");
            t.setDaemon(true);
            t.start();
        } else {
            executor.execute(delivery);
        }
    }

    private final class Delivery implements Flow.Subscription, Runnable {
        private final Flow.Subscriber<? super Chunk> subscriber;
        private final Object lock = new Object();
        private long demand;
        private boolean cancelled;
        private Throwable badRequest;

        Delivery(Flow.Subscriber<? super Chunk> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            synchronized (lock) {
                if (n <= 0) {
                    badRequest = new IllegalArgumentException("request(n) requires n > 0, was " + n);
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                lock.notifyAll();
            }
            if (n <= 0) {
                session.close();
            }
        }

        @Override
        public void cancel() {
            synchronized (lock) {
                cancelled = true;
                lock.notifyAll();
            }
            session.close();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Throwable rejected;
                    synchronized (lock) {
                        while (demand == 0 && !cancelled && badRequest == null) {
                            lock.wait();
                        }
                        if (cancelled) {
                            return;
                        }
                        rejected = badRequest;
                        if (rejected == null) {
                            demand--;
                        }
                    }
                    if (rejected != null) {
                        subscriber.onError(rejected);
                        return;
                    }
                    Chunk chunk = session.next();
                    if (chunk == null) {
                        boolean wasCancelled;
                        synchronized (lock) {
                            wasCancelled = cancelled;
                        }
                        if (!wasCancelled) {
                            subscriber.onComplete();
                        }
                        return;
                    }
                    subscriber.onNext(chunk);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.close();
            } catch (RuntimeException e) {
                subscriber.onError(e);
            }
        }
    }
}
