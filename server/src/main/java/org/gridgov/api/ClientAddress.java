package org.gridgov.api;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is calling, by network address. The peer's address, unless the peer is one of {@code
 * GRIDGOV_TRUSTED_PROXIES} (addresses or CIDR blocks): then the nearest untrusted address in {@code
 * X-Forwarded-For}, and the {@code X-Forwarded-Host}/{@code -Proto} headers may be believed. From
 * anyone else those headers are ignored: a client could otherwise pick its own rate-limit key or
 * write any host into capabilities documents that are cached for everyone.
 */
public final class ClientAddress {

    private static final String ADDRESS = "gridgov.clientAddress";
    private static final String VIA_PROXY = "gridgov.viaTrustedProxy";

    private final List<IpSubnetFilterRule> trusted;

    private ClientAddress(List<IpSubnetFilterRule> trusted) {
        this.trusted = trusted;
    }

    /** "127.0.0.1, 10.0.0.0/8, ::1" → rules; empty or null = trust no proxy. */
    public static ClientAddress trusting(String setting) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        if (setting != null) {
            for (String part : setting.split("[,\\s]+")) {
                if (part.isBlank()) continue;
                String ip = part;
                int prefix = -1;
                int slash = part.indexOf('/');
                try {
                    if (slash > 0) {
                        ip = part.substring(0, slash);
                        prefix = Integer.parseInt(part.substring(slash + 1));
                    }
                    if (prefix < 0) prefix = ip.contains(":") ? 128 : 32;
                    rules.add(new IpSubnetFilterRule(ip, prefix, IpFilterRuleType.ACCEPT));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(
                            "GRIDGOV_TRUSTED_PROXIES: '"
                                    + part
                                    + "' is not an address or CIDR block (e.g. 10.0.0.0/8)",
                            e);
                }
            }
        }
        return new ClientAddress(List.copyOf(rules));
    }

    /** First on the router: every later handler reads {@link #of} and {@link #viaTrustedProxy}. */
    public void mount(Router router) {
        router.route().order(-1000).handler(this::resolve);
    }

    private void resolve(RoutingContext ctx) {
        SocketAddress peer = ctx.request().remoteAddress();
        String address =
                peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
        ctx.put(VIA_PROXY, isTrusted(address));
        ctx.put(ADDRESS, client(address, ctx.request().getHeader("X-Forwarded-For")));
        ctx.next();
    }

    /** The client behind {@code peer}: the peer itself unless it is a trusted proxy. */
    String client(String peer, String forwardedFor) {
        if (!isTrusted(peer) || forwardedFor == null) return peer;
        String address = peer;
        String[] hops = forwardedFor.split(",");
        // right to left: the first hop our own proxies did not add is the client
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) continue;
            address = hop;
            if (!isTrusted(hop)) break;
        }
        return address;
    }

    boolean isTrusted(String ip) {
        if (trusted.isEmpty() || ip == null || !ip.matches("[0-9A-Fa-f:.]+")) return false;
        try {
            InetSocketAddress a = new InetSocketAddress(java.net.InetAddress.getByName(ip), 0);
            for (IpSubnetFilterRule r : trusted) if (r.matches(a)) return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
        return false;
    }

    /** The client's address (the key of per-address rate limits). */
    public static String of(RoutingContext ctx) {
        String a = ctx.get(ADDRESS);
        if (a != null) return a;
        SocketAddress peer = ctx.request().remoteAddress();
        return peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
    }

    /**
     * True when the request came through a trusted proxy, whose X-Forwarded-* headers may be read.
     */
    public static boolean viaTrustedProxy(RoutingContext ctx) {
        Boolean b = ctx.get(VIA_PROXY);
        return b != null && b;
    }
}
