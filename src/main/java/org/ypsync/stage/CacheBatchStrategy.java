package org.ypsync.stage;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Groups the staged rows of one endpoint into batches for the store. A record may map to several rows (a tutor and
 * its students) or to none (a record that went to the dead-letter store): the batch is a flat list of rows. The
 * first exchange of a batch is kept, so the batch carries the run's properties.
 */
public final class CacheBatchStrategy implements AggregationStrategy {
    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange target = oldExchange == null ? newExchange : oldExchange;
        List<Object> batch = oldExchange == null ? new ArrayList<>() : oldExchange.getIn().getBody(List.class);
        Object body = newExchange.getIn().getBody();
        if (body instanceof List<?> rows) {
            batch.addAll(rows);
        } else if (body != null) {
            batch.add(body);
        }
        target.getIn().setBody(batch);
        return target;
    }
}
