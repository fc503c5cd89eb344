package org.gridgov.media;

import java.net.URI;

/**
 * An S3-compatible object store for the photo files (docs/media.md): its endpoint, bucket, region
 * and keys. Path-style addressing ({@code endpoint/bucket/key}), which MinIO, Ceph, Garage and the
 * cloud vendors' S3 gateways all take.
 */
public record S3Settings(
        URI endpoint, String bucket, String region, String accessKey, String secretKey) {

    public S3Settings {
        if (bucket == null || bucket.isBlank())
            throw new IllegalStateException(
                    "GRIDGOV_MEDIA_S3_ENDPOINT is set but GRIDGOV_MEDIA_S3_BUCKET is not");
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank())
            throw new IllegalStateException(
                    "the S3 media store needs GRIDGOV_MEDIA_S3_ACCESS_KEY and"
                            + " GRIDGOV_MEDIA_S3_SECRET_KEY (or _FILE); there is no default");
    }

    @Override
    public String toString() {
        // never the secret key in a log line
        return "S3Settings[" + endpoint + ", bucket " + bucket + ", region " + region + "]";
    }
}
