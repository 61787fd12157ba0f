package dev.sift;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in words: NIO's exceptions carry only the path as their message
 * ({@code NoSuchFileException: /proc/nope}), which says where but not what went wrong.
 */
public final class IoReason {
    private IoReason() {
    }

    /** For example {@code no such file or directory: /proc/nope} or {@code permission denied: /root/x}. */
    public static String of(IOException e) {
        String what = e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NotDirectoryException ? "not a directory"
                : e instanceof FileAlreadyExistsException ? "already exists and is in the way"
                : e instanceof FileSystemException f && f.getReason() != null ? f.getReason().toLowerCase(
                        java.util.Locale.ROOT)
                : null;
        if (what == null) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        FileSystemException f = (FileSystemException) e;
        return what + (f.getFile() == null ? "" : ": " + f.getFile());
    }
}
