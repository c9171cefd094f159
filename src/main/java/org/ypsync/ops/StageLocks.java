package org.ypsync.ops;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ypsync.store.LockRepository;
import org.ypsync.store.LockRepository.Holder;

/**
 * A stage never runs twice at once, whoever fires it (Quartz, JMX, the command line) and on whichever node: each
 * run holds the stage's row in stage_lock. While it runs a heartbeat pushes the expiry forward; a node that dies
 * stops the heartbeat, and its lock expires after the TTL so that another node can run the stage again.
 */
public final class StageLocks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageLocks.class);

    /** Refused: the stage is held by someone else. */
    public static final class LockedException extends RuntimeException {
        private final transient Holder holder;

        LockedException(String stage, Holder holder) {
            super("stage " + stage + " is already running on " + displayOwner(holder.owner()) + " since "
                    + holder.acquiredAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    private final LockRepository locks;
    private final Duration ttl;
    private final String owner;
    private final Map<String, Boolean> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat;

    /**
     * @param ttl how long a lock lives without a heartbeat; the heartbeat runs every third of it
     */
    public StageLocks(LockRepository locks, Duration ttl) {
        this.locks = locks;
        this.ttl = ttl;
        this.owner = ownerId();
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ypsync-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, ttl.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** This process: host, pid and a random suffix (two processes on one host never share an id). */
    static String ownerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + " (pid " + ProcessHandle.current().pid() + ")#" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The owner as people read it: without the random suffix. */
    static String displayOwner(String owner) {
        int hash = owner.lastIndexOf('#');
        return hash > 0 ? owner.substring(0, hash) : owner;
    }

    public String owner() {
        return owner;
    }

    /**
     * Takes the lock of {@code stage}.
     *
     * @throws LockedException when another run holds it (here or on another node)
     */
    public void acquire(String stage) {
        Instant now = Instant.now();
        if (held.putIfAbsent(stage, Boolean.TRUE) != null) {
            Holder self = locks.find(stage).orElse(new Holder(stage, owner, now, now, now.plus(ttl)));
            throw new LockedException(stage, self);
        }
        Optional<Holder> holder;
        try {
            holder = locks.tryAcquire(stage, owner, now, now.plus(ttl));
        } catch (RuntimeException e) {
            held.remove(stage);
            throw e;
        }
        if (holder.isPresent()) {
            held.remove(stage);
            throw new LockedException(stage, holder.get());
        }
    }

    /** Releases the lock of {@code stage} if this process holds it. */
    public void release(String stage) {
        if (held.remove(stage) != null) {
            try {
                locks.release(stage, owner);
            } catch (RuntimeException e) {
                LOG.warn("Could not release the lock of stage {} (it expires by itself): {}", stage,
                        Secrets.mask(e.getMessage()));
            }
        }
    }

    public boolean holds(String stage) {
        return held.containsKey(stage);
    }

    private void beat() {
        for (String stage : held.keySet()) {
            try {
                Instant now = Instant.now();
                if (!locks.heartbeat(stage, owner, now, now.plus(ttl))) {
                    LOG.warn("The lock of stage {} expired while it ran (was the store unreachable?)", stage);
                }
            } catch (RuntimeException e) {
                LOG.warn("Lock heartbeat of stage {} failed: {}", stage, Secrets.mask(e.getMessage()));
            }
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        held.keySet().forEach(this::release);
    }
}
