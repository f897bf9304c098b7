package dev.purertc.interop;

/**
 * A main for {@link NetnsJavaWrapperTest}: prints the network interfaces it sees, comma-separated,
 * then each argument on its own line, so the test can check where and how the wrapper ran java.
 */
public final class NamespaceProbe {
    private NamespaceProbe() {
    }

    public static void main(String[] args) {
        System.out.println(String.join(",", LoopbackNamespace.interfaceNames()));
        for (String a : args) {
            System.out.println(a);
        }
    }
}
