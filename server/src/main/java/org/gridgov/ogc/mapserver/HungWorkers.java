package org.gridgov.ogc.mapserver;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds mapserv workers that hang. A worker serves one connection at a time and, between requests,
 * waits in accept(); one that is stopped or stuck in a request accepts nothing. So each worker gets
 * an empty connection on its own socket: a live one accepts it, reads the end of input and closes
 * it (libfcgi goes back to accept(), nothing is logged), a hung one does not within the timeout.
 * Linux only: a worker's socket is found through /proc (its stdin is the socket lighttpd bound).
 */
final class HungWorkers {

    private HungWorkers() {}

    /** The workers that did not take an empty connection within timeoutMs; blocks that long. */
    static List<ProcessHandle> find(List<ProcessHandle> workers, long timeoutMs) {
        Map<String, Path> socketsByInode = listeningSockets();
        Map<SocketChannel, ProcessHandle> probes = new HashMap<>();
        List<ProcessHandle> hung = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (ProcessHandle w : workers) {
                Path socket = socketsByInode.get(stdinInode(w));
                if (socket == null) continue; // gone, or not a worker on a socket
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.configureBlocking(false);
                    if (!ch.connect(UnixDomainSocketAddress.of(socket))) {
                        hung.add(w); // its backlog is full: it has not accepted for long
                        ch.close();
                        continue;
                    }
                    ch.shutdownOutput();
                    ch.register(selector, SelectionKey.OP_READ);
                    probes.put(ch, w);
                } catch (IOException e) {
                    ch.close(); // refused: the worker is gone, lighttpd starts another
                }
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            ByteBuffer buf = ByteBuffer.allocate(256);
            while (!selector.keys().isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) break;
                selector.select(left);
                for (SelectionKey k : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) k.channel();
                    int n;
                    try {
                        n = ch.read(buf.clear());
                    } catch (IOException e) {
                        n = -1; // reset: it accepted and closed
                    }
                    if (n != 0) { // an answer or the end: the worker accepted it
                        k.cancel();
                        ch.close();
                        probes.remove(ch);
                    }
                }
                selector.selectedKeys().clear();
            }
            hung.addAll(probes.values());
        } catch (IOException e) {
            return List.of(); // cannot tell: kill nothing
        } finally {
            for (SocketChannel ch : probes.keySet()) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing a probe
                }
            }
        }
        return hung;
    }

    /** "socket:[inode]" of a process's stdin, or null. */
    private static String stdinInode(ProcessHandle p) {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/fd/0")).toString();
            return link.startsWith("socket:[") ? link.substring(8, link.length() - 1) : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** inode → path of the bound Unix sockets (/proc/net/unix: … Inode Path). */
    private static Map<String, Path> listeningSockets() {
        Map<String, Path> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 8 && f[7].startsWith("/")) out.put(f[6], Path.of(f[7]));
            }
        } catch (IOException e) {
            // not Linux: no worker is found hung
        }
        return out;
    }
}
