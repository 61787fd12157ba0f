package dev.sift.store;

/** Whether a process id still belongs to a running Java process other than this one. */
public final class Processes {
    private Processes() {
    }

    public static boolean isOtherLiveJava(long pid) {
        return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().command()).map(c -> c.contains("java")).orElse(false);
    }
}
