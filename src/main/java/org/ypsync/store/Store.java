package org.ypsync.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The SQL store: a pooled DataSource on H2 (embedded default) or PostgreSQL, migrated by Flyway at start so that
 * the same migrations define the schema on both.
 */
public final class Store implements AutoCloseable {
    private final HikariDataSource dataSource;

    private Store(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool and migrates the schema. {@code user} and {@code password} may be blank. */
    public static Store open(String url, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null && !user.isBlank()) {
            config.setUsername(user);
        }
        if (password != null && !password.isBlank()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("ypsync-store");
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Store(ds);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public CacheRepository cache() {
        return new CacheRepository(dataSource);
    }

    public CacheStatusRepository cacheStatus() {
        return new CacheStatusRepository(dataSource);
    }

    public DeadLetterRepository deadLetters() {
        return new DeadLetterRepository(dataSource);
    }

    public CacheReader cacheReader() {
        return new CacheReader(dataSource);
    }

    public LinkRepository links() {
        return new LinkRepository(dataSource);
    }

    public CourseLinkRepository courseLinks() {
        return new CourseLinkRepository(dataSource);
    }

    public FieldStateRepository fieldStates() {
        return new FieldStateRepository(dataSource);
    }

    public LockRepository locks() {
        return new LockRepository(dataSource);
    }

    public RunRepository runs() {
        return new RunRepository(dataSource);
    }

    /** Whether the database answers (health check). */
    public boolean reachable() {
        try (var c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
