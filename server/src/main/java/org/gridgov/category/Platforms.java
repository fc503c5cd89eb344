package org.gridgov.category;

import java.util.List;

/**
 * The four platforms of the source document (综治工作, 市场监管, 综合执法, 便民服务), as the platform table and
 * every API spell them. The one list every check and index uses.
 */
public final class Platforms {

    public static final List<String> CODES =
            List.of("GOVERNANCE", "MARKET", "ENFORCEMENT", "SERVICE");

    private Platforms() {}
}
