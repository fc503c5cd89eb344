package org.gridgov.media;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Photo files in an S3-compatible object store, keyed as {@link FileMediaStore} names its files
 * ({@code ab/cd/abcd…}, the SHA-256). One PUT is atomic in S3 (an object is there whole or not at
 * all), so there is no temporary name; storing bytes already held puts them again, which renews the
 * object's time for the sweep's grace period (docs/media.md).
 */
public final class S3MediaStore implements MediaStore, AutoCloseable {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final S3Client s3;
    private final String bucket;

    public S3MediaStore(S3Settings settings) {
        this.bucket = settings.bucket();
        this.s3 =
                S3Client.builder()
                        .endpointOverride(settings.endpoint())
                        .region(Region.of(settings.region()))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(
                                                settings.accessKey(), settings.secretKey())))
                        .serviceConfiguration(
                                // plain bodies: some S3-compatible servers keep aws-chunked
                                // framing (signed chunks) as part of the object
                                S3Configuration.builder()
                                        .pathStyleAccessEnabled(true)
                                        .chunkedEncodingEnabled(false)
                                        .build())
                        // the SDK's default CRC trailers (aws-chunked bodies) are not understood
                        // by every S3-compatible server; the SHA-256 key checks content anyway
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .build();
    }

    static String key(String sha256) {
        if (!HASH.matcher(sha256).matches())
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        return sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
    }

    @Override
    public String put(byte[] bytes) throws IOException {
        String sha = PhotoCheck.sha256(bytes);
        try {
            s3.putObject(
                    b -> b.bucket(bucket).key(key(sha)).contentLength((long) bytes.length),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failed("store", sha, e);
        }
        return sha;
    }

    @Override
    public Optional<byte[]> get(String sha256) throws IOException {
        String key = key(sha256);
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            // the key is the content's hash: a store that altered the bytes is caught here
            if (!PhotoCheck.sha256(bytes).equals(sha256))
                throw new IOException(
                        "S3 media store (bucket "
                                + bucket
                                + "): "
                                + key
                                + " does not hash to its"
                                + " name; the object was altered");
            return Optional.of(bytes);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (notFound(e)) return Optional.empty();
            throw failed("read", sha256, e);
        }
    }

    @Override
    public void forEach(BiConsumer<String, Instant> file) throws IOException {
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                String key = o.key();
                String name = key.substring(key.lastIndexOf('/') + 1);
                if (HASH.matcher(name).matches() && key.equals(key(name)))
                    file.accept(name, o.lastModified());
            }
        } catch (SdkException e) {
            throw failed("list", bucket, e);
        }
    }

    @Override
    public Optional<Instant> writtenAt(String sha256) throws IOException {
        String key = key(sha256);
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)).lastModified());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (notFound(e)) return Optional.empty();
            throw failed("look up", sha256, e);
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        String key = key(sha256);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key)); // no error if it is gone
        } catch (SdkException e) {
            if (!notFound(e)) throw failed("delete", sha256, e);
        }
    }

    /**
     * Nothing to do: a photo is one PUT, never a multipart upload, so no write is left half done.
     * (A bucket shared with other writers wants a lifecycle rule that aborts incomplete multipart
     * uploads.)
     */
    @Override
    public int removeUnfinished(Instant before) {
        return 0;
    }

    @Override
    public void close() {
        s3.close();
    }

    private static boolean notFound(SdkException e) {
        // a missing bucket is a misconfiguration, not a missing photo
        return e instanceof S3Exception s
                && s.statusCode() == 404
                && !(e instanceof NoSuchBucketException);
    }

    private IOException failed(String what, String which, SdkException e) {
        return new IOException(
                "S3 media store (bucket "
                        + bucket
                        + "): cannot "
                        + what
                        + " "
                        + which
                        + ": "
                        + e.getMessage(),
                e);
    }
}
