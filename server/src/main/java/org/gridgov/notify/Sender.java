package org.gridgov.notify;

/** One channel's way out. Blocking; called on the worker's threads, never on an event loop. */
public interface Sender {

    /** Sends one message; never throws for the receiver's failures, answers them. */
    Delivery send(Message m);
}
