package io.longkv.kv.tailor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleColdFilesTest {
    @TempDir
    Path dir;

    /** The pid of a process that has exited (so no live process owns it until the OS reuses it). */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pid;
    }

    @Test
    void filesOfDeadProcessesGoAndLiveOnesStay() throws Exception {
        long dead = deadPid();
        long self = ProcessHandle.current().pid();
        Path stale = Files.createFile(dir.resolve("tailor-L3-pid" + dead + "-0f8e2c1a-7d1e-4a52-9c1b-2f3d4e5f6a7b.cold"));
        Path mine = Files.createFile(dir.resolve(StaleColdFiles.fileName("L3", "1a2b3c4d-0000-4000-8000-000000000000")));
        Path foreign = Files.createFile(dir.resolve("notes.cold"));
        StaleColdFiles.sweepFiles(dir);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(mine), "this process is alive");
        assertTrue(Files.exists(foreign), "a file LongKV did not name is never touched");
        assertTrue(mine.getFileName().toString().contains("-pid" + self + "-"));
    }

    @Test
    void perProcessDirectoriesOfDeadProcessesGo() throws Exception {
        Path deadDir = Files.createDirectories(dir.resolve("pid-" + deadPid()));
        Files.createFile(deadDir.resolve("tailor-L0-pid1-00000000-0000-4000-8000-000000000000.cold"));
        Path liveDir = Files.createDirectories(dir.resolve("pid-" + ProcessHandle.current().pid()));
        Path liveFile = Files.createFile(liveDir.resolve(StaleColdFiles.fileName("L0", "00000000-0000-4000-8000-000000000001")));
        StaleColdFiles.sweepProcessDirectories(dir);
        assertFalse(Files.exists(deadDir));
        assertTrue(Files.exists(liveFile));
    }
}
