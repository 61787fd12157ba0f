package dev.sift.batch;

import dev.sift.config.SiftConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.BatchClientBuilder;

/**
 * The AWS SDK's Batch client, built on first use (commands that submit nothing never build it): the URL-connection
 * HTTP client as for S3, the SDK's default credentials chain (the ECS task role on AWS), the region and endpoint of
 * {@code sift.batch.*} when set.
 */
@ApplicationScoped
public class BatchClients {
    @Inject
    SiftConfig config;

    private BatchClient client;

    public synchronized BatchClient client() {
        if (client == null) {
            SiftConfig.Batch batch = config.batch();
            BatchClientBuilder b = BatchClient.builder().httpClient(UrlConnectionHttpClient.builder().build())
                    .credentialsProvider(DefaultCredentialsProvider.builder().build());
            batch.region().ifPresent(r -> b.region(Region.of(r)));
            batch.endpoint().ifPresent(e -> b.endpointOverride(dev.sift.store.UrlRedaction.endpointUri(
                    "SIFT_BATCH_ENDPOINT", e)));
            client = b.build();
        }
        return client;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
