package org.gridgov.live;

/**
 * The live feed's limits: a resume replays at most replayMax events (older ones: the client is told
 * to reload); at most streamsPerUser open streams per member of staff on one instance (429 beyond);
 * a keep-alive comment every keepAliveMs, well within the connections' idle timeout.
 */
public record LiveLimits(int replayMax, int streamsPerUser, long keepAliveMs) {}
