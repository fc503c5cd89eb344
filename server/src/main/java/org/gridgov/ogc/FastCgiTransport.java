package org.gridgov.ogc;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small non-blocking FastCGI client (FastCGI 1.0, responder role) talking straight to the {@code
 * mapserv} workers, each on its own Unix socket. Written here because the Java FastCGI clients on
 * Maven Central are blocking, servlet-era and unmaintained (jfastcgi, fcgi4j); the protocol part
 * needed is about 100 lines.
 *
 * <p>One slot per worker: a worker serves one request at a time, so each slot holds at most one
 * request and one kept-alive connection (FCGI_KEEP_CONN). Requests beyond the worker count wait in
 * a bounded queue (the concurrency cap); a full queue, or no reachable worker, answers at once (503
 * in the gateway), never a hang. A worker that sends nothing for the timeout is killed (its
 * supervisor starts a new one). All state lives on one event-loop context.
 */
final class FastCgiTransport implements MapServerTransport {

    private static final Logger log = LoggerFactory.getLogger(FastCgiTransport.class);
    private static final int MAX_QUEUE = 512;
    private static final byte BEGIN_REQUEST = 1,
            END_REQUEST = 3,
            PARAMS = 4,
            STDIN = 5,
            STDOUT = 6,
            STDERR = 7;

    /**
     * A worker whose socket refused a connection is skipped for this long (its supervisor restarts
     * it).
     */
    private static final long DOWN_MS = 300;

    private static final long MAX_PENDING = 1 << 20;

    private final Vertx vertx;
    private final NetClient net;
    private final List<Slot> slots = new ArrayList<>();
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private final int timeoutMs;
    private final IntConsumer killWorker;
    private final java.util.Map<String, String> env;
    private volatile Context context;
    private volatile Thread loopThread;

    private record Waiting(String query, Promise<MapServerAnswer> promise) {}

    /**
     * @param env variables for each request's environment: a FastCGI worker (libfcgi) sees the
     *     request's parameters as its environment, not its process's (PGPASSFILE for libpq)
     */
    FastCgiTransport(
            Vertx vertx,
            List<Path> sockets,
            int timeoutMs,
            IntConsumer killWorker,
            java.util.Map<String, String> env) {
        this.vertx = vertx;
        this.env = java.util.Map.copyOf(env);
        this.timeoutMs = timeoutMs;
        this.killWorker = killWorker;
        this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
        for (int i = 0; i < sockets.size(); i++)
            slots.add(new Slot(i, SocketAddress.domainSocketAddress(sockets.get(i).toString())));
    }

    @Override
    public Future<MapServerAnswer> send(String query) {
        if (context == null) {
            synchronized (this) {
                if (context == null) {
                    Context caller = Vertx.currentContext();
                    context =
                            caller != null && caller.isEventLoopContext()
                                    ? caller
                                    : vertx.getOrCreateContext();
                    if (Context.isOnEventLoopThread()) loopThread = Thread.currentThread();
                }
            }
        }
        Promise<MapServerAnswer> promise = Promise.promise();
        if (onOwnThread()) enqueue(new Waiting(query, promise));
        else
            context.runOnContext(
                    v -> {
                        loopThread = Thread.currentThread();
                        enqueue(new Waiting(query, promise));
                    });
        return promise.future();
    }

    /**
     * On the transport's event-loop thread. Compared by thread, not context: requests run on
     * per-request duplicates of the loop's context, and blocking code run by executeBlocking (the
     * /health probe) carries its caller's event-loop context on a worker thread.
     */
    private boolean onOwnThread() {
        return Thread.currentThread() == loopThread;
    }

    private void enqueue(Waiting w) {
        if (queue.size() >= MAX_QUEUE) {
            w.promise.fail("MapServer queue full");
            return;
        }
        queue.add(w);
        dispatch();
    }

    private void dispatch() {
        long now = System.currentTimeMillis();
        while (!queue.isEmpty()) {
            Slot free = null;
            boolean anyUp = false;
            for (Slot s : slots) {
                if (s.downUntil > now) continue;
                anyUp = true;
                if (s.request == null) {
                    free = s;
                    break;
                }
            }
            if (!anyUp) { // every worker is away: answer now rather than queue behind a restart
                while (!queue.isEmpty()) queue.poll().promise.fail("no MapServer worker reachable");
                return;
            }
            if (free == null) return;
            free.start(queue.poll());
        }
    }

    /** One worker: its connection (kept between requests) and the request it is serving. */
    private final class Slot {
        final int index;
        final SocketAddress address;
        NetSocket socket;
        Exchange request;
        long downUntil;

        Slot(int index, SocketAddress address) {
            this.index = index;
            this.address = address;
        }

        void start(Waiting w) {
            Exchange x = new Exchange(this, w.promise);
            request = x;
            if (socket != null) {
                x.write(socket, w.query);
                return;
            }
            net.connect(address)
                    .onComplete(
                            ar -> {
                                if (ar.failed()) {
                                    request = null;
                                    downUntil = System.currentTimeMillis() + DOWN_MS;
                                    // Nothing was sent: another worker may take it.
                                    queue.addFirst(w);
                                    dispatch();
                                    return;
                                }
                                NetSocket s = ar.result();
                                socket = s;
                                // Events of a connection reach only the exchange written on it: a
                                // dropped
                                // connection's late data or close must never touch the next
                                // request.
                                s.handler(
                                        buf -> {
                                            Exchange r = request;
                                            if (r != null && r.sock == s) r.received(buf);
                                        });
                                s.closeHandler(
                                        v -> {
                                            if (socket == s) socket = null;
                                            Exchange r = request;
                                            if (r != null && r.sock == s)
                                                r.fail(
                                                        new IllegalStateException(
                                                                "MapServer worker closed the connection"));
                                        });
                                s.exceptionHandler(
                                        e -> log.debug("FastCGI socket: {}", e.toString()));
                                x.write(s, w.query);
                            });
        }

        void done(boolean reusable) {
            request = null;
            if (!reusable && socket != null) {
                NetSocket s = socket;
                socket = null;
                s.close();
            }
            dispatch();
        }
    }

    /**
     * One request/response: writes the records, parses the answer, streams STDOUT after the CGI
     * headers.
     */
    private final class Exchange implements ReadStream<Buffer> {
        final Slot slot;
        final Promise<MapServerAnswer> promise;
        NetSocket sock;
        Buffer in = Buffer.buffer();
        Buffer head = Buffer.buffer();
        boolean headersDone, finished;
        final ArrayDeque<Buffer> pending = new ArrayDeque<>();
        boolean paused, endSeen;

        /**
         * The consumer is gone (client closed, write failed): read on to END_REQUEST, drop the
         * data.
         */
        boolean discard;

        long pendingBytes;
        Handler<Buffer> handler;
        Handler<Void> endHandler;
        Handler<Throwable> exceptionHandler;
        long lastData = System.currentTimeMillis();
        long timer;
        final StringBuilder stderr = new StringBuilder();

        Exchange(Slot slot, Promise<MapServerAnswer> promise) {
            this.slot = slot;
            this.promise = promise;
        }

        void write(NetSocket s, String query) {
            sock = s;
            byte[] body = query.getBytes(StandardCharsets.UTF_8);
            Buffer out = Buffer.buffer(body.length + 512);
            record(
                    out,
                    BEGIN_REQUEST,
                    Buffer.buffer(
                            new byte[] {0, 1, 1, 0, 0, 0, 0, 0})); // responder, keep connection
            Buffer params = Buffer.buffer(256);
            pair(params, "GATEWAY_INTERFACE", "CGI/1.1");
            pair(params, "SERVER_PROTOCOL", "HTTP/1.1");
            pair(params, "REQUEST_METHOD", "POST");
            pair(params, "SCRIPT_NAME", "/mapserv");
            pair(params, "REQUEST_URI", "/mapserv");
            pair(params, "QUERY_STRING", "");
            pair(params, "SERVER_NAME", "127.0.0.1");
            pair(params, "SERVER_PORT", "80");
            pair(params, "REMOTE_ADDR", "127.0.0.1");
            pair(params, "CONTENT_TYPE", "application/x-www-form-urlencoded");
            pair(params, "CONTENT_LENGTH", Integer.toString(body.length));
            env.forEach((k, v) -> pair(params, k, v));
            record(out, PARAMS, params);
            record(out, PARAMS, Buffer.buffer());
            for (int off = 0; off < body.length; off += 65535) {
                int n = Math.min(65535, body.length - off);
                record(out, STDIN, Buffer.buffer(n).appendBytes(body, off, n));
            }
            record(out, STDIN, Buffer.buffer());
            s.write(out);
            armTimer();
        }

        private void armTimer() {
            timer =
                    vertx.setTimer(
                            Math.max(50, timeoutMs - (System.currentTimeMillis() - lastData)),
                            id -> {
                                if (finished) return;
                                if (System.currentTimeMillis() - lastData >= timeoutMs) {
                                    log.warn(
                                            "MapServer worker {} sent nothing for {} ms: stopping it",
                                            slot.index,
                                            timeoutMs);
                                    killWorker.accept(slot.index);
                                    fail(new IllegalStateException("MapServer timed out"));
                                } else {
                                    armTimer();
                                }
                            });
        }

        void received(Buffer buf) {
            lastData = System.currentTimeMillis();
            in = in.length() == 0 ? buf : in.appendBuffer(buf);
            int pos = 0;
            while (!finished && in.length() - pos >= 8) {
                int type = in.getUnsignedByte(pos + 1);
                int len = in.getUnsignedShort(pos + 4);
                int pad = in.getUnsignedByte(pos + 6);
                if (in.length() - pos < 8 + len + pad) break;
                Buffer content = in.slice(pos + 8, pos + 8 + len);
                pos += 8 + len + pad;
                switch (type) {
                    case STDOUT -> {
                        if (len > 0) stdout(content.copy());
                    }
                    case STDERR -> {
                        if (stderr.length() < 2000)
                            stderr.append(content.toString(StandardCharsets.UTF_8));
                    }
                    case END_REQUEST -> end();
                    default -> {} // FCGI_UNKNOWN_TYPE etc.: nothing to do for a responder
                }
            }
            in = pos == in.length() ? Buffer.buffer() : in.getBuffer(pos, in.length());
        }

        private void stdout(Buffer data) {
            if (headersDone) {
                emit(data);
                return;
            }
            head.appendBuffer(data);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n"), skip = 4;
            if (split < 0) {
                split = text.indexOf("\n\n");
                skip = 2;
            }
            if (split < 0) {
                if (head.length() > 64 * 1024)
                    fail(new IllegalStateException("MapServer sent no CGI headers"));
                return;
            }
            headersDone = true;
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            int status = 200;
            for (String line : text.substring(0, split).split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                String name = line.substring(0, colon).trim(),
                        value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Status")) {
                    try {
                        status = Integer.parseInt(value.split(" ")[0]);
                    } catch (NumberFormatException e) {
                        status = 500;
                    }
                } else {
                    headers.add(name, value);
                }
            }
            paused = true; // until the gateway has attached its handlers
            if (head.length() > split + skip)
                pending.add(head.getBuffer(split + skip, head.length()));
            head = null;
            promise.complete(new MapServerAnswer(status, headers, this));
        }

        private void emit(Buffer data) {
            if (discard) return;
            if (paused || handler == null || !pending.isEmpty()) {
                pending.add(data);
                pendingBytes += data.length();
                // Hold up to 1 MB before pushing back on the worker: a map is far smaller, so the
                // worker is free for the next request while a slow client is still being served.
                if (pendingBytes > MAX_PENDING) sock.pause();
            } else {
                deliver(data);
            }
        }

        /**
         * A failing consumer (its HTTP response already closed) must not stop the parsing: the
         * worker's connection stays in step.
         */
        private void deliver(Buffer data) {
            try {
                handler.handle(data);
            } catch (RuntimeException e) {
                log.debug("MapServer answer dropped: {}", e.toString());
                discard();
            }
        }

        private void discard() {
            discard = true;
            pending.clear();
            pendingBytes = 0;
            paused = false;
            if (!finished) sock.resume();
        }

        private void end() {
            finished = true;
            vertx.cancelTimer(timer);
            if (!headersDone) {
                promise.tryFail(
                        new IllegalStateException(
                                "MapServer ended without an answer: "
                                        + Ows.shorten(stderr.toString())));
                slot.done(true);
                return;
            }
            endSeen = true;
            // Everything of this answer is read: the kept connection serves the next request.
            sock.resume();
            slot.done(in.length() == 0);
            drain();
        }

        void fail(Throwable e) {
            if (finished) return;
            finished = true;
            vertx.cancelTimer(timer);
            if (!promise.tryFail(e) && exceptionHandler != null) exceptionHandler.handle(e);
            slot.done(false);
        }

        private void drain() {
            while (!paused && !discard && handler != null && !pending.isEmpty()) {
                Buffer b = pending.poll();
                pendingBytes -= b.length();
                deliver(b);
            }
            if (!paused && pending.isEmpty()) {
                if (endSeen) {
                    endSeen = false;
                    if (endHandler != null && !discard) {
                        try {
                            endHandler.handle(null);
                        } catch (RuntimeException e) {
                            log.debug("MapServer answer end dropped: {}", e.toString());
                        }
                    }
                } else if (!finished) {
                    sock.resume();
                }
            }
        }

        private void onContext(Runnable r) {
            if (onOwnThread()) r.run();
            else context.runOnContext(v -> r.run());
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
            exceptionHandler = h;
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> h) {
            onContext(
                    () -> {
                        if (h == null && handler != null) {
                            discard(); // the consumer stopped listening
                            return;
                        }
                        handler = h;
                        if (h != null) {
                            paused = false;
                            drain();
                        }
                    });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            paused = true;
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            onContext(
                    () -> {
                        paused = false;
                        drain();
                    });
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            return resume();
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> h) {
            onContext(
                    () -> {
                        endHandler = h;
                        drain();
                    });
            return this;
        }
    }

    private static void record(Buffer out, byte type, Buffer content) {
        int len = content.length(), pad = (8 - len % 8) % 8;
        out.appendByte((byte) 1)
                .appendByte(type)
                .appendUnsignedShort(1)
                .appendUnsignedShort(len)
                .appendUnsignedByte((short) pad)
                .appendByte((byte) 0)
                .appendBuffer(content);
        for (int i = 0; i < pad; i++) out.appendByte((byte) 0);
    }

    private static void pair(Buffer out, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8),
                v = value.getBytes(StandardCharsets.UTF_8);
        length(out, n.length);
        length(out, v.length);
        out.appendBytes(n).appendBytes(v);
    }

    private static void length(Buffer out, int len) {
        if (len < 128) out.appendByte((byte) len);
        else out.appendInt(len | 0x80000000);
    }
}
