package org.ypsync.moodle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Captures every logback event (root logger, DEBUG and up) while open. */
final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previous;

    LogCapture() {
        previous = root.getLevel();
        root.setLevel(Level.DEBUG);
        appender.start();
        root.addAppender(appender);
    }

    List<ILoggingEvent> events() {
        return new ArrayList<>(appender.list);
    }

    /** Everything an appender could print: message, arguments, throwable messages and stack causes. */
    static String render(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(e.getFormattedMessage()).append(' ').append(e.getMessage());
        if (e.getArgumentArray() != null) {
            sb.append(' ').append(Arrays.toString(e.getArgumentArray()));
        }
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            sb.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return sb.toString();
    }

    /** Events whose rendering contains {@code secret}. */
    List<String> leaks(String secret) {
        return events().stream().map(LogCapture::render).filter(s -> s.contains(secret)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(previous);
    }
}
