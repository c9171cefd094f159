package org.ypsync.ops;

import java.util.Collection;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Progress of the cache stage without touching its code: the route step that writes a batch of streamed records
 * ({@code bean: cacheStage, method: stage}) is wrapped so that each batch's size is counted on the stage run,
 * which prints a line every 1,000 records. The Moodle stages report their own progress as their counts grow.
 */
public final class BatchProgress implements InterceptStrategy {
    private final String beanRef;
    private final String method;

    public BatchProgress(String beanRef, String method) {
        this.beanRef = beanRef;
        this.method = method;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        if (definition instanceof BeanDefinition bean && beanRef.equals(bean.getRef())
                && method.equals(bean.getMethod())) {
            return new DelegateAsyncProcessor(target) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    Object body = exchange.getIn().getBody();
                    int size = body instanceof Collection<?> c ? c.size() : 0;
                    StageRun run = exchange.getProperty(StageRuns.RUN, StageRun.class);
                    return super.process(exchange, done -> {
                        if (run != null && exchange.getException() == null) {
                            run.streamed(size);
                        }
                        callback.done(done);
                    });
                }
            };
        }
        return target;
    }
}
