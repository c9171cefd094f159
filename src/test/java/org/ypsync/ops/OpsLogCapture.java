package org.ypsync.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures every logback event while open: on the root logger and on ypsync.report (which does not pass its lines
 * on), at DEBUG for every library, before any masking layout runs.
 */
final class OpsLogCapture implements AutoCloseable {
    private static final List<String> LOGGERS = List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "ypsync.report",
            "org.apache.camel", "org.quartz", "com.zaxxer.hikari", "org.flywaydb", "org.ypsync");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<Logger, Level> previous = new LinkedHashMap<>();
    private final Level level;

    OpsLogCapture(Level level) {
        this.level = level;
        appender.start();
        for (String name : LOGGERS) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            previous.put(logger, logger.getLevel());
            logger.setLevel(level);
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        ((Logger) LoggerFactory.getLogger("ypsync.report")).addAppender(appender);
    }

    List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return new ArrayList<>(appender.list);
        }
    }

    /** The formatted messages of one logger. */
    List<String> lines(String logger) {
        return events().stream().filter(e -> e.getLoggerName().equals(logger)).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** Everything an appender could print: message, pattern, arguments, throwables with causes and frames. */
    static String render(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(e.getFormattedMessage()).append(' ').append(e.getMessage());
        if (e.getArgumentArray() != null) {
            sb.append(' ').append(Arrays.toString(e.getArgumentArray()));
        }
        e.getMDCPropertyMap().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        render(sb, e.getThrowableProxy());
        return sb.toString();
    }

    private static void render(StringBuilder sb, IThrowableProxy t) {
        for (; t != null; t = t.getCause()) {
            sb.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy f : t.getStackTraceElementProxyArray()) {
                sb.append(' ').append(f.getSTEAsString());
            }
            for (IThrowableProxy s : t.getSuppressed()) {
                render(sb, s);
            }
        }
    }

    String all() {
        StringBuilder sb = new StringBuilder();
        events().forEach(e -> sb.append(render(e)).append('\n'));
        return sb.toString();
    }

    @Override
    public void close() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        ((Logger) LoggerFactory.getLogger("ypsync.report")).detachAppender(appender);
        previous.forEach(Logger::setLevel);
        appender.stop();
    }
}
