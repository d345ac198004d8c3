package io.longkv.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {
    @Test
    void holdsBackAPossibleStopStringAndCutsBeforeIt() {
        StopStrings s = new StopStrings(List.of("\nUser:"));
        assertEquals("Hello", s.accept("Hello"));
        assertEquals("", s.accept("\nUs"));
        assertFalse(s.stopped());
        assertEquals("", s.accept("er: more"));
        assertTrue(s.stopped());
        assertEquals("", s.flush());
    }

    @Test
    void releasesHeldTextWhenItTurnsOutNotToBeAStop() {
        StopStrings s = new StopStrings(List.of("END"));
        assertEquals("a", s.accept("aEN"));
        assertEquals("ENx", s.accept("x"));
        assertEquals("", s.accept("E"));
        assertEquals("E", s.flush());
    }

    @Test
    void earliestStopWins() {
        StopStrings s = new StopStrings(List.of("cd", "b"));
        assertEquals("a", s.accept("abcd"));
        assertTrue(s.stopped());
    }
}
