// SPDX-License-Identifier: Apache-2.0
package io.srcu4j;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What srcu4j logs (the {@code io.srcu4j} logger; {@code System.Logger} goes to
 * {@code java.util.logging} when nothing else is installed) while it is open: WARNING and above.
 */
final class LogCapture extends Handler implements AutoCloseable {

    /** Held here: java.util.logging keeps loggers only weakly, and with them their handlers. */
    private final Logger logger = Logger.getLogger("io.srcu4j");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture() {
        setLevel(Level.WARNING);
        logger.addHandler(this);
    }

    /** The messages of the warnings logged so far that contain {@code text}. */
    List<String> warningsWith(String text) {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage).filter(m -> m != null && m.contains(text)).toList();
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
