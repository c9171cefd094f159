package org.ypsync.stage;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the batches an aggregator completes on threads of its own, at most {@code concurrency} at a time, and holds
 * at most {@code queued} more waiting for a thread: a caller that hands over one more waits for a free place, so no
 * more than {@code concurrency + queued} batches are ever held or in flight.
 * {@link #awaitIdle()} waits until every batch handed over so far is done: the Moodle batch routes call it on a
 * split's last record, so the stage's next step still sees every batch of the split written.
 *
 * <p>With {@code waitEach}, {@link #execute} returns only when the batch is done: the caller-runs semantics the
 * cache stage needs, on another thread. Running the batch in the caller's own thread (Camel's
 * SynchronousExecutorService) breaks Camel 4.18: the aggregator runs the batch through
 * {@code ReactiveExecutor.scheduleSync}, which, nested inside the split's own reactive loop, leaves that loop
 * marked as not running, so every later record of the split is processed one stack level deeper; a split of a few
 * thousand records after the first batch (the cache's students at M size, a users split of 6,000) then dies of
 * StackOverflowError.
 */
public final class BatchExecutor extends AbstractExecutorService {
    /**
     * Moodle write calls in flight when moodle.write-concurrency is not set: two, so that a small site (a handful of
     * PHP workers) keeps most of its workers for the people using it.
     */
    public static final int DEFAULT_MOODLE_CONCURRENCY = 2;

    private final int concurrency;
    private final boolean waitEach;
    private final Semaphore lanes;
    private final ExecutorService threads;
    private final Object idle = new Object();
    private final AtomicInteger inFlight = new AtomicInteger();

    public BatchExecutor(String name, int concurrency, boolean waitEach) {
        this(name, concurrency, 0, waitEach);
    }

    /**
     * {@code queued}: batches held beyond the {@code concurrency} ones running, so that a burst (the cache's big
     * account answers) does not make its caller wait at once for the store.
     */
    public BatchExecutor(String name, int concurrency, int queued, boolean waitEach) {
        if (concurrency < 1 || queued < 0) {
            throw new IllegalArgumentException("concurrency must be at least 1 and queued at least 0: " + concurrency
                    + ", " + queued);
        }
        this.concurrency = concurrency;
        this.waitEach = waitEach;
        this.lanes = new Semaphore(concurrency + queued);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.threads = Executors.newFixedThreadPool(concurrency, factory);
    }

    /** Batches in flight at most. */
    public int concurrency() {
        return concurrency;
    }

    @Override
    public void execute(Runnable batch) {
        try {
            lanes.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.RejectedExecutionException("interrupted while waiting for a free lane", e);
        }
        inFlight.incrementAndGet();
        Runnable task = () -> {
            try {
                batch.run();
            } finally {
                lanes.release();
                if (inFlight.decrementAndGet() == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
            }
        };
        try {
            if (waitEach) {
                threads.submit(task).get();
            } else {
                threads.execute(task);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // the batch's own error handling already ran in the batch; nothing more to do here
        } catch (RuntimeException e) {
            lanes.release();
            inFlight.decrementAndGet();
            throw e;
        }
    }

    /** Waits until every batch handed over so far is done. */
    public void awaitIdle() throws InterruptedException {
        synchronized (idle) {
            while (inFlight.get() > 0) {
                idle.wait(1000);
            }
        }
    }

    /** Batches handed over and not done yet. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void shutdown() {
        threads.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return threads.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return threads.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return threads.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return threads.awaitTermination(timeout, unit);
    }
}
