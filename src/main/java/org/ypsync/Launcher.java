package org.ypsync;

/** Command-line entry point of target/ypsync.jar (filled in by the foundation work). */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("ypsync");
    }
}
