package org.gridgov.workflow;

import static org.gridgov.workflow.SubtaskAction.*;
import static org.gridgov.workflow.SubtaskState.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every (subtask state, action) pair, written out by hand. */
class SubtaskActionTest {

    @Test
    void transitions() {
        assertEquals(Optional.of(STARTED), START.target(OPEN));
        assertEquals(Optional.empty(), START.target(STARTED));
        assertEquals(Optional.empty(), START.target(DONE));
        assertEquals(Optional.of(DONE), FINISH.target(OPEN));
        assertEquals(Optional.of(DONE), FINISH.target(STARTED));
        assertEquals(Optional.empty(), FINISH.target(DONE));
        assertEquals(Optional.of(OPEN), REASSIGN.target(OPEN));
        assertEquals(Optional.of(STARTED), REASSIGN.target(STARTED));
        assertEquals(Optional.empty(), REASSIGN.target(DONE));
        assertEquals(Optional.of(FINISH), SubtaskAction.parse("finish"));
        assertEquals(Optional.empty(), SubtaskAction.parse("FINISH"));
    }
}
