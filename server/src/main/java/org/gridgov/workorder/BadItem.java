package org.gridgov.workorder;

import org.gridgov.api.Problem;

/**
 * One refused work order of a batch: where it is ({@code index}: its place in the JSON batch, or
 * its CSV line) and what is wrong, with the field as a JSON pointer into the whole body
 * ("/orders/2/category") or a CSV cell ("line 4, column category").
 */
record BadItem(long index, Problem problem) {}
