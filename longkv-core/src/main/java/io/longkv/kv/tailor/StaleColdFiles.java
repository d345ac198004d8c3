package io.longkv.kv.tailor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the cold-tier files of processes that died without their shutdown hook (SIGKILL, power loss).
 * Every file and per-process directory names its owner's pid; an owner that is no longer alive cannot
 * reopen them, so they are garbage. A reused pid only delays the cleanup. Best effort: what cannot be
 * listed or deleted is left for a later sweep. Each directory is swept once per process, before its
 * first file is created.
 */
final class StaleColdFiles {
    /** {@code tailor-<label>-pid<pid>-<uuid>.cold}. */
    private static final Pattern FILE = Pattern.compile("tailor-.+-pid(\\d+)-[0-9a-f-]+\\.cold");
    /** The engine's per-process directories under the cold root: {@code pid-<pid>}. */
    private static final Pattern PROCESS_DIRECTORY = Pattern.compile("pid-(\\d+)");
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private StaleColdFiles() {
    }

    /** The file name for a new cold file of this process. */
    static String fileName(String label, String unique) {
        return "tailor-" + label + "-pid" + ProcessHandle.current().pid() + "-" + unique + ".cold";
    }

    /**
     * Sweeps {@code directory} once: dead owners' files in it, and with {@code perProcessDirectory} (the
     * engine's {@code pid-N} directories) also the sibling directories of dead processes.
     */
    static void sweepOnce(Path directory, boolean perProcessDirectory) {
        Path target = perProcessDirectory ? directory.toAbsolutePath().getParent() : directory.toAbsolutePath();
        if (target != null && SWEPT.add(target)) {
            if (perProcessDirectory) {
                sweepProcessDirectories(target);
            } else {
                sweepFiles(target);
            }
        }
    }

    static void sweepProcessDirectories(Path root) {
        for (Path child : list(root)) {
            Matcher m = PROCESS_DIRECTORY.matcher(child.getFileName().toString());
            if (m.matches() && Files.isDirectory(child) && !alive(m.group(1))) {
                // Everything LongKV named in a dead process's own directory was that process's.
                deleteFiles(child, false);
                deleteQuietly(child);
            }
        }
    }

    static void sweepFiles(Path directory) {
        deleteFiles(directory, true);
    }

    private static void deleteFiles(Path directory, boolean deadOwnersOnly) {
        for (Path file : list(directory)) {
            Matcher m = FILE.matcher(file.getFileName().toString());
            if (m.matches() && !(deadOwnersOnly && alive(m.group(1)))) {
                deleteQuietly(file);
            }
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not a pid we wrote: leave it alone
        }
    }

    private static List<Path> list(Path directory) {
        List<Path> entries = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return entries;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            // Unreadable: nothing to sweep now.
        }
        return entries;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // In use or not ours to delete (a non-empty directory, permissions): a later sweep may manage.
        }
    }
}
