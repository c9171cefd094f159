package org.ypsync.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.ypsync.Await;

class BatchExecutorTest {

    /** A caller thread that hands {@code count} batches over, each held until {@link #release}. */
    private static final class Caller {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger handedOver = new AtomicInteger();
        private final CountDownLatch release = new CountDownLatch(1);
        final Thread thread;

        Caller(BatchExecutor executor, int count) {
            thread = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    executor.execute(this::batch);
                    handedOver.incrementAndGet();
                }
            });
            thread.start();
        }

        private void batch() {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            done.incrementAndGet();
        }

        void release() throws InterruptedException {
            release.countDown();
            thread.join(10_000);
        }
    }

    @Test
    void atMostConcurrencyBatchesRunAtOnceAndAwaitIdleWaitsForAll() throws Exception {
        BatchExecutor executor = new BatchExecutor("test", 2, false);
        Caller caller = new Caller(executor, 6);
        // the caller is held back once two batches are in flight
        Await.until("two batches in flight", Duration.ofSeconds(10), () -> executor.inFlight() >= 2);
        assertTrue(caller.thread.isAlive());
        assertEquals(2, executor.inFlight());
        caller.release();
        executor.awaitIdle();
        assertEquals(6, caller.done.get());
        assertEquals(0, executor.inFlight());
        assertTrue(caller.maxRunning.get() <= 2, "at most 2 at once, saw " + caller.maxRunning.get());
        executor.shutdown();
    }

    @Test
    void queuedBatchesAreHeldWithoutHoldingBackTheCallerUpToTheirNumber() throws Exception {
        BatchExecutor executor = new BatchExecutor("test", 2, 3, false);
        Caller caller = new Caller(executor, 8);
        // two running and three waiting for a thread: the caller hands over five, then is held back
        Await.until("five batches held", Duration.ofSeconds(10), () -> caller.handedOver.get() >= 5);
        Await.until("two batches running", Duration.ofSeconds(10), () -> caller.running.get() == 2);
        assertEquals(5, executor.inFlight());
        assertTrue(caller.thread.isAlive(), "the sixth waits for a free place");
        assertEquals(5, caller.handedOver.get());
        caller.release();
        executor.awaitIdle();
        assertEquals(8, caller.done.get());
        assertTrue(caller.maxRunning.get() <= 2, "at most 2 running at once, saw " + caller.maxRunning.get());
        executor.shutdown();
    }

    @Test
    void waitEachReturnsOnlyWhenTheBatchIsDoneOnAnotherThread() {
        BatchExecutor executor = new BatchExecutor("test", 1, true);
        List<String> seen = new ArrayList<>();
        executor.execute(() -> seen.add(Thread.currentThread().getName()));
        assertEquals(1, seen.size(), "done when execute returns");
        assertTrue(seen.get(0).startsWith("test-"), seen.get(0));
        assertEquals(0, executor.inFlight());
        executor.shutdown();
    }

    @Test
    void concurrencyBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BatchExecutor("test", 0, false));
        assertThrows(IllegalArgumentException.class, () -> new BatchExecutor("test", 1, -1, false));
    }

    /**
     * The regression: a split of many records into an aggregator whose batches run in the caller's thread
     * (SynchronousExecutorService) overflows the stack in Camel 4.18 once the first batch has completed. With
     * this executor, a 20,000-record split goes through, and every batch is written before the split ends.
     */
    @Test
    void aLongSplitIntoAnAggregatorNeitherOverflowsNorLeavesBatchesBehind() throws Exception {
        BatchExecutor executor = new BatchExecutor("test", 2, false);
        AtomicInteger written = new AtomicInteger();
        AtomicInteger seenAfterSplit = new AtomicInteger(-1);
        AggregationStrategy batches = (oldExchange, newExchange) -> {
            Exchange target = oldExchange == null ? newExchange : oldExchange;
            @SuppressWarnings("unchecked")
            List<Object> batch = oldExchange == null ? new ArrayList<>() : oldExchange.getIn().getBody(List.class);
            batch.add(newExchange.getIn().getBody());
            target.getIn().setBody(batch);
            return target;
        };
        try (CamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("executor", executor);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // as routes/errors.camel.yaml: a redelivering onException makes Camel use its redelivery task
                    errorHandler(deadLetterChannel("direct:dead").maximumRedeliveries(0));
                    onException(IllegalStateException.class).maximumRedeliveries(3).redeliveryDelay(10)
                            .handled(true);
                    from("direct:dead").log("dead: ${exception}");
                    from("direct:stage")
                            .split(body())
                                .to("direct:write")
                            .end()
                            .process(e -> seenAfterSplit.set(written.get()));
                    from("direct:write")
                            .setHeader(Exchange.AGGREGATION_COMPLETE_ALL_GROUPS_INCLUSIVE,
                                    exchangeProperty(Exchange.SPLIT_COMPLETE))
                            .aggregate(constant("all"), batches).completionSize(100)
                                .executorService(executor)
                                .process(e -> {
                                    TimeUnit.MICROSECONDS.sleep(200);
                                    written.addAndGet(e.getIn().getBody(List.class).size());
                                })
                            .end()
                            .filter(exchangeProperty(Exchange.SPLIT_COMPLETE))
                                .bean(executor, "awaitIdle")
                            .end();
                }
            });
            context.start();
            List<Integer> records = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                records.add(i);
            }
            ProducerTemplate template = context.createProducerTemplate();
            Exchange result = template.send("direct:stage", e -> e.getIn().setBody(records));
            assertEquals(null, result.getException());
            assertEquals(20_000, written.get());
            assertEquals(20_000, seenAfterSplit.get(), "every batch written before the step after the split");
        }
        executor.shutdown();
    }
}
