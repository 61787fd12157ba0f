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

    /**
     * For example {@code no such file or directory: /proc/nope} or {@code permission denied: /root/x}; an error of a
     * move or copy names both files as the JDK does ({@code no such file or directory: /a -> /b}).
     */
    public static String of(IOException e) {
        String what = what(e);
        if (!(e instanceof FileSystemException f) || known(e) == null) {
            return what;
        }
        return what + (f.getFile() == null ? "" : ": " + f.getFile())
                + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
    }

    /**
     * Why {@code text} cannot be a path ({@link java.nio.file.InvalidPathException}): a NUL, or a name the locale cannot
     * encode (non-ASCII under LANG=C); for a command's path argument and a workflow's data path alike.
     */
    public static String invalidPath(String text, java.nio.file.InvalidPathException e) {
        return text.indexOf('\0') >= 0 ? "a path cannot hold a NUL character" : "not a path this machine's locale "
                + "can name (" + e.getReason() + "): run under a UTF-8 locale (LANG=C.UTF-8)";
    }

    /** {@link #of} without the file's name, for a message that names it already. */
    public static String what(IOException e) {
        String what = known(e);
        if (what == null) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return what;
    }

    /**
     * A stream that ended before its format did (GZIPInputStream's "Unexpected end of ZLIB input stream"), in words
     * a user can act on.
     */
    public static final String CUT_SHORT = "the data ends early: the file is cut short (copied or downloaded in "
            + "part?)";

    private static String known(IOException e) {
        return e instanceof java.io.EOFException ? CUT_SHORT
                : e instanceof java.util.zip.ZipException ? "not a readable gzip file (" + e.getMessage() + ")"
                : e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NotDirectoryException ? "not a directory"
                : e instanceof FileAlreadyExistsException ? "already exists and is in the way"
                : e instanceof FileSystemException f && f.getReason() != null ? f.getReason().toLowerCase(
                        java.util.Locale.ROOT)
                : null;
    }

    /**
     * {@link #of} for a write that goes through a temporary file beside the target ({@code .sift-export-UUID.tmp}),
     * which the user never named: the temporary file is said as "a new file in FOLDER" (a probe's {@code --out
     * /proc/e8.csv} was told about {@code /proc/.sift-export-...tmp}).
     */
    public static String ofWrite(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null && f.getOtherFile() == null && known(e) != null) {
            java.nio.file.Path file = java.nio.file.Path.of(f.getFile());
            if (file.getFileName() != null && file.getFileName().toString().matches("\\.sift-[a-z]+-[0-9a-f-]+\\.tmp")) {
                return what(e) + ": a new file in " + file.getParent();
            }
        }
        return of(e);
    }
}
