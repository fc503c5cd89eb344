package org.gridgov.workorder;

import java.util.function.UnaryOperator;

/**
 * A work order with where it came from: its place in the batch and how a field of it is named in an
 * error (a JSON pointer under "/orders/{i}", or a CSV line and column).
 */
record Located(long index, WorkOrder order, UnaryOperator<String> field) {}
